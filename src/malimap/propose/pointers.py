"""How a sentence points at a record it does not name by its title: "le projet", "ce programme", the record's acronym
("le Projes intervient"), "C'était ce samedi …" going on about the event just told, and a fact sheet's period (after a
label, or alone on its line) that is its project's, wherever it stands."""

from __future__ import annotations

import re

from malimap.propose.dates import FoundDate

THE_PROJECT = re.compile(
    r"(?:(?:\ble|\bce|\bdu|\bau|\bthe|\bthis)\s+(?:projet|programme|project|program)|(?:\bl'|\bcette\s+|\bthe\s+|\bthis\s+)initiative)\b"
    r"(?!\s*[«“\"])"
)
GOES_ON = re.compile(
    r"\s*(?:c'etait|ce\s+fut|cela\s+s'est\s+(?:passe|deroule)|it\s+was|this\s+was|that\s+was|"
    r"(?:il|elle|it)\s+(?:a\s+(?:permis|dure|vise|cible|couvert|touche)|intervient|couvre|couvrira|vise|cible|concerne|durera|"
    r"s'est\s+(?:tenue?|deroulee?)|se\s+deroulera|runs|ran|covers|covered|targets|targeted|took\s+place|lasted|aims)|"
    r"(?:l'|cet\s+|cette\s+|the\s+|this\s+)(?:evenement|activite|event|activity)\b)\b"
)  # "Elle a permis de sensibiliser, entre le 5 et le 27 avril …", "Il intervient … de 2018 à 2023", "L'évènement a débuté
# le mardi 24 janvier 2023": the record just told
LABEL = r"(?:period|periode|term|overall term|duree|duration|dates?|calendrier)\s*:\s*"


def names_by_acronym(title: str, sentence: str) -> bool:
    """ "Programme jeunesse et stabilisation (Projes II)": a sentence that writes "Projes" names it."""
    acronym = re.search(r"\(\s*([A-Z][A-Za-z]{2,11})\b[^()]*\)\s*$", title)
    return acronym is not None and re.search(r"(?<![\w])" + re.escape(acronym.group(1)) + r"(?![\w])", sentence) is not None


def labelled(folded: str, d: FoundDate) -> bool:
    """A date after a label on its line ("Période : 2020-2022", "Period: January 2021 – December 2021"), or a period
    standing alone on its line as fact sheets print it ("2022-02-01 - 2023-06-30")."""
    line = folded[folded.rfind("\n", 0, d.span[0]) + 1 : d.span[0]]
    rest = folded[d.span[1] : (folded.find("\n", d.span[1]) + 1 or len(folded) + 1) - 1]
    bare_label = re.fullmatch(r"\s*(?:period|periode|duree|duration|dates?)\s*", line)  # "Periode 14/11/2021 – 30/06/2022"
    alone = d.end != d.start and (not line.strip() or bare_label is not None) and not rest.strip()
    return bool(re.match(LABEL, folded[d.span[0] :]) or re.search(LABEL + "$", line)) or alone
