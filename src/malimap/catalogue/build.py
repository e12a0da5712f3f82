"""Join the dataset to admin units once: each location gets its region, cercle and commune, and a report says what did not match."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from malimap.catalogue.columns import group_tuples, isin, positions
from malimap.dataset import Dataset
from malimap.dates import DATE_PRECISION, date_bounds_series
from malimap.geo.boundaries import Boundaries
from malimap.schema import FUNDER_ROLES, IMPLEMENTER_ROLES, PCODE_LENGTH


@dataclass(frozen=True)
class JoinReport:
    unmatched: pd.DataFrame  # P-code or coordinates not found in the active boundaries
    outside_mali: pd.DataFrame  # kept and listed apart, never forced onto a region
    country_wide: pd.DataFrame  # Mali as a whole ("all regions"): no single unit
    unknown_country: pd.DataFrame  # the source does not say which country

    def counts(self) -> dict[str, int]:
        return {k: len(getattr(self, k)) for k in ("unmatched", "outside_mali", "country_wide", "unknown_country")}


@dataclass(frozen=True)
class Catalogue:
    """The dataset denormalised for the dashboard; built once per dataset and boundary set, then only read."""

    interventions: pd.DataFrame
    participations: pd.DataFrame
    organisations: pd.DataFrame
    locations: pd.DataFrame
    themes: pd.DataFrame
    sources: pd.DataFrame
    conflicts: pd.DataFrame
    finances: pd.DataFrame  # money as published (IATI budgets and transactions), one currency per row
    boundaries: Boundaries
    report: JoinReport
    unit_names: dict[str, str]
    # worked out once per catalogue, then only read: column codes (column_codes) and recent results (remembered)
    memo: dict = field(default_factory=dict, compare=False, repr=False)


# What build_catalogue adds to the data package's columns, declared once (a test holds the catalogue to exactly this).
DERIVED: dict[str, dict[str, str]] = {
    "interventions": {
        "date_lo": "earliest day the (partial) start date allows; the end's when the start is unknown",
        "date_hi": "latest day the (partial) end date allows; the start's when the end is unknown",
        "year_start": "year of date_lo",
        "year_end": "year of date_hi",
        "start_precision": "year, month or day",
        "end_precision": "year, month or day",
        "theme_list": "themes as a tuple of codes",
        "funder_ids": "organisations recorded as this record's funders",
        "inherited_funder_ids": "funders of its project or programme (not its own)",
        "implementer_ids": "organisations in an implementing role",
        "organisation_ids": "every organisation involved, once",
        "funders": "funder names, '; '-joined",
        "inherited_funders": "inherited funder names",
        "implementers": "implementer names",
        "organisations": "every organisation's name",
        "all_funder_ids": "own and inherited funders",
        "source_file": "the cited seed file",
        "root_id": "the top programme or project it belongs to (itself when none): one count per initiative",
        "row": "integer row key; other tables point at it with iv_row",
    },
    "participations": {
        "organisation": "the organisation's name",
        "organisation_type": "its type",
        "iv_row": "row key of the intervention",
    },
    "locations": {
        "adm1_pcode": "region",
        "adm2_pcode": "cercle (a single-cercle region's one cercle)",
        "adm3_pcode": "commune",
        "matched": "the P-code or point was found in the active boundaries",
        "in_mali": "country is ML",
        "iv_row": "row key of the intervention",
    },
}


def attach_admin_units(locations: pd.DataFrame, boundaries: Boundaries) -> tuple[pd.DataFrame, JoinReport]:
    """adm1/adm2/adm3 P-codes for every location, from its P-code or by point-in-polygon from its coordinates."""
    loc = locations.copy()
    for col in ("adm1_pcode", "adm2_pcode", "adm3_pcode"):
        loc[col] = ""
    pc = loc["pcode"].fillna("")
    for level, n in PCODE_LENGTH.items():
        loc[f"adm{level}_pcode"] = pc.where(pc.str.len() >= n, "").str[:n]
    loc = _points_to_units(loc, boundaries)
    loc = _descend_single_children(loc, boundaries.units)
    known = set(boundaries.units["pcode"])
    finest = boundaries.finest_level
    check = loc["pcode"].where(loc["pcode"].str.len() <= PCODE_LENGTH[finest], loc["pcode"].str[: PCODE_LENGTH[finest]])
    has_code = loc["pcode"] != ""
    loc["matched"] = has_code & check.isin(known) | loc["adm1_pcode"].ne("") & ~has_code
    country = loc["country"].fillna("")
    loc["in_mali"] = country.eq("ML")
    report = JoinReport(
        unmatched=loc[has_code & ~loc["matched"]],
        outside_mali=loc[country.ne("ML") & country.ne("")],
        country_wide=loc[country.eq("ML") & loc["adm1_pcode"].eq("")],
        unknown_country=loc[country.eq("")],
    )
    return loc, report


def _descend_single_children(loc: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """A unit with one child is that child too (Bamako district = its one cercle): its records reach the finer level."""
    children = units[units["parent_pcode"] != ""].groupby("parent_pcode")["pcode"]
    only_child = children.first()[children.size() == 1].to_dict()
    for level in (2, 3):
        col, parent = f"adm{level}_pcode", f"adm{level - 1}_pcode"
        fill = (loc[col] == "") & loc[parent].isin(only_child)
        loc.loc[fill, col] = loc.loc[fill, parent].map(only_child)
    return loc


def _points_to_units(loc: pd.DataFrame, boundaries: Boundaries) -> pd.DataFrame:
    need = (loc["pcode"] == "") & loc["latitude"].notna() & loc["longitude"].notna() & loc["country"].isin(["ML", ""])
    if not need.any():
        return loc
    level = boundaries.finest_drawn_level  # a point needs a polygon
    layer = boundaries.layers[level]
    pts = gpd.GeoDataFrame(
        loc[need],
        geometry=gpd.points_from_xy(loc.loc[need, "longitude"].astype(float), loc.loc[need, "latitude"].astype(float)),
        crs=4326,
    )
    hit = gpd.sjoin(pts, layer[["pcode", "geometry"]], how="left", predicate="within")
    hit = hit[~hit.index.duplicated()]
    found = hit["pcode_right"].fillna("")
    for lv, n in PCODE_LENGTH.items():
        if lv <= level:
            loc.loc[found.index, f"adm{lv}_pcode"] = found.where(found.str.len() >= n, "").str[:n]
    return loc


def _date_columns(iv: pd.DataFrame) -> pd.DataFrame:
    """Earliest and latest day each partial date allows, and the years they span (an end alone bounds both)."""
    iv = iv.copy()
    s_lo, s_hi, _ = date_bounds_series(iv["start_date"])
    e_lo, e_hi, _ = date_bounds_series(iv["end_date"])
    iv["date_lo"] = s_lo.fillna(e_lo)
    iv["date_hi"] = e_hi.fillna(s_hi)
    iv["year_start"] = iv["date_lo"].dt.year.astype("Int64")
    iv["year_end"] = iv["date_hi"].dt.year.astype("Int64")
    iv["start_precision"] = iv["start_date"].fillna("").str.len().map(DATE_PRECISION).fillna("")
    iv["end_precision"] = iv["end_date"].fillna("").str.len().map(DATE_PRECISION).fillna("")
    return iv


def _ancestor_levels(parent: np.ndarray, limit: int = 64) -> list[np.ndarray]:
    """Row positions of each row's parent, grandparent, ... (-1 past the top); a cycle stops where it would repeat."""
    levels: list[np.ndarray] = []
    cur = parent
    me = np.arange(len(parent))
    seen = [me]
    while (cur >= 0).any() and len(levels) < limit:
        for earlier in seen:  # a chain that comes back to a row already on it ends there
            cur = np.where(cur == earlier, -1, cur)
        levels.append(cur)
        seen.append(cur)
        cur = np.where(cur >= 0, parent[np.maximum(cur, 0)], -1)
    return levels


