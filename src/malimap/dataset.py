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

# columns added after the first data packages were written: an older package still loads, each one read as empty
LATER_COLUMNS = {("organisations", "curator_aliases"), ("organisations", "sensitive"), ("locations", "sensitive")}


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
        if (table.name, c) in LATER_COLUMNS:
            issues.append(Issue(file, 1, c, None, "column missing from the header (added in a later version): read as empty",
                                "warning"))
        else:
            issues.append(Issue(file, 1, c, None, f"column missing from the header; expected columns: {', '.join(table.columns)}"))
    for c in extra:
        issues.append(Issue(file, 1, c, None, "unknown column (ignored)", "warning"))
    fast = _read_fast(text, header, table)
    if fast is not None:
        return fast, issues
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


def _read_fast(text: str, header: list[str], table: Table) -> pd.DataFrame | None:
    """pandas' C parser for well-formed files; None sends the file to the row-by-row reader that reports bad rows."""
    if re.search(r"\n\s*\n", text) or "\r" in text:
        return None  # blank lines or CR: keep exact row numbers with the careful reader
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, engine="c",
                         skip_blank_lines=False, on_bad_lines="error")
    except (pd.errors.ParserError, ValueError):
        return None
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    if list(df.columns) != header:
        return None
    df.index = pd.RangeIndex(2, 2 + len(df), name="row")
    blank = df.apply(lambda col: col.str.strip().eq("")).all(axis=1) if len(df) else pd.Series(dtype=bool)
    df = df[~blank]
    for c in table.columns:
        if c not in df:
            df[c] = ""
    return df[table.columns].astype(str)


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
        known = pd.Index(tables[ref_table][ref_col].unique())
        bad = df[(df[col] != "") & ~df[col].isin(known)]
        issues += [Issue(table.path, int(r), col, bad.loc[r, col],
                         f"unknown {ref_table}.{ref_col}: no such row in {schema[ref_table].path}") for r in bad.index]
    return issues


