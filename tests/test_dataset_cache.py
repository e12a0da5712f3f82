"""The Parquet cache of validated tables: the same data back, a new key for any change, never a stale or broken read."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import edit_csv

from malimap.dataset import DatasetError, load_dataset, load_dataset_cached
from malimap.dataset.cache import dataset_key, wait_for_writes
from malimap.geo.boundaries import embedded_boundaries


@pytest.fixture
def units():
    return embedded_boundaries().units


def test_a_warm_read_gives_back_exactly_what_was_validated(data_copy, tmp_path, units):
    seeds = tmp_path / "no-seeds"
    fresh = load_dataset(data_copy, seeds=seeds, units=units)
    load_dataset_cached(data_copy, seeds=seeds, units=units, cache=tmp_path / "c")
    wait_for_writes()  # the tables are written in the background while the joins run
    folders = list((tmp_path / "c" / "datasets").iterdir())
    assert len(folders) == 1 and (folders[0] / "complete").exists()
    warm = load_dataset_cached(data_copy, seeds=seeds, units=units, cache=tmp_path / "c")
    for name, df in fresh.tables().items():
        pd.testing.assert_frame_equal(df.reset_index(drop=True), warm.tables()[name])  # values and dtypes


def test_any_change_is_a_new_key_and_errors_are_never_cached(data_copy, tmp_path, units):
    seeds = tmp_path / "no-seeds"
    before = dataset_key(data_copy, seeds, units)
    edit_csv(data_copy / "interventions.csv", 2, "title", "Un autre titre")
    assert dataset_key(data_copy, seeds, units) != before
    assert dataset_key(data_copy, seeds, units.head(5)) != dataset_key(data_copy, seeds, units)  # other boundaries
    edit_csv(data_copy / "interventions.csv", 2, "start_date", "2019-02-30")
    for _ in range(2):
        with pytest.raises(DatasetError):
            load_dataset_cached(data_copy, seeds=seeds, units=units, cache=tmp_path / "c")
    assert not (tmp_path / "c" / "datasets").exists() or not any((tmp_path / "c" / "datasets").iterdir())


def test_a_damaged_cache_is_rebuilt(data_copy, tmp_path, units):
    seeds = tmp_path / "no-seeds"
    load_dataset_cached(data_copy, seeds=seeds, units=units, cache=tmp_path / "c")
    wait_for_writes()
    folder = next((tmp_path / "c" / "datasets").iterdir())
    (folder / "interventions.parquet").write_bytes(b"not parquet")
    ds = load_dataset_cached(data_copy, seeds=seeds, units=units, cache=tmp_path / "c")
    wait_for_writes()
    assert len(ds.interventions) == len(load_dataset(data_copy, seeds=seeds, units=units).interventions)
    assert (folder / "interventions.parquet").read_bytes()[:4] == b"PAR1"  # written again


def test_the_catalogue_comes_back_from_its_cache_exactly(tmp_path, units):
    from malimap.catalogue.build import build_catalogue
    from malimap.catalogue.cache import cached_catalogue
    from malimap.config import REPO_ROOT

    b = embedded_boundaries()
    ds = load_dataset(units=b.units)
    built = build_catalogue(ds, b)
    first = cached_catalogue(lambda: ds, REPO_ROOT / "data", b, cache=tmp_path)
    wait_for_writes()
    assert first.interventions.equals(built.interventions)

    def must_not_build():
        raise AssertionError("the catalogue was built again instead of read back")

    again = cached_catalogue(must_not_build, REPO_ROOT / "data", b, cache=tmp_path)
    for name in ("interventions", "participations", "organisations", "locations", "themes", "sources", "conflicts"):
        pd.testing.assert_frame_equal(getattr(built, name).reset_index(drop=True), getattr(again, name))
    assert again.interventions.at[0, "theme_list"] == built.interventions.at[0, "theme_list"]
    assert isinstance(again.interventions.at[0, "all_funder_ids"], tuple)  # tuples, as the filters expect
    assert again.report.counts() == built.report.counts() and again.boundaries is b
    public = cached_catalogue(lambda: ds, REPO_ROOT / "data", b, public="public:2", cache=tmp_path)
    wait_for_writes()
    assert len(list((tmp_path / "catalogues").iterdir())) == 2 and public is not again  # public mode: its own entry


def test_new_rules_never_read_an_old_result(data_copy, tmp_path, units, monkeypatch):
    from malimap.dataset import cache

    seeds = tmp_path / "no-seeds"
    before = dataset_key(data_copy, seeds, units)
    monkeypatch.setattr(cache, "VALIDATION_CODE", (*cache.VALIDATION_CODE, "counts/filters.py"))  # as if the rules had changed
    assert dataset_key(data_copy, seeds, units) != before


def test_a_read_only_cache_folder_still_serves_the_data(data_copy, tmp_path, units):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")  # the cache path is a file: nothing can be written below it
    ds = load_dataset_cached(data_copy, seeds=tmp_path / "no-seeds", units=units, cache=blocked)
    wait_for_writes()  # the background write gives up quietly
    assert len(ds.interventions) == len(load_dataset(data_copy, seeds=tmp_path / "no-seeds", units=units).interventions)
