"""Assisted curation measured on articles nobody here curated into data/: a folder of articles (.txt, .md, .html),
each beside a `NAME.truth.json` a curator wrote before looking at the proposals. This is the issue's real test; the
seeds (benchmarks/propose.py) were curated by the same hands that wrote the rules. The articles are not in the project
(they are other people's pages); keep your own set and point this at it.

    python -m benchmarks.propose_annotated DIR [DIR …]   # prints a table per folder and over all

A truth file:

    {"orgs": [{"names": ["ACTED"], "role": "implementer"}, …],   # every spelling that counts as this organisation
     "regions": ["ML05"],                                          # admin1 P-codes of places with any reach in Mali
     "dates": [["2019-02-28"], ["2018"]],                          # one list per record's start: the readings accepted
     "optional_dates": ["2019-06-26"],                             # a start neither required nor wrong
     "published": "2019-04"}                                       # what the curator would type as --published

Scoring: a proposed organisation is right when its name (or either half of "Full Name (ACR)"), or any spelling of
the existing organisation it was matched to, folds to one of an annotated organisation's names (the leading article,
"ONG" and a closing "au Mali" dropped). recall = annotated and found / annotated; precision = found and annotated /
found.
"""

from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

from benchmarks.propose import quotes_of

FIELDS = ("organisations", "organisations with roles", "regions", "start dates")


def _key(name: str) -> str:
    from malimap.geo.gazetteer import fold

    folded = re.sub(r"[^a-z0-9]+", " ", fold(name)).strip()
    folded = re.sub(r"\s+(?:au|en|in) mali$", "", folded)  # "l'ambassade de X au Mali" is the embassy of X
    return re.sub(r"^(?:(?:l|la|le|les|the|ong|ngo)\s+)+", "", folded)


def score_article(candidates: list[dict], truth: dict, spellings: dict[str, set[str]]) -> dict[str, tuple[int, int, int]]:
    """(annotated and found, annotated, found) per field for one article."""
    wanted = [({_key(n) for n in o["names"]}, o["role"]) for o in truth["orgs"]]
    orgs = {(o["name"], o["organisation_id"] or "", o["role"]) for c in candidates for o in c["organisations"]}

    def which(name: str, oid: str) -> int | None:
        parts = re.match(r"^(.*?)\s*\(([^)]+)\)\s*$", name)  # "Full Name (ACR)": either half names it
        keys = {_key(v) for v in [name, *(parts.groups() if parts else ())]} | {_key(s) for s in spellings.get(oid, ())}
        return next((i for i, (names, _) in enumerate(wanted) if keys & names), None)

    hits = [(which(n, oid), role) for n, oid, role in orgs]
    found_orgs = {h if h is not None else f"?{n}" for (h, _), (n, _, _) in zip(hits, orgs)}
    found_roles = {(h if h is not None else f"?{n}", r) for (h, r), (n, _, _) in zip(hits, orgs)}
    right_roles = {(i, role) for i, (_, role) in enumerate(wanted)}
    regions = {p["admin1"] for c in candidates for p in c["places"] if p["reach"] != "abroad" and p["admin1"]}
    starts = {c["start"] for c in candidates if c["start"]}
    groups = [set(g) for g in truth["dates"]]
    optional = set(truth.get("optional_dates", []))
    return {
        "organisations": (len({i for i in found_orgs if isinstance(i, int)}), len(wanted), len(found_orgs)),
        "organisations with roles": (len(found_roles & right_roles), len(wanted), len(found_roles)),
        "regions": (len(regions & set(truth["regions"])), len(truth["regions"]), len(regions)),
        "start dates": (sum(bool(g & starts) for g in groups), len(groups), len(starts - optional)),  # fmt: skip
    }


def _right_starts(candidates: list[dict], truth: dict) -> int:
    accepted = {d for g in truth["dates"] for d in g}
    return len({c["start"] for c in candidates if c["start"]} & accepted)


def run(folder: Path) -> list[dict]:
    from malimap.catalogue.org_names import spellings
    from malimap.dataset import load_dataset_cached
    from malimap.geo.gazetteer import default_gazetteer
    from malimap.propose.article import read_article
    from malimap.propose.records import propose

    orgs = load_dataset_cached().organisations
    names = {r.id: set(spellings(r)) for r in orgs.itertuples()}
    gazetteer = default_gazetteer()
    rows = []
    for truth_file in sorted(folder.rglob("*.truth.json")):
        stem = truth_file.name.removesuffix(".truth.json")
        article_file = next(p for p in truth_file.parent.glob(stem + ".*") if p != truth_file)
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        article = read_article(article_file)
        if truth.get("published"):
            article = replace(article, published=truth["published"])
        t0 = time.perf_counter()
        candidates = [c.as_json() for c in propose(article, orgs, gazetteer)]
        ms = (time.perf_counter() - t0) * 1000
        quotes = [q for c in candidates for q in quotes_of(c)]
        scores = score_article(candidates, truth, names)
        rows.append({"article": str(article_file.relative_to(folder)), "records": len(candidates), "ms": ms,
                     "verbatim": (sum(q in article.text for q in quotes), len(quotes)),
                     "right starts": _right_starts(candidates, truth), **scores})  # fmt: skip
    return rows


def _cell(hit: int, of: int, found: int, right: int | None = None) -> str:
    r = f"{hit / of:.2f}" if of else "–"
    good = hit if right is None else right
    p = f"{good / found:.2f}" if found else "–"
    return f"{r} / {p} ({hit}/{of}, {found})"


def table(rows: list[dict], title: str) -> str:
    head = "| article | records | " + " | ".join(f"{f} R / P" for f in FIELDS) + " | quotes verbatim | ms |"
    lines = [f"### {title}", "", head, "|---|---|" + "---|" * len(FIELDS) + "---|---|"]
    for r in rows:
        cells = [_cell(*r[f], r["right starts"] if f == "start dates" else None) for f in FIELDS]
        lines.append(f"| {r['article']} | {r['records']} | " + " | ".join(cells)
                     + f" | {r['verbatim'][0]}/{r['verbatim'][1]} | {r['ms']:.0f} |")  # fmt: skip
    total = {f: [sum(r[f][i] for r in rows) for i in range(3)] for f in FIELDS}
    right = sum(r["right starts"] for r in rows)
    cells = [f"**{_cell(*total[f], right if f == 'start dates' else None)}**" for f in FIELDS]
    ms = sorted(r["ms"] for r in rows)
    verbatim = (sum(r["verbatim"][0] for r in rows), sum(r["verbatim"][1] for r in rows))
    lines.append(f"| **all {len(rows)}** | {sum(r['records'] for r in rows)} | " + " | ".join(cells)
                 + f" | {verbatim[0]}/{verbatim[1]} | median {ms[len(ms) // 2]:.0f} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    folders = [Path(a) for a in (argv if argv is not None else sys.argv[1:])]
    if not folders or not all(f.is_dir() for f in folders):
        print("usage: python -m benchmarks.propose_annotated DIR [DIR …] (folders of articles with NAME.truth.json)",
              file=sys.stderr)  # fmt: skip
        return 2
    everything = []
    for folder in folders:
        rows = run(folder)
        everything += rows
        print(table(rows, str(folder)))
    if len(folders) > 1:
        print(table(everything, "all folders"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
