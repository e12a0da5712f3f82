"""The interactive map file (map_html) at commune level: its size and the time to build it, curated data and 10,000
synthetic records, on the reference boundaries (701 communes).

    python -m benchmarks.map_html          # writes benchmarks/MAP_HTML.md
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.run import setup
from benchmarks.synth import curated_label

ROOT = Path(__file__).resolve().parents[1]
BUDGET = 1.5 * 2**20  # the issue's ceiling for a file sent by e-mail or carried on a USB stick


def measure(data: Path, label: str) -> list[dict]:
    from malimap.catalogue.build import build_catalogue
    from malimap.counts.coverage import MapOptions
    from malimap.dataset import load_dataset
    from malimap.geo.boundaries import active_boundaries
    from malimap.outputs.charts import date_text
    from malimap.outputs.map_html import map_html
    from malimap.outputs.map_spec import Look, map_spec

    b = active_boundaries()
    cat = build_catalogue(load_dataset(data, seeds=Path("/nonexistent"), units=b.units), b)
    items = cat.interventions.assign(title_display=cat.interventions["title_fr"])
    out = []
    for level in sorted(b.layers):
        options = MapOptions(level=level)
        spec, _ = map_spec(cat, items, options, Look(lang="fr"), lambda lv: {"url": "x", "key": "x"}, when=lambda r: "")
        times, html = [], ""
        for _ in range(3):
            t = time.perf_counter()
            html = map_html(
                cat,
                spec,
                items,
                options,
                title="Carte",
                sentence="Toutes les interventions, sans filtre.",
                stamp="malimap",
                lang="fr",
                when=lambda r: date_text(r, "fr"),
            )
            times.append(time.perf_counter() - t)
        out.append({"dataset": label, "level": level, "bytes": len(html.encode()), "seconds": sorted(times)[1]})
    return out


def main() -> int:
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    _reference, cache, data, label = setup([10_000])
    os.environ["MALIMAP_CACHE_DIR"] = str(cache)
    rows = measure(ROOT / "data", curated_label()) + measure(data[10_000], "10,000 synthetic")
    lines = [
        "## Interactive map file (HTML, offline)",
        "",
        f"Run `python -m benchmarks.map_html` on {started} UTC; boundaries: {label}. One self-contained file per view "
        "(Leaflet's script and style inlined, 147 KB + 15 KB of it); median of 3 builds.",
        "",
        "| dataset | level | file size | budget | met | build time |",
        "|---|---|---|---|---|---|",
    ]
    names = {1: "regions", 2: "cercles", 3: "communes"}
    for r in rows:
        met = "yes" if r["bytes"] <= BUDGET or r["level"] != 3 else "NO"
        budget = "≤ 1.5 MB" if r["level"] == 3 else "—"
        lines.append(
            f"| {r['dataset']} | {names[r['level']]} | {r['bytes'] / 2**20:,.2f} MB | {budget} | "
            f"{met if r['level'] == 3 else '—'} | {r['seconds'] * 1000:,.0f} ms |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "benchmarks" / "MAP_HTML.md").write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
