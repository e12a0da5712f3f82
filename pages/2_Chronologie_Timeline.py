"""Timeline: programmes and projects as bars at the precision their sources give, events as markers, and a count per year."""

import streamlit as st

from malimap import ui
from malimap.counts.aggregate import timeline_groups
from malimap.counts.yearly import count_by_year
from malimap.i18n import t
from malimap.outputs.charts import timeline_figure, year_counts_figure

frame = ui.page_frame("timeline")
lang = frame.lang
ui.header(frame, "timeline.title", "timeline.intro")
if ui.nothing_matches(frame):
    st.stop()

group = ui.url_selectbox(
    lang, "group", t("timeline.group_by", lang), ("programme", "organisation"), lambda g: t(f"timeline.group_{g}", lang)
)
items = ui.display_titles(frame, frame.filtered)
all_titles = dict(
    zip(frame.catalogue.interventions["id"], ui.display_titles(frame, frame.catalogue.interventions)["title_display"])
)
items["group"] = timeline_groups(frame.catalogue, items, group, all_titles)

large, safe = frame.presenter, frame.presenter
st.plotly_chart(timeline_figure(items, "group", lang, large=large, safe=safe), width="stretch")
st.caption(t("timeline.legend_note", lang))
st.plotly_chart(year_counts_figure(count_by_year(frame.catalogue, items), lang, large=large, safe=safe), width="stretch")
undated = items[items["date_lo"].isna()]
if len(undated):
    with st.expander(t("timeline.undated", lang, n=len(undated))):
        st.markdown("\n".join(f"- {ui.plain(x)}" for x in undated["title_display"]))
