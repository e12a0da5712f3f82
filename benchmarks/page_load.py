"""The map page as its users meet it, in headless Debian chromium, against the floor and the textbook app (same run).

    python -m benchmarks.page_load                # curated data and 10,000 synthetic interventions, 5 repeats
    python -m benchmarks.page_load --quick        # curated data, 2 repeats (tests/test_browser.py runs it)

Measured per dataset, for a returning visitor (one browser profile, one warm-up load first):
- page load: navigation until the map shows every unit (the floor: until its title shows), and the bytes the page
  receives over Streamlit's websocket for it (decompressed payloads, as the app sends them);
- a filter change on the map page: websocket bytes and time until the map has repainted with the new values;
- picking the unit with the most records at region level: time until its summary heading shows.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import UTC
from pathlib import Path

from benchmarks.run import _baseline_static, _peak_rss, bench_env, setup
from benchmarks.synth import curated_label, reference_available
from malimap.testing.browser import browser, serve

ROOT = Path(__file__).resolve().parents[1]


class Bytes:
    """Websocket payload bytes a page receives, across the sockets it opens."""

    def __init__(self, page):
        self.total = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._add))

    def _add(self, payload) -> None:
        self.total += len(payload) if isinstance(payload, (bytes, str)) else 0


def map_frame(page, timeout: float = 60):
    """The map (in the page itself, no iframe) once it has drawn its values, polled every 50 ms (a timing, so no
    back-off between looks)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if page.locator(".malimap-root[data-ready] .leaflet-container").count():
            return page.locator(".malimap-root[data-ready]").first
        time.sleep(0.05)
    raise AssertionError("no Leaflet map appeared")


def unit_paths(frame, expected: int, timeout: float = 60) -> int:
    """Polygons drawn for admin units, polled every 50 ms until `expected` are there (or the time is up)."""
    deadline = time.time() + timeout
    n = 0
    while time.time() < deadline:
        n = frame.locator("path.malimap-unit").count()
        if n >= expected:
            break
        time.sleep(0.05)
    return n


def _med(xs: list[float]) -> dict:
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "n": len(xs)}


VIEWPORT = {"width": 1280, "height": 720}  # a workshop projector


def _loads(b, base: str, path: str, ready, repeat: int) -> dict:
    context = b.new_context(viewport=VIEWPORT)
    page = context.new_page()
    counter = Bytes(page)
    times, sizes = [], []
    for i in range(repeat + 1):  # the first load warms the browser's and the server's caches and is not counted
        before = counter.total
        t = time.perf_counter()
        page.goto(base + path)
        ready(page)
        elapsed = time.perf_counter() - t
        time.sleep(0.5)  # let trailing messages of this load arrive before counting its bytes
        if i:
            times.append(elapsed)
            sizes.append(counter.total - before)
    return {"page": page, "context": context, "counter": counter, "time": _med(times), "bytes": _med(sizes)}


def _ours_ready(units: int):
    def ready(page):
        frame = map_frame(page, timeout=300)
        assert unit_paths(frame, units, timeout=300) >= units

    return ready


def _textbook_ready(units: int):
    def ready(page):
        deadline = time.time() + 300
        while time.time() < deadline:
            for frame in page.frames:
                if frame.locator(".leaflet-container").count() and frame.locator("path.leaflet-interactive").count() >= units:
                    return
            time.sleep(0.05)
        raise AssertionError("textbook map never drew")

    return ready


def _floor_ready(page):
    page.wait_for_selector("h1:has-text('Floor')", timeout=60_000)


def _about_ready(page):
    page.wait_for_selector("h1:has-text('À propos')", timeout=60_000)


def _renders(frame) -> int:
    return int(frame.get_attribute("data-renders") or "0")


def _repaints(page, act, repeat: int, counter=None) -> tuple[list[float], list[int]]:
    """Seconds from `act(i)` until the map has repainted with the new values (its render counter moves on), and the
    bytes the page received meanwhile when a `counter` is given."""
    times, sizes = [], []
    for i in range(repeat):
        frame = map_frame(page)
        seen = _renders(frame)
        before = counter.total if counter else 0
        t = time.perf_counter()
        act(i)
        deadline = time.time() + 120
        while _renders(map_frame(page)) <= seen:
            if time.time() > deadline:
                raise AssertionError("map never repainted")
            time.sleep(0.01)
        times.append(time.perf_counter() - t)
        time.sleep(0.5)
        sizes.append(counter.total - before if counter else 0)
    return times, sizes


