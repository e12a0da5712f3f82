"""Users' own 3W sheets: read CSV/Excel (HXL hashtags or our column names), validate each row, resolve places.

Nothing is written to disk: accepted rows join the session's view, rejected rows come back with their reasons.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .config import VINTAGE
from .dataset import Dataset
from .dates import date_bounds_series
from .gazetteer import Gazetteer, fold
from .schema import KINDS, PCODE_LENGTH, enum_values

MAX_ROWS = 20_000
MAX_CELL = 5_000
UPLOAD_SOURCE = "upload"  # the source id every uploaded row cites
# internal field <- accepted headers (our names) and HXL hashtags (attributes in any order)
FIELDS = {
    "title": (["title", "activity", "intervention"], ["#activity", "#activity+name"]),
    "kind": (["kind", "type"], ["#activity+type"]),
    "implementers": (["implementers", "implementer", "organisation", "org"], ["#org+impl", "#org", "#org+name"]),
    "funders": (["funders", "funder", "donor"], ["#org+funder", "#org+donor"]),
    "themes": (["themes", "theme", "sector"], ["#sector"]),
    "status": (["status"], ["#status"]),
    "start_date": (["start_date", "start"], ["#date+start"]),
    "end_date": (["end_date", "end"], ["#date+end"]),
    "adm1_name": (["adm1_name", "region"], ["#adm1+name"]),
    "adm1_pcode": (["adm1_pcode"], ["#adm1+code"]),
    "adm2_name": (["adm2_name", "cercle"], ["#adm2+name"]),
    "adm2_pcode": (["adm2_pcode"], ["#adm2+code"]),
    "adm3_name": (["adm3_name", "commune"], ["#adm3+name"]),
    "adm3_pcode": (["adm3_pcode"], ["#adm3+code"]),
    "place_name": (["place_name", "place", "location"], ["#loc+name", "#loc"]),
    "evidence": (["evidence", "quote"], ["#meta+quote"]),
    "source": (["source", "source_url"], ["#meta+source", "#meta+url"]),
}
TEMPLATE_ROW = {
    "title": "Atelier de dialogue intercommunautaire",
    "kind": "event",
    "implementers": "WANEP-Mali",
    "funders": "",
    "themes": "dialogue",
    "status": "completed",
    "start_date": "2019-03",
    "end_date": "",
    "adm1_name": "Mopti",
    "adm1_pcode": "",
    "adm2_name": "Bandiagara",
    "adm2_pcode": "",
    "adm3_name": "",
    "adm3_pcode": "",
    "place_name": "Bandiagara",
    "evidence": "",
    "source": "",
}


class UploadError(ValueError):
    """The file as a whole cannot be read (not CSV/Excel, no header, too large)."""


@dataclass(frozen=True)
class UploadResult:
    accepted: pd.DataFrame  # one row per accepted intervention (internal fields + row)
    rejected: pd.DataFrame  # row, column, value, error — plus the original cells
    unresolved: pd.DataFrame  # row, level, text, suggestions
    dataset: Dataset  # the curated dataset plus the accepted rows
    rows_read: int


def template_csv() -> bytes:
    """The 3W template: our column names, their HXL hashtags, one example row."""
    cols = list(FIELDS)
    rows = [cols, [FIELDS[c][1][0] for c in cols], [TEMPLATE_ROW[c] for c in cols]]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def read_table(name: str, data: bytes) -> pd.DataFrame:
    """All cells as text; the hashtag row, if any, is recognised and used to name the columns."""
    if len(data) > 20_000_000:
        raise UploadError(f"{name}: file larger than 20 MB")
    try:
        if name.lower().endswith((".xlsx", ".xlsm")):
            raw = pd.read_excel(io.BytesIO(data), header=None, dtype=str, engine="openpyxl").fillna("")
        elif name.lower().endswith((".csv", ".txt")):
            text = data.decode("utf-8-sig") if _is_utf8(data) else data.decode("cp1252")
            rows = list(csv.reader(io.StringIO(text)))
            width = max((len(r) for r in rows), default=0)
            raw = pd.DataFrame([r + [""] * (width - len(r)) for r in rows])
        else:
            raise UploadError(f"{name}: expected a .csv or .xlsx file")
    except UploadError:
        raise
    except Exception as exc:
        raise UploadError(f"{name}: cannot be read as CSV/Excel ({exc})") from exc
    if raw.empty:
        raise UploadError(f"{name}: the file is empty")
    return _name_columns(raw.astype(str), name)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _norm_tag(tag: str) -> str:
    parts = tag.strip().lower().split("+")
    return "+".join([parts[0], *sorted(p for p in parts[1:] if p)])


def _field_for(header: str, tag: str) -> str | None:
    if tag:
        t = _norm_tag(tag)
        for field, (_, tags) in FIELDS.items():
            if t in {_norm_tag(x) for x in tags}:
                return field
    h = fold(header).replace(" ", "_")
    for field, (names, _) in FIELDS.items():
        if h in names:
            return field
    return None


def _name_columns(raw: pd.DataFrame, name: str) -> pd.DataFrame:
    header = [str(h).strip() for h in raw.iloc[0]]
    tags = [""] * len(header)
    first_data = 1
    for i in range(1, min(len(raw), 6)):
        cells = [c.strip() for c in raw.iloc[i] if c.strip()]
        if cells and sum(c.startswith("#") for c in cells) >= max(1, len(cells) // 2):
            tags, first_data = [c.strip() for c in raw.iloc[i]], i + 1
            break
    if all(h.startswith("#") for h in header if h):  # hashtag row with no header row above it
        tags, first_data = header, 1
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    for idx, (h, tag) in enumerate(zip(header, tags)):
        field = _field_for(h, tag)
        if field and field not in mapping.values():
            mapping[idx] = field
        elif h or tag:
            unknown.append(h or tag)
    if "title" not in mapping.values():
        raise UploadError(f"{name}: no title column (header 'title' or hashtag #activity); found {header}")
    body = raw.iloc[first_data : first_data + MAX_ROWS]
    out = pd.DataFrame({field: body[idx].str.strip() for idx, field in mapping.items()})
    for field in FIELDS:
        if field not in out:
            out[field] = ""
    out.index = pd.RangeIndex(first_data + 1, first_data + 1 + len(out), name="row")  # spreadsheet row numbers
    out = out[out.apply(lambda r: any(v for v in r), axis=1)]
    out.attrs["ignored_columns"] = unknown
    out.attrs["truncated"] = len(raw) - first_data > MAX_ROWS
    return out


def _slug(text: str) -> str:
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")[:50] or "x"


@dataclass
class _Context:
    """What every row is checked against, built once per upload; organisations new to the dataset gather here."""

    filename: str
    gazetteer: Gazetteer
    theme_codes: list[str]
    themes: dict[str, str]  # folded code or label -> code
    statuses: set[str]
    event_types: set[str]
    orgs: dict[str, str]  # folded name, acronym or alias -> organisation id
    new_orgs: dict[str, dict] = field(default_factory=dict)


@dataclass
class _Rows:
    accepted: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    unresolved: list[dict] = field(default_factory=list)
    interventions: list[dict] = field(default_factory=list)
    participations: list[dict] = field(default_factory=list)
    locations: list[dict] = field(default_factory=list)


def ingest(table: pd.DataFrame, ds: Dataset, gazetteer: Gazetteer, filename: str) -> UploadResult:
    """Validate every row; accepted rows become interventions of an 'upload' source in a new in-memory Dataset."""
    ctx = _context(ds, gazetteer, filename)
    dates = {col: date_bounds_series(table[col]) for col in ("start_date", "end_date")}  # whole columns at once
    rows = _Rows()
    for row_no, r in table.iterrows():
        errors: list[dict] = []

        def bad(column: str, value: str, message: str, row_no=row_no, errors=errors) -> None:
            errors.append({"row": row_no, "column": column, "value": value[:200], "error": message})

        checked = _check_row(r, row_no, dates, ctx, bad)
        place = _place(r, gazetteer, bad)
        if errors:
            rows.rejected += [{**e, **{f"cell:{k}": v for k, v in r.items()}} for e in errors]
            continue
        _add_row(rows, ctx, r, row_no, checked, place)
    merged = _merge(ds, filename, rows.interventions, rows.participations, rows.locations, list(ctx.new_orgs.values()))
    rejected = pd.DataFrame(rows.rejected) if rows.rejected else pd.DataFrame(columns=["row", "column", "value", "error"])
    return UploadResult(
        pd.DataFrame(rows.accepted, columns=["row", "id", "title", "pcode"]),
        rejected,
        pd.DataFrame(rows.unresolved, columns=["row", "level", "text", "suggestions"]),
        merged,
        len(table),
    )


def _context(ds: Dataset, gazetteer: Gazetteer, filename: str) -> _Context:
    themes = ds.themes
    lookup = {fold(v): c for c, fr, en in themes[["code", "label_fr", "label_en"]].itertuples(index=False) for v in (c, fr, en)}
    return _Context(
        filename,
        gazetteer,
        list(themes["code"]),
        lookup,
        set(enum_values("interventions", "status")),
        set(enum_values("interventions", "event_type")),
        _org_lookup(ds.organisations),
    )


def _check_row(r: pd.Series, row_no, dates, ctx: _Context, bad) -> dict:
    """Every problem of one row reported through `bad`; returns the row's kind, event type, status and theme codes."""
    for col, value in r.items():
        if len(value) > MAX_CELL:
            bad(col, value, f"longer than {MAX_CELL} characters")
    if not r["title"]:
        bad("title", "", "required: the activity's title (#activity)")
    kind = r["kind"].lower() or "project"
    event_type = kind if kind in ctx.event_types else ""
    kind = "event" if event_type else kind
    if kind not in KINDS:
        bad("kind", r["kind"], f"expected one of: {', '.join(KINDS)}")
    status = r["status"].lower() or "unknown"
    if status not in ctx.statuses:
        bad("status", r["status"], f"expected one of: {', '.join(sorted(ctx.statuses))}")
    for col in ("start_date", "end_date"):
        if r[col] and pd.isna(dates[col][0][row_no]):
            bad(col, r[col], "expected a real date as YYYY, YYYY-MM or YYYY-MM-DD")
    if dates["start_date"][0][row_no] > dates["end_date"][1][row_no]:  # NaT compares False
        bad("end_date", r["end_date"], f"ends before it starts ({r['start_date']})")
    codes = []
    for theme in filter(None, (x.strip() for x in re.split(r"[;,]", r["themes"]))):
        code = ctx.themes.get(fold(theme))
        if code is None:
            bad("themes", theme, f"unknown theme; expected one of: {', '.join(ctx.theme_codes)}")
        else:
            codes.append(code)
    return {"kind": kind, "event_type": event_type, "status": status, "themes": ";".join(dict.fromkeys(codes))}


