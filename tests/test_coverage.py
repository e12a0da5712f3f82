"""Coverage rules on a catalogue built in code: exact counts a donor could check by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from malimap.counts.coverage import MapOptions, class_breaks, classify, default_level, items_in_unit, unit_coverage, unit_summary
from malimap.testing.tiny import catalogue, iv, loc

# A project with one sub-project and one workshop, all in Djenné; a planned event in Ténenkou; a dialogue held in
# Bamako whose beneficiaries are in Djenné; a programme known only at region level (Ségou); a Mali-wide programme.
RECORDS = [
    iv("proj", "project", start="2015", end="2017"),
    iv("sub", "project", parent="proj", start="2016"),
    iv("ws", parent="proj", start="2016-03-01"),
    iv("plan", status="planned", start="2020"),
    iv("dialogue", start="2018-05-02"),
    iv("prog", "programme", start="2014"),
    iv("national", "programme"),
]
PLACES = [
    loc("proj", "ML0101"),
    loc("sub", "ML0101"),
    loc("ws", "ML0101"),
    loc("plan", "ML0102"),
    loc("dialogue", "ML02"),
    loc("dialogue", "ML0101", reach="beneficiaries"),
    loc("prog", "ML01"),
    loc("national"),
]
PARTS = [
    {"intervention_id": "proj", "organisation_id": "a", "role": "implementer", "source_id": "s1", "evidence": "q"},
    {"intervention_id": "proj", "organisation_id": "f", "role": "funder", "source_id": "s1", "evidence": "q"},
    {"intervention_id": "ws", "organisation_id": "b", "role": "implementer", "source_id": "s1", "evidence": "q"},
    {"intervention_id": "dialogue", "organisation_id": "b", "role": "convener", "source_id": "s1", "evidence": "q"},
]


@pytest.fixture(scope="module")
def cat():
    return catalogue(RECORDS, PLACES, PARTS)


def values(cov) -> dict[str, tuple[int, int]]:
    return {p: (v, pl) for p, v, pl in zip(cov.units["pcode"], cov.units["value"], cov.units["planned"])}


def test_a_project_and_its_children_count_once(cat):
    cov = unit_coverage(cat, cat.interventions, MapOptions(level=2))
    assert values(cov) == {"ML0101": (1, 0), "ML0102": (0, 1), "ML0201": (1, 0)}


def test_events_measure_counts_each_event(cat):
    cov = unit_coverage(cat, cat.interventions, MapOptions(level=2, measure="events"))
    assert values(cov) == {"ML0101": (1, 0), "ML0102": (0, 1), "ML0201": (1, 0)}
    cov = unit_coverage(cat, cat.interventions, MapOptions(level=2, measure="events", beneficiaries=True))
    assert values(cov)["ML0101"] == (2, 0)  # the Bamako dialogue's beneficiaries, only when asked


def test_beneficiaries_places_only_when_asked(cat):
    off = unit_coverage(cat, cat.interventions, MapOptions(level=2))
    on = unit_coverage(cat, cat.interventions, MapOptions(level=2, beneficiaries=True))
    assert values(off)["ML0101"] == (1, 0) and values(on)["ML0101"] == (2, 0)


def test_region_records_reach_a_single_child_and_stay_visible_above(cat):
    cov = unit_coverage(cat, cat.interventions, MapOptions(level=2))
    # the dialogue is known at region ML02 only, whose single cercle ML0201 therefore holds it
    assert values(cov)["ML0201"] == (1, 0)
    # the programme known only at region ML01 is an overlay of ML01, not lost and not forced into a cercle
    assert cov.coarse.to_dict("records") == [{"pcode": "ML01", "level": 1, "value": 1}]


def test_mali_wide_records_are_a_national_count(cat):
    assert unit_coverage(cat, cat.interventions, MapOptions(level=1)).national == (1, 0)


def test_region_level_counts(cat):
    cov = unit_coverage(cat, cat.interventions, MapOptions(level=1))
    assert values(cov) == {"ML01": (2, 1), "ML02": (1, 0)}  # proj + prog in Ségou; plan only planned


def test_organisations_and_funders(cat):
    orgs = unit_coverage(cat, cat.interventions, MapOptions(level=2, measure="organisations"))
    assert values(orgs)["ML0101"] == (3, 0)  # a and f on the project, b on its workshop
    funders = unit_coverage(cat, cat.interventions, MapOptions(level=2, measure="funders"))
    assert values(funders)["ML0101"] == (1, 0)  # f funds the project; its children inherit, counted once


def test_filtered_children_still_count_their_root_once(cat):
    events = cat.interventions[cat.interventions["kind"] == "event"]
    cov = unit_coverage(cat, events, MapOptions(level=2))
    assert values(cov) == {"ML0101": (1, 0), "ML0102": (0, 1), "ML0201": (1, 0)}


def test_default_level_is_where_most_records_are_placed(cat):
    assert default_level(cat, cat.interventions) == 2  # 5 of 6 located activity places reach a cercle
    only_region = cat.interventions[cat.interventions["id"] == "prog"]
    assert default_level(cat, only_region) == 1
    assert default_level(cat, cat.interventions.iloc[0:0]) == 1


def test_items_in_unit_and_national(cat):
    opts = MapOptions(level=2)
    assert set(items_in_unit(cat, cat.interventions, "ML0101", opts)["id"]) == {"proj", "sub", "ws"}
    assert set(items_in_unit(cat, cat.interventions, "ML01", opts)["id"]) == {"proj", "sub", "ws", "plan", "prog"}
    assert set(items_in_unit(cat, cat.interventions, "ML", opts)["id"]) == {"national"}


def test_unit_summary_spreads_years_over_durations(cat):
    inside = items_in_unit(cat, cat.interventions, "ML0101", MapOptions(level=2))
    s = unit_summary(inside)
    assert s["kinds"] == {"project": 2, "event": 1}
    assert s["per_year"] == {2015: 1, 2016: 3, 2017: 1}  # proj 2015-2017, sub 2016, ws 2016
    assert s["organisations"] == {"a": 1, "f": 1, "b": 1} and s["undated"] == 0


def test_options_refuse_unknown_values():
    with pytest.raises(ValueError, match="measure 'interventions'"):
        MapOptions(level=1, measure="interventions")
    with pytest.raises(ValueError, match="level 4"):
        MapOptions(level=4)


def test_class_breaks_and_classify():
    assert class_breaks(pd.Series([0, 1, 2, 3])) == [(1, 1), (2, 2), (3, 3)]
    br = class_breaks(pd.Series(range(0, 50)))
    assert br == [(1, 13), (14, 25), (26, 37), (38, 49)]
    assert classify(pd.Series([0, 1, 13, 14, 49, 80]), br).tolist() == [-1, 0, 0, 1, 3, 3]
    assert classify(pd.Series([0, 3]), []).tolist() == [-1, -1]


def test_default_level_needs_more_than_half_at_the_finer_level():
    """Exactly half the placed records at cercle level is not 'most': the map opens on regions; one more tips it."""
    half = catalogue([iv("a"), iv("b")], [loc("a", "ML0101"), loc("b", "ML01")])  # not Bamako: its one cercle is known
    assert default_level(half, half.interventions) == 1
    more = catalogue([iv("a"), iv("b"), iv("c")], [loc("a", "ML0101"), loc("b", "ML01"), loc("c", "ML0102")])
    assert default_level(more, more.interventions) == 2
