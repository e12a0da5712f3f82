"""The map as data: the per-rerun values the map view draws (classes, badges, markers, legend), never its geometry.

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
from malimap.i18n import amount, label, t
from malimap.outputs.geometry import unit_bounds, unit_centres
from malimap.outputs.legend import (
    COVERED_COLOUR,
    GAP_COLOUR,
    NONE_COLOUR,
    OUT_COLOUR,
    PALETTES,
    coverage_sentence,
    legend_rows,
    measure_words,
)
from malimap.schema import PCODE_LENGTH

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


def unpack(spec: dict) -> tuple[list[int], list[int], list[int]]:
    """(classes, values, planned) per unit in geometry order, as the browser rebuilds them from the compact spec."""
    codes = {ch: c for c, ch in CLASS_CODES.items()}
    classes = [codes[ch] if ch in codes else int(ch) for ch in spec["classes"]]
    values, planned = [0] * len(classes), [0] * len(classes)
    for i, v, p in spec["units"]:
        values[i], planned[i] = v, p
    return classes, values, planned


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
    Long because it assembles one JSON document field by field; the parts are computed in the helpers it calls.
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
    breaks, palette, classes = _classes(catalogue, values, derived, options, look)
    classes = np.where(inside_places(order["pcode"], look.focus), classes, -2)
    markers = kept("markers", lambda: event_markers(catalogue, items, options.level, when), options.level, lang)
    note = [t("map.attribution", lang, attribution=b.attribution)]
    if options.level == 1 and b.merged:
        note.insert(0, t("map.merged_note", lang))
    if len(markers) > MAX_MARKERS:
        note.insert(0, t("map.markers_capped", lang, shown=MAX_MARKERS, total=len(markers)))
        markers = markers.nlargest(MAX_MARKERS, "n")
    coarse = _coarse_badges(catalogue, cov, options.measure, lang)
    legend = {
        "title": t("map.legend_gaps_title", lang)
        if look.gaps
        else f"{t(f'measure.{options.measure}', lang)} · {label('level', str(options.level), lang)}",
        "rows": legend_rows(breaks, palette, look, lang, cov, markers, derived, options.measure),
        "note": " ".join(note),
        "sentence": coverage_sentence(options, lang, presence=bool(equals(catalogue, "kind", "presence").any()))
        + (" " + t("coverage.need_source", lang, source=need_citation) if derived is not None else ""),
        "collapsed": False,
        "toggle": t("map.legend_toggle", lang),
        "about": t("map.legend_about", lang),
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
        "legend": legend,
        "words": _words(options.measure, lang),
        "coarse": coarse,
        "national": _national_badge(cov, options.measure, lang),
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


def _classes(catalogue: Catalogue, values: pd.Series, derived, options: MapOptions, look: Look):
    """(breaks, palette, class per unit): need-weighted classes, the two gap colours, or counts in classes (fixed across
    filters when the classes are pinned)."""
    if derived is not None:
        breaks: Sequence[tuple[float, float]] = float_breaks(derived[np.isfinite(derived)])
        palette = PALETTES[look.palette][-len(breaks) :] if breaks else []
        classes = classify(derived.where(np.isfinite(derived), 0), breaks)
        classes = np.where(np.isinf(derived), -4, classes)  # need and nothing recorded: the gap colour, not a class
        return breaks, palette, np.where(derived.isna(), -3, classes)
    if look.gaps:
        return [], [COVERED_COLOUR, GAP_COLOUR[look.palette]], np.where(values > 0, 0, 1)
    everything = lambda: unit_coverage(catalogue, catalogue.interventions, options)  # noqa: E731
    reference = remembered(catalogue, ("coverage-all", options), everything).units["value"] if options.pinned else values
    breaks = class_breaks(reference)
    palette = PALETTES[look.palette][-len(breaks) :] if breaks else []
    return breaks, palette, classify(values, breaks)


def _words(measure: str, lang: str) -> dict[str, str]:
    """The tooltip's words, in the page's language."""
    return {
        **measure_words(measure, lang),
        "planned": t("map.tooltip_planned", lang),
        "outside": t("map.tooltip_outside", lang),
        "error": t("map.error", lang),
        "unknown": t("map.tooltip_unknown", lang),
        "infinite": t("map.tooltip_infinite", lang),
    }


def _coarse_badges(catalogue: Catalogue, cov: Coverage, measure: str, lang: str) -> list[dict]:
    """Records known only at a broader level: an "↑ n" on the broader unit, with what it counts in its title."""
    b, out = catalogue.boundaries, []
    for r in cov.coarse.itertuples():
        centre = unit_centres(b.layers[r.level]).get(r.pcode) if r.level in b.layers else None
        if centre:
            word = measure_words(measure, lang)["one" if r.value == 1 else "other"]
            title = t(
                "map.coarse_title",
                lang,
                n=r.value,
                what=word,
                level=label("level", str(r.level), lang).lower(),
                name=catalogue.unit_names.get(r.pcode, r.pcode),
            )
            out.append({"p": r.pcode, "lat": centre[0], "lon": centre[1], "text": f"↑ {r.value}", "title": title})
    return out


def _national_badge(cov: Coverage, measure: str, lang: str) -> dict | None:
    """The Mali-wide badge: what is counted for the whole country, planned work said apart."""
    if not sum(cov.national):
        return None
    value, plan = cov.national
    word = measure_words(measure, lang)["one" if value == 1 else "other"]
    text = t("map.national_badge", lang, n=value, what=word)
    return {"p": NATIONAL, "text": text + (" · " + t("map.tooltip_planned", lang).replace("{n}", str(plan)) if plan else "")}