def _control_changes(result: dict, repeat: int) -> dict:
    """A map control (the 'areas with no intervention' switch) turned on and off: time until the map has repainted."""
    page = result["page"]
    switch = page.locator("[data-testid=stCheckbox]").filter(has_text="Zones sans intervention").locator("label").first
    return {"time": _med(_repaints(page, lambda i: switch.click(), repeat)[0])}


def _filter_changes(result: dict, theme_label: str, repeat: int) -> dict:
    """Add, then remove, a theme in the sidebar; wait until the map has repainted each time."""
    page = result["page"]
    box = page.locator("[data-testid=stMultiSelect]").filter(has=page.get_by_text("Thème", exact=True))

    def change(i: int) -> None:
        box.locator("input").click()
        if i % 2 == 0:
            page.keyboard.type(theme_label)
            page.keyboard.press("Enter")
        else:
            page.keyboard.press("Backspace")
        page.keyboard.press("Escape")

    times, sizes = _repaints(page, change, repeat, result["counter"])
    return {"time": _med(times), "bytes": _med(sizes)}


def _unit_pick(b, base: str, repeat: int) -> dict:
    """Click the region with the most records; time until its heading (with its record count) shows."""
    context = b.new_context(viewport=VIEWPORT)
    page = context.new_page()
    times, name = [], ""
    for _ in range(repeat + 1):
        page.goto(f"{base}/Carte_Map?lang=en&level=1")
        frame = map_frame(page, timeout=300)
        assert unit_paths(frame, 9) >= 9
        t = time.perf_counter()
        frame.locator("path.malimap-unit").nth(4).dispatch_event("click")  # the fifth region: Mopti (the legend may cover it)
        page.wait_for_selector("h3:has-text(' · ')", timeout=300_000)  # "Mopti · 12 records" (a synthetic grid names it ML05)
        times.append(time.perf_counter() - t)
        name = page.locator("h3").filter(has_text=" · ").first.inner_text()
    context.close()
    return {"time": _med(times[1:]), "heading": name}


