"""Folium maps that draw with no internet: local Leaflet, the boundaries as background, every label escaped."""

from __future__ import annotations

import html
import json

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import MacroElement, Template

LEAFLET_JS = "/app/static/leaflet/leaflet.js"
LEAFLET_CSS = "/app/static/leaflet/leaflet.css"
PALETTES = {
    # sequential, light to dark; "safe" is viridis, readable with every common colour-vision deficiency
    "default": ["#c7e9c0", "#74c476", "#31a354", "#006d2c"],
    "safe": ["#fde725", "#35b779", "#31688e", "#440154"],
}
NONE_COLOUR = {"default": "#f7f7f7", "safe": "#f7f7f7"}
GAP_COLOUR = {"default": "#d7301f", "safe": "#e66101"}
COVERED_COLOUR = "#d9d9d9"
BACKGROUND = "#eef3f7"
MAX_MARKERS = 100  # more event places than this clutter the map and its payload: the busiest are marked, the rest said


# folium embeds data with jinja's tojson; compact separators take ~15% off every map sent to the browser
folium.GeoJson._template.environment.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}


class OfflineMap(folium.Map):
    """folium.Map that loads only the Leaflet files the app serves itself (no CDN, no jQuery/Bootstrap)."""

    default_js = [("leaflet", LEAFLET_JS)]
    default_css = [("leaflet_css", LEAFLET_CSS)]
    known_bounds: list[list[float]] | None = None

    def get_bounds(self):
        # folium walks every coordinate in Python to find these; the layer's bounds are already known
        return self.known_bounds if self.known_bounds is not None else super().get_bounds()


_LAYER_CACHE: dict[tuple[int, str], tuple[object, object]] = {}


def _per_layer(layer: gpd.GeoDataFrame, what: str, build):
    """Geometry-derived values computed once per (immutable, shared) boundary layer."""
    key = (id(layer), what)
    hit = _LAYER_CACHE.get(key)
    if hit is None or hit[0] is not layer:
        hit = _LAYER_CACHE[key] = (layer, build(layer))
    return hit[1]


def _geometries(layer: gpd.GeoDataFrame) -> dict[str, dict]:
    fc = json.loads(layer[["pcode", "geometry"]].to_json(drop_id=True))
    return {f["properties"]["pcode"]: f["geometry"] for f in fc["features"]}


def _centres(layer: gpd.GeoDataFrame) -> dict[str, tuple[float, float]]:
    reps = layer.set_index("pcode").geometry.representative_point()
    return {p: (pt.y, pt.x) for p, pt in reps.items()}


def unit_centres(layer: gpd.GeoDataFrame) -> dict[str, tuple[float, float]]:
    """pcode -> (lat, lon) of a point inside each unit, computed once per shared layer (markers, GeoJSON export)."""
    return _per_layer(layer, "centres", _centres)


class _Control(MacroElement):
    """A Leaflet control holding pre-escaped HTML (legend) or plain text (caption)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            map.getContainer().style.background = {{ this.background|tojson }};
            if (!document.getElementById('malimap-css')) {  // no browser focus box around a clicked unit
                var css = document.createElement('style');
                css.id = 'malimap-css';
                css.textContent = '.leaflet-interactive:focus { outline: none; }';
                document.head.appendChild(css);
            }
            var ctl = L.control({position: {{ this.position|tojson }}});
            ctl.onAdd = function() {
                var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
                div.style.cssText = {{ this.style|tojson }};
                {% if this.is_text %}div.textContent = {{ this.content|tojson }};{% else %}div.innerHTML = {{ this.content|tojson }};{% endif %}
                return div;
            };
            ctl.addTo(map);
        })();
        {% endmacro %}
    """)

    def __init__(self, content: str, position: str, css_class: str, style: str, is_text: bool):
        super().__init__()
        self._name = "MalimapControl"
        self.content, self.position, self.css_class, self.style, self.is_text = content, position, css_class, style, is_text
        self.background = BACKGROUND


def class_breaks(values: pd.Series, n: int = 4) -> list[tuple[int, int]]:
    """Up to n classes over the positive values (zero is always its own class): [(lo, hi), ...]."""
    positive = np.sort(values[values > 0].unique())
    if len(positive) == 0:
        return []
    if len(positive) <= n:
        return [(int(v), int(v)) for v in positive]
    edges = np.unique(np.quantile(positive, np.linspace(0, 1, n + 1)).round().astype(int))
    out, lo = [], int(positive[0])
    for hi in edges[1:]:
        if hi >= lo:
            out.append((lo, int(hi)))
            lo = int(hi) + 1
    return out


