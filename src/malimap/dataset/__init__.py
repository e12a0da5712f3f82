"""The data package: read (read), checked against its rules (validate), opened as typed tables (load)."""

from ..dates import date_bounds, date_bounds_series
from .cache import load_dataset_cached
from .load import load_dataset, validate_dataset
from .model import Dataset, DatasetError, Issue
from .read import LATER_COLUMNS, read_csv_text, read_tables, typed_tables
from .validate import HTML_RE, validate_tables

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