def _take(values: pd.Series, at: np.ndarray) -> pd.Series:
    """values at the positions given, missing where a position is -1."""
    return pd.Series(values.array.take(at, allow_fill=True))


def _inherited_funders(levels: list[np.ndarray], funders: pd.DataFrame, n: int) -> list[tuple]:
    """Per row, the funders of its project and programme (nearest first), each once, without its own funders."""
    own = funders[["iv_row", "organisation_id"]]
    chains = [
        pd.DataFrame({"iv_row": np.flatnonzero(lv >= 0), "ancestor": lv[lv >= 0], "depth": d}) for d, lv in enumerate(levels)
    ]
    if not chains or not sum(len(c) for c in chains):
        return [()] * n
    up = pd.concat(chains, ignore_index=True)
    inherited = up.merge(
        own.assign(order=np.arange(len(own))).rename(columns={"iv_row": "ancestor"}), on="ancestor", how="inner"
    ).sort_values(["iv_row", "depth", "order"], kind="stable")
    inherited = inherited.drop_duplicates(["iv_row", "organisation_id"])
    mine = inherited.merge(own.drop_duplicates(), on=["iv_row", "organisation_id"], how="left", indicator=True)
    kept = mine[(mine["_merge"] == "left_only").to_numpy()]
    return group_tuples(kept["iv_row"].to_numpy(), kept["organisation_id"].to_numpy(dtype=object), n)


