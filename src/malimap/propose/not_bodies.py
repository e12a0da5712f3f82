"""Names shaped like organisations that name none.

"l'Organisation de la Table ronde sur la paix" is the act of organising it, "World Radio Day" an occasion; "les régions
du Centre du Mali" is a part of the country; "son Bureau de la communication" is a unit of the organisation named before
("C'est à travers son Bureau … que la MINUSMA a apporté son appui"), which is already proposed under its own name.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from malimap.geo.gazetteer import fold
from malimap.propose.units import UNIT

# "(France)", "(Mali)" after a name say where it is, not its acronym
COUNTRIES = {"france", "mali", "niger", "senegal", "burkina", "mauritanie", "algerie", "guinee", "canada", "belgique", "suisse",
             "allemagne", "danemark", "norvege", "suede", "espagne", "italie", "usa", "maroc", "tunisie", "nigeria", "tchad"}  # fmt: skip
ORGANISING = re.compile(
    r"organi[sz]ation\s+(?:de la|du|des|de l['’]|d['’]|of the|of)\s*(?:table|journee|forum|atelier|conference|session|"
    r"rencontre|festival|semaine|caravane|campagne|election|concours|tournoi|ceremonie|reunion|workshop|meeting)"
)
PART_OF_COUNTRY = re.compile(  # "Centre du Mali", and "Stabilisation Centre du Mali" (a headline's words)
    r"(?:(?!(?:agence|institut|office|fonds|programme|projet|association|reseau|union|cellule|mission)\b)[a-z]+\s)?"
    r"(?:centre|center|nord|north|sud|south|est|east|ouest|west)\s+(?:du|de la|de l'|of)\s+(.+)"
)
RESOLUTION = re.compile(r"(?i:r[ée]solution)\s+\d+[^.;]{0,20}?\b(?:du|de la|de l['’]|of the|of)\s*$")
POSSESSIVE = re.compile(r"\b(?:son|sa|ses|leur|leurs|its|their)\s+$")


def names_none(text: str, start: int, name: str, places: Collection[str]) -> bool:
    """True when `name`, found at `start` in `text`, is an act, a part of the country or an organisation's own unit."""
    folded = fold(name)
    part = PART_OF_COUNTRY.fullmatch(folded)
    if (
        ORGANISING.match(folded)
        or re.search(r"\b(?:day|week|journee|semaine|summit|sommet)$", folded)
        or (part and (part.group(1) in ("mali", "pays", "country") or part.group(1) in places))
    ):
        return True
    if RESOLUTION.search(text[max(0, start - 40) : start]):
        return True  # "la résolution 1325 (2000) du Conseil de sécurité": a resolution's author, not who took part
    of_whom = re.match(r"\s*(?:\([^()]*\)\s*)?(?:de la|de l['’]|du|des|of the|of)\s", text[start + len(name) :])
    if re.match(r"(?:division|section|unite|unit)\b", folded) and not of_whom:
        return True  # "piloté par la Division des Affaires Politiques": a mission's division (units.py reads "… de la X")
    return bool(UNIT.match(folded) and POSSESSIVE.search(text[max(0, start - 8) : start].lower()))
