"""Round 16 of assisted curation, from what set 16 (articles nobody here had curated) showed: text wrapped to a width
is one sentence across its line breaks, "le 8 et le 9 février", a pact or a local peace agreement signed, a visit.
Own articles, written for these tests."""

from __future__ import annotations

from malimap.propose.article import sentences
from malimap.testing.proposals import records


def test_a_wrapped_line_goes_on_into_a_lower_case_word():
    text = "Le forum de Kita a réuni les\njeunes de la région.\nUne autre ligne."
    assert [text[a:b] for a, b in sentences(text)] == ["Le forum de Kita a réuni les\njeunes de la région.", "Une autre ligne."]


def test_a_wrapped_sentence_keeps_its_date_with_its_event(ds, gazetteer):
    text = ("Kita : un atelier\n\nUn atelier sur la paix organisé par l’ONG Benkadi s’est tenu à Kita le\n"
            "mardi 12 novembre 2024.")  # fmt: skip
    assert [(c.kind, c.start) for c in records(text, ds, gazetteer)] == [("event", "2024-11-12")]


def test_le_8_et_le_9_fevrier_dernier(ds, gazetteer):
    text = "Kita : la paix\n\nUne rencontre sur la paix s’est tenue à Kita le 8 et le 9 février dernier."
    got = records(text, ds, gazetteer, published="2017-02")
    assert [(c.start, c.end) for c in got] == [("2017-02-08", "2017-02-09")]


def test_a_pact_signed_is_a_ceremony(ds, gazetteer):
    text = ("Kita : la paix\n\nUn pacte de non-agression a été signé ce samedi 07 novembre 2020 entre les chasseurs et "
            "les éleveurs à Kita.")  # fmt: skip
    assert [(c.kind, c.event_type, c.start) for c in records(text, ds, gazetteer)] == [("event", "ceremony", "2020-11-07")]