def measure(data: Path, cache: Path, reference: Path, repeat: int, label: str) -> dict:
    env = {
        **bench_env(data, cache, reference),
        "PYTHONPATH": str(ROOT),
    }
    out: dict = {"dataset": label}
    with _baseline_static(), browser() as b:
        with serve(env, timeout=300, script="benchmarks/floor_app.py") as (base, _):
            r = _loads(b, base, "/", _floor_ready, repeat)
            out["floor"] = {"time": r["time"], "bytes": r["bytes"]}
            r["context"].close()
        with serve(env, timeout=300, script="benchmarks/baseline_app.py") as (base, _):
            r = _loads(b, base, "/", _textbook_ready(701), repeat)
            out["textbook"] = {"time": r["time"], "bytes": r["bytes"]}
            r["context"].close()
        with serve(env, timeout=300) as (base, proc):
            r = _loads(b, base, "/Carte_Map?lang=fr&level=3", _ours_ready(701), repeat)
            out["ours"] = {"time": r["time"], "bytes": r["bytes"]}
            out["filter_change"] = _filter_changes(r, "Dialogue", max(2, repeat))
            out["control_change"] = _control_changes(r, max(2, repeat))
            r["context"].close()
            r = _loads(b, base, "/A_propos_About?lang=fr", _about_ready, repeat)
            out["about"] = {"time": r["time"], "bytes": r["bytes"]}
            r["context"].close()
            out["unit_pick"] = _unit_pick(b, base, max(1, repeat // 2))
            out["rss"] = _peak_rss(proc.pid)
    return out


def report(results: list[dict], started: str, label: str) -> str:
    ms = lambda s: f"{s['median'] * 1000:,.0f} ms ({s['min'] * 1000:,.0f}–{s['max'] * 1000:,.0f})"  # noqa: E731
    kb = lambda s: f"{s['median'] / 1024:,.1f} KB"  # noqa: E731
    lines = [
        "## Map page in a real browser (returning visitor)",
        "",
        f"Run `python -m benchmarks.page_load` on {started} UTC; boundaries: {label}; headless Debian chromium on "
        "the same 2 cores as the server. Times: median (min–max). Bytes: websocket payloads received for the load.",
        "",
        "| dataset | what | floor (trivial page) | textbook app | malimap | budget | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        f, tb, o = r["floor"], r["textbook"], r["ours"]
        above_ours = o["time"]["median"] - f["time"]["median"]
        above_tb = tb["time"]["median"] - f["time"]["median"]
        ratio = above_tb / above_ours if above_ours > 0 else float("inf")
        lines += [
            f"| {r['dataset']} | page load → all 701 communes drawn | {ms(f['time'])} | {ms(tb['time'])} | {ms(o['time'])} | "
            f"≤ floor + 600 ms | {'yes' if above_ours <= 0.6 else 'NO'} ({above_ours * 1000:,.0f} ms above) |",
            f"| {r['dataset']} | time above the floor | — | {above_tb * 1000:,.0f} ms | {above_ours * 1000:,.0f} ms | "
            f"≥ 3× smaller than textbook | {'yes' if ratio >= 3 else 'NO'} ({ratio:,.1f}×) |",
            f"| {r['dataset']} | websocket bytes for the load | {kb(f['bytes'])} | {kb(tb['bytes'])} | {kb(o['bytes'])} | "
            f"≤ 100 KB | {'yes' if o['bytes']['median'] <= 100 * 1024 else 'NO'} |",
            f"| {r['dataset']} | filter change: websocket bytes | — | — | {kb(r['filter_change']['bytes'])} | ≤ 30 KB | "
            f"{'yes' if r['filter_change']['bytes']['median'] <= 30 * 1024 else 'NO'} |",
            f"| {r['dataset']} | filter change: map repainted | — | — | {ms(r['filter_change']['time'])} | ≤ 500 ms | "
            f"{'yes' if r['filter_change']['time']['median'] <= 0.5 else 'NO'} |",
            f"| {r['dataset']} | map control (gaps switch): map repainted | — | — | {ms(r['control_change']['time'])} | "
            f"≤ 300 ms | {'yes' if r['control_change']['time']['median'] <= 0.3 else 'NO'} |",
            f"| {r['dataset']} | click the busiest region → its panel ({r['unit_pick']['heading']}) | — | — | "
            f"{ms(r['unit_pick']['time'])} | ≤ 500 ms | {'yes' if r['unit_pick']['time']['median'] <= 0.5 else 'NO'} |",
            f"| {r['dataset']} | About page (no map) loaded | {ms(f['time'])} | — | {ms(r['about']['time'])} | "
            f"≤ floor + 200 ms | {'yes' if r['about']['time']['median'] - f['time']['median'] <= 0.2 else 'NO'} "
            f"({(r['about']['time']['median'] - f['time']['median']) * 1000:,.0f} ms above) |",
            f"| {r['dataset']} | malimap server peak memory (VmHWM) | — | — | {r['rss'] / 2**20:,.0f} MB | — | — |",
        ]
    lines += ["", "What is left above the floor (same run): the map page's first draw minus the About page's load, which has"]
    lines += ["the same page frame and no map, is what the map itself costs; the rest is the page frame.", ""]
    for r in results:
        o, about, f = r["ours"]["time"]["median"], r["about"]["time"]["median"], r["floor"]["time"]["median"]
        lines.append(
            f"- {r['dataset']}: the map {(o - about) * 1000:,.0f} ms over the About page; the About page "
            f"{(about - f) * 1000:,.0f} ms over the floor."
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    from datetime import datetime

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="curated data only, 2 repeats")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "PAGE_LOAD.md")
    args = ap.parse_args(argv)
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    curated = reference_available()  # the curated records' P-codes exist only on the real boundaries
    sizes = ([] if curated else [1_000]) if args.quick else [10_000]
    reference, cache, data, label = setup(sizes)
    runs = ([(curated_label(), ROOT / "data")] if curated else []) + [(f"{n:,} synthetic", data[n]) for n in sizes]
    results = [measure(path, cache, reference, 2 if args.quick else args.repeat, name) for name, path in runs]
    text = report(results, started, label)
    print(text)
    print(json.dumps(results, indent=1, default=str))
    if not args.quick:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
