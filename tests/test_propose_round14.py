"""Round 14 of assisted curation, from what set 14 (articles nobody here had curated) showed: a known organisation
named with the project it owns ("le projet conjoint Unicef et …"), a grantee, auspices, a school, "VIH/Sida", a
hyphen for a space ("Nations-unies"). Own articles, written for these tests."""

from __future__ import annotations

from malimap.testing.proposals import found, names


def test_a_known_organisation_after_project_owns_it(ds, gazetteer):
    text = ("Kita : la paix\n\nLa réconciliation de Kita a été possible grâce au projet conjoint Unicef et Search for "
            "Common Ground, lancé à Kita le 3 mai 2022.")  # fmt: skip
    assert {"Unicef", "Search for Common Ground"} <= {n for n, _r in found(text, ds, gazetteer)}


def test_a_grantee_auspices_and_a_school(ds, gazetteer):
    text = ("Kita: a workshop\n\nOn February 19, 2014, grantee Benkadi-Films conducted a workshop in Kita. "
            "The Kita Peacekeeping School organized a seminar in Kita on March 21, 2023.")  # fmt: skip
    got = found(text, ds, gazetteer)
    assert ("Benkadi-Films", "convener") in got
    assert any(n == "Kita Peacekeeping School" for n, _r in got)


def test_a_disease_is_no_organisation_and_a_hyphen_is_a_space(ds):
    got = names("La lutte contre le VIH/Sida a réuni le Fonds des Nations-unies pour la consolidation de la paix.", ds)
    assert got == ["Fonds des Nations-unies pour la consolidation de la paix"]
