"""Pure functions behind the pages: filters, sentences, i18n, charts, maps and exports."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from malimap import i18n
from malimap.counts.aggregate import budget_summary, count_by_funder, funding_flows, organisation_profile, partnerships
from malimap.counts.filters import Filters, apply_filters, describe_filters
from malimap.counts.yearly import count_by_year
from malimap.outputs.charts import date_text, funder_sankey, partnership_matrix, theme_bar, timeline_figure, year_counts_figure
from malimap.outputs.exports import COLUMNS, export_table, to_excel, to_geojson, to_hxl_csv
from malimap.testing.tiny import catalogue, iv, sample_catalogue

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cat():
    return sample_catalogue()


def test_languages_have_the_same_keys_and_every_used_key_exists():
    fr, en = i18n.strings("fr"), i18n.strings("en")
    assert set(fr) == set(en)
    assert all(v.strip() for v in [*fr.values(), *en.values()])
    code = "\n".join(p.read_text() for p in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("src/malimap/*.py")])
    used = set(re.findall(r'\bt\("([a-z_]+\.[a-z_.-]+)"', code))
    assert used and used <= set(fr), used - set(fr)
    for group, values in {
        "kinds": ["programme", "project", "event"],
        "level": ["1", "2", "3"],
        "reach": ["activity", "beneficiaries"],
    }.items():
        assert all(f"{group}.{v}" in fr for v in values)
    from malimap.schema import enum_values

    for group, (table, col) in {
        "role": ("participations", "role"),
        "status": ("interventions", "status"),
        "org_type": ("organisations", "type"),
    }.items():
        assert all(f"{group}.{v}" in fr for v in enum_values(table, col)), group


def test_aggregates(cat):
    iv = cat.interventions
    years = count_by_year(cat, iv)
    assert (years["year"].min(), years["year"].max()) == (2015, 2020)
    funders = count_by_funder(cat, iv)
    assert funders[["funder_id", "direct", "inherited"]].values.tolist() == [["f", 1, 1], ["a", 1, 0]]
    flows = funding_flows(cat, iv, "en")
    assert flows[["funder", "implementer", "intervention_id"]].values.tolist() == [["F", "A", "proj"], ["A", "?", "abroad"]]
    assert budget_summary(iv) == {"by_currency": {}, "known": 0, "unknown": 6}
    assert partnerships(cat, iv).values.tolist() == [["a", "f", 1]]
    prof = organisation_profile(cat, iv, "a")
    assert (
        prof["roles"] == {"implementer": 1, "funder": 1} and prof["places"] == ["MA", "Ségou"] and prof["partners"] == [("F", 1)]
    )


def test_timeline_draws_partial_dates_honestly():
    cat = catalogue(
        [
            iv("prog", "programme", start="2013", title_en="National initiative"),
            iv("ws", start="2016-09-07", end="2016-09-10", title_en="Workshop"),
            iv("later", "project", start="2019-04-30", end="2019-04-30", dates_approximate="true"),
        ],
        [],
    )
    items = cat.interventions.assign(title_display=cat.interventions["title_en"], group="g")
    fig = timeline_figure(items, "group", "en")
    bars = {tr.name: tr for tr in fig.data if tr.type == "bar"}
    programme = bars["programme"]
    assert list(programme.y) == ["g · National initiative"]
    assert str(pd.Timestamp(programme.base[0]).date()) == "2013-01-01"
    assert programme.x[0] == 365 * 24 * 3600 * 1000  # a start year alone spans the whole year, not one day
    assert programme.marker.pattern.shape[0] == "/"  # and is hatched as imprecise
    event = next(tr for tr in fig.data if tr.type == "bar" and "g · Workshop" in list(tr.y))
    row = list(event.y).index("g · Workshop")
    assert event.x[row] == 4 * 24 * 3600 * 1000 and event.marker.pattern.shape[row] == ""  # exact days: solid
    assert year_counts_figure(count_by_year(cat, items), "fr").data
    assert (
        date_text({"start_date": "2019-04-30", "end_date": "2019-04-30", "dates_approximate": True}, "en")
        == "2019-04-30 (approx.)"
    )


def test_charts_escape_hostile_labels(cat):
    flows = pd.DataFrame(
        {
            "funder": ["<img src=x onerror=alert(1)>"],
            "implementer": ["B"],
            "intervention": ["C"],
            "intervention_id": ["c"],
            "kind": ["event"],
        }
    )
    fig = funder_sankey(flows, "en")
    assert "<img" not in json.dumps(fig.to_plotly_json(), default=str)
    pairs = pd.DataFrame({"a": ["x"], "b": ["y"], "together": [2]})
    fig = partnership_matrix(pairs, {"x": "<script>alert(1)</script>", "y": "Y"}, "fr")
    assert "<script>" not in str(fig.data[0].x)


def test_exports_carry_selection_citations_and_hxl(cat):
    f = Filters(regions=("ML01",))
    items = apply_filters(cat, f)
    sentence = describe_filters(f, "en", cat)
    table = export_table(cat, items, "en", sentence)
    csv = to_hxl_csv(table).decode("utf-8-sig")
    lines = csv.splitlines()
    for tag in (
        "#activity",
        "#org+impl",
        "#org+funder",
        "#adm1+code",
        "#adm2+code",
        "#adm3+code",
        "#date+start",
        "#date+end",
        "#sector",
    ):
        assert tag in lines[1]
    rows = pd.read_csv(io.StringIO(csv), skiprows=[1], keep_default_na=False)
    assert sorted(rows["id"]) == ["plan", "proj", "talk", "undated", "ws"]
    assert rows.set_index("id").at["proj", "adm2_pcode"] == "ML0101"
    assert sentence in csv and "seed file" in csv
    gj = json.loads(to_geojson(cat, items, "en", sentence))
    assert gj["metadata"]["selection"] == sentence and gj["metadata"]["citations"]
    by_id = {}
    for feature in gj["features"]:
        by_id.setdefault(feature["properties"]["intervention_id"], []).append(feature["properties"]["geometry_basis"])
    assert by_id == {
        "plan": ["centre of admin unit ML0102 (not the exact site)"],
        "proj": ["centre of admin unit ML0101 (not the exact site)"],
        "talk": ["centre of admin unit ML0201 (not the exact site)", "centre of admin unit ML0102 (not the exact site)"],
        "undated": ["centre of admin unit ML01 (not the exact site)"],
        "ws": ["centre of admin unit ML0101 (not the exact site)"],
    }  # never where participants came from
    xl = pd.read_excel(io.BytesIO(to_excel(cat, table, items, sentence, "en")), sheet_name=None)
    assert set(xl) == {"interventions", "about", "sources"} and len(xl["interventions"]) == 5
    assert set(COLUMNS) == set(table.columns)


def test_exports_defuse_formulas(cat):
    items = cat.interventions.head(1).copy()
    items["title"] = '=HYPERLINK("http://x","click")'
    table = export_table(cat, items, "en", "s")
    assert "'=HYPERLINK" in to_hxl_csv(table).decode("utf-8-sig")
    xl = pd.read_excel(io.BytesIO(to_excel(cat, table, items, "s", "en")), sheet_name="interventions")
    assert xl.loc[0, "Title (as the source gives it)"].startswith("'=HYPERLINK")  # headings for people, text still defused


def test_sankey_columns_are_placed_apart_and_sized_by_the_longest():
    flows = pd.DataFrame(
        {
            "funder": ["F1", "F1", "F2"],
            "implementer": ["I1", "?", "I1"],
            "intervention": ["A very long intervention title that a projector cannot show whole", "B", "C"],
            "intervention_id": ["a", "b", "c"],
            "kind": ["event"] * 3,
        }
    )
    sankey = funder_sankey(flows, "fr").data[0]
    assert list(sankey.node.x) == [0.001, 0.001, 0.38, 0.38, 0.999, 0.999, 0.999]
    assert list(sankey.node.y) == [0.25, 0.75, 0.25, 0.75, 1 / 6, 0.5, 5 / 6]
    assert "(mise en œuvre non précisée)" in sankey.node.label  # in the page's language
    assert max(len(label) for label in sankey.node.label) <= 42 and sankey.node.customdata[4].endswith("show whole")
    assert funder_sankey(flows, "fr").layout.height == 400
    many = pd.concat([flows.assign(intervention=f"T{k}") for k in range(30)])
    assert funder_sankey(many, "fr").layout.height == 28 * 30 + 120  # one row per intervention, never squeezed


def test_a_sub_project_s_export_names_its_parent_s_funder_as_the_card_does():
    from malimap.catalogue.build import build_catalogue
    from malimap.counts.filters import Filters, apply_filters
    from malimap.dataset import load_dataset
    from malimap.geo.boundaries import embedded_boundaries
    from malimap.outputs.exports import COLUMNS, export_table

    b = embedded_boundaries()
    cat = build_catalogue(load_dataset(units=b.units), b)
    items = apply_filters(cat, Filters())
    table = export_table(cat, items, "en", "all").set_index("id")
    child = items[(items["inherited_funders"].fillna("") != "") & (items["funders"].fillna("") == "")].iloc[0]
    assert table.loc[child["id"], "funders"] == "" and table.loc[child["id"], "inherited_funders"] == child["inherited_funders"]
    assert COLUMNS["inherited_funders"] == "#org+funder+inherited"


def test_theme_chart_draws_no_empty_bars_and_says_how_many_themes_it_left_out():
    counts = pd.DataFrame({"code": ["dialogue", "justice", "youth", "media"], "interventions": [3, 1, 0, 0]})
    fig = theme_bar(counts, {"dialogue": "Dialogue", "justice": "Justice"}, "fr")
    assert list(fig.data[0].y) == ["Dialogue", "Justice"] and list(fig.data[0].x) == [3, 1]
    assert "2 autre(s) thème(s) sans fiche dans cette sélection" in fig.layout.title.text
    assert fig.layout.title.yanchor == "top" and fig.layout.title.pad.t >= 30  # below the toolbar
    full = theme_bar(counts.head(2), {}, "en")
    assert full.layout.title.text == "Interventions per theme"  # nothing left out, nothing said


def test_conflicts_are_headed_in_the_page_s_language_and_never_show_none():
    from malimap.outputs.exports import conflicts_screen

    conflicts = pd.DataFrame({"id": ["c1"], "record_id": ["x"], "claim": [None], "note": ["Two dates."]})
    shown = conflicts_screen(conflicts, "fr")
    assert list(shown.columns) == ["Identifiant", "Fiche", "Ce que dit la source", "Note du curateur (en anglais)"]
    assert shown.iloc[0].tolist() == ["c1", "x", "", "Two dates."]


def test_one_language_normaliser_follows_the_server_default(monkeypatch):
    """A link with no (or an unknown) language opens in the server's language, in every module alike."""
    monkeypatch.setenv("MALIMAP_LANG", "en")
    assert i18n.normalise_lang(None) == "en" and i18n.normalise_lang("de") == "en" and i18n.normalise_lang("fr") == "fr"
    assert i18n.colon(None) == ": "  # English punctuation for the English default
    monkeypatch.delenv("MALIMAP_LANG")
    assert i18n.normalise_lang(None) == "fr" and i18n.colon(None) == "\u00a0: "
