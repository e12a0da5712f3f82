"""The map's colours and the words around it: palettes and special colours, the legend's rows, what a measure counts,
the legend's sentence and the coverage line under the map. Shared by the map view, the SVG and the HTML map."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from malimap.counts.coverage import Coverage, MapOptions, inside_places
from malimap.i18n import label, normalise_lang, strings, t

if TYPE_CHECKING:  # the map's look is defined with the spec that uses these rows
    from malimap.outputs.map_spec import Look

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


# The fills the legend names that are patterns, not colours, for Leaflet's SVG paths (url(#…)): one definition for the
# map view and the offline HTML map (the SVG image writes its own, inside its own document).
PATTERN_DEFS = (
    "<svg width='0' height='0' style='position:absolute' aria-hidden='true'><defs>"
    "<pattern id='malimap-hatch' patternUnits='userSpaceOnUse' width='8' height='8' patternTransform='rotate(45)'>"
    "<rect width='3' height='8' fill='#333' fill-opacity='0.75'></rect></pattern>"
    "<pattern id='malimap-dots' patternUnits='userSpaceOnUse' width='6' height='6'><rect width='6' height='6' fill='#fff'>"
    "</rect><circle cx='3' cy='3' r='1.1' fill='#737373'></circle></pattern></defs></svg>"
)


def unit_fill(spec: dict, c: int, dots: str = "url(#malimap-dots)") -> str:
    """A unit's fill from its class (map_spec.CLASS_CODES): its palette colour, or the special colour or pattern."""
    special = {-2: spec["out_colour"], -3: dots, -4: spec["gap_colour"]}
    return spec["palette"][c] if c >= 0 else special.get(c, spec["none_colour"])


def num(x: float, lang: str) -> str:
    """A need-weighted figure as a reader takes it in: whole above 100, two significant digits below."""
    text = f"{x:,.0f}" if x >= 100 else f"{x:.2g}"
    return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text


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


def legend_rows(
    breaks, palette, look: Look, lang: str, cov: Coverage, markers: pd.DataFrame, derived=None, measure: str = ""
) -> list[list[str]]:
    if look.gaps:
        rows = [[palette[1], t("map.legend_gap", lang)], [palette[0], t("map.legend_covered", lang)]]
    elif derived is not None:
        rows = [[NONE_COLOUR, t(f"map.legend_zero.{measure}", lang)]] + [
            [c, f"{num(lo, lang)}–{num(hi, lang)}"] for (lo, hi), c in zip(breaks, palette)
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
