"""The million-row column helpers give exactly what the plain pandas forms give, edge cases included."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from malimap.catalogue.build import remembered
from malimap.catalogue.columns import group_tuples, isin, may_hold_markup, per_unique, positions
from malimap.testing.tiny import sample_catalogue


@pytest.mark.parametrize("dtype", ["str", object])
def test_isin_matches_pandas_with_missing_values_and_empty_sets(dtype):
    values = pd.Series(["a", "b", None, "c", "a", ""], dtype=dtype)
    for allowed in (["a", "c"], {"b"}, [], ["", "zzz"], pd.Series(["c", "c"])):
        expected = values.isin(list(allowed)).to_numpy() & values.notna().to_numpy()
        assert isin(values, allowed).tolist() == expected.tolist(), allowed
    assert isin(pd.Series([], dtype=dtype), ["a"]).tolist() == []


def test_positions_are_first_occurrences_and_minus_one_when_absent():
    among = pd.Series(["x", "y", "x", "z"])
    assert positions(pd.Series(["z", "x", "q", None, "y"]), among).tolist() == [3, 0, -1, -1, 1]
    assert positions(pd.Series([], dtype="str"), among).tolist() == []
    assert positions(pd.Series([3, 1]), pd.Series([1, 2, 3])).tolist() == [2, 0]  # not only strings


def test_group_tuples_keep_order_drop_repeats_and_cover_every_row():
    rows = np.array([2, 0, 2, 2, 0])
    values = np.array(["f", "a", "g", "f", "b"], dtype=object)
    assert group_tuples(rows, values, 4) == [("a", "b"), (), ("f", "g"), ()]


def test_markup_first_pass_finds_what_the_full_check_needs():
    values = pd.Series(["plain", "<b>x</b>", "JavaScript:alert(1)", "a: b", "1 < 2", ""])
    assert may_hold_markup(values).tolist() == [False, True, True, False, True, False]


def test_per_unique_spreads_back_by_position_and_keeps_the_index():
    values = pd.Series(["3", "", "3", "x"], index=[10, 11, 12, 13])
    out = per_unique(values, lambda s: pd.to_numeric(s, errors="coerce"))
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out.tolist()[0] == 3 and out.tolist()[2] == 3 and np.isnan(out.tolist()[1]) and np.isnan(out.tolist()[3])


def test_remembered_computes_once_per_key_and_forgets_the_oldest():
    cat = sample_catalogue()
    calls = []

    def compute(k):
        calls.append(k)
        return k * 2

    for k in (1, 2, 1, 3):
        assert remembered(cat, ("t", k), lambda k=k: compute(k), limit=2) == k * 2
    assert calls == [1, 2, 3]  # the second 1 was remembered
    remembered(cat, ("t", 2), lambda: compute(2), limit=2)
    assert calls == [1, 2, 3, 2]  # 2 was the oldest when 3 came in, so it was forgotten
