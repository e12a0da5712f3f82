"""An accepted 3W row written as package rows (intervention, participations by role, location), each citing its file
and row, and the session's dataset with them merged in."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from malimap.config import VINTAGE
from malimap.dataset import Dataset
from malimap.geo.gazetteer import fold
from malimap.i18n import t
from malimap.sheets.places import Placed, SheetPlaces
from malimap.sheets.words import ORG_TYPE_WORDS

UPLOAD_SOURCE = "upload"  # the source id every uploaded row cites


def slug(text: str) -> str:
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")[:50] or "x"


@dataclass
class Context:
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
class Rows:
    accepted: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    unresolved: list[dict] = field(default_factory=list)
    interventions: list[dict] = field(default_factory=list)
    participations: list[dict] = field(default_factory=list)
    locations: list[dict] = field(default_factory=list)


def add_row(rows: Rows, ctx: Context, r: dict, row_no, checked: dict, place: Placed) -> None:
    """One accepted row as an intervention, its organisations by role and its place, each citing the file and row."""
    presence = checked["kind"] == "presence"
    title = r["title"] or " — ".join(filter(None, [r["implementers"], r["themes"] or r["subsector"]]))
    iid, cite = f"upload-{row_no}-{slug(title)}", f"{ctx.filename}, row {row_no}"
    lang = ctx.lang  # the notes are read on cards beside the uploader's page: in its language
    notes = [t("upload.note.from", lang, file=ctx.filename, row=row_no)]
    notes += [t("upload.note.presence", lang)] if presence else []
    notes += [t("upload.note.subsector", lang, text=r["subsector"])] if r["subsector"] and r["themes"] else []
    notes += [t("upload.note.source", lang, text=r["source"])] if r["source"] else []
    notes += [t("upload.note.sector", lang, text=r["themes"])] if r["themes"] else []
    notes += [t("upload.note.quarters", lang)] if checked["approximate"] else []
    rows.interventions.append(_intervention(iid, title, r, checked, cite, notes))
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
        rows.locations.append(_location(iid, place, cite))
    rows.unresolved += [{"row": row_no, **u} for u in place.unresolved]
    rows.accepted.append(
        {"row": row_no, "id": iid, "title": title, "kind": checked["kind"], "pcode": place.pcode, "place": place.how}
    )


def _intervention(iid: str, title: str, r: dict, checked: dict, cite: str, notes: list[str]) -> dict:
    return {
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


def _location(iid: str, place: Placed, cite: str) -> dict:
    return {
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


def _organisation(ctx: Context, name: str, acronym: str = "", written_type: str = "") -> str:
    """The known organisation this name, acronym or alias means, else a new one (once per upload). A sheet that writes
    an organisation by its acronym in one row and its full name in another finds the same one through its acronym column."""
    oid = ctx.orgs.get(fold(name)) or (ctx.orgs.get(fold(acronym)) if acronym else None)
    if oid is None:
        oid = f"upload-{slug(name)}"
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


def merge(ds: Dataset, filename: str, notes_language: str, ivs, parts, locs, orgs) -> Dataset:
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
