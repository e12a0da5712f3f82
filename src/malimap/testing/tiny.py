"""A catalogue small enough to reason about by hand, built in code: 2 regions, 3 cercles, a handful of records.

Region ML01 has cercles ML0101 and ML0102; region ML02 has a single cercle ML0201 (like Bamako).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from malimap.catalogue.build import Catalogue, build_catalogue
from malimap.dataset import Dataset, typed_tables
from malimap.geo.boundaries import Boundaries
from malimap.schema import level_of, load_schema

UNITS = pd.DataFrame(
    {
        "pcode": ["ML01", "ML02", "ML0101", "ML0102", "ML0201"],
        "name": ["Ségou", "Bamako", "Djenné", "Ténenkou", "Bamako"],
        "level": [1, 1, 2, 2, 2],
        "parent_pcode": ["", "", "ML01", "ML01", "ML02"],
    }
)
SHAPES = {"ML0101": box(0, 0, 1, 1), "ML0102": box(1, 0, 2, 1), "ML0201": box(2, 0, 2.2, 0.2)}


def boundaries() -> Boundaries:
    cercles = gpd.GeoDataFrame(
        {"pcode": list(SHAPES), "name": ["Djenné", "Ténenkou", "Bamako"]}, geometry=list(SHAPES.values()), crs=4326
    )
    regions = gpd.GeoDataFrame(
        {"pcode": ["ML01", "ML02"], "name": ["Ségou", "Bamako"]}, geometry=[box(0, 0, 2, 1), SHAPES["ML0201"]], crs=4326
    )
    return Boundaries("cod-ab", "cod-ab-mli-v02", "test boundaries", {1: regions, 2: cercles}, UNITS)


def _table(name: str, rows: list[dict]) -> pd.DataFrame:
    cols = load_schema()[name].columns
    return pd.DataFrame([{c: str(r.get(c, "")) for c in cols} for r in rows], columns=cols)


def iv(id_, kind="event", parent="", status="completed", start="", end="", **kw) -> dict:
    return {
        "id": id_,
        "kind": kind,
        "parent_id": parent,
        "title": id_,
        "title_fr": id_,
        "title_en": id_,
        "status": status,
        "start_date": start,
        "end_date": end,
        "dates_approximate": "false",
        "participants_approximate": "false",
        "source_id": "s1",
        "evidence": "quote",
        **kw,
    }


def loc(id_, pcode="", level="", reach="activity", country="ML") -> dict:
    return {
        "intervention_id": id_,
        "place_name": pcode or ("Mali" if country == "ML" else country),
        "country": country,
        "admin_level": level or str(level_of(pcode) or ""),
        "pcode": pcode,
        "precision": "4",
        "reach": reach,
        "source_id": "s1",
        "evidence": "quote",
    }


def catalogue(
    interventions: list[dict], locations: list[dict], participations: list[dict] | None = None, bounds: Boundaries | None = None
) -> Catalogue:
    tables = {
        "sources": _table("sources", [{"id": "s1", "file": "seed.txt", "title": "Seed", "language": "fr"}]),
        "themes": _table("themes", [{"code": "dialogue", "label_fr": "Dialogue", "label_en": "Dialogue"}]),
        "organisations": _table(
            "organisations",
            [
                {"id": o, "name": o.upper(), "type": ty}
                for o, ty in (("a", "international_ngo"), ("b", "national_ngo"), ("f", "government_donor"))
            ],
        ),
        "interventions": _table("interventions", interventions),
        "participations": _table("participations", participations or []),
        "locations": _table("locations", locations),
        "conflicts": _table("conflicts", []),
        "finances": _table("finances", []),
    }
    return build_catalogue(Dataset(**typed_tables(tables)), bounds or boundaries())


def part(iv_id: str, org: str, role: str) -> dict:
    return {"intervention_id": iv_id, "organisation_id": org, "role": role, "source_id": "s1", "evidence": "q"}


# proj (2015-2017, Djenné, implemented by A, funded by F) has a workshop (Mar 2016, Djenné, B) that inherits F;
# talk (2018, held in Bamako, beneficiaries in Ténenkou, people from Djenné); plan (planned, 2020, Ténenkou, theme
# dialogue); undated (no dates, region Ségou only); abroad (2016, Morocco).
SAMPLE_RECORDS = [
    iv("proj", "project", start="2015", end="2017", themes="dialogue"),
    iv("ws", parent="proj", start="2016-03"),
    iv("talk", start="2018-05-02", end="2018-05-03"),
    iv("plan", status="planned", start="2020", themes="dialogue"),
    iv("undated", "programme"),
    iv("abroad", start="2016"),
]
SAMPLE_PLACES = [
    loc("proj", "ML0101"),
    loc("ws", "ML0101"),
    loc("talk", "ML02"),
    loc("talk", "ML0102", reach="beneficiaries"),
    loc("talk", "ML0101", reach="participants_from"),
    loc("plan", "ML0102"),
    loc("undated", "ML01"),
    loc("abroad", country="MA"),
]


SAMPLE_PARTS = [
    part("proj", "a", "implementer"),
    part("proj", "f", "funder"),
    part("ws", "b", "implementer"),
    part("talk", "b", "convener"),
    part("abroad", "a", "funder"),
]


def sample_catalogue() -> Catalogue:
    """Six records covering durations, inheritance, reach kinds, abroad and undated (the filter and export tests' data)."""
    return catalogue(SAMPLE_RECORDS, SAMPLE_PLACES, SAMPLE_PARTS)
