"""Round 12 of assisted curation, from what set 12 (articles nobody here had curated) showed: a name with an
organisation word and a proper part of its own is proposed with no role; a ministry whose name runs on past the
table's ("… et de la cohésion sociale"); an office (PDG) is no organisation; patronage; a news agency's credit; a
project's acronym before "project"; a known name before the shape "l'ONG X". Own articles, written for these tests."""

from __future__ import annotations

from malimap.testing.proposals import found, names


def test_a_named_organisation_with_a_proper_part_is_proposed_without_a_cue(ds, gazetteer):
    text = ("Kita : la paix\n\nUne rencontre s'est tenue à Kita le 9 avril 2020. Le président de l’Association Benkadi Ton "
            "était là. Le ministère de la Jeunesse et des Sports, avec la mairie, a salué la rencontre. Le Forum de Kita, "
            "le Centre du Mali et le Groupe de recherche ont été cités.")  # fmt: skip
    got = {n for n, r in found(text, ds, gazetteer) if r is None}
    assert {"Association Benkadi Ton", "ministère de la Jeunesse et des Sports"} <= got
    assert not {"Forum de Kita", "Centre du Mali", "Groupe de recherche"} & got  # a place, a region, a name cut short


def test_a_ministry_named_past_the_tables_spelling_is_another_ministry(ds):
    text = "une délégation du ministère de la réconciliation nationale et de la cohésion sociale, conduite par le ministre"
    assert names(text, ds) == ["ministère de la réconciliation nationale et de la cohésion sociale"]


def test_offices_credits_and_a_projects_acronym_are_not_organisations(ds, gazetteer):
    text = ("Kita : un projet\n\nAvec l’appui du PDG du groupe Benkadi Agro, le projet a été lancé à Kita le 9 avril 2020, "
            "a constaté l’AMAP. The HIS project was funded by the Benkadi Foundation.")  # fmt: skip
    got = {n for n, _r in found(text, ds, gazetteer)}
    assert not {"PDG", "AMAP", "HIS"} & got
    assert "Benkadi Foundation" in got


def test_patronage_and_a_known_name_after_lng(ds, gazetteer):
    text = ("Kita: a workshop\n\nHD organised a workshop in Kita from 14 to 16 December 2015, under the patronage of the "
            "Secretariat of the National Peace Committee. L’ONG World vision Mali était présente.")  # fmt: skip
    got = found(text, ds, gazetteer)
    assert ("Secretariat of the National Peace Committee", "partner") in got
    assert any(n == "World vision Mali" for n, _r in got)
