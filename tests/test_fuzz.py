"""Property-based tests: random valid data and random garbage never raise, and every validation error names its place."""

from __future__ import annotations

import csv
import io
import string

import pandas as pd
from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from malimap.catalogue.build import build_catalogue
from malimap.counts.filters import Filters, apply_filters, describe_filters
from malimap.dataset import load_dataset, read_csv_text, read_tables, validate_tables
from malimap.geo.boundaries import embedded_boundaries
from malimap.geo.gazetteer import Gazetteer
from malimap.schema import load_schema
from malimap.sheets.columns import read_table
from malimap.sheets.reader import UploadError
from malimap.sheets.three_w import ingest

BOUNDARIES = embedded_boundaries()
GAZ = Gazetteer(BOUNDARIES.units)
DATASET = load_dataset(units=BOUNDARIES.units)
CATALOGUE = build_catalogue(DATASET, BOUNDARIES)
TABLES, _ = read_tables(DATA)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    '=HYPERLINK("http://x")',
    "'; DROP TABLE x; --",
    "\u202e\u0000\ufeff",
    "**bold** _it_ `code` # h1",
    "a" * 3000,
]
cell = st.one_of(
    st.text(max_size=40), st.sampled_from(HOSTILE), st.sampled_from(["", "2018", "2018-02-30", "ML01", "event", "true"])
)


@SETTINGS
@given(
    table=st.sampled_from(sorted(TABLES)), edits=st.lists(st.tuples(st.integers(0, 200), st.integers(0, 30), cell), max_size=8)
)
def test_validator_never_raises_and_locates_errors(table, edits):
    tables = {k: v.copy() for k, v in TABLES.items()}
    df = tables[table]
    for r, c, value in edits:
        if len(df):
            df.iat[r % len(df), c % len(df.columns)] = value
    issues = validate_tables(tables, seeds=None, units=BOUNDARIES.units)
    for i in issues:
        if i.severity == "error":
            assert i.file and (i.row is not None or i.column or "file" in i.message), i


line_cell = cell.filter(lambda c: "\n" not in c and "\r" not in c)


@SETTINGS
@given(rows=st.lists(st.lists(line_cell, min_size=0, max_size=12), max_size=15))
def test_csv_reader_never_raises_and_never_drops_silently(rows):
    buf = io.StringIO()
    csv.writer(buf).writerows([load_schema()["themes"].columns, *rows])
    df, issues = read_csv_text(buf.getvalue(), load_schema()["themes"], "themes.csv")
    nonblank = [r for r in rows if any(c.strip() for c in r)]
    reported = [i for i in issues if "cells" in i.message]
    assert len(df) + len(reported) == len(nonblank)  # every row is loaded or reported, none vanishes
    assert all(i.row is not None for i in reported)


@SETTINGS
@given(data=st.binary(max_size=2000), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a.pdf"]))
def test_upload_reader_on_garbage(data, name):
    try:
        table = read_table(name, data)
    except UploadError:
        return
    result = ingest(table, DATASET, GAZ, name)
    assert len(set(result.accepted["row"]) | set(result.rejected.get("row", []))) == len(table)


@SETTINGS
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "title": cell,
                "kind": cell,
                "themes": cell,
                "start_date": cell,
                "end_date": cell,
                "adm1_name": cell,
                "adm2_pcode": cell,
                "implementers": cell,
            }
        ),
        min_size=1,
        max_size=10,
    )
)
def test_upload_rows_all_accounted_for(rows):
    df = pd.DataFrame(rows)
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    try:
        table = read_table("x.csv", buf.getvalue().encode())
    except UploadError:
        return
    result = ingest(table, DATASET, GAZ, "x.csv")
    accepted, rejected = set(result.accepted["row"]), set(result.rejected["row"]) if len(result.rejected) else set()
    assert accepted | rejected == set(table.index) and not accepted & rejected
    for e in result.rejected.itertuples():
        assert e.row in table.index and e.column and e.error


@SETTINGS
@given(
    text=st.one_of(st.text(max_size=60), st.sampled_from(HOSTILE)),
    level=st.sampled_from([None, 1, 2, 3]),
    parent=st.one_of(st.none(), st.text(max_size=10), st.sampled_from(["ML06", "Mopti"])),
)
def test_gazetteer_never_raises(text, level, parent):
    r = GAZ.resolve(text, level=level, parent=parent)
    assert r.match is None or r.match.pcode in GAZ.by_pcode
    assert all(u.pcode in GAZ.by_pcode for u, _ in r.suggestions)


ids = st.lists(
    st.one_of(st.sampled_from(list(DATASET.organisations["id"])), st.text(alphabet=string.ascii_lowercase, max_size=6)),
    max_size=3,
).map(tuple)


@SETTINGS
@given(
    f=st.builds(
        Filters,
        organisations=ids,
        funders=ids,
        themes=ids,
        kinds=ids,
        regions=ids,
        cercles=ids,
        communes=ids,
        statuses=ids,
        role=st.sampled_from(["any", "funder", "chair", "nonsense"]),
        year_from=st.one_of(st.none(), st.integers(1900, 2100)),
        year_to=st.one_of(st.none(), st.integers(1900, 2100)),
    ),
    lang=st.sampled_from(["fr", "en", "xx"]),
)
def test_filters_never_raise(f, lang):
    out = apply_filters(CATALOGUE, f)
    assert set(out["id"]) <= set(CATALOGUE.interventions["id"])
    assert isinstance(describe_filters(f, lang, CATALOGUE), str)
