"""Filters on a catalogue built in code: exact ids and exact sentences (the curated data can change, these cannot)."""

from __future__ import annotations

import dataclasses

import pytest

from malimap import i18n
from malimap.counts.filters import (
    FILTER_PARAMS,
    FILTERS,
    Filters,
    apply_filters,
    describe_filters,
    spec_choices,
    undated_excluded,
)
from malimap.testing.tiny import sample_catalogue

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def cat():
    return sample_catalogue()


def ids(cat, **kw) -> list[str]:
    return sorted(apply_filters(cat, Filters(**kw))["id"])


EXACT = [  # one row at least per filter (a test below holds every FilterSpec to it)
    ({}, ["abroad", "plan", "proj", "talk", "undated", "ws"]),
    ({"kinds": ("programme", "project")}, ["proj", "undated"]),
    ({"organisations": ("a",)}, ["abroad", "proj"]),
    ({"organisations": ("a",), "role": "funder"}, ["abroad"]),
    ({"organisations": ("b", "f"), "role": "implementer"}, ["ws"]),
    ({"role": "funder"}, ["abroad", "plan", "proj", "talk", "undated", "ws"]),  # a role alone narrows nothing
    ({"funders": ("f",)}, ["proj", "ws"]),  # the workshop inherits its project's funder
    ({"org_types": ("national_ngo",)}, ["talk", "ws"]),
    ({"org_types": ("national_ngo",), "role": "implementer"}, ["ws"]),  # the role narrows the type too
    ({"org_types": ("government_donor", "international_ngo")}, ["abroad", "proj"]),
    ({"themes": ("dialogue",)}, ["plan", "proj"]),
    ({"regions": ("ML01",)}, ["plan", "proj", "talk", "undated", "ws"]),  # talk: beneficiaries in Ténenkou
    ({"cercles": ("ML0101",)}, ["proj", "ws"]),  # talk's people came from Djenné: not where it happened
    ({"regions": ("ML02",)}, ["talk"]),
    ({"statuses": ("planned",)}, ["plan"]),
    ({"year_from": 2016, "year_to": 2016}, ["abroad", "proj", "ws"]),  # proj by its whole 2015-2017 span
    ({"year_from": 2018}, ["plan", "talk"]),
    ({"year_to": 2014}, []),
    ({"kinds": ("event",), "regions": ("ML01",), "year_from": 2018, "year_to": 2019}, ["talk"]),
]


@pytest.mark.parametrize("kw,expected", EXACT)
def test_each_filter_keeps_exactly(cat, kw, expected):
    assert ids(cat, **kw) == expected


def test_undated_records_are_counted_not_claimed(cat):
    f = Filters(year_from=2015, year_to=2016)
    assert "undated" not in ids(cat, year_from=2015, year_to=2016)
    assert undated_excluded(cat, f) == 1
    assert undated_excluded(cat, Filters(year_from=2015, year_to=2016, kinds=("event",))) == 0
    assert undated_excluded(cat, Filters()) == 0


@pytest.mark.parametrize(
    "lang,expected",
    [
        (
            "en",
            "Interventions filtered by: with A or F as funder; theme Dialogue; active between 2015 and 2018; "
            "in/for Ségou or Ténenkou; status planned.",
        ),
        (
            "fr",
            f"Interventions filtrées{NBSP}: avec A ou F comme bailleur{NBSP}; thème Dialogue{NBSP}; actives entre 2015 et "
            f"2018{NBSP}; à/pour Ségou ou Ténenkou{NBSP}; statut prévu.",
        ),
    ],
)
def test_sentence_exactly(cat, lang, expected):
    f = Filters(
        organisations=("a", "f"),
        role="funder",
        themes=("dialogue",),
        year_from=2015,
        year_to=2018,
        regions=("ML01",),
        cercles=("ML0102",),
        statuses=("planned",),
    )
    assert describe_filters(f, lang, cat) == expected


@pytest.mark.parametrize(
    "kw,expected",
    [
        ({}, "All interventions, no filter."),
        ({"kinds": ("event",)}, "Interventions filtered by: kind event."),
        ({"organisations": ("b",)}, "Interventions filtered by: involving B."),
        ({"funders": ("f",)}, "Interventions filtered by: funded by F (directly or through their project/programme)."),
        ({"org_types": ("national_ngo",)}, "Interventions filtered by: involving an organisation of type national NGO."),
        (
            {"org_types": ("national_ngo",), "role": "implementer"},
            "Interventions filtered by: with an organisation of type national NGO as implementer.",
        ),
        ({"year_from": 2016}, "Interventions filtered by: active between 2016 and …."),
        ({"communes": ("ML010101",)}, "Interventions filtered by: in/for ML010101."),  # an unknown code is shown, not hidden
    ],
)
def test_one_clause_per_filter(cat, kw, expected):
    assert describe_filters(Filters(**kw), "en", cat) == expected


