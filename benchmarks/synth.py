"""Deterministic synthetic data packages at national 3W scale, spread over the 701 COD-AB communes."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(os.environ.get("MALIMAP_REFERENCE_GEO", ROOT.parent / "shared" / "reference" / "geo"))
ROLES = ["funder", "implementer", "partner", "convener", "participant", "technical_assistance"]
ORG_TYPES = ["local_cso", "national_ngo", "international_ngo", "network", "government", "government_donor", "multilateral"]
STATUSES = ["planned", "ongoing", "completed", "unknown"]
VERSION = 2  # bump when the generated packages change, so cached ones are made again


def is_current(folder: Path) -> bool:
    meta = folder / "synthetic.json"
    return meta.exists() and json.loads(meta.read_text()).get("version") == VERSION


def reference_available() -> bool:
    return (REFERENCE / "communes_mali.geojson").exists()


def synthetic_boundaries(folder: Path) -> Path:
    """Where the reference COD-AB copy is absent (CI): a 701-commune grid over Mali's extent in the current schema,
    so the pipeline runs end to end; figures from it are labelled as such, never reported as COD-AB ones."""
    folder.mkdir(parents=True, exist_ok=True)
    xs, ys = np.linspace(-12, 4, 28), np.linspace(10, 25, 27)  # 27 × 26 = 702 cells, the first 701 kept
    cells = [box(x0, y0, x1, y1) for x0, x1 in zip(xs[:-1], xs[1:]) for y0, y1 in zip(ys[:-1], ys[1:])][:701]
    rows = []
    for i, g in enumerate(cells):  # 10 regions of ≤ 71 cells, 6 cercles of ≤ 14 communes each: every P-code distinct
        r, c, k = i // 71 + 1, (i % 71) // 14 + 1, (i % 71) % 14 + 1
        rows.append(
            {
                "adm3_pcode": f"ML{r:02d}{c:02d}{k:02d}",
                "adm3_name": f"Commune {i}",
                "adm2_pcode": f"ML{r:02d}{c:02d}",
                "adm1_pcode": f"ML{r:02d}",
                "geometry": g,
            }
        )
    gdf = gpd.GeoDataFrame(rows, crs=4326).drop_duplicates("adm3_pcode")
    gdf.to_file(folder / "communes_synthetic.geojson", driver="GeoJSON")
    return folder


def communes(reference: Path) -> pd.DataFrame:
    path = reference / "communes_mali.geojson"
    if not path.exists():
        path = next(reference.glob("communes*.geojson"))
    gdf = gpd.read_file(path)
    return pd.DataFrame({"pcode": gdf["adm3_pcode"], "name": gdf.get("adm3_name", gdf["adm3_pcode"])})


def _date(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    year = rng.integers(2012, 2025, n)
    month = rng.integers(1, 13, n)
    day = rng.integers(1, 29, n)
    precision = rng.choice(["year", "month", "day"], n, p=[0.2, 0.3, 0.5])
    dur = rng.integers(0, 900, n)
    start = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}))
    end = start + pd.to_timedelta(dur, unit="D")
    fmt = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}
    s = np.array([d.strftime(fmt[p]) for d, p in zip(start, precision)])
    e = np.array([d.strftime(fmt[p]) if d.year >= int(x[:4]) else "" for d, p, x in zip(end, precision, s)])
    no_end = rng.random(n) < 0.3
    e[no_end] = ""
    return s, e


def generate(n: int, out: Path, reference: Path = REFERENCE, seed: int = 2024) -> Path:
    """A valid data package with n interventions (programmes, projects, events) at commune, cercle and region level."""
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    units = communes(reference)
    shutil.copy(ROOT / "data" / "datapackage.json", out / "datapackage.json")
    shutil.copy(ROOT / "data" / "themes.csv", out / "themes.csv")
    themes = pd.read_csv(ROOT / "data" / "themes.csv")["code"].to_numpy()
    pd.DataFrame(
        [
            {
                "id": "s900",
                "file": "synthetic.txt",
                "title": "Synthetic benchmark data",
                "publisher": "",
                "published": "",
                "language": "fr",
                "url": "",
                "notes": f"generated with seed {seed}",
            }
        ]
    ).to_csv(out / "sources.csv", index=False)
    n_org = max(20, min(3000, n // 20))
    orgs = pd.DataFrame(
        {
            "id": [f"org-{i}" for i in range(n_org)],
            "name": [f"Organisation {i}" for i in range(n_org)],
            "acronym": [f"O{i}" for i in range(n_org)],
            "aliases": [f"Organisation {i}; ORG {i}" for i in range(n_org)],
            "type": rng.choice(ORG_TYPES, n_org),
            "country": "ML",
            "notes": "",
        }
    )
    orgs.to_csv(out / "organisations.csv", index=False)
    kind = rng.choice(["programme", "project", "event"], n, p=[0.05, 0.35, 0.6])
    ids = np.array([f"iv-{i}" for i in range(n)])
    programmes = ids[kind == "programme"]
    projects = ids[kind == "project"]
    parent = np.where(
        kind == "event",
        rng.choice(projects, n) if len(projects) else "",
        np.where(
            (kind == "project") & (rng.random(n) < 0.6) & (len(programmes) > 0),
            rng.choice(programmes, n) if len(programmes) else "",
            "",
        ),
    )
    start, end = _date(rng, n)
    theme_str = [";".join(sorted(set(rng.choice(themes, rng.integers(1, 4))))) for _ in range(n)]
    iv = pd.DataFrame(
        {
            "id": ids,
            "kind": kind,
            "event_type": np.where(kind == "event", rng.choice(["workshop", "dialogue", "training"], n), ""),
            "parent_id": parent,
            "title": [f"Intervention {i}" for i in range(n)],
            "title_fr": [f"Intervention {i}" for i in range(n)],
            "title_en": [f"Intervention {i}" for i in range(n)],
            "summary_fr": "",
            "summary_en": "",
            "status": rng.choice(STATUSES, n),
            "start_date": start,
            "end_date": end,
            "dates_approximate": "false",
            "themes": theme_str,
            "participants": "",
            "participants_approximate": "false",
            "budget_amount": "",
            "budget_currency": "",
            "source_id": "s900",
            "evidence": "synthetic",
            "notes": "",
        }
    )
    iv.to_csv(out / "interventions.csv", index=False)
    k = rng.integers(1, 4, n)
    p_iv = np.repeat(ids, k)
    p_org = rng.integers(0, n_org, len(p_iv))
    p_role = rng.choice(ROLES, len(p_iv), p=[0.25, 0.35, 0.15, 0.1, 0.1, 0.05])
    parts = pd.DataFrame(
        {
            "intervention_id": p_iv,
            "organisation_id": [f"org-{o}" for o in p_org],
            "role": p_role,
            "source_id": "s900",
            "evidence": "synthetic",
        }
    ).drop_duplicates(["intervention_id", "organisation_id", "role"])
    parts.to_csv(out / "participations.csv", index=False)
    m = rng.integers(1, 3, n)
    l_iv = np.repeat(ids, m)
    commune = units["pcode"].to_numpy()[rng.integers(0, len(units), len(l_iv))]
    level = rng.choice([1, 2, 3], len(l_iv), p=[0.15, 0.25, 0.6])
    pcode = np.array([c[: {1: 4, 2: 6, 3: 8}[lv]] for c, lv in zip(commune, level)])
    locs = pd.DataFrame(
        {
            "intervention_id": l_iv,
            "place_name": [f"Place {p}" for p in pcode],
            "country": "ML",
            "admin_level": level,
            "pcode": pcode,
            "pcode_vintage": "cod-ab-mli-v02",
            "latitude": "",
            "longitude": "",
            "precision": np.where(level == 1, 4, 3),
            "reach": "activity",
            "source_id": "s900",
            "evidence": "synthetic",
            "notes": "",
        }
    ).drop_duplicates(["intervention_id", "place_name", "reach"])
    locs.to_csv(out / "locations.csv", index=False)
    pd.DataFrame(columns=["id", "table", "record_id", "field", "claim", "source_id", "evidence", "note"]).to_csv(
        out / "conflicts.csv", index=False
    )
    (out / "synthetic.json").write_text(
        json.dumps(
            {
                "version": VERSION,
                "n": n,
                "seed": seed,
                "organisations": n_org,
                "participations": len(parts),
                "locations": len(locs),
                "reference": str(reference),
            }
        )
    )
    return out


def curated_label() -> str:
    """The shipped dataset as the benchmark tables name it, with its current number of interventions."""
    with open(ROOT / "data" / "interventions.csv", encoding="utf-8", newline="") as fh:
        n = sum(1 for _ in csv.DictReader(fh))
    return f"curated ({n} records)"
