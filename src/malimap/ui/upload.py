"""The Data page's upload: a 3W sheet added to this session's view only (never written to disk by the app)."""

from __future__ import annotations

import streamlit as st

from ..gazetteer import Gazetteer
from ..i18n import t
from ..joins import build_catalogue
from ..upload import UploadError, ingest, read_table, rejected_csv, template_csv
from .frame import Frame, shared_catalogue, shared_dataset


def upload_panel(frame: Frame) -> None:
    """Add a 3W sheet to this session's view; show accepted, rejected (downloadable) and unresolved rows."""
    lang = frame.lang
    st.subheader(t("upload.title", lang))
    st.markdown(t("upload.intro", lang))
    st.download_button(t("upload.template", lang), template_csv(), "malimap-3w-template.csv", "text/csv")
    file = st.file_uploader(t("upload.file", lang), type=["csv", "xlsx"], key="upload_file")
    if file is not None and st.session_state.get("upload", {}).get("name") != file.name + str(file.size):
        base = shared_catalogue()
        try:
            table = read_table(file.name, file.getvalue())
        except UploadError as exc:
            st.error(str(exc))
            return
        result = ingest(table, shared_dataset(), Gazetteer(base.boundaries.units), file.name)
        st.session_state["upload"] = {
            "name": file.name + str(file.size),
            "result": result,
            "catalogue": build_catalogue(result.dataset, base.boundaries),
        }
        st.rerun()
    if "upload" in st.session_state:
        _upload_result(lang, st.session_state["upload"]["result"])


def _upload_result(lang: str, result) -> None:
    c1, c2, c3 = st.columns(3)
    c1.metric(t("upload.accepted", lang), len(result.accepted))
    c2.metric(t("upload.rejected", lang), result.rejected["row"].nunique() if len(result.rejected) else 0)
    c3.metric(t("upload.unresolved", lang), len(result.unresolved))
    if len(result.rejected):
        st.dataframe(result.rejected[["row", "column", "value", "error"]], hide_index=True, width="stretch")
        st.download_button(t("upload.rejected_download", lang), rejected_csv(result), "malimap-rejected-rows.csv", "text/csv")
    if len(result.unresolved):
        st.dataframe(result.unresolved, hide_index=True, width="stretch")
    if st.button(t("upload.remove", lang)):
        del st.session_state["upload"]
        st.rerun()
