"""Round 28 of assisted curation, from what the fifth series (sets 28-29, measured once with the rules frozen) showed:
a name given in quotes after its organisation word, a name written in capitals, a country in parentheses, a council
named by its place, two names joined by "et du", a credit line with its author, "les 29, 30 et 31 janvier", an
inauguration, a weekday's year from the publication date, and "d'ici mars 2027" as an end. Own articles, written for
these tests."""

from __future__ import annotations

from malimap.testing.proposals import found, records


def test_a_name_in_quotes_after_its_organisation_word(ds, gazetteer):
    text = ("Bamako : un projet\n\nLe projet, lancé le 15 mai 2021 à Bamako, est une initiative du consortium composé de "
            "l’Association « Femmes et Paix » et de l’ONG Benkadi.")  # fmt: skip
    names = {name for name, _role in found(text, ds, gazetteer)}
    assert "Association « Femmes et Paix »" in names and "Paix" not in names


def test_words_in_capitals_are_a_name_not_acronyms(ds, gazetteer):
    text = ("Bamako : un projet\n\nIl est financé par le Danemark, à travers son Programme dénommé le FONDS D’APPUI AUX "
            "MOTEURS DU CHANGEMENT (FAMOC), et mis en œuvre par l’ONG Benkadi à Bamako.")  # fmt: skip
    names = {name for name, _role in found(text, ds, gazetteer)}
    assert not names & {"APPUI", "CHANGEMENT", "MOTEURS"}


def test_a_country_in_parentheses_is_no_acronym_and_a_council_is_named_by_its_place(ds, gazetteer):
    text = ("Mopti : un appui\n\nLe Conseil régional du Centre Val de Loire (France) et le Conseil régional de Mopti (Mali) "
            "appuient les déplacés de Mopti avec l’ONG Benkadi.")  # fmt: skip
    names = {name for name, _role in found(text, ds, gazetteer)}
    assert "Conseil régional de Mopti" in names and not any("(France)" in n for n in names)


def test_et_du_fonds_begins_another_name(ds, gazetteer):
    text = ("Macina : un atelier\n\nL’atelier du 6 avril 2022 à Macina est mis en œuvre par l’ONG Benkadi avec l’appui "
            "financier de l’ambassade du Danemark et du Fonds d’appui aux moteurs du changement.")  # fmt: skip
    names = {name for name, _role in found(text, ds, gazetteer)}
    assert "ambassade du Danemark" in names and not any(n.startswith("ambassade du Danemark et") for n in names)


def test_a_credit_line_with_its_author(ds, gazetteer):
    text = "Macina : un atelier\n\nL’ONG Benkadi a organisé un atelier à Macina le 6 avril 2022.\nAwa Traoré / AMAP - Ségou"
    assert "AMAP" not in {name for name, _role in found(text, ds, gazetteer)}


def test_three_days_of_one_month(ds, gazetteer):
    text = (
        "Kayes : un atelier\n\nUn atelier régional s’est tenu les 29, 30 et 31 janvier 2021 à Kayes, organisé par l’ONG Benkadi."
    )
    assert [(c.start, c.end) for c in records(text, ds, gazetteer)] == [("2021-01-29", "2021-01-31")]


def test_an_inauguration_is_an_event_and_a_project_inaugurated_is_the_project(ds, gazetteer):
    text = "Gao : une agence\n\nLe 23 décembre 2017, la MINUSMA a inauguré à Gao une agence de communication pour les jeunes."
    assert [(c.kind, c.start) for c in records(text, ds, gazetteer)] == [("event", "2017-12-23")]


def test_a_weekday_takes_its_year_from_the_publication_date(ds, gazetteer):
    text = "Mopti : un projet\n\nLe lancement, jeudi 21 février, d’un projet de l’ONG Benkadi a eu lieu à Mopti."
    got = records(text, ds, gazetteer, published="2019-03")
    assert ("2019-02-21", True) in [(c.start, c.dates_approximate) for c in got]


def test_d_ici_is_an_end_not_a_start(ds, gazetteer):
    text = "Bamako : un projet\n\nLe projet de l’ONG Benkadi renforcera d’ici mars 2027 la capacité de 300 jeunes de Bamako."
    assert [c.start for c in records(text, ds, gazetteer)] == [None]
