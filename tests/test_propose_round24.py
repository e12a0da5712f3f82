"""Round 24 of assisted curation, from what set 24 (articles nobody here had curated) showed: an article that is one
headline-like line keeps its names, the year a conflict "qui, depuis 2016," grew, a law's number before an acronym,
"DNA", a radio station's name, an occasion named "Day", and a byline "Author (Town)date". Own articles, written for
these tests."""

from __future__ import annotations

from malimap.testing.proposals import found, records


def test_an_article_of_one_line_keeps_its_names(ds, gazetteer):
    text = "C’est un projet de la Fondation Hirondelle, une ONG suisse qui crée des radios de paix dans les pays en conflit."
    assert "Fondation Hirondelle" in {name for name, _role in found(text, ds, gazetteer)}


def test_the_year_a_conflict_grew_is_no_start(ds, gazetteer):
    text = ("Mopti : des dialogues\n\nLa MINUSMA a tenu cinq dialogues à Mopti. Le contexte de conflit qui, depuis 2016, "
            "a pris de l’ampleur, touche 14 communautés.")  # fmt: skip
    assert [c.start for c in records(text, ds, gazetteer)] == [None]


def test_a_laws_number_before_an_acronym_and_dna_are_no_organisations(ds, gazetteer):
    text = ("Douentza\n\nPetaka, devenue commune par la loi du 96-059 ANRM, a accueilli un atelier de la MINUSMA. La paix "
            "est dans le DNA of the region.")  # fmt: skip
    names = {name for name, _role in found(text, ds, gazetteer)}
    assert not names & {"ANRM", "DNA"}


def test_a_radio_station_is_an_organisation_and_world_radio_day_an_occasion(ds, gazetteer):
    text = ("Bamako : une émission\n\nLa Misahel et la Radio Kaoural ont lancé une émission sur la paix à Bamako pour "
            "le World Radio Day.")  # fmt: skip
    names = {name for name, _role in found(text, ds, gazetteer)}
    assert "Radio Kaoural" in names and "World Radio Day" not in names


def test_a_byline_with_the_authors_town_is_the_publication_date(ds, gazetteer):
    text = ("Un studio pour la paix\n\nAwa Traoré (Bamako)21 août 2013\n\nLe studio Benkadi, un projet de l’ONG Tilwat, "
            "vient d’ouvrir à Bamako.")  # fmt: skip
    assert [c.start for c in records(text, ds, gazetteer)] == [None]
