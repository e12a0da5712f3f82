"""Helpers to run the real app and drive Debian chromium through Playwright (never a downloaded browser)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from pathlib import Path

from malimap.config import REPO_ROOT
from malimap.ops.deploy import streamlit_command, wait_healthy

ROOT = REPO_ROOT
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def require_browser() -> None:
    """Skip with the reason where chromium or Playwright is missing, unless CI demands the browser tests."""
    missing = None
    if not Path(CHROMIUM).exists():
        missing = f"{CHROMIUM} not found (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "playwright not installed (pip install -e '.[test]')"
    if missing:
        import pytest

        if os.environ.get("MALIMAP_REQUIRE_BROWSER"):
            pytest.fail(f"browser tests required but {missing}")
        pytest.skip(missing)


def free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(env: dict[str, str] | None = None, timeout: float = 60, script: str = "app.py"):
    """`streamlit run SCRIPT` on a free loopback port; yields (base URL, process) once /_stcore/health answers."""
    port = free_port()
    cmd = streamlit_command(port, ROOT / script)
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"streamlit-{port}.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    failed = True
    try:
        wait_healthy(f"{base}/_stcore/health", [("streamlit", proc, log_path)], timeout)  # a dead server fails at once
        yield base, proc
        failed = False
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        if not failed:
            log_path.unlink(missing_ok=True)  # kept in test-artifacts/ when anything failed


class PatientBrowser:
    """Debian chromium whose pages and contexts wait WAIT_MS for every action (a click, a download, a navigation)
    instead of Playwright's 30 s: on a busy two-core machine a download built on click can take longer."""

    def __init__(self, browser):
        self._browser = browser

    def new_page(self, **kwargs):
        page = self._browser.new_page(**kwargs)
        page.set_default_timeout(WAIT_MS)
        page.set_default_navigation_timeout(WAIT_MS)
        return page

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        context.set_default_timeout(WAIT_MS)
        context.set_default_navigation_timeout(WAIT_MS)
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@contextlib.contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield PatientBrowser(b)
        finally:
            b.close()


# Browser waits retry until their condition holds or this many milliseconds pass: a cold server on two busy cores
# can take tens of seconds for a first script run, and a wait that gives up early is a flaky test, not a finding.
WAIT_MS = 90_000


def expect(target, message: str | None = None):
    """Playwright's retrying `expect` with this suite's patience (never a one-shot count before the page has drawn)."""
    from playwright.sync_api import expect as pw_expect

    pw_expect.set_options(timeout=WAIT_MS)
    return pw_expect(target, message) if message else pw_expect(target)


MAP = ".malimap-root"  # the map component's frame, in the page itself (a shadow root Playwright's CSS pierces)


def map_frame(page):
    """The map, found again on every use (a rerun may replace it), once it has drawn its values: no iframe, the page's
    own elements; locators from it reach inside the component's shadow root."""
    expect(page.locator(f"{MAP}[data-ready] .leaflet-container")).to_have_count(1)
    return page.locator(f"{MAP}[data-ready]").first


def at_least(locator, n: int) -> None:
    """Wait, retrying, until the locator matches `n` elements or more."""
    expect(locator.nth(n - 1)).to_be_attached()


def hover_shows(frame, target, shown: str = ".leaflet-tooltip") -> None:
    """Hover `target` until the map shows `shown`: the pointer is placed where the element was when measured, and a
    map still fitting its bounds (or a badge drawn over it) moves the element away; so the hover itself is retried."""
    from playwright.sync_api import Error

    def hovered():
        try:
            target.hover(force=True, timeout=5_000)
            expect(frame.locator(shown).first).to_be_attached(timeout=3_000)
        except Error as e:  # Playwright's own timeout error is not an AssertionError
            raise AssertionError(str(e)) from e

    eventually(hovered)


def eventually(check, timeout_s: float = WAIT_MS / 1000):
    """Retry `check()` until it stops raising AssertionError (layout that is still settling); the last failure is raised."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def settled(page) -> None:
    """Wait until the page's script run has finished (Streamlit marks the app root) and the page has painted.

    The running indicator alone is not enough: it appears only after a delay, so a slow run can look finished.
    """
    expect(page.locator("[data-testid=stApp][data-test-script-state=notRunning] h1").first).to_be_visible()
    expect(page.locator("[data-testid=stStatusWidget]")).to_have_count(0)
