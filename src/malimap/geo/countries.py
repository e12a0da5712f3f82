"""Countries a Mali sheet or article is likely to name, so a place abroad is kept abroad and never placed in Mali."""

from __future__ import annotations

import re

from malimap.geo.gazetteer import fold

# ISO 3166 alpha-2 → its alpha-3 code and its names in French and English (folded). Any other 2-3 letter code is read as a
# country code too, and any other text as a country named as written.
NAMES: dict[str, tuple[str, ...]] = {
    "ML": ("mli", "mali"),
    "NE": ("ner", "niger"),
    "BF": ("bfa", "burkina faso", "burkina"),
    "SN": ("sen", "senegal"),
    "GN": ("gin", "guinee", "guinea"),
    "CI": ("civ", "cote d ivoire", "ivory coast"),
    "MR": ("mrt", "mauritanie", "mauritania"),
    "DZ": ("dza", "algerie", "algeria"),
    "MA": ("mar", "maroc", "morocco"),
    "TD": ("tcd", "tchad", "chad"),
    "NG": ("nga", "nigeria"),
    "GH": ("gha", "ghana"),
}
BY_NAME = {name: code for code, names in NAMES.items() for name in (code.lower(), *names)}


def country_code(value) -> str:
    """The ISO code a cell means: empty is Mali (a Mali sheet), a known name or code its code, else the text as written."""
    text = fold(value or "")
    if not text:
        return "ML"
    code = BY_NAME.get(text)
    if code:
        return code
    return text.upper() if re.fullmatch(r"[a-z]{2,3}", text) else str(value).strip()
