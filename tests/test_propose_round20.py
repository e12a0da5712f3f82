"""Round 20 of assisted curation, from what set 20 (articles nobody here had curated) showed: "l'association X" in
lower case, a mission's division, a heading is no part of a name, the work's word after an acronym, office acronyms,
and a year that dates the crisis told after it. Own articles, written for these tests."""

from __future__ import annotations

from malimap.testing.proposals import found, records


def test_l_association_in_lower_case_with_a_proper_name(ds, gazetteer):
    text = ("Kidal : un appui\n\nLes femmes sont regroupées au sein de l’association Tinbouctou et organisées en "
            "groupement. La MINUSMA leur a remis un appui le 3 mai 2020 à Kidal.")  # fmt: skip
    assert "association Tinbouctou" in {name for name, _role in found(text, ds, gazetteer)}


def test_a_missions_division_is_not_a_body_of_its_own(ds, gazetteer):
    text = ("Kidal : un projet\n\nUn projet à impact rapide, financé par la MINUSMA et piloté par la Division des Affaires "
            "Politiques, a été lancé le 5 septembre 2018 à Kidal.")  # fmt: skip
    assert {name for name, _role in found(text, ds, gazetteer)} == {"minusma"}


def test_a_heading_above_is_no_part_of_a_defined_name(ds, gazetteer):
    text = ("Mali\n\nKEY RESULTS\n\nUnder the Benkadi Network for Peace (BNP), UNDP implemented a programme in Mopti with "
            "the Mopti Youth Council (MYC).")  # fmt: skip
    names = {name for name, _role in found(text, ds, gazetteer)}
    assert "Benkadi Network for Peace (BNP)" in names and not any("KEY" in n or "Under" in n for n in names)


def test_the_works_word_after_an_acronym_makes_it_a_work(ds, gazetteer):
    text = ("Mali\n\nUnder the Global Rule of Law Partnership (GRLP) framework, UNDP implemented its programme in Mopti "
            "with the Mopti Youth Council (MYC).")  # fmt: skip
    assert not any("GRLP" in name for name, _role in found(text, ds, gazetteer))


def test_an_office_acronym_after_a_person_is_no_organisation(ds, gazetteer):
    text = ("Mali Peace Project\n\nUSAID Point of Contact: Jane Doe, COR. Prime Partner: Benkadi International. The "
            "project runs in Mopti.")  # fmt: skip
    assert "COR" not in {name for name, _role in found(text, ds, gazetteer)}


def test_a_year_the_crisis_began_is_no_start(ds, gazetteer):
    text = ("Mali\n\nUNDP implemented its programme in Mopti with Benkadi. Since 2012, Mali has been undergoing a "
            "multidimensional crisis.")  # fmt: skip
    assert [c.start for c in records(text, ds, gazetteer)] == [None]
