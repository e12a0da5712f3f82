"""Round 21 of assisted curation, from what set 21 (articles nobody here had curated) showed: "une journée de …" and
a trail are events, the opening sentence's day dates the event named after it, "le royaume du Danemark" funds, and a
lower-case name may end "au Sahel". Own articles, written for these tests."""

from __future__ import annotations

from malimap.testing.proposals import found, records


def test_une_journee_de_is_an_event_with_its_date(ds, gazetteer):
    text = ("Tominian : des femmes\n\nDes femmes ont organisé une journée de salubrité le 2 mai 2022 à Tominian. "
            "L’initiative a été soutenue par l’ONG Benkadi.")  # fmt: skip
    assert ("event", "2022-05-02") in [(c.kind, c.start) for c in records(text, ds, gazetteer)]


def test_the_opening_sentences_day_dates_the_event_named_after_it(ds, gazetteer):
    text = ("Ségou : la paix\n\n118 jeunes ont remis le flambeau de la paix au préfet de Ségou, le dimanche 5 décembre "
            "2021. Dans le cadre du Grand trail de la jeunesse pour la paix, ils ont couru 80 km à Ségou.")  # fmt: skip
    assert [(c.kind, c.start) for c in records(text, ds, gazetteer)] == [("event", "2021-12-05")]


def test_a_year_in_the_opening_sentence_does_not_date_an_event(ds, gazetteer):
    text = ("Ségou : la paix\n\nDepuis 2012, les jeunes de Ségou vivent la crise. Un forum sur la paix, organisé par "
            "l’ONG Benkadi, les a réunis à Ségou.")  # fmt: skip
    assert [(c.kind, c.start) for c in records(text, ds, gazetteer)] == [("event", None)]


def test_le_royaume_du_danemark_funds(ds, gazetteer):
    text = ("Kadiolo : un projet\n\nLe projet est mis en œuvre par l’ONG Benkadi à Kadiolo, avec l’appui financier du "
            "royaume du Danemark.")  # fmt: skip
    assert ("royaume du Danemark", "funder") in found(text, ds, gazetteer)


def test_a_lower_case_name_may_end_au_sahel(ds, gazetteer):
    text = ("Kadiolo : un projet\n\nLe projet, lancé à Kadiolo, est mis en œuvre par l’association pour l’éducation et "
            "la paix au Sahel.")  # fmt: skip
    assert ("association pour l’éducation et la paix au Sahel", "implementer") in found(text, ds, gazetteer)
