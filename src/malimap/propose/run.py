"""Proposing from a file end to end (read, the organisation table, the gazetteer), and the proposals said in words."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from malimap.propose.article import Article, read_article
from malimap.propose.records import Candidate, propose


def propose_file(path: Path, lang: str | None = None, data: bytes | None = None) -> tuple[Article, list[Candidate]]:
    """The article at `path` (or its bytes) and its candidates, matched against the app's organisations and places."""
    from malimap.dataset import load_dataset_cached
    from malimap.geo.gazetteer import default_gazetteer

    article = read_article(path, data)
    if lang:
        article = replace(article, lang=lang)
    return article, propose(article, load_dataset_cached().organisations, default_gazetteer())


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
            lines.append(f"   {o['role']}: {o['name']} [{known}] — «{o['evidence']}»")
        for p in c.places:
            where = p["pcode"] or ("abroad" if p["reach"] == "abroad" else "Mali-wide")
            lines.append(f"   place ({p['reach']}, precision {p['precision']}): {p['name']} [{where}] — «{p['evidence']}»")
    return "\n".join(lines)
