"""The real app in headless Debian chromium: the map draws offline, one path per unit, no request leaves the machine."""

from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest

from browser import browser, map_frame, require_browser, screenshot, serve, unit_paths

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _needs_browser():
    require_browser()


def _watch_requests(page, base: str) -> list[str]:
    """Every URL the page (and its iframes) asks for that is not the app's own server."""
    own = urlparse(base).netloc
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if urlparse(r.url).netloc not in (own, "") and not r.url.startswith(("data:", "blob:", "about:")) else None)
    return foreign


def test_map_draws_offline_with_embedded_regions(tmp_path):
    with serve({"MALIMAP_CACHE_DIR": str(tmp_path)}) as (base, _), browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 1000})
        foreign = _watch_requests(page, base)
        t0 = time.time()
        page.goto(f"{base}/Carte_Map?lang=fr")
        frame = map_frame(page)
        assert unit_paths(frame, 9) == 9
        elapsed = time.time() - t0
        assert frame.locator(".malimap-legend").count() == 1
        assert frame.locator("path.malimap-event").count() >= 1
        time.sleep(1)
        screenshot(page, "map-embedded-fr")
        assert foreign == [], foreign
        print(f"first map drawn in {elapsed:.1f}s")


def test_map_with_cod_ab_communes_and_presenter_mode(cod_ab_cache):
    with serve({"MALIMAP_CACHE_DIR": str(cod_ab_cache)}) as (base, _), browser() as b:
        page = b.new_page(viewport={"width": 1600, "height": 1000})
        foreign = _watch_requests(page, base)
        page.goto(f"{base}/Carte_Map?lang=en&level=3&gaps=1&present=1")
        frame = map_frame(page)
        assert unit_paths(frame, 701) == 701
        assert frame.locator(".malimap-caption").inner_text().startswith("All interventions")
        time.sleep(1)
        screenshot(page, "map-communes-gaps-presenter-en")
        page.goto(f"{base}/Carte_Map?lang=en&level=2")
        frame = map_frame(page)
        assert unit_paths(frame, 53) == 53
        screenshot(page, "map-cercles-en")
        assert foreign == [], foreign


def test_every_page_renders_and_filters_survive_navigation(tmp_path):
    pages = ["", "Carte_Map", "Chronologie_Timeline", "Bailleurs_Funders", "Organisations", "Donnees_Data", "A_propos_About"]
    with serve({"MALIMAP_CACHE_DIR": str(tmp_path)}) as (base, _), browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 1000})
        foreign = _watch_requests(page, base)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        for name in pages:
            page.goto(f"{base}/{name}?lang=en&theme=r2p")
            page.wait_for_selector("h1", timeout=60000)
            time.sleep(2)
            assert page.locator("[data-testid=stException]").count() == 0, name
            assert "theme Responsibility to protect" in page.locator("[data-testid=stCaptionContainer]").first.inner_text()
            screenshot(page, f"page-{name or 'home'}-en")
        # the sidebar link to another page carries the filters
        page.goto(f"{base}/?lang=en&theme=r2p")
        page.wait_for_selector("h1")
        page.get_by_role("link", name="Funders").click()
        page.wait_for_url("**/Bailleurs_Funders**", timeout=30000)
        page.wait_for_selector("h1")
        time.sleep(2)
        assert "theme=r2p" in page.url and "lang=en" in page.url
        assert "theme Responsibility to protect" in page.locator("[data-testid=stCaptionContainer]").first.inner_text()
        assert errors == [] and foreign == [], (errors, foreign)
