"""What hostile or unlucky uploads cost the shared server, measured (CPU seconds of the process that reads them).

    python -m benchmarks.hostile                    # writes benchmarks/HOSTILE.md
    python -m benchmarks.hostile --unresolved 2000 --no-write

- the largest sheet an upload may be (50,000 rows) with every place unknown, each a different commune name (the fuzzy
  search's worst case), against the active boundaries (the reference COD-AB copy when present: 701 communes);
- a very wide sheet (400,000 columns), a zip bomb (a few KB that inflate to 150 MB), a 200,000-row workbook;
- one session's one-row upload while another session's 50,000-row sheet is being read, through the upload workers.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import string
import tempfile
import threading
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

REGIONS = ["Mopti", "Gao", "Kayes", "Ségou", "Sikasso", "Tombouctou", "Kidal", "Koulikoro"]


def unknown_places_sheet(rows: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    lines = ["title,adm1_name,adm3_name,start_date"]
    for i in range(rows):
        name = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 11)))
        lines.append(f"Atelier {i},{rng.choice(REGIONS)},{name},2021")
    return ("\n".join(lines) + "\n").encode()


def _cpu(fn) -> tuple[float, object]:
    started = time.process_time()
    try:
        out = fn()
    except Exception as exc:  # a refusal is the expected outcome for the hostile files
        out = exc
    return time.process_time() - started, out


def measure(unresolved_rows: int) -> dict:
    from openpyxl import Workbook

    from malimap.dataset import load_dataset
    from malimap.geo.boundaries import active_boundaries, import_boundaries
    from malimap.geo.gazetteer import Gazetteer
    from malimap.sheets.columns import read_table
    from malimap.sheets.three_w import ingest

    cache = Path(tempfile.mkdtemp())
    os.environ["MALIMAP_CACHE_DIR"] = str(cache)
    reference = Path(os.environ.get("MALIMAP_REFERENCE_GEO", ROOT.parent / "shared" / "reference" / "geo"))
    if (reference / "communes_mali.geojson").exists():
        import_boundaries(reference, cache=cache)
    b = active_boundaries()
    ds = load_dataset(units=b.units)
    out: dict = {"boundaries": f"{b.source} ({int((b.units['level'] == 3).sum())} communes)"}
    sheet = unknown_places_sheet(unresolved_rows)
    out["unresolved"] = _cpu(lambda: ingest(read_table("u.csv", sheet), ds, Gazetteer(b.units), "u.csv"))
    out["unresolved_rows"] = unresolved_rows
    wide = (",".join(f"c{i}" for i in range(400_000)) + "\n" + "x," * 10 + "\n").encode()
    out["wide"] = _cpu(lambda: read_table("wide.csv", wide)) + (len(wide),)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * 150_000_000 + b">")
    out["bomb"] = _cpu(lambda: read_table("bomb.xlsx", buf.getvalue())) + (len(buf.getvalue()),)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["title"])
    for k in range(200_000):
        ws.append([k])
    long = io.BytesIO()
    wb.save(long)
    out["long"] = _cpu(lambda: read_table("long.xlsx", long.getvalue())) + (len(long.getvalue()),)
    out["wait"] = _wait_beside(unknown_places_sheet(50_000, seed=2))
    return out


def _wait_beside(big: bytes) -> dict:
    """A one-row upload sent 0.5 s after another session's 50,000-row sheet, both through the upload workers."""
    from malimap.config import REPO_ROOT
    from malimap.sheets.worker import ingest_in_worker

    data = REPO_ROOT / "data"
    warm = [threading.Thread(target=ingest_in_worker, args=("warm.csv", b"title\nx\n", data, False, "fr")) for _ in "ab"]
    for w in warm:  # two at once, so that both workers start (one after the other would reuse the first)
        w.start()
    for w in warm:
        w.join()
    done: dict = {}

    def large():
        t = time.perf_counter()
        ingest_in_worker("big.csv", big, data, False, "fr")
        done["large_s"] = time.perf_counter() - t

    th = threading.Thread(target=large)
    th.start()
    time.sleep(0.5)
    t = time.perf_counter()
    ingest_in_worker("small.csv", b"title,adm1_name\nForum,Gao\n", data, False, "fr")
    done["small_s"] = time.perf_counter() - t
    th.join()
    done.update(_after_leaving(big))
    return done


