"""The map page's Streamlit side: the map view component, its controls in the URL, the unit panel and the gap list."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from malimap import config
from malimap.catalogue.build import Catalogue
from malimap.counts.coverage import MEASURES, NATIONAL, NEED_MEASURES, MapOptions, items_in_unit, unit_summary
from malimap.geo.gazetteer import fold
from malimap.i18n import composed, label, plain, t
from malimap.outputs.geometry import publish_geometry, publish_web, web_version
from malimap.outputs.legend import PATTERN_DEFS
from malimap.schema import LEVELS, level_of, parent_pcode
from malimap.ui.cards import intervention_card
from malimap.ui.frame import PAGES, Frame
from malimap.ui.state import shared_params, url_choice, url_selectbox, url_toggle

MAX_UNIT_CARDS = 10


# The component's own markup: a frame for the map and the fill patterns its SVG paths name (inside the same shadow root,
# so url(#…) finds them). Leaflet, the module and the CSS are linked by the module itself and cached by the browser: a
# rerun sends these few hundred bytes, a small loader and the map's values, never the code.
MAP_HTML = f'<div class="malimap-root"><div class="malimap-map"></div>{PATTERN_DEFS}</div>'
MAP_LOADER = """export default function (component) {
  var src = new URL(component.data.base + "mapview.js?v=" + component.data.version, document.baseURI).href;
  return import(src).then(function (m) { return m.render(component); });
}"""
FILES_NAME = "mapview"  # a v1 declaration, never rendered: Streamlit serves its folder (module, CSS, geometry files)
LEAFLET = "app/static/leaflet/"  # the app's own copy (static serving), offline as everything else


@st.cache_resource(show_spinner=False)
def _map_component(folder: str):
    """Declared once per server. The map itself is a Custom Component v2: drawn in the page (no iframe), its styles in a
    shadow root; the files it loads are served from the folder a v1 declaration publishes."""
    files = components.declare_component(FILES_NAME, path=str(publish_web(Path(folder))))
    version = web_version()
    mount = st.components.v2.component("malimap_map", html=MAP_HTML, js=MAP_LOADER, isolate_styles=True)
    return mount, f"component/{files.name}/", version


def geometry_ref(catalogue: Catalogue, level: int) -> dict[str, str]:
    """The URL (relative to the component) and cache key of a level's geometry, written on first use."""
    return publish_geometry(config.web_dir(), catalogue.boundaries.layers[level], level)


def map_click(key: str = "map") -> str | None:
    """The P-code of a unit the user has just clicked: a trigger value, there for the one rerun the click causes, read
    before the map is built so it is drawn selected."""
    value = st.session_state.get(key)
    unit = getattr(value, "unit", None) if value is not None else None
    return unit if isinstance(unit, str) and unit else None


def map_view(spec: dict, key: str = "map") -> None:
    mount, base, version = _map_component(str(config.web_dir()))
    data = {"spec": spec, "base": base, "leaflet": LEAFLET, "version": version}
    mount(data=data, key=key, on_unit_change=lambda: None, height="content")


def map_controls(frame: Frame, default_level: int, with_needs: bool = False):
    """The map's own choices, bound to the URL: in one row, or folded into an expander for presenting."""
    lang, levels = frame.lang, frame.catalogue.boundaries.levels
    box = st.expander(t("map.settings", lang)) if frame.presenter else st.container()
    with box:
        c1, c2, c3, c4 = st.columns(4)
        with c1:
            level = url_selectbox(
                lang, "level", t("map.level", lang), levels, lambda lv: label("level", str(lv), lang), default=default_level
            )
        with c2:
            measure = url_selectbox(
                lang,
                "measure",
                t("map.measure", lang),
                MEASURES + (NEED_MEASURES if with_needs else ()),
                lambda m: t(f"measure.{m}", lang),
            )
        with c3:
            gaps = url_toggle(lang, "gaps", t("map.gaps", lang))
            beneficiaries = url_toggle(lang, "benef", t("map.beneficiaries", lang))
        with c4:
            pinned = url_toggle(lang, "pin", t("map.pinned", lang), help=t("map.pinned_help", lang))
            tiles = url_toggle(lang, "tiles", t("map.tiles", lang), help=t("map.tiles_help", lang))
    return MapOptions(level=level, measure=measure, beneficiaries=beneficiaries, pinned=pinned), gaps, tiles