def _colour(value: int, breaks: list[tuple[int, int]], palette: str) -> str:
    if value <= 0:
        return NONE_COLOUR[palette]
    colours = PALETTES[palette][-len(breaks):] if len(breaks) < len(PALETTES[palette]) else PALETTES[palette]
    for (lo, hi), colour in zip(breaks, colours):
        if lo <= value <= hi:
            return colour
    return colours[-1]


def _legend_html(title: str, rows: list[tuple[str, str]], note: str) -> str:
    items = "".join(f'<div><span style="display:inline-block;width:1.1em;height:1.1em;background:{c};'
                    f'border:1px solid #555;margin-right:.4em;vertical-align:middle"></span>{html.escape(t)}</div>'
                    for c, t in rows)
    foot = f'<div style="margin-top:.3em;font-size:.8em;max-width:22em">{html.escape(note)}</div>' if note else ""
    return f'<div style="font-weight:600;margin-bottom:.2em">{html.escape(title)}</div>{items}{foot}'


def admin_choropleth(layer: gpd.GeoDataFrame, counts: pd.DataFrame, measure: str, *, legend_title: str,
                     labels: dict[str, str], gaps: bool = False, palette: str = "default", caption: str = "",
                     note: str = "", markers: pd.DataFrame | None = None, tiles: bool = False,
                     large: bool = False) -> folium.Map:
    """Units coloured by `measure` (or, in gaps mode, units with none in a warning colour), with legend and markers.

    `labels` holds the translated strings: none, gap, covered, tooltip_value, markers_capped.
    """
    data = layer.merge(counts[["pcode", measure]], on="pcode", how="left")
    data[measure] = data[measure].fillna(0).astype(int)
    breaks = class_breaks(data[measure])
    if gaps:
        data["fill"] = np.where(data[measure] > 0, COVERED_COLOUR, GAP_COLOUR[palette])
    else:
        data["fill"] = [_colour(v, breaks, palette) for v in data[measure]]
    data["label"] = [html.escape(f"{n}: {v} {labels['tooltip_value']}") for n, v in zip(data["name"], data[measure])]
    fills = dict(zip(data["pcode"], data["fill"]))
    geometries = _per_layer(layer, "geometries", _geometries)
    features = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": geometries[p], "properties": {"pcode": p, "label": lab}}
        for p, lab in zip(data["pcode"], data["label"])]}

    m = OfflineMap(location=[17.5, -4.0], zoom_start=5, tiles=None, control_scale=True,
                   prefer_canvas=False, zoom_control=True, zoom_snap=0.25)
    if tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(m)
    weight = 1.2 if len(data) < 100 else 0.5
    folium.GeoJson(
        features,
        name="units",
        style_function=lambda f: {"fillColor": fills[f["properties"]["pcode"]], "color": "#4d4d4d", "weight": weight,
                                  "fillOpacity": 0.85 if not tiles else 0.6},
        highlight_function=lambda f: {"weight": 3, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False, sticky=True,
                                      style=f"font-size:{18 if large else 13}px"),
    ).add_to(m)
    if markers is not None and len(markers):
        top = markers.nlargest(MAX_MARKERS, "n") if len(markers) > MAX_MARKERS else markers
        points = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
             "properties": {"text": html.escape(r.text), "n": int(r.n)}} for r in top.itertuples()]}
        base = 9 if large else 6
        folium.GeoJson(
            points, name="events",
            marker=folium.CircleMarker(radius=base, color="#222222", weight=1.5, fill=True, fill_color="#ffffff",
                                       fill_opacity=0.95, class_name="malimap-event"),
            style_function=lambda f: {"radius": base + min(f["properties"]["n"], 6)},
            tooltip=folium.GeoJsonTooltip(fields=["text"], labels=False, style=f"font-size:{18 if large else 13}px"),
        ).add_to(m)
        if len(markers) > MAX_MARKERS:
            note = labels.get("markers_capped", "").format(shown=MAX_MARKERS, total=len(markers)) + " " + note
    font = 17 if large else 13
    box = (f"background:rgba(255,255,255,.92);padding:.5em .7em;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);"
           f"font:{font}px/1.35 system-ui,sans-serif;color:#111")
    if gaps:
        rows = [(GAP_COLOUR[palette], labels["gap"]), (COVERED_COLOUR, labels["covered"])]
    else:
        colours = PALETTES[palette][-len(breaks):] if breaks and len(breaks) < len(PALETTES[palette]) else PALETTES[palette]
        rows = [(NONE_COLOUR[palette], labels["none"])] + [
            (c, f"{lo}" if lo == hi else f"{lo}–{hi}") for (lo, hi), c in zip(breaks, colours)]
    m.add_child(_Control(_legend_html(legend_title, rows, note), "topleft", "malimap-legend", box, False))
    if caption:
        m.add_child(_Control(caption, "topright", "malimap-caption", box + ";max-width:40em", True))
    m.known_bounds = _per_layer(layer, "bounds", _bounds)
    m.fit_bounds(m.known_bounds)
    return m


