"""IATI activity files in: the fixtures in tests/fixtures/iati/ hold the traps real publishers' files have (multi-country
percentages, countries only on transactions, a centroid point, a headquarters abroad, an office building, parent and
child, two currencies, a funder and its implementer reporting the same work, a cancelled activity with an impossible
date, an unknown village)."""

from __future__ import annotations

import io
import shutil
import tracemalloc
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from malimap.cli import main
from malimap.dataset import load_dataset, read_tables
from malimap.geo.boundaries import embedded_boundaries
from malimap.iati.keep import build, import_iati
from malimap.iati.read import IatiError, read_activities

FIXTURES = Path(__file__).parent / "fixtures" / "iati"
DATA = Path(__file__).resolve().parents[1] / "data"


def _read(xml: str | bytes, name: str = "t.xml") -> list:
    data = xml.encode() if isinstance(xml, str) else xml
    return list(read_activities(io.BytesIO(data), name))


def _activity(body: str, version: str = "2.03") -> str:
    return f'<iati-activities version="{version}"><iati-activity><iati-identifier>X-1</iati-identifier>{body}</iati-activity></iati-activities>'


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    out = tmp_path_factory.mktemp("iati") / "pkg"
    report = import_iati([FIXTURES], out, boundaries=embedded_boundaries())
    return out, report, read_tables(out)[0]


def _row(report, identifier: str) -> dict:
    return report.activities.set_index("identifier").loc[identifier].to_dict()


# ---------------------------------------------------------------- reading


@pytest.mark.parametrize(
    "xml, message",
    [
        ('<iati-activities version="1.05"><iati-activity/></iati-activities>', "IATI version 1.05; this reads 2.01–2.03"),
        ('<rss version="2.0"><channel/></rss>', "the root element is <rss>, not <iati-activities>"),
        ('<iati-organisations version="2.03"/>', "an IATI organisation file"),
        ('<iati-activities version="3.1"/>', "IATI version '3.1' is not one of 2.01, 2.02, 2.03"),
        ("", "no XML element"),
        ('<iati-activities version="2.03"><iati-activity><iati-identifier>A</iati-identifier></iati-activity><iati-act',
         "broken XML in or after activity 1"),
    ],
)  # fmt: skip
def test_files_that_are_not_iati_2_are_refused_saying_why(xml, message):
    with pytest.raises(IatiError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        _read(xml)


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>',
        '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE iati-activities SYSTEM "http://example.invalid/iati.dtd">',
    ],
)
def test_hostile_xml_is_refused_before_parsing(doctype):
    xml = f'<?xml version="1.0"?>\n{doctype}\n<iati-activities version="2.03"><iati-activity><title><narrative>&lol2;</narrative></title></iati-activity></iati-activities>'
    with pytest.raises(IatiError, match="declares a document type"):
        _read(xml)


def test_utf16_is_refused_with_the_reason():
    with pytest.raises(IatiError, match="UTF-16"):
        _read(_activity("").encode("utf-16"))


def test_reading_is_streamed_with_memory_bounded_by_one_activity():
    def peak(n: int) -> int:
        body = "".join(
            f"<iati-activity><iati-identifier>X-{i}</iati-identifier><title><narrative>{'t' * 2000}</narrative></title>"
            f'<recipient-country code="ML"/></iati-activity>'
            for i in range(n)
        )
        data = f'<iati-activities version="2.03">{body}</iati-activities>'.encode()
        tracemalloc.start()
        count = sum(1 for _ in read_activities(io.BytesIO(data), "big.xml"))
        used = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert count == n
        return used

    small, large = peak(200), peak(4000)  # 20x the activities (the file itself, 8 MB, is not traced: it is the input)
    assert large < 2 * small, (small, large)