class _Names(dict):
    def __missing__(self, key: str) -> str:  # an id with no organisation row is shown as the id
        return key


def _names(ids: list[tuple], names: dict[str, str]) -> list[str]:
    get = _Names(names).__getitem__
    return ["; ".join(map(get, t)) for t in ids]


def build_catalogue(ds: Dataset, boundaries: Boundaries) -> Catalogue:
    """Every join the pages need, on integer row positions (a million interventions: seconds, not minutes).

    Long because every join shares the row-position arrays built at its top; split, each part would take or rebuild a dozen of them."""
    orgs = ds.organisations
    iv = _date_columns(ds.interventions).reset_index(drop=True)
    n = len(iv)
    ids = iv["id"]
    parts = ds.participations.reset_index(drop=True)
    at_org = positions(parts["organisation_id"], orgs["id"])
    parts["organisation"] = _take(orgs["name"], at_org)
    parts["organisation_type"] = _take(orgs["type"], at_org)
    parts["iv_row"] = positions(parts["intervention_id"], ids).astype("int64")
    which, lists = pd.factorize(iv["themes"].fillna(""), use_na_sentinel=False)
    theme_tuples = [tuple(c.strip() for c in str(t).split(";") if c.strip()) for t in lists]
    iv["theme_list"] = pd.Series([theme_tuples[i] for i in which.tolist()], dtype=object)
    names = dict(zip(orgs["id"], orgs["name"]))
    org_ids = parts["organisation_id"].to_numpy(dtype=object)
    rows = parts["iv_row"].to_numpy()
    funder = isin(parts["role"], FUNDER_ROLES)
    implementer = isin(parts["role"], IMPLEMENTER_ROLES)
    own = group_tuples(rows[funder], org_ids[funder], n)
    levels = _ancestor_levels(positions(iv["parent_id"].fillna(""), ids))
    # an event inherits the funders of its project and programme: who paid for what happened there
    inherited = _inherited_funders(levels, parts[funder], n)
    built = {
        "funder_ids": own,
        "inherited_funder_ids": inherited,
        "implementer_ids": group_tuples(rows[implementer], org_ids[implementer], n),
        "organisation_ids": group_tuples(rows, org_ids, n),
    }
    for col, tuples in built.items():
        iv[col] = pd.Series(tuples, dtype=object)
    for col, src in (
        ("funders", "funder_ids"),
        ("inherited_funders", "inherited_funder_ids"),
        ("implementers", "implementer_ids"),
        ("organisations", "organisation_ids"),
    ):
        iv[col] = _names(built[src], names)
    iv["all_funder_ids"] = pd.Series([a + b if b else a for a, b in zip(own, inherited)], dtype=object)
    iv["source_file"] = iv["source_id"].map(ds.sources.set_index("id")["file"])
    # the initiative a record belongs to: a programme or project counts once with all its activities
    root = np.arange(n)
    for lv in levels:
        root = np.where(lv >= 0, lv, root)
    iv["root_id"] = iv["id"].to_numpy()[root]
    # integer row keys: membership tests on them are array look-ups, not string hashing (100k-row datasets)
    iv["row"] = np.arange(n)
    locs, report = attach_admin_units(ds.locations, boundaries)
    locs["iv_row"] = positions(locs["intervention_id"], ids).astype("int64")
    unit_names = boundaries.units.set_index("pcode")["name"].to_dict()

    def row_of(df: pd.DataFrame) -> np.ndarray:
        at = positions(df["intervention_id"], ids)
        return at if (at >= 0).all() else np.where(at >= 0, at, np.nan)

    report = JoinReport(
        *(
            df.assign(iv_row=row_of(df))
            for df in (report.unmatched, report.outside_mali, report.country_wide, report.unknown_country)
        )
    )
    # codes the joins already have, so that the first filter of a cold start does not work them out again
    memo = {"theme_list": (which, theme_tuples), "root_id": (root, iv["id"].tolist())}
    return Catalogue(
        iv, parts, orgs, locs, ds.themes, ds.sources, ds.conflicts, ds.finances, boundaries, report, unit_names, memo
    )


