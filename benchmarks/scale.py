"""National scale: a million synthetic interventions from a cold start, a warm restart and a commune map, and pandas
against DuckDB for the filter and per-unit count, all measured in the same run.

    python -m benchmarks.scale                    # 1,000,000 interventions -> benchmarks/SCALE.md
    python -m benchmarks.scale --sizes 100000     # any other size
    python -m benchmarks.scale --quick            # 20,000 interventions, 2 repeats, written to a temporary file

Cold start and warm restart run in fresh Python processes (so nothing is shared but the disk), timed from the first
line of the process to the catalogue being ready; each reports its own peak memory (VmHWM). DuckDB is measured only
where it is installed (`pip install -e ".[bench]"`); its answer is checked against ours, commune by commune.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.run import fmt, setup, stat
from benchmarks.synth import ROOT

THEME, Y0, Y1 = "dialogue", 2015, 2020
BUDGETS = {"cold": 20.0, "warm": 2.0, "chain": 0.5}

# Runs in a fresh interpreter: the catalogue from the cache folder given (built and written there when it is empty).
START = r"""
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from malimap.geo.boundaries import active_boundaries
from malimap.catalogue.cache import cached_catalogue
from malimap.dataset import load_dataset_cached
from malimap.dataset.cache import wait_for_writes
imported = time.perf_counter()
data = Path(sys.argv[1])
b = active_boundaries()
cat = cached_catalogue(lambda: load_dataset_cached(data, units=b.units), data, b)
ready = time.perf_counter()
wait_for_writes()
written = time.perf_counter()
peak = next(int(x.split()[1]) * 1024 for x in open("/proc/self/status") if x.startswith("VmHWM:"))
print(json.dumps({"imports": imported - t0, "ready": ready - imported, "written": written - imported,
                  "rows": len(cat.interventions), "peak": peak}))