def test_narratives_dates_money_and_locations_are_read_as_published():
    (a,) = _read(
        _activity(
            '<title><narrative>Titre</narrative><narrative xml:lang="en">Title</narrative></title>'
            '<activity-date iso-date="2020-01-01" type="1"/><activity-date iso-date="2020-03-02" type="2"/>'
            '<budget><value currency="EUR" value-date="2020-01-01">1,500.5</value></budget>'
            '<location><point><pos>91 10</pos></point></location>'
        ).replace("<iati-activity>", '<iati-activity xml:lang="fr" default-currency="XOF">')
    )  # fmt: skip
    assert a.titles == {"": "Titre", "en": "Title"} and a.title(("fr", "en")) == "Titre" and a.title(("en",)) == "Title"
    assert a.dates == {"1": "2020-01-01", "2": "2020-03-02"}
    assert a.money[0].amount == 1500.5 and a.money[0].currency == "EUR"
    assert a.locations[0].pos is None and "91 10" in a.problems[0]  # a latitude of 91 is not a place


# ---------------------------------------------------------------- importing the fixtures


def test_every_activity_is_reported_with_its_outcome(imported):
    _, report, _ = imported
    outcomes = dict(zip(report.activities["identifier"], report.activities["outcome"]))
    assert outcomes == {
        "XM-TEST-1-MULTI": "flagged",  # near-match organisation, and its implementer's report linked under it
        "XM-TEST-1-TXONLY": "imported",
        "XM-TEST-1-ABROAD": "flagged",
        "XM-TEST-1-OFFICE": "flagged",
        "XM-TEST-1-PROG": "imported",
        "XM-TEST-1-PROG-A": "flagged",
        "XM-TEST-1-BF": "skipped",
        "XM-TEST-1-SCHOOLS": "imported",
        "XM-TEST-1-CANCELLED": "flagged",
        "XM-TEST-1-NOWHERE": "flagged",
        "GB-CHC-0000001-ML-DIALOGUE": "flagged",
        "GB-CHC-0000001-ML-PROG-COPY": "flagged",
    }
    assert report.by_code("skipped") == {"not_mali": 1}
    assert report.by_code("flagged") == {
        "possible_duplicate": 4,
        "no_place": 2,
        "org_near_match": 1,
        "place_abroad": 1,
        "place_office": 1,
        "bad_date": 1,
        "place_unresolved": 1,
    }
    assert report.places == {
        "name": 4, "mali_wide": 3, "pcode": 2, "point": 1, "abroad": 1, "office": 1, "no_location": 1, "unresolved": 1,
    }  # fmt: skip
    assert report.refused == []


def test_the_package_is_valid_and_keeps_the_iati_identity(imported):
    out, _, t = imported
    load_dataset(out, seeds=Path("/nonexistent"), units=embedded_boundaries().units)  # raises if invalid
    iv = t["interventions"].set_index("iati_identifier")
    multi = iv.loc["XM-TEST-1-MULTI"]
    assert multi["title"] == "Dialogue transfrontalier Mali-Niger" and multi["title_en"] == "Mali-Niger cross-border dialogue"
    assert multi["country_percentage"] == "60" and "multi-country: also NE; Mali 60%" in multi["notes"]
    assert (multi["start_date"], multi["end_date"]) == ("2019-03-15", "2022-12-31")  # actual start over planned
    assert "start: actual start (activity-date type 2)" in multi["notes"] and "end: planned end" in multi["notes"]
    assert multi["status"] == "ongoing" and multi["themes"] == "peacebuilding"
    assert multi["evidence"] == "IATI title: Dialogue transfrontalier Mali-Niger"
    tx = iv.loc["XM-TEST-1-TXONLY"]
    assert tx["country_percentage"] == "" and "named on its transactions only" in tx["notes"]
    assert iv.loc["XM-TEST-1-CANCELLED", "status"] == "cancelled" and iv.loc["XM-TEST-1-CANCELLED", "start_date"] == ""
    assert iv.loc["XM-TEST-1-ABROAD", "start_date"] == "2020-02"  # a partial date kept at its precision
    src = t["sources"].set_index("id")
    assert set(src["file"]) == {"funder.xml", "implementer.xml"}
    assert src.loc[iv.loc["XM-TEST-1-MULTI", "source_id"], "publisher"] == "Fonds test pour la paix (XM-TEST-1)"


