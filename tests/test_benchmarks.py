"""Keep the benchmark and the load test working (their full runs are documented in the README)."""

from __future__ import annotations

import pytest

from malimap.testing.browser import ROOT, require_browser


def test_quick_benchmark_runs(tmp_path, capsys):
    from benchmarks.run import main

    assert main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "| map bytes per rerun, commune |" in out and "commune map values per rerun ≤ 30 KB (1,000) |" in out
    budget = next(line for line in out.splitlines() if line.startswith("| commune map values per rerun"))
    assert budget.endswith("| yes |"), budget


def test_quick_scale_benchmark_runs(capsys):
    """Cold start, warm restart and the commune chain in fresh processes, at 20,000 interventions."""
    from benchmarks.scale import main

    assert main(["--quick"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("| 20,000 |"))
    verdicts = row.rstrip(" |").rsplit("|", 1)[1].strip().split(", ")
    assert len(verdicts) == 3 and set(verdicts) <= {"met", "MISSED"}, row  # whether they are met is a timing: not asserted
    assert "pandas (ours): filter + count per commune" in out


@pytest.mark.browser
def test_short_load_test(tmp_path):
    require_browser()
    from benchmarks.load_test import run

    result = run(sessions=3, seconds=10, env={"MALIMAP_CACHE_DIR": str(tmp_path)})
    assert result["errors"] == [] and result["foreign_requests"] == []
    assert result["changes"] >= 3 and result["p95_s"] is not None  # at least one change per session


def test_geometry_is_shared_between_sessions(monkeypatch, tmp_path):
    """The catalogue (boundaries, joins) is one object for every session, not a copy per session."""
    from streamlit.testing.v1 import AppTest

    from malimap import ui

    monkeypatch.setenv("MALIMAP_CACHE_DIR", str(tmp_path))
    ui.forget_shared_data()
    first = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    second = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not first.exception and not second.exception
    a = ui.shared_catalogue()
    b = ui.shared_catalogue()
    assert a is b and a.boundaries.layers[1] is b.boundaries.layers[1]


def test_upload_benchmark_runs(capsys):
    from benchmarks.upload import main

    assert main(["--rows", "300", "--repeat", "1", "--no-write"]) == 0
    out = capsys.readouterr().out
    assert "| rows accepted | 300 of 300 |" in out and "abroad" in out and "v03" in out


def test_iati_benchmark_runs(capsys):
    from benchmarks.iati import main

    assert main(["--activities", "300", "--repeat", "1", "--no-write"]) == 0
    out = capsys.readouterr().out
    assert "| import-iati: read, place, rows, validate, write the package |" in out
    assert "Last run: 300 read;" in out and "places by how they were found: " in out  # every activity accounted for


def test_presence_benchmark_runs(capsys):
    from benchmarks.presence import main

    assert main(["--rows", "500", "--repeat", "1", "--no-write"]) == 0
    out = capsys.readouterr().out
    assert "| ours: find the data sheet, read, collapse duplicates, check and place every row |" in out
    assert "- rows: 500 in the sheet;" in out and "rejected" in out and "sheet read: 5W; not read: TCD" in out


def test_hostile_benchmark_runs(capsys, monkeypatch):
    from benchmarks.hostile import main

    monkeypatch.setenv("MALIMAP_REFERENCE_GEO", "/nonexistent")  # the embedded boundaries: quick
    assert main(["--unresolved", "300", "--no-write"]) == 0
    out = capsys.readouterr().out
    assert "300 rows, every commune name different" in out and "400,000 named columns; a sheet may have 500" in out
    assert "decompresses to 150 MB" in out and "200,001 rows" in out and "answered in" in out


def test_the_synthetic_grid_has_701_distinct_communes(tmp_path):
    """Where the COD-AB copy is absent (a clean clone), benchmarks draw this grid and wait for its 701 communes."""
    import geopandas as gpd

    from benchmarks.synth import synthetic_boundaries

    grid = gpd.read_file(synthetic_boundaries(tmp_path) / "communes_synthetic.geojson")
    assert len(grid) == grid["adm3_pcode"].nunique() == 701
    assert grid["adm1_pcode"].nunique() == 10 and grid.groupby("adm2_pcode").ngroups >= 53
