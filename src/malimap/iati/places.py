"""Where an IATI activity's work is, read as the units of the active boundaries, and how each place was found.

Order of evidence for one `location`: a country-level default (Mali's centroid, feature PCLI, a place named only
"Mali") means Mali-wide; an office building is not the place of the work; a point is placed by point-in-polygon (or is
abroad); then administrative codes that are Mali P-codes (ML or MLI); then the name, through the gazetteer. An activity
with no location at all is Mali-wide. Nothing is guessed: what none of these places stays unresolved, and is said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd
import shapely

from malimap.geo.boundaries import Boundaries
from malimap.geo.gazetteer import Gazetteer, Resolution, fold
from malimap.iati.read import Activity, Location
from malimap.schema import PCODE_LENGTH, level_of

# Mali's centre as IATI publishers write it when they mean "the whole country" (the usual published centroid, and the
# geometric centre of the national outline is added at run time); within this many degrees counts as the same point.
PUBLISHED_CENTROIDS = ((17.570692, -3.996166), (17.0, -4.0))
CENTROID_TOLERANCE = 0.25
BORDER_TOLERANCE = 0.1  # degrees: a point this close outside the drawn outline is read as the nearest unit, and said
COUNTRY_FEATURES = {"PCLI", "PCL", "PCLD", "PCLF", "PCLS", "ADM0"}
ADMIN_FEATURES = {"ADM1": 1, "ADM2": 2, "ADM3": 3}
OFFICE_FEATURES = {"BLDO", "BLDG", "ADMF", "GOVL"}
MALI_NAMES = {"mali", "republique du mali", "republic of mali", "le mali", "tout le mali", "national", "nationwide"}
PCODE_RE = re.compile(r"^MLI?(\d{2,6})$", re.IGNORECASE)


@dataclass(frozen=True)
class Placed:
    """One location of an activity as the package records it; `how` says how it was found (the report counts by it)."""

    how: str  # point, border, pcode, name, fuzzy, mali_wide, no_location, abroad, office, unresolved
    place_name: str
    reach: str = "activity"
    pcode: str = ""
    level: int | None = None
    country: str = "ML"
    precision: int = 9
    lat: float | None = None
    lng: float | None = None
    note: str = ""
    evidence: str = ""

    @property
    def kept(self) -> bool:
        """Written as a location row: a unit, Mali as a whole, or a place abroad (never an office or an unresolved name)."""
        return self.how not in ("office", "unresolved")


class Placer:
    """Point-in-polygon and names against one set of boundaries; built once per import."""

    def __init__(self, boundaries: Boundaries):
        self.gazetteer = Gazetteer(boundaries.units)
        self.resolved: dict[tuple[str, int | None], Resolution] = {}
        self.units = set(boundaries.units["pcode"])
        self.finest = boundaries.finest_level
        level = boundaries.finest_drawn_level
        layer = boundaries.layers[level]
        self.layer_codes = layer["pcode"].to_numpy()
        self.tree = shapely.STRtree(layer.geometry.to_numpy())
        self.geoms = layer.geometry.to_numpy()
        self.mali = shapely.union_all(self.geoms)
        centre = self.mali.centroid
        self.centroids = (*PUBLISHED_CENTROIDS, (centre.y, centre.x))

    def place(self, activity: Activity) -> list[Placed]:
        if not activity.locations:
            return [Placed("no_location", "Mali", country="ML", precision=6, note="no location given: Mali as a whole")]
        return [self.location(loc) for loc in activity.locations]

    def location(self, loc: Location) -> Placed:
        name = loc.name or loc.description
        reach = "beneficiaries" if loc.reach == "2" else "activity"
        base: dict[str, Any] = {"place_name": name, "reach": reach, "evidence": loc.evidence}
        if loc.pos:
            base |= {"lat": round(loc.pos[0], 6), "lng": round(loc.pos[1], 6)}
        if self._country_level(loc):  # its point, if any, is a default for "the country", not a place: not kept as one
            said = f" (point {loc.pos[0]}, {loc.pos[1]})" if loc.pos else ""
            fields = {**base, "place_name": name or "Mali", "lat": None, "lng": None}
            return Placed("mali_wide", **fields, precision=6, note=f"a country-level location{said}: Mali as a whole")
        if loc.feature.upper() in OFFICE_FEATURES or loc.location_class == "3":
            unit = self._point_unit(loc.pos)[0] if loc.pos else ""
            return Placed("office", **base, pcode=unit, note="an office building, not the place of the work")
        if loc.pos:
            return self._by_point(loc, base)
        for vocab, _level, code in loc.administrative:
            hit = self._pcode(code)
            if hit:
                return Placed("pcode", **base, pcode=hit, level=level_of(hit), precision=4 if level_of(hit) == 1 else 3,
                              note=f"administrative code {code}" + (f" (vocabulary {vocab})" if vocab else ""))  # fmt: skip
        if name:
            return self._by_name(name, base, loc)
        ids = ", ".join(f"{v or '?'}:{c}" for v, c in loc.ids) or "no name, point or code"
        return Placed("unresolved", **base, note=f"location with {ids}: no name, point or Mali P-code to place it")

    def _country_level(self, loc: Location) -> bool:
        if loc.feature.upper() in COUNTRY_FEATURES or fold(loc.name) in MALI_NAMES:
            return True
        if any(v == "A4" and c.upper() in ("ML", "MLI") for v, _, c in loc.administrative):
            return True
        if loc.pos and any(abs(loc.pos[0] - la) <= CENTROID_TOLERANCE and abs(loc.pos[1] - lo) <= CENTROID_TOLERANCE
                           for la, lo in self.centroids):  # fmt: skip
            return True
        return False

    def _point_unit(self, pos: tuple[float, float]) -> tuple[str, str]:
        """(P-code of the finest drawn unit holding the point, '' inside / 'border' near the outline / 'abroad')."""
        point = shapely.Point(pos[1], pos[0])
        hits = self.tree.query(point, predicate="within")
        if len(hits):
            return str(self.layer_codes[hits[0]]), ""
        if shapely.distance(self.mali, point) <= BORDER_TOLERANCE:
            nearest = self.tree.nearest(point)
            return str(self.layer_codes[nearest]), "border"
        return "", "abroad"

    def _by_point(self, loc: Location, base: dict[str, Any]) -> Placed:
        assert loc.pos is not None
        code, where = self._point_unit(loc.pos)
        if where == "abroad":
            country = next((c.upper() for v, _, c in loc.administrative if v == "A4" and len(c) == 2), "")
            said = f"in {country}" if country else "country not given"
            return Placed("abroad", **base, country=country, note=f"point {loc.pos[0]}, {loc.pos[1]} is outside Mali ({said})")
        level = ADMIN_FEATURES.get(loc.feature.upper()) or (1 if loc.location_class == "1" else None)
        if level and level < (level_of(code) or 1):
            code = code[: PCODE_LENGTH[level]]  # the point stands for a whole region or cercle: no finer than that
        lv = level_of(code)
        precision = (4 if lv == 1 else 3) if level else (2 if loc.exactness in ("", "1") else 5)
        note = f"point {loc.pos[0]}, {loc.pos[1]} lies in {code}"
        if where == "border":
            note += f" (just outside the drawn outline, within {BORDER_TOLERANCE}°: the nearest unit)"
            precision = 5
        if loc.exactness in ("2", "3"):
            note += "; the publisher marks the point " + ("approximate" if loc.exactness == "2" else "extrapolated")
        return Placed("border" if where else "point", **base, pcode=code, level=lv, precision=precision, note=note)

    def _pcode(self, code: str) -> str:
        m = PCODE_RE.match(code.strip())
        if not m:
            return ""
        pcode = "ML" + m.group(1)
        if level_of(pcode) and level_of(pcode) > self.finest:  # type: ignore[operator]
            pcode = pcode[: PCODE_LENGTH[self.finest]]
        return pcode if pcode in self.units else ""

    def _by_name(self, name: str, base: dict[str, Any], loc: Location) -> Placed:
        level = ADMIN_FEATURES.get(loc.feature.upper()) or next(
            (int(lv) for _, lv, _ in loc.administrative if lv in ("1", "2", "3")), None
        )
        key = (name, level)
        if key not in self.resolved:  # publishers repeat the same few names thousands of times
            self.resolved[key] = self.gazetteer.resolve(name, level)
        r = self.resolved[key]
        if r.match is not None:
            unit = r.match
            # one name for a region and its cercle (Kayes, Mopti): the coarser unit is what the name surely covers
            how = "name" if r.exact else "fuzzy"
            precision = (4 if unit.level == 1 else 3) if r.exact else 5
            note = f"named '{name}'" + (f": {r.note}" if r.note else "")
            return Placed(how, **base, pcode=unit.pcode, level=unit.level, precision=precision, note=note)
        ids = ", ".join(f"{v or '?'}:{c}" for v, c in loc.ids)
        hint = f"; did you mean {r.suggestions[0][0].name} ({r.suggestions[0][0].pcode})?" if r.suggestions else ""
        return Placed("unresolved", **base, note=f"'{name}' is no unit we know" + (f" ({ids})" if ids else "") + hint)


def places_summary(placed: list[Placed]) -> str:
    return "; ".join(f"{p.how}" + (f" {p.pcode}" if p.pcode else "") + (f" ({p.country})" if p.how == "abroad" and p.country else "")
                     for p in placed)  # fmt: skip


def count_by_how(all_placed: list[list[Placed]]) -> pd.Series:
    return pd.Series([p.how for ps in all_placed for p in ps], dtype=object).value_counts()