def _after_leaving(big: bytes) -> dict:
    """With one upload worker: a session leaves 2 s into its 50,000-row upload; how soon is the next session answered?"""
    from malimap.config import REPO_ROOT
    from malimap.sheets.worker import ingest_in_worker

    class Left(Exception):
        pass

    data, before = REPO_ROOT / "data", os.environ.get("MALIMAP_UPLOAD_WORKERS")
    os.environ["MALIMAP_UPLOAD_WORKERS"] = "1"
    began = time.perf_counter()

    def tick():  # the page's "still reading" line, whose session ends after 2 s
        if time.perf_counter() - began > 2:
            raise Left

    try:
        try:
            ingest_in_worker("big.csv", big, data, False, "fr", tick=tick)
        except Left:
            pass
        t = time.perf_counter()
        ingest_in_worker("small.csv", b"title,adm1_name\nForum,Gao\n", data, False, "fr")
        return {"after_leaving_s": time.perf_counter() - t}
    finally:
        if before is None:
            del os.environ["MALIMAP_UPLOAD_WORKERS"]
        else:
            os.environ["MALIMAP_UPLOAD_WORKERS"] = before


def report(m: dict) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    cpu, result = m["unresolved"]
    n = m["unresolved_rows"]
    said = lambda r: type(r).__name__ + (f": {r}" if isinstance(r, Exception) else "")  # noqa: E731
    rows = [
        f"| the largest sheet of unknown places ({n:,} rows, every commune name different) | **{cpu:.1f} s** | "
        f"{len(result.unresolved):,} places reported unresolved with suggestions |"
        if not isinstance(result, Exception)
        else f"| unknown places | {cpu:.1f} s | {said(result)} |",
        f"| a 400,000-column sheet ({m['wide'][2] / 1e6:.1f} MB) | **{m['wide'][0]:.2f} s** | {said(m['wide'][1])[:160]} |",
        f"| a zip bomb ({m['bomb'][2] / 1e3:.0f} KB inflating to 150 MB) | **{m['bomb'][0]:.2f} s** | {said(m['bomb'][1])[:160]} |",
        f"| a 200,000-row workbook ({m['long'][2] / 1e6:.1f} MB) | **{m['long'][0]:.2f} s** | {said(m['long'][1])[:160]} |",
    ]
    w = m["wait"]
    return (
        "\n".join(
            [
                "# Hostile and oversized uploads",
                "",
                f"Run on {when}, {os.cpu_count()} CPU; boundaries: {m['boundaries']}. CPU seconds of the process reading the file "
                "(benchmarks/hostile.py); budgets from issue 22: unknown-places sheet ≤ 30 s, hostile files refused ≤ 2 s.",
                "",
                "| upload | CPU | outcome |",
                "|---|---|---|",
                *rows,
                "",
                f"One session's one-row upload sent while another session's 50,000-row sheet of unknown places was being read: "
                f"answered in **{w['small_s']:.2f} s** (the large one took {w['large_s']:.1f} s); upload workers: "
                f"{os.environ.get('MALIMAP_UPLOAD_WORKERS', '2')}.",
                "",
                f"With a single upload worker, a session that leaves 2 s into its 50,000-row upload has it stopped (its "
                f"worker killed): the next session's one-row upload is answered in **{w['after_leaving_s']:.2f} s** "
                "(a fresh worker starting and loading the data), instead of waiting for the abandoned read to finish.",
            ]
        )
        + "\n"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--unresolved", type=int, default=50_000)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    text = report(measure(args.unresolved))
    print(text)
    if not args.no_write:
        (ROOT / "benchmarks" / "HOSTILE.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
