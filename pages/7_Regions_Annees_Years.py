"""Regions × years: initiatives active per unit per year with the map's rules; click a cell to read its records."""

import streamlit as st

from malimap import ui
from malimap.counts.coverage import MapOptions
from malimap.counts.yearly import active_spans, records_in_cell, unit_year_matrix, unit_years
from malimap.i18n import label, t
from malimap.outputs.charts import unit_year_heatmap
from malimap.outputs.exports import unit_years_csv, unit_years_excel
from malimap.outputs.legend import measure_words

frame = ui.page_frame("years")
lang, cat = frame.lang, frame.catalogue
ui.header(frame, "years.title", "years.intro")
if ui.nothing_matches(frame):
    st.stop()
items = ui.display_titles(frame, frame.filtered)
c1, c2, c3 = st.columns(3)
with c1:
    level = ui.url_selectbox(
        lang,
        "ylevel",
        t("years.level", lang),
        [lv for lv in (1, 2, 3) if lv in cat.boundaries.levels or lv == 2],
        lambda lv: label("level_plural", str(lv), lang).capitalize(),
        default=1,
    )
with c2:
    measure = ui.url_selectbox(
        lang, "ymeasure", t("years.measure", lang), ("initiatives", "events"), lambda m: t(f"measure.{m}", lang)
    )
with c3:
    beneficiaries = ui.url_toggle(lang, "benef", t("map.beneficiaries", lang))
options = MapOptions(level=level, measure=measure, beneficiaries=beneficiaries)
f = frame.filters
long = unit_years(cat, items, options, year_range=(f.year_from, f.year_to), focus=(*f.regions, *f.cercles, *f.communes))
counted, planned = unit_year_matrix(long, measure)
names = {
    p: (
        t("years.coarser", lang, name=cat.unit_names.get(p, p), level=label("level", str(len(p) // 2 - 1), lang).lower())
        if len(p) < 2 + 2 * level
        else cat.unit_names.get(p, p)
    )
    for p in counted.index
}
spans = active_spans(cat, items)
st.caption(t("years.notes", lang, undated=int(items["year_start"].isna().sum()), open=int(spans["open_ended"].sum())))

chosen = None
if len(counted):
    words = {**measure_words(measure, lang), "planned": t("map.legend_planned", lang)}
    event = st.plotly_chart(
        unit_year_heatmap(counted, planned, names, words, large=frame.presenter, safe=frame.presenter),
        width="stretch",
        on_select="rerun",
        selection_mode="points",
        key="heat",
    )
    selection: dict = dict(event.get("selection") or {}) if event else {}
    points = selection.get("points", [])
    chosen = next((tuple(p["customdata"]) for p in points if p.get("customdata")), None)
    d1, d2, d3 = st.columns(3)
    d1.download_button(
        t("years.csv", lang),
        lambda: unit_years_csv(long, frame.sentence, lang),
        "malimap-units-years.csv",
        "text/csv",
        width="stretch",
        on_click="ignore",
    )
    d2.download_button(
        t("years.csv_fr", lang),
        lambda: unit_years_csv(long, frame.sentence, lang, sep=";"),
        "malimap-unites-annees.csv",
        "text/csv",
        width="stretch",
        on_click="ignore",
    )
    d3.download_button(
        t("years.excel", lang),
        lambda: unit_years_excel(long, counted, names, frame.sentence, lang),
        "malimap-units-years.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        width="stretch",
        on_click="ignore",
    )
    with st.expander(t("years.table", lang)):
        st.dataframe(counted.rename(index=names, columns=str), width="stretch")
    e1, e2 = st.columns(2)
    unit = e1.selectbox(
        t("years.unit", lang),
        list(counted.index),
        format_func=lambda p: names.get(p, p),
        index=None,
        key=f"cell_unit:{lang}",
        placeholder=t("years.pick", lang),
    )
    year = e2.selectbox(
        t("years.year", lang), list(counted.columns), index=None, key=f"cell_year:{lang}", placeholder=t("years.pick", lang)
    )
    if unit and year:
        chosen = (unit, int(year))
if chosen:
    inside = records_in_cell(cat, items, long, chosen[0], int(chosen[1]))
    st.subheader(t("years.cell", lang, name=names.get(chosen[0], chosen[0]), year=chosen[1], n=len(inside)))
    for _, row in inside.sort_values("date_lo", na_position="last").head(ui.MAX_UNIT_CARDS).iterrows():
        ui.intervention_card(frame, row)
    if len(inside) > ui.MAX_UNIT_CARDS:
        st.caption(t("map.cards_shown", lang, shown=ui.MAX_UNIT_CARDS, total=len(inside)))
