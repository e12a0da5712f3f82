"""The words that make a sentence tell an event, and what kind: "atelier" a workshop, "cérémonie de clôture" a ceremony,
"forum" or "tournoi" another occasion."""

from __future__ import annotations

import re

EVENTS = [
    (r"assemblees? generales?|general assembl(?:y|ies)", "general_assembly"),
    (r"ateliers?|workshops?|seminaires?|seminars?", "workshop"),
    (r"dialogues?|tables? rondes?|round ?tables?|concertations?|journees? d'echanges?", "dialogue"),
    (r"consultations?|focus groups?|groupes? de discussion|focus group discussions?", "consultation"),
    (
        r"formations?|trainings?|sessions? de renforcement|renforcement des capacites|ont ete forme(?:e)?s|were trained",
        "training",
    ),
    (r"lancement|launch(?:ed)?|a lance|ont lance", "launch"),
    (
        r"ceremonies?|ceremony|cloture|closing|signature des? (?:conventions?|contrats?|accords?|protocoles?)|signing|pactes?|"
        r"inaugurations?|(?:a|ont) inaugure(?! (?:un|le|leur|son|ce) (?:nouveau )?(?:projet|programme))|inaugurated|"
        r"accords? de paix entre",
        "ceremony",
    ),
    (r"validation", "validation"),
    (
        r"forums?|festivals?|conferences?|caravanes?|rencontres?|reunions?|meetings?|visites?|tournois?|tournaments?|"
        r"journees? (?:de |d')\w+|trails?|marathons?|talk-?shows?|panels?|concerts?|causeries?",
        "other",
    ),
]
EVENT_RX = re.compile(r"(?<![\w])(?:" + "|".join(f"(?P<e{i}>{rx})" for i, (rx, _) in enumerate(EVENTS)) + r")(?![\w])")
NOT_EVENT = re.compile(
    r"(?:salles? de (?:conference|reunion|formation)|centre (?:\w+ )?de (?:conference|formation)|press conference)"
)


def event_word(folded: str, lo: int, hi: int, names: list[tuple[int, int]]) -> re.Match | None:
    """The sentence's event word, the most specific kind first ("la cérémonie d'ouverture de cet atelier" is about the
    workshop); a room ("salle de conférence") is not an event, nor a word inside a name ("Centre pour le dialogue
    humanitaire")."""
    found = [
        m
        for m in EVENT_RX.finditer(folded, lo, hi)
        if not NOT_EVENT.search(folded, max(lo, m.start() - 12), m.end()) and not any(a <= m.start() < b for a, b in names)
    ]
    kind = lambda m: int(next(k for k, v in m.groupdict().items() if v)[1:])  # noqa: E731
    return min(found, key=lambda m: (kind(m), m.start())) if found else None


def type_of(match: re.Match) -> str:
    """The kind of event an event word names."""
    return EVENTS[int(next(k for k, v in match.groupdict().items() if v)[1:])][1]
