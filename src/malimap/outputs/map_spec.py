"""The map as data: geometry written once per boundary level, per-rerun values for the map view, and an SVG for slides.

The browser side lives in `web/mapview.js` (a plain-JS Streamlit component on the app's own Leaflet); this module
builds what it is sent. Nothing here imports Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from malimap.catalogue.build import Catalogue, equals, remembered, row_mask
from malimap.counts.coverage import (
    NATIONAL,
    NEED_MEASURES,
    Coverage,
    MapOptions,
    class_breaks,
    classify,
    inside_places,
    unit_coverage,
)
from malimap.counts.gaps import need_values
from malimap.i18n import amount, label, normalise_lang, strings, t
from malimap.outputs.geometry import unit_bounds, unit_centres
from malimap.schema import PCODE_LENGTH

PALETTES = {
    # sequential, light to dark; "safe" is viridis, readable with every common colour-vision deficiency
    "default": ["#c7e9c0", "#74c476", "#31a354", "#006d2c"],
    "safe": ["#fde725", "#35b779", "#31688e", "#440154"],
}
NONE_COLOUR = "#f7f7f7"
UNKNOWN_FILL = "dots"  # the need layer has no figure for this unit: a pattern, never a white that reads as "none"
OUT_COLOUR = "#d4d4d4"  # outside the place the filter chose
GAP_COLOUR = {"default": "#d7301f", "safe": "#e66101"}
COVERED_COLOUR = "#d9d9d9"
MAX_MARKERS = 100  # more event places than this clutter the map and its payload: the busiest are marked, the rest said
TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"  # only with the opt-in toggle (needs internet)


@dataclass(frozen=True)
class Look:
    """How the map is shown, as opposed to what it counts (MapOptions)."""

    lang: str
    presenter: bool = False
    gaps: bool = False  # colour units with nothing recorded
    caption: str = ""  # the filter sentence, written on the map in presenter mode
    selected: str | None = None
    focus: tuple[str, ...] = ()  # P-codes a place filter chose: frame them, grey the rest
    tiles: bool = False

    @property
    def palette(self) -> str:
        return "safe" if self.presenter else "default"


def _bounds(catalogue: Catalogue, level: int, focus: tuple[str, ...]) -> list[list[float]]:
    """The map's frame: the whole layer, or the units a place filter chose (at whatever level they are drawn)."""
    layers = catalogue.boundaries.layers
    boxes: list[tuple[float, ...]] = []
    for code in focus:
        for lv in sorted(layers, reverse=True):
            hit = unit_bounds(layers[lv]).get(code[: PCODE_LENGTH[lv]]) if len(code) >= PCODE_LENGTH[lv] else None
            if hit:
                boxes.append(hit)
                break
    if not boxes:
        boxes = [tuple(map(float, layers[level].total_bounds))]
    minx, miny = min(b[0] for b in boxes), min(b[1] for b in boxes)
    maxx, maxy = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return [[round(miny, 3), round(minx, 3)], [round(maxy, 3), round(maxx, 3)]]


