"""Needs and gaps: units ranked by need with what was recorded there; high need and nothing recorded first."""

import streamlit as st

from malimap import ui
from malimap.counts.gaps import gap_screen_table, gap_summary, gap_table
from malimap.i18n import label, t
from malimap.outputs.exports import gaps_csv, gaps_excel

frame = ui.page_frame("gaps")
lang, cat = frame.lang, frame.catalogue
ui.header(frame, "gaps.title", "gaps.intro")
if ui.nothing_matches(frame):
    st.stop()
layer = ui.need_layer(lang)
if layer is None:
    st.info(t("gaps.no_layer", lang))
    st.stop()
st.caption(ui.plain(t("gaps.cite", lang, source=layer.citation)))
levels = [lv for lv in cat.boundaries.levels if lv <= layer.finest_level] or [1]
c1, c2 = st.columns(2)
with c1:
    level = ui.url_selectbox(
        lang,
        "glevel",
        t("gaps.level", lang),
        levels,
        lambda lv: label("level_plural", str(lv), lang).capitalize(),
        default=max(levels),
    )
with c2:
    beneficiaries = ui.url_toggle(lang, "benef", t("map.beneficiaries", lang))
f = frame.filters
table = gap_table(cat, frame.filtered, layer, level, beneficiaries, focus=(*f.regions, *f.cercles, *f.communes))
st.markdown(gap_summary(table, level, lang))
d1, d2 = st.columns(2)
d1.download_button(
    t("gaps.csv", lang),
    lambda: gaps_csv(table, frame.sentence, layer.citation, lang),
    "malimap-gaps.csv",
    "text/csv",
    width="stretch",
    on_click="ignore",
)
d2.download_button(
    t("gaps.excel", lang),
    lambda: gaps_excel(table, frame.sentence, layer.citation, lang),
    "malimap-gaps.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    width="stretch",
    on_click="ignore",
)
st.dataframe(gap_screen_table(table, lang), width="stretch", hide_index=True, height=min(700, 35 * (len(table) + 1) + 3))
