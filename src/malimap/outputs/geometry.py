"""The boundaries as the browser and the exports need them: each level's simplified geometry written once under its
content hash (fetched once, kept in the browser's storage), the map module's files published beside it, and values
derived from a layer's geometry (points inside units, bounds) computed once per shared layer."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path

import geopandas as gpd

_LAYER_CACHE: dict[tuple[int, str], tuple[object, object]] = {}
LAYER_CACHE_SIZE = 32  # (layer, value) pairs: 3 levels x a handful of values, for the current and a few past boundaries


def _per_layer(layer: gpd.GeoDataFrame, what: str, build):
    """Geometry-derived values computed once per (immutable, shared) boundary layer."""
    key = (id(layer), what)
    hit = _LAYER_CACHE.get(key)
    if hit is None or hit[0] is not layer:
        while len(_LAYER_CACHE) >= LAYER_CACHE_SIZE:  # boundaries imported again and again: the oldest entries go
            _LAYER_CACHE.pop(next(iter(_LAYER_CACHE)))
        hit = _LAYER_CACHE[key] = (layer, build(layer))
    return hit[1]


def _centres(layer: gpd.GeoDataFrame) -> dict[str, tuple[float, float]]:
    reps = layer.set_index("pcode").geometry.representative_point()
    return {p: (round(pt.y, 4), round(pt.x, 4)) for p, pt in reps.items()}


def unit_centres(layer: gpd.GeoDataFrame) -> dict[str, tuple[float, float]]:
    """pcode -> (lat, lon) of a point inside each unit, computed once per shared layer (markers, labels, exports)."""
    return _per_layer(layer, "centres", _centres)


def _unit_bounds(layer: gpd.GeoDataFrame) -> dict[str, tuple[float, float, float, float]]:
    b = layer.geometry.bounds
    return {p: (float(r[0]), float(r[1]), float(r[2]), float(r[3])) for p, r in zip(layer["pcode"], b.itertuples(index=False))}


def unit_bounds(layer: gpd.GeoDataFrame) -> dict[str, tuple[float, float, float, float]]:
    """pcode -> (west, south, east, north), once per shared layer (the frame a place filter chooses)."""
    return _per_layer(layer, "bounds", _unit_bounds)


def geometry_payload(layer: gpd.GeoDataFrame, level: int) -> tuple[str, bytes]:
    """(key, file bytes) of a level's geometry for the browser: compact GeoJSON, features in layer order, named by hash."""

    def build(lyr):
        feats = json.loads(lyr[["pcode", "name", "geometry"]].rename(columns={"pcode": "p", "name": "n"}).to_json(drop_id=True))
        body = json.dumps(feats, ensure_ascii=False, separators=(",", ":")).encode()
        return f"{level}-{hashlib.sha1(body).hexdigest()[:16]}", body

    return _per_layer(layer, f"payload{level}", build)


WEB_SOURCE = Path(__file__).parents[1] / "web"  # malimap/web
WEB_FILES = ("mapview.js", "mapview.css")


def _write_if_changed(path: Path, body: bytes) -> None:
    """Atomic, so a browser (or another server process) never reads half a file."""
    if path.exists() and path.read_bytes() == body:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(body)
    os.replace(tmp, path)


@functools.cache
def web_version() -> str:
    """A hash of the map's module and CSS: the browser keeps them across visits and fetches them again once changed."""
    digest = hashlib.sha256(b"".join((WEB_SOURCE / name).read_bytes() for name in WEB_FILES))
    return digest.hexdigest()[:12]


def publish_web(folder: Path) -> Path:
    """The map view's page, script and style, copied where Streamlit serves the component from."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in WEB_FILES:
        _write_if_changed(folder / name, (WEB_SOURCE / name).read_bytes())
    return folder


def publish_geometry(folder: Path, layer: gpd.GeoDataFrame, level: int) -> dict[str, str]:
    """Write a level's geometry once under a content-hashed name; the browser fetches it once and keeps it."""
    key, body = geometry_payload(layer, level)
    path = folder / f"geo-{key}.json"
    try:
        seen = path.stat()
        stamp = (seen.st_size, seen.st_mtime_ns, seen.st_ino)
    except OSError:
        stamp = None
    if stamp is None or _VERIFIED.get(path) != stamp:  # checked once per file version, not on every rerun
        _write_if_changed(path, body)  # a truncated or altered file is rewritten (its content must be its name's hash)
        seen = path.stat()
        _VERIFIED[path] = (seen.st_size, seen.st_mtime_ns, seen.st_ino)
    return {"url": path.name, "key": key}


_VERIFIED: dict[Path, tuple[int, int, int]] = {}  # geometry files whose bytes were compared, by their stat
