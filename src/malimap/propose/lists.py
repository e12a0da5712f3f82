"""Organisations in the lists of those present ("les participants comprenaient …", "en présence de …", "les
représentants des X et Y"): each item that names a body took part; a person or an office listed is not one."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from malimap.dataset.curation import OFFICE_TITLE
from malimap.geo.gazetteer import fold

if TYPE_CHECKING:
    from malimap.propose.orgs import Mention

PARTICIPANT_LIST = re.compile(
    r"(?:participants comprenaient|participants included|parmi les participants|among the participants|en presence (?:de|du|des)|in the presence of|"
    r"(?:ont|a) reuni[^.;:]{0,120}?(?=representants))[^,.;:]{0,40}?(?:des |de |of )?(?:representants (?:de|du|des) |representatives (?:of|from) )?"
)

PLACES_LISTED = re.compile(
    r"\s*(?:des |les |de |of the |the )?(?:communes?|villages?|cercles?|regions?|localites?|quartiers?|fractions?|"
    r"municipalities|municipality|districts?)\b"
)


def listed(text: str, folded: str, keywords: str) -> list[tuple[int, int]]:
    """The spans of list items that name bodies (`keywords`: the words organisation names carry)."""
    out = []
    for m in PARTICIPANT_LIST.finditer(folded):
        if PLACES_LISTED.match(folded, m.end()):
            continue  # "des représentants des communes de Bandiagara, Dourou et Bara Sara": places, not bodies
        for a, b in _list_items(text, m.end()):
            name = text[a:b]
            of_whom = "representant" in m.group(0)  # "les représentants des X et Y": X and Y are bodies, not people
            like = re.search(r"\b(?:" + keywords + r")\b", name, re.I) or re.search(
                r"\b[A-Z]{2,}\b", name
            )  # not "Me Saran Kéïta"
            if (of_whom or like) and not OFFICE_TITLE.match(name) and not PERSON.match(name):
                out.append((a, b))
    return out


# "Mme Agaicha MAIGA", "Souleymane Satigui SIDIBE": a title, or given names and a surname in capitals, is a person
PERSON = re.compile(
    r"^(?:(?:M|Mme|Mlle|Dr|Pr|Me|Mr|Mrs|Ms|Monsieur|Madame)\.?\s|(?:[A-ZÀ-Ý][a-zà-ÿ’'-]+\s+){1,4}[A-ZÀ-Ý]{2,}(?:\s|$))"
)


def in_participant_lists(folded: str, found: list[Mention]) -> list[Mention]:
    """Names in the list after "les participants comprenaient" or "en présence de" took part, to the list's end."""
    out = []
    for m in found:
        region = [p for p in PARTICIPANT_LIST.finditer(folded, max(0, m.span[0] - 600), m.span[0])]
        inside = any(not re.search(r"[.;\n]", folded[p.end() : m.span[0]]) for p in region)
        out.append(replace(m, role="participant") if inside and m.role is None else m)
    return out


def _list_items(text: str, start: int) -> list[tuple[int, int]]:
    """The items of a list that runs to the end of its sentence: "…, la Mission X, la Communauté Y et l'Union Z"."""
    end = min([i for i in (text.find(".", start), text.find("\n", start)) if i >= 0] or [len(text)])
    spans = item_spans(
        text,
        start,
        end,
        r",|;|\s+et\s+|\s+and\s+|\s+y compris\s+|\s+including\s+",
        r"^\s*(?:la |le |les |l['’]|the |des |du |de la |de l['’]|un certain nombre d['’])?(?:ONG |NGO )?",
    )
    return [(a, b) for a, b in spans if text[a:b][:1].isupper() and 2 <= len(text[a:b].split()) <= 14]


def item_spans(text: str, start: int, end: int, between: str, lead: str) -> list[tuple[int, int]]:
    """The span of each item of the list in text[start:end], split where `between` matches, without the words `lead`
    matches at its start (an article) or the spaces at its end."""
    out = []
    pos = start
    for piece in re.split(between, text[start:end]):
        a = text.find(piece, pos)
        pos = a + len(piece)
        item = re.sub(lead, "", piece)
        a += len(piece) - len(item)
        out.append((a, a + len(item.rstrip())))
    return out


# family names common in Mali: "Awa Traoré" in a list is a person, though no title or capitals say so
FAMILY_NAMES = set(
    "traore keita coulibaly diarra toure maiga cisse diallo konate sidibe dembele sangare sissoko doumbia kante camara "
    "kouyate dicko kone ballo bagayoko fofana samake cissoko haidara sylla sow bah ba guindo togo tembely dolo diakite kane "
    "berthe dao sanogo ouattara tounkara niang soumare sacko doucoure goita mariko diabate kamissoko tangara thiam drame "
    "simpara tall konare wague yattara cisso djire bocoum tamboura ongoiba fomba".split()
)


def a_person(name: str) -> bool:
    """A title, given names and a surname in capitals, a family name common in Mali after a given name ("Awa Traoré",
    "Abdoul Kassim Fomba"), or "Ag"/"Ould" in it: a person, not an organisation."""
    words = name.split()
    given = 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)  # not "Club d'Art du Complexe … Dembélé"
    family = given and fold(words[-1]).rstrip(".") in FAMILY_NAMES
    return bool(PERSON.match(name) or family or re.search(r"\b(?:Ag|Ould|Walet|Mint)\s", name))