def event_markers(catalogue: Catalogue, items: pd.DataFrame, level: int, when) -> pd.DataFrame:
    """One marker per place of completed or ongoing events, at the centre of the finest unit known (no invented points).

    Each marker carries the unit it sits in at the drawn level, so clicking it selects that unit.
    """
    b = catalogue.boundaries
    columns = ["title_display", "start_date", "end_date", "dates_approximate"]
    # only the columns used below are taken out of the filtered records (70,000 rows of 40 columns at national scale)
    events = items.loc[((items["kind"] == "event") & (items["status"] != "planned")).to_numpy(), ["row", "id", *columns]]
    loc = catalogue.locations
    wanted = ["intervention_id", "latitude", "longitude", *(f"adm{lv}_pcode" for lv in PCODE_LENGTH)]
    loc = loc.loc[
        row_mask(catalogue, events)[loc["iv_row"].to_numpy()]
        & (loc["reach"] == "activity").to_numpy()
        & loc["in_mali"].to_numpy()
        & (loc["adm1_pcode"] != "").to_numpy(),
        wanted,
    ]
    centres: dict[str, tuple[float, float]] = {}
    for lv in b.levels:
        if lv <= level:
            centres.update(unit_centres(b.layers[lv]))
    code = loc[f"adm{level}_pcode"]
    for lv in range(level - 1, 0, -1):
        code = code.where(code.isin(centres), loc[f"adm{lv}_pcode"])
    code = code.replace(b.merged)
    lats = {c: ll[0] for c, ll in centres.items()}
    lons = {c: ll[1] for c, ll in centres.items()}
    lat = pd.to_numeric(loc["latitude"], errors="coerce").astype(float).fillna(code.map(lats))
    lon = pd.to_numeric(loc["longitude"], errors="coerce").astype(float).fillna(code.map(lons))
    rows = (
        pd.DataFrame({"lat": lat.round(4), "lon": lon.round(4), "p": code, "id": loc["intervention_id"]})
        .dropna()
        .drop_duplicates()
    )
    by_place = rows.groupby(["lat", "lon", "p"])
    groups = by_place.size().rename("n").reset_index()
    # a tooltip names two records: only the first two of each place are listed (not every id of 70,000 in lists)
    first = rows.loc[by_place.head(2).index]
    first_ids = first.groupby(by_place.ngroup().loc[first.index])["id"].agg(list)
    groups["ids"] = first_ids.reindex(range(len(groups))).to_numpy()
    # only the records a tooltip names are read out of the table: 10k rows to dicts cost 0.15 s a rerun
    shown_ids = {i for ids in groups["ids"] for i in ids}
    position = {i: k for k, i in enumerate(events["id"].to_numpy(dtype=object)) if i in shown_ids}
    values = {c: events[c].to_numpy(dtype=object) for c in columns}
    fields = {i: {c: values[c][k] for c in columns} for i, k in position.items()}

    def text(ids: list[str], n: int, k: int = 2) -> str:
        shown = " · ".join(f"{_clip(fields[i]['title_display'])} ({when(fields[i])})" for i in ids[:k])
        return shown + (f" (+{n - k})" if n > k else "")

    groups["text"] = [text(ids, n) for ids, n in zip(groups["ids"], groups["n"])]
    return groups[["lat", "lon", "p", "text", "n"]]


