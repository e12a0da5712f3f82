"""Assisted curation measured on the five seeds, which were curated by hand: for each seed, its rows are hidden (its
records, and organisations only it names are taken out of the table the proposer matches against), candidates are
proposed from the seed's text, and each field is scored against data/ — recall and precision per field, per seed and
over all five, plus the time per article. Not a test: the curated rows are the answer key, and nothing here is tuned to
pass.

    python -m benchmarks.propose           # writes benchmarks/PROPOSE.md (needs ../shared/seeds or MALIMAP_SEEDS_DIR)
"""

from __future__ import annotations

import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("organisations", "organisations with roles", "regions", "places with reach", "start dates", "participants")


def answer_key(ds, sid: str) -> dict[str, set]:
    """What the curator recorded from one seed, as sets comparable with proposals."""
    iv = ds.interventions[ds.interventions["source_id"] == sid]
    ids = set(iv["id"])
    parts = ds.participations[ds.participations["intervention_id"].isin(ids)]
    locs = ds.locations[ds.locations["intervention_id"].isin(ids)]
    places = set()
    for r in locs.itertuples():
        if r.country and r.country != "ML":
            places.add((f"abroad:{r.country}", "abroad"))
        elif r.pcode:
            places.add((r.pcode, r.reach))
    return {
        "organisations": set(parts["organisation_id"]),
        "organisations with roles": set(zip(parts["organisation_id"], parts["role"])),
        "regions": {p[:4] for p in locs["pcode"] if p},
        "places with reach": places,
        "start dates": {d for d in iv["start_date"] if d},
        "participants": {int(float(p)) for p in iv["participants"].dropna()} if "participants" in iv else set(),
    }


def proposed_sets(candidates, index: dict[str, str]) -> dict[str, set]:
    """The proposals as the same sets; a new organisation's name is looked up in the full table (the scorer may know
    what the proposer was not shown), else kept as 'new:<name>'."""

    out: dict[str, set] = {f: set() for f in FIELDS}
    for c in candidates:
        for o in c["organisations"]:
            oid = o["organisation_id"] or _look_up(o["name"], index)
            out["organisations"].add(oid)
            out["organisations with roles"].add((oid, o["role"]))
        for p in c["places"]:
            if p["reach"] == "abroad":
                out["places with reach"].add((f"abroad:{p.get('country', '')}", "abroad"))
            elif p["pcode"]:
                out["places with reach"].add((p["pcode"], p["reach"]))
                out["regions"].add(p["admin1"])
        if c["start"]:
            out["start dates"].add(c["start"])
        if c["participants"] is not None:
            out["participants"].add(c["participants"])
    return out


def _bare(name: str) -> str:
    """A name folded, without a leading article: "l'Union européenne …" and "Union européenne …" are one spelling."""
    from malimap.geo.gazetteer import fold

    return re.sub(r"^(?:l |la |le |les |the )", "", fold(name))


def _look_up(name: str, index: dict[str, str]) -> str:
    """A new organisation's name as written, its part before "(ACRONYM)", or the acronym, in the full table."""
    m = re.match(r"^(.*?)\s*\(([^)]+)\)\s*$", name)
    for v in [name, *(m.groups() if m else ())]:
        if _bare(v) in index:
            return index[_bare(v)]
    return f"new:{_bare(name)}"


def score(found: set, truth: set) -> tuple[int, int, int]:
    return len(found & truth), len(truth), len(found)


def bare_index(orgs: pd.DataFrame) -> dict[str, str]:
    from malimap.catalogue.org_names import spellings

    return {_bare(v): r.id for r in orgs.itertuples() for v in spellings(r)}


def run(seeds: Path) -> tuple[list[dict], list[str]]:
    from malimap.dataset import load_dataset
    from malimap.geo.gazetteer import default_gazetteer
    from malimap.propose.article import read_article
    from malimap.propose.records import propose

    ds = load_dataset(ROOT / "data", seeds=Path("/nonexistent"))
    gazetteer = default_gazetteer()
    full_index = bare_index(ds.organisations)
    rows, notes = [], []
    for src in ds.sources.itertuples():
        path = seeds / src.file
        if not path.is_file():
            notes.append(f"{src.file}: not found, skipped")
            continue
        ids = set(ds.interventions.loc[ds.interventions["source_id"] == src.id, "id"])
        parts = ds.participations
        own = set(parts.loc[parts["intervention_id"].isin(ids), "organisation_id"])
        elsewhere = set(parts.loc[~parts["intervention_id"].isin(ids), "organisation_id"])
        shown = ds.organisations[~ds.organisations["id"].isin(own - elsewhere)]
        article = read_article(path)
        t0 = time.perf_counter()
        candidates = propose(article, shown, gazetteer)
        ms = (time.perf_counter() - t0) * 1000
        found = [c.as_json() | {"places": [p | {"country": q["country"]} for p, q in zip(c.as_json()["places"], c.places)]}
                 for c in candidates]  # fmt: skip
        quotes = [q for c in found for q in quotes_of(c)]
        verbatim = sum(q in article.text for q in quotes)
        truth, got = answer_key(ds, src.id), proposed_sets(found, full_index)
        rows.append({"seed": src.file, "source": src.id, "records": (len(candidates), len(ids)), "ms": ms,
                     "verbatim": (verbatim, len(quotes)), **{f: score(got[f], truth[f]) for f in FIELDS}})  # fmt: skip
    return rows, notes


