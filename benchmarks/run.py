"""Measure malimap against the textbook approach in the same run, and write benchmarks/RESULTS.md.

python -m benchmarks.run --quick      # 1,000 interventions, 2 repeats, no browser: a smoke run for CI
python -m benchmarks.run              # 1,000 / 10,000 / 100,000, 3 repeats, with headless chromium
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import baseline
from benchmarks.synth import REFERENCE, ROOT, curated_label, generate, is_current, reference_available, synthetic_boundaries

OUT = ROOT / "benchmarks" / "out"
LEVEL_NAMES = {1: "region", 2: "cercle", 3: "commune"}
THEME, Y0, Y1 = "dialogue", 2015, 2020


def timed(fn, repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return times, result


def stat(times: list[float]) -> dict:
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "n": len(times)}


def fmt(s: dict) -> str:
    unit, k = ("ms", 1000) if s["median"] < 1 else ("s", 1)
    return (
        f"{s['median'] * k:.{0 if unit == 'ms' and s['median'] * k >= 10 else 2}f} {unit} ({s['min'] * k:.3g}–{s['max'] * k:.3g})"
    )


def bench_env(data: Path, cache: Path, reference: Path) -> dict[str, str]:
    """The settings every app a benchmark starts runs with: its data, its boundaries, no seed checks, commune level."""
    return {
        "MALIMAP_DATA_DIR": str(data),
        "MALIMAP_CACHE_DIR": str(cache),
        "MALIMAP_SEEDS_DIR": "/nonexistent",
        "MALIMAP_REFERENCE_GEO": str(reference),
        "BASELINE_LEVEL": "3",
    }


def setup(sizes: list[int]) -> tuple[Path, Path, dict[int, Path], str]:
    """Boundaries imported once into a private cache, datasets generated once per size."""
    from malimap.geo.boundaries import import_boundaries

    OUT.mkdir(parents=True, exist_ok=True)
    reference, label = REFERENCE, "OCHA COD-AB v02 reference copy (10 regions, 53 cercles, 701 communes)"
    if not reference_available():
        reference, label = synthetic_boundaries(OUT / "synthetic-geo"), "SYNTHETIC 701-cell grid (reference COD-AB copy absent)"
    cache = OUT / "cache"
    if not (cache / "cod-ab" / "meta.json").exists():
        import_boundaries(reference, cache=cache)
    data = {}
    for n in sizes:
        folder = OUT / f"data-{n}"
        if not is_current(folder):
            generate(n, folder, reference)
        data[n] = folder
    return reference, cache, data, label


def measure_functions(n: int, data: Path, reference: Path, repeat: int) -> dict:
    import json

    from malimap.catalogue.build import build_catalogue
    from malimap.counts.coverage import MapOptions, unit_coverage
    from malimap.counts.filters import Filters, apply_filters
    from malimap.dataset import load_dataset
    from malimap.geo.boundaries import active_boundaries
    from malimap.outputs.map_spec import Look, map_spec

    b = active_boundaries()
    r: dict = {}
    t, ds = timed(lambda: load_dataset(data, seeds=Path("/nonexistent"), units=b.units), repeat)
    r["load"] = stat(t)
    t, tables = timed(lambda: baseline.load(data), repeat)
    r["load_base"] = stat(t)
    t, cat = timed(lambda: build_catalogue(ds, b), 1)
    r["catalogue"] = stat(t)
    f = Filters(themes=(THEME,), year_from=Y0, year_to=Y1)
    t, items = timed(lambda: apply_filters(cat, f), repeat)
    r["filter"] = stat(t)
    t, rows = timed(lambda: baseline.filter_rows(tables, THEME, Y0, Y1), max(1, repeat - 1))
    r["filter_base"] = stat(t)
    r["filtered"] = (len(items), len(rows))
    items = items.assign(title_display=items["title_fr"])
    geo = {lv: {"url": f"geo-{lv}.json", "key": str(lv)} for lv in (1, 2, 3)}
    for level in (1, 2, 3):
        options = MapOptions(level=level)
        t, _ = timed(lambda options=options: unit_coverage(cat, items, options), repeat)
        r[f"agg{level}"] = stat(t)
        t, base_counts = timed(lambda level=level: baseline.count_rows(tables, rows, level), max(1, repeat - 1))
        r[f"agg{level}_base"] = stat(t)

        def ours(chosen=items, options=options):
            spec, _ = map_spec(cat, chosen, options, Look(lang="fr"), geo.get, when=lambda row: "")
            return json.dumps(spec, ensure_ascii=False, separators=(",", ":"))

        t, payload = timed(ours, repeat)
        r[f"map{level}"], r[f"bytes{level}"] = stat(t), len(payload.encode())
        t, html_b = timed(
            lambda level=level, base_counts=base_counts: baseline.build_map(reference, level, base_counts).get_root().render(),
            max(1, repeat - 1),
        )
        r[f"map{level}_base"], r[f"bytes{level}_base"] = stat(t), len(html_b.encode())
        # the user-facing chain after a filter change, without the (cached) load
        t, _ = timed(lambda: ours(apply_filters(cat, f).assign(title_display="")), repeat)
        r[f"chain{level}"] = stat(t)
    return r


def measure_rerun(data: Path, cache: Path, reference: Path, repeat: int) -> dict:
    """A full AppTest rerun of the map page after a theme change, ours vs the baseline app."""
    from streamlit.testing.v1 import AppTest

    env = bench_env(data, cache, reference)
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.query_params.update({"lang": "fr", "level": "3"})
        at.switch_page("pages/1_Carte_Map.py").run()
        assert not at.exception, at.exception
        themes = ["dialogue", "mediation"]
        ours = []
        for i in range(repeat):
            t = time.perf_counter()
            at.multiselect(key="theme:fr").set_value([themes[i % 2]]).run()
            ours.append(time.perf_counter() - t)
        assert not at.exception, at.exception
        bt = AppTest.from_file(str(ROOT / "benchmarks" / "baseline_app.py"), default_timeout=600).run()
        assert not bt.exception, bt.exception
        base = []
        for i in range(max(1, repeat - 1)):
            t = time.perf_counter()
            bt.selectbox(key="theme").set_value(["mediation", "research"][i % 2]).run()
            base.append(time.perf_counter() - t)
        return {"rerun": stat(ours), "rerun_base": stat(base)}
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def _baseline_static():
    """The baseline app lives in benchmarks/: give it the same local Leaflet so both maps can draw offline."""
    link = ROOT / "benchmarks" / "static"
    made = not link.exists()
    if made:
        link.symlink_to(ROOT / "static")
    try:
        yield
    finally:
        if made:
            link.unlink()


def _peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def ratio(base: dict | int, ours: dict | int) -> str:
    b = base["median"] if isinstance(base, dict) else base
    o = ours["median"] if isinstance(ours, dict) else ours
    return f"{b / o:.1f}×" if o else "—"


def report(results: dict[int, dict], label: str, args, started: str) -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    lines = [
        "# Benchmark results",
        "",
        f"Run `{' '.join(['python -m benchmarks.run', *sys.argv[1:]])}` on {started} UTC.",
        f"Machine: {os.cpu_count()} CPU ({cpu}), {_mem_gb():.0f} GiB RAM, Python {platform.python_version()}, {platform.platform()}.",
        f"Boundaries: {label}. Filter applied: theme `{THEME}`, years {Y0}–{Y1}.",
        "Times: median (min–max) over the repeats shown; the baseline is the textbook approach in `benchmarks/baseline.py`, "
        "measured in the same run. Ratio = baseline ÷ ours (higher is better for us).",
        "",
    ]
    for n, r in results.items():
        lines += [
            f"## {n:,} interventions",
            "",
            f"Filtered selection: {r['filtered'][0]:,} interventions (baseline found {r['filtered'][1]:,}).",
            "",
            "| step | malimap | baseline | ratio |",
            "|---|---|---|---|",
            f"| load + validation (ours validates; baseline only reads) | {fmt(r['load'])} | {fmt(r['load_base'])} | {ratio(r['load_base'], r['load'])} |",
            f"| build catalogue (joins; once per dataset, cached) | {fmt(r['catalogue'])} | — | — |",
            f"| apply_filters | {fmt(r['filter'])} | {fmt(r['filter_base'])} | {ratio(r['filter_base'], r['filter'])} |",
        ]
        for lv in (1, 2, 3):
            lines += [
                f"| aggregate per {LEVEL_NAMES[lv]} | {fmt(r[f'agg{lv}'])} | {fmt(r[f'agg{lv}_base'])} | {ratio(r[f'agg{lv}_base'], r[f'agg{lv}'])} |",
                f"| map build (ours: the values a rerun sends; baseline: the whole map HTML), {LEVEL_NAMES[lv]} | {fmt(r[f'map{lv}'])} | {fmt(r[f'map{lv}_base'])} | {ratio(r[f'map{lv}_base'], r[f'map{lv}'])} |",
                f"| map bytes per rerun, {LEVEL_NAMES[lv]} | {r[f'bytes{lv}'] / 1024:,.1f} KB | {r[f'bytes{lv}_base'] / 1024:,.0f} KB | {ratio(r[f'bytes{lv}_base'], r[f'bytes{lv}'])} |",
                f"| filter + aggregate + map, {LEVEL_NAMES[lv]} | {fmt(r[f'chain{lv}'])} | — | — |",
            ]
        if "rerun" in r:
            lines.append(
                f"| full AppTest rerun of the map page after a filter change (commune level) | {fmt(r['rerun'])} | {fmt(r['rerun_base'])} | {ratio(r['rerun_base'], r['rerun'])} |"
            )
        lines.append("")
    lines += budgets(results)
    # measured by their own commands (each file says when and how), gathered here so RESULTS.md has every figure
    for name in ("SCALE.md", "LOAD.md", "REPLICAS.md", "ANALYSIS.md"):
        part = ROOT / "benchmarks" / name
        if part.exists():
            lines += [part.read_text(encoding="utf-8")]
    return "\n".join(lines) + "\n"


def budgets(results: dict[int, dict]) -> list[str]:
    out = ["## Budgets", "", "| budget | measured | met |", "|---|---|---|"]
    for n, r in results.items():
        b = r["bytes3"]
        out.append(f"| commune map values per rerun ≤ 30 KB ({n:,}) | {b / 1024:,.1f} KB | {'yes' if b <= 30 * 1024 else 'NO'} |")
    if 10_000 in results and "rerun" in results[10_000]:
        r = results[10_000]
        k = r["rerun_base"]["median"] / r["rerun"]["median"]
        out.append(
            f"| rerun after filter change ≥ 10× faster than baseline at 10,000 | {k:.1f}× | {'yes' if k >= 10 else 'NO'} |"
        )
    if 1_000 in results and 100_000 in results:
        for lv in (1, 2, 3):
            g = results[100_000][f"chain{lv}"]["median"] / results[1_000][f"chain{lv}"]["median"]
            out.append(
                f"| filter+aggregate+map growth 1k→100k ≤ 3×, {LEVEL_NAMES[lv]} | {g:.1f}× | {'yes' if g <= 3 else 'NO'} |"
            )
    return out + [""]


def _mem_gb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 2**20
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="1,000 interventions, 2 repeats, no browser")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    args = ap.parse_args(argv)
    sizes, repeat = ([1_000], 2) if args.quick else (args.sizes, args.repeat)
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    reference, cache, data, label = setup(sizes)
    os.environ["MALIMAP_CACHE_DIR"] = str(cache)
    results = {}
    for n in sizes:
        print(f"measuring {n:,} interventions…", flush=True)
        results[n] = measure_functions(n, data[n], reference, repeat)
        results[n].update(measure_rerun(data[n], cache, reference, repeat))
    text = report(results, label, args, started)
    if not args.quick and not args.no_browser:
        from benchmarks import page_load

        runs = [(curated_label(), ROOT / "data")] + [(f"{n:,} synthetic", data[n]) for n in sizes if n == 10_000]
        text += "\n" + page_load.report(
            [page_load.measure(path, cache, reference, 5, name) for name, path in runs], started, label
        )
    if args.quick:
        out = Path(tempfile.gettempdir()) / "malimap-benchmark-quick.md"
        out.write_text(text)
        print(text)
        print(f"(quick run: written to {out}, RESULTS.md untouched)")
    else:
        args.out.write_text(text)
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
