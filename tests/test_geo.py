"""Boundaries (import, fetch, cache, simplification), gazetteer and joins."""

from __future__ import annotations

import json
import shutil
import threading
import zipfile
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon

from malimap.catalogue.build import attach_admin_units, build_catalogue
from malimap.counts.coverage import MapOptions, unit_coverage
from malimap.dataset import load_dataset
from malimap.geo import boundaries as bd
from malimap.geo.fetch import fetch_boundaries
from malimap.geo.gazetteer import Gazetteer, fold, resolve_place
from malimap.testing.tiny import catalogue, iv, loc

# ---------------------------------------------------------------- embedded default


def test_embedded_default_has_nine_polygons_and_ten_region_codes():
    b = bd.embedded_boundaries()
    assert b.source == "embedded" and b.levels == [1]
    assert len(b.layers[1]) == 9
    assert (b.units["level"] == 1).sum() == 10 and (b.units["level"] == 2).sum() == 53
    assert b.merged == {"ML10": "ML07"}
    assert b.layers[1].is_valid.all()


def test_active_boundaries_without_cache_is_embedded(tmp_path):
    assert bd.active_boundaries(tmp_path).source == "embedded"


def test_corrupt_cache_falls_back_with_warning(tmp_path):
    folder = tmp_path / "cod-ab"
    folder.mkdir()
    (folder / "meta.json").write_text('{"levels": [1], "vintage": "x", "attribution": "y"}')
    (folder / "regions.geojson").write_text("{not json")
    b = bd.active_boundaries(tmp_path)
    assert b.source == "embedded" and "unreadable" in b.warning


# ---------------------------------------------------------------- tiny polygons built here


def _cell(x: int, y: int) -> Polygon:
    """A unit square whose border with the row above has a tiny shared kink (something for simplification to remove)."""
    bottom = [(x, y), (x + 0.5, y + 0.001), (x + 1, y)] if y == 1 else [(x, y), (x + 1, y)]
    top = [(x + 1, y + 1), (x + 0.5, y + 1.001), (x, y + 1)] if y == 0 else [(x + 1, y + 1), (x, y + 1)]
    return Polygon(bottom + top)


def _grid(schema: str = "current") -> gpd.GeoDataFrame:
    """Four communes in two cercles of one region, sharing borders."""
    rows = []
    for i, (x, y) in enumerate([(0, 0), (1, 0), (0, 1), (1, 1)]):
        cercle = "ML0101" if x == 0 else "ML0102"
        rows.append(
            {
                "adm3_pcode": f"{cercle}0{i + 1}",
                "adm3_name": f"Commune {i + 1}",
                "adm2_pcode": cercle,
                "adm2_name": cercle,
                "adm1_pcode": "ML01",
                "adm1_name": "Kayes",
                "geometry": _cell(x, y),
            }
        )
    gdf = gpd.GeoDataFrame(rows, crs=4326)
    if schema == "legacy":
        gdf = gdf.rename(
            columns={
                "adm3_pcode": "ADM3_PCODE",
                "adm3_name": "ADM3_FR",
                "adm2_pcode": "ADM2_PCODE",
                "adm2_name": "ADM2_FR",
                "adm1_pcode": "ADM1_PCODE",
                "adm1_name": "ADM1_FR",
            }
        )
    return gdf


@pytest.mark.parametrize("schema", ["current", "legacy"])
def test_import_both_field_schemas_and_dissolve_missing_levels(tmp_path, schema):
    src = tmp_path / "communes.geojson"
    _grid(schema).to_file(src, driver="GeoJSON")
    meta = bd.import_boundaries(src, cache=tmp_path / "cache")
    assert meta["levels"] == [1, 2, 3]
    b = bd.cached_boundaries(tmp_path / "cache")
    assert len(b.layers[3]) == 4 and len(b.layers[2]) == 2 and len(b.layers[1]) == 1
    assert set(b.units.loc[b.units["level"] == 3, "name"]) == {f"Commune {i}" for i in range(1, 5)}


