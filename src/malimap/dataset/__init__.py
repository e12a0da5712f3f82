"""The data package: read (read), checked against its rules (validate), opened as typed tables (load)."""

from malimap.dataset.cache import load_dataset_cached
from malimap.dataset.load import load_dataset, validate_dataset
from malimap.dataset.model import Dataset, DatasetError, Issue
from malimap.dataset.read import LATER_COLUMNS, read_csv_text, read_tables, typed_tables
from malimap.dataset.validate import HTML_RE, validate_tables
from malimap.dates import date_bounds, date_bounds_series

__all__ = [
    "HTML_RE",
    "LATER_COLUMNS",
    "Dataset",
    "DatasetError",
    "Issue",
    "date_bounds",
    "date_bounds_series",
    "load_dataset",
    "load_dataset_cached",
    "read_csv_text",
    "read_tables",
    "typed_tables",
    "validate_dataset",
    "validate_tables",
]
