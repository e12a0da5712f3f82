"""Round 13 of assisted curation, from what set 13 (articles nobody here had curated) showed: a byline's date, a
meeting ("réunion"), a venue whose name holds its town, an occasion's acronym, a name written in capitals over two
words. Own articles, written for these tests."""

from __future__ import annotations

from malimap.testing.proposals import names, records


def test_a_bylines_date_is_the_publications_and_a_meeting_is_an_event(ds, gazetteer):
    text = ("Kita : le comité fait le point\n\nlundi 8 décembre 2014, par Massa\n\nDu 24 au 25 septembre 2014, la salle "
            "de réunion de l’ONG Benkadi a abrité la réunion du comité de pilotage du programme foncier de Kita.")  # fmt: skip
    got = [(c.kind, c.event_type, c.start) for c in records(text, ds, gazetteer)]
    assert ("event", "other", "2014-09-24") in got
    assert all(start != "2014-12-08" for _k, _t, start in got)


def test_a_venue_whose_name_holds_its_town_places_the_event_there(ds, gazetteer):
    text = ("Bamako : un sommet\n\nLe Centre International de conférence de Bamako abrite, du 13 au 14 mars 2020, le "
            "Sommet national pour la paix, initié par l’Association Benkadi Ton.")  # fmt: skip
    got = records(text, ds, gazetteer)
    assert {p["pcode"] for c in got for p in c.places} == {"ML09"}
    assert not any(o["name"].endswith("abrite") for c in got for o in c.organisations)


def test_an_occasion_is_no_organisation_and_a_name_in_capitals_is_one(ds):
    got = names("Dans le cadre de la Semaine Nationale de la Paix (SENAP), la TENURE FONCIERE a appuyé Kita.", ds)
    assert got == ["TENURE FONCIERE"]
