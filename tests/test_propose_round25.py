"""Round 25 of assisted curation, from what set 25 (articles nobody here had curated) showed: a place written in
capitals in a headline, and the author of a resolution. Own articles, written for these tests."""

from __future__ import annotations

from malimap.testing.proposals import found


def test_a_place_in_capitals_is_no_acronym(ds, gazetteer):
    text = ("TOMBOUCTOU : deux projets pour les femmes\n\nLa MINUSMA a inauguré le 25 janvier 2017 deux projets au profit "
            "des femmes de Goundam, avec l’ONG Benkadi.")  # fmt: skip
    assert "TOMBOUCTOU" not in {name for name, _role in found(text, ds, gazetteer)}


def test_the_author_of_a_resolution_took_no_part(ds, gazetteer):
    text = ("Tombouctou : les femmes\n\nDans le cadre de la résolution 1325 (2000) du Conseil de sécurité des Nations "
            "Unies, l’ONG Benkadi a tenu un atelier à Tombouctou le 6 février 2017.")  # fmt: skip
    names = {name for name, _role in found(text, ds, gazetteer)}
    assert "Benkadi" in names and not any(n.startswith("Conseil de sécurité") for n in names)
