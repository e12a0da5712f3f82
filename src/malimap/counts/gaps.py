"""Need-weighted coverage: where many people live or many are in need, and few interventions reach them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from malimap.catalogue.build import Catalogue
from malimap.counts.coverage import MapOptions, inside_places, unit_coverage
from malimap.counts.yearly import unit_years
from malimap.i18n import t
from malimap.sheets.need_layers import Layer, unit_needs


def need_values(values: pd.Series, needs: pd.DataFrame, measure: str) -> pd.Series:
    """The need-weighted figure per unit (aligned on `needs`): NaN where the layer has no figure, inf for need with nothing."""
    population, in_need = needs["population"], needs["in_need"]
    if measure in ("per_100k", "funders_per_100k"):
        return (values * 100_000 / population.where(population > 0)).round(1)
    per = in_need / values.where(values > 0)
    # zero people in need is a figure (0), not a missing one; need with nothing recorded is the gap (inf)
    nothing = np.where(in_need > 0, np.inf, np.where(in_need == 0, 0.0, np.nan))
    return per.where(values > 0, nothing).round(0)


def gap_table(
    catalogue: Catalogue,
    items: pd.DataFrame,
    layer: Layer,
    level: int,
    beneficiaries: bool = False,
    focus: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Units ranked for a donor: high need with nothing recorded first, then by people in need per initiative.

    Only the units of the chosen places (`focus`, the place filter) are ranked. "Nothing recorded" means at this level:
    `broader` counts initiatives known only at a broader unit that holds this one (the map's dashed "↑ n"), `mali_wide`
    those recorded for Mali as a whole (the map's badge): shown beside the ranking, never hidden in it."""
    b = catalogue.boundaries
    merge = b.merged if level == 1 else {}
    needs = unit_needs(layer, b.units, level, merge)
    coverages = {
        m: unit_coverage(catalogue, items, MapOptions(level=level, measure=m, beneficiaries=beneficiaries))
        for m in ("initiatives", "organisations", "funders")
    }
    counts = {m: c.units for m, c in coverages.items()}
    out = needs.merge(counts["initiatives"][["pcode", "name", "value", "planned"]], on="pcode", how="left")
    if focus:
        out = out[inside_places(out["pcode"], focus)]
    out = out.rename(columns={"value": "initiatives"})
    for m in ("organisations", "funders"):
        out[m] = out["pcode"].map(counts[m].set_index("pcode")["value"]).fillna(0).astype(int)
    long = unit_years(catalogue, items, MapOptions(level=level, beneficiaries=beneficiaries))
    out["last_year"] = out["pcode"].map(long[~long["planned"]].groupby("unit_pcode")["year"].max()).astype("Int64")
    out["per_100k"] = need_values(out["initiatives"], out, "per_100k")
    out["need_per_initiative"] = need_values(out["initiatives"], out, "need_per_initiative")
    coarse = coverages["initiatives"].coarse
    out["broader"] = out["pcode"].map(
        lambda p: int(sum(v for c, v in zip(coarse["pcode"], coarse["value"]) if p.startswith(c) and p != c))
    )
    out["mali_wide"] = int(coverages["initiatives"].national[0])
    out["nothing_recorded"] = (out["initiatives"] == 0) & (out["in_need"] > 0)
    out = out.sort_values(
        ["nothing_recorded", "in_need", "need_per_initiative"], ascending=[False, False, False], na_position="last", kind="stable"
    ).reset_index(drop=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    return out


def gap_screen_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ranking as a reader sees it: headings in the page's language, 'nothing recorded' said in words."""
    cols = [
        "rank",
        "name",
        "in_need",
        "population",
        "initiatives",
        "broader",
        "mali_wide",
        "planned",
        "organisations",
        "funders",
        "last_year",
        "need_per_initiative",
        "basis",
    ]
    out = table[cols].copy()
    out["need_per_initiative"] = out["need_per_initiative"].map(
        lambda v: t("gaps.nothing", lang) if v == float("inf") else ("" if pd.isna(v) else f"{v:,.0f}")
    )
    out["basis"] = out["basis"].map(lambda b: t(f"gaps.basis.{b}", lang))
    return out.rename(columns={c: t(f"gaps.col.{c}", lang) for c in cols})


def gap_summary(table: pd.DataFrame, level: int, lang: str) -> str:
    """The sentence above the ranking: units with need and nothing recorded at this level, the people in them, and
    how many of them broader-level or Mali-wide records may cover (said, so "nothing" is never read as "nobody")."""
    empty = table[table["nothing_recorded"]]
    people = f"{int(empty['in_need'].sum()):,}".replace(",", "\u202f" if lang == "fr" else ",")
    text = t("gaps.summary", lang, n=len(empty), levels=t(f"level_plural.{level}", lang), people=people, total=len(table))
    under = int((empty["broader"] > 0).sum())
    national = int(table["mali_wide"].max()) if len(table) else 0
    if under or national:
        text += " " + t("gaps.summary_broader", lang, under=under, national=national)
    return text
