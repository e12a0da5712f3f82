"""OCHA's operational presence (3W/5W) workbooks as published: written here with the traps real ones have — a title row
above French headers and their HXL row, pivot and summary sheets after the data, ISO3 P-codes and a cercle's code in
the region column, names in capitals, exact duplicate rows, a thousand empty columns, an organisation by its acronym in
one row and by its full name in another, no activity title anywhere."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from benchmarks.presence import HEADER, HXL
from malimap.dataset import load_dataset
from malimap.geo.boundaries import embedded_boundaries
from malimap.geo.gazetteer import Gazetteer
from malimap.sheets.columns import read_table
from malimap.sheets.three_w import ingest

ROWS = [
    ["Norwegian Refugee Council", "NRC", "ONG Internationale", "Protection", "Cohésion sociale", "MOPTI", "Koro", "", "MLI05", "MLI0506", "", "2023-01-01", "2023-12-31", "En cours"],
    ["NRC", "NRC", "ONG Internationale", "Protection", "", "Mopti", "Bankass", "", "MLI05", "MLI0505", "", "2023-01-01", "", "En cours"],
    ["Association Malienne pour la Survie au Sahel", "AMSS", "ONG Nationale", "Cohésion sociale", "", "Tombouctou", "", "", "MLI0602", "", "", "2022-06-01", "2023-05-31", "Terminé"],
    ["Fonds des Nations unies pour l'enfance", "UNICEF", "Agence UN", "Protection", "", "BAMAKO", "", "", "ML09", "", "", "", "", "Planifié"],
    ["Groupe local de paix", "", "Association", "Cohésion sociale", "", "Segou", "", "", "", "", "", "", "", ""],
]  # fmt: skip
DUPLICATES = 5


def workbook(empty_columns: int = 1000) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "5W"
    ws.append(["Mali : présence opérationnelle (5W), T1 2023"])  # a title above the header
    ws.append(HEADER + [" "] * empty_columns)  # blank header cells over empty columns, as exported sheets have
    ws.append(HXL)
    for row in ROWS:
        ws.append(row)
    for _ in range(DUPLICATES):
        ws.append(ROWS[0])  # the same row again: collapsed, counted
    pivot = wb.create_sheet("TCD")
    pivot.append(["Étiquettes de lignes", "Nombre de Nom Organisation"])
    for region, n in (("Mopti", 7), ("Tombouctou", 1), ("Total général", 8)):
        pivot.append([region, n])
    summary = wb.create_sheet("Synthèse")
    summary.append(["Organisations", "=COUNTA('5W'!A4:A20)"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def base():
    b = embedded_boundaries()
    return load_dataset(units=b.units), b


@pytest.fixture(scope="module")
def result(base):
    ds, b = base
    return ingest(read_table("mali-5w.xlsx", workbook()), ds, Gazetteer(b.units), "mali-5w.xlsx", "fr")


def test_the_data_sheet_is_found_under_its_title_row_before_pivot_sheets(result):
    assert result.sheet == "5W" and result.other_sheets == ("TCD", "Synthèse")
    assert result.rows_read == len(ROWS)  # the duplicates collapsed before reading
    assert result.duplicates == DUPLICATES
    assert result.ignored_columns == ()  # a thousand blank headers are not listed as columns


def test_every_row_without_a_title_is_a_presence_placed_by_its_codes(result):
    assert result.rejected.empty
    iv = result.dataset.interventions.set_index("id")
    mine = iv.loc[result.accepted["id"]]
    assert set(mine["kind"]) == {"presence"} and len(mine) == len(ROWS)
    by_row = result.accepted.set_index("row")["pcode"].to_dict()
    assert by_row == {4: "ML0506", 5: "ML0505", 6: "ML0602", 7: "ML09", 8: "ML04"}  # MLI codes, capitals, no accent
    loc = result.dataset.locations.set_index("intervention_id")
    amss = result.accepted.set_index("row").loc[6, "id"]
    assert "ML0602 dans la colonne admin1 est un code de cercle\u00a0: lu comme tel" in loc.loc[amss, "notes"]
    assert mine.loc[result.accepted.set_index("row").loc[4, "id"], "title"] == "Norwegian Refugee Council — Protection"
    assert "sous-secteur tel qu'écrit\u00a0: Cohésion sociale" in mine.loc[result.accepted.set_index("row").loc[4, "id"], "notes"]
    statuses = dict(zip(result.accepted["row"], mine["status"]))
    assert statuses == {4: "ongoing", 5: "ongoing", 6: "completed", 7: "planned", 8: "unknown"}


def test_organisations_by_acronym_or_full_name_and_their_types(result):
    parts = result.dataset.participations
    mine = parts[parts["intervention_id"].isin(result.accepted["id"])]
    orgs = result.dataset.organisations.set_index("id")
    by_row = dict(zip(result.accepted["row"], mine["organisation_id"]))
    assert by_row[4] == by_row[5]  # "Norwegian Refugee Council" and "NRC": one organisation
    assert by_row[6] == "amss"  # the shipped organisation, by name
    nrc = orgs.loc[by_row[4]]
    assert (nrc["name"], nrc["acronym"], nrc["type"]) == ("Norwegian Refugee Council", "NRC", "international_ngo")
    assert orgs.loc[by_row[7], "type"] == "multilateral" and orgs.loc[by_row[8], "type"] == "local_cso"
    assert "type as written: Agence UN" in orgs.loc[by_row[7], "notes"]


def test_presence_counts_among_organisations_never_as_initiatives(result, base):
    from malimap.catalogue.build import build_catalogue
    from malimap.counts.coverage import MapOptions, unit_coverage
    from malimap.counts.filters import Filters, apply_filters
    from malimap.outputs.legend import coverage_sentence

    _, b = base
    cat = build_catalogue(result.dataset, b)
    items = apply_filters(cat, Filters())
    before = build_catalogue(load_dataset(units=b.units), b)
    old = {m: unit_coverage(before, apply_filters(before, Filters()), MapOptions(level=1, measure=m)).units.set_index("pcode")["value"] for m in ("initiatives", "organisations")}  # fmt: skip
    new = {m: unit_coverage(cat, items, MapOptions(level=1, measure=m)).units.set_index("pcode")["value"] for m in ("initiatives", "organisations")}  # fmt: skip
    assert new["initiatives"].equals(old["initiatives"])  # not one initiative more anywhere
    assert new["organisations"]["ML05"] == old["organisations"]["ML05"] + 1  # NRC in Mopti (twice, one organisation)
    assert new["organisations"]["ML04"] == old["organisations"]["ML04"] + 1  # the local peace group in Ségou
    sentence = coverage_sentence(MapOptions(level=1, measure="organisations"), "en", presence=True)
    assert "Organisations present in a 3W/5W (no activity named) count too." in sentence


def test_import_3w_keeps_presences_as_a_valid_package(tmp_path, capsys):
    from malimap.cli import main

    sheet = tmp_path / "mali-5w.xlsx"
    sheet.write_bytes(workbook(empty_columns=50))
    assert main(["import-3w", str(sheet), "--into", str(tmp_path / "pkg")]) == 0
    said = capsys.readouterr().out.splitlines()  # every row of the sheet accounted for, places by how found
    assert said[1:] == [
        "sheet '5W' (not read: TCD, Synthèse)",
        f"rows: {len(ROWS) + DUPLICATES} in the sheet, {DUPLICATES} exact duplicates collapsed, {len(ROWS)} read, "
        f"{len(ROWS)} kept (presence {len(ROWS)}), 0 rejected",
        f"places: exact {len(ROWS)}; not recognised 0; sectors kept as written 0",
    ]
    iv = pd.read_csv(tmp_path / "pkg" / "interventions.csv", dtype=str, keep_default_na=False)
    assert (iv["kind"] == "presence").sum() == len(ROWS)
    load_dataset(tmp_path / "pkg", seeds=Path("/nonexistent"), units=embedded_boundaries().units)  # valid


def test_a_sheet_with_neither_title_nor_organisation_and_place_is_refused_listing_only_real_headers():
    from malimap.sheets.reader import UploadError

    sheet = "Budget,Notes" + "," * 1000 + "\n1,2\n"
    with pytest.raises(UploadError) as err:
        read_table("x.csv", sheet.encode())
    assert err.value.text("en").endswith("found: Budget, Notes")  # no thousand commas


def test_user_text_in_messages_is_never_markdown():
    from malimap.sheets.reader import UploadError

    err = UploadError("no_title", name="my_file.csv", header="![x](http://example.invalid/p.png), adm1_name")
    shown = err.markdown("en")
    assert "\\!\\[x\\]\\(http://example\\.invalid/p\\.png\\)" in shown and "my\\_file\\.csv" in shown and "adm1\\_name" in shown


def test_where_rows_landed_one_marker_per_place_and_way_found(base):
    from test_upload_real import FRENCH_SHEET

    from malimap.outputs.landing import STYLES, landing_legend, landing_map, landing_points

    ds, b = base
    r = ingest(read_table("cluster.csv", FRENCH_SHEET.encode()), ds, Gazetteer(b.units), "cluster.csv", "en")
    points = landing_points(r.accepted, b)
    drawn = r.accepted[r.accepted["place"].isin(STYLES) & r.accepted["pcode"].ne("")]
    assert points["rows"].sum() == len(drawn)  # every drawable row on one marker; abroad and placeless rows apart
    assert set(points["how"]) <= set(STYLES) and points[["lat", "lng"]].notna().all().all()
    legend = landing_legend(r.accepted["place"].value_counts().to_dict(), "en")
    assert ":green[●] exact: " in legend and "abroad, not drawn: 1" in legend
    m = landing_map(points, b, dict(zip(b.units["pcode"], b.units["name"])), "en")
    scripts = [src for _, src in m.default_js] + [href for _, href in m.default_css]
    assert scripts and all(s.startswith("../../app/static/leaflet/") for s in scripts)  # the app's own Leaflet, no CDN
