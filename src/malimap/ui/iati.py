"""The Data page's view of an uploaded IATI file: what became of every activity, where its places were found, keep it."""

from __future__ import annotations

import functools

import streamlit as st

from malimap.i18n import t
from malimap.iati.keep import IatiReport, package_zip
from malimap.ui.frame import shared_dataset

PLACE_WAYS = ("point", "pcode", "name", "fuzzy", "border", "mali_wide", "no_location", "abroad", "office", "unresolved")
REPORT_COLUMNS = ("file", "position", "identifier", "title", "outcome", "reasons", "places")


def iati_result(lang: str, state: dict) -> None:
    report: IatiReport = state["report"]
    counts = report.counts()
    st.caption(t("iati.active", lang, n=counts.get("imported", 0) + counts.get("flagged", 0)))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("iati.read", lang), len(report.activities))
    c2.metric(t("iati.imported", lang), counts.get("imported", 0))
    c3.metric(t("iati.flagged", lang), counts.get("flagged", 0))
    c4.metric(t("iati.skipped", lang), counts.get("skipped", 0))
    st.markdown(t("iati.places", lang, **{k: report.places.get(k, 0) for k in PLACE_WAYS}))
    for refused in report.refused:
        st.error(t("iati.refused", lang))
        st.text(refused)
    table = report.activities[list(REPORT_COLUMNS)].rename(columns={c: t(f"iati.col.{c}", lang) for c in REPORT_COLUMNS})
    table[t("iati.col.outcome", lang)] = report.activities["outcome"].map(lambda o: t(f"iati.outcome.{o}", lang))
    st.dataframe(table, hide_index=True, width="stretch")
    name = state["name"]
    d1, d2, d3 = st.columns(3)
    d1.download_button(
        t("iati.report_download", lang),
        report_csv(report),
        "malimap-iati-report.csv",
        "text/csv",
        on_click="ignore",
    )
    # made when clicked, outside the script run: everything it needs is bound now, never read from the session
    d2.download_button(
        t("upload.keep", lang),
        functools.partial(package_zip, state["new"], shared_dataset()),
        f"malimap-iati-{name.rsplit('.', 1)[0][:40]}.zip",
        "application/zip",
        help=t("iati.keep_help", lang),
        on_click="ignore",
    )
    if d3.button(t("upload.remove", lang)):
        del st.session_state["upload"]
        st.rerun()


def report_csv(report: IatiReport) -> bytes:
    """One line per activity, for a spreadsheet: a cell that starts like a formula is prefixed so it stays text."""
    out = report.activities.copy()
    for col in out.columns:
        out[col] = out[col].astype(str).map(lambda v: "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v)
    return out.to_csv(index=False).encode("utf-8-sig")
