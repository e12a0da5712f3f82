"""Round 33 of assisted curation, from what the ninth series (sets 36-38, measured once with the rules frozen after
round 32) showed: a consulting firm and a local radio named after their kind, a ministry written in lower case, a
space after an apostrophe in a known name, a person named by a family name after a cue, a photo's credit line, and
places named where the text tells the war or who will come. Own articles, written for these tests."""

from __future__ import annotations

from malimap.testing.proposals import found, names, records


def test_a_firm_and_a_radio_after_their_kind(ds):
    text = ("Ségou : des micro-projets\n\nLe 2 août 2022 à Ségou, 33 initiatives retenues par le cabinet Kanaga Conseil ont "
            "signé leur convention. Le projet passe par le cabinet d’études Sahel Step et par la radio de proximité Issa "
            "Ber.")  # fmt: skip
    assert {"Kanaga Conseil", "Sahel Step", "Issa Ber"} <= set(names(text, ds))


def test_a_ministry_written_in_lower_case(ds, gazetteer):
    text = ("Ménaka : un forum\n\nLe forum du 29 avril 2016 à Ménaka a rassemblé le ministre de la réconciliation Zahabi Ould "
            "Sidi Mohamed et un chargé de mission au ministère des affaires étrangères du Danemark.")  # fmt: skip
    got = {name for name, _role in found(text, ds, gazetteer)}
    assert {"ministère de la réconciliation", "ministère des affaires étrangères du Danemark"} <= got


def test_a_known_name_with_a_space_after_its_apostrophe(ds, gazetteer):
    text = ("Bamako : une journée\n\nLe 28 septembre 2021 à Bamako, les leaders religieux, en partenariat avec Aide de L’ "
            "église norvégienne, ont tenu une journée de sensibilisation.")  # fmt: skip
    got = {name for name, _role in found(text, ds, gazetteer)}
    assert "Aide de L’ église norvégienne" in got and "Aide de L’" not in got


def test_a_person_after_a_cue_is_no_organisation(ds, gazetteer):
    text = ("Bamako : un talk-show\n\nLe talk-show du 4 novembre 2023 à Bamako est placé sous l’égide du ministre de la "
            "Jeunesse et des Sports, Abdoul Kassim Fomba. Il est organisé en partenariat avec le Club d’Art du Complexe "
            "Scolaire Biasson Dembélé.")  # fmt: skip
    got = {name for name, _role in found(text, ds, gazetteer)}
    assert "Abdoul Kassim Fomba" not in got and "Club d’Art du Complexe Scolaire Biasson Dembélé" in got


def test_a_photo_credit_line_names_no_organisation(ds, gazetteer):
    text = ("Fakola : la paix\n\nLes jeunes de Fakola bénéficient du Fonds pour la Consolidation de la Paix (PBF) depuis le "
            "3 mai 2021.\nUNICEF Mali/2021/Bagayoko\n\nIls défendent la cohésion sociale.")  # fmt: skip
    assert "UNICEF" not in {name for name, _role in found(text, ds, gazetteer)}


def test_places_in_the_story_of_the_war_and_people_coming_from_elsewhere(ds, gazetteer):
    text = ("Bamako: a workshop\n\nIn March 2012 the Islamist rebels took Kidal, Gao and Timbuktu. On 3 May 2016 Free Press "
            "Unlimited organized a workshop in Bamako. L’UFCPM a fait venir vingt-cinq femmes de Ségou.")  # fmt: skip
    reach = {(p["name"], p["reach"]) for c in records(text, ds, gazetteer) for p in c.places}
    assert ("Bamako", "activity") in reach and ("Ségou", "participants_from") in reach
    assert not {name for name, _reach in reach} & {"Kidal", "Gao", "Timbuktu"}
