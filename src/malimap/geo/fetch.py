"""COD-AB Mali fetched from HDX's CKAN API when online; offline, the import path is the one that works."""

from __future__ import annotations

import json
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from malimap import config
from malimap.config import VINTAGE
from malimap.geo.boundaries import BoundaryError, import_boundaries

TIMEOUT = 30  # seconds per HDX request

PREFERRED_FORMATS = ("geojson", "gpkg", "geopackage", "shp", "zipped shapefile")


def _get(url: str, timeout: float) -> bytes:
    req = urllib.request.Request(url, headers={"User-Agent": "malimap"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.read()


def _pick_resources(resources: list[dict]) -> list[dict]:
    by_format: dict[str, list[dict]] = {}
    for r in resources:
        by_format.setdefault((r.get("format") or "").strip().lower(), []).append(r)
    for fmt in PREFERRED_FORMATS:
        if fmt in by_format:
            return by_format[fmt]
    return []


def fetch_boundaries(
    base_url: str | None = None, dataset: str = "cod-ab-mli", cache: Path | None = None, timeout: float = TIMEOUT
) -> dict:
    """Find COD-AB Mali through HDX's CKAN API, download its boundary resources and import them."""
    base = (base_url or config.setting("hdx_url")).rstrip("/")
    api = f"{base}/api/3/action/package_show?id={urllib.parse.quote(dataset)}"
    try:
        package = json.loads(_get(api, timeout))
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise BoundaryError(
            f"Cannot reach HDX at {base} ({getattr(exc, 'reason', exc)}). "
            "You seem to be offline: the app keeps its current boundaries. "
            "If you have the COD-AB files, run: python -m malimap boundaries import PATH"
        ) from exc
    except json.JSONDecodeError as exc:
        raise BoundaryError(f"HDX answered {api} with something that is not JSON") from exc
    if not package.get("success"):
        raise BoundaryError(f"HDX has no dataset {dataset!r}: {package.get('error')}")
    result = package["result"]
    picked = _pick_resources(result.get("resources", []))
    if not picked:
        raise BoundaryError(f"HDX dataset {dataset!r} lists no GeoJSON, GeoPackage or shapefile resource")
    with tempfile.TemporaryDirectory() as tmp:
        for r in picked:
            name = Path(urllib.parse.urlparse(r["url"]).path).name or f"{r.get('id', 'resource')}.geojson"
            try:
                (Path(tmp) / name).write_bytes(_get(r["url"], timeout))
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                raise BoundaryError(
                    f"Download of {r['url']} failed ({getattr(exc, 'reason', exc)}); previous boundaries are unchanged"
                ) from exc
        version = next((str(t) for t in [result.get("version"), result.get("dataset_date")] if t), "")
        vintage = VINTAGE if "v02" in version or not version else f"cod-ab-mli-{version}"
        return import_boundaries(Path(tmp), cache=cache, vintage=vintage, origin=f"HDX {dataset}")
