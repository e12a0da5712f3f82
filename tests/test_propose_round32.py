"""Round 32 of assisted curation, from what the eighth series (sets 33-35, measured once with the rules frozen after
round 31) showed: a crash on a bulleted list, a headline's "conflits" taken for a crisis date, a minister standing for
the ministry, bodies listed in parentheses, kinds of bodies ("les comités communaux de réconciliation (CCR)"), an
office ("Porte-parole de …"), a verb in the present after a name, months joined by "et", a duration read as a past
span, a talk show. Own articles, written for these tests."""

from __future__ import annotations

from malimap.testing.proposals import found, names, records


def test_a_bullet_before_a_spelled_out_name_does_not_crash(ds):
    text = ("WPHF soutient nos partenaires dans le pays :\n- Association d’Appui au Développement Local au Sahel "
            "(ADEL SAHEL) sur un projet.")  # fmt: skip
    assert "Association d’Appui au Développement Local au Sahel (ADEL SAHEL)" in names(text, ds)


def test_a_headline_about_conflicts_does_not_make_the_next_date_a_crisis(ds, gazetteer):
    text = ("La MINUSMA forme des leaders sur la gestion des conflits au Pays Dogon\n\n20 octobre 2016\n\nDu 13 au 18 octobre "
            "dernier, la MINUSMA a mené plusieurs ateliers à Bankass.")  # fmt: skip
    assert [c.start for c in records(text, ds, gazetteer, "2016-10-20") if c.kind == "event"] == ["2016-10-13"]


def test_a_minister_named_by_the_portfolio_stands_for_the_ministry(ds, gazetteer):
    text = ("Mopti : une rencontre\n\nLa rencontre du 3 mai 2017 à Mopti était coprésidée par le ministre de la Solidarité et "
            "de l’Action humanitaire Hamadou Konaté et le ministre de la Cohésion Sociale, de la Paix et de la "
            "Réconciliation nationale, Lassine Bouaré.")  # fmt: skip
    got = found(text, ds, gazetteer)
    assert ("ministère de la Solidarité et de l’Action humanitaire", "chair") in got
    assert ("ministère de la Cohésion Sociale, de la Paix et de la Réconciliation nationale", "chair") in got


def test_an_english_minister_stops_before_the_persons_name(ds):
    text = "The workshop was opened by the Minister\nof Communication and New Technologies, Waly Traoré, on 3 May 2017."
    assert "Ministry of Communication and New Technologies" in names(text, ds)


def test_bodies_listed_in_parentheses_and_after_a_plural_word(ds):
    text = ("L’atelier a regroupé d’autres organisations de jeunesse (Ujmma, Plateforme Ensemble nous sommes un peuple, "
            "quelques membres du bureau) et les représentants des Associations Ginna Dogon et Tabital Pulaaku.")  # fmt: skip
    got = names(text, ds)
    assert {"Ujmma", "Plateforme Ensemble nous sommes un peuple", "Ginna Dogon", "Tabital Pulaaku"} <= set(got)


def test_a_kind_of_body_an_office_and_a_verb_are_not_organisations(ds, gazetteer):
    text = ("Kayes : un forum\n\nLe forum du 27 décembre 2025 à Kayes a réuni les comités communaux de réconciliation (CCR) "
            "et les Commissions Foncières Communales (COFO). Il est placé sous le parrainage de M. Daouda Camara, "
            "Porte-parole de Fatoumata Batouly. L’AJDT et l’Ambassade de France lancent des activités sportives.")  # fmt: skip
    got = {name for name, _role in found(text, ds, gazetteer)}
    assert not {n for n in got if "CCR" in n or "COFO" in n or "Porte-parole" in n or "lancent" in n}
    assert "Ambassade de France" in got


def test_months_joined_by_et_start_at_the_first_and_a_duration_is_no_past_span(ds, gazetteer):
    text = ("Bamako : des rencontres\n\nDes rencontres ont été organisées par la MINUSMA en octobre et novembre 2019 à Bamako. "
            "Durant les 18 mois de ce projet, plusieurs autres activités sont prévues.")  # fmt: skip
    starts = [c.start for c in records(text, ds, gazetteer, "2020-02")]
    assert starts[0] == "2019-10" and "2018-08" not in starts  # not 18 months before the publication


def test_a_talk_show_on_a_weekday_takes_the_publication_year(ds, gazetteer):
    text = "Bamako : un talk-show\n\nL’UNICEF a organisé, le samedi 04 novembre, un talkshow au stade du 26 mars à Bamako."
    got = [(c.kind, c.start, c.dates_approximate) for c in records(text, ds, gazetteer, "2023-11")]
    assert got == [("event", "2023-11-04", True)]
