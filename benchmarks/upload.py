"""A 50,000-row 3W sheet, written the way real ones are, ingested as the Data page does it (read, check, resolve).

    python -m benchmarks.upload            # 50,000 rows, 3 repeats, writes benchmarks/UPLOAD.md
    python -m benchmarks.upload --rows 5000 --repeat 1 --no-write

The sheet mixes what real sheets hold: HXL hashtags, French and cluster sector names (some not ours), v02 and v03 region
names, misspelt cercles, day-first and quarter dates, a country column with rows in Niger. Boundaries: the reference
COD-AB copy when present (701 communes), else the embedded default.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = ["Activité", "Organisation", "Bailleur", "Secteur", "Pays", "Région", "Cercle", "Début", "Fin"]
TAGS = [
    "#activity",
    "#org+impl",
    "#org+funder",
    "#sector",
    "#country+code",
    "#adm1+name",
    "#adm2+name",
    "#date+start",
    "#date+end",
]
REGIONS = [
    ("Mopti", ["Djenne", "Bandiagara", "Koro", "Bankass", "Djennee", "Tenenkou"]),
    ("Gao", ["Ansongo", "Bourem", ""]),
    ("Tombouctou", ["Goundam", "Dire", "Niafunke"]),
    ("Bandiagara", ["Bankass", ""]),
    ("Dioïla", [""]),
    ("Ségou", ["Niono", "San", "Macina"]),
    ("Kidal", ["Tessalit", "Abeibara"]),
    ("Ménaka", [""]),
    ("Bamako", [""]),
]
SECTORS = [
    "Paix et réconciliation",
    "Cohésion sociale",
    "Relèvement précoce",
    "Protection",
    "Médiation",
    "Dialogue",
    "Sécurité alimentaire",
    "Genre",
    "Formation",
    "Gouvernance locale",
]
ORGS = ["WANEP-Mali", "AMSS", "Interpeace", "IMRAP", "ONG Locale {k}", "Association des jeunes de {k}"]
DATES = [("31/01/2021", "mars 2021"), ("T2 2020", "T3 2020"), ("2019", "2019"), ("01-2018", "12-2018"), ("2022-05-03", "")]


def sheet(rows: int, seed: int = 7) -> bytes:
    rnd = random.Random(seed)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerows([HEADER, TAGS])
    for k in range(rows):
        region, cercles = rnd.choice(REGIONS)
        start, end = rnd.choice(DATES)
        abroad = rnd.random() < 0.02
        w.writerow(
            [
                f"Activité {k}",
                rnd.choice(ORGS).format(k=k % 300),
                rnd.choice(["USAID", "ADA", "", "UE"]),
                rnd.choice(SECTORS),
                "NER" if abroad else "MLI",
                "" if abroad else region,
                "" if abroad else rnd.choice(cercles),
                start,
                end,
            ]
        )
    return buf.getvalue().encode("utf-8")


def measure(rows: int, repeat: int) -> dict:
    from malimap.dataset import load_dataset
    from malimap.geo.boundaries import cached_boundaries, embedded_boundaries, import_boundaries
    from malimap.geo.gazetteer import Gazetteer
    from malimap.sheets.columns import read_table
    from malimap.sheets.three_w import ingest

    reference = ROOT.parent / "shared" / "reference" / "geo"
    if (reference / "communes_mali.geojson").exists():
        cache = ROOT / "benchmarks" / "out" / "cache"
        if not (cache / "cod-ab" / "meta.json").exists():
            import_boundaries(reference, cache=cache)
        b, label = cached_boundaries(cache), "COD-AB v02 reference copy (701 communes)"
    else:
        b, label = embedded_boundaries(), "embedded default (regions drawn, cercles known)"
    ds = load_dataset(units=b.units)
    data = sheet(rows)
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = ingest(read_table("sheet.csv", data), ds, Gazetteer(b.units), "sheet.csv")
        times.append(time.perf_counter() - started)
    assert result is not None
    rejected = result.rejected.groupby("column")["row"].nunique().to_dict() if len(result.rejected) else {}
    return {
        "rows": rows,
        "bytes": len(data),
        "boundaries": label,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "repeat": repeat,
        "accepted": len(result.accepted),
        "rejected": rejected,
        "places": result.place_counts(),
        "sectors": len(result.sectors),
        "unresolved": len(result.unresolved),
    }


def concurrent_delay(rows: int, in_worker: bool = True) -> dict:
    """How much one session's upload slows another session's filter change in the same server process (shared GIL).

    The other session's change is what the map page does after a filter change: filter, count per unit, build the map
    values. Timed alone, then over and over while a thread ingests the sheet.
    """
    import threading

    from malimap.catalogue.build import build_catalogue
    from malimap.counts.coverage import MapOptions
    from malimap.counts.filters import Filters, apply_filters
    from malimap.dataset import load_dataset
    from malimap.geo.boundaries import embedded_boundaries
    from malimap.geo.gazetteer import Gazetteer
    from malimap.outputs.map_spec import Look, map_spec
    from malimap.sheets.columns import read_table
    from malimap.sheets.three_w import ingest

    b = embedded_boundaries()
    ds = load_dataset(units=b.units)
    cat = build_catalogue(ds, b)
    geo = {lv: {"url": f"geo-{lv}.json", "key": str(lv)} for lv in (1, 2)}

    def change(k: int) -> float:
        started = time.perf_counter()
        items = apply_filters(cat, Filters(themes=(("dialogue", "mediation")[k % 2],)))
        items = items.assign(title_display=items["title_fr"])
        map_spec(cat, items, MapOptions(level=1), Look(lang="fr"), geo.get, when=lambda row: "")
        return time.perf_counter() - started

    alone = [change(k) for k in range(20)]
    data = sheet(rows)
    if in_worker:  # as the Data page does it: the server thread only waits for the upload worker process
        from malimap.config import REPO_ROOT
        from malimap.sheets.worker import ingest_in_worker

        ingest_in_worker("warm.csv", b"title\nx\n", REPO_ROOT / "data", False, "fr")  # the worker is started once per server

        def job():
            ingest_in_worker("s.csv", data, REPO_ROOT / "data", False, "fr")
    else:  # in the server process itself, as before

        def job():
            ingest(read_table("s.csv", data), ds, Gazetteer(b.units), "s.csv")

    worker = threading.Thread(target=job)
    worker.start()
    during = []
    while worker.is_alive():
        during.append(change(len(during)))
    worker.join()
    return {
        "alone_s": statistics.median(alone),
        "during_median_s": statistics.median(during) if during else None,
        "during_max_s": max(during, default=None),
        "changes_during": len(during),
    }


def report(m: dict) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    places = ", ".join(f"{k} {v:,}" for k, v in sorted(m["places"].items()))
    rejected = ", ".join(f"{k} {v:,}" for k, v in m["rejected"].items()) or "none"
    return f"""# Upload benchmark: a {m["rows"]:,}-row 3W sheet

