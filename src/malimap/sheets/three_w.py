"""Users' own 3W sheets: read CSV/Excel (HXL hashtags or our column names), check each row, resolve places.

Only what makes a row unusable rejects it (no title, impossible date, end before start, unreadable P-code); a sector that
is not one of our themes stays on the record as written and is reported once. Nothing is written to disk by the app:
accepted rows join the session's view, rejected rows come back with their reasons.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from malimap.catalogue.org_names import org_index
from malimap.dataset import Dataset
from malimap.geo.gazetteer import Gazetteer, fold
from malimap.geo.vintages import crosswalk
from malimap.i18n import normalise_lang, t
from malimap.schema import KINDS, enum_values
from malimap.sheets.dates import ends_before_start, read_sheet_date
from malimap.sheets.places import PICKED, SheetPlaces
from malimap.sheets.upload_rows import Context, Rows, add_row, merge
from malimap.sheets.words import STATUS_WORDS

MAX_CELL = 5_000  # characters in one cell of a 3W row
CROSSWALKS = Path(__file__).parents[1] / "crosswalks"  # malimap/crosswalks


@dataclass(frozen=True)
class UploadResult:
    accepted: pd.DataFrame  # one row per accepted intervention: row, id, title, pcode, place (how it was found)
    rejected: pd.DataFrame  # row, column, value, error — plus the original cells
    unresolved: pd.DataFrame  # row, level, text, suggestions
    dataset: Dataset  # the curated dataset plus the accepted rows
    rows_read: int
    sectors: pd.DataFrame = field(default_factory=pd.DataFrame)  # sector as written, rows, theme, note: once per value
    ignored_columns: tuple[str, ...] = ()
    duplicates: int = 0  # exact copies of an earlier row, collapsed into it
    sheet: str = ""  # the workbook sheet read as data ('' for CSV)
    other_sheets: tuple[str, ...] = ()  # the workbook's other sheets (pivots, summaries), not read

    def place_counts(self) -> dict[str, int]:
        """Accepted rows by how their place was found: exact, fuzzy, v03, abroad, unresolved, none."""
        return {k: int(v) for k, v in self.accepted["place"].value_counts().items()} if len(self.accepted) else {}


def ingest(table: pd.DataFrame, ds: Dataset, gazetteer: Gazetteer, filename: str, lang: str = "en") -> UploadResult:
    """Check every row; accepted rows become interventions of an 'upload' source in a new in-memory Dataset."""
    ctx = _context(ds, gazetteer, filename, lang)
    headers = table.attrs.get("headers", {})
    rows = Rows()
    for row_no, r in zip(table.index, table.to_dict("records")):  # plain dicts: a Series per row costs 10x
        errors: list[dict] = []

        def bad(column: str, value: str, key: str, row_no=row_no, errors=errors, **values) -> None:
            errors.append(
                {
                    "row": row_no,
                    "column": headers.get(column, column),  # the sheet's own header ('Date fin'), not our field name
                    "value": value[:200],
                    "error": message(key, lang, **values),
                }
            )

        checked = _check_row(r, row_no, ctx, bad)
        place = ctx.places.locate(r)
        if place.error:
            column, value, key, values = place.error
            bad(column, value, key, **values)
        if errors:
            rows.rejected += [{**e, **{f"cell:{k}": v for k, v in r.items() if k != PICKED}} for e in errors]
            continue
        add_row(rows, ctx, r, row_no, checked, place)
    merged = merge(ds, filename, ctx.lang, rows.interventions, rows.participations, rows.locations, list(ctx.new_orgs.values()))
    rejected = pd.DataFrame(rows.rejected) if rows.rejected else pd.DataFrame(columns=["row", "column", "value", "error"])
    return UploadResult(
        pd.DataFrame(rows.accepted, columns=["row", "id", "title", "kind", "pcode", "place"]),
        rejected,
        pd.DataFrame(rows.unresolved, columns=["row", "level", "text", "suggestions"]),
        merged,
        len(table),
        _sector_report(ctx, lang),
        tuple(table.attrs.get("ignored_columns", ())),
        int(table.attrs.get("duplicates", 0)),
        str(table.attrs.get("sheet", "")),
        tuple(table.attrs.get("other_sheets", ())),
    )


def _context(ds: Dataset, gazetteer: Gazetteer, filename: str, lang: str = "en") -> Context:
    themes = ds.themes
    lookup = {fold(v): c for c, fr, en in themes[["code", "label_fr", "label_en"]].itertuples(index=False) for v in (c, fr, en)}
    known = set(themes["code"])
    synonyms = sector_crosswalk()
    notes = {}
    for term, code, note in synonyms.itertuples(index=False):
        if code == "" or code in known:  # a crosswalk row for a theme this dataset lacks is not used
            lookup.setdefault(fold(term), code)
            notes[fold(term)] = note
    labels = {c: f"{en} ({c})" for c, en in zip(themes["code"], themes["label_en"])}
    names = {"fr": dict(zip(themes["code"], themes["label_fr"])), "en": dict(zip(themes["code"], themes["label_en"]))}
    return Context(
        filename,
        SheetPlaces(gazetteer, crosswalk(), normalise_lang(lang)),
        lookup,
        labels,
        names,
        notes,
        set(enum_values("interventions", "status")),
        set(enum_values("interventions", "event_type")),
        org_index(ds.organisations),
        normalise_lang(lang),
    )


def sector_crosswalk() -> pd.DataFrame:
    """Sector names as 3W sheets write them (cluster names, French and English labels) -> our theme code ('' for none)."""
    return pd.read_csv(CROSSWALKS / "sectors.csv", dtype=str, keep_default_na=False)[["term", "theme", "note"]]


def _check_row(r: dict, row_no, ctx: Context, bad) -> dict:
    """What makes the row unusable, reported through `bad`; returns its kind, type, status, dates and theme codes."""
    for col, value in r.items():
        if len(value) > MAX_CELL:
            bad(col, value, "too_long", n=f"{MAX_CELL:,}")
    presence = not r["title"] and bool(r["implementers"]) and any(r[c] for c in PLACE_FIELDS)
    if not r["title"] and not presence:
        bad("title", "", "title")
    kind = r["kind"].lower() or ("presence" if presence else "project")
    event_type = kind if kind in ctx.event_types else ""
    kind = "event" if event_type else kind
    if kind not in (*KINDS, "presence"):
        bad("kind", r["kind"], "one_of", values=", ".join(KINDS))
    status = STATUS_WORDS.get(fold(r["status"]), r["status"].lower()) or "unknown"
    if status not in ctx.statuses:
        bad("status", r["status"], "one_of", values=", ".join(sorted(ctx.statuses)))
    start, end = read_sheet_date(r["start_date"]), read_sheet_date(r["end_date"], end=True)
    for col, d in (("start_date", start), ("end_date", end)):
        if d.error:
            bad(col, r[col], d.error[0], **d.error[1])
    if ends_before_start(start.iso, end.iso):
        bad("end_date", r["end_date"], "end_before", start=r["start_date"])
    codes = []
    for sector in filter(None, (x.strip() for x in re.split(r"[;,|]", r["themes"]))):
        code = ctx.themes.get(fold(sector))
        if code:
            codes.append(code)
        else:  # kept on the record as written, reported once per distinct value
            ctx.sectors.setdefault(sector, []).append(row_no)
    return {
        "kind": kind,
        "event_type": event_type,
        "status": status,
        "themes": ";".join(dict.fromkeys(codes)),
        "start": start.iso,
        "end": end.iso,
        "approximate": start.approximate or end.approximate,
    }


PLACE_FIELDS = ("adm1_name", "adm1_pcode", "adm2_name", "adm2_pcode", "adm3_name", "adm3_pcode", "place_name")


def message(key: str, lang: str, **values) -> str:
    """An upload message in the page's language; a date's expected forms are themselves translated."""
    if "expected" in values:
        values["expected"] = t("upload.err.date_forms", lang)
    return t(f"upload.err.{key}", lang, **values)


def _sector_report(ctx: Context, lang: str = "en") -> pd.DataFrame:
    """Each sector that is not one of our themes, once, with its rows and why: the crosswalk's note, else the closest
    themes by name (in the page's language), else that it is none of ours. Never a blank reason."""
    rows = []
    choices = {fold(label): code for code, label in ctx.theme_labels.items()} | {k: v for k, v in ctx.themes.items() if v}
    names = ctx.theme_names.get(normalise_lang(lang), {})
    for sector, where in ctx.sectors.items():
        key = fold(sector)
        if key in ctx.notes:
            hint = ctx.notes[key] or t("upload.sector_known", lang)
        else:
            close = difflib.get_close_matches(key, list(choices), n=3, cutoff=0.5)
            closest = ", ".join(dict.fromkeys(names.get(choices[c], choices[c]) for c in close))
            hint = t("upload.sector_closest", lang, themes=closest) if close else t("upload.sector_none", lang)
        rows.append({"sector": sector, "rows": len(where), "first_rows": ", ".join(str(w) for w in where[:10]), "note": hint})
    return pd.DataFrame(rows, columns=["sector", "rows", "first_rows", "note"])


def rejected_csv(result: UploadResult) -> bytes:
    """The rejected rows for a spreadsheet: cells that would run as formulas (=, +, -, @) are defused."""
    from malimap.outputs.exports import defuse_formulas

    return defuse_formulas(result.rejected.astype(str)).to_csv(index=False).encode("utf-8-sig")
