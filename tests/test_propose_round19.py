"""Round 19 of assisted curation, from what set 19 (articles nobody here had curated) showed: sector terms in capitals,
a programme's acronym with a plus, "ONG X" in a list, religious bodies, "oversees", a date that dates the crisis, and
two days of one month written apart. Own articles, written for these tests."""

from __future__ import annotations

from malimap.testing.proposals import found, records


def test_sector_terms_in_capitals_are_no_organisations(ds, gazetteer):
    text = ("Mopti\n\nSince 2022, the project has been implemented by Benkadi in Mopti: WASH kits went to 300 IDP "
            "households and GBV committees were set up with the PDI of Sévaré.")  # fmt: skip
    assert {name for name, _role in found(text, ds, gazetteer)} == {"Benkadi"}


def test_a_programmes_acronym_with_a_plus_is_the_programme(ds, gazetteer):
    text = "Timbuktu\n\nAissata, participant in Benkadi's PAIX+ programme in Timbuktu, trains young leaders."
    assert "PAIX" not in {name for name, _role in found(text, ds, gazetteer)}


def test_ong_with_a_name_in_a_list_is_an_organisation(ds, gazetteer):
    text = ("Gao : un projet\n\nLe projet « Vivre ensemble » a été initié par l’ONG Benkadi. L’Association Delta Survie "
            "(ADS), ONG Tilwat, et Sahel Plus se sont rassemblés avec Benkadi à Gao le 3 mai 2021.")  # fmt: skip
    assert "Tilwat" in {name for name, _role in found(text, ds, gazetteer)}


def test_ong_followed_by_an_adjective_names_no_one(ds, gazetteer):
    text = "Gao : un forum\n\nDes ONG Internationales et l’ONG Benkadi ont organisé un forum à Gao le 3 mai 2021."
    assert {name for name, _role in found(text, ds, gazetteer)} == {"Benkadi"}


def test_a_religious_congregation_is_an_organisation(ds, gazetteer):
    text = ("Koulikoro\n\nThe Benkadi programme oversees community work in Kolokani. This project supports and transfers "
            "knowledge to the Sisters of Saint Joseph of Banankoro.")  # fmt: skip
    assert "Sisters of Saint Joseph of Banankoro" in {name for name, _role in found(text, ds, gazetteer)}


def test_oversees_names_the_implementer(ds, gazetteer):
    text = "Koulikoro\n\nThe Benkadi Association oversees a community development program in 37 villages of Kolokani."
    assert ("Benkadi Association", "implementer") in found(text, ds, gazetteer)


def test_the_year_of_the_crisis_is_not_the_projects_start(ds, gazetteer):
    text = ("Timbuktu\n\nThe aim of the project is to mitigate the effects of the armed conflicts to which the region "
            "was victim in 2012. The project is implemented by Benkadi in Goundam.")  # fmt: skip
    assert [c.start for c in records(text, ds, gazetteer)] == [None]


def test_two_days_of_one_month_written_apart(ds, gazetteer):
    text = "Gao : la paix\n\nDes sessions de dialogue ont été organisées par l’ONG Benkadi le 11 juin et le 19 juin 2021 à Gao."
    assert [(c.start, c.end) for c in records(text, ds, gazetteer)] == [("2021-06-11", "2021-06-19")]
