"""Round 23 of assisted curation, from what set 23 (articles nobody here had curated) showed: a unit named with commas
is no list of organisations, a defined work's acronym ("un projet de réduction … (RVC)"), capitalised words linked by
"for" before an organisation word, and "deux projets" dated by the sentence before any record. Own articles, written
for these tests."""

from __future__ import annotations

from malimap.testing.proposals import found, records


def test_a_unit_named_with_commas_is_no_list(ds, gazetteer):
    text = ("Tombouctou : un projet\n\nLe 12 octobre 2021, la MINUSMA a remis un projet à Tombouctou. Il a été financé par "
            "la Section de la Réforme du Secteur de la Sécurité, Désarmement, Démobilisation et Réintégration (RSS-DDR) "
            "de la MINUSMA.")  # fmt: skip
    names = {name for name, _role in found(text, ds, gazetteer)}
    assert not any(n.startswith(("Désarmement", "Démobilisation")) for n in names)


def test_a_works_acronym_defined_in_lower_case_is_no_organisation(ds, gazetteer):
    text = ("Tombouctou : un projet\n\nLa MINUSMA a remis un projet de réduction de la violence communautaire (RVC) aux "
            "habitants de Tombouctou le 12 octobre 2021.")  # fmt: skip
    assert not any("RVC" in name for name, _role in found(text, ds, gazetteer))


def test_a_headline_above_does_not_make_a_work_of_a_defined_organisation(ds, gazetteer):
    text = "Gao: a project\n\nThe Sahel Peace Association (SPA) has been selected to carry out the project in Gao."
    assert ("Sahel Peace Association (SPA)", "implementer") in found(text, ds, gazetteer)


def test_capitalised_words_linked_by_for_before_an_organisation_word(ds, gazetteer):
    text = "Bamako\n\nThe Women for Peace Foundation launched the project Voices of Peace in Bamako in 2014."
    assert "Women for Peace Foundation" in {name for name, _role in found(text, ds, gazetteer)}


def test_deux_projets_dated_before_any_record(ds, gazetteer):
    text = ("Tombouctou : des projets\n\nLes 21 et 24 janvier 2020, la MINUSMA a remis deux projets de réduction de la "
            "violence à leurs bénéficiaires à Tombouctou.")  # fmt: skip
    assert [c.start for c in records(text, ds, gazetteer)] == ["2020-01-21"]
