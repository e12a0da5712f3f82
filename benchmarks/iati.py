"""10,000 IATI activities, written the way publishers' files are, imported as `python -m malimap import-iati` does it.

    python -m benchmarks.iati                  # 10,000 activities, 3 repeats, writes benchmarks/IATI.md
    python -m benchmarks.iati --activities 500 --repeat 1 --no-write

The file mixes what real ones hold: multi-country activities with percentages, Mali named only on transactions,
activities elsewhere, points in Mali, at its centroid and abroad, office buildings, Mali P-codes written ML and MLI,
region and cercle names, names no gazetteer knows, parents and children, budgets and transactions in three currencies.
Each run is a fresh process (cold imports excluded, measured apart). In the same run, the textbook way to read such a
file (`xml.etree.ElementTree.parse`, the whole tree in memory, then the same loop) is timed and its memory taken, as a
yardstick for the streamed reader.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ABROAD = [("Dakar", 14.7167, -17.4677, "SN"), ("Niamey", 13.5116, 2.1254, "NE"), ("Brussels", 50.8503, 4.3517, "BE")]
CURRENCIES = ["USD", "EUR", "XOF"]
SECTORS = ["15220", "15220", "15210", "15240", "15261", "15150", "11220", "12220"]


def write_file(path: Path, n: int, seed: int = 1) -> None:
    """An IATI 2.03 activity file of `n` activities (invented organisations and figures, real Mali places)."""
    from malimap.geo.boundaries import embedded_boundaries
    from malimap.outputs.geometry import unit_centres

    rng = random.Random(seed)
    b = embedded_boundaries()
    centres = list(unit_centres(b.layers[1]).items())
    units = b.units.to_dict("records")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n')
        for i in range(n):
            fh.write(_activity(i, rng, centres, units))
        fh.write("</iati-activities>\n")


def _activity(i: int, rng: random.Random, centres, units) -> str:
    pub = f"XM-BENCH-{i % 40}"
    countries = rng.choices(
        ['<recipient-country code="ML"/>', '<recipient-country code="ML" percentage="60"/><recipient-country code="NE" '
         'percentage="40"/>', "", '<recipient-country code="BF"/>'], weights=[6, 2, 1, 1]
    )[0]  # fmt: skip
    tx_country = '<recipient-country code="ML"/>' if not countries else ""
    locs = []
    for _ in range(rng.randint(0, 3)):
        kind = rng.random()
        if kind < 0.35:
            pcode, (lat, lng) = rng.choice(centres)
            locs.append(f"<location><point><pos>{lat + rng.uniform(-0.2, 0.2):.4f} {lng + rng.uniform(-0.2, 0.2):.4f}</pos>"
                        '</point><exactness code="1"/><location-class code="2"/></location>')  # fmt: skip
        elif kind < 0.6:
            u = rng.choice(units)
            locs.append(f"<location><name><narrative>{u['name']}</narrative></name></location>")
        elif kind < 0.75:
            u = rng.choice(units)
            code = u["pcode"].replace("ML", rng.choice(["ML", "MLI"]))
            locs.append(f'<location><administrative vocabulary="A9" level="{u["level"]}" code="{code}"/></location>')
        elif kind < 0.82:
            locs.append('<location><point><pos>17.570692 -3.996166</pos></point><feature-designation code="PCLI"/></location>')
        elif kind < 0.89:
            name, lat, lng, cc = rng.choice(ABROAD)
            locs.append(f'<location><name><narrative>{name} office</narrative></name><point><pos>{lat} {lng}</pos></point>'
                        f'<administrative vocabulary="A4" code="{cc}"/></location>')  # fmt: skip
        elif kind < 0.95:
            locs.append('<location><point><pos>12.6392 -8.0029</pos></point><feature-designation code="BLDO"/></location>')
        else:
            locs.append(f'<location><location-id vocabulary="G1" code="{rng.randint(10**6, 10**7)}"/><name><narrative>'
                        f"Village {i}</narrative></name></location>")  # fmt: skip
    cur = rng.choice(CURRENCIES)
    year = rng.randint(2012, 2024)
    related = f'<related-activity ref="{pub}-{i - 1}" type="1"/>' if i % 10 == 1 else ""
    return (
        f'<iati-activity default-currency="{cur}" last-updated-datetime="2024-05-01T00:00:00Z" xml:lang="fr">'
        f"<iati-identifier>{pub}-{i}</iati-identifier>"
        f'<reporting-org ref="{pub}" type="40"><narrative>Bailleur {i % 40}</narrative></reporting-org>'
        f'<title><narrative>Projet de paix {i}</narrative><narrative xml:lang="en">Peace project {i}</narrative></title>'
        f"<description><narrative>{'Appui au dialogue communautaire. ' * 5}</narrative></description>"
        f'<participating-org ref="{pub}" role="1" type="40"><narrative>Bailleur {i % 40}</narrative></participating-org>'
        f'<participating-org role="4" type="22"><narrative>ONG partenaire {i % 300}</narrative></participating-org>'
        f'<activity-status code="{rng.choice("123456")}"/>'
        f'<activity-date iso-date="{year}-01-15" type="2"/><activity-date iso-date="{year + 2}-12-31" type="3"/>'
        f"{countries}{''.join(locs)}"
        f'<sector vocabulary="1" code="{rng.choice(SECTORS)}"/>'
        f'<budget><period-start iso-date="{year}-01-01"/><period-end iso-date="{year}-12-31"/>'
        f'<value value-date="{year}-01-01">{rng.randint(10, 5000) * 1000}</value></budget>'
        f'<transaction><transaction-type code="2"/><transaction-date iso-date="{year}-02-01"/>'
        f"<value>{rng.randint(10, 900) * 1000}</value>{tx_country}</transaction>"
        f'<transaction><transaction-type code="3"/><transaction-date iso-date="{year}-06-01"/>'
        f'<value currency="EUR">{rng.randint(10, 900) * 1000}</value></transaction>'
        f"{related}</iati-activity>\n"
    )


CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
def status(key):
    return next(int(l.split()[1]) * 1024 for l in open("/proc/self/status") if l.startswith(key))
from pathlib import Path
mode, path, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
from malimap.geo.boundaries import embedded_boundaries
import malimap.iati.keep, malimap.iati.read  # noqa: E401
imports = time.perf_counter() - t0
before = status("VmRSS:")
t = time.perf_counter()
if mode == "ours":
    from malimap.iati.keep import import_iati
    r = import_iati([path], out, boundaries=embedded_boundaries())
    result = {"read": len(r.activities), **r.counts(), "places": r.places, "refused": r.refused,
              "skipped_by": r.by_code("skipped"), "flagged_by": r.by_code("flagged")}
elif mode == "read":
    from malimap.iati.read import read_activities
    with open(path, "rb") as fh:
        result = {"read": sum(1 for _ in read_activities(fh, path.name))}
else:  # the textbook way: the whole tree, then a loop over it
    import xml.etree.ElementTree as ET
    tree = ET.parse(path)
    result = {"read": sum(1 for a in tree.getroot().iter("iati-activity") if a.find("iati-identifier") is not None)}
seconds = time.perf_counter() - t
peak = status("VmHWM:") - before  # what the run itself added at its peak, beyond the loaded modules
print(json.dumps({"seconds": seconds, "imports": imports, "peak": peak, **result}))
"""


