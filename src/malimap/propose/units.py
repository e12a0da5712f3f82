"""A unit of an organisation is that organisation: "la Division des Droits de l'homme (DDHP) de la MINUSMA" is the
MINUSMA, and "le Bureau régional" alone names no one."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from malimap.propose.orgs import Mention

UNIT = re.compile(
    r"(?:division|section|bureau|service|departement|department|direction|unite|unit|cellule|antenne|"
    r"representation|delegation)\b"
)


def not_units(folded: str, found: list[Mention]) -> list[Mention]:
    """ "la Division des Droits de l'homme (DDHP) de la MINUSMA" is the MINUSMA: a unit, and what is named between it
    and "de la X", is dropped, and X keeps the role."""
    drop: set[int] = set()
    for n, m in enumerate(found):
        if not UNIT.match(folded, m.span[0]):
            continue
        if re.search(r"\b(?:de la|of the) (?:mission|organisation|organization|agence|agency)$", folded[m.span[0] : m.span[1]]):
            drop.add(n)  # "la Division de Communication de la Mission": the mission named before, not another
            continue
        for k, x in enumerate(found[n + 1 :], n + 1):
            between = folded[m.span[1] : x.span[0]]
            if len(between) > 120 or re.search(r"[,;.]", between.replace("(", "").replace(")", "")):
                break
            if re.search(r"(?:de la|de l'|du|des|of the|of)\s*$", between) and not UNIT.match(folded, x.span[0]):
                if re.search(r"\)\s*(?:de la|de l'|du|des|of the|of)\s*$", between) or k == n + 1:
                    drop.update(range(n, k))
                break
    return [m for n, m in enumerate(found) if n not in drop]
