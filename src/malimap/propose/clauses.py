"""How far a role cue reaches in its clause, where a list of names ends, and whether a name is its clause's subject:
the grammar role_of (propose/orgs.py) reads a sentence with."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from malimap.propose.orgs import Mention

LIST_GAP = re.compile(r"\s*(?:,|et|and|&)\s*(?:l'|le |la |les |the )?(?:association |ong |ngo |organisation )?")


def list_end(folded: str, end: int, others: list[Mention]) -> int:
    """Where the list a name opens ends: "le Conseil X et l'Association Y (AJDT)" ends after "(AJDT)"."""
    for m in sorted(others, key=lambda x: x.span[0]):
        if m.span[0] >= end and LIST_GAP.fullmatch(folded, end, m.span[0]):
            end = m.span[1]
    return end


def reaches(gap: str, others: list[Mention], offset: int) -> bool:
    """A cue reaches a name across its own clause (no verb, at most 100 characters) and then across a list: after a
    comma, only other names, list words and articles may stand ("financé par l'USAID, l'ONG AMSS…" stops at "ONG")."""
    rest = gap
    for m in sorted(others, key=lambda x: -x.span[0]):
        a, b = m.span[0] - offset, m.span[1] - offset
        if 0 <= a < b <= len(rest):
            rest = rest[:a] + " @ " + rest[b:]
    rest = re.sub(r"\([^)]*\)", " ", rest)
    rest = re.sub(r"@\s+(?:de|du|d')\s*[a-z][\w'-]*(?=\s*(?:,|\bet\b|$))", "@", rest)  # "le festival X du Maroc, …": where
    first, *later = re.split(r",|;|:", rest)
    if len(first) > 100 or re.search(r"\b(?:a|ont|est|sont|was|were|has|have|qui|which|who)\b", first) or ";" in rest:
        return False
    return all(re.fullmatch(r"[\s@'«»\"/]*(?:(?:et|and|ainsi que|as well as|le|la|les|l'|the|du|des|de|d'|of|ong|ngo)[\s@'«»\"/]+)*", _offices(seg) + " ")
               and ("@" in seg or n == len(later) - 1) for n, seg in enumerate(later))  # fmt: skip


def _offices(segment: str) -> str:
    """ ", secrétaire général du @": an office between a cue and its organisation is the organisation's (the office is
    recorded as its organisation), so it does not stop the cue."""
    return re.sub(
        r"\b(?:secretaire generale?|ministre|directeur|directrice|president(?:e)?|maire|representant(?:e)?|"
        r"coordinat(?:eur|rice)(?: national(?:e)?)?|gouverneur|prefet|chef|head|director|minister|mayor|"
        r"secretary[- ]general|representative|charge(?:e)? de mission)(?:\s+generale?)?\s+(?:de|du|des|de la|de l'|au|aux|a la|"
        r"of the|of|at the)?\s*(?=@|$)",
        " ",
        segment,
    )


def subject(folded: str, lo: int, mention: Mention, others: list[Mention]) -> bool:
    """The name opens its sentence or clause, or follows other names that do ("Peace Direct en collaboration avec")."""
    head = folded[lo : mention.span[0]]
    for m in sorted(others, key=lambda x: -x.span[0]):
        a, b = m.span[0] - lo, m.span[1] - lo
        if 0 <= a < b <= len(head):
            head = head[:a] + head[b:]
    head = re.sub(r"en collaboration avec|in collaboration with|en partenariat avec|in partnership with|together with", "", head)
    tail = re.split(r"[,;:–—]|\s-\s|\bque\b|\bqu'|\bthat\b|\bwhich\b", head)[-1]  # "C'est … que la MINUSMA a financé"
    tail = re.sub(
        r"(?:la |le |l')?(?:division|section|bureau|service|direction|departement|cellule)\b[^,;]*?(?:de la|du|de l'|des)\s*$",
        "",
        tail.strip(),
    )
    tail = re.sub(r"(?:l'ong|l'association|l'organisation|the ngo|the association|ong|ngo)\s*$", "", tail.strip())
    return len(tail.strip()) <= 25
