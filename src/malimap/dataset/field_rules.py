"""Field rules (types, enums, patterns, ranges, required, unique) and key rules from datapackage.json. Field rules run
through pandera, which checks whole columns at once and reports every failing cell with its row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from malimap.catalogue.columns import isin
from malimap.dataset.model import Issue
from malimap.schema import Field, Table, load_schema


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
        checks.append(
            pa.Check(lambda s: blank(s) | s.str.fullmatch(f.pattern), error=f"does not match the expected form {f.pattern}")
        )
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


def _column_schema(f: Field) -> pa.DataFrameSchema:
    return pa.DataFrameSchema({f.name: pa.Column(str, checks=_field_checks(f), nullable=False)}, strict=False, coerce=False)


def _costly(f: Field) -> bool:
    """Rules worth sharing between equal values: types, enums, patterns, ranges (not 'required' or a length)."""
    typed = f.type in ("integer", "number", "boolean")
    return not f.unique and (typed or bool(f.enum) or bool(f.pattern) or f.minimum is not None or f.maximum is not None)


def check_fields(df: pd.DataFrame, table: Table) -> list[Issue]:
    """The field rules, run by pandera once per distinct value of each column (a million rows of dates or kinds hold a
    few thousand), every failure then reported on each row that holds the value."""
    issues: list[Issue] = []
    for f in table.fields:
        if f.name not in df:
            continue
        if _costly(f):
            codes, uniques = pd.factorize(df[f.name], use_na_sentinel=False)
            values = pd.Series(uniques, dtype=object).astype(str)
        else:  # ids, names, quotes: values rarely repeat and checks are cheap, so they run on the column itself
            codes, values = np.arange(len(df)), df[f.name].reset_index(drop=True)
        failing: dict[int, list[tuple[str, str]]] = {}
        try:
            _column_schema(f).validate(pd.DataFrame({f.name: values}), lazy=True)
        except SchemaErrors as err:
            for fc in err.failure_cases.itertuples():
                if pd.notna(fc.index):
                    failing.setdefault(int(fc.index), []).append((str(fc.failure_case), str(fc.check)))
        if failing:
            hit = np.isin(codes, list(failing))
            for r, code in zip(df.index[hit], codes[hit]):
                issues += [Issue(table.path, int(r), f.name, value, check) for value, check in failing[int(code)]]
        if f.unique:
            dup = df[f.name].duplicated(keep=False).to_numpy()
            issues += [
                Issue(table.path, int(r), f.name, str(v), "duplicate value: must be unique")
                for r, v in zip(df.index[dup], df[f.name][dup])
            ]
    return issues


def dup_keys(df: pd.DataFrame, table: Table) -> list[Issue]:
    if len(table.primary_key) < 2 or df.empty:
        return []
    dup = df[df.duplicated(list(table.primary_key), keep="first")]
    return [
        Issue(
            table.path,
            int(r),
            "+".join(table.primary_key),
            " | ".join(dup.loc[r, list(table.primary_key)]),
            "duplicate primary key: this combination already appears above",
        )
        for r in dup.index
    ]


def foreign_keys(tables: dict[str, pd.DataFrame], table: Table) -> list[Issue]:
    issues = []
    df = tables[table.name]
    schema = load_schema()
    for col, ref_table, ref_col in table.foreign_keys:
        bad = df[(df[col] != "").to_numpy() & ~isin(df[col], tables[ref_table][ref_col].unique())]
        issues += [
            Issue(
                table.path,
                int(r),
                col,
                bad.loc[r, col],
                f"unknown {ref_table}.{ref_col}: no such row in {schema[ref_table].path}",
            )
            for r in bad.index
        ]
    return issues
