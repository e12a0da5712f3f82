"""Bounded load test: N concurrent headless-chromium sessions on one server, each changing a filter again and again.

    python -m benchmarks.load_test                      # 20 sessions for 60 seconds
    python -m benchmarks.load_test --sessions 3 --seconds 10   # the short version the tests run
    python -m benchmarks.load_test --cpu                # server CPU per change (curated and 10k) -> benchmarks/LOAD.md
    python -m benchmarks.load_test --replicas 2 --uploads 4  # through HAProxy and 2 replicas -> benchmarks/REPLICAS.md

Each change toggles the map's coverage-gaps view and waits until the map in that session shows the new legend: the
time measured is what a presenter waits for. Reports errors, p50/p95, the server's memory, and the server process's own
CPU time (from /proc, so browsers on the same cores do not blur it): per change, and the capacity it implies.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from pathlib import Path

from malimap.ops.deploy import COOKIE as REPLICA_COOKIE
from malimap.testing.browser import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parents[1]

LEGENDS = ("Zones sans intervention", "Initiatives · Région")


def _cpu(pid: int) -> float:
    """CPU seconds the process has used (user + system), from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss(pid: int) -> tuple[int, int]:
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    get = lambda key: next(int(x.split()[1]) * 1024 for x in status if x.startswith(key))  # noqa: E731
    return get("VmRSS:"), get("VmHWM:")


