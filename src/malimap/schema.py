"""The data contract, read from datapackage.json so column names and rules are defined once."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from malimap import config

TABLES = (
    "sources",
    "themes",
    "organisations",
    "interventions",
    "participations",
    "locations",
    "conflicts",
    "finances",
    "people",
)
OPTIONAL_TABLES = (
    "finances",
    "people",
)  # a package without the file simply has none of these rows (older packages, curated data)
KINDS = ("programme", "project", "event")
LEVELS = {1: "region", 2: "cercle", 3: "commune"}
PCODE_LENGTH = {1: 4, 2: 6, 3: 8}
LEVEL_OF_LENGTH = {n: level for level, n in PCODE_LENGTH.items()}
FUNDER_ROLES = ("funder",)
IMPLEMENTER_ROLES = ("implementer", "accountable", "extending")


def level_of(pcode: str) -> int | None:
    """1 region, 2 cercle, 3 commune, from a v02 P-code's length; None for anything else."""
    return LEVEL_OF_LENGTH.get(len(pcode))


def deepest_level(units) -> int:
    """The finest level a table of units (pcode, level, …) knows: what a P-code can be checked against."""
    return int(units["level"].max()) if len(units) else 1


def parent_pcode(pcode: str) -> str:
    """The P-code of the unit one level up ('' for a region or an unknown code)."""
    level = level_of(pcode)
    return pcode[: PCODE_LENGTH[level - 1]] if level and level > 1 else ""


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    required: bool = False
    unique: bool = False
    enum: tuple = ()
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = field(default=())  # (column, table, column)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


def _field(d: dict) -> Field:
    c = d.get("constraints", {})
    return Field(
        d["name"],
        d["type"],
        d.get("description", ""),
        c.get("required", False),
        c.get("unique", False),
        tuple(c.get("enum", ())),
        c.get("pattern"),
        c.get("minimum"),
        c.get("maximum"),
        c.get("maxLength"),
    )


def _table(res: dict) -> Table:
    s = res["schema"]
    pk = s.get("primaryKey", [])
    fks = tuple(
        (fk["fields"][0], fk["reference"]["resource"] or res["name"], fk["reference"]["fields"][0])
        for fk in s.get("foreignKeys", [])
    )
    return Table(res["name"], res["path"], tuple(_field(f) for f in s["fields"]), tuple([pk] if isinstance(pk, str) else pk), fks)


@lru_cache(maxsize=8)
def load_schema(descriptor: str | None = None) -> dict[str, Table]:
    """Tables by name; the shipped datapackage.json is the default contract, also for users' own folders."""
    path = Path(descriptor) if descriptor else config.REPO_ROOT / "data" / "datapackage.json"
    if not path.is_file():
        raise FileNotFoundError(
            f"No data contract at {path}: malimap runs on a project folder holding data/ and geo/ (a clone of the "
            "repository). Run it from that folder, or set MALIMAP_HOME to it."
        )
    dp = json.loads(path.read_text(encoding="utf-8"))
    return {r["name"]: _table(r) for r in dp["resources"]}


def package_files(folder: Path) -> list[Path]:
    """The files a data package is made of (the contract, then one CSV per table): what its caches are keyed by."""
    return [Path(folder) / "datapackage.json", *(Path(folder) / t.path for t in load_schema().values())]


def enum_values(table: str, column: str) -> tuple:
    return next(f.enum for f in load_schema()[table].fields if f.name == column)
