"""One organisation index: an upload, a 3W package and an IATI import match the same spellings to the same organisation."""

from __future__ import annotations

import pytest
from conftest import DATA

from malimap.catalogue.org_names import org_index, spellings
from malimap.dataset import load_dataset
from malimap.geo.gazetteer import fold
from malimap.iati.orgs import OrgIndex
from malimap.iati.read import Org


@pytest.fixture(scope="module")
def orgs():
    return load_dataset(DATA).organisations


@pytest.mark.parametrize(
    "written, org",
    [("Union européenne", "european-commission"), ("UE", "european-commission"), ("CEDEAO", "ecowas"), ("ONG AMSS", "amss")],
)
def test_every_door_matches_a_spelling_to_the_same_organisation(orgs, written, org):
    assert org_index(orgs)[fold(written)] == org
    assert OrgIndex(orgs).find(Org(name=written))[0] == org  # an IATI participating-org with that name


def test_spellings_take_curator_aliases_and_skip_empty_cells():
    row = {"name": "Commission européenne", "acronym": "", "aliases": "CE; ", "curator_aliases": "UE;EU"}
    assert spellings(row) == ["Commission européenne", "CE", "UE", "EU"]
