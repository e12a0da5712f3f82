"""The Data page's upload: a 3W sheet added to this session's view only (never written to disk by the app)."""

from __future__ import annotations

import functools
import hashlib
import re
import time

import pandas as pd
import streamlit as st

from malimap.i18n import plain, t
from malimap.schema import level_of
from malimap.sheets.columns import template_csv
from malimap.sheets.packages import package_zip
from malimap.sheets.places import PICKED
from malimap.sheets.reader import MAX_BYTES, UploadError
from malimap.sheets.three_w import UploadResult, rejected_csv
from malimap.sheets.worker import attach, iati_in_worker, ingest_in_worker
from malimap.ui.frame import Frame, data_dir, public_mode, shared_catalogue, shared_dataset
from malimap.ui.iati import iati_result

PLACE_WAYS = ("exact", "fuzzy", "v03", "corrected", "abroad", "unresolved", "none")


def upload_panel(frame: Frame) -> None:
    """At the top of the Data page: add a 3W sheet to this session's view and see what became of every row."""
    lang = frame.lang
    active = st.session_state.get("upload")
    with st.expander(t("upload.title", lang), expanded=active is not None):
        st.markdown(t("upload.intro", lang))
        st.download_button(t("upload.template", lang), template_csv(), "malimap-3w-template.csv", "text/csv", on_click="ignore")
        st.markdown(uploader_css(lang), unsafe_allow_html=True)
        file = st.file_uploader(t("upload.file", lang), type=["csv", "xlsx", "xml", "zip"], key="upload_file")
        if file is not None:
            data = file.getvalue()
            fingerprint = hashlib.sha1(data).hexdigest()  # the same name with new content is a new upload
            if (active or {}).get("fingerprint") != fingerprint:
                _ingest(file.name, data, fingerprint, lang)
        state = st.session_state.get("upload")
        if state is not None and state.get("kind") == "iati":
            iati_result(lang, state)
        elif state is not None:
            _upload_result(lang, state["result"])


def uploader_css(
    lang: str, key: str = "upload_file", kinds: str = "CSV, XLSX, XML, ZIP", mb: int = MAX_BYTES // 1_000_000
) -> str:
    """Streamlit's uploader says 'Upload' and '20MB per file' in English only: the page's words are drawn over them
    (CSS generated content), so a French screen stays French. Scoped to the uploader with this key (each says its own
    file kinds)."""
    button, limit = _css_string(t("upload.button", lang)), _css_string(t("upload.limit", lang, mb=mb, kinds=kinds))
    scope = f".st-key-{key}"
    zone, hint = (
        f"{scope} [data-testid=stFileUploaderDropzone] button p",
        f"{scope} [data-testid=stFileUploaderDropzoneInstructions] span",
    )
    return (
        f"<style>{zone}, {hint} {{ font-size: 0 !important; }}"
        f"{zone}::after {{ content: {button}; font-size: 1rem; }}"
        f"{hint}::after {{ content: {limit}; font-size: .85rem; }}</style>"
    )


def _css_string(text: str) -> str:
    """A quoted CSS string: quotes and backslashes escaped, markup characters dropped (our own strings, but still)."""
    return '"' + "".join(c for c in text if c not in "<>").replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ticker(name: str, lang: str):
    """A line that counts the seconds while the worker reads. Writing it is also where Streamlit stops this run when the
    session ends or the user moves on, and the upload_worker then kills the abandoned upload's worker."""
    line = st.empty()
    began = time.monotonic()
    shown = -1

    def tick() -> None:
        nonlocal shown
        seconds = int(time.monotonic() - began)
        if seconds != shown:
            shown = seconds
            line.caption(t("upload.reading", lang, name=plain(name), s=seconds))

    return tick


def _ingest(name: str, data: bytes, fingerprint: str, lang: str) -> None:
    if name.lower().endswith((".xml", ".zip")):
        return _ingest_iati(name, data, fingerprint, lang)
    try:
        table, result, catalogue = ingest_in_worker(name, data, data_dir(), public_mode(), lang, tick=_ticker(name, lang))
    except UploadError as exc:
        st.error(exc.markdown(lang))
        return
    _keep(name, fingerprint, table, result, catalogue)
    st.rerun()


def _ingest_iati(name: str, data: bytes, fingerprint: str, lang: str) -> None:
    from malimap.dataset import DatasetError

    try:
        report, new, catalogue = iati_in_worker(name, data, data_dir(), public_mode(), lang, tick=_ticker(name, lang))
    except UploadError as exc:
        st.error(exc.markdown(lang))
        return
    except DatasetError as exc:
        st.error(t("iati.invalid", lang, n=len(exc.issues)))
        st.code("\n".join(str(i) for i in exc.issues[:20]), language=None)
        return
    st.session_state["upload"] = {
        "kind": "iati",
        "name": name,
        "fingerprint": fingerprint,
        "report": report,
        "new": new,
        "catalogue": attach(catalogue, shared_catalogue().boundaries),
    }
    st.rerun()


def _keep(name: str, fingerprint: str, table: pd.DataFrame, result: UploadResult, catalogue) -> None:
    """This session's upload: the sheet as read (for fixes), what became of each row, and the view that includes it."""
    st.session_state["upload"] = {
        "name": name,
        "fingerprint": fingerprint,
        "table": table,
        "result": result,
        "catalogue": attach(catalogue, shared_catalogue().boundaries),
    }


MAX_FIXES = 20


