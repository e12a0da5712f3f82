"""Names read from their neighbours and from the word that types them.

"14 ONG nationales (AMSS, GRAT, TASSAGHT, ARGA, Tuwindi, Think Peace, REJEFPO)": when most items of a list are
organisations already found, a short name written with capitals among them is one too ("Tuwindi", "Think Peace"), though
it has no organisation word and no cue of its own. "l'association de femmes Yagtu", "le groupement de femmes Benkadi",
"l'association humanitaire « Open Mali »": the group word and what kind of group it is come first, the name after them.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from malimap.dataset.curation import OFFICE_TITLE
from malimap.geo.gazetteer import fold
from malimap.propose.lists import a_person, item_spans
from malimap.propose.not_bodies import COUNTRIES, names_none

WORD = r"[A-ZÀ-Ý](?:[\wÀ-ÿ’'&-]|\.(?=\w))*"  # a dot inside ("U.S"), not a sentence's full stop
NAME = (  # capitalised words, linked by "de", "for", "l'" only to another capitalised word ("Théra de rappeler" stops)
    WORD + r"(?:[ \t]+(?:(?:de|du|des|for|of|pour|la|le|the)[ \t]+|l['’])" + WORD + r"|[ \t]+(?:" + WORD + r"|\d+\b)){0,4}"
)
SEP = re.compile(r"\s*(?:\([^()]{1,15}\))?\s*(?:,|;|\s(?:et|and|&)\s)\s*(?:et\s+|and\s+)?(?:l['’]|le |la |les |the |ONG |NGO )?")
ITEM = re.compile(r"(" + NAME + r")(?=\s*(?:,|;|\)|\.|\s(?:et|and|&)\s|\n|$))")
# "…, et Mali’Dev se sont rassemblés": the list's last item, not "Jeunesse" of "Jeunesse en mission (JEM)"
LAST = re.compile(r"(" + NAME + r")(?=\s+(?!(?:en|de|du|des|et|pour|sur|au|aux|à|of|for|in|on|and)\b)[a-zà-ÿ])")
AND = re.compile(r"\s(?:et|and|&)\s")
OPENS = re.compile(r"(?:[(:]|\bdont|\bnotamment|\bincluding|\bsuch as)\s*(?:l['’]|le |la |the )?(" + NAME + r")\s*,\s*$")
KIND = (
    r"(?:(?:de|des|d['’])\s*(?:femmes|jeunes|producteurs|productrices|agriculteurs|éleveurs|pêcheurs|artisans|ressortissants|"
    r"rapatriés|déplacés|réfugiés|étudiants|parents|commerçants|transporteurs)|humanitaire|féminine|malienne|locale|villageoise|"
    r"communautaire|culturelle|sportive|caritative|islamique|catholique|paysanne|dénommée?|appelée?|baptisée?|nommée?|"
    r"nationale|internationale|national|international|"
    r"de proximité|rurale|women's|youth|local|humanitarian|Malian|called|named)"
)
TYPED = re.compile(
    r"(?<![\w])(?i:association|groupement|coopérative|mouvement|réseau|collectif|organisation|organization|cooperative|"
    r"network|movement|ONG|NGO|radio)\s+(?:" + KIND + r"\s+){1,3}(?:[«“\"»]\s*([^»”\"«\n]{2,50}?)\s*[»”\"«]|(" + NAME + r"))|"
    r"(?<![\w])(?i:cabinet|bureau d['’]études|bureau d['’]etudes)(?:\s+(?:d['’]études|d['’]etudes|conseil|d['’]expertise))?\s+(?:[«“\"]\s*)?"
    r"(?P<firm>" + NAME + r")"
)
# "d'autres organisations de jeunesse (Ujmma, Plateforme Ensemble nous sommes un peuple, …)": each item names one
BODIES = re.compile(r"\b(?:organisations|organizations|associations|ONG|NGOs|structures|réseaux|networks)\b[^()\n.;:]{0,40}\(")
PLURAL = re.compile(
    r"(?:(?:[Ll]es |[Dd]es )?(?:Associations|associations|ONGs|NGOs)|(?:[Ll]es |[Dd]es )ONG)\s+("
    + NAME
    + r")\s+(?:et|and)\s+("
    + NAME
    + r")"
)
STARTS = {"Le", "La", "Les", "The", "En", "In", "Dans", "Il", "Elle", "Ils", "Mali", "Bamako", "Ces", "Des", "Un", "Une"}


def neighbours(text: str, found: list[tuple[int, int]], places: Collection[str]) -> list[tuple[int, int]]:
    """Spans of capitalised list items whose neighbours are mostly organisations already found."""
    starts = {a: b for a, b in found}
    out: list[tuple[int, int]] = []
    for a, b in sorted(found):
        if re.match(r"(?i:minist)", text[a:b]):
            continue  # "the Ministry of Youth, Sports, Civic Education and …": its portfolios, not a list of names
        opening = OPENS.search(text, max(0, a - 80), a)
        chain = [(opening.start(1), opening.end(1), False)] if opening else []
        chain.append((a, b, True))
        pos = b
        while sep := SEP.match(text, pos):
            if sep.end() in starts:
                chain.append((sep.end(), starts[sep.end()], True))
                pos = starts[sep.end()]
                continue
            item = ITEM.match(text, sep.end())
            last = item is None and AND.search(sep.group(0)) is not None
            item = LAST.match(text, sep.end()) if last else item
            if item is None:
                break
            chain.append((item.start(1), _trimmed(text, *item.span(1))[1], False))
            if last:
                break
            pos = item.end(1)
        known = sum(f for *_, f in chain)
        if len(chain) >= 3 and known >= 2 and 2 * known >= len(chain):
            out += [
                (x, y)
                for x, y, f in chain
                if not f and _may_name(text[x:y], places) and not names_none(text, x, text[x:y], places)
            ]
    return sorted(set(out))


def listed_bodies(text: str, places: Collection[str]) -> list[tuple[int, int]]:
    """Spans of the items of a list in parentheses after a word for bodies, each a name with a capital."""
    out = []
    for m in BODIES.finditer(text):
        close = text.find(")", m.end())
        if close < 0 or close - m.end() > 300:
            continue
        for a, b in item_spans(text, m.end(), close, r",|;|\s(?:et|and)\s", r"^\s*(?:l['’]|le |la |les |the )?"):
            item = text[a:b]
            if item[:1].isupper() and len(item.split()) <= 8 and _may_name(item, places):
                out.append((a, b))
    return out


def typed_names(text: str, places: Collection[str]) -> list[tuple[int, int]]:
    """Spans of the names that follow a group word and its kind: "l'association de femmes Yagtu" → "Yagtu"; and of
    both names after a plural one ("les Associations Ginna Dogon et Tabital Pulaaku")."""
    out = [_trimmed(text, *m.span(n)) for m in PLURAL.finditer(text) for n in (1, 2) if _may_name(m.group(n), places)]
    for m in TYPED.finditer(text):
        group = 1 if m.group(1) else 2 if m.group(2) else "firm"  # "du cabinet Consultstep": a consulting firm
        if _may_name(m.group(group), places):
            out.append(_trimmed(text, *m.span(group)))
    return out


def _trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    """A name read up to a sentence's full stop ends before it ("… et Tabital Pulaaku."); an initial keeps its ("U.S.")."""
    return (a, b - 1) if text[b - 1 : b] == "." and not re.search(r"(?:^|[\s.])[A-Z]\.$", text[a:b]) else (a, b)


def _may_name(name: str, places: Collection[str]) -> bool:
    """Not a place, a country, a person, an office, a sentence's first word, a kind written as a plural acronym, or a
    name under three letters."""
    first = name.split()[0]
    return not (
        fold(name) in places
        or fold(name) in COUNTRIES
        or a_person(name)
        or OFFICE_TITLE.match(name)
        or first in STARTS
        or re.fullmatch(r"[A-Z]{2,}s|ONG|NGO|OSC|CSO", name)  # "(CBOs)", "(ONG)": a kind, not a name
        or len(name) < 3
    )