def _add_row(rows: _Rows, ctx: _Context, r: pd.Series, row_no, checked: dict, place: dict) -> None:
    """One accepted row as an intervention, its organisations by role and its place, each citing the file and row."""
    iid, title, cite = f"upload-{row_no}-{_slug(r['title'])}", r["title"], f"{ctx.filename}, row {row_no}"
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
            "start_date": r["start_date"],
            "end_date": r["end_date"],
            "dates_approximate": False,
            "themes": checked["themes"],
            "participants": pd.NA,
            "participants_approximate": False,
            "budget_amount": pd.NA,
            "budget_currency": "",
            "source_id": UPLOAD_SOURCE,
            "evidence": r["evidence"] or cite,
            "notes": f"Uploaded from {ctx.filename}, row {row_no}" + (f"; source: {r['source']}" if r["source"] else ""),
        }
    )
    for role, col in (("implementer", "implementers"), ("funder", "funders")):
        for name in filter(None, (x.strip() for x in r[col].split(";"))):
            rows.participations.append(
                {
                    "intervention_id": iid,
                    "organisation_id": _organisation(ctx, name),
                    "role": role,
                    "source_id": UPLOAD_SOURCE,
                    "evidence": cite,
                }
            )
    if place["pcode"]:
        rows.locations.append(
            {
                "intervention_id": iid,
                "place_name": place["text"],
                "country": "ML",
                "admin_level": place["level"],
                "pcode": place["pcode"],
                "pcode_vintage": VINTAGE,
                "latitude": pd.NA,
                "longitude": pd.NA,
                "precision": {1: 4, 2: 3, 3: 3}[place["level"]] if place["exact"] else 5,
                "reach": "activity",
                "source_id": UPLOAD_SOURCE,
                "evidence": cite,
                "notes": place["note"],
            }
        )
    if place["unresolved"]:
        rows.unresolved.append({"row": row_no, **place["unresolved"]})
    rows.accepted.append({"row": row_no, "id": iid, "title": title, "pcode": place["pcode"]})


