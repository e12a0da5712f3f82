"""Pure functions behind the pages: filters, sentences, i18n, charts, maps and exports."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from malimap import i18n
from malimap.yearly import count_by_year
from malimap.aggregate import budget_summary, count_by_funder, funding_flows, organisation_profile, partnerships
from malimap.boundaries import embedded_boundaries
from malimap.charts import date_text, funder_sankey, partnership_matrix, timeline_figure, year_counts_figure
from malimap.dataset import load_dataset
from malimap.exports import COLUMNS, export_table, to_excel, to_geojson, to_hxl_csv
from malimap.filters import Filters, apply_filters, describe_filters, undated_excluded
from malimap.joins import build_catalogue

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cat():
    return build_catalogue(load_dataset(), embedded_boundaries())


def ids(cat, **kw):
    return set(apply_filters(cat, Filters(**kw))["id"])


@pytest.mark.parametrize("kw,expected", [
    ({}, 31),
    ({"kinds": ("programme",)}, 6),
    ({"kinds": ("programme", "project")}, 17),
    ({"organisations": ("usaid",)}, 3),
    ({"organisations": ("usaid",), "role": "funder"}, 2),
    ({"funders": ("usaid",)}, 3),  # 3P project, its workshop (inherited), the Casablanca workshop
    ({"funders": ("global-affairs-canada",)}, 3),
    ({"themes": ("r2p",)}, 1),
    ({"themes": ("r2p", "pve")}, 3),  # the R2P dialogue, the Casablanca workshop and its follow-up platform
    ({"regions": ("ML10",)}, 2),
    ({"cercles": ("ML0602",)}, 2),  # the 3P project, and its lessons workshop for the project's actors
    ({"statuses": ("planned",)}, 7),
    ({"year_from": 2018, "year_to": 2018}, 4),  # Peace Exchange Mali itself has no dates: not claimed for 2018
    ({"year_from": 2013, "year_to": 2013}, 5),
    ({"kinds": ("event",), "regions": ("ML09",)}, 8),
])
def test_filter_table(cat, kw, expected):
    assert len(ids(cat, **kw)) == expected


def test_year_filter_reports_undated(cat):
    f = Filters(year_from=2015, year_to=2016)
    assert undated_excluded(cat, f) == len(cat.interventions[cat.interventions["date_lo"].isna()])
    assert "sans date connue" not in describe_filters(f, "fr", cat)


def test_partial_dates_overlap_by_their_whole_period(cat):
    # the 2013 Interpeace programme has only a start year: it counts for 2013, not for 2014
    assert "interpeace-imrap-national-initiative" in ids(cat, year_from=2013, year_to=2013)
    assert "interpeace-imrap-national-initiative" not in ids(cat, year_from=2014, year_to=2014)


def test_sentence_in_both_languages(cat):
    f = Filters(organisations=("usaid", "amss"), role="funder", themes=("mediation",), year_from=2015, year_to=2018, regions=("ML06",))
    fr, en = describe_filters(f, "fr", cat), describe_filters(f, "en", cat)
    assert "United States Agency for International Development ou Association Malienne pour la Survie au Sahel" in fr
    assert "comme bailleur" in fr and "Médiation" in fr and "2015" in fr and "Tombouctou" in fr
    assert "as funder" in en and "Mediation" in en
    assert describe_filters(Filters(), "en", cat) == "All interventions, no filter."


def test_languages_have_the_same_keys_and_every_used_key_exists():
    fr, en = i18n.strings("fr"), i18n.strings("en")
    assert set(fr) == set(en)
    assert all(v.strip() for v in [*fr.values(), *en.values()])
    code = "\n".join(p.read_text() for p in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("src/malimap/*.py")])
    used = set(re.findall(r'\bt\("([a-z_]+\.[a-z_.-]+)"', code))
    assert used and used <= set(fr), used - set(fr)
    for group, values in {"kinds": ["programme", "project", "event"], "level": ["1", "2", "3"],
                          "reach": ["activity", "beneficiaries"]}.items():
        assert all(f"{group}.{v}" in fr for v in values)
    from malimap.schema import enum_values
    for group, (table, col) in {"role": ("participations", "role"), "status": ("interventions", "status"),
                                "org_type": ("organisations", "type")}.items():
        assert all(f"{group}.{v}" in fr for v in enum_values(table, col)), group


def test_aggregates(cat):
    iv = cat.interventions
    years = count_by_year(cat, iv)
    assert years["year"].min() == 2013 and years["year"].max() == 2019
    funders = count_by_funder(cat, iv).set_index("funder_id")
    assert funders.at["usaid", "direct"] == 2 and funders.at["usaid", "inherited"] == 1
    flows = funding_flows(cat, iv)
    assert {"funder", "implementer", "intervention"} <= set(flows.columns) and len(flows) > 5
    assert budget_summary(iv) == {"by_currency": {}, "known": 0, "unknown": 31}
    pairs = partnerships(cat, iv)
    assert pairs.iloc[0]["together"] >= 4
    prof = organisation_profile(cat, iv, "wanep-mali")
    assert prof["roles"]["implementer"] >= 3 and "Maroc" not in prof["places"] and prof["partners"]


def test_timeline_draws_partial_dates_honestly(cat):
    iv = cat.interventions.assign(title_display=cat.interventions["title_en"], group="g")
    fig = timeline_figure(iv, "group", "en")
    bars = [tr for tr in fig.data if tr.type == "bar"]
    programme = next(tr for tr in bars if tr.name == "programme")
    row = list(programme.y).index(next(y for y in programme.y if "National initiative" in y))
    assert str(pd.Timestamp(programme.base[row]).date()) == "2013-01-01"
    assert programme.x[row] == 365 * 24 * 3600 * 1000  # the whole year, not one day
    assert programme.marker.pattern.shape[row] == "/"
    markers = [tr for tr in fig.data if tr.type == "scatter"]
    assert any("Casablanca" not in str(tr.hovertext) for tr in markers)
    assert year_counts_figure(count_by_year(cat, iv), "fr").data
    assert date_text({"start_date": "2019-04-30", "end_date": "2019-04-30", "dates_approximate": True}, "en") == "2019-04-30 (approx.)"


def test_charts_escape_hostile_labels(cat):
    flows = pd.DataFrame({"funder": ["<img src=x onerror=alert(1)>"], "implementer": ["B"], "intervention": ["C"],
                          "intervention_id": ["c"], "kind": ["event"]})
    fig = funder_sankey(flows, "en")
    assert "<img" not in json.dumps(fig.to_plotly_json(), default=str)
    pairs = pd.DataFrame({"a": ["x"], "b": ["y"], "together": [2]})
    fig = partnership_matrix(pairs, {"x": "<script>alert(1)</script>", "y": "Y"}, "fr")
    assert "<script>" not in str(fig.data[0].x)


def test_exports_carry_selection_citations_and_hxl(cat):
    f = Filters(regions=("ML06",))
    items = apply_filters(cat, f)
    sentence = describe_filters(f, "en", cat)
    table = export_table(cat, items, "en", sentence)
    csv = to_hxl_csv(table).decode("utf-8-sig")
    lines = csv.splitlines()
    for tag in ("#activity", "#org+impl", "#org+funder", "#adm1+code", "#adm2+code", "#adm3+code", "#date+start", "#date+end", "#sector"):
        assert tag in lines[1]
    assert len(pd.read_csv(io.StringIO(csv), skiprows=[1])) == len(items) == 4
    assert sentence in csv and "seed file" in csv
    gj = json.loads(to_geojson(cat, items, "en", sentence))
    assert gj["metadata"]["selection"] == sentence and gj["metadata"]["citations"]
    assert all("geometry_basis" in f["properties"] for f in gj["features"])
    xl = pd.read_excel(io.BytesIO(to_excel(cat, table, items, sentence, "en")), sheet_name=None)
    assert set(xl) == {"interventions", "about", "sources"} and len(xl["interventions"]) == 4
    assert set(COLUMNS) == set(table.columns)


def test_exports_defuse_formulas(cat):
    items = cat.interventions.head(1).copy()
    items["title"] = "=HYPERLINK(\"http://x\",\"click\")"
    table = export_table(cat, items, "en", "s")
    assert "'=HYPERLINK" in to_hxl_csv(table).decode("utf-8-sig")
    xl = pd.read_excel(io.BytesIO(to_excel(cat, table, items, "s", "en")), sheet_name="interventions")
    assert xl.loc[0, "title"].startswith("'=HYPERLINK")
