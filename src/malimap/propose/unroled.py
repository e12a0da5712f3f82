"""Organisations an article names without saying what part they played: proposed with no role, for the curator to set.

Requiring a role cue ("financé par", "a organisé") before proposing a name lost half the organisations curators record
on articles nobody here had read ("une initiative de l'ONG X", "a remercié X pour son appui", "X will support the
recipient"): the ways of saying who did what are a long tail, the ways of naming an organisation are few. So a name
that is an organisation by how it was found (in the organisation table or the known list, "Name (ACR)", "l'ONG X", an
acronym or a coined name in prose, an organisation word with a proper name of its own) is proposed even where no cue
gives its role; its role stays empty (unknown is never guessed), and a record cannot be
kept until the curator sets it. A place that only hosted ("la mairie de X a abrité") is not a participant.
"""

from __future__ import annotations

import re

from malimap.geo.gazetteer import fold
from malimap.propose.orgs import Mention
from malimap.propose.units import UNIT

NAMED_BY_WHAT_IT_IS = {"table", "known", "defined", "ngo", "acronym", "keyword"}
VENUE = re.compile(
    r"^[^.;]{0,80}?\b(?:a abrite|abrite|abritera|ont abrite|a accueilli|accueille|accueillera|a servi de cadre|"
    r"sert de cadre|hosted the|was the venue|venue of)\b"
)
AT = re.compile(r"\b(?:au|a l'|a la|at the)\s*$")  # "lancées … au CICB": a venue, where a meeting took place
HELD = re.compile(r"\b(?:s'est tenu\w*|a eu lieu|ont eu lieu|lance\w*|organise\w*|held|took place|launched|hosted)\b")
ROOM = re.compile(r"\b(?:salles?|locaux|enceinte|siege|cour|hall|premises|auditorium)\b[^,;.]{0,40}$")
SHOUTED = set(  # words a page in capitals writes that are no acronym
    "LES DES CES DANS AFIN DEPUIS PLUSIEURS POUR AVEC SUR SOUS FUT ETE EST SONT ONT UNE QUE QUI PAR VERS CHEZ LORS SELON "
    "ENTRE APRES AVANT TOUS TOUT TOUTE TOUTES MAIS DONC CAR NOUS VOUS ILS ELLES THE AND FOR WITH FROM THIS THAT WERE WAS "
    "ACRONYMS ACRONYMES SIGLES ABBREVIATIONS CONTENTS SOMMAIRE SUMMARY ANNEX ANNEXE TABLE".split()
)
GLOSSARY = re.compile(r"\b(?:acronyms|acronymes|sigles(?: et abreviations)?|abbreviations|abreviations|glossary|glossaire)\b")
# "projet « X (LVP) »": the name right after the work's word, not across a comma, an aside or the verb of a clause
# ("… au Sahel (APPIDS), ONG Gourma", "This project supports … the Sisters of …")
WORK = re.compile(
    r"\b(?:projet|programme|project|program|initiative)s?\b"
    r"(?:(?!\b(?:to|with|by|par|avec|supports?|appuie)\b)[^.;,()]){0,40}?[«“\"(]?\s*$"
)
CREDIT = re.compile(r"(?:a constate|rapporte|selon|source\s*:|according to|reports?)\s*(?:l'|le |la |the )?$")
BY = re.compile(r"\b(?:de|du|des|de la|de l'|d'|of|of the|by)\s*$")
CREDIT_BEFORE = re.compile(r"[\s(©/-]*(?:(?:source|credit|photo|par|by)\s*:?\s*|[a-z .'-]{3,40}/\s*)?(?:l'|le |la |the )?")
OF_A_UNIT = re.compile(r"(?:^|[\s'])" + UNIT.pattern + r"[^()]{0,60}\(\s*$")  # "la Division de la communication (DCOM)"


