"""Round 22 of assisted curation, from what set 22 (articles nobody here had curated) showed: "organisé par X en
collaboration avec ses partenaires" (the cue had read on to "partenaires"), masculine adjectives inside names,
"l'institut américain pour la paix" in lower case, a fund named apart from the embassy whose fund it is, and a name read
short where the article writes it whole. Own articles, written for these tests."""

from __future__ import annotations

from malimap.testing.proposals import found


def test_organise_par_reads_the_name_right_after_par(ds, gazetteer):
    text = ("Bamako : un atelier\n\nCet atelier du 11 décembre 2017 à Bamako est organisé par le Rejeko en collaboration "
            "avec ses partenaires comme la Fondation Tilwat.")  # fmt: skip
    got = found(text, ds, gazetteer)
    assert ("Rejeko", "convener") in got and ("Fondation Tilwat", "partner") in got


def test_a_masculine_adjective_goes_on_inside_a_name(ds, gazetteer):
    text = ("Bamako : un atelier\n\nUn atelier a été organisé le 29 mars 2022 à Bamako par l’Institut Américain pour la "
            "Paix.")  # fmt: skip
    assert found(text, ds, gazetteer) == {("Institut Américain pour la Paix", "convener")}


def test_an_institute_in_lower_case_after_a_cue(ds, gazetteer):
    text = ("Kati : un atelier\n\nL’atelier de Kati, initié par l’institut américain pour la paix, a pris fin le 15 "
            "septembre 2021.")  # fmt: skip
    assert "institut américain pour la paix" in {name for name, _role in found(text, ds, gazetteer)}


def test_a_fund_and_the_embassy_whose_fund_it_is_are_two_names(ds, gazetteer):
    text = ("Bamako : un programme\n\nLe programme lancé le 24 juin 2021 à Bamako est financé par le Fonds d’Appui aux "
            "moteurs de changement FAMOC de l’ambassade du royaume de Danemark.")  # fmt: skip
    names = {name for name, _role in found(text, ds, gazetteer)}
    assert "ambassade du royaume de Danemark" in names
    assert not any("ambassade" in n and n.startswith("Fonds") for n in names)


def test_a_name_read_short_is_read_whole_where_the_article_wrote_it_whole(ds, gazetteer):
    text = ("Kati : un dialogue\n\nL’ONG Femmes et Paix (FEPA) a organisé un dialogue à Kati le 15 septembre 2021. La "
            "directrice de l’ONG Femmes et Paix Awa Traoré a clos les travaux.")  # fmt: skip
    assert "Femmes" not in {name for name, _role in found(text, ds, gazetteer)}
