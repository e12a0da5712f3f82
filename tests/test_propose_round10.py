"""Round 10 of assisted curation, from what set 10 (articles nobody here had curated) showed: financial partners,
executing "au Mali", supervising ministries, implementing agencies, a delegation's leader, a project's or a defined
term's acronym, a proper name running into a purpose, a role-less half of "Name (ACR)". Own articles, written for
these tests."""

from __future__ import annotations

import pytest

from malimap.propose.article import from_text
from malimap.propose.records import propose
from malimap.testing.proposals import found, names


@pytest.mark.parametrize(
    ("sentence", "name", "role"),
    [
        ("Le 4 mars 2021 à Kayes, un atelier a réuni l'ONG Jigi et son partenaire financier, la Fondation Sahel Avenir.",
         "Fondation Sahel Avenir", "funder"),
        ("Le projet, lancé à Kayes le 4 mars 2021, est exécuté au Mali par l'Association Benkadi.", "Association Benkadi",
         "implementer"),
        ("Le programme, lancé à Kayes le 4 mars 2021, est placé sous la tutelle du Ministère de la Jeunesse.",
         "Ministère de la Jeunesse", "partner"),
    ],
)  # fmt: skip
def test_role_cues_of_round_10(sentence, name, role, ds, gazetteer):
    assert (name, role) in found("Kayes : un projet\n\n" + sentence, ds, gazetteer)


def test_implementing_agencies_label(ds, gazetteer):
    text = ("Water and peace in Kidal\n\nDuration: March 2023 - June 2024\nImplementing Agencies: UNICEF (lead), OIM\n\n"
            "The programme supports pastoral communities in the region of Kidal.")  # fmt: skip
    got = found(text, ds, gazetteer)
    assert {("UNICEF", "implementer"), ("OIM", "implementer")} <= got


def test_a_delegation_leader_named_by_his_office_is_a_person(ds):
    text = "en présence d’une délégation de l’ONG Jigi conduite par Bakary Sidibé Konaté, directeur de l’ONG Jigi au Mali."
    assert "Bakary Sidibé Konaté" not in names(text, ds)


def test_the_acronyms_of_projects_and_of_defined_terms_are_not_organisations(ds):
    text = ("Le projet « SABALI » interviendra à Kita. SABALI est financé par le Projet de relance économique de Kita "
            "(PREK), lui-même financé par la Banque mondiale. Le projet vise la gestion concertée des ressources "
            "pastorales (GCRP). La GCRP sera enseignée.")  # fmt: skip
    got = names(text, ds)
    assert "Banque mondiale" in got
    assert not {"SABALI", "PREK", "GCRP"} & set(got)


def test_a_project_named_by_what_it_does_is_not_an_organisation(ds):
    text = "The Strengthening Dialogue in Central Mali (SDCM) activity is funded by the Carter Center."
    assert names(text, ds) == ["Carter Center"]


def test_a_proper_name_does_not_run_on_into_a_purpose_or_an_adverb(ds, gazetteer):
    text = ("Kita : la paix\n\nLe projet, lancé à Kita le 2 mai 2022, est exécuté par l’Association Benkadi pour l’exécution "
            "des activités. Les jeunes ont défilé avec le Comité Régional Olympique de Kita avant la cérémonie.")  # fmt: skip
    got = names(text, ds)
    assert "Association Benkadi" in got and "Comité Régional Olympique de Kita" in got
    assert not any(n.endswith(("exécution", "avant")) for n in got)


def test_organising_is_not_an_organisation_and_his_excellency_is_a_person(ds):
    text = ("La cérémonie sera soutenue par l’organisation des journées de la paix. "
            "Étaient présents : SE Madame Kadiatou Traoré, la Cafo.")  # fmt: skip
    got = names(text, ds)
    assert not any(n.startswith(("organisation", "SE ")) for n in got)


def test_a_role_less_half_of_a_name_with_its_acronym_gives_way_to_the_roled_name(ds, gazetteer):
    text = ("Le CDPK et la paix à Kita\n\nLe 9 juin 2018 à Kita, le Cercle de dialogue pour la paix de Kita (CDPK) a "
            "lancé un projet de prévention des conflits.")  # fmt: skip
    got = {(n, r) for n, r in found(text, ds, gazetteer) if "CDPK" in n}
    assert len(got) == 1 and {n for n, r in got if r} == {"Cercle de dialogue pour la paix de Kita (CDPK)"}


def starts(text: str, ds, gazetteer, published: str = "") -> list[tuple]:
    from dataclasses import replace

    article = replace(from_text(text), published=published)
    return [(c.kind, c.start, c.end) for c in propose(article, ds.organisations, gazetteer) if c.start]


def test_dates_of_round_10(ds, gazetteer):
    # "derniers" in the plural resolves against the stated date like "dernier"
    text = "Kita : un atelier\n\nUn atelier sur la paix s’est tenu les 14 et 15 août derniers à Kita."
    assert [s for _k, s, _e in starts(text, ds, gazetteer, "2016-09")] == ["2016-08-14"]
    # "C'était ce samedi …": the sentence goes on about the event the one before opened
    text = ("Kita : un lancement\n\nLa maison des jeunes de Kita a servi de cadre au lancement d'un atelier sur la paix. "
            "C'était ce samedi 29 juin 2019, en présence des autorités.")  # fmt: skip
    assert [s for _k, s, _e in starts(text, ds, gazetteer)] == ["2019-06-29"]
    # a fact sheet prints its period on a line of its own: the project's start and end
    text = ("Project profile — Water for peace in Kita\n\nThe Benkadi Foundation\n2021-03-01 - 2022-12-31\nMali\n\n"
            "This project aims to ease disputes over water points in Kita.")  # fmt: skip
    assert starts(text, ds, gazetteer) == [("project", "2021-03-01", "2022-12-31")]
    # "le Sabali intervient": the programme named by its acronym
    text = ("Kita : le programme\n\nLe Programme de paix et d'avenir (Sabali II) a été lancé à Kita par la Fondation "
            "Benkadi. Dans cette 2e phase, mise en place en juillet 2022, le Sabali intervient à Kita.")  # fmt: skip
    assert ("programme", "2022-07", "2022-07") in starts(text, ds, gazetteer)
