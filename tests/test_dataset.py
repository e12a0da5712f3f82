"""The shipped dataset is valid; each kind of bad input is caught with its file, row, column and value."""

from __future__ import annotations

import json

import pytest
from conftest import DATA, SEEDS, edit_csv

from malimap.cli import main as cli
from malimap.dataset import DatasetError, date_bounds, load_dataset, validate_dataset


def errors(path, **kw):
    return [i for i in validate_dataset(path, **kw) if i.severity == "error"]


def test_shipped_dataset_is_valid():
    assert errors(DATA) == []
    ds = load_dataset(DATA)
    assert len(ds.interventions) == 31
    assert set(ds.interventions["kind"]) == {"programme", "project", "event"}
    assert ds.interventions["id"].is_unique


def test_shipped_quotes_checked_against_seeds():
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    issues = validate_dataset(DATA, seeds=SEEDS)
    assert not [i for i in issues if i.column == "evidence"]


def test_every_schema_field_is_described():
    dp = json.loads((DATA / "datapackage.json").read_text())
    for res in dp["resources"]:
        for f in res["schema"]["fields"]:
            assert f.get("description"), f"{res['name']}.{f['name']} has no description"


@pytest.mark.parametrize(
    "file,row,column,value,expected",
    [
        ("interventions.csv", 2, "kind", "festival", "expected one of: programme, project, event"),
        ("interventions.csv", 3, "status", "done", "expected one of"),
        ("participations.csv", 2, "organisation_id", "no-such-org", "unknown organisations.id"),
        ("participations.csv", 3, "intervention_id", "ghost", "unknown interventions.id"),
        ("interventions.csv", 4, "start_date", "2018-13-01", "does not match the expected form"),
        ("interventions.csv", 4, "start_date", "2018-02-30", "impossible calendar date"),
        ("interventions.csv", 4, "end_date", "2017-01", "ends before it starts"),
        ("locations.csv", 4, "pcode", "ML0699", "unknown P-code"),
        ("locations.csv", 4, "pcode", "ML06051", "does not match the expected form"),
        ("interventions.csv", 2, "evidence", "", "required: must not be empty"),
        ("interventions.csv", 3, "id", "local-voices-for-peace", "duplicate value"),
        ("interventions.csv", 2, "themes", "peace;astrology", "unknown theme"),
        ("interventions.csv", 2, "participants", "about 20", "expected a whole number"),
        ("locations.csv", 2, "precision", "12", "from 1 to 9"),
        ("organisations.csv", 2, "type", "charity", "expected one of"),
        ("interventions.csv", 3, "parent_id", "peace-exchange-workshop-2018-05", "a project cannot belong to an event"),
        ("interventions.csv", 4, "parent_id", "peace-exchange-workshop-2018-05", "cannot be its own parent"),
        ("locations.csv", 2, "precision", "3", "a level-1 place takes precision 2, 4, 5"),
        ("locations.csv", 3, "precision", "4", "precision 3 or 4 names a unit"),
        ("locations.csv", 9, "precision", "6", "precision 6 is the whole of Mali"),
        ("interventions.csv", 7, "dates_approximate", "true", "approximate dates need a note"),
        ("interventions.csv", 2, "dates_approximate", "true", "no date to be approximate about"),
        ("locations.csv", 10, "reach", "origin", "expected one of: activity, beneficiaries, participants_from"),
    ],
)
def test_bad_cell_is_reported_with_location(data_copy, file, row, column, value, expected):
    edit_csv(data_copy / file, row, column, value)
    found = [i for i in errors(data_copy) if i.file == file and i.column == column]
    assert found, f"no error for {file} row {row} {column}={value!r}"
    assert any(expected in i.message for i in found), [str(i) for i in found]
    assert any(i.row == row for i in found) or "duplicate" in expected
    assert "row" in str(found[0]) and column in str(found[0])


def test_alias_must_be_a_source_spelling(data_copy):
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    edit_csv(data_copy / "organisations.csv", 2, "aliases", "Peace Direct; Paix Directe")
    found = [i for i in errors(data_copy, seeds=SEEDS) if i.column == "aliases"]
    assert [(i.row, i.value) for i in found] == [(2, "Paix Directe")] and "curator_aliases" in found[0].message
    edit_csv(data_copy / "organisations.csv", 2, "curator_aliases", "Paix Directe")
    edit_csv(data_copy / "organisations.csv", 2, "aliases", "Peace Direct")
    assert [i for i in errors(data_copy, seeds=SEEDS) if i.column == "aliases"] == []