def proposable(text: str, folded: str, sentence: tuple[int, int], mention: Mention) -> bool:
    """A name with no role cue is still proposed when it names an organisation by itself, and is not a venue, a word
    in capitals the text also writes in lower case ("DEPUIS 2012"), a unit's acronym or a project's name."""
    start, end = mention.span
    work = WORK.search(folded[max(sentence[0], start - 60) : start])
    owner = mention.how in ("table", "known")  # "le projet conjoint Unicef et Search For Common Ground": whose it is
    if mention.how not in NAMED_BY_WHAT_IT_IS or (work and not owner and not BY.search(work.group(0))):
        return False  # a project's name, not "une initiative de la Fédération …": whose it is
    paragraph = max(folded.rfind("\n\n", 0, start), 0)
    heading = max(folded.rfind("\n\n", 0, paragraph), 0)  # the heading may stand as a paragraph of its own
    glossary = GLOSSARY.search(folded, paragraph, start) or (
        paragraph - heading <= 40 and GLOSSARY.search(folded, heading, paragraph)
    )
    if glossary:  # "ACRONYMS CAFO Coordination of … CMM …": a list of words, not of those who took part
        return False
    if CREDIT.search(folded, max(0, start - 30), start) or _credit_line(folded, start, end):
        return False  # "…, a constaté l'AMAP", "Studio Tamani" alone on its line: who reported it
    if mention.how == "acronym":
        if mention.name in SHOUTED or re.search(r"\d", mention.name) or OF_A_UNIT.search(folded[max(0, start - 80) : start]):
            return False
        word = re.compile(r"(?<![\w])" + re.escape(folded[start:end]) + r"(?![\w])")
        if len(word.findall(folded)) > text.count(text[start:end]):
            return False
    if AT.search(folded[max(sentence[0], start - 8) : start]) and HELD.search(folded, sentence[0], sentence[1]):
        return False
    return not VENUE.match(folded[end : sentence[1]]) and not ROOM.search(folded[max(sentence[0], start - 60) : start])


def _credit_line(folded: str, start: int, end: int) -> bool:
    """The name alone on the article's first or last line ("Studio Tamani", "Source : AMAP"): who published it; or in a
    photo's credit line anywhere."""
    line_start = folded.rfind("\n", 0, start) + 1
    line_end = folded.find("\n", end)
    line_end = len(folded) if line_end < 0 else line_end
    edge = not folded[:line_start].strip() or not folded[line_end:].strip()
    if re.fullmatch(r"\s*[a-z .'-]{2,40}/\d{4}/[a-z .'-]{2,40}\s*", folded[line_start:line_end]):
        return True  # a photo's credit, anywhere: "UNICEF Mali/2021/Bagayoko"
    after = re.fullmatch(r"[\s).,/-]*(?:-\s*[a-z' -]{2,30})?", folded[end:line_end])  # "Awa Traoré / AMAP - Ségou"
    return edge and bool(CREDIT_BEFORE.fullmatch(folded, line_start, start) and after)


def settle(records: list) -> None:
    """An organisation the article gives a role anywhere keeps that, not a role-less entry elsewhere: by its id, its
    name, or either half of "Name (ACR)" ("le GFM" in a headline, "le Grand forum du Mandé (GFM) a lancé" below)."""
    roled = set().union(*(keys(o) for c in records for o in c.organisations if o["role"]))
    for c in records:
        c.organisations = [o for o in c.organisations if o["role"] or not keys(o) & roled]


def keys(o: dict) -> set[str]:
    """What names an organisation entry: its id, or its folded name and each half of "Name (ACR)"."""
    if o["organisation_id"]:
        return {o["organisation_id"]}
    halves = re.fullmatch(r"(.*?)\s*\(([^()]+)\)\s*", o["name"])
    return {fold(v).strip() for v in [o["name"], *(halves.groups() if halves else ())] if v.strip()}


def missing_roles(candidates: list[dict]) -> list[str]:
    """What keeping would refuse: an organisation whose role nobody set."""
    return [
        f"record {n} ({c.get('title', '')[:60]}): organisation {o['name']!r} has no role (the article does not say it): "
        "set one in review (the Data page, or --json then --accept), or leave the organisation out"
        for n, c in enumerate(candidates, 1)
        for o in c.get("organisations", [])
        if not o.get("role")
    ]
