"""Map: a choropleth of interventions per region, cercle or commune, coverage gaps, and what happened in a unit."""

import streamlit as st
from streamlit_folium import st_folium

from malimap import ui
from malimap.aggregate import MEASURES, interventions_in_unit
from malimap.i18n import label, t
from malimap.maps import dashboard_map

frame = ui.page_frame("map")
lang, cat = frame.lang, frame.catalogue
ui.header(frame, "map.title", "map.intro")
b = cat.boundaries

c1, c2, c3, c4 = st.columns(4)
with c1:
    level = ui.url_selectbox(lang, "level", t("map.level", lang), b.levels, lambda lv: label("level", str(lv), lang),
                             default=max(b.levels))
with c2:
    measure = ui.url_selectbox(lang, "measure", t("map.measure", lang), MEASURES, lambda m: t(f"measure.{m}", lang))
with c3:
    gaps = ui.url_toggle(lang, "gaps", t("map.gaps", lang))
    beneficiaries = ui.url_toggle(lang, "benef", t("map.beneficiaries", lang), default=True)
with c4:
    tiles = ui.url_toggle(lang, "tiles", t("map.tiles", lang), help=t("map.tiles_help", lang))

items = ui.display_titles(frame, frame.filtered)
reach = ("activity", "beneficiaries") if beneficiaries else ("activity",)
m, counts = dashboard_map(cat, items, level, measure, lang=lang, gaps=gaps, presenter=frame.presenter, tiles=tiles,
                          caption=frame.sentence, reach=reach)

left, right = st.columns([3, 2])
with left:
    out = st_folium(m, key="map", height=720 if frame.presenter else 600, use_container_width=True,
                    returned_objects=["last_active_drawing"])
    covered = int((counts[measure] > 0).sum())
    st.markdown(t("map.coverage", lang, covered=covered, total=len(counts), level=label("level", str(level), lang).lower()))
with right:
    clicked = ((out or {}).get("last_active_drawing") or {}).get("properties", {}).get("pcode")
    if clicked == st.session_state.get("_last_click"):
        clicked = None  # the same click reported again on rerun: keep whatever the user picked since
    else:
        st.session_state["_last_click"] = clicked
    ranked = counts.sort_values(["interventions", "name"], ascending=[False, True])
    names = dict(zip(counts["pcode"], counts["name"]))
    values = counts.set_index("pcode")[measure]
    unit = ui.url_choice(lang, "unit", t("map.unit", lang), ranked["pcode"], lambda p: f"{names.get(p, p)} ({values[p]})",
                         t("map.unit_placeholder", lang), chosen=clicked)
    if unit:
        inside = interventions_in_unit(cat, items, unit, merge=b.merged if level == 1 else {})
        st.subheader(f"{names.get(unit, unit)} · {len(inside)}")
        for _, row in inside.sort_values("date_lo", na_position="last").iterrows():
            ui.intervention_card(frame, row)

gap_names = counts.loc[counts[measure] == 0, "name"].sort_values()
with st.expander(t("map.gap_list", lang, n=len(gap_names), level=label("level", str(level), lang).lower())):
    st.markdown(ui.plain(", ".join(gap_names)) or "—")
ui.elsewhere(frame, items)
