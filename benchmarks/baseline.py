"""The textbook Streamlit + folium way, kept as the yardstick: raw boundary file read on every call, unsimplified
geometry in a folium.GeoJson, row-wise Python filtering and counting. Do not use in the app."""

from __future__ import annotations

from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd

LEVEL_FILES = {1: "regions_mali.geojson", 2: "cercles_mali.geojson", 3: "communes_mali.geojson"}


def boundary_file(reference: Path, level: int) -> Path:
    path = reference / LEVEL_FILES[level]
    return path if path.exists() else next(reference.glob("*.geojson"))


def load(path: Path) -> dict[str, pd.DataFrame]:
    return {
        name: pd.read_csv(path / f"{name}.csv", dtype=str).fillna("")
        for name in ("interventions", "participations", "locations", "organisations")
    }


def filter_rows(tables: dict[str, pd.DataFrame], theme: str, year_from: int, year_to: int) -> pd.DataFrame:
    keep = []
    for _, row in tables["interventions"].iterrows():
        if theme not in row["themes"].split(";"):
            continue
        start = int(row["start_date"][:4]) if row["start_date"] else None
        end = int(row["end_date"][:4]) if row["end_date"] else start
        if start is None or start > year_to or end < year_from:
            continue
        keep.append(row)
    return pd.DataFrame(keep)


def count_rows(tables: dict[str, pd.DataFrame], filtered: pd.DataFrame, level: int) -> dict[str, int]:
    ids = set(filtered["id"]) if len(filtered) else set()
    n = {1: 4, 2: 6, 3: 8}[level]
    counts: dict[str, set] = {}
    for _, loc in tables["locations"].iterrows():
        if loc["intervention_id"] in ids and len(loc["pcode"]) >= n:
            counts.setdefault(loc["pcode"][:n], set()).add(loc["intervention_id"])
    return {k: len(v) for k, v in counts.items()}


def build_map(reference: Path, level: int, counts: dict[str, int]) -> folium.Map:
    gdf = gpd.read_file(boundary_file(reference, level))
    code = f"adm{level}_pcode" if f"adm{level}_pcode" in gdf else next(c for c in gdf.columns if c.endswith("pcode"))
    gdf["value"] = gdf[code].map(counts).fillna(0).astype(int)
    gdf = gdf.drop(columns=[c for c in gdf.columns if str(gdf[c].dtype).startswith("datetime")])
    m = folium.Map(location=[17.5, -4.0], zoom_start=5)
    top = max(gdf["value"].max(), 1)
    folium.GeoJson(
        gdf,
        style_function=lambda f: {
            "fillColor": "#31a354" if f["properties"]["value"] else "#f7f7f7",
            "fillOpacity": 0.2 + 0.6 * f["properties"]["value"] / top,
            "weight": 1,
        },
        tooltip=folium.GeoJsonTooltip(fields=[code, "value"]),
    ).add_to(m)
    return m


def page(data: Path, reference: Path, level: int, theme: str, year_from: int, year_to: int) -> str:
    """One rerun of the textbook page: everything again, from the files."""
    tables = load(data)
    filtered = filter_rows(tables, theme, year_from, year_to)
    return build_map(reference, level, count_rows(tables, filtered, level)).get_root().render()