def date_bounds(value: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Earliest and latest day a partial ISO date can mean ('2018' -> 2018-01-01 .. 2018-12-31); None if impossible."""
    lo, hi, _ = date_bounds_series(pd.Series([value or ""], dtype=object))
    return None if pd.isna(lo.iloc[0]) else (lo.iloc[0], hi.iloc[0])


_DATE_RE = r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$"


def date_bounds_series(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Vectorised date_bounds: (earliest, latest, well-formed-but-impossible) for a column of partial ISO dates."""
    parts = values.fillna("").astype(str).str.extract(_DATE_RE)
    y = pd.to_numeric(parts[0], errors="coerce")
    m = pd.to_numeric(parts[1], errors="coerce")
    d = pd.to_numeric(parts[2], errors="coerce")
    lo = pd.to_datetime(pd.DataFrame({"year": y, "month": m.fillna(1), "day": d.fillna(1)}), errors="coerce")
    month_end = (lo + pd.offsets.MonthEnd(0)).where(m.notna())
    hi = lo.where(d.notna(), month_end.where(m.notna(), pd.to_datetime(pd.DataFrame({"year": y, "month": 12, "day": 31}), errors="coerce")))
    impossible = y.notna() & lo.isna()
    return lo.where(~impossible), hi.where(~impossible), impossible


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _interventions(tables: dict[str, pd.DataFrame]) -> list[Issue]:
    df, file = tables["interventions"], "interventions.csv"
    issues: list[Issue] = []

    def report(mask: pd.Series, column: str, values: pd.Series, message) -> None:
        for r in df.index[mask]:
            issues.append(Issue(file, int(r), column, values[r], message(r) if callable(message) else message))

    kind_of = dict(zip(df["id"], df["kind"]))
    parent_kind = df["parent_id"].map(kind_of)
    allowed = {("event", "project"), ("event", "programme"), ("project", "programme"), ("project", "project"),
               ("programme", "programme")}
    has_parent = df["parent_id"].ne("")
    own = has_parent & df["parent_id"].eq(df["id"])
    report(own, "parent_id", df["parent_id"], "an intervention cannot be its own parent")
    pairs = pd.Series(list(zip(df["kind"], parent_kind)), index=df.index)
    wrong = has_parent & ~own & parent_kind.notna() & df["kind"].isin(KINDS) & ~pairs.isin(allowed)
    report(wrong, "parent_id", df["parent_id"], lambda r: f"{_a(df.at[r, 'kind'])} cannot belong to {_a(parent_kind[r])} "
           f"(expected {' or '.join(sorted(p for k, p in allowed if k == df.at[r, 'kind']))})")
    report(_in_cycle(df) & ~own, "parent_id", df["parent_id"], "parent links form a cycle")
    report(df["event_type"].ne("") & df["kind"].ne("event"), "event_type", df["event_type"], "event_type is only for kind=event")
    bounds = {}
    for col in ("start_date", "end_date"):
        lo, hi, impossible = date_bounds_series(df[col])
        report(impossible, col, df[col], "impossible calendar date")
        bounds[col] = (lo, hi)
    ends_first = bounds["start_date"][0] > bounds["end_date"][1]
    report(ends_first.fillna(False), "end_date", df["end_date"], lambda r: f"ends before it starts ({df.at[r, 'start_date']})")
    codes = set(tables["themes"]["code"])
    listed = df["themes"].str.split(";").explode().str.strip()
    listed = listed[listed.ne("") & ~listed.isin(codes)]
    for r, code in listed.items():
        issues.append(Issue(file, int(r), "themes", code, f"unknown theme: not a code in themes.csv ({', '.join(sorted(codes))})"))
    half = df["budget_amount"].ne("") != df["budget_currency"].ne("")
    report(half, "budget_currency", df["budget_currency"].where(df["budget_currency"].ne(""), df["budget_amount"]),
           "budget_amount and budget_currency go together")
    report(df["participants_approximate"].str.lower().eq("true") & df["participants"].eq(""), "participants_approximate",
           df["participants_approximate"], "approximate count given without participants")
    dated = df["start_date"].ne("") | df["end_date"].ne("")
    report(df["dates_approximate"].str.lower().eq("true") & df["notes"].str.strip().eq(""), "dates_approximate",
           df["dates_approximate"], "approximate dates need a note saying how they were inferred (see datapackage.json)")
    report(df["dates_approximate"].str.lower().eq("true") & ~dated, "dates_approximate", df["dates_approximate"],
           "no date to be approximate about")
    return issues


def _in_cycle(df: pd.DataFrame) -> pd.Series:
    """Rows whose parent chain comes back to themselves, by following all chains one step at a time."""
    parent = dict(zip(df["id"], df["parent_id"]))
    cur = df["parent_id"].copy()
    cyc = pd.Series(False, index=df.index)
    for _ in range(min(len(df), 64)):
        cyc |= cur.eq(df["id"]) & cur.ne("")
        cur = cur.map(parent).fillna("")
        if cur.eq("").all():
            break
    return cyc


def _locations(tables: dict[str, pd.DataFrame], units: pd.DataFrame | None) -> list[Issue]:
    df, file = tables["locations"], "locations.csv"
    issues: list[Issue] = []

    def report(mask: pd.Series, column: str, values, message) -> None:
        for r in df.index[mask]:
            v = values[r] if isinstance(values, pd.Series) else values
            issues.append(Issue(file, int(r), column, v, message(r) if callable(message) else message))

    level = pd.to_numeric(df["admin_level"].where(df["admin_level"].str.strip().str.isdigit()), errors="coerce")
    has = df["pcode"].ne("")
    report(has & df["country"].ne("ML"), "country", df["country"], "a P-code is only for places in Mali (country ML)")
    report(has & df["pcode_vintage"].eq(""), "pcode_vintage", "", "required with a P-code (e.g. cod-ab-mli-v02)")
    expected_len = level.map(PCODE_LENGTH)
    bad_len = has & expected_len.notna() & df["pcode"].str.len().ne(expected_len)
    report(bad_len, "pcode", df["pcode"], lambda r: f"a level-{int(level[r])} P-code has {PCODE_LENGTH[int(level[r])]} "
           f"characters (e.g. {'ML0102030405'[:PCODE_LENGTH[int(level[r])]]})")
    report(~has & level.notna(), "pcode", "", lambda r: f"admin_level {int(level[r])} needs a P-code")
    half = df["latitude"].ne("") != df["longitude"].ne("")
    report(half, "latitude", "", "latitude and longitude go together")
    # one precision rule for every row (datapackage.json): the code must agree with what the place is
    precision = pd.to_numeric(df["precision"].where(df["precision"].str.strip().str.isdigit()), errors="coerce")
    allowed = {1: {2, 4, 5}, 2: {2, 3, 5}, 3: {2, 3, 5}}
    for lv, ok in allowed.items():
        report(level.eq(lv) & precision.notna() & ~precision.isin(ok), "precision", df["precision"],
               f"a level-{lv} place takes precision {', '.join(map(str, sorted(ok)))} (see the rule in datapackage.json)")
    report(precision.eq(6) & (has | df["country"].ne("ML")), "precision", df["precision"],
           "precision 6 is the whole of Mali: no P-code, country ML")
    report(precision.isin([3, 4]) & ~has, "precision", df["precision"], "precision 3 or 4 names a unit: a P-code is needed")
    if units is not None and len(units):
        known = set(units["pcode"])
        finest = int(units["level"].max())
        vintage = config.setting("vintage")
        check = has & ~bad_len & df["pcode_vintage"].isin(["", vintage])
        deeper = check & (level > finest)
        parent = df["pcode"].str[: PCODE_LENGTH[finest]]
        report(deeper & ~parent.isin(known), "pcode", df["pcode"], lambda r: f"unknown P-code: its parent {parent[r]} is not in the gazetteer")
        report(check & ~deeper & ~df["pcode"].isin(known), "pcode", df["pcode"], f"unknown P-code: not in the {vintage} gazetteer")
        if deeper.any():
            issues.append(Issue(file, None, "pcode", None,
                                f"{int(deeper.sum())} commune P-code(s) checked only against their cercle: the active boundaries have "
                                "no commune list (run `python -m malimap boundaries import PATH` for a full check)", "warning"))
    return issues


def _organisations(tables: dict[str, pd.DataFrame]) -> list[Issue]:
    df, file = tables["organisations"], "organisations.csv"
    owner: dict[str, str] = {}
    issues = []
    for r, row in df.iterrows():
        names = f"{row.aliases};{row.get('curator_aliases', '')}"
        for alias in filter(None, (a.strip() for a in names.split(";"))):
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
    files = dict(zip(tables["sources"]["id"], tables["sources"]["file"]))
    if texts and len(texts) == len(tables["sources"]):  # aliases are source spellings: each one is in some seed
        everything = " ".join(texts.values()).casefold()
        for r, aliases in zip(tables["organisations"].index, tables["organisations"]["aliases"]):
            for alias in filter(None, (a.strip() for a in aliases.split(";"))):
                if _collapse(alias).casefold() not in everything:
                    issues.append(Issue("organisations.csv", int(r), "aliases", alias,
                                        "no seed uses this spelling: put it in curator_aliases"))
    for name in ("interventions", "participations", "locations", "conflicts"):
        df = tables[name]
        for r, source, quote in zip(df.index, df["source_id"], df["evidence"]):
            if source in texts and quote and _collapse(quote) not in texts[source]:
                issues.append(Issue(f"{name}.csv", int(r), "evidence", quote, f"quote not found verbatim in {files[source]}"))
    return issues


def _html_warnings(tables: dict[str, pd.DataFrame]) -> list[Issue]:
    issues = []
    for name, df in tables.items():
        for col in df.columns:
            maybe = df[col].str.contains("<", regex=False) | df[col].str.contains("javascript:", case=False, regex=False)
            if not maybe.any():
                continue
            hits = df[maybe]
            hits = hits[hits[col].str.contains(HTML_RE, na=False)]
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