def _clip(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _sparse(values: pd.Series, planned: pd.Series) -> list[list[int]]:
    """[index, value, planned] for the units that are not zero: a national 3W's rerun stays a few KB."""
    nz = np.flatnonzero((values.to_numpy() > 0) | (planned.to_numpy() > 0))
    return np.column_stack([nz, values.to_numpy()[nz], planned.to_numpy()[nz]]).tolist()


def _need_lines(pcodes: pd.DataFrame, needs: pd.DataFrame, lang: str) -> dict[int, str]:
    """Per unit (geometry order), the need layer's own figures for its tooltip: a gap of 125,328 people in need must
    not look like one of 3,302, and a unit with 0 people in need says 0."""
    m = pcodes.merge(needs, on="pcode", how="left")
    out = {}
    for i, (in_need, population) in enumerate(zip(m["in_need"], m["population"])):
        one = in_need == 1 or (lang == "fr" and in_need == 0)  # "0 personne", "0 people"
        key = "map.tooltip_in_need_one" if one else "map.tooltip_in_need"
        parts = [t(key, lang, n=amount(in_need, lang))] if pd.notna(in_need) else []
        if pd.notna(population):
            parts.append(t("map.tooltip_population", lang, n=amount(population, lang)))
        if parts:
            out[i] = " · ".join(parts)
    return out


# The class protocol between the server and the map (and the SVG and HTML exports): a unit's class is its colour's
# index in the palette, or one of these special codes, one character each in spec["classes"]; the map reads this table
# from the spec, so it is written here once.
CLASS_CODES = {-1: ".", -2: "-", -3: "u", -4: "x"}  # nothing counted, outside the chosen place, no need figure, a gap


def _class_string(classes: np.ndarray) -> str:
    """One character per unit, in geometry order: '.' nothing, '-' outside the chosen place, 'u' no need figure,
    'x' people in need and nothing recorded, '0'-'9' a class."""
    return "".join(CLASS_CODES.get(int(c), str(c)) for c in classes)


def _sparse_float(values: pd.Series, planned: pd.Series) -> list[list]:
    """[index, value, planned] for units with a figure; null stands for 'need, and nothing recorded' (infinite)."""
    out = []
    for i, (v, p) in enumerate(zip(values.to_numpy(), planned.to_numpy())):
        if np.isnan(v):
            continue
        out.append([i, None if np.isinf(v) else float(v), int(p)])
    return out


def float_breaks(values: pd.Series, n: int = 4) -> list[tuple[float, float]]:
    """Up to n quantile classes over positive values, bounds rounded to two significant digits."""
    positive = np.sort(values[values > 0].to_numpy(dtype=float))
    if len(positive) == 0:
        return []
    edges = [float(f"{q:.2g}") for q in np.quantile(positive, np.linspace(0, 1, min(n, len(positive)) + 1))]
    edges[0], edges[-1] = min(edges[0], positive[0]), max(edges[-1], positive[-1])
    out = [(lo, hi) for lo, hi in zip(edges[:-1], edges[1:]) if hi > lo]
    return out or [(float(positive[0]), float(positive[-1]))]


def _num(x: float, lang: str) -> str:
    text = f"{x:,.0f}" if x >= 100 else f"{x:.2g}"
    return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text


def unpack(spec: dict) -> tuple[list[int], list[int], list[int]]:
    """(classes, values, planned) per unit in geometry order, as the browser rebuilds them from the compact spec."""
    codes = {ch: c for c, ch in CLASS_CODES.items()}
    classes = [codes[ch] if ch in codes else int(ch) for ch in spec["classes"]]
    values, planned = [0] * len(classes), [0] * len(classes)
    for i, v, p in spec["units"]:
        values[i], planned[i] = v, p
    return classes, values, planned


def measure_words(measure: str, lang: str) -> dict[str, str]:
    return {"one": t(f"measure.{measure}.one", lang), "other": t(f"measure.{measure}.other", lang)}


def coverage_sentence(options: MapOptions, lang: str, presence: bool = False) -> str:
    """The legend's one sentence: what a coloured unit means, so a donor can repeat it. `presence`: the data holds
    3W/5W presences, and the sentence says whether this measure counts them."""
    level = label("level", str(options.level), lang).lower()
    parts = [
        t(f"coverage.{options.measure}", lang, level=level),
        t("coverage.planned", lang),
        t("coverage.beneficiaries_on" if options.beneficiaries else "coverage.beneficiaries_off", lang),
    ]
    said = f"coverage.presence.{options.base_measure}"  # funders: a presence names no funder, nothing to say
    if presence and said in strings(normalise_lang(lang)):
        parts.insert(1, t(said, lang))
    if options.pinned:
        parts.append(t("coverage.pinned", lang))
    return " ".join(parts)


def coverage_line(cov: Coverage, measure: str, focus: tuple[str, ...], lang: str) -> str:
    """Under the map: how many units count something, out of the units the page is about (those of the chosen places
    when a place filter is on, not all of Mali), with the unit word in the singular when there is one."""
    inside = inside_places(cov.units["pcode"], focus)
    covered, total = int((cov.units["value"][inside] > 0).sum()), int(inside.sum())
    level = cov.level
    levels = t(f"level_plural.{level}", lang) if total != 1 else label("level", str(level), lang).lower()
    unit = label("level", str(level), lang).lower() if covered == 1 else t(f"level_plural.{level}", lang)
    text = t("map.coverage_one" if covered == 1 else "map.coverage", lang, covered=covered, total=total, levels=levels,
             unit=unit, a=t(f"measure.{measure}.a", lang))  # fmt: skip
    return text + (" " + t("map.coverage_in_places", lang) if focus else "")


def map_spec(
    catalogue: Catalogue,
    items: pd.DataFrame,
    options: MapOptions,
    look: Look,
    geo_ref,
    when,
    needs: pd.DataFrame | None = None,
    need_citation: str = "",
    items_key: tuple | None = None,
) -> tuple[dict, Coverage]:
    """Everything the map view draws for one rerun, except geometry (referred to by `geo_ref(level) -> {url, key}`).

    Need-weighted measures divide by `needs` (unit_needs of a layer at this level) and cite `need_citation`.
    `items_key` names what chose `items` (the filters): counts and markers are then kept per catalogue and reused.
    """
    lang, b = look.lang, catalogue.boundaries

    def kept(name: str, compute, *key):
        return compute() if items_key is None else remembered(catalogue, (name, items_key, *key), compute)

    cov = kept("coverage", lambda: unit_coverage(catalogue, items, options), options)
    layer = b.layers[options.level]
    order = layer[["pcode"]].merge(cov.units, on="pcode", how="left").fillna({"value": 0, "planned": 0})
    values, planned = order["value"].astype(int), order["planned"].astype(int)
    derived = None
    if options.measure in NEED_MEASURES and not look.gaps:
        if needs is None:
            raise ValueError(f"measure {options.measure!r} needs a need layer")
        derived = need_values(values, order[["pcode"]].merge(needs, on="pcode", how="left"), options.measure)
    breaks: Sequence[tuple[float, float]]
    if derived is not None:
        finite = derived[np.isfinite(derived)]
        breaks = float_breaks(finite)
        palette = PALETTES[look.palette][-len(breaks) :] if breaks else []
        classes = classify(derived.where(np.isfinite(derived), 0), breaks)
        classes = np.where(np.isinf(derived), -4, classes)  # need and nothing recorded: the gap colour, not a class
        classes = np.where(derived.isna(), -3, classes)
    elif look.gaps:
        breaks, palette = [], [COVERED_COLOUR, GAP_COLOUR[look.palette]]
        classes = np.where(values > 0, 0, 1)
    else:
        everything = lambda: unit_coverage(catalogue, catalogue.interventions, options)  # noqa: E731
        reference = remembered(catalogue, ("coverage-all", options), everything).units["value"] if options.pinned else values
        breaks = class_breaks(reference)
        palette = PALETTES[look.palette][-len(breaks) :] if breaks else []
        classes = classify(values, breaks)
    classes = np.where(inside_places(order["pcode"], look.focus), classes, -2)
    words = {
        **measure_words(options.measure, lang),
        "planned": t("map.tooltip_planned", lang),
        "outside": t("map.tooltip_outside", lang),
        "error": t("map.error", lang),
        "unknown": t("map.tooltip_unknown", lang),
        "infinite": t("map.tooltip_infinite", lang),
    }
    markers = kept("markers", lambda: event_markers(catalogue, items, options.level, when), options.level, lang)
    note = [t("map.attribution", lang, attribution=b.attribution)]
    if options.level == 1 and b.merged:
        note.insert(0, t("map.merged_note", lang))
    if len(markers) > MAX_MARKERS:
        note.insert(0, t("map.markers_capped", lang, shown=MAX_MARKERS, total=len(markers)))
        markers = markers.nlargest(MAX_MARKERS, "n")
    rows = _legend_rows(breaks, palette, look, lang, cov, markers, derived, options.measure)
    title = (
        t("map.legend_gaps_title", lang)
        if look.gaps
        else f"{t(f'measure.{options.measure}', lang)} · {label('level', str(options.level), lang)}"
    )
    coarse = []
    if len(cov.coarse):
        for r in cov.coarse.itertuples():
            centre = unit_centres(b.layers[r.level]).get(r.pcode) if r.level in b.layers else None
            if centre:
                word = measure_words(options.measure, lang)["one" if r.value == 1 else "other"]
                coarse.append(
                    {
                        "p": r.pcode,
                        "lat": centre[0],
                        "lon": centre[1],
                        "text": f"↑ {r.value}",
                        "title": t(
                            "map.coarse_title",
                            lang,
                            n=r.value,
                            what=word,
                            level=label("level", str(r.level), lang).lower(),
                            name=catalogue.unit_names.get(r.pcode, r.pcode),
                        ),
                    }
                )
    national = None
    if sum(cov.national):
        value, plan = cov.national
        word = measure_words(options.measure, lang)["one" if value == 1 else "other"]
        national = {
            "p": NATIONAL,
            "text": t("map.national_badge", lang, n=value, what=word)
            + (" · " + t("map.tooltip_planned", lang).replace("{n}", str(plan)) if plan else ""),
        }
    spec = {
        "geo": geo_ref(options.level),
        "coarse_geo": [geo_ref(lv) for lv in sorted({int(c) for c in cov.coarse["level"]}) if lv in b.layers] if coarse else [],
        "units": _sparse(values, planned) if derived is None else _sparse_float(derived, planned),
        "need_lines": {} if needs is None else _need_lines(order[["pcode"]], needs, lang),
        "locale": "fr-FR" if lang == "fr" else "en-GB",
        "classes": _class_string(classes),
        "class_codes": {ch: c for c, ch in CLASS_CODES.items()},
        "palette": palette,
        "none_colour": NONE_COLOUR,
        "out_colour": OUT_COLOUR,
        "gap_colour": GAP_COLOUR[look.palette],
        "legend": {
            "title": title,
            "rows": rows,
            "note": " ".join(note),
            "sentence": coverage_sentence(options, lang, presence=bool(equals(catalogue, "kind", "presence").any()))
            + (" " + t("coverage.need_source", lang, source=need_citation) if derived is not None else ""),
            "collapsed": False,
            "toggle": t("map.legend_toggle", lang),
            "about": t("map.legend_about", lang),
        },
        "words": words,
        "coarse": coarse,
        "national": national,
        "markers": markers[["lat", "lon", "p", "text", "n"]].to_dict("records"),
        "caption": look.caption if look.presenter else "",
        "bounds": _bounds(catalogue, options.level, look.focus),
        "selected": look.selected,
        "large": look.presenter,
        "tiles": TILES_URL if look.tiles else "",
        "height": 620,
        "fill_viewport": 0.8 if look.presenter else 0,
        "line_weight": 1.2 if len(layer) < 100 else 0.5,
        "marker_radius": 9 if look.presenter else 6,
    }
    return spec, cov


def _legend_rows(
    breaks, palette, look: Look, lang: str, cov: Coverage, markers: pd.DataFrame, derived=None, measure: str = ""
) -> list[list[str]]:
    if look.gaps:
        rows = [[palette[1], t("map.legend_gap", lang)], [palette[0], t("map.legend_covered", lang)]]
    elif derived is not None:
        rows = [[NONE_COLOUR, t(f"map.legend_zero.{measure}", lang)]] + [
            [c, f"{_num(lo, lang)}–{_num(hi, lang)}"] for (lo, hi), c in zip(breaks, palette)
        ]
        if np.isinf(derived).any():
            rows.append([GAP_COLOUR[look.palette], t("map.tooltip_infinite", lang)])
        if derived.isna().any():
            rows.append([UNKNOWN_FILL, t("map.tooltip_unknown", lang)])
    else:
        rows = [[NONE_COLOUR, t("map.legend_none", lang)]] + [
            [c, f"{lo}" if lo == hi else f"{lo}–{hi}"] for (lo, hi), c in zip(breaks, palette)
        ]
    if int(cov.units["planned"].sum()):
        rows.append(["hatch", t("map.legend_planned", lang)])
    if len(cov.coarse):
        rows.append(["coarse", t("map.legend_coarse", lang)])
    if len(markers):
        rows.append(["event", t("map.legend_event", lang)])
    if look.focus:
        rows.append([OUT_COLOUR, t("map.tooltip_outside", lang)])
    return rows
