"""The current map as one self-contained HTML file, built with folium: units coloured as on screen, the legend and the
filters, a popup per unit listing its records with their sources, attribution and date. Leaflet's script and style are
inlined from the app's own copy and no tile layer is added, so the file opens from an e-mail or a USB stick with no
server and no internet (folium's default CDN links are removed, never fetched)."""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape

import folium
import pandas as pd
from folium.features import GeoJsonPopup, GeoJsonTooltip

from malimap import config
from malimap.catalogue.build import Catalogue
from malimap.counts.aggregate import source_citations
from malimap.counts.coverage import MapOptions, items_by_unit
from malimap.i18n import t
from malimap.outputs.geometry import geometry_payload
from malimap.outputs.legend import PATTERN_DEFS, num, unit_fill
from malimap.outputs.map_spec import unpack
from malimap.schema import LEVEL_OF_LENGTH

POPUP_RECORDS = 6  # a popup lists this many records of a unit, then says how many more (the Data page has them all)
TITLE_CHARS = 140  # a record's title in a popup, cut with "…" beyond this: 701 popups stay within the file budget


def _text(value: str) -> str:
    """Text for an element's content (a popup): <, > and & escaped; quotes may stay, no attribute is written."""
    return escape(value, quote=False)


def _popup(name: str, records: pd.DataFrame | None, numbers: dict[str, int], when: Callable, lang: str) -> str:
    """A unit's records, each with its dates and its source's number in the file's list of sources (escaped: every
    string is data, never markup)."""
    head = _text(name)
    if records is None or records.empty:
        return f"{head}\n{_text(t('html.nothing', lang))}"
    lines = []
    for _, r in records.head(POPUP_RECORDS).iterrows():
        title = str(r["title_display"] or r["title"])
        title = title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"
        source = numbers.setdefault(r["source_id"], len(numbers) + 1)
        lines.append(f"• {_text(title)} ({_text(when(r))}) [{source}]")
    more = len(records) - POPUP_RECORDS
    lines += [_text(t("html.more", lang, n=more))] if more > 0 else []
    n = t("map.records.one" if len(records) == 1 else "map.records.other", lang)
    return "\n".join([f"{head} · {len(records)} {_text(n)}", *lines])  # plain lines (CSS pre-line): no markup to weigh


def _sources(numbers: dict[str, int], cited: dict[str, str], lang: str, box: str) -> str:
    """The sources the popups cite, numbered, folded under the credit line."""
    items = "".join(f"<li value='{n}'>{escape(cited.get(s, s))}</li>" for s, n in sorted(numbers.items(), key=lambda kv: kv[1]))
    return (
        f"<details class='malimap-html-sources' style='{box};top:80px;right:10px;max-width:32em;max-height:60vh;"
        f"overflow:auto'><summary>{escape(t('html.sources', lang, n=len(numbers)))}</summary><ol>{items}</ol></details>"
    )


POPUP_CSS = (
    ".leaflet-popup-content{white-space:pre-line;font:13px/1.4 system-ui,sans-serif}"
    ".leaflet-popup-content::first-line{font-weight:600}.leaflet-interactive:focus{outline:none}"
)
BOX = (
    "position:fixed;z-index:1000;background:rgba(255,255,255,.94);padding:.5em .7em;border-radius:4px;"
    "box-shadow:0 1px 4px rgba(0,0,0,.3);font:13px/1.35 system-ui,sans-serif;color:#111"
)


def _legend(spec: dict, title: str, sentence: str, stamp: str, attribution: str, national: str) -> str:
    rows = []
    for swatch, text in spec["legend"]["rows"]:
        style = {
            "hatch": "background:repeating-linear-gradient(45deg,#333 0 2px,#fff 2px 6px)",
            "coarse": "border:2px dashed #111;background:transparent",
            "dots": "background:radial-gradient(circle,#737373 1.1px,#fff 1.6px) 0 0/6px 6px",
            "event": "border-radius:50%;background:#fff;border:2px solid #222",
        }.get(swatch, f"background:{escape(swatch)}")
        rows.append(
            f"<div style='display:flex;gap:.4em;align-items:center'><span style='width:1.1em;height:1.1em;"
            f"border:1px solid #555;flex:none;{style}'></span><span>{escape(text)}</span></div>"
        )
    box = BOX
    head = (
        f"<div class='malimap-html-title' style='{box};top:10px;left:60px;right:10px;max-width:60em'>"
        f"<b style='font-size:16px'>{escape(title)}</b><br>{escape(sentence)}</div>"
    )
    legend = (
        f"<div class='malimap-html-legend' style='{box};bottom:30px;left:10px;max-width:22em'>"
        f"<b>{escape(spec['legend']['title'])}</b>{''.join(rows)}"
        + (f"<div style='margin-top:.3em;font-weight:600'>{escape(national)}</div>" if national else "")
        + f"<div style='margin-top:.3em;font-size:.8em'>{escape(spec['legend'].get('sentence', ''))}</div></div>"
    )
    foot = (
        f"<div class='malimap-html-credit' style='{box};bottom:22px;right:4px;font-size:11px;max-width:50em'>"
        f"{escape(attribution)} · {escape(stamp)}</div>"
    )
    return head + legend + foot


def _counted(value, cls: int, words: dict, lang: str) -> str:
    """A unit's figure in its tooltip, as the screen says it: unknown, need and nothing recorded, or the number."""
    if cls == -3:
        return words["unknown"]
    if value is None:  # a need-weighted measure where need meets no record
        return words["infinite"]
    shown = num(value, lang) if isinstance(value, float) and not value.is_integer() else f"{int(value)}"
    return f"{shown} {words['one'] if value == 1 else words['other']}"