def test_organisations_matched_by_ref_name_or_alias_never_on_a_guess(imported):
    _, report, t = imported
    parts, orgs = t["participations"], t["organisations"].set_index("id")
    multi = parts[parts["intervention_id"] == "iati-xm-test-1-multi"]
    assert sorted(zip(multi["role"], multi["organisation_id"])) == [
        ("accountable", "org-peace-direkt"),  # close to Peace Direct: flagged, not merged
        ("funder", "org-fonds-test-pour-la-paix"),
        ("funder", "usaid"),  # matched by the shipped alias
        ("implementer", "wanep-mali"),
    ]
    assert (
        multi.set_index("organisation_id").loc["usaid", "evidence"]
        == "IATI participating-org ref=XM-DAC-6-4 role=1 type=10: USAID"
    )
    assert orgs.loc["usaid", "name"] == "United States Agency for International Development"  # brought from the shipped table
    new = orgs.loc["org-test-peace-ngo"]
    assert (new["iati_ref"], new["country"], new["type"]) == ("GB-CHC-0000001", "GB", "international_ngo")
    assert report.matched_organisations == 4 and report.added_organisations == 3
    assert "'Peace Direkt' is close to 'peace direct'" in _row(report, "XM-TEST-1-MULTI")["reasons"]


def test_places_by_point_code_name_default_abroad_and_office(imported):
    _, report, t = imported
    loc = t["locations"]
    at = lambda iid: loc[loc["intervention_id"] == f"iati-{iid}"][["pcode", "country", "precision", "reach"]].values.tolist()  # noqa: E731
    assert at("xm-test-1-multi") == [["ML05", "ML", "2", "activity"]]  # an exact point, in Mopti
    assert at("xm-test-1-txonly") == [["", "ML", "6", "activity"]]  # Mali's centroid: Mali as a whole
    assert at("xm-test-1-abroad") == [["", "SN", "9", "activity"], ["ML07", "ML", "4", "beneficiaries"]]  # MLI07: Gao
    assert at("xm-test-1-office") == [["", "ML", "6", "activity"]]  # an office is not where the work is
    assert at("xm-test-1-prog") == [["", "ML", "6", "activity"]]  # no location at all
    assert at("xm-test-1-prog-a") == [["ML06", "ML", "4", "activity"]]  # ADM1 named: the region, not its cercle
    assert at("gb-chc-0000001-ml-dialogue") == [["ML0504", "ML", "3", "activity"]]
    assert "outside Mali (in SN)" in _row(report, "XM-TEST-1-ABROAD")["reasons"]
    assert "Xyzwqville' is no unit we know (G1:2453348)" in _row(report, "XM-TEST-1-NOWHERE")["reasons"]


def test_money_stays_in_its_currency_with_its_dates(imported):
    _, _, t = imported
    fin = t["finances"]
    multi = fin[fin["intervention_id"] == "iati-xm-test-1-multi"]
    assert multi[["kind", "amount", "currency", "value_date"]].values.tolist() == [
        ["budget", "1000000", "USD", "2019-01-01"],
        ["disbursement", "250000", "EUR", "2019-06-30"],
    ]
    assert fin.loc[fin["intervention_id"] == "iati-xm-test-1-txonly", "currency"].tolist() == ["XOF"]  # the default currency


def test_hierarchy_and_the_same_work_reported_twice(imported):
    _, report, t = imported
    iv = t["interventions"].set_index("id")
    assert (
        iv.loc["iati-xm-test-1-prog-a", "parent_id"] == "iati-xm-test-1-prog"
        and iv.loc["iati-xm-test-1-prog", "kind"] == "programme"
    )
    assert iv.loc["iati-gb-chc-0000001-ml-dialogue", "parent_id"] == "iati-xm-test-1-multi"  # provider-activity-id
    assert iv.loc["iati-gb-chc-0000001-ml-prog-copy", "parent_id"] == "iati-xm-test-1-prog-a"  # same title, dates, orgs
    assert iv.loc["iati-xm-test-1-multi", "kind"] == "project"  # a second report of itself does not make a programme
    assert "if they are different work, clear parent_id" in _row(report, "GB-CHC-0000001-ML-DIALOGUE")["reasons"]


