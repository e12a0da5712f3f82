"""How many people took part, as the article says it: "40 participants" exact; "une vingtaine", "plus de 800", "about
60" approximate. Numbers that count something else (communes, sessions, organisations, months) are not participants."""

from __future__ import annotations

import re
from dataclasses import dataclass

PEOPLE = (r"participant(?:e)?s|personnes|people|persons|delegues|delegates|attendees|jeunes|youths?|femmes|women|"
          r"hommes|men|leaders|representant(?:e)?s|representatives|acteurs|actors|membres|members|beneficiaires|"
          r"beneficiaries|individus|individuals|stagiaires|trainees|invites|guests|militants|activists|volontaires|volunteers")  # fmt: skip
ROUGHLY = {"vingtaine": 20, "trentaine": 30, "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100,
           "douzaine": 12, "quinzaine": 15, "dizaine": 10, "dozen": 12, "score": 20}  # fmt: skip
WORDS = {"dix": 10, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
         "cent": 100, "deux cents": 200, "trois cents": 300, "mille": 1000, "ten": 10, "twelve": 12, "fifteen": 15,
         "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "hundred": 100, "a hundred": 100,
         "one hundred": 100}  # fmt: skip
ABOUT = r"(?P<about>plus de|pres de|environ|quelque|quelques|au moins|pas moins de|over|more than|about|around|nearly|almost|some|at least|approximately|roughly|up to|jusqu'a)\s+"
NUMBER = r"(?P<num>\d{1,3}(?:[ .,\u202f]\d{3})*|\d+|" + "|".join(sorted(WORDS, key=len, reverse=True)) + ")"
ADJECTIVES = r"(?:\s+(?:[a-z]+(?:es|s|x)?))?"  # "40 jeunes leaders", "800 young people": one word between
EXACT = re.compile(r"(?<![\w.,])(?:" + ABOUT + r")?" + NUMBER + ADJECTIVES + r"\s+(?P<who>" + PEOPLE + r")\b")
ROUGH = re.compile(
    r"(?:une|a|des|some)\s+(?P<rough>" + "|".join(ROUGHLY) + r")s?\s+(?:de|d'|of)\s*(?:[a-z]+\s+)?(?P<who>" + PEOPLE + r")\b"
)
NOT_PEOPLE = re.compile(r"\b(communes?|sessions?|regions?|organisations?|organizations?|projets?|projects?|mois|months?|"
                        r"ans|years?|jours|days|villages?|cercles?|pays|countries|osc|ong|ngos?)\b")  # fmt: skip


@dataclass(frozen=True)
class Count:
    value: int
    approximate: bool
    span: tuple[int, int]


def find_participants(folded: str) -> list[Count]:
    """Every count of people in the (length-kept folded) text, in order."""
    found: list[Count] = []
    for m in ROUGH.finditer(folded):
        found.append(Count(ROUGHLY[m.group("rough")], True, m.span()))
    for m in EXACT.finditer(folded):
        if any(c.span[0] <= m.start() < c.span[1] for c in found) or NOT_PEOPLE.search(m.group(0)):
            continue
        raw = m.group("num")
        value = WORDS.get(raw) or int(re.sub(r"\D", "", raw) or 0)
        if value and not (1900 <= value <= 2100 and raw.isdigit()):  # "2018 jeunes" is a year before a word, not a count
            found.append(Count(value, bool(m.group("about")), m.span()))
    return sorted(found, key=lambda c: c.span)
