"""Users' own 3W sheets: every row accepted or rejected with its reason, places resolved or listed with suggestions."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from malimap.catalogue.build import build_catalogue
from malimap.dataset import load_dataset
from malimap.geo.boundaries import embedded_boundaries
from malimap.geo.gazetteer import Gazetteer
from malimap.sheets.columns import read_table, template_csv
from malimap.sheets.reader import UploadError
from malimap.sheets.three_w import ingest, rejected_csv

ROOT = Path(__file__).resolve().parents[1]
ROWS = """title,kind,implementers,funders,themes,status,start_date,end_date,adm1_name,adm2_name,adm2_pcode
Dialogue à Kidal,event,IMRAP,USAID,mediation,completed,2019-02-30,,Kidal,,
Atelier <script>alert(1)</script>,workshop,Nouvelle ONG,,Dialogue,planned,2020,,Segou,Niono,
Formation,event,X,,dialogue,ongoing,2018,2017,,,
Projet,project,X,,astrologie,,2018,,,,
Consultation,event,WANEP Mali,,Dialogue,,2021,,Kangabaa,,
Projet Goundam,project,AMSS,USAID,,ongoing,2019,,,,ML0602
Code faux,project,AMSS,,,,2019,,,,ML0699
"""


@pytest.fixture(scope="module")
def base():
    b = embedded_boundaries()
    return load_dataset(units=b.units), b


def _ingest(base, text: str, name: str = "mine.csv"):
    ds, b = base
    return ingest(read_table(name, text.encode()), ds, Gazetteer(b.units), name)


def test_every_row_is_accounted_for(base):
    r = _ingest(base, ROWS)
    rejected_rows = set(r.rejected["row"])
    assert set(r.accepted["row"]) | rejected_rows == set(range(2, 9))
    assert not set(r.accepted["row"]) & rejected_rows
    assert r.rows_read == 7
    why = {(row, col): err for row, col, err in r.rejected[["row", "column", "error"]].itertuples(index=False)}
    assert "real date" in why[(2, "start_date")]
    assert "ends before it starts" in why[(4, "end_date")]
    assert 5 not in rejected_rows  # a sector that is not one of our themes never refuses a row…
    assert r.sectors.to_dict("records")[0]["sector"] == "astrologie"  # …it is reported once, and kept as written
    assert "unknown level-2 P-code" in why[(8, "adm2_pcode")]


def test_places_are_resolved_or_listed_with_suggestions(base):
    r = _ingest(base, ROWS)
    by_row = r.accepted.set_index("row")["pcode"]
    assert by_row[3] == "ML0404" and by_row[7] == "ML0602"  # Niono in Ségou; Goundam by its P-code
    unresolved = r.unresolved.set_index("row")
    assert unresolved.loc[6, "text"] == "Kangabaa" and "Kangaba (ML0203)" in unresolved.loc[6, "suggestions"]
    assert by_row[6] == ""  # kept, without a location


def test_upload_joins_the_view_and_keeps_text(base):
    ds, b = base
    r = _ingest(base, ROWS)
    cat = build_catalogue(r.dataset, b)
    assert len(cat.interventions) == len(ds.interventions) + len(r.accepted)
    assert "Atelier <script>alert(1)</script>" in set(cat.interventions["title"])
    new = cat.interventions[cat.interventions["id"].str.startswith("upload-3-")].iloc[0]
    assert new["kind"] == "event" and new["event_type"] == "workshop"
    assert "United States Agency for International Development" in set(
        cat.interventions.loc[cat.interventions["id"].str.startswith("upload-7-"), "funders"]
    )  # 'USAID' matched the existing organisation
    assert len(load_dataset().interventions) == len(ds.interventions)  # nothing written to disk


def test_hxl_only_sheet_and_excel(base):
    text = "#activity,#org+impl,#org+funder,#sector,#adm1+code,#date+start\nAtelier,WANEP-Mali,ADA,dialogue,ML05,2016\n"
    r = _ingest(base, text)
    assert len(r.accepted) == 1 and r.accepted.iloc[0]["pcode"] == "ML05"
    buf = io.BytesIO()
    pd.read_csv(io.StringIO(template_csv().decode("utf-8-sig")), header=None).to_excel(buf, header=False, index=False)
    r = ingest(read_table("t.xlsx", buf.getvalue()), base[0], Gazetteer(base[1].units), "t.xlsx")
    assert len(r.accepted) == 1 and r.accepted.iloc[0]["pcode"] == "ML0501"  # the template's example row


def test_unreadable_files_give_a_clear_error():
    with pytest.raises(UploadError, match="expected a .csv or .xlsx"):
        read_table("x.pdf", b"%PDF")
    with pytest.raises(UploadError, match="no title column"):
        read_table("x.csv", b"a,b\n1,2\n")
    with pytest.raises(UploadError, match="cannot be read"):
        read_table("x.xlsx", b"not a zip")


def test_rejected_rows_download(base):
    r = _ingest(base, ROWS)
    text = rejected_csv(r).decode("utf-8-sig")
    assert text.startswith("row,column,value,error") and "cell:title" in text.splitlines()[0]


def test_upload_through_the_data_page():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = "en"
    at.switch_page("pages/5_Donnees_Data.py").run()
    at.file_uploader(key="upload_file").upload("mine.csv", ROWS.encode(), "text/csv").run()
    assert not at.exception
    m = {x.label: x.value for x in at.metric}
    assert m == {"Rows accepted": "4", "Rows rejected": "3", "Places not recognised": "1"}
    at.switch_page("app.py").run()
    assert {x.label: x.value for x in at.metric}["Events"] == "16"
