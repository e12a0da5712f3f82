"""Activity over time: a record is active in every year its (partial) dates cover, per unit, with the map's rules.

- Year-only and month-only dates cover their whole year; approximate dates stay flagged.
- An ongoing record with no end is active up to its source's date (the last year the source vouches for), marked
  open-ended; with no source date it is active in its start year only, still marked open-ended.
- Undated records are not spread over invented years: they are counted apart.
- Places, planned work, root initiatives and coarser-only places follow `coverage` exactly as the map does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from malimap.catalogue.build import Catalogue, row_mask
from malimap.counts.aggregate import source_citations
from malimap.counts.coverage import MapOptions, inside_places
from malimap.schema import level_of

LONG_COLUMNS = [
    "intervention_id",
    "title",
    "kind",
    "status",
    "planned",
    "root_id",
    "unit_pcode",
    "unit_name",
    "unit_level",
    "coarser_only",
    "year",
    "start_date",
    "end_date",
    "start_precision",
    "end_precision",
    "dates_approximate",
    "open_ended",
    "place_precision",
    "source_id",
    "citation",
]


def active_spans(catalogue: Catalogue, items: pd.DataFrame) -> pd.DataFrame:
    """Per dated item: first and last active year, and whether the end is open (ongoing, no end date)."""
    dated = items[items["year_start"].notna()]
    published = catalogue.sources.set_index("id")["published"].fillna("").str[:4]
    source_year = pd.to_numeric(dated["source_id"].map(published), errors="coerce")
    open_ended = (dated["status"] == "ongoing") & (dated["end_date"].fillna("") == "")
    last = dated["year_end"].astype("float")
    last = last.where(~open_ended | source_year.isna() | (source_year <= last), source_year)
    return pd.DataFrame(
        {
            "row": dated["row"].to_numpy(),
            "year_from": dated["year_start"].astype(int).to_numpy(),
            "year_to": last.astype(int).to_numpy(),
            "open_ended": open_ended.to_numpy(),
        }
    )


def active_years(catalogue: Catalogue, items: pd.DataFrame) -> pd.DataFrame:
    """One row per (item, year) it is active in: columns row, year, open_ended."""
    spans = active_spans(catalogue, items)
    n = (spans["year_to"] - spans["year_from"] + 1).clip(lower=1).to_numpy()
    rep = spans.loc[spans.index.repeat(n)].reset_index(drop=True)
    offset = np.concatenate([np.arange(k) for k in n]) if len(n) else np.array([], dtype=int)
    return pd.DataFrame(
        {
            "row": rep["row"].to_numpy(),
            "year": (rep["year_from"].to_numpy() + offset).astype(int),
            "open_ended": rep["open_ended"].to_numpy(),
        }
    )


def count_by_year(catalogue: Catalogue, items: pd.DataFrame) -> pd.DataFrame:
    """Items active each year, by kind (the timeline's bars): year, kind, interventions."""
    years = active_years(catalogue, items)
    kinds = catalogue.interventions["kind"].to_numpy()[years["row"].to_numpy()]
    out = years.assign(kind=kinds).groupby(["year", "kind"]).size().reset_index(name="interventions")
    return out


def unit_years(
    catalogue: Catalogue,
    items: pd.DataFrame,
    options: MapOptions,
    year_range: tuple[int | None, int | None] = (None, None),
    focus: tuple[str, ...] = (),
) -> pd.DataFrame:
    """The tidy long table: one row per intervention × unit × year it was active there, with precision columns.

    `year_range` and `focus` are the page's year and place filters: a record chosen for its years or its place can be
    active in other years and places too, and those rows are left out (a 2015–2018 view has no 2019 column).

    Long because it is one vectorised pass (records × units × years) whose intermediate arrays each next step reuses."""
    level, iv = options.level, catalogue.interventions
    loc = catalogue.locations
    keep = (
        row_mask(catalogue, items)[loc["iv_row"].to_numpy()]
        & loc["reach"].isin(options.reach).to_numpy()
        & loc["in_mali"].to_numpy()
        & (loc["adm1_pcode"] != "").to_numpy()
    )
    loc = loc[keep]
    code = loc[f"adm{level}_pcode"]
    finest = code
    for lv in range(level - 1, 0, -1):
        finest = finest.where(finest != "", loc[f"adm{lv}_pcode"])
    merge = catalogue.boundaries.merged if level == 1 else {}
    places = pd.DataFrame(
        {
            "row": loc["iv_row"].to_numpy(),
            "unit_pcode": finest.replace(merge).to_numpy(),
            "coarser_only": (code == "").to_numpy(),
            "place_precision": loc["precision"].to_numpy(),
        }
    )
    places = places.drop_duplicates(["row", "unit_pcode"])
    years = active_years(catalogue, items)
    long = places.merge(years, on="row")
    at = long["row"].to_numpy()
    for column in (
        "title",
        "kind",
        "status",
        "root_id",
        "start_date",
        "end_date",
        "start_precision",
        "end_precision",
        "dates_approximate",
        "source_id",
    ):
        long[column] = iv[column].to_numpy()[at]
    long["intervention_id"] = iv["id"].to_numpy()[at]
    long["citation"] = long["source_id"].map(source_citations(catalogue))  # a reader of the long table can follow it
    long["planned"] = long["status"] == "planned"
    long["unit_name"] = long["unit_pcode"].map(catalogue.unit_names)
    long["unit_level"] = long["unit_pcode"].map(level_of)
    if options.measure == "events":
        long = long[long["kind"] == "event"]
    lo, hi = year_range
    if lo is not None:
        long = long[long["year"] >= lo]
    if hi is not None:
        long = long[long["year"] <= hi]
    if focus:
        long = long[inside_places(long["unit_pcode"], focus)]
    return long[LONG_COLUMNS].sort_values(["unit_name", "year", "intervention_id"]).reset_index(drop=True)


def unit_year_matrix(long: pd.DataFrame, measure: str = "initiatives") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(counted, planned): units × years, distinct root initiatives (or events) not planned, and those only planned."""
    key = "intervention_id" if measure == "events" else "root_id"
    active = long[~long["planned"]].drop_duplicates(["unit_pcode", "year", key])
    planned = long[long["planned"]].drop_duplicates(["unit_pcode", "year", key])
    planned = planned.merge(active[["unit_pcode", "year", key]], on=["unit_pcode", "year", key], how="left", indicator=True)
    planned = planned[planned["_merge"] == "left_only"]
    years = range(int(long["year"].min()), int(long["year"].max()) + 1) if len(long) else range(0)
    units = long.drop_duplicates("unit_pcode").set_index("unit_pcode")["unit_name"].sort_values()

    def pivot(df: pd.DataFrame) -> pd.DataFrame:
        m = df.groupby(["unit_pcode", "year"]).size().unstack(fill_value=0)
        return m.reindex(index=units.index, columns=list(years), fill_value=0).astype(int)

    return pivot(active), pivot(planned)


def records_in_cell(catalogue: Catalogue, items: pd.DataFrame, long: pd.DataFrame, pcode: str, year: int) -> pd.DataFrame:
    """The items behind one cell of the matrix, planned ones included."""
    ids = set(long.loc[(long["unit_pcode"] == pcode) & (long["year"] == year), "intervention_id"])
    return items[items["id"].isin(ids)]