def _bounds(layer: gpd.GeoDataFrame) -> list[list[float]]:
    minx, miny, maxx, maxy = layer.total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def event_markers(catalogue, interventions: pd.DataFrame, layer_by_level: dict[int, gpd.GeoDataFrame], when) -> pd.DataFrame:
    """One marker per event at the centre of the finest unit its place resolves to (no invented coordinates)."""
    from .joins import row_mask

    events = interventions[interventions["kind"] == "event"]
    loc = catalogue.locations
    loc = loc[row_mask(catalogue, events)[loc["iv_row"].to_numpy()] & (loc["reach"] == "activity").to_numpy() & loc["in_mali"].to_numpy()]
    lat_of, lon_of = {}, {}
    for level in sorted(layer_by_level):
        centres = unit_centres(layer_by_level[level])
        lat_of.update({p: c[0] for p, c in centres.items()})
        lon_of.update({p: c[1] for p, c in centres.items()})
    code = loc["adm3_pcode"].where(loc["adm3_pcode"].isin(lat_of),
                                   loc["adm2_pcode"].where(loc["adm2_pcode"].isin(lat_of), loc["adm1_pcode"]))
    code = code.replace(catalogue.boundaries.merged)
    lat = pd.to_numeric(loc["latitude"], errors="coerce").astype(float).fillna(code.map(lat_of))
    lon = pd.to_numeric(loc["longitude"], errors="coerce").astype(float).fillna(code.map(lon_of))
    rows = pd.DataFrame({"lat": lat.round(4), "lon": lon.round(4), "id": loc["intervention_id"]}).dropna().drop_duplicates()
    # events at the same place share one marker naming the first few
    groups = rows.groupby(["lat", "lon"], as_index=False).agg(ids=("id", list), n=("id", "size"))
    shown = {i for ids in groups["ids"] for i in ids[:3]}
    ev = events[events["id"].isin(shown)].set_index("id")
    fields = ev[["title_display", "start_date", "end_date", "dates_approximate"]].to_dict("index")

    def text(ids: list[str], k: int = 3) -> str:
        shown = " · ".join(f"{fields[i]['title_display']} ({when(fields[i])})" for i in ids[:k])
        return shown + (f" (+{len(ids) - k})" if len(ids) > k else "")

    groups["text"] = groups["ids"].map(text)
    return groups[["lat", "lon", "text", "n"]]


def map_html(m: folium.Map) -> str:
    """The full standalone HTML of a map, as a browser would receive it (for size budgets and tests)."""
    return m.get_root().render()


def dashboard_map(catalogue, items: pd.DataFrame, level: int, measure: str, *, lang: str, gaps: bool, presenter: bool,
                  tiles: bool, caption: str, reach: tuple[str, ...]) -> tuple[folium.Map, pd.DataFrame]:
    """The map page's map and the per-unit counts behind it (the same numbers the side panel lists)."""
    from .aggregate import count_by_unit
    from .charts import date_text
    from .i18n import label, t

    b = catalogue.boundaries
    merge = b.merged if level == 1 else {}
    counts = count_by_unit(catalogue, items, level, reach=reach, merge=merge)
    markers = event_markers(catalogue, items, {lv: b.layers[lv] for lv in b.levels if lv <= level},
                            when=lambda r: date_text(r, lang))
    note = t("map.attribution", lang, attribution=b.attribution)
    if merge:
        note = t("map.merged_note", lang) + " " + note
    if level > 1:
        note = t("map.precision_note", lang, level=label("level", str(level), lang).lower()) + " " + note
    labels = {"none": t("map.legend_none", lang), "gap": t("map.legend_gap", lang), "covered": t("map.legend_covered", lang),
              "markers_capped": t("map.markers_capped", lang),
              "tooltip_value": t(f"measure.{measure}", lang).lower()}
    title = t("map.legend_gaps_title", lang) if gaps else f"{t(f'measure.{measure}', lang)} · {label('level', str(level), lang)}"
    m = admin_choropleth(b.layers[level], counts, measure, legend_title=title, labels=labels, gaps=gaps,
                         palette="safe" if presenter else "default", caption=caption if presenter else "", note=note,
                         markers=markers, tiles=tiles, large=presenter)
    return m, counts
