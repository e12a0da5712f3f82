"""Real 3W sheets as NGOs and clusters write them: French sectors, v03 regions, misspelt communes, rows abroad, dates
typed by hand, hashtags in any order, too many rows, hostile workbooks. Every row is accounted for, with its reason."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile

import pandas as pd
import pytest

from malimap.dataset import load_dataset
from malimap.geo.boundaries import Boundaries, embedded_boundaries
from malimap.geo.gazetteer import Gazetteer
from malimap.geo.vintages import crosswalk
from malimap.sheets.columns import MAX_ROWS, read_table
from malimap.sheets.dates import read_sheet_date
from malimap.sheets.reader import UploadError
from malimap.sheets.three_w import ingest

# A French cluster sheet: HXL hashtags with attributes in any order, French sector names, a country column, v03 regions.
FRENCH_SHEET = """Activité,Organisation,Bailleur,Secteur,Pays,Région,Cercle,Commune,Début,Fin
#activity,#org+impl,#org+funder,#sector,#country+code,#adm1+name,#adm2+name,#adm3+name,#date+start,#date+end
Dialogue intercommunautaire,WANEP-Mali,USAID,Paix et réconciliation,MLI,Mopti,Djenne,,31/01/2021,mars 2021
Formation des jeunes,AMSS,,Relèvement précoce,MLI,Bandiagara,,,T2 2020,T3 2020
Médiation foncière,AMSS,,Médiation,MLI,Dioïla,,,2019,2019
Atelier à Niamey,WANEP-Mali,,Cohésion sociale,NER,,,,01-2019,
Consultation,WANEP-Mali,,Astrologie appliquée,MLI,Koulikoro,Kangabaa,,2020,
Caravane de la paix,AMSS,,paix,Mali,Kidal,,Tessalitville,2018,
Forum,AMSS,,Dialogue,MLI,Mopti,,Mopti/Sévaré,2017,
Atelier Taoudénit,AMSS,,Dialogue,MLI,Taoudenni,,,2022,
,AMSS,,,MLI,Gao,,,2020,
Impossible,AMSS,,Dialogue,MLI,Gao,,,30/02/2021,
À l'envers,AMSS,,Dialogue,MLI,Gao,,,2021,2019
Sans lieu,AMSS,,Dialogue,,,,,2021,
"""


@pytest.fixture(scope="module")
def base():
    b = embedded_boundaries()
    return load_dataset(units=b.units), b


def _ingest(base, name: str, data: bytes):
    ds, b = base
    return ingest(read_table(name, data), ds, Gazetteer(b.units), name)


def test_french_cluster_sheet_every_row_accounted_for(base):
    r = _ingest(base, "cluster.csv", FRENCH_SHEET.encode())
    accepted = r.accepted.set_index("row")
    rejected = r.rejected.groupby("row")["column"].apply(list).to_dict()
    assert set(accepted.index) | set(rejected) == set(range(3, 15)) and not set(accepted.index) & set(rejected)
    assert rejected == {12: ["Début"], 13: ["Fin"]}  # the sheet's own headers, not our field names
    # an organisation in a place with no activity title is a presence (OCHA 5W), never rejected for lacking a title
    presence = r.dataset.interventions.set_index("id").loc[accepted.loc[11, "id"]]
    assert (presence["kind"], presence["title"], accepted.loc[11, "pcode"]) == ("presence", "AMSS", "ML07")
    # places: exact, v03 regions translated, abroad kept, misspelt name under its parent not guessed at level 2 here
    assert accepted.loc[3, "pcode"] == "ML0503" and accepted.loc[3, "place"] == "exact"  # Djenné inside Mopti
    assert accepted.loc[4, "pcode"] == "ML05" and accepted.loc[4, "place"] == "v03"  # v03 Bandiagara: 3 v02 cercles
    assert accepted.loc[5, "pcode"] == "ML0202" and accepted.loc[5, "place"] == "v03"  # v03 Dioïla = v02 cercle Dioïla
    assert accepted.loc[6, "pcode"] == "" and accepted.loc[6, "place"] == "abroad"
    assert accepted.loc[10, "pcode"] == "ML06" and accepted.loc[10, "place"] == "v03"  # Taoudénit by the written rule
    assert accepted.loc[14, "pcode"] == "" and accepted.loc[14, "place"] == "none"  # no place given: kept, said
    # a commune that does not exist under a region that does: the region is kept and the name is flagged
    assert accepted.loc[8, "pcode"] == "ML08" and accepted.loc[8, "place"] == "unresolved"
    unresolved = r.unresolved.set_index("row")
    assert unresolved.loc[8, "text"] == "Tessalitville"
    assert "Mopti (ML05" in unresolved.loc[9, "suggestions"]  # a compound name gets its parts as suggestions
    sectors = r.sectors.set_index("sector")
    assert set(sectors.index) == {"Relèvement précoce", "Astrologie appliquée"}
    assert "Early recovery" in sectors.loc["Relèvement précoce", "note"]
    ds = r.dataset
    new = ds.interventions[ds.interventions["id"].str.startswith("upload-")].set_index("id")
    row3 = new.loc[new.index.str.startswith("upload-3-")].iloc[0]
    assert (row3["start_date"], row3["end_date"], row3["themes"]) == ("2021-01-31", "2021-03", "social_cohesion")
    row4 = new.loc[new.index.str.startswith("upload-4-")].iloc[0]
    assert (row4["start_date"], row4["end_date"], bool(row4["dates_approximate"])) == ("2020-04", "2020-09", True)
    assert row4["themes"] == "" and "sector as written: Relèvement précoce" in row4["notes"]
    abroad = ds.locations[ds.locations["intervention_id"].str.startswith("upload-6-")].iloc[0]
    assert abroad["country"] == "NE" and abroad["pcode"] == ""  # never a unit in Mali
    v03 = ds.locations[ds.locations["intervention_id"].str.startswith("upload-4-")].iloc[0]
    assert "v03 region Bandiagara (ML19) read as v02 Mopti (ML05)" in v03["notes"]


def test_spelling_variants_are_read_inside_their_parent_only(cod_ab_cache, monkeypatch):
    from malimap.geo.boundaries import cached_boundaries

    b = cached_boundaries(cod_ab_cache)
    ds = load_dataset(units=b.units)
    sheet = (
        "title,adm1_name,adm2_name,adm3_name\n"
        "A,Mopti,Djenne,Fakala\n"  # exact commune
        "B,Mopti,Djennee,\n"  # doubled letter, inside its region
        "C,Kayes,Kenieba,Faleya\n"  # missing accent: Faléa? a different commune — not guessed unless clear
        "D,,,Djenne\n"  # no parent given: exact only
        "E,Tombouctou,,Tonka\n"  # exact commune inside its region
        "F,Mopti,Bandiagarra,\n"
    )
    r = ingest(read_table("s.csv", sheet.encode()), ds, Gazetteer(b.units), "s.csv")
    got = r.accepted.set_index("title")[["pcode", "place"]].to_dict("index")
    assert got["B"] == {"pcode": "ML0503", "place": "fuzzy"} and got["F"] == {"pcode": "ML0501", "place": "fuzzy"}
    assert got["A"]["place"] == "exact" and got["A"]["pcode"].startswith("ML0503")
    assert got["E"]["place"] == "exact" and got["E"]["pcode"].startswith("ML06")
    notes = r.dataset.locations.set_index("intervention_id")["notes"]
    assert any("spelling variant" in n for n in notes[notes.index.str.startswith("upload-3-")])


def test_v03_codes_and_names_translate_and_never_collide():
    cw = crosswalk().set_index("v03_pcode")
    assert cw.loc["ML19", "covers"] == "ML0501;ML0502;ML0505"  # Bandiagara: the three v02 cercles it took over
    assert cw.loc["ML09", "v02_pcode"] == "ML06" and cw.loc["ML20", "v02_pcode"] == "ML0901"
    b = embedded_boundaries()
    ds = load_dataset(units=b.units)
    sheet = (
        "title,adm1_pcode,adm1_name,adm2_pcode,adm2_name\n"
        "v02 Bamako,ML09,Bamako,,\n"  # ML09 is Bamako in v02: kept as v02
        "v03 Taoudenit,ML09,Taoudenni,,\n"  # the same code with the v03 name: read as v03
        "v03 only,ML13,,,\n"  # no ML13 in v02
        "v03 cercle,,Bandiagara,,Bankass\n"
    )  # a v03 cercle named under its v03 region
    r = ingest(read_table("v.csv", sheet.encode()), ds, Gazetteer(b.units), "v.csv")
    got = r.accepted.set_index("title")[["pcode", "place"]].to_dict("index")
    assert got["v02 Bamako"] == {"pcode": "ML09", "place": "exact"}
    assert got["v03 Taoudenit"] == {"pcode": "ML06", "place": "v03"}
    assert got["v03 only"] == {"pcode": "ML0202", "place": "v03"}
    assert got["v03 cercle"] == {"pcode": "ML0502", "place": "v03"}  # found through its v03 region: said so


@pytest.mark.parametrize(
    "text,end,expected",
    [
        ("31/01/2021", False, ("2021-01-31", False)),
        ("01-2021", False, ("2021-01", False)),
        ("mars 2019", False, ("2019-03", False)),
        ("14 juillet 2019", False, ("2019-07-14", False)),
        ("T2 2020", False, ("2020-04", True)),
        ("T2 2020", True, ("2020-06", True)),
        ("2020 Q4", True, ("2020-12", True)),
        ("2021-01-31 00:00:00", False, ("2021-01-31", False)),
        ("2018", False, ("2018", False)),
        ("", False, ("", False)),
    ],
)
def test_dates_as_typed_in_mali(text, end, expected):
    d = read_sheet_date(text, end=end)
    assert (d.iso, d.approximate) == expected and not d.error


@pytest.mark.parametrize(
    "text,message",
    [
        ("30/02/2021", "not a real date"),
        ("13/13/2020", "no month 13"),
        ("brumaire 2019", "unknown month"),
        ("bientôt", "expected a date"),
    ],
)
def test_impossible_dates_say_why(text, message):
    from malimap.sheets.three_w import message as render

    key, values = read_sheet_date(text).error
    assert message in render(key, "en", **values)
    assert render(key, "fr", **values) != render(key, "en", **values)  # said in the page's language


def test_excel_with_dates_hashtags_and_unknown_columns(base):
    frame = pd.DataFrame(
        [
            ["Activity", "Implementing partner", "Sector", "Admin1", "Start", "Budget notes"],
            ["#activity", "#org+impl", "#sector", "#adm1+name", "#date+start", "#meta+budget"],
            ["Workshop", "WANEP-Mali", "Peacebuilding", "Gao", pd.Timestamp("2021-05-03"), "n/a"],
        ]
    )
    buf = io.BytesIO()
    frame.to_excel(buf, header=False, index=False)
    r = _ingest(base, "en.xlsx", buf.getvalue())
    assert r.accepted.iloc[0]["pcode"] == "ML07" and r.rejected.empty
    new = r.dataset.interventions.iloc[-1]
    assert (new["start_date"], new["themes"]) == ("2021-05-03", "peacebuilding")  # the DAC 15220 theme, by its name
    assert r.ignored_columns == ("Budget notes",)  # said, not silently dropped


def test_same_file_name_with_new_content_is_a_new_upload():
    from streamlit.testing.v1 import AppTest

    from malimap.config import REPO_ROOT

    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = "fr"
    at.switch_page("pages/5_Donnees_Data.py").run()
    at.file_uploader(key="upload_file").upload("mine.csv", b"title,adm1_name\nA,Gao\n", "text/csv").run()
    assert {m.label: m.value for m in at.metric}["Lignes acceptées"] == "1"
    at.file_uploader(key="upload_file").upload("mine.csv", b"title,adm1_name\nA,Gao\nB,Kidal\n", "text/csv").run()
    assert not at.exception and {m.label: m.value for m in at.metric}["Lignes acceptées"] == "2"
    assert any(md.value.startswith("Lieux — exacts\u00a0: 2\u00a0;") for md in at.markdown)


def test_too_many_rows_are_refused_saying_how_many():
    big = b"title\n" + b"x\n" * (MAX_ROWS + 100)
    with pytest.raises(UploadError, match=f"{MAX_ROWS + 101:,} rows; one upload may hold {MAX_ROWS:,}"):
        read_table("big.csv", big)


def test_hostile_workbooks_are_refused_before_parsing(monkeypatch):
    # a zip bomb: a few KB that decompress to more than the limit
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * 150_000_000 + b">")
    tracemalloc.start()
    with pytest.raises(UploadError, match="decompresses to 150 MB"):
        read_table("bomb.xlsx", buf.getvalue())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20 * 2**20, peak  # refused from the zip's directory: the 150 MB were never inflated
    # 200,000 short rows: refused from the sheet's declared size, without reading them
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["title"])
    for k in range(200_000):
        ws.append([k])
    out = io.BytesIO()
    wb.save(out)
    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("parsed before its rows were counted"))
    with pytest.raises(UploadError, match="200,001 rows; one upload may hold 50,000"):  # counted, not "more than"
        read_table("long.xlsx", out.getvalue())


def test_crosswalk_is_built_from_the_shipped_lists_and_covers_every_v03_unit():
    cw = crosswalk()
    v03 = pd.read_csv(Boundaries.__module__ and __import__("malimap.config").config.geo_dir() / "admin_units_v03.csv")
    assert set(cw["v03_pcode"]) == set(v03["pcode"]) and (cw["v02_pcode"] != "").all()
    assert (cw.loc[cw["v03_level"] == 1, "basis"] != "").all()


def test_import_3w_writes_a_valid_package_and_never_adds_twice(tmp_path):
    from malimap.cli import main
    from malimap.dataset import validate_dataset

    sheet = tmp_path / "cluster.csv"
    sheet.write_text(FRENCH_SHEET, encoding="utf-8")
    into = tmp_path / "mine"
    assert main(["import-3w", str(sheet), "--into", str(into)]) == 0
    first = pd.read_csv(into / "interventions.csv", dtype=str, keep_default_na=False)
    assert len(first) == 10  # the 12 rows less the 2 unusable ones (a row with no title is a presence)
    assert [i for i in validate_dataset(into, seeds=tmp_path / "no-seeds") if i.severity == "error"] == []
    orgs = pd.read_csv(into / "organisations.csv", dtype=str, keep_default_na=False)
    assert set(orgs["id"]) == {"wanep-mali", "amss", "usaid"} and (orgs["sensitive"] == "false").all()
    assert main(["import-3w", str(sheet), "--into", str(into)]) == 0  # the same sheet again: nothing added twice
    assert len(pd.read_csv(into / "interventions.csv", dtype=str)) == 10
    other = tmp_path / "other.csv"
    other.write_text("title,implementers,adm1_name,start_date\nNouvelle activité,Amss,Gao,2023\n", encoding="utf-8")
    assert main(["import-3w", str(other), "--into", str(into)]) == 0
    merged = pd.read_csv(into / "interventions.csv", dtype=str, keep_default_na=False)
    assert len(merged) == 11 and set(merged["source_id"]) == {"s001", "s002"}
    parts = pd.read_csv(into / "participations.csv", dtype=str)
    assert parts.loc[parts["intervention_id"].str.startswith("s002"), "organisation_id"].tolist() == ["amss"]  # by alias


def test_the_kept_package_opens_in_the_app(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from malimap import ui
    from malimap.cli import main
    from malimap.config import REPO_ROOT

    sheet = tmp_path / "cluster.csv"
    sheet.write_text(FRENCH_SHEET, encoding="utf-8")
    assert main(["import-3w", str(sheet), "--into", str(tmp_path / "mine")]) == 0
    monkeypatch.setenv("MALIMAP_DATA_DIR", str(tmp_path / "mine"))
    ui.forget_shared_data()
    try:
        at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90).run()
        assert not at.exception
        metrics = {m.label: m.value for m in at.metric}
        assert metrics["Projets"] == "9" and metrics["Événements"] == "0"  # a sheet without a kind column: projects
    finally:
        ui.forget_shared_data()


def test_fix_a_place_in_the_app_in_french():
    from streamlit.testing.v1 import AppTest

    from malimap.config import REPO_ROOT

    sheet = "title,adm1_name,adm3_name,start_date\nForum,Mopti,Mopti/Sévaré,2020\nMauvaise date,Gao,,30/02/2021\n"
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = "fr"
    at.switch_page("pages/5_Donnees_Data.py").run()
    at.file_uploader(key="upload_file").upload("fix.csv", sheet.encode(), "text/csv").run()
    assert not at.exception
    rejected = next(df.value for df in at.dataframe if "Problème" in df.value.columns)
    assert "pas de jour 30 en 2021-02" in rejected["Problème"].iloc[0]  # the row's problem, in the page's language
    pick = at.selectbox(key="fix:2")
    assert pick.options == ["(la laisser sans lieu)", "Mopti (ML05)"]  # the part of the compound name that is a unit
    pick.set_value("ML05")
    next(b for b in at.button if b.label == "Appliquer et vérifier à nouveau").click().run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Lieux non reconnus"] == "0"
    summary = next(md.value for md in at.markdown if md.value.startswith("Lieux — "))
    # the place the user chose is counted as a spelling variant resolved, not as if the sheet had named it exactly
    assert summary.startswith(
        "Lieux — exacts\u00a0: 0\u00a0; variantes d'orthographe lues dans leur unité parente ou choisies par vous\u00a0: 1\u00a0;"
    )


def test_an_upload_is_read_outside_the_server_process():
    """Why one session's upload does not stall another's filter change: the sheet is read and joined in the worker
    process, off the server's interpreter lock. How long the other session waits is a timing, measured against the
    same change alone in benchmarks/upload.py (UPLOAD.md), never asserted here."""
    import os

    from malimap.config import REPO_ROOT
    from malimap.sheets.worker import _submit, ingest_in_worker

    assert _submit(os.getpid) != os.getpid()
    table, result, catalogue = ingest_in_worker("s.csv", b"title,adm1_name\nForum,Gao\n", REPO_ROOT / "data", False, "fr")
    assert len(table) == 1 and result.accepted.iloc[0]["pcode"] == "ML07" and catalogue.boundaries is None


def test_worker_errors_keep_their_language(tmp_path):
    from malimap.config import REPO_ROOT
    from malimap.sheets.worker import ingest_in_worker

    with pytest.raises(UploadError) as err:
        ingest_in_worker("x.pdf", b"%PDF", REPO_ROOT / "data", False, "fr")
    assert err.value.text("fr") == "x.pdf\u00a0: un fichier .csv ou .xlsx est attendu"


def test_hashtag_attributes_in_any_order_and_extra_ones(base):
    sheet = (
        "Activity,Funder,Partner,Where,When\n"
        "#activity+name,#org+name+funder,#org+name+impl+partner,#adm1+name+v02,#date+start\n"
        "Forum,USAID,WANEP-Mali,Gao,2021\n"
    )
    r = _ingest(base, "tags.csv", sheet.encode())
    assert r.ignored_columns == () and r.rejected.empty and r.accepted.iloc[0]["pcode"] == "ML07"
    parts = r.dataset.participations
    mine = parts[parts["intervention_id"].str.startswith("upload-")]
    assert sorted(zip(mine["role"], mine["organisation_id"])) == [("funder", "usaid"), ("implementer", "wanep-mali")]


def test_a_very_wide_sheet_is_refused_before_its_rows_are_read():
    wide = ",".join(f"c{i}" for i in range(400_000)) + "\n" + "x," * 10 + "\n"
    tracemalloc.start()
    with pytest.raises(UploadError, match="400,000 named columns; a sheet may have 500"):
        read_table("wide.csv", wide.encode())
    assert tracemalloc.get_traced_memory()[1] < 200 * 2**20  # refused from the header, not after building a table
    tracemalloc.stop()


def test_utf16_tab_separated_csv_from_excel_unicode_text_is_read(base):
    sheet = "title\timplementers\tadm1_name\tstart_date\nDialogue à Ségou\tAMSS\tSégou\t2021\n"
    r = _ingest(base, "unicode.txt", sheet.encode("utf-16"))  # Excel's "Unicode text": UTF-16 with its mark, tabs
    assert r.rejected.empty and r.accepted.iloc[0]["pcode"] == "ML04" and r.accepted.iloc[0]["title"] == "Dialogue à Ségou"


def test_blank_columns_beyond_the_header_are_not_read():
    sheet = "title,adm1_name" + "," * 5000 + "\nForum,Gao" + "," * 5000 + "\n"
    table = read_table("blank.csv", sheet.encode())
    assert table.attrs["ignored_columns"] == () and table.iloc[0]["title"] == "Forum"


def _workbook_bytes() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["title", "adm1_name"])
    for k in range(30):
        wb.active.append([f"Forum {k}", "Gao"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_workbook_whose_zip_index_lies_about_sizes_is_refused_saying_so():
    data = bytearray(_workbook_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    small = (100).to_bytes(4, "little")
    data[info.header_offset + 22 : info.header_offset + 26] = small  # the local header's size
    central = data.rfind(b"xl/worksheets/sheet1.xml") - 46  # its central directory record
    assert data[central : central + 4] == b"PK\x01\x02"
    data[central + 24 : central + 28] = small
    with pytest.raises(UploadError, match=r"do not have the sizes its index declares \(xl/worksheets/sheet1\.xml\)"):
        read_table("lies.xlsx", bytes(data))
    assert len(read_table("honest.xlsx", _workbook_bytes())) == 30


def _dies():
    import os

    os._exit(9)  # the worker killed (as the kernel does when memory runs out)


def test_a_dead_worker_is_replaced_and_the_upload_refused_plainly():
    from malimap.config import REPO_ROOT
    from malimap.sheets.worker import _submit, ingest_in_worker

    with pytest.raises(UploadError) as err:
        _submit(_dies)
    assert err.value.text("en").startswith("The upload was stopped") and "/" not in err.value.text("en")
    table, result, _ = ingest_in_worker("s.csv", b"title,adm1_name\nForum,Gao\n", REPO_ROOT / "data", False, "en")
    assert len(result.accepted) == 1  # the next upload works: a new worker


class SessionEnded(Exception):
    """What Streamlit raises in a script whose session has gone (its StopException), here raised by the tick."""


def test_an_upload_whose_session_ends_is_stopped_and_its_worker_killed():
    import os
    import time

    from malimap.sheets.worker import _submit, idle_workers

    worker = _submit(os.getpid)  # a worker that is now idle
    ticks = []

    def tick():  # the page's "still reading" line: the session ends at the third tick
        ticks.append(1)
        if len(ticks) == 3:
            raise SessionEnded

    with pytest.raises(SessionEnded):
        _submit(time.sleep, 3600, tick=tick)  # an hour-long read, abandoned
    assert len(ticks) == 3 and worker not in idle_workers()
    with pytest.raises(ProcessLookupError):
        os.kill(worker, 0)  # the worker that held the abandoned read is gone, not left computing for nobody
    assert _submit(os.getpid) not in (worker, os.getpid())  # the next upload gets a fresh worker


def test_an_upload_waiting_for_a_worker_gives_up_its_place_when_its_session_ends(monkeypatch):
    import os
    import threading
    import time

    from malimap.sheets import worker as upload_worker

    monkeypatch.setenv("MALIMAP_UPLOAD_WORKERS", "1")
    release = threading.Event()

    def long_upload():
        with pytest.raises(SessionEnded):
            upload_worker._submit(time.sleep, 3600, tick=_until(release))

    busy = threading.Thread(target=long_upload)
    busy.start()  # another session's long upload holds the only worker
    while upload_worker._busy == 0:
        time.sleep(0.05)
    waited = []

    def tick():
        waited.append(1)
        if len(waited) == 2:
            raise SessionEnded

    try:
        with pytest.raises(SessionEnded):
            upload_worker._submit(os.getpid, tick=tick)
    finally:
        release.set()
        busy.join(30)
    assert not busy.is_alive()


def _until(event):
    def tick():
        if event.is_set():
            raise SessionEnded

    return tick


def test_rejected_rows_download_is_defused_for_spreadsheets(base):
    from malimap.sheets.three_w import rejected_csv

    sheet = 'title,adm1_name,start_date\n"=HYPERLINK(""http://example.invalid"",""x"")",Gao,30/02/2021\n@SUM(A1),Gao,32/01/2021\n'
    r = _ingest(base, "inject.csv", sheet.encode())
    text = rejected_csv(r).decode("utf-8-sig")
    assert "'=HYPERLINK(" in text and "'@SUM(A1)" in text
    assert "\n=" not in text and ",=" not in text and ",@" not in text  # no cell starts a formula


def test_the_validator_warns_about_formula_like_text_and_keeps_it(data_copy):
    from conftest import edit_csv

    from malimap.dataset import validate_dataset

    edit_csv(data_copy / "interventions.csv", 2, "notes", '=HYPERLINK("http://example.invalid")')
    edit_csv(data_copy / "locations.csv", 2, "longitude", "-4.2")  # a negative number is not a formula
    issues = [i for i in validate_dataset(data_copy) if "spreadsheet formula" in i.message]
    assert [(i.file, i.row, i.column, i.severity) for i in issues] == [("interventions.csv", 2, "notes", "warning")]


def test_every_unmatched_sector_says_why_and_a_generic_word_maps_to_nothing(base):
    sheet = "title,adm1_name,sector\nA,Gao,Gouvernance\nB,Gao,VBG\nC,Gao,Accès à la justice\nD,Gao,Astrologie appliquée\n"
    r = _ingest(base, "s.csv", sheet.encode())
    assert set(r.dataset.interventions.tail(4)["themes"]) == {""}  # "Gouvernance" is not security governance
    assert r.sectors["note"].str.len().gt(0).all()  # never a blank reason
    notes = dict(zip(r.sectors["sector"], r.sectors["note"]))
    assert notes["Gouvernance"].startswith("a generic word") and "gender-based violence" in notes["VBG"]


def test_suggestions_stay_inside_the_parent_and_a_pick_outside_it_is_a_correction(base):
    r = _ingest(base, "s.csv", b"title,adm1_name,adm2_name\nForum,Mopti,Bonni\n")
    suggested = re.findall(r"\((ML\d+)\)", r.unresolved.iloc[0]["suggestions"])
    assert suggested and all(code.startswith("ML05") for code in suggested)  # cercles of Mopti only, never elsewhere
    picked = _ingest(base, "s.csv", b"title,adm1_name,adm2_pcode\nForum,Mopti,ML0601\n")  # a Tombouctou cercle
    row = picked.accepted.iloc[0]
    assert (row["pcode"], row["place"]) == ("ML0601", "corrected") and picked.place_counts() == {"corrected": 1}
    notes = picked.dataset.locations.set_index("intervention_id").loc[row["id"], "notes"]
    assert "ML0601 is not inside ML05, which the row names: a correction, check it" in notes


def test_place_notes_are_written_in_the_uploaders_language(base):
    """A French page shows French notes: the correction and the v03 reading are said in French, never in English."""
    ds, b = base
    sheet = b"titre,adm1_name,adm2_pcode\nForum,Mopti,ML0601\nAtelier,Bandiagara,\n"
    r = ingest(read_table("s.csv", sheet), ds, Gazetteer(b.units), "s.csv", lang="fr")
    notes = r.dataset.locations.set_index("intervention_id").loc[list(r.accepted["id"]), "notes"].tolist()
    assert "ML0601 n'est pas dans ML05, que la ligne nomme\u00a0: une correction, à vérifier" in notes[0]
    assert notes[1].startswith("COD-AB v03 région Bandiagara (ML19) lu comme v02 Mopti (ML05)")
    # the card says the note's language from the data (the upload's source), not from the record's id
    from malimap.catalogue.build import build_catalogue
    from malimap.ui.cards import notes_label

    cat = build_catalogue(r.dataset, b)
    upload_source = r.dataset.interventions.iloc[-1]["source_id"]
    assert (notes_label(cat, upload_source, "fr"), notes_label(cat, upload_source, "en")) == ("Note", "Note (in French)")
    assert notes_label(cat, "s000", "fr") == "Note (en anglais)" and notes_label(cat, "s000", "en") == "Note"
    for table in ("interventions", "participations", "locations"):  # a flag the sheet does not give is false, not NaN
        rows = getattr(r.dataset, table)
        mine = rows[rows["source_id"] == upload_source]
        assert (len(mine) > 0 or table == "participations") and not mine["sensitive"].any(), (
            table
        )  # the sheet names no organisation


def test_a_funder_written_ue_or_eu_is_matched_like_usaid(base):
    """'UE' in a French sheet is the European Union's aid: matched to the funder the data holds, never a new 'UE'."""
    sheet = "title,funders,adm1_name,start_date\nA,UE,Gao,2020\nB,EU,Gao,2020\nC,USAID,Gao,2020\nD,Union européenne,Gao,2020\n"
    r = _ingest(base, "ue.csv", sheet.encode())
    parts = r.dataset.participations
    funders = parts[parts["intervention_id"].isin(r.accepted["id"]) & (parts["role"] == "funder")]
    assert sorted(funders["organisation_id"]) == ["european-commission"] * 3 + ["usaid"]
    assert len(r.dataset.organisations) == len(base[0].organisations)  # no organisation added