def test_the_map_counts_the_work_once_and_never_counts_cancelled_work(imported):
    from malimap.catalogue.build import build_catalogue
    from malimap.counts.coverage import MapOptions, unit_coverage
    from malimap.counts.filters import Filters, apply_filters

    out, _, _ = imported
    b = embedded_boundaries()
    cat = build_catalogue(load_dataset(out, seeds=Path("/nonexistent"), units=b.units), b)
    cov = unit_coverage(cat, apply_filters(cat, Filters()), MapOptions(level=1)).units.set_index("pcode")["value"]
    assert cov["ML05"] == 1  # the funder's and the implementer's reports of one dialogue: one initiative in Mopti
    assert cov["ML03"] == 0  # Sikasso: only a cancelled forum
    assert cov["ML06"] == 1  # the programme's Tombouctou component and its copy: one root initiative


def test_sector_filter_and_a_second_import_adds_nothing(tmp_path):
    out = tmp_path / "pkg"
    first = import_iati([FIXTURES / "funder.xml"], out, prefixes=("152",), boundaries=embedded_boundaries())
    assert _row(first, "XM-TEST-1-SCHOOLS")["outcome"] == "skipped"  # 11220: education
    assert "no DAC sector under 152 (sectors: 11220)" in _row(first, "XM-TEST-1-SCHOOLS")["reasons"]
    assert _row(first, "XM-TEST-1-TXONLY")["outcome"] != "skipped"  # its 15210 is on a transaction
    again = import_iati([FIXTURES / "funder.xml"], out, boundaries=embedded_boundaries())
    assert again.by_code("skipped") == {"already_in_package": 8, "not_mali": 1}
    assert _row(again, "XM-TEST-1-SCHOOLS")["outcome"] == "imported"  # skipped before, now without the filter


def test_merging_into_a_curated_package_keeps_every_curated_row(tmp_path):
    pkg = tmp_path / "data"
    shutil.copytree(DATA, pkg)
    before = read_tables(pkg)[0]
    import_iati([FIXTURES], pkg, boundaries=embedded_boundaries())
    after = read_tables(pkg)[0]
    for name in ("interventions", "participations", "locations", "organisations", "sources"):
        kept = after[name].iloc[: len(before[name])].reset_index(drop=True)
        assert kept.equals(before[name].reset_index(drop=True)), name
    assert len(after["interventions"]) == len(before["interventions"]) + 11
    assert after["organisations"]["id"].is_unique  # usaid, wanep-mali and amss were matched, not added again


def test_a_zip_of_files_and_refused_members_are_said(tmp_path):
    z = tmp_path / "bundle.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.write(FIXTURES / "funder.xml", "funder.xml")
        f.writestr("old.xml", '<iati-activities version="1.03"/>')
    tables, report = build([z], _empty_package(), embedded_boundaries())
    assert len(report.activities) == 10 and report.refused == ["bundle.zip/old.xml: IATI version 1.03; this reads 2.01–2.03 "
                                                                "(version 1 was retired in 2019): ask the publisher for its current file"]  # fmt: skip
    assert len(tables["interventions"]) == 9


def _empty_package() -> dict[str, pd.DataFrame]:
    from malimap.sheets.packages import empty_tables

    return empty_tables(load_dataset(DATA, units=embedded_boundaries().units))


def test_cli_imports_reports_and_fails_on_a_refused_file(tmp_path, capsys):
    bad = tmp_path / "old.xml"
    bad.write_text('<iati-activities version="1.05"/>')
    report_csv = tmp_path / "report.csv"
    code = main(
        ["import-iati", str(FIXTURES / "funder.xml"), str(bad), "--into", str(tmp_path / "pkg"), "--report", str(report_csv)]
    )
    out = capsys.readouterr().out
    assert code == 1 and "REFUSED old.xml: IATI version 1.05" in out
    assert "10 activities read" in out and "places: " in out
    assert len(pd.read_csv(report_csv)) == 10
    assert main(["import-iati", str(FIXTURES), "--into", str(tmp_path / "x"), "--sectors", "peace"]) == 2


# ---------------------------------------------------------------- in the app


