"""A catalogue small enough to reason about by hand, built in code: 2 regions, 3 cercles, a handful of records.

Region ML01 has cercles ML0101 and ML0102; region ML02 has a single cercle ML0201 (like Bamako).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from malimap.boundaries import Boundaries
from malimap.dataset import Dataset, typed_tables
from malimap.joins import Catalogue, build_catalogue
from malimap.schema import load_schema

UNITS = pd.DataFrame({
    "pcode": ["ML01", "ML02", "ML0101", "ML0102", "ML0201"],
    "name": ["Ségou", "Bamako", "Djenné", "Ténenkou", "Bamako"],
    "level": [1, 1, 2, 2, 2],
    "parent_pcode": ["", "", "ML01", "ML01", "ML02"],
})
SHAPES = {"ML0101": box(0, 0, 1, 1), "ML0102": box(1, 0, 2, 1), "ML0201": box(2, 0, 2.2, 0.2)}


def boundaries() -> Boundaries:
    cercles = gpd.GeoDataFrame({"pcode": list(SHAPES), "name": ["Djenné", "Ténenkou", "Bamako"]},
                               geometry=list(SHAPES.values()), crs=4326)
    regions = gpd.GeoDataFrame({"pcode": ["ML01", "ML02"], "name": ["Ségou", "Bamako"]},
                               geometry=[box(0, 0, 2, 1), SHAPES["ML0201"]], crs=4326)
    return Boundaries("cod-ab", "cod-ab-mli-v02", "test boundaries", {1: regions, 2: cercles}, UNITS)


def _table(name: str, rows: list[dict]) -> pd.DataFrame:
    cols = load_schema()[name].columns
    return pd.DataFrame([{c: str(r.get(c, "")) for c in cols} for r in rows], columns=cols)


def iv(id_, kind="event", parent="", status="completed", start="", end="", **kw) -> dict:
    return {"id": id_, "kind": kind, "parent_id": parent, "title": id_, "title_fr": id_, "title_en": id_, "status": status,
            "start_date": start, "end_date": end, "dates_approximate": "false", "participants_approximate": "false",
            "source_id": "s1", "evidence": "quote", **kw}


def loc(id_, pcode="", level="", reach="activity", country="ML") -> dict:
    return {"intervention_id": id_, "place_name": pcode or "Mali", "country": country, "admin_level": level or
            {4: "1", 6: "2", 8: "3"}.get(len(pcode), ""), "pcode": pcode, "precision": "4", "reach": reach, "source_id": "s1",
            "evidence": "quote"}


def catalogue(interventions: list[dict], locations: list[dict], participations: list[dict] | None = None) -> Catalogue:
    tables = {
        "sources": _table("sources", [{"id": "s1", "file": "seed.txt", "title": "Seed", "language": "fr"}]),
        "themes": _table("themes", [{"code": "dialogue", "label_fr": "Dialogue", "label_en": "Dialogue"}]),
        "organisations": _table("organisations", [{"id": o, "name": o.upper(), "type": "ngo"} for o in ("a", "b", "f")]),
        "interventions": _table("interventions", interventions),
        "participations": _table("participations", participations or []),
        "locations": _table("locations", locations),
        "conflicts": _table("conflicts", []),
    }
    return build_catalogue(Dataset(**typed_tables(tables)), boundaries())
