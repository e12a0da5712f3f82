"""The data package's rules: field and key rules (dataset.field_rules, from datapackage.json), then the cross-table rules
(dates, P-codes, themes, quotes, precision, curation), plain pandas, every issue with its file, row and column."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from malimap import config
from malimap.catalogue.columns import isin, may_hold_markup, per_unique, positions
from malimap.config import VINTAGE
from malimap.dataset.curation import evidence_in_seeds, inferred_places, organisation_names, sensitive_says_why
from malimap.dataset.field_rules import check_fields, dup_keys, foreign_keys
from malimap.dataset.model import Issue
from malimap.dates import date_bounds_series
from malimap.schema import KINDS, PCODE_LENGTH, TABLES, deepest_level, load_schema

HTML_RE = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|javascript:", re.I)


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _interventions(tables: dict[str, pd.DataFrame]) -> list[Issue]:
    """Long because it is a list of independent rules on one table, each three to six lines, sharing `report`."""
    df, file = tables["interventions"], "interventions.csv"
    issues: list[Issue] = []

    def report(mask: pd.Series, column: str, values: pd.Series, message) -> None:
        for r in df.index[mask]:
            issues.append(Issue(file, int(r), column, values[r], message(r) if callable(message) else message))

    at = positions(df["parent_id"], df["id"])
    parent_kind = pd.Series(np.where(at >= 0, df["kind"].to_numpy()[at], None), index=df.index, dtype=object)
    allowed = {
        ("event", "project"),
        ("event", "programme"),
        ("project", "programme"),
        ("project", "project"),
        ("programme", "programme"),
    }
    has_parent = df["parent_id"].ne("")
    own = has_parent & df["parent_id"].eq(df["id"])
    report(own, "parent_id", df["parent_id"], "an intervention cannot be its own parent")
    fits = np.zeros(len(df), dtype=bool)
    for kind, parent in allowed:
        fits |= (df["kind"] == kind).to_numpy() & (parent_kind == parent).to_numpy()
    wrong = has_parent & ~own & parent_kind.notna() & df["kind"].isin(KINDS) & ~fits
    report(
        wrong,
        "parent_id",
        df["parent_id"],
        lambda r: (
            f"{_a(df.at[r, 'kind'])} cannot belong to {_a(parent_kind[r])} "
            f"(expected {' or '.join(sorted(p for k, p in allowed if k == df.at[r, 'kind']))})"
        ),
    )
    report(pd.Series(_in_cycle(at), index=df.index) & ~own, "parent_id", df["parent_id"], "parent links form a cycle")
    report(df["event_type"].ne("") & df["kind"].ne("event"), "event_type", df["event_type"], "event_type is only for kind=event")
    bounds = {}
    for col in ("start_date", "end_date"):
        lo, hi, impossible = date_bounds_series(df[col])
        report(impossible, col, df[col], "impossible calendar date")
        bounds[col] = (lo, hi)
    ends_first = bounds["start_date"][0] > bounds["end_date"][1]
    report(ends_first.fillna(False), "end_date", df["end_date"], lambda r: f"ends before it starts ({df.at[r, 'start_date']})")
    codes = set(tables["themes"]["code"])
    # checked once per distinct list of themes (a million rows repeat a few hundred), then found back by position
    which, lists = pd.factorize(df["themes"], use_na_sentinel=False)
    unknown = {i for i, text in enumerate(lists) if any(c.strip() and c.strip() not in codes for c in str(text).split(";"))}
    listed = df["themes"][np.isin(which, list(unknown))].str.split(";").explode().str.strip()
    listed = listed[listed.ne("") & ~listed.isin(codes)]
    for r, code in listed.items():
        issues.append(
            Issue(file, int(r), "themes", code, f"unknown theme: not a code in themes.csv ({', '.join(sorted(codes))})")
        )
    half = df["budget_amount"].ne("") != df["budget_currency"].ne("")
    report(
        half,
        "budget_currency",
        df["budget_currency"].where(df["budget_currency"].ne(""), df["budget_amount"]),
        "budget_amount and budget_currency go together",
    )
    report(
        df["participants_approximate"].str.lower().eq("true") & df["participants"].eq(""),
        "participants_approximate",
        df["participants_approximate"],
        "approximate count given without participants",
    )
    dated = df["start_date"].ne("") | df["end_date"].ne("")
    report(
        df["dates_approximate"].str.lower().eq("true") & df["notes"].str.strip().eq(""),
        "dates_approximate",
        df["dates_approximate"],
        "approximate dates need a note saying how they were inferred (see datapackage.json)",
    )
    report(
        df["dates_approximate"].str.lower().eq("true") & ~dated,
        "dates_approximate",
        df["dates_approximate"],
        "no date to be approximate about",
    )
    return issues


def _in_cycle(parent: np.ndarray) -> np.ndarray:
    """Rows whose parent chain comes back to themselves, following every chain one step at a time (parent row positions)."""
    me = np.arange(len(parent))
    cur = parent.copy()
    cyc = np.zeros(len(parent), dtype=bool)
    for _ in range(min(len(parent), 64)):
        cyc |= cur == me
        live = cur >= 0
        if not live.any():
            break
        cur = np.where(live, parent[np.maximum(cur, 0)], -1)
    return cyc


def _whole_number(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.where(s.str.strip().str.isdigit()), errors="coerce")


def _locations(tables: dict[str, pd.DataFrame], units: pd.DataFrame | None) -> list[Issue]:
    """Long because it is a list of independent rules on one table, each three to six lines, sharing `report`."""
    df, file = tables["locations"], "locations.csv"
    issues: list[Issue] = []

    def report(mask: pd.Series, column: str, values, message) -> None:
        for r in df.index[mask]:
            v = values[r] if isinstance(values, pd.Series) else values
            issues.append(Issue(file, int(r), column, v, message(r) if callable(message) else message))

    level = per_unique(df["admin_level"], _whole_number)
    has = df["pcode"].ne("")
    report(has & df["country"].ne("ML"), "country", df["country"], "a P-code is only for places in Mali (country ML)")
    report(has & df["pcode_vintage"].eq(""), "pcode_vintage", "", f"required with a P-code (e.g. {VINTAGE})")
    expected_len = level.map(PCODE_LENGTH)
    bad_len = has & expected_len.notna() & df["pcode"].str.len().ne(expected_len)
    report(
        bad_len,
        "pcode",
        df["pcode"],
        lambda r: (
            f"a level-{int(level[r])} P-code has {PCODE_LENGTH[int(level[r])]} "
            f"characters (e.g. {'ML0102030405'[: PCODE_LENGTH[int(level[r])]]})"
        ),
    )
    report(~has & level.notna(), "pcode", "", lambda r: f"admin_level {int(level[r])} needs a P-code")
    half = df["latitude"].ne("") != df["longitude"].ne("")
    report(half, "latitude", "", "latitude and longitude go together")
    # one precision rule for every row (datapackage.json): the code must agree with what the place is
    precision = per_unique(df["precision"], _whole_number)
    allowed = {1: {2, 4, 5}, 2: {2, 3, 5}, 3: {2, 3, 5}}
    for lv, ok in allowed.items():
        report(
            level.eq(lv) & precision.notna() & ~precision.isin(ok),
            "precision",
            df["precision"],
            f"a level-{lv} place takes precision {', '.join(map(str, sorted(ok)))} (see the rule in datapackage.json)",
        )
    report(
        precision.eq(6) & (has | df["country"].ne("ML")),
        "precision",
        df["precision"],
        "precision 6 is the whole of Mali: no P-code, country ML",
    )
    report(precision.isin([3, 4]) & ~has, "precision", df["precision"], "precision 3 or 4 names a unit: a P-code is needed")
    if units is not None and len(units):
        known = set(units["pcode"])
        finest = deepest_level(units)
        vintage = config.setting("vintage")
        check = has & ~bad_len & df["pcode_vintage"].isin(["", vintage])
        deeper = check & (level > finest)
        parent = df["pcode"].str[: PCODE_LENGTH[finest]]
        report(
            deeper & ~isin(parent, known),
            "pcode",
            df["pcode"],
            lambda r: f"unknown P-code: its parent {parent[r]} is not in the gazetteer",
        )
        report(
            check & ~deeper & ~isin(df["pcode"], known), "pcode", df["pcode"], f"unknown P-code: not in the {vintage} gazetteer"
        )
        if deeper.any():
            issues.append(
                Issue(
                    file,
                    None,
                    "pcode",
                    None,
                    f"{int(deeper.sum())} commune P-code(s) checked only against their cercle: the active boundaries have "
                    "no commune list (run `python -m malimap boundaries import PATH` for a full check)",
                    "warning",
                )
            )
    return issues


def _conflicts(tables: dict[str, pd.DataFrame]) -> list[Issue]:
    df = tables["conflicts"]
    if df.empty:
        return []
    ids = {
        "interventions": set(tables["interventions"]["id"]),
        "organisations": set(tables["organisations"]["id"]),
        "participations": set(tables["participations"]["intervention_id"]),
        "locations": set(tables["locations"]["intervention_id"]),
    }
    return [
        Issue("conflicts.csv", int(r), "record_id", row.record_id, f"no such record in {row.table}")
        for r, row in df.iterrows()
        if row.table in ids and row.record_id not in ids[row.table]
    ]


def _html_warnings(tables: dict[str, pd.DataFrame]) -> list[Issue]:
    issues = []
    for name, df in tables.items():
        for col in df.columns:
            maybe = may_hold_markup(df[col])
            if not maybe.any():
                continue
            hits = df[maybe]
            hits = hits[hits[col].str.contains(HTML_RE, na=False)]
            issues += [
                Issue(
                    f"{name}.csv",
                    int(r),
                    col,
                    hits.loc[r, col],
                    "contains HTML/script markup: kept and shown as plain text",
                    "warning",
                )
                for r in hits.index
            ]
    return issues


FORMULA_RE = re.compile(r"^\s*(=|@|[+\-]\s*[A-Za-z(])")  # what a spreadsheet runs: =HYPERLINK(…), @SUM, +cmd|… (never -4.2)


def _formula_warnings(tables: dict[str, pd.DataFrame]) -> list[Issue]:
    """Free text that a spreadsheet would run as a formula: kept as written in the package (it is the source's text),
    said here; every download meant for a spreadsheet defuses it."""
    issues = []
    for name, df in tables.items():
        free = [f.name for f in load_schema()[name].fields if f.type == "string" and not f.enum and not f.pattern]
        for col in free:
            if col not in df or not len(df):
                continue
            starts = df[col].str[:1].isin(["=", "@", "+", "-"]) | df[col].str.match(r"^\s+[=@+\-]", na=False)
            for r in df.index[starts]:
                if FORMULA_RE.match(str(df.at[r, col])):
                    issues.append(Issue(f"{name}.csv", int(r), col, df.at[r, col],
                                        "starts like a spreadsheet formula: kept as written, defused in every download", "warning"))  # fmt: skip
    return issues


def validate_tables(tables: dict[str, pd.DataFrame], seeds: Path | None = None, units: pd.DataFrame | None = None) -> list[Issue]:
    schema = load_schema()
    issues: list[Issue] = []
    for name in TABLES:
        issues += check_fields(tables[name], schema[name])
        issues += dup_keys(tables[name], schema[name])
        issues += foreign_keys(tables, schema[name])
    issues += _interventions(tables) + _locations(tables, units) + inferred_places(tables, units)
    issues += organisation_names(tables) + _conflicts(tables) + sensitive_says_why(tables)
    issues += evidence_in_seeds(tables, seeds) + _html_warnings(tables) + _formula_warnings(tables)
    return sorted(issues, key=lambda i: (i.severity != "error", i.file, i.row or 0, i.column or ""))