"""


def _start(data: Path, cache: Path) -> dict:
    env = {**os.environ, "MALIMAP_CACHE_DIR": str(cache), "MALIMAP_SEEDS_DIR": "/nonexistent"}
    out = subprocess.run([sys.executable, "-c", START, str(data)], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def starts(data: Path, boundaries_cache: Path, repeat: int) -> dict:
    """Cold starts (an empty cache each time, boundaries already imported) and warm restarts (the cache they wrote)."""
    cold, warm = [], []
    with tempfile.TemporaryDirectory(prefix="malimap-scale-") as tmp:
        cache = Path(tmp) / "cache"
        for _ in range(repeat):
            shutil.rmtree(cache, ignore_errors=True)
            shutil.copytree(boundaries_cache / "cod-ab", cache / "cod-ab")
            cold.append(_start(data, cache))
        for _ in range(repeat):
            warm.append(_start(data, cache))
    return {"cold": cold, "warm": warm}


def chain(data: Path, cache: Path, repeat: int) -> dict:
    """Filter + aggregate + map values at commune level in a warm process, as a filter change runs them."""
    os.environ.update({"MALIMAP_CACHE_DIR": str(cache), "MALIMAP_SEEDS_DIR": "/nonexistent"})
    from malimap.catalogue.cache import cached_catalogue
    from malimap.counts.coverage import MapOptions, unit_coverage
    from malimap.counts.filters import Filters, apply_filters
    from malimap.dataset import load_dataset_cached
    from malimap.geo.boundaries import active_boundaries
    from malimap.outputs.map_spec import Look, map_spec

    b = active_boundaries()
    cat = cached_catalogue(lambda: load_dataset_cached(data, units=b.units), data, b)
    geo = {lv: {"url": f"geo-{lv}.json", "key": str(lv)} for lv in (1, 2, 3)}
    f = Filters(themes=(THEME,), year_from=Y0, year_to=Y1)
    options = MapOptions(level=3)

    def once() -> int:
        items = apply_filters(cat, f).assign(title_display="")
        spec, _ = map_spec(cat, items, options, Look(lang="fr"), geo.get, when=lambda row: "")
        return len(json.dumps(spec, ensure_ascii=False, separators=(",", ":")).encode())

    t = time.perf_counter()
    size = once()
    first = time.perf_counter() - t
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        once()
        times.append(time.perf_counter() - t)
    counts = []
    for _ in range(repeat):  # the part DuckDB could take over: filter and count per commune
        t = time.perf_counter()
        cov = unit_coverage(cat, apply_filters(cat, f), options)
        counts.append(time.perf_counter() - t)
    ours = dict(zip(cov.units["pcode"], cov.units["value"]))
    return {"first": first, "chain": stat(times), "count": stat(counts), "bytes": size, "ours": ours, "catalogue": cat}


def textbook(data: Path, reference: Path) -> dict:
    """The textbook Streamlit + folium page at the same size, once (it is slow): read the CSVs, filter and count row by
    row, build the folium map of the communes, as benchmarks/baseline.py does on every rerun."""
    from benchmarks import baseline

    t = time.perf_counter()
    tables = baseline.load(data)
    load = time.perf_counter() - t
    t = time.perf_counter()
    rows = baseline.filter_rows(tables, THEME, Y0, Y1)
    html = baseline.build_map(reference, 3, baseline.count_rows(tables, rows, 3)).get_root().render()
    return {"load": load, "chain": time.perf_counter() - t, "bytes": len(html.encode()), "filtered": len(rows)}


DUCK_SQL = """
WITH chosen AS (
  SELECT row, root_id, status FROM iv
  WHERE list_has_any(string_split(themes, ';'), [$theme])
    AND year_start IS NOT NULL AND year_start <= $y1 AND year_end >= $y0
)
SELECT l.adm3_pcode AS pcode, count(DISTINCT c.root_id) AS value
FROM loc l JOIN chosen c ON c.row = l.iv_row
WHERE l.reach = 'activity' AND l.in_mali AND l.adm3_pcode <> '' AND c.status <> 'planned'
GROUP BY l.adm3_pcode
"""


def duckdb_compare(cat, ours: dict, repeat: int) -> dict | None:
    """The same filter and per-commune count of initiatives in DuckDB, over the catalogue's own columns."""
    try:
        import duckdb
    except ImportError:
        return None
    con = duckdb.connect()
    iv = cat.interventions[["row", "root_id", "status", "themes", "year_start", "year_end"]]
    loc = cat.locations[["iv_row", "reach", "in_mali", "adm3_pcode"]]
    t = time.perf_counter()
    con.register("iv_frame", iv)
    con.register("loc_frame", loc)
    con.execute("CREATE TABLE iv AS SELECT * FROM iv_frame")
    con.execute("CREATE TABLE loc AS SELECT * FROM loc_frame")
    load = time.perf_counter() - t
    params = {"theme": THEME, "y0": Y0, "y1": Y1}
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = con.execute(DUCK_SQL, params).df()
        times.append(time.perf_counter() - t)
    theirs = dict(zip(result["pcode"], result["value"].astype(int)))
    agree = all(ours.get(p, 0) == v for p, v in theirs.items()) and all(theirs.get(p, 0) == v for p, v in ours.items() if v)
    return {"version": duckdb.__version__, "load": load, "count": stat(times), "agree": agree, "units": len(theirs)}


