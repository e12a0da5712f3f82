"""Round 31 of assisted curation: a festival named after a cue is who runs it, a country is a funder through "grâce à la
contribution du …" and stops before "au Fonds …", "l'ONG nationale "X"" in quotes, "ses partenaires, à savoir : …".
Own articles, written for these tests."""

from __future__ import annotations

from malimap.testing.proposals import found


def test_festivals_after_a_cue_are_partners_without_their_town(ds, gazetteer):
    text = ("Ségou : une caravane\n\nLa caravane est partie le 3 mai 2021 de Ségou, en partenariat avec le festival sur le "
            "Niger de Ségou, le festival Taragalte du Maroc et le Festival au Désert.")  # fmt: skip
    got = found(text, ds, gazetteer)
    assert {("festival sur le Niger", "partner"), ("festival Taragalte", "partner"), ("Festival au Désert", "partner")} <= got


def test_a_country_funds_through_its_contribution_and_a_quoted_ngo_implements(ds, gazetteer):
    text = ("Goundam : des forages\n\nLe projet, lancé le 3 mai 2021 à Goundam, a été mis en œuvre par l’ONG nationale "
            "\"Sahel Eau\". Il a été rendu possible grâce à la contribution du Danemark au Fonds commun.")  # fmt: skip
    got = found(text, ds, gazetteer)
    assert {("Sahel Eau", "implementer"), ("Danemark", "funder")} <= got
    assert not any(name.startswith("Danemark au") for name, _role in got)


def test_partners_named_after_a_savoir(ds, gazetteer):
    text = ("Tombouctou : un festival\n\nLe festival s’est tenu le 3 mai 2021 à Tombouctou. Le maire a salué la générosité de "
            "ses partenaires, à savoir : l’ONG Benkadi et la Fondation Sahel Culture.")  # fmt: skip
    got = found(text, ds, gazetteer)
    assert {("Benkadi", "partner"), ("Fondation Sahel Culture", "partner")} <= got