def column_codes(catalogue: Catalogue, column: str) -> tuple[np.ndarray, list]:
    """A column of the interventions as an integer code per row and its distinct values, worked out once per catalogue:
    a theme filter then tests 575 theme lists instead of 1,000,000 rows (0.48 s -> a few ms), and counts compare
    integers instead of strings."""
    if column not in catalogue.memo:
        codes, distinct = pd.factorize(catalogue.interventions[column])
        catalogue.memo[column] = (codes, list(distinct))
    return catalogue.memo[column]


def remembered(catalogue: Catalogue, key: tuple, compute, limit: int = 64):
    """compute() once per key for this catalogue, the latest `limit` kept: a map control that does not change what is
    counted (the gaps view, a clicked unit) reuses the counts of the same filters instead of redoing them."""
    results = catalogue.memo.setdefault("results", {})
    with _MEMORY_LOCK:  # sessions run in threads of one process and share the catalogue
        if key in results:
            results[key] = results.pop(key)  # most recently used last
            return results[key]
    value = compute()  # outside the lock: two sessions asking at once may both compute, never block each other
    with _MEMORY_LOCK:
        results[key] = value
        while len(results) > limit:
            results.pop(next(iter(results)))
    return value


_MEMORY_LOCK = threading.Lock()


def equals(catalogue: Catalogue, column: str, value) -> np.ndarray:
    """Boolean per intervention: column == value, read off the column's codes (no string comparison per row)."""
    codes, distinct = column_codes(catalogue, column)
    return codes == distinct.index(value) if value in distinct else np.zeros(len(codes), dtype=bool)


def positions_mask(n: int, positions: pd.Series) -> np.ndarray:
    """A boolean array of length n, true at the given integer positions (row keys)."""
    mask = np.zeros(n, dtype=bool)
    mask[positions.to_numpy(dtype="int64")] = True
    return mask


def row_mask(catalogue: Catalogue, interventions: pd.DataFrame) -> np.ndarray:
    """A boolean array over all interventions, true for those given: index it with any table's iv_row column."""
    return positions_mask(len(catalogue.interventions), interventions["row"])
