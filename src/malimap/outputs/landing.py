"""Where an upload's rows landed, before it is kept: one marker per place, styled by how the place was found.

A small one-off map is what folium and streamlit-folium are good at (the main map stays its own component: README).
Leaflet comes from the app's own copy (`static/leaflet`), never from a CDN: the map draws in a room with no internet.
"""

from __future__ import annotations

import folium
import pandas as pd

from malimap.geo.boundaries import Boundaries
from malimap.i18n import colon, t
from malimap.outputs.geometry import unit_centres
from malimap.schema import PCODE_LENGTH

# how a row's place was found -> (marker colour, the Streamlit colour name the legend writes it in); the legend also
# names each way in words, and markers are sized by their rows, so colour is never the only clue
STYLES = {
    "exact": ("#21c354", "green"),
    "fuzzy": ("#ffa421", "orange"),
    "v03": ("#803df5", "violet"),
    "corrected": ("#1c83e1", "blue"),
    "unresolved": ("#ff4b4b", "red"),
}
NOT_DRAWN = ("abroad", "none")  # a place outside Mali, or no place: counted in the legend, listed, never put on Mali
LOCAL_LEAFLET = "../../app/static/leaflet"  # the component's page is two levels under the app's root


def landing_points(accepted: pd.DataFrame, boundaries: Boundaries) -> pd.DataFrame:
    """One row per (place, how found): its P-code, where to draw it (the centre of the finest drawn unit holding it),
    how many rows landed there, and their spreadsheet row numbers."""
    cols = ["pcode", "how", "lat", "lng", "rows", "row_numbers", "titles"]
    drawable = accepted[~accepted["place"].isin(NOT_DRAWN) & accepted["pcode"].ne("")]
    if drawable.empty:
        return pd.DataFrame(columns=cols)
    centres = {lv: unit_centres(layer) for lv, layer in boundaries.layers.items()}
    merged = boundaries.merged
    out = []
    for (pcode, how), g in drawable.groupby(["pcode", "place"], sort=True):
        where = None
        for lv in sorted(centres, reverse=True):
            code = pcode[: PCODE_LENGTH[lv]] if len(pcode) >= PCODE_LENGTH[lv] else None
            code = merged.get(code, code) if code else None
            if code in centres[lv]:
                where = centres[lv][code]
                break
        if where is None:
            continue
        numbers = sorted(int(r) for r in g["row"])
        out.append([pcode, how, where[0], where[1], len(g), numbers, list(g["title"].head(5))])
    return pd.DataFrame(out, columns=cols)


def landing_counts(accepted: pd.DataFrame) -> dict[str, int]:
    return {k: int(v) for k, v in accepted["place"].value_counts().items()}


def landing_legend(counts: dict[str, int], lang: str) -> str:
    """The legend as Markdown (our own words and numbers only): a coloured dot per way a place was found, then the rows
    that are not drawn."""
    c = colon(lang)
    drawn = [f":{STYLES[k][1]}[●] {t(f'landing.how.{k}', lang)}{c}{counts.get(k, 0)}" for k in STYLES]
    apart = [f"{t(f'landing.how.{k}', lang)}{c}{counts.get(k, 0)}" for k in ("abroad", "none")]
    return " · ".join(drawn + apart)


def landing_map(points: pd.DataFrame, boundaries: Boundaries, names: dict[str, str], lang: str) -> folium.Map:
    """Regions as a light background (no tiles: no internet), and a circle per place sized by its rows."""
    m = folium.Map(location=[17.5, -4.0], zoom_start=5, tiles=None, control_scale=True)
    m.default_js = [("leaflet", f"{LOCAL_LEAFLET}/leaflet.js")]  # instead of folium's CDN scripts
    m.default_css = [("leaflet_css", f"{LOCAL_LEAFLET}/leaflet.css")]
    regions = boundaries.layers[min(boundaries.layers)][["pcode", "name", "geometry"]]
    folium.GeoJson(
        regions.to_json(drop_id=True),
        style_function=lambda _: {"color": "#888888", "weight": 1, "fillColor": "#f2f2f2", "fillOpacity": 0.6},
        name="regions",
    ).add_to(m)
    for r in points.itertuples():
        label = t(f"landing.how.{r.how}", lang)
        place = names.get(r.pcode, r.pcode)
        tip = f"{place} ({r.pcode}) · {label} · " + t("landing.rows", lang, n=r.rows, rows=_rows_text(r.row_numbers))
        folium.CircleMarker(
            location=[r.lat, r.lng],
            radius=min(6 + 3 * r.rows**0.5, 30),
            color="#333333",
            weight=1,
            fill=True,
            fill_color=STYLES[r.how][0] if r.how in STYLES else "#999999",
            fill_opacity=0.85,
            tooltip=folium.Tooltip(tip, sticky=True),  # no user text: boundary names, our labels, row numbers
        ).add_to(m)
    if len(points):
        m.fit_bounds(
            [[points["lat"].min() - 0.5, points["lng"].min() - 0.5], [points["lat"].max() + 0.5, points["lng"].max() + 0.5]]
        )
    return m


def _rows_text(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:8])
    return shown + (f" … (+{len(numbers) - 8})" if len(numbers) > 8 else "")


def row_of_tooltip(tooltip: str | None) -> str | None:
    """The P-code a clicked marker's tooltip names (streamlit-folium returns the tooltip of the last object clicked)."""
    if not tooltip or "(" not in tooltip:
        return None
    code = tooltip.split("(", 1)[1].split(")", 1)[0]
    return code if code.startswith("ML") else None