def report(rows: dict[int, dict], started: str, label: str) -> str:
    med = lambda xs, k: statistics.median(x[k] for x in xs)  # noqa: E731
    lines = [
        "## National scale (`python -m benchmarks.scale`)",
        "",
        f"Run on {started} UTC, {os.cpu_count()} CPU; boundaries: {label}. Cold start: a fresh process, an empty cache "
        "(boundaries already imported), until the catalogue is ready (read, validate, join); the two caches are then "
        "written in a background thread while the app serves, time shown apart. Warm restart: a fresh process reading "
        "those caches. Python's imports (streamlit not included) are shown apart. Peak memory: the process's VmHWM. "
        f"Filter: theme `{THEME}`, years {Y0}–{Y1}, commune map.",
        "",
        "| interventions | cold start | caches written | warm restart | imports | peak memory cold / warm | "
        "filter + aggregate + map, commune (first / warm) | map values | budgets (cold ≤ 20 s, warm ≤ 2 s, map ≤ 0.5 s) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for n, r in rows.items():
        cold, warm, c = r["starts"]["cold"], r["starts"]["warm"], r["chain"]
        cold_s, warm_s, chain_s = med(cold, "ready"), med(warm, "ready"), c["chain"]["median"]
        met = [
            "met" if cold_s <= BUDGETS["cold"] else "MISSED",
            "met" if warm_s <= BUDGETS["warm"] else "MISSED",
            "met" if chain_s <= BUDGETS["chain"] else "MISSED",
        ]
        lines.append(
            f"| {n:,} | {cold_s:.1f} s ({min(x['ready'] for x in cold):.1f}–{max(x['ready'] for x in cold):.1f}) "
            f"| +{med(cold, 'written') - cold_s:.1f} s | {warm_s:.2f} s ({min(x['ready'] for x in warm):.2f}–"
            f"{max(x['ready'] for x in warm):.2f}) | {med(warm, 'imports'):.2f} s "
            f"| {med(cold, 'peak') / 2**30:.2f} / {med(warm, 'peak') / 2**30:.2f} GiB "
            f"| {c['first'] * 1000:.0f} ms / {fmt(c['chain'])} | {c['bytes'] / 1024:.1f} KB | {', '.join(met)} |"
        )
    lines += [
        "",
        "**Against the textbook Streamlit + folium page** (`benchmarks/baseline.py`, same data, same run, once each: it "
        "reads the CSVs without checking them, filters and counts row by row, and sends the whole commune map):",
        "",
        "| interventions | textbook: read | malimap: warm restart | textbook: filter + count + map, commune | malimap: "
        "same (warm) | ratio | map bytes per change (textbook / malimap) |",
        "|---|---|---|---|---|---|---|",
    ]
    for n, r in rows.items():
        tb, c = r.get("textbook"), r["chain"]
        if tb:
            lines.append(
                f"| {n:,} | {tb['load']:.1f} s | {med(r['starts']['warm'], 'ready'):.2f} s | {tb['chain']:.1f} s | "
                f"{c['chain']['median'] * 1000:.0f} ms | {tb['chain'] / c['chain']['median']:.0f}× | "
                f"{tb['bytes'] / 1024:,.0f} KB / {c['bytes'] / 1024:.1f} KB |"
            )
    lines += ["", "**pandas or DuckDB for filtering and per-unit counts** (same process, same catalogue, same answer):", ""]
    lines += [
        "| interventions | pandas (ours): filter + count per commune | DuckDB: same query | DuckDB: loading the tables | same counts |"
    ]
    lines += ["|---|---|---|---|---|"]
    for n, r in rows.items():
        d = r.get("duckdb")
        if d is None:
            lines.append(f"| {n:,} | {fmt(r['chain']['count'])} | not installed | — | — |")
        else:
            lines.append(
                f"| {n:,} | {fmt(r['chain']['count'])} | {fmt(d['count'])} (DuckDB {d['version']}) | {d['load']:.2f} s "
                f"| {'yes' if d['agree'] else 'NO'} ({d['units']} communes) |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "SCALE.md")
    args = ap.parse_args(argv)
    sizes, repeat = ([20_000], 2) if args.quick else (args.sizes, args.repeat)
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    reference, cache, data, label = setup(sizes)
    rows = {}
    for n in sizes:
        print(f"{n:,} interventions: cold and warm starts…", flush=True)
        rows[n] = {"starts": starts(data[n], cache, repeat)}
        with tempfile.TemporaryDirectory(prefix="malimap-scale-") as tmp:
            shutil.copytree(cache / "cod-ab", Path(tmp) / "cod-ab")
            print(f"{n:,} interventions: filter + aggregate + map…", flush=True)
            c = chain(data[n], Path(tmp), max(5, repeat))
            rows[n]["duckdb"] = duckdb_compare(c.pop("catalogue"), c["ours"], max(5, repeat))
            rows[n]["chain"] = c
        print(f"{n:,} interventions: the textbook page…", flush=True)
        rows[n]["textbook"] = textbook(data[n], reference)
    text = report(rows, started, label)
    out = Path(tempfile.gettempdir()) / "malimap-scale-quick.md" if args.quick else args.out
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
