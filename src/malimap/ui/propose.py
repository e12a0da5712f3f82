"""The Data page's "From an article" panel: paste or upload an article, review the candidate records with their quotes
highlighted in the text, correct a field, drop a candidate, and keep the accepted ones as a data package (a zip: the
server writes nothing)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from malimap.i18n import plain, t
from malimap.schema import KINDS, enum_values
from malimap.ui.frame import Frame, shared_catalogue, shared_dataset
from malimap.ui.upload import uploader_css

MAX_ARTICLE_MB = 1  # the reader's own limit (1.6 MB); Streamlit's is set for the sheets
REACHES = ("activity", "beneficiaries", "participants_from", "abroad")


def article_panel(frame: Frame) -> None:
    lang = frame.lang
    state = st.session_state.get("proposal")
    with st.expander(t("propose.title", lang), expanded=state is not None):
        st.markdown(t("propose.intro", lang))
        st.markdown(uploader_css(lang, "propose_file", "TXT, MD, HTML", MAX_ARTICLE_MB), unsafe_allow_html=True)
        file = st.file_uploader(t("propose.file", lang), type=["txt", "md", "html", "htm"], key="propose_file")
        text = st.text_area(t("propose.paste", lang), key="propose_text", height=140)
        published = st.text_input(t("propose.published", lang), key="propose_published", placeholder="2019-04-02")
        if st.button(t("propose.run", lang), key="propose_run", type="primary"):
            _propose(file, text, lang, published.strip())
        state = st.session_state.get("proposal")
        if state is not None:
            _review(lang, state)


def _propose(file, text: str, lang: str, published: str = "") -> None:
    from malimap.propose.article import ArticleError
    from malimap.propose.run import PARTIAL_DATE, propose_file, review_records

    name, data = (file.name, file.getvalue()) if file is not None else ("article.txt", text.encode("utf-8"))
    if not data.strip():
        st.warning(t("propose.empty", lang))
        return
    if published and not PARTIAL_DATE.fullmatch(published):
        st.error(t("propose.published_bad", lang, value=plain(published)))
        return
    try:
        article, candidates = propose_file(Path(name), data=data, orgs=shared_dataset().organisations, published=published)
    except ArticleError as exc:
        st.error(t("propose.error", lang, error=plain(str(exc))))
        return
    st.session_state["proposal"] = {
        "name": name,
        "key": hashlib.sha1(data).hexdigest()[:12],  # widget keys change with the article: no stale edits
        "article": article,
        "records": review_records(candidates),
        "spans": [s for c in candidates for s in c.evidence_spans],
    }
    st.rerun()


def _review(lang: str, state: dict) -> None:
    from malimap.propose.run import accepted_records, highlighted

    article, records, key = state["article"], state["records"], state["key"]
    st.markdown(t("propose.found", lang, n=len(records), name=plain(state["name"])))
    st.markdown(
        f'<div class="malimap-article" style="max-height:18em;overflow:auto;border:1px solid #ccc;padding:.5em;'
        f'font-size:1.05em;line-height:1.5">{highlighted(article.text, state["spans"])}</div>',
        unsafe_allow_html=True,  # the article is escaped by highlighted(); only the <mark> tags are ours
    )
    keep, edited = [], []
    for n, record in enumerate(records):
        with st.container(border=True):
            keep.append(st.checkbox(t("propose.accept", lang, n=n + 1), value=True, key=f"prop-{key}-{n}-keep"))
            edited.append(_record_fields(lang, record, f"prop-{key}-{n}"))
    c1, c2, c3, c4 = st.columns(4)
    source = _source(article, state["name"], (c1, c2, c3, c4), lang, key)
    if st.button(t("propose.check", lang), key=f"prop-{key}-check"):
        _check(lang, state, accepted_records(edited, keep), source)
    if state.get("zip"):
        st.download_button(t("propose.keep", lang), state["zip"], "malimap-article-package.zip", "application/zip",
                           on_click="ignore", key=f"prop-{key}-zip")  # fmt: skip
    if st.button(t("propose.clear", lang), key=f"prop-{key}-clear"):
        del st.session_state["proposal"]
        st.rerun()


def _record_fields(lang: str, record: dict, key: str) -> dict:
    """One candidate's fields as widgets; the quotes are shown, never editable (they must stay the article's words)."""
    c1, c2, c3, c4, c5 = st.columns([4, 1.3, 1.4, 1.1, 1.1])
    title = c1.text_input(t("propose.col.title", lang), record["title"], key=f"{key}-title")
    kind = c2.selectbox(t("propose.col.kind", lang), KINDS, index=KINDS.index(record["kind"]), key=f"{key}-kind")
    types = ("", *enum_values("interventions", "event_type"))
    event_type = c3.selectbox(t("propose.col.event_type", lang), types, index=types.index(record["event_type"] or ""),
                              key=f"{key}-type")  # fmt: skip
    start = c4.text_input(t("propose.col.start", lang), record["start"] or "", key=f"{key}-start")
    end = c5.text_input(t("propose.col.end", lang), record["end"] or "", key=f"{key}-end")
    st.caption(t("propose.quote", lang, quote=plain(record["evidence"])))
    if record["dates_evidence"]:
        st.caption(t("propose.dates_quote", lang, quote=plain(record["dates_evidence"])))
    people = st.text_input(t("propose.col.participants", lang), "" if record["participants"] is None else str(record["participants"]),
                           key=f"{key}-people", help=plain(record["participants_evidence"] or ""))  # fmt: skip
    orgs = _table(lang, record["organisations"], ["name", "organisation_id", "role", "evidence"], f"{key}-orgs",
                  {"role": enum_values("participations", "role")})  # fmt: skip
    places = _table(lang, record["places"], ["name", "pcode", "reach", "precision", "evidence"], f"{key}-places",
                    {"reach": REACHES})  # fmt: skip
    by_name = {p["name"]: p for p in record["places"]}
    return record | {
        "title": title.strip() or record["title"],
        "kind": kind,
        "event_type": event_type or None,
        "start": start.strip() or None,
        "end": end.strip() or None,
        "participants": int(people) if people.strip().isdigit() else None,
        "organisations": orgs,
        "places": [p | {k: v for k, v in by_name.get(p["name"], {}).items() if k in ("admin1", "country")} for p in places],
    }


UNSET = "—"


def _table(lang: str, rows: list[dict], columns: list[str], key: str, choices: dict[str, tuple]) -> list[dict]:
    if not rows:
        return []
    df = pd.DataFrame(rows)[columns].assign(keep=True)
    text = [c for c in columns if c != "precision"]
    df[text] = df[text].fillna("")  # a new organisation's id shows empty, not "None"
    df[list(choices)] = df[list(choices)].replace("", UNSET)  # what the article left unsaid (a role): a dash, not "None"
    config = {c: st.column_config.SelectboxColumn(t(f"propose.col.{c}", lang), options=[UNSET, *v]) for c, v in choices.items()}
    config |= {
        c: st.column_config.TextColumn(t(f"propose.col.{c}", lang), disabled=c == "evidence") for c in columns if c not in choices
    }
    if "precision" in columns:  # IATI precisions the package uses: 2 venue, 3 cercle or commune, 4 region, 5 estimated…
        config["precision"] = st.column_config.NumberColumn(t("propose.col.precision", lang), min_value=1, max_value=9, step=1)
    config["keep"] = st.column_config.CheckboxColumn(t("propose.col.keep", lang))
    out = st.data_editor(df, column_config=config, hide_index=True, width="stretch", key=key, num_rows="fixed")
    kept = out[out["keep"]].drop(columns="keep")
    return [{k: (None if pd.isna(v) or v in ("", UNSET) else v) for k, v in r.items()} for r in kept.to_dict("records")]


def _source(article, name: str, cols, lang: str, key: str):
    from malimap.propose.keep import SourceInfo

    title = cols[0].text_input(t("propose.src.title", lang), article.title, key=f"{key}-src-title")
    publisher = cols[1].text_input(t("propose.src.publisher", lang), "", key=f"{key}-src-publisher")
    published = cols[2].text_input(t("propose.src.published", lang), article.published, key=f"{key}-src-published")
    url = cols[3].text_input(t("propose.src.url", lang), "", key=f"{key}-src-url")
    return SourceInfo(name, title.strip(), publisher.strip(), published.strip(), url.strip())


def _check(lang: str, state: dict, records: list[dict], source) -> None:
    from malimap.dataset import DatasetError
    from malimap.propose.keep import ReviewError, keep_zip

    state.pop("zip", None)
    if not records:
        st.warning(t("propose.none_kept", lang))
        return
    unset = [(n, r, o) for n, r in enumerate(records, 1) for o in r["organisations"] if not o.get("role")]
    if unset:  # said in the page's language; keep_zip would refuse them too
        st.error(
            "\n".join("- " + plain(t("propose.no_role", lang, n=n, title=r["title"][:60], name=o["name"])) for n, r, o in unset)
        )
        return
    try:
        state["zip"] = keep_zip(records, state["article"], source, shared_dataset(), shared_catalogue().boundaries.units)
    except ReviewError as exc:
        st.error("\n".join(f"- {plain(p)}" for p in exc.problems))
        return
    except DatasetError as exc:
        problems = [i for i in exc.issues if i.severity == "error"]
        st.error(t("propose.invalid", lang, n=len(problems)) + "\n" + "\n".join(f"- {plain(str(i))}" for i in problems[:20]))
        return
    st.success(t("propose.ready", lang, n=len(records)))
