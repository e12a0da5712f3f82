"""Proposing from a file end to end (read, the organisation table, the gazetteer), and the proposals said in words."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd

from malimap.propose.article import Article, ArticleError, read_article
from malimap.propose.records import Candidate, propose

PARTIAL_DATE = re.compile(r"(?:19|20)\d\d(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")  # YYYY[-MM[-DD]]


def propose_file(
    path: Path, lang: str | None = None, data: bytes | None = None, orgs: pd.DataFrame | None = None, published: str = ""
) -> tuple[Article, list[Candidate]]:
    """The article at `path` (or its bytes) and its candidates, matched against `orgs` (default: the app's
    organisations) and the active boundaries' places. `published`, the date the curator read on the page, is what
    "le 29 mars dernier" is resolved against (a page's own metadata otherwise)."""
    from malimap.dataset import load_dataset_cached
    from malimap.geo.gazetteer import default_gazetteer

    article = read_article(path, data)
    if lang:
        article = replace(article, lang=lang)
    if published:
        if not PARTIAL_DATE.fullmatch(published):
            raise ArticleError(f"publication date {published!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
        article = replace(article, published=published)
    orgs = load_dataset_cached().organisations if orgs is None else orgs
    return article, propose(article, orgs, default_gazetteer())


def review_records(candidates: list[Candidate]) -> list[dict]:
    """Candidates as the review works on them: the JSON shape plus what keeping needs (parent, the participants'
    approximation, a place's country)."""
    out = []
    for c in candidates:
        record = c.as_json() | {"parent": c.parent, "participants_approximate": c.participants_approximate}
        record["places"] = [p | {"country": q.get("country", "")} for p, q in zip(record["places"], c.places)]
        out.append(record)
    return out


def accepted_records(records: list[dict], keep: list[bool]) -> list[dict]:
    """The records the curator kept, their parent links renumbered among them (a dropped parent leaves none)."""
    position = {old: new for new, old in enumerate(i for i, k in enumerate(keep) if k)}
    parent = lambda r: position.get(r["parent"]) if isinstance(r.get("parent"), int) else None  # noqa: E731
    return [r | {"parent": parent(r)} for r, k in zip(records, keep) if k]


def highlighted(text: str, spans: list[tuple[int, int]]) -> str:
    """The article as HTML with every quoted span marked; the text itself escaped (an article may hold markup)."""
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out, pos = [], 0
    for a, b in merged:
        out += [html.escape(text[pos:a]), "<mark>", html.escape(text[a:b]), "</mark>"]
        pos = b
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\n", "<br>")


def summary(article: Article, candidates: list[Candidate]) -> str:
    """What a curator reads in a terminal: each candidate, its facts and their quotes."""
    lines = [f"{article.title or '(untitled)'} — {len(candidates)} candidate record(s); language {article.lang}"]
    for n, c in enumerate(candidates, 1):
        kind = c.kind + (f" ({c.event_type})" if c.event_type else "")
        parent = f"; part of record {c.parent + 1}" if c.parent is not None else ""
        lines.append(f"\n{n}. {kind}: {c.title}{parent}")
        lines.append(f"   quote: «{c.evidence}»")
        if c.dates_evidence:
            when = f"{c.start or 'year not stated'}" + (f" to {c.end}" if c.end and c.end != c.start else "")
            lines.append(f"   dates: {when}{' (approximate)' if c.dates_approximate else ''} — «{c.dates_evidence}»")
        if c.participants is not None:
            about = "about " if c.participants_approximate else ""
            lines.append(f"   participants: {about}{c.participants} — «{c.participants_evidence}»")
        for o in c.organisations:
            known = o["organisation_id"] or "new"
            lines.append(f"   {o['role'] or 'role not stated'}: {o['name']} [{known}] — «{o['evidence']}»")
        for p in c.places:
            where = p["pcode"] or ("abroad" if p["reach"] == "abroad" else "Mali-wide")
            lines.append(f"   place ({p['reach']}, precision {p['precision']}): {p['name']} [{where}] — «{p['evidence']}»")
    return "\n".join(lines)
