"""Overview: what the dataset holds, which boundaries are active, what did not join."""

import streamlit as st

from malimap import ui
from malimap.i18n import t

frame = ui.page_frame("home")
lang, cat = frame.lang, frame.catalogue
ui.header(frame, "home.title", "home.intro")
ui.nothing_matches(frame)  # the counts below stay: zeros are the honest answer

iv = frame.filtered
kinds = ["programme", "project", "event"] + (["presence"] if (cat.interventions["kind"] == "presence").any() else [])
cols = st.columns(len(kinds) + 3)
for col, key in zip(cols, kinds):
    col.metric(t(f"home.count_{key}", lang), int((iv["kind"] == key).sum()))
more = cols[len(kinds) :]
more[0].metric(t("home.count_orgs", lang), len({o for ids in iv["organisation_ids"] for o in ids}))
more[1].metric(t("home.count_places", lang), int(cat.locations["intervention_id"].isin(iv["id"]).sum()))
more[2].metric(t("home.count_sources", lang), iv["source_id"].nunique())

st.subheader(t("home.pages", lang))
st.markdown(t("home.pages_list", lang))

st.subheader(t("home.boundaries", lang))
ui.boundaries_note(frame)

report = cat.report.counts()
st.subheader(t("home.join", lang))
st.markdown(t("home.join_text", lang, **report, total=len(cat.locations)))
