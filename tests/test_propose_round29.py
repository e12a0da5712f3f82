"""Round 29 of assisted curation, from what the sixth series (sets 30-31, measured once with the rules frozen after
round 28) showed: a name in lower case stops before a verb in the present ("le ministère des Sports organisent"),
companies named with "Consulting" or "Industrie", ONUSIDA, a tournament is an event, and a council proposed with no role
only when a place names it. Own articles, written for these tests."""

from __future__ import annotations

from malimap.testing.proposals import found, records


def test_a_lower_case_name_stops_before_a_verb_in_the_present(ds, gazetteer):
    text = ("Bamako : un tournoi\n\nL’ONG Benkadi et le ministère des Sports organisent la deuxième édition du tournoi à "
            "Bamako le 21 mars 2019.")  # fmt: skip
    assert "ministère des Sports" in {name for name, _role in found(text, ds, gazetteer)}


def test_companies_named_by_their_trade(ds, gazetteer):
    text = ("Bamako : un tournoi\n\nLe tournoi du 21 mars 2019 à Bamako est accompagné par Sanya Industrie et par Tilwat "
            "Consulting, avec l’ONUSIDA.")  # fmt: skip
    names = {name for name, _role in found(text, ds, gazetteer)}
    assert {"Sanya Industrie", "Tilwat Consulting", "ONUSIDA"} <= names


def test_a_tournament_is_an_event_with_its_dates(ds, gazetteer):
    text = ("Bamako : le football pour la paix\n\nDu 28 novembre au 4 décembre 2018, Bamako a accueilli le tournoi de "
            "football « Ensemble », initié par l’ONG Benkadi.")  # fmt: skip
    assert [(c.kind, c.start) for c in records(text, ds, gazetteer)] == [("event", "2018-11-28")]


def test_a_council_with_no_place_and_no_role_is_not_proposed(ds, gazetteer):
    text = ("Mopti : un tournoi\n\nLa finale du tournoi s’est jouée le 21 septembre 2019 à Mopti, avec à ses côtés le président "
            "du Conseil régional de la jeunesse, Awa Traoré.")  # fmt: skip
    assert "Conseil régional de la jeunesse" not in {name for name, _role in found(text, ds, gazetteer)}
