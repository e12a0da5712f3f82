"""Organisations the field knows (UN agencies, donors, international NGOs) are found by name in an article even when no
cue announces them and the organisation table does not hold them. Own articles, written for these tests."""

from __future__ import annotations

from malimap.propose.article import fold_keep_length
from malimap.propose.known import known_names, known_spans
from malimap.testing.proposals import found


def names_in(text: str) -> list[str]:
    return [text[a:b] for a, b in known_spans(text, fold_keep_length(text))]


def test_known_names_in_title_case_and_lower_case_are_found():
    text = "Le Pnud et handicap international ont rencontré la Croix-Rouge malienne et le HCR à Gao."
    assert names_in(text) == ["Pnud", "handicap international", "Croix-Rouge malienne", "HCR"]


def test_an_acronym_is_matched_by_its_capitals_and_never_inside_another_name():
    text = "Le consortium SNV-ICCO-OXFAM travaille avec la Giz, la fao régionale et l'OCHA-Mali depuis 2019."
    assert names_in(text) == ["Giz"]  # "fao" in lower case is no acronym; "OXFAM" and "OCHA" are inside other names


def test_a_known_name_keeps_its_acronym_as_one_name():
    text = "financé par le Fonds mondial pour l'engagement communautaire et la résilience (GCERF) pour deux ans"
    assert names_in(text) == ["Fonds mondial pour l'engagement communautaire et la résilience (GCERF)"]


def test_every_spelling_is_listed_once():
    folded = [s if len(s) <= 6 and s.isupper() else s.lower() for s, _name in known_names()]
    assert len(folded) == len(set(folded)) and len(folded) > 150


def test_a_known_organisation_gets_its_cue_role_or_none(ds, gazetteer):
    text = ("Mopti : un atelier sur la paix\n\nUn atelier sur la cohésion sociale s'est tenu à Mopti du 6 au 8 août 2019, "
            "financé par le Pnud. L’Unicef a salué cette initiative.")  # fmt: skip
    got = found(text, ds, gazetteer)
    assert ("Pnud", "funder") in got
    assert ("Unicef", None) in got  # named, part not said: the curator sets it


def test_where_two_spellings_begin_together_the_longer_is_the_name():
    text = "L’atelier a été animé par WILDAF Mali et par l’UNITAR."
    assert names_in(text) == ["WILDAF Mali", "UNITAR"]


def test_national_umbrella_bodies_and_peace_research_institutes_are_known():
    text = ("Le FONGIM, le Conseil national de la société civile, la MARN et Crisis Group ont échangé avec l’Institut "
            "d’études de sécurité et la Jeune Chambre internationale.")  # fmt: skip
    assert names_in(text) == [
        "FONGIM", "Conseil national de la société civile", "MARN", "Crisis Group", "Institut d’études de sécurité",
        "Jeune Chambre internationale",
    ]  # fmt: skip


def test_a_common_phrase_is_no_known_name():
    text = "The project promotes equal access to justice in the Francophonie and in global health."
    assert names_in(text) == []