def test_the_uploader_speaks_the_page_s_language_and_states_the_real_limit():
    import tomllib

    from malimap.config import REPO_ROOT
    from malimap.sheets.reader import MAX_BYTES
    from malimap.ui.upload import uploader_css

    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 1_000_000 == MAX_BYTES  # Streamlit refuses above what we say
    css = uploader_css("fr")
    assert 'content: "Choisir un fichier"' in css and 'content: "20\u00a0Mo au plus · CSV, XLSX, XML, ZIP"' in css
    assert 'content: "Choose a file"' in uploader_css("en")


def test_a_worker_reads_an_upload_against_the_data_as_it_now_is(data_copy):
    """The worker keeps its copy of the dataset between uploads, keyed by the files: a curator's edit is seen."""
    from malimap.sheets.worker import ingest_in_worker

    sheet = b"title,implementers,adm1_name\nForum,Association Locale Sigida,Gao\n"
    _, before, _ = ingest_in_worker("s.csv", sheet, data_copy, False, "en")
    orgs = before.dataset.organisations
    assert "Association Locale Sigida" in set(orgs["name"]) and orgs["id"].str.startswith("upload-").any()  # a new one
    with open(data_copy / "organisations.csv", "a", encoding="utf-8", newline="") as fh:
        fh.write("sigida,Association Locale Sigida,,,,national_ngo,ML,,false,\n")  # the curator adds it meanwhile
    _, after, _ = ingest_in_worker("s.csv", sheet, data_copy, False, "en")
    parts = after.dataset.participations
    assert parts.loc[parts["intervention_id"].str.startswith("upload-"), "organisation_id"].tolist() == ["sigida"]
