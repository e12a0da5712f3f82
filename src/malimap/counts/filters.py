"""Filters as data: one spec per filter drives how it narrows the catalogue, its sentence, its URL parameter and its widget.

Adding a filter takes one field on `Filters`, one `FilterSpec` in `FILTERS` and its strings in the two locale files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from malimap.catalogue.build import Catalogue, column_codes, positions_mask, remembered
from malimap.catalogue.columns import isin
from malimap.counts.filter_words import (
    ROLE_ANY,
    Clause,
    join,
    names_clause,
    org_names,
    org_types_clause,
    organisations_clause,
    place_name,
    show_label,
    show_org,
    show_role,
    show_theme,
    show_unit,
    years_clause,
)
from malimap.i18n import normalise_lang, semicolon, t
from malimap.schema import LEVELS, enum_values


@dataclass(frozen=True)
class Filters:
    organisations: tuple[str, ...] = ()
    role: str = ROLE_ANY
    org_types: tuple[str, ...] = ()
    funders: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    regions: tuple[str, ...] = ()
    cercles: tuple[str, ...] = ()
    communes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    @property
    def years_active(self) -> bool:
        return self.year_from is not None or self.year_to is not None

    def is_empty(self) -> bool:
        return self == Filters()


Mask = Callable[[Catalogue, Filters], "pd.Series | np.ndarray"]


@dataclass(frozen=True)
class FilterSpec:
    """One filter. `field` is its Filters attribute ("years" stands for year_from and year_to)."""

    field: str
    param: str
    label: str
    widget: str  # "multi" (several ids), "select" (one of the choices) or "range" (two years)
    choices: Callable[[Catalogue, Filters], list]
    show: Callable[[Catalogue, str], Callable[[Any], str]]
    mask: Mask | None = None
    clause: Callable[[Filters, str, Catalogue], Clause | None] | None = None
    scoped: bool = False  # its choices depend on the places chosen above it (cercles within the chosen regions)
    sentences: tuple[str, ...] = ()  # every string key its clause may say: a test holds each to both languages

    def value(self, filters: Filters):
        if self.field == "years":
            return (filters.year_from, filters.year_to)
        return getattr(filters, self.field)

    def set(self, filters: Filters, value) -> Filters:
        if self.field == "years":
            lo, hi = value if value else (None, None)
            return replace(filters, year_from=lo, year_to=hi)
        return replace(filters, **{self.field: tuple(value) if self.widget == "multi" else value})  # type: ignore[arg-type]


def _any_of(column: str, field: str) -> Mask:
    """Records whose one-value `column` is among the chosen values."""
    return lambda cat, f: isin(cat.interventions[column], getattr(f, field))


def _overlaps(column: str, field: str) -> Mask:
    """Records whose list-valued `column` shares at least one value with the chosen ones."""

    def mask(cat: Catalogue, f: Filters) -> np.ndarray:
        wanted = set(getattr(f, field))
        codes, distinct = column_codes(cat, column)
        hit = np.fromiter((bool(wanted.intersection(values)) for values in distinct), dtype=bool, count=len(distinct))
        return hit[codes] if len(distinct) else np.zeros(len(codes), dtype=bool)

    return mask


def _organisations_mask(cat: Catalogue, f: Filters) -> np.ndarray:
    parts = cat.participations
    p = parts[isin(parts["organisation_id"], f.organisations)]
    if f.role != ROLE_ANY:
        p = p[p["role"] == f.role]
    return positions_mask(len(cat.interventions), p["iv_row"])


def _org_types_mask(cat: Catalogue, f: Filters) -> np.ndarray:
    """Records with an organisation of a chosen type (a UN agency, a national NGO...), in the chosen role if any."""
    orgs = cat.organisations
    parts = cat.participations
    p = parts[isin(parts["organisation_id"], list(orgs.loc[orgs["type"].isin(f.org_types), "id"]))]
    if f.role != ROLE_ANY:
        p = p[p["role"] == f.role]
    return positions_mask(len(cat.interventions), p["iv_row"])


def _org_type_choices(cat: Catalogue, f: Filters) -> list[str]:
    """The types of organisations that take part in some record: a type nobody has would only ever match nothing."""
    present = cat.organisations[cat.organisations["id"].isin(set(cat.participations["organisation_id"]))]
    return sorted(str(v) for v in present["type"].dropna().unique() if str(v))


def _years_mask(cat: Catalogue, f: Filters) -> pd.Series:
    """A record passes when its (partial) dates overlap the chosen years; undated records never do, and are counted apart."""
    iv = cat.interventions
    lo = f.year_from if f.year_from is not None else -(10**6)
    hi = f.year_to if f.year_to is not None else 10**6
    return iv["year_start"].notna() & (iv["year_start"] <= hi) & (iv["year_end"] >= lo)


def _place_mask(level: int, field: str) -> Mask:
    """Records with an activity or beneficiary place inside a chosen unit (participants' origins are not where work happened)."""

    def mask(cat: Catalogue, f: Filters) -> np.ndarray:
        loc = cat.locations
        loc = loc[(loc["reach"] != "participants_from").to_numpy() & isin(loc[f"adm{level}_pcode"], getattr(f, field))]
        return positions_mask(len(cat.interventions), loc["iv_row"])

    return mask


def _organisation_choices(cat: Catalogue, f: Filters) -> list[str]:
    return list(cat.organisations.sort_values("name", key=lambda s: s.str.lower())["id"])


def _funder_choices(cat: Catalogue, f: Filters) -> list[str]:
    names = org_names(cat)
    return sorted({o for ids in cat.interventions["all_funder_ids"] for o in ids}, key=lambda o: str(names.get(o, o)).lower())


def _year_choices(cat: Catalogue, f: Filters) -> list[int]:
    """[first, last] year of the data; no range to choose from when every dated record is in one year."""
    years = cat.interventions[["year_start", "year_end"]].stack().dropna()
    return [int(years.min()), int(years.max())] if len(years) and years.min() < years.max() else []


def _unit_choices(level: int) -> Callable[[Catalogue, Filters], list[str]]:
    """Units of a level, narrowed to the coarser units already chosen (a cercle list follows the chosen regions)."""

    def choices(cat: Catalogue, f: Filters) -> list[str]:
        units = cat.boundaries.units
        codes = units.loc[units["level"] == level, "pcode"]
        scope = f.cercles if level == 3 and f.cercles else f.regions if level > 1 else ()
        if scope:
            codes = codes[codes.str[: len(scope[0])].isin(scope)]
        return list(codes)

    return choices


def _place_spec(level: int, field: str) -> FilterSpec:
    return FilterSpec(
        field,
        LEVELS[level],
        f"filter.{LEVELS[level]}",
        "multi",
        _unit_choices(level),
        show_unit,
        _place_mask(level, field),
        names_clause("filter.places", field, place_name),
        scoped=True,
        sentences=("filter.places",),
    )


def _enum_spec(field: str, param: str, column: str, group: str) -> FilterSpec:
    """A filter on one of the interventions' enum columns (kind, status): choices from datapackage.json."""
    return FilterSpec(
        field,
        param,
        f"filter.{param}",
        "multi",
        lambda cat, f: list(enum_values("interventions", column)),
        show_label(group),
        _any_of(column, field),
        names_clause(f"filter.{field}", field, show_label(group)),
        sentences=(f"filter.{field}",),
    )


# Sidebar order, sentence order and URL names, in one table.
FILTERS: tuple[FilterSpec, ...] = (
    FilterSpec(
        "organisations",
        "org",
        "filter.organisation",
        "multi",
        _organisation_choices,
        show_org,
        _organisations_mask,
        organisations_clause,
        sentences=("filter.orgs_any", "filter.orgs_role"),
    ),
    FilterSpec(
        "role", "role", "filter.role", "select", lambda cat, f: [ROLE_ANY, *enum_values("participations", "role")], show_role
    ),  # narrows the organisation and organisation-type filters, in their masks and clauses
    FilterSpec(
        "org_types",
        "otype",
        "filter.org_type",
        "multi",
        _org_type_choices,
        show_label("org_type"),
        _org_types_mask,
        org_types_clause,
        sentences=("filter.org_types_any", "filter.org_types_role"),
    ),
    FilterSpec(
        "funders",
        "funder",
        "filter.funder",
        "multi",
        _funder_choices,
        show_org,
        _overlaps("all_funder_ids", "funders"),
        names_clause("filter.funders", "funders", show_org),
        sentences=("filter.funders",),
    ),
    FilterSpec(
        "themes",
        "theme",
        "filter.theme",
        "multi",
        lambda cat, f: list(cat.themes["code"]),
        show_theme,
        _overlaps("theme_list", "themes"),
        names_clause("filter.themes", "themes", show_theme),
        sentences=("filter.themes",),
    ),
    _enum_spec("kinds", "kind", "kind", "kinds"),
    FilterSpec(
        "years",
        "years",
        "filter.years",
        "range",
        _year_choices,
        lambda cat, lang: str,
        _years_mask,
        years_clause,
        sentences=("filter.years_sentence",),
    ),
    _place_spec(1, "regions"),
    _place_spec(2, "cercles"),
    _place_spec(3, "communes"),
    _enum_spec("statuses", "status", "status", "status"),
)
FILTER_PARAMS = tuple(spec.param for spec in FILTERS)


def _chosen(spec: FilterSpec, filters: Filters) -> bool:
    return spec.value(filters) != spec.value(Filters())


def apply_filters(catalogue: Catalogue, filters: Filters) -> pd.DataFrame:
    """The interventions that pass every filter (AND across filters, OR within one)."""
    iv = catalogue.interventions
    keep = np.ones(len(iv), dtype=bool)
    for spec in FILTERS:
        if spec.mask is not None and _chosen(spec, filters):
            keep &= np.asarray(spec.mask(catalogue, filters), dtype=bool)
    return iv[keep]


def undated_excluded(catalogue: Catalogue, filters: Filters) -> int:
    """How many interventions a year filter leaves out only because their dates are unknown."""
    if not filters.years_active:
        return 0
    undated = lambda: int(apply_filters(catalogue, replace(filters, year_from=None, year_to=None))["year_start"].isna().sum())  # noqa: E731
    return remembered(catalogue, ("undated", filters), undated)


def national_excluded(catalogue: Catalogue, filters: Filters) -> int:
    """How many records a place filter leaves out although they are recorded for Mali as a whole (they cover the chosen
    places too, but name none of them): said in the filter sentence on every page, never dropped silently."""
    if not (filters.regions or filters.cercles or filters.communes):
        return 0

    def count() -> int:
        others = apply_filters(catalogue, replace(filters, regions=(), cercles=(), communes=()))
        kept = set(apply_filters(catalogue, filters)["id"])
        wide = set(catalogue.report.country_wide["intervention_id"])
        return len((set(others["id"]) & wide) - kept)

    return remembered(catalogue, ("national-excluded", filters), count)


def spec_choices(spec: FilterSpec, catalogue: Catalogue, filters: Filters) -> list:
    """A filter's choices, worked out once per catalogue (per chosen coarser places for place filters): sorting 3,000
    organisations or reading every funder tuple is not redone on each change."""
    scope = (filters.regions, filters.cercles) if spec.scoped else ()
    return remembered(catalogue, ("choices", spec.field, scope), lambda: spec.choices(catalogue, filters))


def describe_filters(filters: Filters, lang: str, catalogue: Catalogue) -> str:
    """The state as one sentence, for the screen when presenting and for exported files."""
    lang = normalise_lang(lang)
    clauses: list[Clause] = []
    for spec in FILTERS:
        clause = spec.clause(filters, lang, catalogue) if spec.clause and _chosen(spec, filters) else None
        if clause is None:
            continue
        if clauses and clauses[-1][0] == clause[0] and not clause[2]:  # regions, cercles, communes: one "in …" clause
            clauses[-1] = (clause[0], clauses[-1][1] + clause[1], clauses[-1][2])
        else:
            clauses.append(clause)
    if not clauses:
        return t("filter.none", lang)
    parts = [t(key, lang, values=join(values, lang), **extra) for key, values, extra in clauses]
    return t("filter.prefix", lang) + semicolon(lang).join(parts) + "."
