"""Round 34 of assisted curation, from what the tenth series (sets 39-40, measured once with the rules frozen after
round 33) showed: a cue read inside another word ("remportée par" is no "portée par"), an event word inside an
organisation's name, "&" in a name, a name run across a blank line, a headline's "Stabilisation Centre du Mali", kinds of
centres, and "les 11, 22 et 24 janvier derniers". Own articles, written for these tests."""

from __future__ import annotations

from malimap.testing.proposals import found, names, records


def test_a_cue_begins_a_word(ds, gazetteer):
    text = ("Bamako : un tournoi\n\nLa dernière édition, le 3 mai 2019 à Bamako, a été remportée par l’équipe de Taoudéni "
            "contre celle de Kayes. Elle est portée par l’Association Benkadi.")  # fmt: skip
    got = found(text, ds, gazetteer)
    assert not {name for name, _role in got if name.startswith("équipe")}
    assert ("Association Benkadi", "convener") in got


def test_an_event_word_inside_a_name_opens_no_event(ds, gazetteer):
    text = ("Koro : trois accords\n\nFruit d’une médiation menée par le Centre pour le dialogue humanitaire (HD), trois "
            "accords ont été signés les 11, 22 et 24 janvier derniers à Koro.")  # fmt: skip
    got = [(c.kind, c.start) for c in records(text, ds, gazetteer, "2021-01-27")]
    assert got == [("project", "2021-01-11")]


def test_an_ampersand_joins_and_a_blank_line_ends_a_name(ds):
    text = ("L’Association Ma Commune & Moi a lancé les jeux le 3 mai 2022 à Bamako.\nSource : Timbaktu Institute\n\n"
            "Represented by its director, the Friedrich Naumann Foundation opened the seminar.")  # fmt: skip
    got = names(text, ds)
    assert "Association Ma Commune & Moi" in got and not [n for n in got if "\n" in n]


def test_a_headline_part_of_the_country_and_kinds_of_centres_are_no_organisations(ds):
    text = ("Mali : Stabilisation Centre du Mali : le PNUD investit\n\nLes enfants des Centres d’écoute communautaires (CEC) "
            "ont joué avec l’ONG Right to Play le 3 mai 2013 à Bamako.")  # fmt: skip
    got = set(names(text, ds))
    assert "Right to Play" in got and not {"Stabilisation Centre du Mali", "CEC"} & got
    assert not {n for n in got if n.startswith("Centres")}
