"""Filters as data: one spec per filter drives how it narrows the catalogue, its sentence, its URL parameter and its widget.

Adding a filter takes one field on `Filters`, one `FilterSpec` in `FILTERS` and its strings in the two locale files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from malimap.catalogue.build import Catalogue, column_codes, positions_mask, remembered
from malimap.catalogue.columns import isin
from malimap.i18n import composed, label, normalise_lang, semicolon, t, theme_labels
from malimap.schema import LEVELS, enum_values, parent_pcode

ROLE_ANY = "any"


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
# A sentence clause: the string key, the chosen values' names, and any other value the string needs.
Clause = tuple[str, list[str], dict[str, Any]]


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


def _org_names(cat: Catalogue) -> dict[str, str]:
    return dict(zip(cat.organisations["id"], cat.organisations["name"]))


def _organisation_choices(cat: Catalogue, f: Filters) -> list[str]:
    return list(cat.organisations.sort_values("name", key=lambda s: s.str.lower())["id"])


def _funder_choices(cat: Catalogue, f: Filters) -> list[str]:
    names = _org_names(cat)
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


def _show_org(cat: Catalogue, lang: str) -> Callable[[str], str]:
    names = _org_names(cat)
    return lambda o: names.get(o, o)


def _show_unit(cat: Catalogue, lang: str) -> Callable[[str], str]:
    """'Name (Parent)' below the region level; composed, as typed on a French keyboard."""
    names = cat.unit_names

    def show(pcode: str) -> str:
        parent = parent_pcode(pcode)
        return composed(f"{names.get(pcode, pcode)} ({names.get(parent, '')})" if parent else names.get(pcode, pcode))

    return show


def _show_label(group: str) -> Callable[[Catalogue, str], Callable[[str], str]]:
    return lambda cat, lang: lambda code: label(group, code, lang)


def _show_role(cat: Catalogue, lang: str) -> Callable[[str], str]:
    return lambda r: t("filter.role_any", lang) if r == ROLE_ANY else label("role", r, lang)


def _names_clause(key: str, field: str, name: Callable[[Catalogue, str], Callable[[str], str]]):
    def clause(f: Filters, lang: str, cat: Catalogue) -> Clause | None:
        chosen = getattr(f, field)
        show = name(cat, lang)
        return (key, [show(v) for v in chosen], {}) if chosen else None

    return clause


def _organisations_clause(f: Filters, lang: str, cat: Catalogue) -> Clause | None:
    if not f.organisations:
        return None
    names = [_org_names(cat).get(o, o) for o in f.organisations]
    if f.role == ROLE_ANY:
        return ("filter.orgs_any", names, {})
    return ("filter.orgs_role", names, {"role": label("role", f.role, lang)})


def _org_types_clause(f: Filters, lang: str, cat: Catalogue) -> Clause | None:
    if not f.org_types:
        return None
    names = [label("org_type", v, lang) for v in f.org_types]
    if f.role == ROLE_ANY:
        return ("filter.org_types_any", names, {})
    return ("filter.org_types_role", names, {"role": label("role", f.role, lang)})


def _years_clause(f: Filters, lang: str, cat: Catalogue) -> Clause | None:
    if not f.years_active:
        return None
    return (
        "filter.years_sentence",
        [],
        {"start": "…" if f.year_from is None else f.year_from, "end": "…" if f.year_to is None else f.year_to},
    )


def _place_name(cat: Catalogue, lang: str) -> Callable[[str], str]:
    return lambda p: cat.unit_names.get(p, p)


def _show_theme(cat: Catalogue, lang: str) -> Callable[[str], str]:
    names = theme_labels(cat.themes, lang)
    return lambda code: names.get(code, code)


def _place_spec(level: int, field: str) -> FilterSpec:
    return FilterSpec(
        field,
        LEVELS[level],
        f"filter.{LEVELS[level]}",
        "multi",
        _unit_choices(level),
        _show_unit,
        _place_mask(level, field),
        _names_clause("filter.places", field, _place_name),
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
        _show_label(group),
        _any_of(column, field),
        _names_clause(f"filter.{field}", field, _show_label(group)),
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
        _show_org,
        _organisations_mask,
        _organisations_clause,
        sentences=("filter.orgs_any", "filter.orgs_role"),
    ),
    FilterSpec(
        "role", "role", "filter.role", "select", lambda cat, f: [ROLE_ANY, *enum_values("participations", "role")], _show_role
    ),  # narrows the organisation and organisation-type filters, in their masks and clauses
    FilterSpec(
        "org_types",
        "otype",
        "filter.org_type",
        "multi",
        _org_type_choices,
        _show_label("org_type"),
        _org_types_mask,
        _org_types_clause,
        sentences=("filter.org_types_any", "filter.org_types_role"),
    ),
    FilterSpec(
        "funders",
        "funder",
        "filter.funder",
        "multi",
        _funder_choices,
        _show_org,
        _overlaps("all_funder_ids", "funders"),
        _names_clause("filter.funders", "funders", _show_org),
        sentences=("filter.funders",),
    ),
    FilterSpec(
        "themes",
        "theme",
        "filter.theme",
        "multi",
        lambda cat, f: list(cat.themes["code"]),
        _show_theme,
        _overlaps("theme_list", "themes"),
        _names_clause("filter.themes", "themes", _show_theme),
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
        _years_clause,
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
    parts = [t(key, lang, values=_join(values, lang), **extra) for key, values, extra in clauses]
    return t("filter.prefix", lang) + semicolon(lang).join(parts) + "."


def _join(values: Sequence[str], lang: str) -> str:
    values = [str(v) for v in values]
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + t("filter.or", lang) + values[-1]


def typed_matches(typed: str, options, label_of: Callable[[str], str]) -> list:
    """The options a typed text means, compared without accents or case ('Seg' → Ségou, 'menaka' → Ménaka).

    Streamlit's own search compares characters, so 'Seg' finds nothing among composed labels; what the user typed comes
    back as a new value and is read here. The best tier wins: the name itself, then names that start with the text, then
    a word that starts with it, then names that contain it (a cercle's parent in brackets is not its name).
    """
    from malimap.geo.gazetteer import fold

    want = fold(typed)
    if not want:
        return []
    names = [(o, fold(str(label_of(o)).split(" (")[0])) for o in options]
    tiers = (
        lambda n: n == want,
        lambda n: n.startswith(want),
        lambda n: any(w.startswith(want) for w in n.split()),
        lambda n: want in n,
    )
    for tier in tiers:
        found = [o for o, n in names if tier(n)]
        if found:
            return found
    return []