def run(mode: str, path: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, mode, str(path), str(out)], capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(n: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "activities.xml"
        write_file(path, n)
        size = path.stat().st_size
        runs: dict[str, list[dict]] = {"ours": [], "read": [], "textbook": []}
        for k in range(repeat):
            for mode in runs:
                runs[mode].append(run(mode, path, Path(tmp) / f"pkg-{mode}-{k}"))
    return {"activities": n, "bytes": size, "runs": runs}


def report(m: dict) -> str:
    med = lambda mode, key: statistics.median(r[key] for r in m["runs"][mode])  # noqa: E731
    last = m["runs"]["ours"][-1]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# IATI import benchmark",
        "",
        f"Run on {when}; {m['activities']:,} activities, {m['bytes'] / 1e6:.1f} MB of XML (benchmarks/iati.py); "
        f"{len(m['runs']['ours'])} fresh processes each, medians; boundaries: embedded regions. Imports (Python "
        f"modules) take {med('ours', 'imports'):.2f} s before the clock starts.",
        "",
        "| what | time | peak memory added by the run |",
        "|---|---|---|",
        f"| import-iati: read, place, rows, validate, write the package | **{med('ours', 'seconds'):.2f} s** | "
        f"{med('ours', 'peak') / 2**20:.0f} MiB |",
        f"| our streamed reader alone | {med('read', 'seconds'):.2f} s | {med('read', 'peak') / 2**20:.0f} MiB |",
        f"| textbook: ElementTree.parse of the whole file, then the loop | {med('textbook', 'seconds'):.2f} s | "
        f"{med('textbook', 'peak') / 2**20:.0f} MiB |",
        "",
        f"Budget: {m['activities']:,} activities ≤ 10 s: "
        + ("met" if med("ours", "seconds") <= 10 * m["activities"] / 10_000 else "MISSED")
        + " (scaled to this run's size).",
        "",
        f"Last run: {last['read']:,} read; {last.get('imported', 0):,} imported, {last.get('flagged', 0):,} imported and "
        f"flagged, {last.get('skipped', 0):,} skipped.",
        "",
        "- skipped by reason: " + ", ".join(f"{k} {v:,}" for k, v in last["skipped_by"].items()),
        "- flagged by reason (an activity counts once per reason): "
        + ", ".join(f"{k} {v:,}" for k, v in last["flagged_by"].items()),
        "- places by how they were found: " + ", ".join(f"{k} {v:,}" for k, v in last["places"].items()),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--activities", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    text = report(measure(args.activities, args.repeat))
    print(text)
    if not args.no_write:
        (ROOT / "benchmarks" / "IATI.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