def unit_panel(frame: Frame, items: pd.DataFrame, options, coverage, clicked: str | None) -> str | None:
    """The side panel: pick a unit (or take the clicked one), see what it holds in numbers, read its first records."""
    lang, cat = frame.lang, frame.catalogue
    # names only, in name order: the list stays the same message across filter changes, so Streamlit sends a reference
    names = {**cat.unit_names, NATIONAL: t("map.national_name", lang)}
    codes = list(coverage.units.sort_values("name", key=lambda s: s.map(fold))["pcode"]) + list(coverage.coarse["pcode"])
    if sum(coverage.national):
        codes.append(NATIONAL)

    def label_of(p: str) -> str:
        up = parent_pcode(p)
        return composed(f"{names.get(p, p)} ({names.get(up, up)})" if up else names.get(p, p))

    unit = url_choice(lang, "unit", t("map.unit", lang), codes, label_of, t("map.unit_placeholder", lang), chosen=clicked)
    if not unit:
        return None
    inside = items_in_unit(cat, items, unit, options)
    word = t("map.records.one" if len(inside) == 1 else "map.records.other", lang)
    st.subheader(t("map.unit_heading", lang, name=names.get(unit, unit), n=len(inside), records=word))
    summary = unit_summary(inside)
    org_names = dict(zip(cat.organisations["id"], cat.organisations["name"]))
    lines = [
        f"**{t('map.by_kind', lang)}** · "
        + plain(", ".join(f"{label('kinds', k, lang)} {n}" for k, n in summary["kinds"].items())),
        f"**{t('map.by_year', lang)}** · "
        + plain(
            ", ".join(f"{y}: {n}" for y, n in summary["per_year"].items())
            + (f"; {t('map.undated', lang, n=summary['undated'])}" if summary["undated"] else "")
        ),
        f"**{t('map.by_org', lang)}** · "
        + plain(", ".join(f"{org_names.get(o, o)} ({n})" for o, n in summary["organisations"].items())),
    ]
    st.markdown("  \n".join(lines))
    level = level_of(unit)
    if level and len(inside) > MAX_UNIT_CARDS:
        st.page_link(
            PAGES["data"],
            label=t("map.all_records", lang, n=len(inside), name=names.get(unit, unit)),
            query_params={**shared_params(*LEVELS.values()), LEVELS[level]: unit},
            icon="📄",
        )
    shown = inside.sort_values("date_lo", na_position="last").head(MAX_UNIT_CARDS)
    if len(inside) > len(shown):
        st.caption(t("map.cards_shown", lang, shown=len(shown), total=len(inside)))
    for _, row in shown.iterrows():
        intervention_card(frame, row)
    return unit


def gap_list(frame: Frame, coverage) -> None:
    """Units with nothing recorded: their names when few, else how many per region (700 names help nobody)."""
    lang, units = frame.lang, coverage.units
    gaps = units[units["value"] == 0]
    levels = t(f"level_plural.{coverage.level}", lang)
    with st.expander(t("map.gap_list", lang, n=len(gaps), levels=levels)):
        if len(gaps) <= 60:
            st.markdown(plain(", ".join(gaps["name"].sort_values(key=lambda s: s.map(fold)))) or "—")
            return
        region = gaps["pcode"].str[:4]
        total = units["pcode"].str[:4].value_counts()
        per = region.value_counts()
        st.markdown(
            plain(
                "; ".join(
                    t("map.gaps_in_region", lang, name=frame.catalogue.unit_names.get(r, r), n=n, total=total[r])
                    for r, n in sorted(per.items(), key=lambda kv: fold(frame.catalogue.unit_names.get(kv[0], kv[0])))
                )
            )
        )
