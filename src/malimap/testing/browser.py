"""Helpers to run the real app and drive Debian chromium through Playwright (never a downloaded browser)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from pathlib import Path

from ..config import REPO_ROOT
from ..deploy import streamlit_command, wait_healthy

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


@contextlib.contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def map_frame(page, timeout: float = 60, ready: bool = True):
    """The map view's iframe once Leaflet has drawn its container (and, with `ready`, the current values)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for frame in page.frames:
            if frame.locator(".leaflet-container").count():
                if ready:
                    frame.wait_for_selector("body[data-ready]", timeout=max(1, deadline - time.time()) * 1000)
                return frame
        time.sleep(0.1)
    raise AssertionError("no Leaflet map appeared")


def unit_paths(frame, expected: int, timeout: float = 60) -> int:
    """Polygons drawn for admin units (not event markers, planned hatching or coarser outlines)."""
    sel = "path.malimap-unit"
    deadline = time.time() + timeout
    n = 0
    while time.time() < deadline:
        n = frame.locator(sel).count()
        if n >= expected:
            return n
        time.sleep(0.25)
    return n


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def settled(page, timeout: float = 60) -> None:
    """Wait until the page's script run has finished (Streamlit marks the app root) and the page has painted.

    The running indicator alone is not enough: it appears only after a delay, so a slow run can look finished.
    """
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning] h1", timeout=timeout * 1000)
    page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')", timeout=timeout * 1000)
    page.wait_for_timeout(250)
