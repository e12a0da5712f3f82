"""Round 30 of assisted curation, from what every series so far left out: a name among a list of organisations that has
no organisation word of its own ("…, ARGA, Tuwindi, Think Peace, …"), and a name after its group word and the kind of
group ("l'association de femmes Yagtu"). Own articles, written for these tests."""

from __future__ import annotations

from malimap.testing.proposals import found, names


def test_a_name_among_a_list_of_organisations_is_one(ds, gazetteer):
    text = ("Gao : un atelier\n\nL'atelier du 3 mai 2021 à Gao a réuni 12 ONG nationales (AMSS, GRAT, TASSAGHT, Kanaga, "
            "Sahel Avenir, IMRAP) et l'ONG Benkadi, le PNUD, Tilwat Horizons et Djoliba se sont joints à eux.")  # fmt: skip
    assert {"Kanaga", "Sahel Avenir", "Tilwat Horizons", "Djoliba"} <= set(names(text, ds))


def test_a_list_of_places_or_people_is_not_a_list_of_names(ds, gazetteer):
    text = ("Gao : un forum\n\nLe forum du 3 mai 2021 a réuni des jeunes de Gao, Tombouctou, Ménaka et Kidal avec la MINUSMA, "
            "le PNUD, Awa Traoré et Moussa KEITA.")  # fmt: skip
    assert set(names(text, ds)) == {"MINUSMA", "PNUD"}


def test_a_ministrys_portfolios_are_not_names(ds, gazetteer):
    text = ("Bamako: youth policy\n\nThe policy was validated on 3 May 2021 through a partnership between the Ministry of Youth, "
            "Sports, Civic Education and Citizenry Construction, UNICEF and Search for Common Ground.")  # fmt: skip
    assert not {"Sports", "Civic Education", "Citizenry Construction"} & set(names(text, ds))


def test_the_last_item_stops_before_the_verb_not_inside_a_name(ds, gazetteer):
    text = ("Bamako : un consortium\n\nLe consortium comprend Tearfund, le Réseau islam et paix (RIP) et Jeunesse en mission "
            "(JEM). Tearfund, le RIP et Kanaga Sahel se sont rassemblés le 3 mai 2021 à Bamako.")  # fmt: skip
    got = set(names(text, ds))
    assert "Kanaga Sahel" in got and "Jeunesse" not in got


def test_a_name_after_its_group_word_and_kind(ds, gazetteer):
    text = ("Bandiagara : un projet\n\nLe projet a été présenté le 3 mai 2021 par l'association de femmes Yagtu, de Bandiagara. "
            "Le groupement de femmes Benkadi et l'association humanitaire « Open Sahel » y ont pris part.")  # fmt: skip
    assert {"Yagtu", "Benkadi", "Open Sahel"} <= {name for name, _role in found(text, ds, gazetteer)}


def test_a_kind_of_group_with_a_place_names_no_one(ds, gazetteer):
    text = "Mopti : un atelier\n\nL'association des femmes de Mopti et l'ONG malienne Benkadi ont tenu un atelier le 3 mai 2021."
    got = {name for name, _role in found(text, ds, gazetteer)}
    assert "Mopti" not in got and "Benkadi" in got
