"""Shared fixtures: the shipped data, a writable copy to break, the reference boundaries when present."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
REFERENCE_GEO = Path(os.environ.get("MALIMAP_REFERENCE_GEO", ROOT.parent / "shared" / "reference" / "geo"))
SEEDS = Path(os.environ.get("MALIMAP_SEEDS_DIR", ROOT.parent / "shared" / "seeds"))


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """No test reads or writes the user's boundary cache unless it asks for one."""
    monkeypatch.setenv("MALIMAP_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    from malimap.geo import gazetteer

    gazetteer._default_gazetteer.cache_clear()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst)
    return dst


def edit_csv(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; `row` is the spreadsheet row (header = 1) so tests read like the messages they expect."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    rows[row - 1][header.index(column)] = value
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


@pytest.fixture(scope="session")
def reference_geo() -> Path:
    if not (REFERENCE_GEO / "communes_mali.geojson").exists():
        pytest.skip(f"reference COD-AB copy not found at {REFERENCE_GEO} (set MALIMAP_REFERENCE_GEO)")
    return REFERENCE_GEO


@pytest.fixture(scope="session")
def cod_ab_cache(tmp_path_factory, reference_geo) -> Path:
    """A cache holding the reference COD-AB, imported once per test session."""
    from malimap.geo.boundaries import import_boundaries

    cache = tmp_path_factory.mktemp("codab")
    import_boundaries(reference_geo, cache=cache)
    return cache


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """One app server per test worker on the shipped data and embedded boundaries, for the browser tests that only read.

    It fails at once, with the server's log, if streamlit dies or never answers (see malimap.testing.browser.serve).
    """
    from malimap.testing.browser import require_browser, serve

    require_browser()
    with serve({"MALIMAP_CACHE_DIR": str(tmp_path_factory.mktemp("app-cache"))}) as (base, _):
        yield base


@pytest.fixture(scope="module")
def _chromium_process():
    """One chromium per test module (Playwright's sync API allows one driver at a time in a thread)."""
    from malimap.testing.browser import browser, require_browser

    require_browser()
    with browser() as b:
        yield b


@pytest.fixture
def chromium(_chromium_process):
    """The worker's headless Debian chromium; every page a test opened is closed after it."""
    yield _chromium_process
    for context in _chromium_process.contexts:
        context.close()


@pytest.fixture(scope="module")
def ds():
    """The curated dataset, read once per module (assisted-curation tests match against its organisations)."""
    from malimap.dataset import load_dataset

    return load_dataset()


@pytest.fixture(scope="module")
def gazetteer():
    """The embedded boundaries' gazetteer: what the app resolves place names with, offline."""
    from malimap.geo.boundaries import embedded_boundaries
    from malimap.geo.gazetteer import Gazetteer

    return Gazetteer(embedded_boundaries().units)


@pytest.fixture
def data_page():
    """Open the Data page in a language, as the assisted-curation panel tests do: `data_page("fr")` is the AppTest."""
    from streamlit.testing.v1 import AppTest

    from malimap.config import REPO_ROOT

    def open_in(lang: str):
        at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
        at.query_params["lang"] = lang
        at.switch_page("pages/5_Donnees_Data.py")
        return at.run()

    return open_in
