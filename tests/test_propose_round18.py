"""Round 18 of assisted curation, from what set 18 (articles nobody here had curated) showed: "à la" inside a name, a
list of communes is no list of bodies, an organisation's own unit, the act of organising, a part of the country, an
implementing operator, "le groupe X", and a sentence whose pronoun goes on about the record just told. Own articles,
written for these tests."""

from __future__ import annotations

from malimap.testing.proposals import found, records


def test_a_la_inside_a_name_links_its_words(ds, gazetteer):
    text = ("Mopti : un forum\n\nLe forum a été organisé le 3 mai 2019 à Mopti avec ses partenaires, la Mission d’appui "
            "à la cohésion et l’ONG Benkadi.")  # fmt: skip
    assert "Mission d’appui à la cohésion" in {name for name, _role in found(text, ds, gazetteer)}


def test_a_place_after_a_stays_out_of_the_name(ds, gazetteer):
    text = "Gao : un atelier\n\nLe 3 mai 2022, un atelier a été organisé par l'ONG Delta Survie à Gao."
    assert found(text, ds, gazetteer) == {("Delta Survie", "convener")}


def test_representatives_of_communes_are_places_not_bodies(ds, gazetteer):
    text = ("Koro : un atelier\n\nLe 3 mai 2021, un atelier a réuni des représentants des communes de Koro, Dinangourou "
            "et Madougou Dioungani à Koro.")  # fmt: skip
    assert found(text, ds, gazetteer) == set()


def test_an_organisations_own_unit_the_act_of_organising_and_a_part_of_the_country_are_not_bodies(ds, gazetteer):
    text = ("Mopti : la paix\n\nC’est à travers son Bureau de la Communication à Mopti que la MINUSMA a appuyé le "
            "forum du 3 mai 2021, organisé par l’ONG Benkadi pour les jeunes du Centre du Mali. Ils préparent "
            "l’Organisation de la Table Ronde sur la paix.")  # fmt: skip
    names = {name for name, _role in found(text, ds, gazetteer)}
    assert not names & {"Bureau de la Communication", "Centre du Mali", "Organisation de la Table Ronde"}
    assert {"minusma", "Benkadi"} <= names


def test_an_implementing_operator_is_the_implementer(ds, gazetteer):
    text = ("Ségou : des micro-projets\n\nLe projet Jeunes et paix appuie depuis mars 2022 les jeunes de Ségou à travers "
            "son opérateur de mise en œuvre Sahel Conseil.")  # fmt: skip
    assert ("Sahel Conseil", "implementer") in found(text, ds, gazetteer)


def test_le_groupe_with_a_name_of_its_own_is_an_organisation(ds, gazetteer):
    text = ("Bandiagara : un atelier\n\nUn atelier sur la paix, organisé le 3 mai 2019 à Bandiagara par l’ONG Benkadi, a "
            "réuni les élus et les représentants du groupe Tondo Yaga.")  # fmt: skip
    assert "groupe Tondo Yaga" in {name for name, _role in found(text, ds, gazetteer)}


def test_a_pronoun_going_on_dates_the_record_just_told(ds, gazetteer):
    text = ("Bandiagara : une caravane\n\nL’ONG Benkadi a organisé une caravane de la paix à Bandiagara. Elle a permis de "
            "sensibiliser, entre le 5 et le 27 avril dernier, 500 jeunes.")  # fmt: skip
    got = records(text, ds, gazetteer, published="2021-05")
    assert [(c.kind, c.start, c.end) for c in got] == [("event", "2021-04-05", "2021-04-27")]


def test_a_pronoun_going_on_gives_the_project_its_period(ds, gazetteer):
    text = ("Mopti : la paix\n\nLe projet Paix au centre (PAC), financé par l’USAID, a organisé un atelier le 3 mai 2019 "
            "à Mopti. Le projet vise la cohésion sociale. Il intervient dans 46 communes de 2018 à 2023.")  # fmt: skip
    got = {c.kind: (c.start, c.end) for c in records(text, ds, gazetteer)}
    assert got == {"project": ("2018", "2023"), "event": ("2019-05-03", "2019-05-03")}