def test_every_filter_field_has_one_spec_with_its_strings():
    covered = {"year_from", "year_to"} if any(s.field == "years" for s in FILTERS) else set()
    covered |= {s.field for s in FILTERS if s.field != "years"}
    assert covered == {f.name for f in dataclasses.fields(Filters)}
    assert len(set(FILTER_PARAMS)) == len(FILTERS)
    for spec in FILTERS:
        assert spec.widget in ("multi", "select", "range")
        for lang in ("fr", "en"):
            assert spec.label in i18n.strings(lang), (spec.label, lang)


def test_place_choices_follow_the_chosen_region(cat):
    spec = {s.param: s for s in FILTERS}
    assert spec["cercle"].choices(cat, Filters()) == ["ML0101", "ML0102", "ML0201"]
    assert spec["cercle"].choices(cat, Filters(regions=("ML02",))) == ["ML0201"]
    show = spec["cercle"].show(cat, "fr")
    assert i18n.unicodedata.normalize("NFC", show("ML0102")) == "Ténenkou (Ségou)"
    assert spec["years"].choices(cat, Filters()) == [2015, 2020]


def test_spec_value_round_trip():
    f = Filters()
    for spec in FILTERS:
        f = spec.set(f, {"multi": ("x",), "select": "funder", "range": (2001, 2002)}[spec.widget])
    assert f.organisations == ("x",) and f.role == "funder" and (f.year_from, f.year_to) == (2001, 2002)
    assert FILTERS[0].set(f, []).organisations == ()


def test_the_catalogue_adds_exactly_the_declared_columns(cat):
    from malimap.catalogue.build import DERIVED
    from malimap.schema import load_schema

    schema = load_schema()
    for table, derived in DERIVED.items():
        added = [c for c in getattr(cat, table).columns if c not in schema[table].columns]
        assert added == list(derived), table  # declared once, in catalogue.build.DERIVED, in the order they are built
    assert list(cat.organisations.columns) == schema["organisations"].columns


def test_a_place_filter_says_how_many_mali_wide_records_it_leaves_out():
    from malimap.catalogue.build import build_catalogue
    from malimap.counts.filters import national_excluded
    from malimap.dataset import load_dataset
    from malimap.geo.boundaries import embedded_boundaries

    b = embedded_boundaries()
    cat = build_catalogue(load_dataset(units=b.units), b)
    wide = set(cat.report.country_wide["intervention_id"])
    mopti = Filters(regions=("ML05",))
    left_out = wide - set(apply_filters(cat, mopti)["id"])
    assert national_excluded(cat, mopti) == len(left_out) > 0  # the human-security programme "toutes ses régions"…
    assert national_excluded(cat, Filters()) == 0


def test_typed_text_finds_its_place_without_accents_or_case():
    from malimap.counts.filter_words import typed_matches

    names = {"ML04": "Ségou", "ML09": "Ménaka", "ML0401": "Ségou (Ségou)", "ML0402": "Barouéli (Ségou)", "ML06": "Tombouctou"}
    regions = ["ML04", "ML06", "ML09"]
    assert typed_matches("Seg", regions, names.get) == ["ML04"]
    assert typed_matches("MENAKA", regions, names.get) == ["ML09"]
    assert typed_matches("  ", regions, names.get) == [] and typed_matches("zzz", regions, names.get) == []
    cercles = ["ML0401", "ML0402"]
    assert typed_matches("segou", cercles, names.get) == ["ML0401"]  # the name, not the parent in brackets
    assert typed_matches("oueli", cercles, names.get) == ["ML0402"]  # inside a name, when nothing starts with it


def test_every_filter_is_complete_by_construction(cat):
    """Each filter's label and every sentence its clause may say exist in both languages, each clause says only the
    strings its spec names, and each filter the sample offers has a row in the exact-ids table above."""
    fields_in_table = {("years" if k in ("year_from", "year_to") else k) for kw, _ in EXACT for k in kw}
    for spec in FILTERS:
        for key in (spec.label, *spec.sentences):
            for lang in ("fr", "en"):
                assert key in i18n.strings(lang), (spec.field, key, lang)
        choices = spec_choices(spec, cat, Filters())
        if not choices:  # not offered on this sample (no commune boundaries): nothing to choose, nothing to say
            continue
        assert spec.field in fields_in_table, f"no exact-ids row for the {spec.field} filter"
        if spec.clause is None:
            continue
        assert spec.sentences, spec.field
        for role in ("", "funder"):
            value = choices if spec.widget == "range" else choices[:2]
            f = spec.set(Filters(role=role) if role else Filters(), value)
            said = spec.clause(f, "en", cat)
            assert said is not None and said[0] in spec.sentences, (spec.field, said)