def test_import_zipped_shapefile_and_geopackage(tmp_path):
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    _grid("legacy").to_file(shp_dir / "mli_adm3.shp")
    zipped = tmp_path / "mli_adm3.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        for f in shp_dir.iterdir():
            z.write(f, f.name)
    assert bd.import_boundaries(zipped, cache=tmp_path / "c1")["sizes"]["commune"]["units"] == 4
    gpkg = tmp_path / "mli.gpkg"
    _grid().to_file(gpkg, layer="adm3", driver="GPKG")
    assert bd.import_boundaries(gpkg, cache=tmp_path / "c2")["sizes"]["commune"]["units"] == 4


def test_import_rejects_bad_fields_and_keeps_previous_cache(tmp_path):
    good = tmp_path / "good.geojson"
    _grid().to_file(good, driver="GeoJSON")
    bd.import_boundaries(good, cache=tmp_path / "cache")
    bad = _grid().rename(columns={"adm3_pcode": "code"}).drop(columns=["adm2_pcode", "adm1_pcode"])
    bad.to_file(tmp_path / "bad.geojson", driver="GeoJSON")
    with pytest.raises(bd.BoundaryError, match="no layer with adm1_pcode"):
        bd.import_boundaries(tmp_path / "bad.geojson", cache=tmp_path / "cache")
    wrong = _grid()
    wrong["adm3_pcode"] = "XX"
    wrong.to_file(tmp_path / "wrong.geojson", driver="GeoJSON")
    with pytest.raises(bd.BoundaryError, match="do not look like Mali level-3 codes"):
        bd.import_boundaries(tmp_path / "wrong.geojson", cache=tmp_path / "cache")
    assert len(bd.cached_boundaries(tmp_path / "cache").layers[3]) == 4


def test_coverage_simplification_keeps_shared_borders():
    gdf = _grid()
    gdf = gpd.GeoDataFrame({"pcode": gdf["adm3_pcode"], "name": gdf["adm3_name"]}, geometry=gdf.geometry)
    small = bd.simplify_layer(gdf, tolerance=0.01, decimals=3)
    geoms = list(small.geometry)
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            inter = geoms[i].intersection(geoms[j])
            assert inter.area < 1e-9  # no overlap
    assert abs(shapely.union_all(geoms).area - 4.0) < 1e-3  # no gap


# ---------------------------------------------------------------- the reference COD-AB copy


def test_reference_import_counts_and_sizes(cod_ab_cache):
    b = bd.cached_boundaries(cod_ab_cache)
    assert {lv: len(layer) for lv, layer in b.layers.items()} == {1: 10, 2: 53, 3: 701}
    sizes = b.meta["sizes"]
    assert sizes["commune"]["bytes_after"] < 400_000 < sizes["commune"]["bytes_before"]
    for level, layer in b.layers.items():
        assert layer.is_valid.all() and not layer.is_empty.any(), level


def test_reference_simplification_keeps_neighbours(cod_ab_cache, reference_geo):
    raw = gpd.read_file(reference_geo / "cercles_mali.geojson")
    small = bd.cached_boundaries(cod_ab_cache).layers[2].set_index("pcode").loc[raw["adm2_pcode"]]
    raw_pairs = {tuple(sorted(p)) for p in _touching(raw.geometry.values, raw["adm2_pcode"])}
    small_pairs = {tuple(sorted(p)) for p in _touching(small.geometry.values, small.index)}
    assert raw_pairs == small_pairs
    overlap = sum(a.intersection(b).area for (a, b) in _pairs(small.geometry.values))
    assert overlap < 1e-6


def _pairs(geoms):
    tree = shapely.STRtree(geoms)
    i, j = tree.query(geoms, predicate="intersects")
    return [(geoms[a], geoms[b]) for a, b in zip(i, j) if a < b]


def _touching(geoms, codes):
    codes = list(codes)
    tree = shapely.STRtree(geoms)
    i, j = tree.query(geoms, predicate="intersects")
    return [(codes[a], codes[b]) for a, b in zip(i, j) if a < b and geoms[a].intersection(geoms[b]).length > 0.01]


