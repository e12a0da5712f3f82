"""A 25,000-row OCHA operational-presence (5W) workbook, read and checked as the Data page's worker does it.

    python -m benchmarks.presence                 # 25,000 rows, 3 repeats, writes benchmarks/PRESENCE.md
    python -m benchmarks.presence --rows 2000 --repeat 1 --no-write

The workbook is shaped like the published ones: a title row, French headers and their HXL row, ISO3 P-codes, names in
capitals, organisations by acronym and by full name, most rows exact duplicates of others (a real Mali 5W repeats
each organisation × place × cluster across activities), a pivot sheet and a summary after the data. In the same run,
`pandas.read_excel` of the same sheet (the textbook way, which reads it but checks and places nothing) is timed.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLUSTERS = ["Protection", "Cohésion sociale", "Education", "Santé", "Abris", "WASH", "Sécurité alimentaire"]
TYPES = ["ONG Internationale", "ONG Nationale", "Agence UN", "Gouvernement", "Croix-Rouge"]
# the header row and HXL row of OCHA Mali's published 5W (shared with tests/test_presence.py)
HEADER = ["Nom Organisation", "Organisation Accronyme", "Type Organisation", "Cluster", "Secteur", "Région", "Cercle",
          "Commune", "admin1Pcod", "admin2Pcod", "admin3Pcod", "Date début", "Date fin", "Statut"]  # fmt: skip
HXL = ["#org+name", "#org+acronym", "#org+type", "#sector+cluster", "#sector+sub", "#adm1+name", "#adm2+name",
       "#adm3+name", "#adm1+code", "#adm2+code", "#adm3+code", "#date+start", "#date+end", "#status"]  # fmt: skip


def workbook(rows: int, seed: int = 1) -> bytes:
    from openpyxl import Workbook

    from malimap.geo.boundaries import embedded_boundaries

    rng = random.Random(seed)
    units = embedded_boundaries().units
    cercles = units[units["level"] == 2].to_dict("records")
    names = dict(zip(units["pcode"], units["name"]))
    orgs = [(f"Organisation numéro {i}", f"ORG{i}", rng.choice(TYPES)) for i in range(300)]
    distinct = []
    for _ in range(max(1, rows // 5)):
        name, acronym, kind = rng.choice(orgs)
        c = rng.choice(cercles)
        region = c["parent_pcode"]
        shown = acronym if rng.random() < 0.3 else name  # by acronym in some rows, by full name in others
        distinct.append([shown, acronym, kind, rng.choice(CLUSTERS), "", names[region].upper(), c["name"], "",
                         "MLI" + region[2:], "MLI" + c["pcode"][2:], "", "2023-01-01", "2023-12-31", "En cours"])  # fmt: skip
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("5W")
    ws.append(["Mali : présence opérationnelle (5W)"])
    ws.append(HEADER)
    ws.append(HXL)
    for _ in range(rows):
        ws.append(rng.choice(distinct))
    pivot = wb.create_sheet("TCD")
    pivot.append(["Étiquettes de lignes", "Nombre de Nom Organisation"])
    for cl in CLUSTERS:
        pivot.append([cl, rng.randint(1, 900)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def measure(rows: int, repeat: int) -> dict:
    import pandas as pd

    from malimap.dataset import load_dataset
    from malimap.geo.boundaries import embedded_boundaries
    from malimap.geo.gazetteer import Gazetteer
    from malimap.sheets.columns import read_table
    from malimap.sheets.three_w import ingest

    data = workbook(rows)
    b = embedded_boundaries()
    ds = load_dataset(units=b.units)
    ours, textbook, last = [], [], None
    for _ in range(repeat):
        t = time.perf_counter()
        table = read_table("5w.xlsx", data)
        last = ingest(table, ds, Gazetteer(b.units), "5w.xlsx", "fr")
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        pd.read_excel(io.BytesIO(data), sheet_name=0, header=1, dtype=str)
        textbook.append(time.perf_counter() - t)
    assert last is not None
    return {"rows": rows, "bytes": len(data), "ours": ours, "textbook": textbook, "result": last}


def report(m: dict) -> str:
    r = m["result"]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    iv = r.dataset.interventions
    kept = iv[iv["id"].isin(r.accepted["id"])]
    parts = r.dataset.participations
    used = set(parts.loc[parts["intervention_id"].isin(r.accepted["id"]), "organisation_id"])
    new = {o for o in used if o.startswith("upload-")}
    ours, textbook = statistics.median(m["ours"]), statistics.median(m["textbook"])
    reasons = r.rejected.drop_duplicates("row")["error"].value_counts().to_dict() if len(r.rejected) else {}
    return (
        "\n".join(
            [
                "# OCHA operational presence (5W) workbook benchmark",
                "",
                f"Run on {when}; {m['rows']:,} data rows, {m['bytes'] / 1e6:.1f} MB workbook (benchmarks/presence.py); "
                f"{len(m['ours'])} repeats, medians; boundaries: embedded.",
                "",
                "| what | time |",
                "|---|---|",
                f"| ours: find the data sheet, read, collapse duplicates, check and place every row | **{ours:.2f} s** |",
                f"| textbook: pandas.read_excel of the same sheet (nothing checked or placed) | {textbook:.2f} s |",
                "",
                f"Budget: a 25,000-row workbook ≤ 10 s: {'met' if ours <= 10 * m['rows'] / 25_000 else 'MISSED'} "
                "(scaled to this run's size).",
                "",
                f"- rows: {m['rows']:,} in the sheet; {r.duplicates:,} duplicate rows collapsed; {r.rows_read:,} read; "
                f"{len(r.accepted):,} kept ({int((kept['kind'] == 'presence').sum()):,} presences); "
                f"{r.rejected['row'].nunique() if len(r.rejected) else 0:,} rejected"
                + (f" ({', '.join(f'{k}: {v}' for k, v in reasons.items())})" if reasons else ""),
                "- places by how found: " + ", ".join(f"{k} {v:,}" for k, v in r.place_counts().items()),
                f"- organisations: {len(used) - len(new):,} matched, {len(new):,} new",
                f"- sheet read: {r.sheet}; not read: {', '.join(r.other_sheets)}",
            ]
        )
        + "\n"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=25_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    text = report(measure(args.rows, args.repeat))
    print(text)
    if not args.no_write:
        (ROOT / "benchmarks" / "PRESENCE.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
