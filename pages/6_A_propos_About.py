"""About: the sources, the method, the boundaries in use and the licences."""

import streamlit as st

from malimap import ui
from malimap.i18n import t

frame = ui.page_frame("about")
lang, cat = frame.lang, frame.catalogue
ui.header(frame, "about.title")
st.subheader(t("about.sources", lang))
for _, s in cat.sources.iterrows():
    n = int((cat.interventions["source_id"] == s["id"]).sum())
    st.markdown(
        f"- **{ui.plain(s['title'])}** — {ui.plain(s['publisher'] or t('about.unknown_publisher', lang))}, "
        f"{ui.plain(s['published'] or t('about.undated', lang))} · {ui.plain(s['file'])} · " + t("about.records", lang, n=n)
    )
st.subheader(t("about.method", lang))
st.markdown(t("about.method_text", lang))
st.subheader(t("about.boundaries", lang))
ui.boundaries_note(frame)
st.subheader(t("about.licences", lang))
st.markdown(t("about.licences_text", lang))
st.subheader(t("about.admin", lang))
st.markdown(t("about.admin_text", lang))
st.code(
    f"{t('home.dataset_path', lang)} {ui.data_dir()}\n"
    f"python -m malimap validate {ui.data_dir()}\npython -m malimap boundaries status\n"
    "python -m malimap boundaries import PATH   # or: boundaries fetch (online)\n"
    "python -m malimap layers import FILE --source '…' --licence '…' --year YYYY   # need figures per unit\n"
    "python -m malimap layers status",
    language=None,
)