def test_every_reference_commune_and_cercle_resolves_to_itself(cod_ab_cache, reference_geo):
    g = Gazetteer(bd.cached_boundaries(cod_ab_cache).units)
    communes = gpd.read_file(reference_geo / "communes_mali.geojson")
    wrong = [
        (r.adm3_name, r.adm3_pcode)
        for r in communes.itertuples()
        if (res := g.resolve(r.adm3_name, level=3, parent=r.adm2_pcode)).match is None or res.match.pcode != r.adm3_pcode
    ]
    assert wrong == [] and len(communes) == 701
    cercles = gpd.read_file(reference_geo / "cercles_mali.geojson")
    wrong = [r.adm2_name for r in cercles.itertuples() if g.resolve(f"cercle de {r.adm2_name}").match.pcode != r.adm2_pcode]
    assert wrong == [] and len(cercles) == 53


@pytest.mark.parametrize(
    "text,pcode,exact",
    [
        ("Tombouctou", "ML06", True),
        ("Timbuktu", "ML06", True),
        ("Ségou", "ML04", True),
        ("Segou", "ML04", True),
        ("région de Mopti", "ML05", True),
        ("cercle de Mopti", "ML0506", True),
        ("commune de Mopti", "ML050609", True),
        ("cercle de Kangaba", "ML0203", True),
        ("Cercle de Kangaba (région de Koulikoro)", "ML0203", True),
        ("Commune II du District de Bamako", "ML090102", True),
        ("commune 4 de Bamako", "ML090104", True),
        ("arrondissement de Fatoma", "ML050604", False),
        ("N'Tillit", "ML070305", True),
        ("N’TILLIT", "ML070305", True),
        ("Lowol-Guéou", "ML050111", True),
        ("District de Bamako", "ML09", True),
        ("cercle de Gao", "ML0703", True),
        ("Kayes", "ML01", True),
        ("GAO", "ML07", True),
    ],
)
def test_tricky_spellings(cod_ab_cache, text, pcode, exact):
    r = Gazetteer(bd.cached_boundaries(cod_ab_cache).units).resolve(text)
    assert r.match is not None and r.match.pcode == pcode and r.exact is exact, r


def test_part_of_a_name_is_matched_but_not_as_exact():
    r = resolve_place("Hôtel de l’Amitié, Bamako")
    assert r.match.pcode == "ML09" and not r.exact and "part of the name" in r.note
    r = resolve_place("Région de Kayes (Les Régionales de Capitale)")
    assert r.match.pcode == "ML01" and not r.exact


def test_same_name_at_several_levels_is_flagged(cod_ab_cache):
    r = Gazetteer(bd.cached_boundaries(cod_ab_cache).units).resolve("Mopti")
    assert r.ambiguous and r.match.level == 1 and {u.pcode for u, _ in r.suggestions} == {"ML0506", "ML050609"}


def test_unknown_place_gives_suggestions_not_a_crash():
    r = resolve_place("Kangabaa")
    assert r.match is None and r.suggestions and r.suggestions[0][0].pcode == "ML0203"
    assert resolve_place("").match is None and resolve_place("zzzzqqq").suggestions == ()


def test_gazetteer_stops_at_the_finest_level_available():
    r = resolve_place("commune de Fatoma")  # embedded default has no communes
    assert r.match is None and "stop at level 2" in r.note


def test_fold():
    assert fold("N’Tillit-Ségou (Région)") == "n tillit segou region"


