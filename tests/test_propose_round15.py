"""Round 15 of assisted curation, from what set 15 (articles nobody here had curated) showed: "X et Alliés" is one
name, a programme's acronym with words after it in its parentheses, a strategy's or a project's name ending its title,
HD, a bare "Periode" label before a fact sheet's period. Own articles, written for these tests."""

from __future__ import annotations

from malimap.propose.acronyms import work_acronyms
from malimap.propose.article import from_text
from malimap.propose.records import propose
from malimap.testing.proposals import found, names


def test_and_allies_is_one_name_and_a_headline_verb_is_not_part_of_it(ds, gazetteer):
    text = ("La Coordination Benkadi et Alliés annonce une rencontre à Kita\n\nUne rencontre organisée par la Coordination "
            "Benkadi et Alliés se tiendra les 12 et 13 février 2021 à Kita.")  # fmt: skip
    assert {n for n, _r in found(text, ds, gazetteer)} == {"Coordination Benkadi et Alliés"}


def test_works_named_by_their_titles_are_not_organisations(ds):
    text = ("Le Programme d'Appui à la Sécurité de Kita (PASK Kita-Nord) est financé par l’Union européenne. "
            "The Kita Food Security Strategy (KFSS) was discussed.")  # fmt: skip
    assert "PASK" in work_acronyms(text)
    assert names(text, ds) == ["Union européenne"]


def test_hd_is_the_centre_for_humanitarian_dialogue(ds, gazetteer):
    text = "Kita: mediation\n\nIn 2018, the government asked HD to intervene as a neutral intermediary in Kita."
    assert {n for n, _r in found(text, ds, gazetteer)} == {"HD"}


def test_a_bare_period_label_on_a_fact_sheet(ds, gazetteer):
    text = ("Improvement of living conditions in Kita\n\nPartner Benkadi Foundation\n\nThis project will strengthen "
            "advocacy committees in Kita.\n\nPeriode 14/11/2021 – 30/06/2022\n")  # fmt: skip
    records = propose(from_text(text), ds.organisations, gazetteer)
    assert [(c.kind, c.start, c.end) for c in records] == [("project", "2021-11-14", "2022-06-30")]