def _organisation(ctx: _Context, name: str) -> str:
    """The known organisation this name, acronym or alias means, else a new one (once per upload)."""
    oid = ctx.orgs.get(fold(name))
    if oid is None:
        oid = f"upload-{_slug(name)}"
        ctx.new_orgs.setdefault(
            oid,
            {
                "id": oid,
                "name": name,
                "acronym": "",
                "aliases": name,
                "type": "other",
                "country": "",
                "notes": f"From {ctx.filename}",
            },
        )
        ctx.orgs[fold(name)] = oid
    return oid


def _org_lookup(orgs: pd.DataFrame) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in orgs.itertuples():
        for v in [r.name, r.acronym, *str(r.aliases).split(";")]:
            if isinstance(v, str) and v.strip():
                out.setdefault(fold(v), r.id)
    return out


def _place(r: pd.Series, g: Gazetteer, bad) -> dict:
    """The finest place the row gives: a P-code is checked, a name is resolved within its parent; unresolved names
    are reported with suggestions (the row itself is kept, without a location)."""
    out: dict[str, Any] = {"pcode": "", "level": None, "text": "", "exact": True, "note": "", "unresolved": None}
    parent = None
    for level in (1, 2, 3):
        code, name = r[f"adm{level}_pcode"].upper(), r[f"adm{level}_name"]
        if code:
            if not re.fullmatch(rf"ML\d{{{2 * level}}}", code) or (level <= g.finest_level and code not in g.by_pcode):
                bad(
                    f"adm{level}_pcode",
                    code,
                    f"unknown level-{level} P-code (expected e.g. {'ML01020304'[: PCODE_LENGTH[level]]})",
                )
                return out
            out.update(pcode=code, level=level, text=name or code)
            parent = code
        elif name:
            res = g.resolve(name, level=level, parent=parent)
            if res.match is None:
                out["unresolved"] = {
                    "level": level,
                    "text": name,
                    "suggestions": "; ".join(f"{u.name} ({u.pcode})" for u, _ in res.suggestions),
                }
                return out
            out.update(pcode=res.match.pcode, level=res.match.level, text=name, exact=res.exact, note=res.note)
            parent = res.match.pcode
    if not out["pcode"] and r["place_name"]:
        res = g.resolve(r["place_name"])
        if res.match is None:
            out["unresolved"] = {
                "level": None,
                "text": r["place_name"],
                "suggestions": "; ".join(f"{u.name} ({u.pcode})" for u, _ in res.suggestions),
            }
        else:
            out.update(
                pcode=res.match.pcode,
                level=res.match.level,
                text=r["place_name"],
                exact=res.exact and not res.ambiguous,
                note=res.note,
            )
    return out


def _merge(ds: Dataset, filename: str, ivs, parts, locs, orgs) -> Dataset:
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
            }
        ]
    )

    def add(name: str, rows) -> pd.DataFrame:
        if not len(rows):
            return tables[name]
        extra = pd.DataFrame(rows).reindex(columns=tables[name].columns)
        return pd.concat([tables[name], extra.astype(tables[name].dtypes.to_dict(), errors="ignore")], ignore_index=True)

    return ds.replace(
        sources=pd.concat([tables["sources"], src], ignore_index=True),
        interventions=add("interventions", ivs),
        participations=add("participations", parts),
        locations=add("locations", locs),
        organisations=add("organisations", orgs),
    )


def rejected_csv(result: UploadResult) -> bytes:
    return result.rejected.to_csv(index=False).encode("utf-8-sig")