def _coarse(m: folium.Map, spec: dict, catalogue: Catalogue) -> None:
    """Records known only at a broader level: the broader unit's dashed outline and its "↑ n" label, as on screen."""
    layers = catalogue.boundaries.layers
    for c in spec.get("coarse") or []:
        lv = LEVEL_OF_LENGTH.get(len(c["p"]))
        if lv in layers:
            shape = layers[lv][layers[lv]["pcode"] == c["p"]]
            folium.GeoJson(
                shape[["geometry"]].to_json(),
                interactive=False,
                style_function=lambda f: {"fill": False, "color": "#111", "weight": 2.5, "dashArray": "6 5"},
            ).add_to(m)
        label = (
            "<div style='background:rgba(255,255,255,.9);border:1px dashed #222;border-radius:3px;padding:1px 4px;"
            f"white-space:nowrap;font:600 13px system-ui,sans-serif;display:inline-block'>{escape(c['text'])}</div>"
        )
        folium.Marker([c["lat"], c["lon"]], icon=folium.DivIcon(html=label, icon_size=None), tooltip=escape(c["title"])).add_to(m)


def map_html(
    catalogue: Catalogue,
    spec: dict,
    items: pd.DataFrame,
    options: MapOptions,
    *,
    title: str,
    sentence: str,
    stamp: str,
    lang: str,
    when: Callable,
) -> str:
    """The map of `spec` (what the screen shows) as a standalone HTML page; see the module docstring.

    Long because it draws the page's layers in paint order (units, outlines, circles, legend, title); each step is a call."""
    level = options.level
    layer = catalogue.boundaries.layers[level]
    fc = json.loads(geometry_payload(layer, level)[1])
    classes, values, planned = unpack(spec)
    per_unit = items_by_unit(catalogue, items, level, options)
    cited = source_citations(catalogue)
    numbers: dict[str, int] = {}  # source id -> its number in the file's list, in order of use
    words = spec["words"]
    for i, feature in enumerate(fc["features"]):
        props = feature["properties"]
        value = values[i]
        counted = _counted(value, classes[i], words, lang)
        props.update(
            fill=unit_fill(spec, classes[i]),
            n=escape(props["n"]),
            v=escape(counted + (" · " + words["planned"].replace("{n}", str(planned[i])) if planned[i] else "")),
            popup=_popup(props["n"], per_unit.get(props["p"]), numbers, when, lang),
        )
    (s, w), (n, e) = spec["bounds"]
    m = folium.Map(location=[(s + n) / 2, (w + e) / 2], tiles=None, zoom_start=5, zoom_snap=0.25)
    m.default_js, m.default_css = [], []  # folium's CDN links go: Leaflet is inlined below, nothing else is needed
    root = m.get_root()
    assert isinstance(root, folium.Figure)  # a Map's root is the page it is drawn in
    leaflet = config.static_dir() / "leaflet"
    root.header.add_child(
        folium.Element(f"<style>{(leaflet / 'leaflet.css').read_text(encoding='utf-8')}</style>"), "leaflet_css"
    )
    root.header.add_child(folium.Element(f"<script>{(leaflet / 'leaflet.js').read_text(encoding='utf-8')}</script>"), "leaflet")
    root.header.add_child(folium.Element(f"<title>{escape(title)}</title>"), "title")
    root.header.add_child(folium.Element(f"<style>{POPUP_CSS}</style>"), "popup_css")
    folium.GeoJson(
        fc,
        name=title,
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "fillOpacity": 0.88, "color": "#4d4d4d", "weight": 0.8},
        highlight_function=lambda f: {"weight": 3, "color": "#000"},
        tooltip=GeoJsonTooltip(fields=["n", "v"], labels=False),
        popup=GeoJsonPopup(fields=["popup"], labels=False, max_width=420, auto_pan_padding_top_left=(20, 90)),
    ).add_to(m)
    hatched = [  # the outline only: the unit's popup and figures are on the unit itself
        {"type": "Feature", "geometry": f["geometry"], "properties": {}}
        for i, f in enumerate(fc["features"])
        if planned[i] and classes[i] != -2
    ]
    if hatched:  # planned-only work: hatched over the unit's colour, never counted (the legend says so)
        folium.GeoJson(
            {"type": "FeatureCollection", "features": hatched},
            interactive=False,
            style_function=lambda f: {"fillColor": "url(#malimap-hatch)", "fillOpacity": 1, "stroke": False},
        ).add_to(m)
    _coarse(m, spec, catalogue)
    for marker in spec.get("markers") or []:
        folium.CircleMarker(
            [marker["lat"], marker["lon"]],
            radius=spec["marker_radius"] + min(marker["n"], 6),
            color="#222",
            weight=1.5,
            fill=True,
            fill_color="#fff",
            fill_opacity=0.95,
            tooltip=escape(marker["text"]),
        ).add_to(m)
    m.fit_bounds([[s, w], [n, e]], padding_top_left=(330, 80), padding_bottom_right=(10, 60))  # clear of the boxes
    national = (spec.get("national") or {}).get("text", "")
    attribution = catalogue.boundaries.attribution
    overlay = PATTERN_DEFS + _legend(spec, title, sentence, stamp, attribution, national) + _sources(numbers, cited, lang, BOX)
    root.html.add_child(folium.Element(overlay))
    return root.render()
