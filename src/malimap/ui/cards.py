"""Records as a reader needs them: one card per intervention, its source cited, and places no polygon can hold."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from malimap.catalogue.build import Catalogue, row_mask
from malimap.counts.aggregate import located, money_lines
from malimap.i18n import amount, colon, label, plain, semicolon, summary_column, t, title_column
from malimap.i18n import display_titles as _display_titles
from malimap.outputs.charts import date_text
from malimap.ui.frame import Frame

MAX_CARDS = 50
MAX_TABLE_ROWS = 2_000


def display_titles(frame: Frame, df: pd.DataFrame) -> pd.DataFrame:
    return _display_titles(df, frame.lang)


def intervention_card(frame: Frame, row: pd.Series) -> None:
    """One record as a reader needs it: title, kind, dates, organisations by role, places, source and quote."""
    lang = frame.lang
    with st.container(border=True):
        st.markdown(
            f"**{plain(row[title_column(lang)] or row['title'])}**  \n"
            f"{plain(label('kinds', row['kind'], lang))} · {plain(label('status', row['status'], lang))} · "
            f"{plain(date_text(row, lang))}"
        )
        if row.get(summary_column(lang)):
            st.markdown(plain(row[summary_column(lang)]))
        cat, c = frame.catalogue, colon(lang)
        parts = cat.participations
        mine = parts[parts["intervention_id"] == row["id"]]
        lines = [f"{plain(label('role', r, lang))}{c}{plain('; '.join(g['organisation']))}" for r, g in mine.groupby("role")]
        if row.get("inherited_funders"):
            lines.append(f"{plain(t('card.inherited_funders', lang))}{c}{plain(row['inherited_funders'])}")
        loc = located(cat, row.to_frame().T, reach=("activity", "beneficiaries", "participants_from"))
        if len(loc):
            lines.append(
                f"{plain(t('card.places', lang))}{c}"
                + plain(semicolon(lang).join(f"{p} ({label('reach', r, lang)})" for p, r in zip(loc["place_name"], loc["reach"])))
            )
        if row.get("parent_id"):
            parent = cat.interventions.loc[cat.interventions["id"] == row["parent_id"]]
            if len(parent):
                p = parent.iloc[0]
                lines.append(f"{plain(t('card.part_of', lang))}{c}{plain(p[title_column(lang)] or p['title'])}")
        lines += published_lines(cat, row, lang)
        st.markdown("  \n".join(lines))
        st.markdown(
            f"> {plain(row['evidence'])}  \n— {plain(t('card.source', lang))}{c}{plain(source_text(cat, row['source_id'], lang))}"
        )
        if row.get("notes"):  # a note in the other language is shown, and its language said, rather than hidden
            st.caption(f"{plain(notes_label(cat, row['source_id'], lang))}{c}{plain(row['notes'])}")


def notes_label(cat: Catalogue, source_id: str, lang: str) -> str:
    """'Note', or 'Note (in French)' when the source's notes_language is not the page's (empty: English)."""
    written = cat.sources.loc[cat.sources["id"] == source_id, "notes_language"]
    written_in = str(written.iloc[0]) if len(written) and written.iloc[0] else "en"
    return t("card.notes", lang) if written_in == lang else t("card.notes_in", lang, language=t(f"language.{written_in}", lang))


def published_lines(cat: Catalogue, row: pd.Series, lang: str) -> list[str]:
    """An IATI record's identity, Mali's share of it, and its money as published (each figure in its own currency)."""
    out = []
    ident = row.get("iati_identifier")
    if ident:
        share = row.get("country_percentage")
        text = t("card.iati", lang, id=ident)
        if share is None or pd.isna(share):
            text += " · " + t("card.share_unknown", lang)
        elif float(share) < 100:
            text += " · " + t("card.share", lang, pct=f"{float(share):g}")
        out.append(plain(text))
    money = money_lines(cat, row["id"])
    if money:
        figures = [f"{label('money', k, lang)} {amount(v, lang)} {cur}" + (f" ({w})" if w else "") for k, v, cur, w in money]
        out.append(f"{plain(t('card.money', lang))}{colon(lang)}{plain(semicolon(lang).join(figures))}")
    return out


def source_text(catalogue: Catalogue, source_id: str, lang: str) -> str:
    """A source as a reader cites it: publisher, title, date; the seed file name last, as the detail."""
    row = catalogue.sources.loc[catalogue.sources["id"] == source_id]
    if row.empty:
        return source_id
    s = row.iloc[0]
    title = str(s["title"] or "")
    if title.isupper():  # shouting headlines as published: shown in sentence case
        title = title[:1] + title[1:].lower()
    return t(
        "card.source_text",
        lang,
        publisher=s["publisher"] or t("about.unknown_publisher", lang),
        title=title,
        date=s["published"] or t("about.undated", lang),
        file=s["file"],
    )


def elsewhere(frame: Frame, items: pd.DataFrame) -> None:
    """Places no polygon can hold: abroad, Mali as a whole, country unknown, P-code not in the boundaries. Listed, never lost."""
    report = frame.catalogue.report
    chosen = row_mask(frame.catalogue, items)  # integer row keys: a string isin over 10k ids costs 70 ms per table
    titles = np.empty(len(frame.catalogue.interventions), dtype=object)
    titles[items["row"].to_numpy(dtype="int64")] = items["title_display"].to_numpy(dtype=object)
    for key, df in (
        ("outside", report.outside_mali),
        ("country_wide", report.country_wide),
        ("unknown_country", report.unknown_country),
        ("unmatched", report.unmatched),
    ):
        rows = df[chosen[df["iv_row"].to_numpy(dtype="int64")]] if len(df) else df
        if rows.empty:
            continue
        st.subheader(t(f"map.{key}", frame.lang, n=rows["intervention_id"].nunique()))
        st.markdown(
            "\n".join(
                f"- {plain(titles[r.iv_row])} — {plain(r.place_name)}" + (f" ({plain(r.country)})" if r.country else "")
                for r in rows.itertuples()
            )
        )