def quotes_of(c: dict) -> list[str]:
    """Every quote a candidate (as JSON) carries: what must be cut verbatim from the article."""
    out = [c["evidence"], c["dates_evidence"], c["participants_evidence"]]
    out += [o["evidence"] for o in c["organisations"]] + [p["evidence"] for p in c["places"]]
    return [q for q in out if q]


def _pct(hit: int, of: int) -> str:
    return f"{hit / of:.2f}" if of else "–"


def report(rows: list[dict], notes: list[str]) -> str:
    lines = [
        "# Assisted curation: proposals scored against the hand-curated seeds",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python -m benchmarks.propose`. For each seed its own rows are "
        "hidden (its records, and the organisations only it names are removed from the table the proposer matches), the "
        "seed's text is proposed from, and the proposals are compared with data/ as sets per article: an organisation by "
        "its id (a new one's name looked up in the full table by the scorer), with its role; a Mali place by its P-code "
        "with its reach, a place abroad by its country; a region by the first four characters of a P-code; start dates "
        "and participant counts as written. recall = found and curated / curated; precision = found and curated / found.",
        "",
        "| seed | records proposed / curated | " + " | ".join(f"{f} R / P" for f in FIELDS) + " | quotes verbatim | ms |",
        "|---|---|" + "---|" * len(FIELDS) + "---|---|",
    ]
    for r in rows:
        cells = [f"{_pct(h, t)} / {_pct(h, f)} ({h}/{t}, {f})" for h, t, f in (r[x] for x in FIELDS)]
        lines.append(f"| {r['seed']} | {r['records'][0]} / {r['records'][1]} | " + " | ".join(cells)
                     + f" | {r['verbatim'][0]}/{r['verbatim'][1]} | {r['ms']:.0f} |")  # fmt: skip
    total = {f: tuple(sum(r[f][i] for r in rows) for i in range(3)) for f in FIELDS}
    cells = [f"**{_pct(h, t)} / {_pct(h, f)}** ({h}/{t}, {f})" for h, t, f in total.values()]
    verbatim = (sum(r["verbatim"][0] for r in rows), sum(r["verbatim"][1] for r in rows))
    ms = sorted(r["ms"] for r in rows)
    lines.append(f"| **all** | {sum(r['records'][0] for r in rows)} / {sum(r['records'][1] for r in rows)} | "
                 + " | ".join(cells) + f" | {verbatim[0]}/{verbatim[1]} | median {ms[len(ms) // 2]:.0f} |")  # fmt: skip
    lines += ["", "Cells: recall / precision (found and curated / curated, found). ms: proposing only (the article read, the "
              "organisation table and the gazetteer loaded once before)."] + [f"- {n}" for n in notes]  # fmt: skip
    return "\n".join(lines) + "\n"


def _cli_seconds(article: Path) -> float:
    import subprocess

    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "malimap", "propose", str(article), "--json"], check=True, capture_output=True, cwd=ROOT
        )
        times.append(time.perf_counter() - t0)
    return sorted(times)[1]


def main(argv: list[str] | None = None) -> int:
    from malimap import config

    seeds = config.seeds_dir()
    if not seeds.is_dir():
        print(f"no seeds at {seeds}: set MALIMAP_SEEDS_DIR", file=sys.stderr)
        return 2
    rows, notes = run(seeds)
    largest = max((seeds / r["seed"] for r in rows), key=lambda f: f.stat().st_size)
    notes.append(f"the whole command, `python -m malimap propose {largest.name} --json` in a fresh process (start-up, the "
                 f"dataset from its cache, proposing, printing): median of 3 runs {_cli_seconds(largest):.2f} s")  # fmt: skip
    text = report(rows, notes)
    print(text)
    if "--print" not in (argv or sys.argv[1:]):
        (ROOT / "benchmarks" / "PROPOSE.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
