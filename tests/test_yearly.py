"""Counts over time on records built in code: multi-year, open-ended, partial and undated dates."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from malimap.counts.coverage import MapOptions
from malimap.counts.yearly import active_spans, count_by_year, records_in_cell, unit_year_matrix, unit_years
from malimap.outputs.exports import unit_years_csv, unit_years_excel
from malimap.testing.tiny import catalogue, iv, loc


@pytest.fixture(scope="module")
def cat():
    records = [
        iv("multi", "project", start="2015-03", end="2017"),  # three calendar years
        iv("open", "programme", status="ongoing", start="2014"),  # no end: up to its source's date (2016)
        iv("open-nodate", "programme", status="ongoing", start="2018", source_id="s2"),  # source undated: start year only
        iv("child", parent="multi", start="2016-05-02", end="2016-05-03"),
        iv("planned", status="planned", start="2017"),
        iv("undated"),
        iv("endonly", end="2012-06"),  # an end alone bounds both
    ]
    places = [
        loc("multi", "ML0101"),
        loc("open", "ML0102"),
        loc("open-nodate", "ML01"),
        loc("child", "ML0101"),
        loc("planned", "ML0101"),
        loc("undated", "ML0201"),
        loc("endonly", "ML0201"),
    ]
    c = catalogue(records, places)
    sources = pd.concat([c.sources.assign(published="2016-02-14"), c.sources.assign(id="s2", published="")], ignore_index=True)
    return c.__class__(**{**c.__dict__, "sources": sources})


def spans(cat) -> dict[str, tuple[int, int, bool]]:
    s = active_spans(cat, cat.interventions).merge(cat.interventions[["row", "id"]], on="row")
    return {r.id: (r.year_from, r.year_to, bool(r.open_ended)) for r in s.itertuples()}


def test_spans_cover_every_year_and_say_when_open(cat):
    assert spans(cat) == {
        "multi": (2015, 2017, False),
        "open": (2014, 2016, True),
        "open-nodate": (2018, 2018, True),
        "child": (2016, 2016, False),
        "planned": (2017, 2017, False),
        "endonly": (2012, 2012, False),
    }


def test_count_by_year_spreads_durations(cat):
    counts = count_by_year(cat, cat.interventions)
    programmes = counts[counts["kind"] == "programme"].set_index("year")["interventions"].to_dict()
    assert programmes == {2014: 1, 2015: 1, 2016: 1, 2018: 1}  # the open programme is active 2014-2016, not only 2014
    assert counts["interventions"].sum() == 3 + 3 + 1 + 1 + 1 + 1


def test_unit_year_matrix_counts_roots_and_keeps_planned_apart(cat):
    long = unit_years(cat, cat.interventions, MapOptions(level=2))
    counted, planned = unit_year_matrix(long)
    assert counted.loc["ML0101"].to_dict() == {2012: 0, 2013: 0, 2014: 0, 2015: 1, 2016: 1, 2017: 1, 2018: 0}
    assert planned.loc["ML0101", 2017] == 1  # another root, only planned there: apart, not counted
    assert counted.loc["ML0102"].to_dict()[2016] == 1 and counted.loc["ML0102"].to_dict()[2017] == 0
    assert counted.loc["ML01", 2018] == 1  # known only at region level: its own row, never lost
    assert bool(long.loc[long["unit_pcode"] == "ML01", "coarser_only"].all())
    assert "undated" not in set(long["intervention_id"])
    assert set(records_in_cell(cat, cat.interventions, long, "ML0101", 2016)["id"]) == {"multi", "child"}


def test_planned_only_cells(cat):
    items = cat.interventions[cat.interventions["id"] == "planned"]
    counted, planned = unit_year_matrix(unit_years(cat, items, MapOptions(level=2)))
    assert counted.loc["ML0101", 2017] == 0 and planned.loc["ML0101", 2017] == 1


def test_long_exports(cat):
    long = unit_years(cat, cat.interventions, MapOptions(level=2))
    text = unit_years_csv(long, "Toutes les interventions", "fr", sep=";").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][rows[0].index("year")] == "#date+year" and rows[1][rows[0].index("unit_pcode")] == "#adm+code"
    assert len(rows) == 2 + len(long) + 1 and rows[-1][0].startswith("Sélection")
    body = rows[2:-1]
    assert {r[rows[0].index("open_ended")] for r in body} == {"oui", "non"}  # never True/False
    xl = pd.read_excel(io.BytesIO(unit_years_excel(long, unit_year_matrix(long)[0], {}, "sel", "en")), sheet_name=None)
    assert set(xl) == {"long", "matrix", "about"} and len(xl["long"]) == len(long)
    assert rows[2][rows[0].index("citation")] == "Seed. 2016-02-14. seed file seed.txt"  # the source a reader can follow, not s1


def test_long_table_for_excel_is_in_the_page_s_language_with_numbers_as_numbers(cat):
    from openpyxl import load_workbook

    long = unit_years(cat, cat.interventions, MapOptions(level=2))
    data = unit_years_excel(long, unit_year_matrix(long)[0], {"ML0101": "Djenné"}, "sel", "fr")
    book = load_workbook(io.BytesIO(data))
    sheet = book["long"]
    head = [c.value for c in sheet[1]]
    assert head[:4] == ["Identifiant de la fiche", "Titre (tel que la source le donne)", "Type", "Statut"]
    first = dict(zip(head, (c.value for c in sheet[2])))
    assert isinstance(first["Année"], int) and first["Type"] in ("projet", "programme", "événement")
    assert first["Seulement prévu"] in ("oui", "non") and first["Source"] == "Seed. 2016-02-14. seed file seed.txt"
    names = [c.value for c in book["matrix"]["A"]]
    assert names[0] == "Unité" and "Djenné" in names  # names under a name heading, not under 'unit_pcode'
    assert all(isinstance(c.value, int) for c in book["matrix"][1][1:])  # the years, as numbers


def test_regions_by_years_keeps_to_the_page_s_years_and_places():
    from malimap.catalogue.build import build_catalogue
    from malimap.counts.filters import Filters, apply_filters
    from malimap.dataset import load_dataset
    from malimap.geo.boundaries import embedded_boundaries

    b = embedded_boundaries()
    real = build_catalogue(load_dataset(units=b.units), b)
    f = Filters(year_from=2015, year_to=2018, regions=("ML05",))
    items = apply_filters(real, f)
    loose = unit_years(real, items, MapOptions(level=1))
    assert loose["year"].max() > 2018 or loose["unit_pcode"].nunique() > 1  # what the records span beyond the filters
    long = unit_years(real, items, MapOptions(level=1), year_range=(2015, 2018), focus=("ML05",))
    assert long["year"].between(2015, 2018).all() and set(long["unit_pcode"]) == {"ML05"}
    counted, _ = unit_year_matrix(long)
    assert list(counted.index) == ["ML05"] and max(counted.columns) <= 2018
