"""Organisations every curator in Mali meets (UN agencies, donors, international NGOs, national umbrella bodies), found
by name in an article even before the organisation table holds them.

The table grows one curated article at a time, so on a new article the organisations that recur across the field ("le
Pnud", "Handicap international", "UN Women", "The Carter Center") were missed unless a cue happened to sit before
them. They are found here by their names, as the gazetteer finds places; each is proposed as a new organisation (no
id: it is not in the dataset yet), with the role its sentence gives or none.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources

from malimap.propose.article import fold_keep_length

ARTICLE = re.compile(r"(?:the|le|la|les|l['’])\s*(?=\w)")
SPELLED_OUT = re.compile(r"\s*\([A-Z][\w&/ -]{1,14}\)")


@cache
def known_names() -> tuple[tuple[str, str], ...]:
    """(spelling, the organisation's name) for every spelling in known_organisations.csv, each folded spelling once."""
    seen: set[str] = set()
    out = []
    with resources.files("malimap.propose").joinpath("known_organisations.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for s in [row["name"], *row["spellings"].split(";")]:
                s = s.strip()
                key = spelling_key(s)[0] if s else ""  # as the pattern will read it
                if s and key not in seen:
                    seen.add(key)
                    out.append((s, row["name"]))
    return tuple(out)


def spelling_key(s: str) -> tuple[str, bool]:
    """(regex for a spelling, case-sensitive): an acronym (a short all-capitals spelling) must match its capitals, so
    "ADA" is never the word "ada", and one of four letters or more its title case too ("Cafo"); any other spelling is
    matched in the folded text, a space or a hyphen alike ("Nations-unies" is "Nations unies"), a space after an
    apostrophe or none."""
    exact = len(s) <= 6 and s.upper() == s
    if not exact:
        loose = re.sub(r"\\[ -]", r"[\\s-]", re.escape(fold_keep_length(s)))
        return loose.replace("'", r"'\s?"), False  # "Aide de L’ église norvégienne": a space after the apostrophe
    key = re.escape(s)
    return (f"(?:{key}|{re.escape(s.title())})" if len(s) >= 4 and s.isalpha() else key), True


def known_spans(text: str, folded: str) -> list[tuple[int, int]]:
    """Where the article names a known organisation: acronyms by their capitals in the text, names in the folded text."""
    exact, loose = _alternations()
    found = [m.span() for m in exact.finditer(text)] + [m.span() for m in loose.finditer(folded)]
    spans = sorted(found, key=lambda s: (s[0], -s[1]))  # where two begin together, the longer ("WILDAF Mali", not "WILDAF")
    out: list[tuple[int, int]] = []
    for a, b in spans:
        acronym = SPELLED_OUT.match(text, b)  # "Fonds mondial pour … (GCERF)": the name with its acronym, as one
        article = ARTICLE.match(text, a, b)  # "the Carter Center": the name, not its article in lower case
        a += article.end() - a if article else 0
        if not out or a >= out[-1][1]:
            out.append((a, acronym.end() if acronym else b))
    return out


@cache
def _alternations() -> tuple[re.Pattern, re.Pattern]:
    """Two patterns for all the spellings (one search each, not one per spelling), longest spelling first; their word
    edges exclude a hyphen too ("SNV-ICCO-OXFAM" names no OXFAM)."""
    keys = [spelling_key(s) for s, _name in sorted(known_names(), key=lambda n: -len(n[0]))]
    return tuple(  # type: ignore[return-value]
        re.compile(r"(?<![\w-])(?:" + "|".join(k for k, exact in keys if exact == want) + r")(?![\w-])") for want in (True, False)
    )