def test_an_iati_file_on_the_data_page_joins_the_view_with_its_report(monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    from malimap import ui
    from malimap.config import REPO_ROOT

    monkeypatch.setenv("MALIMAP_CACHE_DIR", str(tmp_path))
    ui.forget_shared_data()
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "fr"
    at.switch_page("pages/5_Donnees_Data.py").run()
    at.file_uploader(key="upload_file").upload("funder.xml", (FIXTURES / "funder.xml").read_bytes(), "text/xml").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Activités lues"], metrics["Importées"], metrics["Importées, à vérifier"], metrics["Écartées"]) == (
        "10", "4", "5", "1",
    )  # fmt: skip
    report = next(df.value for df in at.dataframe if "Identifiant IATI" in df.value.columns)
    assert len(report) == 10 and set(report["Résultat"]) == {"importée", "importée, à vérifier", "écartée"}
    cards = " ".join(md.value for md in at.markdown)
    assert "Activité IATI XM\\-TEST\\-1\\-MULTI · multi\\-pays\u00a0: le Mali en représente 60 %" in cards
    assert "budget 1\u202f000\u202f000 USD \\(2019\\-01\\-01 – 2019\\-12\\-31\\)" in cards  # each figure in its currency
    assert "décaissement 250\u202f000 EUR \\(2019\\-06\\-30\\)" in cards
    at.switch_page("pages/3_Bailleurs_Funders.py").run()  # the upload stays in this session's view
    money = next(df.value for df in at.dataframe if "Devise" in df.value.columns)
    assert money[["Type", "Devise", "Total", "Fiches"]].values.tolist() == [
        ["budget", "USD", "1\u202f000\u202f000", 1],
        ["engagement", "XOF", "65\u202f000\u202f000", 1],
        ["décaissement", "EUR", "250\u202f000", 1],
    ]
    ui.forget_shared_data()


def test_exports_carry_the_iati_identity_share_and_money(imported):
    from malimap.catalogue.build import build_catalogue
    from malimap.counts.filters import Filters, apply_filters
    from malimap.outputs.exports import export_table, to_hxl_csv

    out, _, _ = imported
    b = embedded_boundaries()
    cat = build_catalogue(load_dataset(out, seeds=Path("/nonexistent"), units=b.units), b)
    table = export_table(cat, apply_filters(cat, Filters()), "en", "all").set_index("id")
    multi = table.loc["iati-xm-test-1-multi"]
    assert (multi["iati_identifier"], multi["mali_share_percent"]) == ("XM-TEST-1-MULTI", "60")
    assert multi["money"] == "budget 1000000.00 USD (2019-01-01 – 2019-12-31); disbursement 250000.00 EUR (2019-06-30)"
    hxl = to_hxl_csv(table.reset_index()).decode("utf-8-sig").splitlines()[1]
    assert "#activity+code+iati" in hxl and "#indicator+pct+mali" in hxl and "#value+meta" in hxl


def test_money_is_converted_only_with_the_user_s_rate_table_and_says_with_which_rate(tmp_path):
    rates = tmp_path / "rates.csv"
    rates.write_text("currency,to_currency,rate,year\nUSD,EUR,0.9,2019\nXOF,EUR,0.0015,\n", encoding="utf-8")
    out = tmp_path / "pkg"
    assert main(["import-iati", str(FIXTURES / "funder.xml"), "--into", str(out), "--rates", str(rates)]) == 0
    fin = read_tables(out)[0]["finances"].set_index(["intervention_id", "kind"])
    budget = fin.loc[("iati-xm-test-1-multi", "budget")]
    assert (budget["amount"], budget["converted_amount"], budget["converted_currency"]) == ("1000000", "900000", "EUR")
    assert budget["rate_source"] == "1 USD = 0.9 EUR (2019), rates.csv row 2"
    assert fin.loc[("iati-xm-test-1-multi", "disbursement"), "rate_source"] == "already in EUR"
    assert fin.loc[("iati-xm-test-1-txonly", "commitment"), "converted_amount"] == "97500"  # any year's XOF rate
    bad = tmp_path / "bad.csv"
    bad.write_text("currency,to_currency,rate\nUSD,EUR,-1\n", encoding="utf-8")
    assert main(["import-iati", str(FIXTURES / "funder.xml"), "--into", str(tmp_path / "x"), "--rates", str(bad)]) == 2


def test_without_a_rate_table_nothing_is_converted(imported):
    _, _, t = imported
    assert (t["finances"]["converted_amount"] == "").all() and (t["finances"]["rate_source"] == "").all()