def test_quote_not_in_seed(data_copy):
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    edit_csv(data_copy / "interventions.csv", 2, "evidence", "A sentence no seed contains.")
    found = [i for i in errors(data_copy, seeds=SEEDS) if i.column == "evidence"]
    assert len(found) == 1 and found[0].row == 2 and "not found verbatim" in found[0].message


def test_html_in_text_is_kept_as_text(data_copy):
    hostile = '<script>alert("x")</script><b onmouseover=alert(1)>Atelier</b>'
    edit_csv(data_copy / "interventions.csv", 2, "title", hostile)
    issues = validate_dataset(data_copy)
    assert not [i for i in issues if i.severity == "error"]
    assert any(i.column == "title" and i.severity == "warning" and "plain text" in i.message for i in issues)
    ds = load_dataset(data_copy)
    assert ds.interventions.loc[0, "title"] == hostile


def test_malformed_row_is_reported_and_good_rows_kept(data_copy):
    path = data_copy / "themes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "broken,row,with,too,many,cells,here")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = [i for i in errors(data_copy) if i.file == "themes.csv"]
    assert len(found) == 1 and found[0].row == 4 and "cells" in found[0].message
    with pytest.raises(DatasetError):
        load_dataset(data_copy)


def test_package_written_before_later_columns_still_loads(data_copy):
    import csv

    path = data_copy / "organisations.csv"
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    keep = [c for c in rows[0] if c not in ("curator_aliases", "sensitive")]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=keep, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    issues = validate_dataset(data_copy)
    assert [i for i in issues if i.severity == "error"] == []
    assert {i.column for i in issues if "later version" in i.message} == {"curator_aliases", "sensitive"}
    assert not load_dataset(data_copy).organisations["sensitive"].any()


def test_every_good_row_is_loaded():
    ds = load_dataset(DATA)
    for name, df in ds.tables().items():
        n_lines = sum(1 for _ in open(DATA / f"{name}.csv", encoding="utf-8")) - 1
        assert len(df) == n_lines, name


def test_missing_column_and_file(data_copy):
    (data_copy / "conflicts.csv").unlink()
    text = (data_copy / "sources.csv").read_text().replace("publisher,", "", 1)
    (data_copy / "sources.csv").write_text(text)
    msgs = [str(i) for i in errors(data_copy)]
    assert any("conflicts.csv" in m and "file not found" in m for m in msgs)
    assert any("sources.csv" in m and "'publisher'" in m and "column missing" in m for m in msgs)


def test_date_bounds_follow_precision():
    assert [str(d.date()) for d in date_bounds("2018")] == ["2018-01-01", "2018-12-31"]
    assert [str(d.date()) for d in date_bounds("2016-02")] == ["2016-02-01", "2016-02-29"]
    assert date_bounds("2019-02-29") is None