# ---------------------------------------------------------------- HDX download, served locally


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def fake_hdx(tmp_path, reference_geo):
    """An HTTP server on 127.0.0.1 answering CKAN package_show and serving the reference files, as HDX does."""
    root = tmp_path / "hdx"
    (root / "api/3/action").mkdir(parents=True)
    (root / "dataset/cod-ab-mli/resource").mkdir(parents=True)
    for f in reference_geo.glob("*.geojson"):
        shutil.copy(f, root / "dataset/cod-ab-mli/resource" / f.name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    resources = [
        {"id": f.stem, "name": f.name, "format": "GeoJSON", "url": f"{base}/dataset/cod-ab-mli/resource/{f.name}"}
        for f in sorted(reference_geo.glob("*.geojson"))
    ]
    resources.append(
        {"id": "xlsx", "name": "mli_adminboundaries_tabulardata.xlsx", "format": "XLSX", "url": f"{base}/nothing.xlsx"}
    )
    (root / "api/3/action/package_show").write_text(
        json.dumps({"success": True, "result": {"name": "cod-ab-mli", "resources": resources}})
    )
    # SimpleHTTPRequestHandler ignores the query string, so /api/3/action/package_show?id=... serves the file above
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()


def test_fetch_from_local_hdx(fake_hdx, tmp_path):
    meta = fetch_boundaries(fake_hdx, cache=tmp_path / "cache", timeout=10)
    assert meta["sizes"]["commune"]["units"] == 701 and meta["vintage"] == "cod-ab-mli-v02"
    assert bd.active_boundaries(tmp_path / "cache").source == "cod-ab"


def test_fetch_offline_says_so_and_keeps_previous(tmp_path):
    src = tmp_path / "c.geojson"
    _grid().to_file(src, driver="GeoJSON")
    bd.import_boundaries(src, cache=tmp_path / "cache")
    with pytest.raises(bd.BoundaryError, match="offline"):
        fetch_boundaries("http://127.0.0.1:9", cache=tmp_path / "cache", timeout=2)
    assert len(bd.cached_boundaries(tmp_path / "cache").layers[3]) == 4


# ---------------------------------------------------------------- joins and aggregation


def test_joins_keep_outside_and_countrywide_apart():
    ds = load_dataset()
    cat = build_catalogue(ds, bd.embedded_boundaries())
    counts = cat.report.counts()
    assert counts["outside_mali"] == 1 and counts["unmatched"] == 0
    assert set(cat.report.outside_mali["country"]) == {"MA"}
    assert len(cat.locations) == len(ds.locations)


def test_zero_units_are_kept(cod_ab_cache):
    b = bd.cached_boundaries(cod_ab_cache)
    cat = build_catalogue(load_dataset(units=b.units), b)
    by_commune = unit_coverage(cat, cat.interventions, MapOptions(level=3)).units
    assert len(by_commune) == 701 and (by_commune["value"] == 0).sum() > 690
    assert by_commune.set_index("pcode").at["ML050604", "value"] == 1  # Fatoma
    by_region = unit_coverage(cat, cat.interventions, MapOptions(level=1)).units
    # Ménaka: the grassroots project and its own sub-grant component are one initiative
    assert len(by_region) == 10 and by_region.set_index("pcode").at["ML10", "value"] == 1


def test_point_in_polygon_join(tmp_path):
    src = tmp_path / "c.geojson"
    _grid().to_file(src, driver="GeoJSON")
    bd.import_boundaries(src, cache=tmp_path / "cache")
    b = bd.cached_boundaries(tmp_path / "cache")
    loc = pd.DataFrame(
        {
            "intervention_id": ["a", "b"],
            "place_name": ["x", "y"],
            "country": ["ML", "ML"],
            "pcode": ["", ""],
            "latitude": [1.5, 9.0],
            "longitude": [1.5, 9.0],
            "reach": ["activity"] * 2,
        }
    )
    out, report = attach_admin_units(loc, b)
    assert list(out["adm3_pcode"]) == ["ML010204", ""] and list(out["adm1_pcode"]) == ["ML01", ""]
    assert len(report.country_wide) == 1  # the point outside every polygon is reported, not dropped


def test_embedded_merges_menaka_into_gao():
    """The embedded default draws 9 polygons: Ménaka's records count in Gao's, and nothing is counted twice."""
    b = bd.embedded_boundaries()
    cat = catalogue(
        [iv("in-menaka"), iv("in-gao"), iv("from-gao"), iv("in-mopti")],
        [
            loc("in-menaka", "ML10"),
            loc("in-gao", "ML07"),
            loc("in-gao", "ML10"),
            loc("from-gao", "ML07", reach="participants_from"),
            loc("from-gao", "ML05"),
            loc("in-mopti", "ML05"),
        ],
        bounds=b,
    )
    counts = unit_coverage(cat, cat.interventions, MapOptions(level=1)).units.set_index("pcode")["value"]
    assert len(counts) == 9 and "ML10" not in counts.index
    assert counts["ML07"] == 2 and counts["ML05"] == 2 and counts.drop(["ML07", "ML05"]).eq(0).all()
