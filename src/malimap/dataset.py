"""Read a data package into tables and validate it.

Field rules (types, enums, patterns, required, unique) come from datapackage.json and run through pandera, which
checks whole columns at once and reports every failing cell with its row; cross-table rules (keys, dates, P-codes,
themes, quotes) are plain pandas below.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from . import config
from .schema import KINDS, PCODE_LENGTH, TABLES, Field, Table, load_schema

HTML_RE = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|javascript:", re.I)


@dataclass(frozen=True)
class Issue:
    """One problem, located precisely enough to fix it: file, spreadsheet row (header = 1), column, value."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file + (f", row {self.row}" if self.row is not None else "") + (f", column '{self.column}'" if self.column else "")
        value = "" if self.value is None else f": value {_short(self.value)!r}"
        return f"{self.severity.upper()} {where}{value}: {self.message}"


def _short(value: str, n: int = 80) -> str:
    value = str(value)
    return value if len(value) <= n else value[: n - 1] + "…"


class DatasetError(ValueError):
    def __init__(self, issues: list[Issue]):
        self.issues = issues
        errors = [i for i in issues if i.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in the dataset; first: {errors[0] if errors else ''}")


@dataclass(frozen=True)
class Dataset:
    sources: pd.DataFrame
    themes: pd.DataFrame
    organisations: pd.DataFrame
    interventions: pd.DataFrame
    participations: pd.DataFrame
    locations: pd.DataFrame
    conflicts: pd.DataFrame
    path: str = ""

    def tables(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "path"}

    def replace(self, **tables: pd.DataFrame) -> "Dataset":
        return Dataset(**{**self.tables(), "path": self.path, **tables})


# ---------------------------------------------------------------- reading

def read_csv_text(text: str, table: Table, file: str) -> tuple[pd.DataFrame, list[Issue]]:
    """Parse CSV text as strings; a row with the wrong number of cells is reported, never guessed or dropped silently."""
    issues: list[Issue] = []
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return pd.DataFrame(columns=table.columns), [Issue(file, None, None, None, "file is empty: expected a header row")]
    header = [h.strip().lstrip("\ufeff") for h in header]
    missing = [c for c in table.columns if c not in header]
    extra = [c for c in header if c not in table.columns]
    for c in missing:
        issues.append(Issue(file, 1, c, None, f"column missing from the header; expected columns: {', '.join(table.columns)}"))
    for c in extra:
        issues.append(Issue(file, 1, c, None, "unknown column (ignored)", "warning"))
    rows, numbers = [], []
    for row_no, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            issues.append(Issue(file, row_no, None, ",".join(cells),
                                f"row has {len(cells)} cells, the header has {len(header)}: check quotes and commas; row not loaded"))
            continue
        rows.append(dict(zip(header, cells)))
        numbers.append(row_no)
    df = pd.DataFrame(rows, index=pd.Index(numbers, name="row"), columns=header, dtype=object)
    for c in missing:
        df[c] = ""
    return df[table.columns].fillna("").astype(str), issues


def read_tables(path: str | Path) -> tuple[dict[str, pd.DataFrame], list[Issue]]:
    path = Path(path)
    schema = load_schema()
    if not path.is_dir():
        raise FileNotFoundError(f"{path} is not a folder with datapackage.json and CSV files")
    tables, issues = {}, []
    for name in TABLES:
        table = schema[name]
        file = path / table.path
        if not file.exists():
            issues.append(Issue(table.path, None, None, None, f"file not found in {path}"))
            tables[name] = pd.DataFrame(columns=table.columns)
            continue
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            issues.append(Issue(table.path, None, None, None, f"not UTF-8 text ({exc}); save the file as UTF-8 CSV"))
            tables[name] = pd.DataFrame(columns=table.columns)
            continue
        tables[name], found = read_csv_text(text, table, table.path)
        issues += found
    return tables, issues


# ---------------------------------------------------------------- field rules (pandera)

def _field_checks(f: Field) -> list[pa.Check]:
    blank = lambda s: s.str.strip().eq("")  # noqa: E731
    checks = []
    if f.required:
        checks.append(pa.Check(lambda s: ~blank(s), error="required: must not be empty"))
    if f.type == "integer":
        checks.append(pa.Check(lambda s: blank(s) | s.str.fullmatch(r"\s*-?\d+\s*"), error="expected a whole number"))
    elif f.type == "number":
        checks.append(pa.Check(lambda s: blank(s) | pd.to_numeric(s, errors="coerce").notna(), error="expected a number"))
    elif f.type == "boolean":
        checks.append(pa.Check(lambda s: s.str.strip().str.lower().isin(["", "true", "false"]), error="expected true or false"))
    if f.enum:
        allowed = [str(v) for v in f.enum]
        checks.append(pa.Check(lambda s: blank(s) | s.str.strip().isin(allowed), error=f"expected one of: {', '.join(allowed)}"))
    if f.pattern:
        checks.append(pa.Check(lambda s: blank(s) | s.str.fullmatch(f.pattern), error=f"does not match the expected form {f.pattern}"))
    if f.minimum is not None or f.maximum is not None:
        checks.append(pa.Check(_in_range(f.minimum, f.maximum), error=_range_text(f.minimum, f.maximum)))
    if f.max_length:
        checks.append(pa.Check(lambda s: s.str.len() <= f.max_length, error=f"longer than {f.max_length} characters"))
    return checks


def _in_range(lo: float | None, hi: float | None):
    def check(s: pd.Series) -> pd.Series:
        n = pd.to_numeric(s, errors="coerce")
        ok = pd.Series(True, index=s.index)
        if lo is not None:
            ok &= ~(n < lo)
        if hi is not None:
            ok &= ~(n > hi)
        return ok
    return check


def _range_text(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f"expected a value from {lo:g} to {hi:g}"
    return f"expected a value of at least {lo:g}" if lo is not None else f"expected a value of at most {hi:g}"


def _pandera_schema(table: Table) -> pa.DataFrameSchema:
    return pa.DataFrameSchema({f.name: pa.Column(str, checks=_field_checks(f), unique=f.unique, nullable=False)
                               for f in table.fields}, strict=False, coerce=False)


def check_fields(df: pd.DataFrame, table: Table) -> list[Issue]:
    try:
        _pandera_schema(table).validate(df, lazy=True)
        return []
    except SchemaErrors as err:
        issues = []
        for fc in err.failure_cases.itertuples():
            msg = str(fc.check)
            if msg.startswith("field_uniqueness"):
                msg = "duplicate value: must be unique"
            row = int(fc.index) if pd.notna(fc.index) else None
            issues.append(Issue(table.path, row, fc.column, str(fc.failure_case), msg))
        return issues


# ---------------------------------------------------------------- cross-table rules

def _dup_keys(df: pd.DataFrame, table: Table) -> list[Issue]:
    if len(table.primary_key) < 2 or df.empty:
        return []
    dup = df[df.duplicated(list(table.primary_key), keep="first")]
    return [Issue(table.path, int(r), "+".join(table.primary_key), " | ".join(dup.loc[r, list(table.primary_key)]),
                  "duplicate primary key: this combination already appears above") for r in dup.index]


def _foreign_keys(tables: dict[str, pd.DataFrame], table: Table) -> list[Issue]:
    issues = []
    df = tables[table.name]
    schema = load_schema()
    for col, ref_table, ref_col in table.foreign_keys:
        known = set(tables[ref_table][ref_col])
        bad = df[(df[col] != "") & ~df[col].isin(known)]
        issues += [Issue(table.path, int(r), col, bad.loc[r, col],
                         f"unknown {ref_table}.{ref_col}: no such row in {schema[ref_table].path}") for r in bad.index]
    return issues


def date_bounds(value: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Earliest and latest day a partial ISO date can mean ('2018' -> 2018-01-01 .. 2018-12-31); None if impossible."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value or "")
    if not m:
        return None
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if d:
            t = pd.Timestamp(y, int(mo), int(d))
            return t, t
        if mo:
            return pd.Timestamp(y, int(mo), 1), pd.Timestamp(y, int(mo), calendar.monthrange(y, int(mo))[1])
        return pd.Timestamp(y, 1, 1), pd.Timestamp(y, 12, 31)
    except ValueError:
        return None


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _interventions(tables: dict[str, pd.DataFrame]) -> list[Issue]:
    df, file = tables["interventions"], "interventions.csv"
    issues = []
    kinds = df.set_index("id")["kind"].to_dict() if "id" in df else {}
    allowed_parent = {"event": {"project", "programme"}, "project": {"programme", "project"}, "programme": {"programme"}}
    themes = set(tables["themes"]["code"])
    parents = df.set_index("id")["parent_id"].to_dict()
    for r, row in df.iterrows():
        r = int(r)
        if row.parent_id:
            if row.parent_id == row.id:
                issues.append(Issue(file, r, "parent_id", row.parent_id, "an intervention cannot be its own parent"))
            elif row.parent_id in kinds and row.kind in KINDS and kinds[row.parent_id] not in allowed_parent[row.kind]:
                issues.append(Issue(file, r, "parent_id", row.parent_id,
                                    f"{_a(row.kind)} cannot belong to {_a(kinds[row.parent_id])} (expected {' or '.join(sorted(allowed_parent[row.kind]))})"))
            else:
                seen, cur = {row.id}, row.parent_id
                while cur in parents and parents[cur]:
                    if cur in seen:
                        issues.append(Issue(file, r, "parent_id", row.parent_id, "parent links form a cycle"))
                        break
                    seen.add(cur)
                    cur = parents[cur]
        if row.event_type and row.kind != "event":
            issues.append(Issue(file, r, "event_type", row.event_type, "event_type is only for kind=event"))
        bounds = {}
        for col in ("start_date", "end_date"):
            if row[col] and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", row[col]):
                b = date_bounds(row[col])
                if b is None:
                    issues.append(Issue(file, r, col, row[col], "impossible calendar date"))
                else:
                    bounds[col] = b
        if len(bounds) == 2 and bounds["start_date"][0] > bounds["end_date"][1]:
            issues.append(Issue(file, r, "end_date", row.end_date, f"ends before it starts ({row.start_date})"))
        for code in filter(None, (c.strip() for c in row.themes.split(";"))):
            if code not in themes:
                issues.append(Issue(file, r, "themes", code, f"unknown theme: not a code in themes.csv ({', '.join(sorted(themes))})"))
        if bool(row.budget_amount) != bool(row.budget_currency):
            issues.append(Issue(file, r, "budget_currency", row.budget_currency or row.budget_amount,
                                "budget_amount and budget_currency go together"))
        if row.participants_approximate.lower() == "true" and not row.participants:
            issues.append(Issue(file, r, "participants_approximate", "true", "approximate count given without participants"))
    return issues


def _locations(tables: dict[str, pd.DataFrame], units: pd.DataFrame | None) -> list[Issue]:
    df, file = tables["locations"], "locations.csv"
    issues = []
    known = set(units["pcode"]) if units is not None else set()
    finest = int(units["level"].max()) if units is not None and len(units) else 0
    unchecked = 0
    for r, row in df.iterrows():
        r = int(r)
        level = int(row.admin_level) if row.admin_level.strip().isdigit() else None
        if row.pcode:
            if row.country != "ML":
                issues.append(Issue(file, r, "country", row.country, "a P-code is only for places in Mali (country ML)"))
            if not row.pcode_vintage:
                issues.append(Issue(file, r, "pcode_vintage", "", "required with a P-code (e.g. cod-ab-mli-v02)"))
            if level in PCODE_LENGTH and len(row.pcode) != PCODE_LENGTH[level]:
                issues.append(Issue(file, r, "pcode", row.pcode,
                                    f"a level-{level} P-code has {PCODE_LENGTH[level]} characters (e.g. {'ML0102030405'[:PCODE_LENGTH[level]]})"))
            elif units is not None and row.pcode_vintage in ("", config.setting("vintage")):
                if level and level > finest:
                    parent = row.pcode[: PCODE_LENGTH[finest]]
                    unchecked += 1
                    if parent not in known:
                        issues.append(Issue(file, r, "pcode", row.pcode, f"unknown P-code: its parent {parent} is not in the gazetteer"))
                elif row.pcode not in known:
                    issues.append(Issue(file, r, "pcode", row.pcode,
                                        f"unknown P-code: not in the {config.setting('vintage')} gazetteer"))
        elif level is not None:
            issues.append(Issue(file, r, "pcode", "", f"admin_level {level} needs a P-code"))
        if bool(row.latitude) != bool(row.longitude):
            issues.append(Issue(file, r, "longitude" if row.latitude else "latitude", "", "latitude and longitude go together"))
    if unchecked:
        issues.append(Issue(file, None, "pcode", None,
                            f"{unchecked} commune P-code(s) checked only against their cercle: the active boundaries have no "
                            "commune list (run `python -m malimap boundaries import PATH` for a full check)", "warning"))
    return issues


def _organisations(tables: dict[str, pd.DataFrame]) -> list[Issue]:
    df, file = tables["organisations"], "organisations.csv"
    owner: dict[str, str] = {}
    issues = []
    for r, row in df.iterrows():
        for alias in filter(None, (a.strip() for a in row.aliases.split(";"))):
            key = alias.casefold()
            if key in owner and owner[key] != row.id:
                issues.append(Issue(file, int(r), "aliases", alias,
                                    f"alias also used by organisation '{owner[key]}': one spelling must point to one organisation"))
            owner.setdefault(key, row.id)
    return issues


def _conflicts(tables: dict[str, pd.DataFrame]) -> list[Issue]:
    df = tables["conflicts"]
    ids = {"interventions": set(tables["interventions"]["id"]), "organisations": set(tables["organisations"]["id"]),
           "participations": set(tables["participations"]["intervention_id"]),
           "locations": set(tables["locations"]["intervention_id"])}
    return [Issue("conflicts.csv", int(r), "record_id", row.record_id, f"no such record in {row.table}")
            for r, row in df.iterrows() if row.table in ids and row.record_id not in ids[row.table]]


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _evidence(tables: dict[str, pd.DataFrame], seeds: Path | None) -> list[Issue]:
    """Each quote must occur verbatim (whitespace collapsed) in its cited seed file, where that file is available."""
    if seeds is None or not seeds.is_dir():
        return [Issue("sources.csv", None, "file", str(seeds), "seed folder not found: evidence quotes not checked", "warning")]
    issues, texts = [], {}
    for r, row in tables["sources"].iterrows():
        f = seeds / row.file
        if f.exists():
            texts[row.id] = _collapse(f.read_text(encoding="utf-8"))
        else:
            issues.append(Issue("sources.csv", int(r), "file", row.file, f"not found in {seeds}: its quotes are not checked", "warning"))
    for name in ("interventions", "participations", "locations", "conflicts"):
        df = tables[name]
        for r, row in df.iterrows():
            if row.source_id in texts and row.evidence and _collapse(row.evidence) not in texts[row.source_id]:
                issues.append(Issue(f"{name}.csv", int(r), "evidence", row.evidence,
                                    f"quote not found verbatim in {tables['sources'].set_index('id').loc[row.source_id, 'file']}"))
    return issues


def _html_warnings(tables: dict[str, pd.DataFrame]) -> list[Issue]:
    issues = []
    for name, df in tables.items():
        for col in df.columns:
            hits = df[df[col].str.contains(HTML_RE, na=False)]
            issues += [Issue(f"{name}.csv", int(r), col, hits.loc[r, col], "contains HTML/script markup: kept and shown as plain text",
                             "warning") for r in hits.index]
    return issues


def validate_tables(tables: dict[str, pd.DataFrame], seeds: Path | None = None, units: pd.DataFrame | None = None) -> list[Issue]:
    schema = load_schema()
    issues: list[Issue] = []
    for name in TABLES:
        issues += check_fields(tables[name], schema[name])
        issues += _dup_keys(tables[name], schema[name])
        issues += _foreign_keys(tables, schema[name])
    issues += _interventions(tables) + _locations(tables, units) + _organisations(tables) + _conflicts(tables)
    issues += _evidence(tables, seeds) + _html_warnings(tables)
    return sorted(issues, key=lambda i: (i.severity != "error", i.file, i.row or 0, i.column or ""))


def _default_units() -> pd.DataFrame:
    from .boundaries import active_boundaries
    return active_boundaries().units


def validate_dataset(path: str | Path, seeds: Path | None = None, units: pd.DataFrame | None = None) -> list[Issue]:
    tables, issues = read_tables(path)
    units = _default_units() if units is None else units
    return issues + validate_tables(tables, seeds if seeds is not None else config.seeds_dir(), units)


# ---------------------------------------------------------------- typed tables

def typed_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Strings to the types datapackage.json declares; empty cells become missing values, never invented ones."""
    schema = load_schema()
    out = {}
    for name, df in tables.items():
        df = df.reset_index(drop=True).copy()
        for f in schema[name].fields:
            s = df[f.name].str.strip()
            if f.type == "integer":
                df[f.name] = pd.to_numeric(s.replace("", None), errors="coerce").astype("Int64")
            elif f.type == "number":
                df[f.name] = pd.to_numeric(s.replace("", None), errors="coerce").astype("Float64")
            elif f.type == "boolean":
                df[f.name] = s.str.lower().eq("true")
        out[name] = df
    return out


def load_dataset(path: str | Path | None = None, seeds: Path | None = None, units: pd.DataFrame | None = None) -> Dataset:
    """Validated, typed tables; raises DatasetError listing every error (file, row, column, value, what is expected)."""
    path = Path(path or config.data_dir())
    tables, issues = read_tables(path)
    units = _default_units() if units is None else units
    issues += validate_tables(tables, seeds if seeds is not None else config.seeds_dir(), units)
    if any(i.severity == "error" for i in issues):
        raise DatasetError(issues)
    return Dataset(**typed_tables(tables), path=str(path))