def test_cli_exit_status(data_copy, capsys):
    assert cli(["validate", str(DATA)]) == 0
    edit_csv(data_copy / "locations.csv", 3, "reach", "everywhere")
    assert cli(["validate", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "locations.csv, row 3, column 'reach'" in err and "everywhere" in err


def test_a_bad_value_on_several_rows_is_reported_on_each(data_copy):
    # field rules run once per distinct value; every row holding a failing value must still be named
    for row in (2, 5):
        edit_csv(data_copy / "interventions.csv", row, "status", "finished")
    edit_csv(data_copy / "locations.csv", 3, "precision", "seven")
    issues = errors(data_copy)
    status = [(i.row, i.value) for i in issues if i.column == "status"]
    assert status == [(2, "finished"), (5, "finished")]
    assert any(i.file == "locations.csv" and i.row == 3 and i.column == "precision" for i in issues)


def test_an_alias_is_a_whole_word_of_a_seed_and_never_another_organisation_s_name(data_copy, tmp_path):
    """'ADA' hidden inside 'Canada' is not a spelling the seeds use; 'WANEP' is the regional network's own acronym."""
    import pandas as pd

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in pd.read_csv(data_copy / "sources.csv", dtype=str)["file"]:
        (seeds / name).write_text("Le Canada soutient la paix. PDX au Mali.", encoding="utf-8")
    edit_csv(data_copy / "organisations.csv", 2, "aliases", "Peace Direct; PDX; Canad")
    found = {i.value: i.message for i in errors(data_copy, seeds=seeds) if i.column == "aliases"}
    assert "PDX" not in found and "whole word" in found["Canad"]  # 'Canad' only inside 'Canada'
    edit_csv(data_copy / "organisations.csv", 2, "aliases", "Peace Direct; WANEP")
    clash = [i for i in errors(data_copy) if i.column == "aliases" and i.value == "WANEP"]
    assert clash and "organisation 'wanep'" in clash[0].message


@pytest.mark.parametrize(
    "title", ["maire de la commune II de Bamako", "Ministre de la Réconciliation Nationale", "the Mayor of Gao"]
)
def test_an_office_title_is_not_an_alias(data_copy, title):
    """A quote naming the mayor supports the town hall's participation; the mayor's title is not a spelling of its name."""
    edit_csv(data_copy / "organisations.csv", 5, "aliases", title)
    found = [(i.row, i.value) for i in errors(data_copy) if i.column == "aliases" and "office" in i.message]
    assert found == [(5, title)]


def _messages(path, file, column):
    return [(i.row, i.message) for i in errors(path) if i.file == file and i.column == column]


def test_a_place_its_notes_call_inferred_is_estimated(data_copy):
    edit_csv(data_copy / "locations.csv", 21, "precision", "3")  # Kayes, 'Garbled text … estimated (precision 5)'
    assert (21, "the notes say this place is inferred: precision 5 (estimated)") in _messages(
        data_copy, "locations.csv", "precision"
    )


def test_a_place_a_conflicts_row_calls_inferred_is_estimated(data_copy):
    edit_csv(data_copy / "locations.csv", 2, "notes", "The hotel of the workshop.")  # the notes no longer say it
    edit_csv(data_copy / "locations.csv", 2, "precision", "2")
    assert _messages(data_copy, "locations.csv", "precision") == [
        (2, "conflicts row peace-exchange-city says it is inferred: precision 5")
    ]
    edit_csv(data_copy / "locations.csv", 2, "pcode", "ML05")  # the row no longer is the place the conflict names
    assert [m for _, m in _messages(data_copy, "conflicts.csv", "claim")] == [
        "no location of peace-exchange-workshop-2018-05 is this place"
    ]


def test_where_participants_came_from_is_never_finer_than_the_quote(data_copy):
    """'des régions de Kidal et Gao' names regions: a cercle of Kidal would place people more finely than the source."""
    edit_csv(data_copy / "locations.csv", 7, "admin_level", "2")
    for cercle in ("ML0803", "ML0802"):  # Tessalit; the cercle of Kidal, named like its region
        edit_csv(data_copy / "locations.csv", 7, "pcode", cercle)
        found = _messages(data_copy, "locations.csv", "pcode")
        assert [r for r, m in found if "the quote does not name" in m] == [7], cercle


def test_a_sensitive_row_says_why(data_copy):
    edit_csv(data_copy / "locations.csv", 12, "notes", "")  # a focal points' place, marked sensitive
    edit_csv(data_copy / "interventions.csv", 5, "sensitive", "true")  # a record marked with no reason in its notes…
    edit_csv(data_copy / "interventions.csv", 5, "notes", "")
    edit_csv(data_copy / "interventions.csv", 20, "notes", "Held outside Mali.")  # …and AMSS's part no longer explained
    found = {(i.file, i.row, i.column) for i in errors(data_copy) if "sensitive" in i.message}
    assert found == {("locations.csv", 12, "notes"), ("interventions.csv", 5, "notes"), ("participations.csv", 50, "sensitive")}


def test_people_and_per_record_marks_are_read_from_an_older_package(data_copy):
    """A package from before these columns and people.csv still loads: nothing sensitive, nobody listed."""
    import csv

    (data_copy / "people.csv").unlink()
    for name in ("interventions.csv", "participations.csv"):
        rows = list(csv.reader(open(data_copy / name, newline="", encoding="utf-8")))
        with open(data_copy / name, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, lineterminator="\n").writerows([r[:-1] for r in rows])  # 'sensitive' is the last column
    ds = load_dataset(data_copy)
    assert ds.people.empty and not ds.interventions["sensitive"].any() and not ds.participations["sensitive"].any()


def test_an_inferred_conflicts_row_about_a_record_with_no_place_is_reported_not_a_crash(data_copy):
    """Found by the fuzz test: a conflicts row naming a record that has no location row."""
    edit_csv(data_copy / "conflicts.csv", 10, "record_id", "r2p-dialogue-bamako-2015-07x")
    issues = validate_dataset(data_copy)  # never raises
    assert any(i.file == "conflicts.csv" and i.row == 10 and "no location" in i.message for i in issues)
