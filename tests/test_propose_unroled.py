"""Organisations an article names without a role cue: proposed with no role, refused on keeping until the curator sets
one; and the role cues found on articles nobody here had curated (thanks for support, "une initiative de", "organisé
avec", "a appuyé", "has been selected to"). Own articles, written for these tests."""

from __future__ import annotations

import pytest

from malimap.geo.boundaries import embedded_boundaries
from malimap.propose.article import fold_keep_length, from_text
from malimap.propose.keep import ReviewError, SourceInfo, keep_zip
from malimap.propose.orgs import find_organisations
from malimap.propose.records import propose
from malimap.testing.proposals import found


def test_a_named_organisation_with_no_cue_is_proposed_with_no_role_and_a_venue_is_not(ds, gazetteer):
    text = ("Diré : un forum pour la paix\n\nL'ORTM a abrité, le 4 février 2020, un forum sur la paix à Diré. "
            "L'ONG Delta Survie y a présenté ses résultats. Le siège de la CAFO accueillera la suite.")  # fmt: skip
    got = found(text, ds, gazetteer)
    assert ("Delta Survie", None) in got  # "l'ONG X": an organisation, whatever part it played
    assert not any(name in ("ortm", "ORTM", "CAFO") for name, _role in got)  # where it happened, not who did it


def test_a_role_said_anywhere_replaces_the_role_less_entry(ds, gazetteer):
    text = ("Gao : un atelier\n\nL'ONG Delta Survie était présente à Gao. Le 3 mai 2022, un atelier a été organisé par "
            "l'ONG Delta Survie à Gao.")  # fmt: skip
    assert {r for n, r in found(text, ds, gazetteer) if n == "Delta Survie"} == {"convener"}


def test_words_in_capitals_units_and_project_acronyms_are_not_organisations(ds, gazetteer):
    text = ("Mopti : la paix\n\nDEPUIS 2012, la région vit une crise et depuis lors les communautés se parlent peu. "
            "La Cellule de communication (CECOM) de la mairie était là. Le projet « Voix pour la paix (VPP) » "
            "a tenu un atelier le 2 mai 2021 à Mopti avec le CERCAP, acteur de la région.")  # fmt: skip
    names = {n for n, _r in found(text, ds, gazetteer)}
    assert "CERCAP" in names
    assert not names & {"DEPUIS", "CECOM", "VPP"}


def test_thanks_for_support_give_a_funder(ds, gazetteer):
    text = ("Kayes : un dialogue\n\nUn dialogue intercommunautaire s'est tenu le 9 juin 2021 à Kayes. Le préfet a "
            "remercié l'ambassade de Suède et l'ONG Delta Survie pour leur appui.")  # fmt: skip
    assert {("ambassade de Suède", "funder"), ("Delta Survie", "funder")} <= found(text, ds, gazetteer)


def test_an_initiative_of_organised_with_supported_and_selected(ds, gazetteer):
    text = ("Ségou : des rencontres\n\nUn forum a eu lieu le 2 avril 2022 à Niono. Ce forum est une initiative de l'ONG "
            "Delta Survie. Il a été organisé avec l'ONG Jeunes Unis et le CERCAP. Le FAMOC a appuyé trois rencontres.")  # fmt: skip
    got = found(text, ds, gazetteer)
    assert {("Delta Survie", "convener"), ("Jeunes Unis", "convener"), ("CERCAP", "convener"), ("FAMOC", "funder")} <= got
    english = ("Gao: a project\n\nThe Sahel Peace Association (SPA) has been selected to carry out the project in Gao "
               "from March 2019.")  # fmt: skip
    assert ("Sahel Peace Association (SPA)", "implementer") in found(english, ds, gazetteer)


def test_a_line_break_does_not_join_a_word_to_a_name(ds):
    text = "Country : Mali\nFunding amount : 817,000 USD\nFunding period : 2016 to 2018"
    names = [m.name for m in find_organisations(text, fold_keep_length(text), ds.organisations)]
    assert not any("Fund" in n for n in names), names


def test_keeping_refuses_an_organisation_with_no_role_until_one_is_set(ds, gazetteer):
    text = "Gao : un atelier\n\nLe 3 mai 2022, un atelier sur la paix s'est tenu à Gao. L'ONG Delta Survie y était."
    article = from_text(text)
    records = [c.as_json() for c in propose(article, ds.organisations, gazetteer)]
    assert [o["role"] for r in records for o in r["organisations"]] == [None]
    units = embedded_boundaries().units
    with pytest.raises(ReviewError, match=r"record 1 .*'Delta Survie' has no role"):
        keep_zip(records, article, SourceInfo("a.txt"), ds, units)
    from malimap.propose.run import summary

    assert "role not stated: Delta Survie" in summary(article, propose(article, ds.organisations, gazetteer))
    records[0]["organisations"][0]["role"] = "participant"  # the curator sets it
    assert keep_zip(records, article, SourceInfo("a.txt"), ds, units)[:2] == b"PK"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_panel_says_which_organisation_needs_a_role(lang, data_page):
    at = data_page(lang)
    at.text_area(key="propose_text").input(
        "Gao : un atelier\n\nLe 3 mai 2022, un atelier s'est tenu à Gao. L'ONG Delta Survie y était."
    )
    at.button(key="propose_run").click().run()
    next(b for b in at.button if b.key and b.key.endswith("-check")).click().run()
    assert not at.exception and at.error
    message = at.error[0].value
    assert "Delta Survie" in message and ("rôle" if lang == "fr" else "role") in message and "[propose." not in message
    assert not at.success
