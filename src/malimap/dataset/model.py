"""What a data package is once read (Dataset), and how a problem in it is reported (Issue, DatasetError)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import pandas as pd


@dataclass(frozen=True)
class Issue:
    """One problem, located precisely enough to fix it: file, spreadsheet row (header = 1), column, value."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = (
            self.file
            + (f", row {self.row}" if self.row is not None else "")
            + (f", column '{self.column}'" if self.column else "")
        )
        value = "" if self.value is None else f": value {_short(self.value)!r}"
        return f"{self.severity.upper()} {where}{value}: {self.message}"


def _short(value: str, n: int = 80) -> str:
    value = str(value)
    return value if len(value) <= n else value[: n - 1] + "…"


class DatasetError(ValueError):
    def __init__(self, issues: list[Issue]):
        self.issues = issues
        errors = [i for i in issues if i.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in the dataset; first: {errors[0] if errors else ''}")


@dataclass(frozen=True)
class Dataset:
    sources: pd.DataFrame
    themes: pd.DataFrame
    organisations: pd.DataFrame
    interventions: pd.DataFrame
    participations: pd.DataFrame
    locations: pd.DataFrame
    conflicts: pd.DataFrame
    finances: pd.DataFrame
    people: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["name", "source_id", "note"], dtype=str))
    path: str = ""

    def tables(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "path"}

    def replace(self, **tables: pd.DataFrame) -> Dataset:
        return Dataset(**{**self.tables(), "path": self.path, **tables})
