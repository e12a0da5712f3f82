"""Read, validate, type: the one way the app and the command line open a data package."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from malimap import config
from malimap.dataset.model import Dataset, DatasetError, Issue
from malimap.dataset.read import read_tables, typed_tables
from malimap.dataset.validate import validate_tables


def _default_units() -> pd.DataFrame:
    from malimap.geo.boundaries import active_boundaries

    return active_boundaries().units


def validate_dataset(path: str | Path, seeds: Path | None = None, units: pd.DataFrame | None = None) -> list[Issue]:
    tables, issues = read_tables(path)
    units = _default_units() if units is None else units
    return issues + validate_tables(tables, seeds if seeds is not None else config.seeds_dir(), units)


def load_dataset(path: str | Path | None = None, seeds: Path | None = None, units: pd.DataFrame | None = None) -> Dataset:
    """Validated, typed tables; raises DatasetError listing every error (file, row, column, value, what is expected)."""
    path = Path(path or config.data_dir())
    tables, issues = read_tables(path)
    units = _default_units() if units is None else units
    issues += validate_tables(tables, seeds if seeds is not None else config.seeds_dir(), units)
    if any(i.severity == "error" for i in issues):
        raise DatasetError(issues)
    return Dataset(**typed_tables(tables), path=str(path))
