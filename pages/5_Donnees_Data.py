"""Data: the filtered records with sources and quotes, and downloads of exactly that selection."""

import streamlit as st

from malimap import ui
from malimap.i18n import t
from malimap.outputs.exports import conflicts_screen, export_table, screen_table, to_excel, to_geojson, to_hxl_csv

frame = ui.page_frame("data")
lang, cat = frame.lang, frame.catalogue
ui.header(frame, "data.title", "data.intro")
ui.upload_panel(frame)  # its own place at the top: an upload can add records even when the filters match nothing
ui.article_panel(frame)  # candidate records from an article, reviewed and kept as a package
if ui.nothing_matches(frame):
    st.stop()
items = frame.filtered
shown = items.head(ui.MAX_TABLE_ROWS)
table = export_table(cat, shown, lang, frame.sentence)

st.markdown(t("data.count", lang, n=len(items)))
c1, c2, c3 = st.columns(3)
# files are built only when asked for: a national dataset's Excel takes seconds, a rerun must not
c1.download_button(
    t("data.csv", lang),
    lambda: to_hxl_csv(export_table(cat, items, lang, frame.sentence)),
    "malimap-selection.csv",
    "text/csv",
    width="stretch",
    on_click="ignore",
)
c2.download_button(
    t("data.geojson", lang),
    lambda: to_geojson(cat, items, lang, frame.sentence),
    "malimap-selection.geojson",
    "application/geo+json",
    width="stretch",
    on_click="ignore",
)
c3.download_button(
    t("data.excel", lang),
    lambda: to_excel(cat, export_table(cat, items, lang, frame.sentence), items, frame.sentence, lang),
    "malimap-selection.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    width="stretch",
    on_click="ignore",
)
st.dataframe(screen_table(table, lang), width="stretch", hide_index=True, height=min(520, 35 * (len(table) + 1) + 3))
if len(items) > len(shown):
    st.caption(t("data.more", lang, shown=len(shown), total=len(items)))

st.subheader(t("data.records", lang))
shown = ui.display_titles(frame, items).sort_values("date_lo", na_position="last").head(ui.MAX_CARDS)
for _, row in shown.iterrows():
    ui.intervention_card(frame, row)
if len(items) > ui.MAX_CARDS:
    st.caption(t("data.more", lang, shown=ui.MAX_CARDS, total=len(items)))

with st.expander(t("data.conflicts", lang, n=len(cat.conflicts))):
    st.dataframe(conflicts_screen(cat.conflicts, lang), width="stretch", hide_index=True)