async def _session(
    browser,
    base: str,
    seconds: float,
    out: dict,
    delay: float = 0,
    upload: bytes | None = None,
) -> None:
    await asyncio.sleep(delay)  # people join a workshop over a few seconds, not all in the same millisecond
    page = await browser.new_page(viewport={"width": 1300, "height": 900})  # its own context: its own cookies
    own = base.split("//")[1]
    errors, times = out["errors"], out["times"]
    page.on(
        "request",
        lambda r: (
            out["foreign"].append(r.url) if own not in r.url and not r.url.startswith(("data:", "blob:", "about:")) else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    try:
        await page.goto(f"{base}/Carte_Map?lang=fr&level=1", timeout=240_000)
        await _legend(page, LEGENDS[1], timeout=240)
        if upload is not None:
            await _upload(page, upload)
            out["uploads"] += 1
        until = time.time() + seconds  # each session changes filters for `seconds` once its page has loaded
        gaps = False
        while time.time() < until:
            t = time.perf_counter()
            await page.get_by_text("Zones sans intervention", exact=True).first.click()
            gaps = not gaps
            await _legend(page, LEGENDS[0] if gaps else LEGENDS[1])
            times.append(time.perf_counter() - t)
        if await page.locator("[data-testid=stException]").count():
            errors.append("exception shown on page")
        replica = [c["value"] for c in await page.context.cookies() if c["name"] == REPLICA_COOKIE]
        out["replicas"].append(replica[0] if replica else "")
    except Exception as exc:  # a timeout or a crash is an error of the run, counted, not hidden
        errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
    finally:
        await page.close()


async def _upload(page, sheet: bytes) -> None:
    """As a person does it: the Data page from the sidebar (same session), the sheet into the uploader, the result
    read on the page, then back to the map, which now counts the uploaded row too."""
    sidebar = page.locator("[data-testid=stSidebar]")
    await sidebar.get_by_role("link", name="Données").click()
    await page.get_by_text("Ajouter vos propres données (3W, IATI)").first.click()
    await page.locator(".st-key-upload_file input[type=file]").set_input_files(
        files=[{"name": "atelier-3w.csv", "mimeType": "text/csv", "buffer": sheet}]
    )
    await page.get_by_text("est dans cette vue", exact=False).first.wait_for(timeout=300_000)
    await sidebar.get_by_role("link", name="Carte").click()
    await _legend(page, LEGENDS[1], timeout=300)


async def _legend(page, text: str, timeout: float = 180) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        for frame in page.frames:
            try:
                loc = frame.locator(".malimap-legend")
                if await loc.count() and text in (await loc.first.inner_text(timeout=1000)):
                    return
            except Exception:  # the map's iframe is replaced while Streamlit reruns: look again
                continue
        await asyncio.sleep(0.1)
    raise TimeoutError(f"legend never showed {text!r}")


async def _run(base: str, sessions: int, seconds: float, uploads: int = 0) -> dict:
    from playwright.async_api import async_playwright

    from malimap.sheets.columns import template_csv

    out: dict = {"times": [], "errors": [], "foreign": [], "replicas": [], "uploads": 0}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        await asyncio.gather(
            *[
                _session(browser, base, seconds, out, delay=1.5 * i, upload=template_csv() if i < uploads else None)
                for i in range(sessions)
            ]
        )
        await browser.close()
    return out


def _summary(out: dict, sessions: int, seconds: float) -> dict:
    t = sorted(out["times"])
    q = lambda p: t[min(len(t) - 1, int(p * len(t)))] if t else float("nan")  # noqa: E731
    return {
        "sessions": sessions,
        "seconds": seconds,
        "changes": len(t),
        "errors": out["errors"],
        "foreign_requests": out["foreign"],
        "uploads": out["uploads"],
        "p50_s": round(statistics.median(t), 3) if t else None,
        "p95_s": round(q(0.95), 3) if t else None,
    }


def run(sessions: int, seconds: float, env: dict | None = None, uploads: int = 0) -> dict:
    with serve(env, timeout=120) as (base, proc):
        idle_rss, _ = _rss(proc.pid)
        cpu0, wall0 = _cpu(proc.pid), time.perf_counter()
        out = asyncio.run(_run(base, sessions, seconds, uploads))
        cpu, wall = _cpu(proc.pid) - cpu0, time.perf_counter() - wall0
        rss, peak = _rss(proc.pid)
    return {
        **_summary(out, sessions, seconds),
        "server_rss_idle_mb": round(idle_rss / 2**20),
        "server_rss_end_mb": round(rss / 2**20),
        "server_peak_mb": round(peak / 2**20),
        "server_cpu_s": round(cpu, 2),  # page loads included: the whole run's server share
        "server_cores_busy": round(cpu / wall, 2),
    }


def balanced(
    sessions: int, seconds: float, replicas: int = 2, uploads: int = 2, env: dict | None = None, port: int | None = None
) -> dict:
    """The load test through HAProxy in front of `replicas` servers: where each session landed, each replica's CPU."""
    from malimap.ops.deploy import run as deployment
    from malimap.testing.browser import free_port

    with deployment(
        replicas=replicas,
        port=port or free_port(),
        env=env,
        data=(env or {}).get("MALIMAP_DATA_DIR"),
        cache=(env or {}).get("MALIMAP_CACHE_DIR"),
        replica_ports=None if port else [free_port() for _ in range(replicas)],  # never a port another server holds
        stats_port=None if port else free_port(),
    ) as d:
        cpu0 = [_cpu(p.pid) for p in d.replicas]
        wall0 = time.perf_counter()
        out = asyncio.run(_run(d.url, sessions, seconds, uploads))
        wall = time.perf_counter() - wall0
        cpu = [_cpu(p.pid) - c for p, c in zip(d.replicas, cpu0)]
        peaks = [_rss(p.pid)[1] for p in d.replicas]
        per_replica = d.sessions_per_replica()
    return {
        **_summary(out, sessions, seconds),
        "uploads_asked": uploads,
        "replicas": replicas,
        "session_replica": out["replicas"],
        "balancer_sessions": per_replica,
        "replica_cpu_s": [round(c, 2) for c in cpu],
        "replica_cores_busy": [round(c / wall, 2) for c in cpu],
        "replica_peak_mb": [round(p / 2**20) for p in peaks],
    }


async def _changes_cpu(browser, base: str, pid: int, changes: int, sidebar: bool = False) -> float:
    """Server CPU per change: the map's gaps view toggled (reruns the map's fragment), or with `sidebar` a filter
    changed in the sidebar (the kind 'event' added, then removed: the whole page reruns)."""
    page = await browser.new_page(viewport={"width": 1300, "height": 900})
    await page.goto(f"{base}/Carte_Map?lang=fr&level=1", timeout=240_000)
    await _legend(page, LEGENDS[1], timeout=240)
    await asyncio.sleep(1)
    before, on = _cpu(pid), False
    for _ in range(changes):
        on = not on
        if sidebar:
            await _kind_filter(page, on)
        else:
            await page.get_by_text("Zones sans intervention", exact=True).first.click()
            await _legend(page, LEGENDS[0] if on else LEGENDS[1])
    await asyncio.sleep(0.5)  # the run that drew the last change has finished
    spent = _cpu(pid) - before
    await page.close()
    return spent / changes


async def _kind_filter(page, on: bool) -> None:
    """Add (or remove) 'événement' in the sidebar's Type filter, as a person types it, and wait until the link says so."""
    box = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(has_text="Type").locator("input")
    await box.click()
    if on:
        await box.fill("événement")
        await page.keyboard.press("Enter")
    else:
        await page.keyboard.press("Backspace")
    await page.keyboard.press("Escape")
    await page.wait_for_function(f"() => location.search.includes('kind=') === {'true' if on else 'false'}", timeout=60_000)
    await page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=60_000)
    await _legend(page, LEGENDS[1])


def cpu_per_change(env: dict | None = None, changes: int = 30, sidebar: bool = False) -> float:
    """Server CPU seconds per change, one session changing `changes` times after its page has loaded."""
    from playwright.async_api import async_playwright

    async def go(base: str, pid: int) -> float:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                return await _changes_cpu(browser, base, pid, changes, sidebar)
            finally:
                await browser.close()

    with serve(env, timeout=120) as (base, proc):
        return asyncio.run(go(base, proc.pid))


def cpu_report() -> str:
    """CPU per change on the curated data and on 10,000 synthetic interventions, and the capacity it implies."""
    from datetime import UTC, datetime

    from benchmarks.run import bench_env, setup

    reference, cache, data, label = setup([10_000])
    rows = []
    for name, folder in (("curated", ROOT / "data"), ("10,000 synthetic", data[10_000])):
        env = bench_env(folder, cache, reference)
        for what, sidebar in (("map control (gaps view)", False), ("sidebar filter (Type)", True)):
            per = cpu_per_change(env, sidebar=sidebar)
            met = "—" if name == "curated" else ("yes" if per <= 0.15 else "NO")
            rows.append(f"| {name} | {what} | {per * 1000:.0f} ms | {1 / per:.1f} | {met} |")
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"## Server CPU per filter change\n\nMeasured {when} by `python -m benchmarks.load_test --cpu`: the Streamlit "
        f"server process's own CPU time (user + system, /proc/PID/stat) over 30 changes by one chromium session after its "
        f"page has loaded; boundaries: {label}. A map control reruns only the map's fragment; a sidebar filter reruns "
        f"the whole page.\n\n| dataset | change | CPU per change | changes per second per core | ≤ 0.15 CPU-s at 10k |\n"
        f"|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )


def replicas_report(results: list[dict]) -> str:
    """Runs through HAProxy with 1, 2, … replicas (same sessions, same machine, same run) as a table for REPLICAS.md."""
    from datetime import UTC, datetime

    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    r0 = results[0]
    lines = [
        "## Several replicas behind HAProxy",
        "",
        f"Measured {when} by `python -m benchmarks.load_test --replicas {max(r['replicas'] for r in results)} --sessions "
        f"{r0['sessions']} --seconds {r0['seconds']:g} --uploads {r0['uploads_asked']}` on this 2-core machine: "
        "`python -m malimap serve` (HAProxy, cookie-sticky sessions, one shared read-only cache) on loopback with 1, then "
        "2 replicas. Each headless-chromium session loads the map page (sessions join 1.5 s apart); "
        f"{r0['uploads_asked']} of them first upload a 3W sheet on the Data page through the balancer and come back to the "
        "map; then every session toggles the coverage-gaps view for the time given. The browsers run on the same 2 cores "
        "as the servers: the replicas' own CPU (from /proc) says how much of the wait is the servers'.",
        "",
        "| replicas | sessions | filter changes | errors | uploads done | sessions per replica (cookie) | click → map "
        "redrawn p50 / p95 | server CPU per change under load | replicas' cores busy | replica peak memory |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        landed = {name: r["session_replica"].count(name) for name in sorted(set(r["session_replica"]))}
        per_change = sum(r["replica_cpu_s"]) / r["changes"] if r["changes"] else float("nan")
        lines.append(
            f"| {r['replicas']} | {r['sessions']} | {r['changes']} | {len(r['errors'])} | {r['uploads']} | "
            + ", ".join(f"{k}: {v}" for k, v in landed.items())
            + f" | {r['p50_s']} s / {r['p95_s']} s | {per_change * 1000:.0f} ms (page loads and uploads included) | "
            f"{sum(r['replica_cores_busy']):.2f} of 2 | {', '.join(f'{m} MB' for m in r['replica_peak_mb'])} |"
        )
        if r["errors"]:
            lines.append(f"| | errors: {'; '.join(e[:120] for e in r['errors'][:3])} | | | | | | | | |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--cpu", action="store_true", help="measure server CPU per change and write benchmarks/LOAD.md")
    ap.add_argument("--replicas", type=int, default=0, help="run through HAProxy and N replicas -> benchmarks/REPLICAS.md")
    ap.add_argument("--uploads", type=int, default=0, help="sessions that upload a 3W sheet first")
    args = ap.parse_args(argv)
    if args.cpu:
        text = cpu_report()
        print(text)
        (ROOT / "benchmarks" / "LOAD.md").write_text(text, encoding="utf-8")
        return 0
    if args.replicas:  # 1 replica, then 2, ... up to N, in the same run
        results = [balanced(args.sessions, args.seconds, replicas=n, uploads=args.uploads) for n in range(1, args.replicas + 1)]
        print(json.dumps(results, indent=1))
        (ROOT / "benchmarks" / "REPLICAS.md").write_text(replicas_report(results), encoding="utf-8")
        result = {**results[-1], "errors": [e for r in results for e in r["errors"]]}
    else:
        result = run(args.sessions, args.seconds, uploads=args.uploads)
        print(json.dumps(result, indent=1))
    return 0 if not result["errors"] and not result["foreign_requests"] and result["changes"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
