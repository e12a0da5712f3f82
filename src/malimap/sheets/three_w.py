"""Users' own 3W sheets: read CSV/Excel (HXL hashtags or our column names), check each row, resolve places.

Only what makes a row unusable rejects it (no title, impossible date, end before start, unreadable P-code); a sector that
is not one of our themes stays on the record as written and is reported once. Nothing is written to disk by the app:
accepted rows join the session's view, rejected rows come back with their reasons.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from malimap.catalogue.org_names import org_index
from malimap.config import VINTAGE
from malimap.dataset import Dataset
from malimap.geo.gazetteer import Gazetteer, fold
from malimap.geo.vintages import crosswalk
from malimap.i18n import normalise_lang, t
from malimap.schema import KINDS, enum_values
from malimap.sheets.dates import ends_before_start, read_sheet_date
from malimap.sheets.places import PICKED, Placed, SheetPlaces

MAX_CELL = 5_000  # characters in one cell of a 3W row
UPLOAD_SOURCE = "upload"  # the source id every uploaded row cites
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


def _slug(text: str) -> str:
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")[:50] or "x"


@dataclass
class _Context:
    """What every row is checked against, built once per upload; new organisations and sectors gather here."""

    filename: str
    places: SheetPlaces
    themes: dict[str, str]  # folded code, label or synonym -> code ('' for a known sector with no theme of ours)
    theme_labels: dict[str, str]  # code -> 'label (code)', for suggestions
    theme_names: dict[str, dict[str, str]]  # language -> code -> the theme's name, for the sector report
    notes: dict[str, str]  # folded synonym -> why it maps as it does
    statuses: set[str]
    event_types: set[str]
    orgs: dict[str, str]  # folded name, acronym or alias -> organisation id
    lang: str = "en"
    new_orgs: dict[str, dict] = field(default_factory=dict)
    sectors: dict[str, list] = field(default_factory=dict)  # sector as written -> rows


@dataclass
class _Rows:
    accepted: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    unresolved: list[dict] = field(default_factory=list)
    interventions: list[dict] = field(default_factory=list)
    participations: list[dict] = field(default_factory=list)
    locations: list[dict] = field(default_factory=list)


def ingest(table: pd.DataFrame, ds: Dataset, gazetteer: Gazetteer, filename: str, lang: str = "en") -> UploadResult:
    """Check every row; accepted rows become interventions of an 'upload' source in a new in-memory Dataset."""
    ctx = _context(ds, gazetteer, filename, lang)
    headers = table.attrs.get("headers", {})
    rows = _Rows()
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
        _add_row(rows, ctx, r, row_no, checked, place)
    merged = _merge(ds, filename, ctx.lang, rows.interventions, rows.participations, rows.locations, list(ctx.new_orgs.values()))
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


def _context(ds: Dataset, gazetteer: Gazetteer, filename: str, lang: str = "en") -> _Context:
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
    return _Context(
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


def _check_row(r: dict, row_no, ctx: _Context, bad) -> dict:
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
# statuses as French and OCHA sheets write them (folded) -> the package's
STATUS_WORDS = {
    "en cours": "ongoing",
    "actif": "ongoing",
    "active": "ongoing",
    "in progress": "ongoing",
    "termine": "completed",
    "terminee": "completed",
    "acheve": "completed",
    "achevee": "completed",
    "cloture": "completed",
    "cloturee": "completed",
    "finished": "completed",
    "closed": "completed",
    "planifie": "planned",
    "planifiee": "planned",
    "prevu": "planned",
    "prevue": "planned",
    "pipeline": "planned",
    "annule": "cancelled",
    "annulee": "cancelled",
    "suspendu": "suspended",
    "suspendue": "suspended",
}
# organisation types as OCHA Mali's 5W writes them (folded) -> the package's; the type as written stays in the notes
ORG_TYPE_WORDS = {
    "ong internationale": "international_ngo",
    "ongi": "international_ngo",
    "ingo": "international_ngo",
    "international ngo": "international_ngo",
    "ong nationale": "national_ngo",
    "ongn": "national_ngo",
    "ong": "national_ngo",
    "national ngo": "national_ngo",
    "nngo": "national_ngo",
    "agence un": "multilateral",
    "agence des nations unies": "multilateral",
    "nations unies": "multilateral",
    "un agency": "multilateral",
    "un": "multilateral",
    "gouvernement": "government",
    "gouvernemental": "government",
    "etat": "government",
    "government": "government",
    "service technique": "government",
    "bailleur": "government_donor",
    "donor": "government_donor",
    "secteur prive": "private",
    "private sector": "private",
    "prive": "private",
    "association": "local_cso",
    "osc": "local_cso",
    "cso": "local_cso",
    "organisation communautaire": "local_cso",
}


def message(key: str, lang: str, **values) -> str:
    """An upload message in the page's language; a date's expected forms are themselves translated."""
    if "expected" in values:
        values["expected"] = t("upload.err.date_forms", lang)
    return t(f"upload.err.{key}", lang, **values)


def _sector_report(ctx: _Context, lang: str = "en") -> pd.DataFrame:
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


def _add_row(rows: _Rows, ctx: _Context, r: dict, row_no, checked: dict, place: Placed) -> None:
    """One accepted row as an intervention, its organisations by role and its place, each citing the file and row."""
    presence = checked["kind"] == "presence"
    title = r["title"] or " — ".join(filter(None, [r["implementers"], r["themes"] or r["subsector"]]))
    iid, cite = f"upload-{row_no}-{_slug(title)}", f"{ctx.filename}, row {row_no}"
    lang = ctx.lang  # the notes are read on cards beside the uploader's page: in its language
    notes = [t("upload.note.from", lang, file=ctx.filename, row=row_no)]
    notes += [t("upload.note.presence", lang)] if presence else []
    notes += [t("upload.note.subsector", lang, text=r["subsector"])] if r["subsector"] and r["themes"] else []
    notes += [t("upload.note.source", lang, text=r["source"])] if r["source"] else []
    notes += [t("upload.note.sector", lang, text=r["themes"])] if r["themes"] else []
    notes += [t("upload.note.quarters", lang)] if checked["approximate"] else []
    rows.interventions.append(
        {
            "id": iid,
            "kind": checked["kind"],
            "event_type": checked["event_type"],
            "parent_id": "",
            "title": title,
            "title_fr": title,
            "title_en": title,
            "summary_fr": "",
            "summary_en": "",
            "status": checked["status"],
            "start_date": checked["start"],
            "end_date": checked["end"],
            "dates_approximate": checked["approximate"],
            "themes": checked["themes"],
            "participants": pd.NA,
            "participants_approximate": False,
            "budget_amount": pd.NA,
            "budget_currency": "",
            "source_id": UPLOAD_SOURCE,
            "evidence": r["evidence"] or cite,
            "notes": "; ".join(notes),
        }
    )
    for role, col in (("implementer", "implementers"), ("funder", "funders")):
        names = [x.strip() for x in r[col].split(";") if x.strip()]
        for name in names:
            one = role == "implementer" and len(names) == 1  # a 5W row's acronym and type describe its one organisation
            rows.participations.append(
                {
                    "intervention_id": iid,
                    "organisation_id": _organisation(ctx, name, r["org_acronym"] if one else "", r["org_type"] if one else ""),
                    "role": role,
                    "source_id": UPLOAD_SOURCE,
                    "evidence": cite,
                }
            )
    if place.pcode or place.how == "abroad":
        rows.locations.append(
            {
                "intervention_id": iid,
                "place_name": place.text or place.country,
                "country": place.country,
                "admin_level": place.level if place.pcode else pd.NA,
                "pcode": place.pcode,
                "pcode_vintage": VINTAGE if place.pcode else "",
                "latitude": pd.NA,
                "longitude": pd.NA,
                "precision": ({1: 4, 2: 3, 3: 3}[place.level] if place.exact else 5) if place.pcode and place.level else 5,
                "reach": "activity",
                "sensitive": False,
                "source_id": UPLOAD_SOURCE,
                "evidence": cite,
                "notes": "; ".join(place.notes),
            }
        )
    rows.unresolved += [{"row": row_no, **u} for u in place.unresolved]
    rows.accepted.append(
        {"row": row_no, "id": iid, "title": title, "kind": checked["kind"], "pcode": place.pcode, "place": place.how}
    )


def _organisation(ctx: _Context, name: str, acronym: str = "", written_type: str = "") -> str:
    """The known organisation this name, acronym or alias means, else a new one (once per upload). A sheet that writes
    an organisation by its acronym in one row and its full name in another finds the same one through its acronym column."""
    oid = ctx.orgs.get(fold(name)) or (ctx.orgs.get(fold(acronym)) if acronym else None)
    if oid is None:
        oid = f"upload-{_slug(name)}"
        kind = ORG_TYPE_WORDS.get(fold(written_type), "other")
        ctx.new_orgs.setdefault(
            oid,
            {
                "id": oid,
                "name": name,
                "acronym": acronym if acronym != name else "",
                "aliases": "; ".join(dict.fromkeys(filter(None, [name, acronym]))),
                "type": kind,
                "country": "",
                "notes": f"From {ctx.filename}" + (f"; type as written: {written_type}" if written_type else ""),
                "curator_aliases": "",
                "sensitive": False,
            },
        )
    for key in filter(None, (fold(name), fold(acronym))):
        ctx.orgs.setdefault(key, oid)
    return oid


def _merge(ds: Dataset, filename: str, notes_language: str, ivs, parts, locs, orgs) -> Dataset:
    tables = ds.tables()
    src = pd.DataFrame(
        [
            {
                "id": UPLOAD_SOURCE,
                "file": filename,
                "title": f"Uploaded file {filename}",
                "publisher": "",
                "published": "",
                "language": "fr",
                "url": "",
                "notes": "Uploaded in this session; not curated",
                "notes_language": notes_language,
            }
        ]
    )

    def add(name: str, rows) -> pd.DataFrame:
        if not len(rows):
            return tables[name]
        extra = pd.DataFrame(rows).reindex(columns=tables[name].columns)
        for c in [c for c, kind in tables[name].dtypes.items() if pd.api.types.is_bool_dtype(kind)]:
            extra[c] = extra[c].astype(object).fillna(False).astype(bool)  # not given: false, never NaN read as true
        return pd.concat([tables[name], extra.astype(tables[name].dtypes.to_dict(), errors="ignore")], ignore_index=True)

    return ds.replace(
        sources=pd.concat([tables["sources"], src], ignore_index=True),
        interventions=add("interventions", ivs),
        participations=add("participations", parts),
        locations=add("locations", locs),
        organisations=add("organisations", orgs),
    )


def rejected_csv(result: UploadResult) -> bytes:
    """The rejected rows for a spreadsheet: cells that would run as formulas (=, +, -, @) are defused."""
    from malimap.outputs.exports import defuse_formulas

    return defuse_formulas(result.rejected.astype(str)).to_csv(index=False).encode("utf-8-sig")
