"""Round 26 of assisted curation, from what set 26 (articles nobody here had curated) showed: "L'évènement a débuté
le …" dates the event just told, "September 15 - October 14, 2016", an embassy named with its host country, a name
spelled out in parentheses after its acronym, and "KMS". Own articles, written for these tests."""

from __future__ import annotations

from malimap.propose.dates import find_dates
from malimap.testing.proposals import found, records


def test_l_evenement_dates_the_event_just_told(ds, gazetteer):
    text = ("San : une formation\n\nA San, des religieux ont suivi une formation financée par l’ONG Benkadi. L’évènement "
            "a débuté le mardi 24 janvier 2023.")  # fmt: skip
    assert [(c.kind, c.start) for c in records(text, ds, gazetteer)] == [("event", "2023-01-24")]


def test_two_months_and_days_then_the_year():
    got = [(d.start, d.end) for d in find_dates("september 15 - october 14, 2016: insecurity grows")]
    assert got == [("2016-09-15", "2016-10-14")]


def test_an_embassy_named_with_its_host_country(ds, gazetteer):
    text = ("Koulikoro : une restitution\n\nL’ONG Benkadi a tenu une restitution à Koulikoro le 14 mars 2018. Elle a salué "
            "l’accompagnement de l’ambassade des Etats-Unis au Sénégal.")  # fmt: skip
    assert "ambassade des Etats-Unis au Sénégal" in {name for name, _role in found(text, ds, gazetteer)}


def test_a_name_spelled_out_in_parentheses_is_the_same_organisation(ds, gazetteer):
    text = ("Timbuktu\n\nAminatou, 45 KMS from Timbuktu, is the President of CAFO (Coordination des ONG et des "
            "Associations Feminines) in her commune, where Benkadi runs a project in Timbuktu.")  # fmt: skip
    names = {name for name, _role in found(text, ds, gazetteer)}
    assert "KMS" not in names and not any(n.startswith("Coordination des ONG") for n in names)


def test_an_acronym_before_a_trailing_hyphen(ds, gazetteer):
    text = ("Ségou : des observatoires\n\nSix observatoires issus des démembrements de la CCSC- ont été mis en place à "
            "Ségou le 11 février 2019.")  # fmt: skip
    assert "CCSC" in {name for name, _role in found(text, ds, gazetteer)}
