"""COD-AB v03 (the 2023 reform: 20 regions, 160 cercles) read as the v02 units the map draws.

The crosswalk is built from the registry's two P-code lists in geo/: a v03 region covers the v02 cercles whose names its
own v03 cercles carry; a v03 cercle with a v02 cercle's name is that cercle, any other (a former arrondissement or commune
raised to cercle) is placed no finer than what its region covers. Where names say nothing, a written rule decides
(geo/crosswalk_v03_rules.csv). Codes of the two vintages collide (ML09 is Bamako in v02, Taoudénit in v03): a code is read
as v03 only when v02 does not have it, or when the row's name is the v03 name.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from malimap import config
from malimap.geo.gazetteer import ALIASES, fold
from malimap.schema import PCODE_LENGTH, level_of

COLUMNS = ["v03_pcode", "v03_name", "v03_level", "v02_pcode", "v02_level", "covers", "basis"]


def build_crosswalk(v02: pd.DataFrame, v03: pd.DataFrame, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per v03 region and cercle: the v02 unit it is read as, the v02 cercles it covers, and why."""
    v02_cercles = v02[v02["level"] == 2]
    by_name = {_key(n): p for p, n in zip(v02_cercles["pcode"], v02_cercles["name"])}
    v02_regions = {_key(n): p for p, n in zip(v02.loc[v02["level"] == 1, "pcode"], v02.loc[v02["level"] == 1, "name"])}
    names = dict(zip(v02["pcode"], v02["name"]))
    ruled = {} if rules is None else {r.v03_pcode: (r.v02_pcode, r.basis) for r in rules.itertuples()}
    rows = []
    regions = v03[v03["level"] == 1]
    for region in regions.itertuples():
        own = v03[(v03["level"] == 2) & (v03["parent_pcode"] == region.pcode)]
        covered = sorted({by_name[_key(n)] for n in own["name"] if _key(n) in by_name})
        if region.pcode in ruled:
            target, basis = ruled[region.pcode]
            covered = [target]
        elif covered and len({c[: PCODE_LENGTH[1]] for c in covered}) == 1:
            target = covered[0] if len(covered) == 1 else covered[0][: PCODE_LENGTH[1]]
            basis = "its cercles carry the names of v02 " + ", ".join(names[c] for c in covered)
        elif _key(region.name) in v02_regions:
            target = v02_regions[_key(region.name)]
            basis = "same name as the v02 region"
            covered = sorted(v02_cercles.loc[v02_cercles["pcode"].str.startswith(target), "pcode"])
        else:
            target, basis = "", "no v02 unit found by name or rule"
        rows.append(_row(region, 1, target, covered, basis))
        for cercle in own.itertuples():
            same = by_name.get(_key(cercle.name))
            if same and same in covered:
                rows.append(_row(cercle, 2, same, [same], "same name as the v02 cercle"))
            else:
                where = target if len(covered) != 1 else covered[0]
                rows.append(_row(cercle, 2, where, covered, "new cercle (2023 reform): placed no finer than its region allows"))
    return pd.DataFrame(rows, columns=COLUMNS)


def _key(name: str) -> str:
    """A name as the two lists can be compared: folded, with known other spellings (Timbuktu) read as COD-AB's."""
    folded = fold(name)
    return ALIASES.get(folded, folded)


def _row(unit, level: int, target: str, covered: list[str], basis: str) -> dict:
    return {
        "v03_pcode": unit.pcode,
        "v03_name": unit.name,
        "v03_level": level,
        "v02_pcode": target,
        "v02_level": (level_of(target) or 0) if target else 0,
        "covers": ";".join(covered),
        "basis": basis,
    }


@lru_cache(maxsize=1)
def crosswalk() -> pd.DataFrame:
    """The crosswalk for the shipped P-code lists (geo/admin_units_v02.csv, geo/admin_units_v03.csv and the rules)."""
    geo = config.geo_dir()
    read = lambda name: pd.read_csv(geo / name, dtype=str, keep_default_na=False)  # noqa: E731
    v02, v03 = read("admin_units_v02.csv"), read("admin_units_v03.csv")
    v02["level"], v03["level"] = v02["level"].astype(int), v03["level"].astype(int)
    return build_crosswalk(v02, v03, read("crosswalk_v03_rules.csv"))
