"""Filters as data: one frozen state, one pure apply function, one sentence, one URL form."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from .i18n import label, normalise_lang, semicolon, t, theme_label
from .joins import Catalogue, positions_mask

ROLE_ANY = "any"


@dataclass(frozen=True)
class Filters:
    organisations: tuple[str, ...] = ()
    role: str = ROLE_ANY
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


def apply_filters(catalogue: Catalogue, filters: Filters) -> pd.DataFrame:
    """The interventions that pass every filter (AND across filters, OR within one)."""
    iv = catalogue.interventions
    keep = pd.Series(True, index=iv.index)
    if filters.kinds:
        keep &= iv["kind"].isin(filters.kinds)
    if filters.statuses:
        keep &= iv["status"].isin(filters.statuses)
    if filters.themes:
        wanted = set(filters.themes)
        keep &= iv["theme_list"].map(lambda ts: bool(wanted.intersection(ts)))
    parts = catalogue.participations
    if filters.organisations:
        p = parts[parts["organisation_id"].isin(filters.organisations)]
        if filters.role != ROLE_ANY:
            p = p[p["role"] == filters.role]
        keep &= positions_mask(len(iv), p["iv_row"])
    if filters.funders:
        wanted_funders = set(filters.funders)
        keep &= iv["all_funder_ids"].map(lambda ids: bool(wanted_funders.intersection(ids)))
    if filters.years_active:
        lo = filters.year_from if filters.year_from is not None else -10**6
        hi = filters.year_to if filters.year_to is not None else 10**6
        keep &= iv["year_start"].notna() & (iv["year_start"] <= hi) & (iv["year_end"] >= lo)
    loc = catalogue.locations
    loc = loc[loc["reach"] != "participants_from"]  # where participants came from is not where the work happened
    for column, wanted in (("adm1_pcode", filters.regions), ("adm2_pcode", filters.cercles), ("adm3_pcode", filters.communes)):
        if wanted:
            keep &= positions_mask(len(iv), loc.loc[loc[column].isin(wanted), "iv_row"])
    return iv[keep]


def undated_excluded(catalogue: Catalogue, filters: Filters) -> int:
    """How many interventions a year filter leaves out only because their dates are unknown."""
    if not filters.years_active:
        return 0
    return int(apply_filters(catalogue, replace(filters, year_from=None, year_to=None))["year_start"].isna().sum())


def describe_filters(filters: Filters, lang: str, catalogue: Catalogue) -> str:
    """The state as one sentence, for the screen when presenting and for exported files."""
    lang = normalise_lang(lang)
    names = catalogue.organisations.set_index("id")["name"].to_dict()
    units = catalogue.unit_names
    parts = []
    if filters.kinds:
        parts.append(t("filter.kinds", lang, values=_join([label("kinds", k, lang) for k in filters.kinds], lang)))
    if filters.organisations:
        orgs = _join([names.get(o, o) for o in filters.organisations], lang)
        if filters.role == ROLE_ANY:
            parts.append(t("filter.orgs_any", lang, values=orgs))
        else:
            parts.append(t("filter.orgs_role", lang, values=orgs, role=label("role", filters.role, lang)))
    if filters.funders:
        parts.append(t("filter.funders", lang, values=_join([names.get(o, o) for o in filters.funders], lang)))
    if filters.themes:
        parts.append(t("filter.themes", lang, values=_join([theme_label(c, lang, catalogue.themes) for c in filters.themes], lang)))
    if filters.years_active:
        parts.append(t("filter.years_sentence", lang, start=filters.year_from if filters.year_from is not None else "…",
                       end=filters.year_to if filters.year_to is not None else "…"))
    places = [units.get(p, p) for p in (*filters.regions, *filters.cercles, *filters.communes)]
    if places:
        parts.append(t("filter.places", lang, values=_join(places, lang)))
    if filters.statuses:
        parts.append(t("filter.statuses", lang, values=_join([label("status", s, lang) for s in filters.statuses], lang)))
    if not parts:
        return t("filter.none", lang)
    return t("filter.prefix", lang) + semicolon(lang).join(parts) + "."


def _join(values: list[str], lang: str) -> str:
    values = [str(v) for v in values]
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + t("filter.or", lang) + values[-1]