def _fix_places(lang: str, result: UploadResult) -> None:
    """Each unresolved place offers its suggestions; what the user picks is written on the row, which is checked again."""
    choices: list[tuple[int, str, dict[str, str]]] = []
    for r in result.unresolved.head(MAX_FIXES).itertuples():
        names = {code: name.strip() for name, code in re.findall(r"([^;]+?) \((ML\d+)\)", str(r.suggestions or ""))}
        if names:
            choices.append((int(r.row), str(r.text), names))
    if not choices:
        return
    with st.form("upload_fixes"):
        st.markdown(t("upload.fix", lang))
        picked: dict[int, str | None] = {}
        for row, text, names in choices:
            label = functools.partial(_fix_label, names=names, lang=lang)
            options: list = [None, *names]
            picked[row] = st.selectbox(
                t("upload.fix_row", lang, row=row, text=plain(text)), options, key=f"fix:{row}", format_func=label
            )
        if st.form_submit_button(t("upload.fix_apply", lang)):
            _apply_fixes({row: code for row, code in picked.items() if code}, lang)


def _fix_label(code: str | None, names: dict[str, str], lang: str) -> str:
    return t("upload.fix_none", lang) if code is None else f"{names.get(code, code)} ({code})"


def _apply_fixes(fixes: dict, lang: str) -> None:
    """The chosen P-code goes in the row's column of its level (finer names of that row are cleared), then re-checked."""
    state = st.session_state["upload"]
    table = state["table"].copy()
    if PICKED not in table:
        table[PICKED] = ""
    for row, code in fixes.items():
        level = level_of(code) or 1
        table.loc[row, f"adm{level}_pcode"] = code
        for finer in range(level + 1, 4):
            table.loc[row, [f"adm{finer}_name", f"adm{finer}_pcode"]] = ""
        table.loc[row, "place_name"] = ""
        table.loc[row, PICKED] = "1"
    tick = _ticker(state["name"], lang)
    _, result, catalogue = ingest_in_worker(state["name"], b"", data_dir(), public_mode(), lang, table=table, tick=tick)
    _keep(state["name"], state["fingerprint"], table, result, catalogue)
    st.rerun()


def _headed(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    return df.rename(columns={c: t(f"upload.col.{c}", lang) for c in df.columns})


def _upload_result(lang: str, result: UploadResult) -> None:
    st.caption(t("upload.active", lang, name=plain(st.session_state["upload"]["name"]), n=len(result.accepted)))
    c1, c2, c3 = st.columns(3)
    c1.metric(t("upload.accepted", lang), len(result.accepted))
    c2.metric(t("upload.rejected", lang), result.rejected["row"].nunique() if len(result.rejected) else 0)
    c3.metric(t("upload.unresolved", lang), len(result.unresolved))
    counts = result.place_counts()
    st.markdown(t("upload.places", lang, **{k: counts.get(k, 0) for k in PLACE_WAYS}))
    if result.duplicates:
        st.markdown(t("upload.duplicates", lang, n=f"{result.duplicates:,}".replace(",", "\u202f" if lang == "fr" else ",")))
    presences = int(
        (
            result.dataset.interventions["kind"].eq("presence") & result.dataset.interventions["id"].isin(result.accepted["id"])
        ).sum()
    )
    if presences:
        st.markdown(t("upload.presence", lang, n=presences))
    if result.sheet:
        st.caption(t("upload.sheet", lang, sheet=plain(result.sheet), others=plain(", ".join(result.other_sheets) or "—")))
    _landing(lang, result)
    if result.ignored_columns:
        st.caption(t("upload.ignored", lang, columns=plain(", ".join(result.ignored_columns))))
    if len(result.rejected):
        st.dataframe(_headed(result.rejected[["row", "column", "value", "error"]], lang), hide_index=True, width="stretch")
        st.download_button(
            t("upload.rejected_download", lang), rejected_csv(result), "malimap-rejected-rows.csv", "text/csv", on_click="ignore"
        )
    if len(result.unresolved):
        st.dataframe(_headed(result.unresolved, lang), hide_index=True, width="stretch")
        _fix_places(lang, result)
    if len(result.sectors):
        st.markdown("**" + t("upload.sectors", lang, n=len(result.sectors)) + "**")
        st.dataframe(_headed(result.sectors, lang), hide_index=True, width="stretch")
    # the file is made when clicked, outside the script run: everything it needs is bound now, never read from the session
    # on_click="ignore" on every download button: a rerun started by the click can race the download and lose it
    st.download_button(
        t("upload.keep", lang),
        functools.partial(package_zip, result, st.session_state["upload"]["name"], shared_dataset()),
        "malimap-3w-package.zip",
        "application/zip",
        help=t("upload.keep_help", lang),
        on_click="ignore",
    )
    if st.button(t("upload.remove", lang)):
        del st.session_state["upload"]
        st.rerun()


def _landing(lang: str, result: UploadResult) -> None:
    """Where the rows landed, before they are kept: a marker per place, by how it was found; a click lists its rows."""
    from streamlit_folium import st_folium

    from malimap.outputs.landing import landing_counts, landing_legend, landing_map, landing_points, row_of_tooltip

    boundaries = shared_catalogue().boundaries
    points = landing_points(result.accepted, boundaries)
    counts = landing_counts(result.accepted)
    st.markdown(f"**{t('landing.title', lang)}**")
    names = dict(zip(boundaries.units["pcode"], boundaries.units["name"]))
    out = st_folium(
        landing_map(points, boundaries, names, lang),
        key=f"landing-{st.session_state['upload']['fingerprint'][:12]}",
        height=380,
        use_container_width=True,
        returned_objects=["last_object_clicked_tooltip"],
    )
    st.caption(landing_legend(counts, lang))
    code = row_of_tooltip((out or {}).get("last_object_clicked_tooltip"))
    if code:
        rows = result.accepted[result.accepted["pcode"] == code][["row", "title", "place"]]
        st.dataframe(_headed(rows.rename(columns={"place": "how"}), lang), hide_index=True, width="stretch")
