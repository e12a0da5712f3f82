"""Coverage as a donor states it: distinct initiatives per unit, where they took place, planned work kept apart.

Rules (each one written in the map legend and in the exported image):
- a programme or project counts once with all its activities (its *root* initiative), unless events are counted;
- completed, ongoing and unknown-status work counts; planned work is counted apart (hatched on the map); cancelled and
  suspended work is listed with its records but never counted;
- activity places count; places of beneficiaries only when asked; participants' origins never;
- records known only at a coarser level stay visible as an overlay of that coarser unit;
- Mali-wide records (no region) are counted on their own, as a national badge;
- a presence (an OCHA 3W/5W row: an organisation in a place, no activity) counts among organisations, never as an
  initiative or event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from malimap.catalogue.build import Catalogue, column_codes, equals, remembered, row_mask
from malimap.catalogue.columns import isin
from malimap.schema import PCODE_LENGTH, level_of

MEASURES = ("initiatives", "events", "organisations", "funders")
NEED_MEASURES = ("per_100k", "need_per_initiative", "funders_per_100k")  # only with a need layer (sheets/need_layers.py)
NATIONAL = "ML"  # the pseudo-unit holding Mali-wide records


@dataclass(frozen=True)
class MapOptions:
    """Every choice behind a coverage number; all of them live in the URL."""

    level: int
    measure: str = "initiatives"
    beneficiaries: bool = False
    pinned: bool = False  # legend classes from the unfiltered data, so two slides compare

    def __post_init__(self):
        if self.measure not in MEASURES + NEED_MEASURES:
            raise ValueError(f"measure {self.measure!r} is not one of {MEASURES + NEED_MEASURES}")
        if self.level not in PCODE_LENGTH:
            raise ValueError(f"level {self.level!r} is not one of {tuple(PCODE_LENGTH)}")

    @property
    def base_measure(self) -> str:
        """What is counted per unit before any need figure divides it."""
        return (
            "funders" if self.measure == "funders_per_100k" else "initiatives" if self.measure in NEED_MEASURES else self.measure
        )

    @property
    def reach(self) -> tuple[str, ...]:
        return ("activity", "beneficiaries") if self.beneficiaries else ("activity",)


@dataclass(frozen=True)
class Coverage:
    units: pd.DataFrame  # every unit of the level: pcode, name, value, planned, records
    coarse: pd.DataFrame  # coarser units holding records known only at their level: pcode, level, value
    national: tuple[int, int]  # (value, planned) of Mali-wide records
    level: int


def _located_rows(catalogue: Catalogue, items: pd.DataFrame, reach: tuple[str, ...]) -> pd.DataFrame:
    loc = catalogue.locations
    stopped = equals(catalogue, "status", "cancelled") | equals(catalogue, "status", "suspended")  # never coverage
    counted = row_mask(catalogue, items) & ~stopped
    keep = counted[loc["iv_row"].to_numpy()] & isin(loc["reach"], reach) & loc["in_mali"].to_numpy()
    return loc.loc[keep, ["iv_row", "adm1_pcode", "adm2_pcode", "adm3_pcode"]]


def _keys(catalogue: Catalogue, rows: pd.DataFrame, measure: str) -> pd.DataFrame:
    """One row per (location row, counted thing): the root initiative, the event, or each organisation/funder."""
    iv = catalogue.interventions
    at = rows["iv_row"].to_numpy()
    out = rows.assign(planned=equals(catalogue, "status", "planned")[at])
    if measure == "initiatives":  # integer keys: the root initiative's code, the event's own row
        work = ~equals(catalogue, "kind", "presence")[at]  # an organisation's presence is not an initiative
        return out[work].assign(key=column_codes(catalogue, "root_id")[0][at][work])
    if measure == "events":
        is_event = equals(catalogue, "kind", "event")[at]
        return out[is_event].assign(key=at[is_event])
    column = "organisation_ids" if measure == "organisations" else "all_funder_ids"
    out = out.assign(key=iv[column].to_numpy()[at]).explode("key")
    return out[out["key"].notna()]


def _count(pairs: pd.DataFrame, unit: str) -> tuple[pd.Series, pd.Series]:
    """Distinct keys per unit among non-planned rows, and distinct keys seen only in planned rows."""
    active = pairs.loc[~pairs["planned"], [unit, "key"]].drop_duplicates()
    planned = pairs.loc[pairs["planned"], [unit, "key"]].drop_duplicates()
    planned = planned.merge(active, on=[unit, "key"], how="left", indicator=True)
    planned = planned[planned["_merge"] == "left_only"]
    return active.groupby(unit).size(), planned.groupby(unit).size()


def unit_coverage(catalogue: Catalogue, items: pd.DataFrame, options: MapOptions) -> Coverage:
    """The numbers the map colours, its overlay and its badge show, from the filtered items."""
    level = options.level
    b = catalogue.boundaries
    merge = b.merged if level == 1 else {}
    units = b.units[(b.units["level"] == level) & ~b.units["pcode"].isin(merge)][["pcode", "name"]].reset_index(drop=True)
    pairs = _keys(catalogue, _located_rows(catalogue, items, options.reach), options.base_measure)
    code = pairs[f"adm{level}_pcode"].replace(merge) if merge else pairs[f"adm{level}_pcode"]
    pairs = pairs.assign(unit=code)
    here = pairs[pairs["unit"] != ""]
    value, planned = _count(here, "unit")
    records = here.drop_duplicates(["unit", "iv_row"]).groupby("unit").size()
    out = units.assign(
        value=units["pcode"].map(value).fillna(0).astype(int),
        planned=units["pcode"].map(planned).fillna(0).astype(int),
        records=units["pcode"].map(records).fillna(0).astype(int),
    )
    # known only at a coarser level: the finest code the row has, shown as an outline of that unit
    coarser = pairs[(pairs["unit"] == "") & (pairs["adm1_pcode"] != "")]
    coarse = pd.DataFrame(columns=["pcode", "level", "value"])
    if level > 1 and len(coarser):
        finest = (
            coarser["adm2_pcode"].where(coarser["adm2_pcode"] != "", coarser["adm1_pcode"])
            if level == 3
            else coarser["adm1_pcode"]
        )
        cv, _ = _count(coarser.assign(unit=finest), "unit")
        coarse = cv.rename("value").rename_axis("pcode").reset_index()
        coarse["level"] = coarse["pcode"].map(level_of)
    national = pairs[pairs["adm1_pcode"] == ""]
    nv, npl = _count(national.assign(unit=NATIONAL), "unit")
    return Coverage(out, coarse[["pcode", "level", "value"]], (int(nv.get(NATIONAL, 0)), int(npl.get(NATIONAL, 0))), level)


def default_level(catalogue: Catalogue, items: pd.DataFrame, items_key: tuple | None = None) -> int:
    """The finest drawn level at which most of the filtered, located records are placed (a first view is never empty);
    with `items_key` (what chose the items) it is worked out once per catalogue and key."""
    if items_key is not None:
        return remembered(catalogue, ("default-level", items_key), lambda: default_level(catalogue, items))
    rows = _located_rows(catalogue, items, ("activity",))
    rows = rows[rows["adm1_pcode"] != ""]
    levels = sorted(catalogue.boundaries.levels, reverse=True)
    if rows.empty:
        return min(levels)
    for level in levels:
        if (rows[f"adm{level}_pcode"] != "").mean() > 0.5:
            return level
    return min(levels)


def items_in_unit(catalogue: Catalogue, items: pd.DataFrame, pcode: str, options: MapOptions) -> pd.DataFrame:
    """The filtered items counted in a unit (any level, or the national pseudo-unit), planned ones included."""
    rows = _located_rows(catalogue, items, options.reach)
    if pcode == NATIONAL:
        hit = rows["adm1_pcode"] == ""
    else:
        level = level_of(pcode) or 1
        codes = {pcode} | {k for k, v in catalogue.boundaries.merged.items() if v == pcode and level == 1}
        hit = rows[f"adm{level}_pcode"].isin(codes)
    keep = np.zeros(len(catalogue.interventions), dtype=bool)
    keep[rows.loc[hit, "iv_row"].to_numpy()] = True
    return items[keep[items["row"].to_numpy()]]


def items_by_unit(catalogue: Catalogue, items: pd.DataFrame, level: int, options: MapOptions) -> dict[str, pd.DataFrame]:
    """The filtered items counted in each unit of a level (as items_in_unit, every unit at once): one pass, not 701."""
    rows = _located_rows(catalogue, items, options.reach)
    column = rows[f"adm{level}_pcode"]
    if level == 1:  # a region merged into another on the map (Ménaka into Gao) is counted on the unit drawn
        column = column.replace(catalogue.boundaries.merged)
    position = pd.Series(np.arange(len(items)), index=items["row"].to_numpy())
    out = {}
    for pcode, group in rows[column != ""].groupby(column[column != ""]):
        at = position.reindex(group["iv_row"].unique()).dropna().astype(int).to_numpy()
        out[str(pcode)] = items.iloc[np.sort(at)]
    return out


def unit_summary(items: pd.DataFrame, top: int = 5) -> dict:
    """What a clicked unit holds, in numbers a reader can take in at once (2,000 records as a few lines)."""
    years = items[["year_start", "year_end"]].dropna()
    spans = [range(int(a), int(b) + 1) for a, b in zip(years["year_start"], years["year_end"])]
    per_year = pd.Series([y for s in spans for y in s], dtype="int64").value_counts().sort_index()
    orgs = items["organisation_ids"].explode().dropna().value_counts().head(top)
    return {
        "kinds": items["kind"].value_counts().to_dict(),
        "statuses": items["status"].value_counts().to_dict(),
        "per_year": per_year.to_dict(),
        "organisations": orgs.to_dict(),
        "undated": int(items["year_start"].isna().sum()),
    }


def class_breaks(values: pd.Series, n: int = 4) -> list[tuple[int, int]]:
    """Up to n classes over the positive values (zero is always its own class): [(lo, hi), ...]."""
    positive = np.sort(pd.unique(values[values > 0]))
    if len(positive) == 0:
        return []
    if len(positive) <= n:
        return [(int(v), int(v)) for v in positive]
    edges = np.unique(np.quantile(positive, np.linspace(0, 1, n + 1)).round().astype(int))
    out, lo = [], int(positive[0])
    for hi in edges[1:]:
        if hi >= lo:
            out.append((lo, int(hi)))
            lo = int(hi) + 1
    return out


def classify(values: pd.Series, breaks: Sequence[tuple[float, float]]) -> np.ndarray:
    """Class index per value: -1 for zero, else the break it falls in (values above the top break take the top class)."""
    if not breaks:
        return np.full(len(values), -1, dtype=int)
    lows = np.array([lo for lo, _ in breaks])
    idx = np.searchsorted(lows, values.to_numpy(), side="right") - 1
    return np.where(values.to_numpy() > 0, np.clip(idx, 0, len(breaks) - 1), -1)


def inside_places(pcodes: pd.Series, focus: tuple[str, ...]) -> np.ndarray:
    """True for units within, or containing, a chosen place (P-codes nest by prefix)."""
    if not focus:
        return np.ones(len(pcodes), dtype=bool)
    inside = np.zeros(len(pcodes), dtype=bool)
    for code in focus:
        inside |= pcodes.str.startswith(code).to_numpy() | pcodes.map(lambda p, c=code: c.startswith(p)).to_numpy()
    return inside