Measured {when} by `python -m benchmarks.upload` on this machine; read + check + resolve, as the Data page runs it.
Boundaries: {m["boundaries"]}. Sheet: {m["bytes"] / 1e6:.1f} MB CSV (HXL, French sectors, v02 and v03 names, misspelt
cercles, day-first and quarter dates, 2 % of rows in Niger).

| measure | value |
|---|---|
| ingest time, median of {m["repeat"]} (min–max) | {m["median_s"]:.2f} s ({m["min_s"]:.2f}–{m["max_s"]:.2f}) |
| budget | ≤ 10 s for 50,000 rows: {"met" if m["median_s"] <= 10 * m["rows"] / 50_000 else "MISSED"} |
| rows accepted | {m["accepted"]:,} of {m["rows"]:,} |
| rows rejected, by column | {rejected} |
| accepted rows by how the place was found | {places} |
| distinct sectors kept as written (not our themes) | {m["sectors"]} |
| place names not recognised (suggestions given) | {m["unresolved"]:,} |
""" + "".join(
        _delay_text(m[key], how)
        for key, how in (
            ("delay_inline", "read in the server process (before)"),
            ("delay", "read in the upload worker process (now)"),
        )
        if m.get(key)
    )


def _delay_text(d: dict, how: str) -> str:
    if d["during_max_s"] is None:
        return ""
    ok = "met" if d["during_max_s"] - d["alone_s"] < 1 else "MISSED"
    return (
        f"\nAnother session's filter change (filter, count per region, map values) while the sheet is {how}: "
        f"{d['alone_s'] * 1000:.0f} ms alone, {d['during_median_s'] * 1000:.0f} ms median and "
        f"{d['during_max_s'] * 1000:.0f} ms at worst during the upload ({d['changes_during']} changes timed); "
        f"delayed by less than 1 s: {ok}.\n"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    measured = measure(args.rows, args.repeat)
    measured["delay_inline"] = concurrent_delay(args.rows, in_worker=False)
    measured["delay"] = concurrent_delay(args.rows, in_worker=True)
    text = report(measured)
    print(text)
    if not args.no_write:
        (ROOT / "benchmarks" / "UPLOAD.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
