"""Places an article names, read through the gazetteer as the v02 units the map draws, with their reach.

Level words decide the level ("cercle de Tombouctou" is the cercle, "Tombouctou" alone the region); v03-only names
(Taoudénit) are read through the crosswalk and marked estimated (precision 5). "venus de", "originaires de", "from
various regions" make a place where participants came from; "au profit de" where beneficiaries are; a country or city
abroad is kept abroad, never placed in Mali. A dateline ("BAMAKO, 12 mars") or an author's office is not a venue, and
a place inside an organisation's name (WANEP-Mali, la Mairie de Bamako) is the organisation's, not the work's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from malimap.geo.countries import NAMES as COUNTRY_NAMES
from malimap.geo.gazetteer import ALIASES, Gazetteer, fold

LEVEL_BEFORE = [
    (r"cercles? (?:de |d'|du )?", 2),
    (r"communes? (?:rurales? |urbaines? )?(?:de |d'|du )?", 3),
    (r"regions? (?:de |d'|du )?|region of |regions of ", 1),
    (r"district (?:de |du )?", 1),
]
LEVEL_AFTER = [(r"^ region\b", 1), (r"^ cercle\b", 2)]
FROM = re.compile(
    r"(?:venu(?:e)?s? (?:de|du|des)|originaires? (?:de|du|des)|en provenance (?:de|du|des)|issus? (?:de|du|des)|"
    r"participants (?:de|du|des)|points focaux|came from|coming from|from various|participants from|delegates from|"
    r"representatives from|venant (?:de|du|des)|(?:people|youths?|women|men|leaders|members) from|"
    r"(?:participation|implication) (?:des|de) (?:femmes|jeunes|populations|communautes|leaders|representants) (?:de|du|des)|"
    r"(?:fait|faire|a fait) venir [^.;]{0,40}? (?:de|du|des))"
)
BENEFIT = re.compile(
    r"(?:au profit (?:de|du|des)|au benefice (?:de|du|des)|beneficiaires (?:de|du|des|a)|for the benefit of|benefiting)"
)
VENUE = re.compile(r"(?:hotel|salle|centre international de conference|cicb|maison de la presse|auditorium|palais des congres)")
OFFICE = re.compile(r"(?:correspondant|correspondent|bureau (?:de|du)|office in|siege (?:a|de)|based in|base a)\s*$")
ABROAD_CITIES = {"casablanca": "MA", "rabat": "MA", "dakar": "SN", "niamey": "NE", "ouagadougou": "BF", "abidjan": "CI",
                 "nouakchott": "MR", "alger": "DZ", "algiers": "DZ", "accra": "GH", "abuja": "NG", "conakry": "GN",
                 "n'djamena": "TD", "paris": "FR", "geneve": "CH", "geneva": "CH", "new york": "US", "washington": "US",
                 "bruxelles": "BE", "brussels": "BE", "addis-abeba": "ET", "addis ababa": "ET", "lome": "TG",
                 "tunis": "TN", "tripoli": "LY", "la haye": "NL", "the hague": "NL"}  # fmt: skip
MORE_COUNTRIES = {"libye": "LY", "libya": "LY", "tunisie": "TN", "tunisia": "TN", "france": "FR", "togo": "TG",
                  "benin": "BJ", "etats-unis": "US", "united states": "US", "royaume-uni": "GB", "united kingdom": "GB",
                  "canada": "CA", "suisse": "CH", "switzerland": "CH", "belgique": "BE", "pays-bas": "NL",
                  "netherlands": "NL", "danemark": "DK", "denmark": "DK", "ethiopie": "ET", "ethiopia": "ET"}  # fmt: skip
WAR = re.compile(
    r"\b(?:rebelles?|rebels?|rebellion|djihadistes|jihadistes|islamists?|terroristes|terrorists|insurges|insurgents|"
    r"occupation|occupied|occupee?s?|attaques?|attacks?|affrontements|clashes|coup d'etat|putsch)\b"
)
WORK_DONE = re.compile(  # what a record is made of: a meeting, a training, a project, its organiser
    r"\b(?:atelier|forum|rencontre|formation|dialogue|projet|programme|caravane|seminaire|conference|ceremonie|sensibilisation|"
    r"mediation|workshop|meeting|training|project|organise\w*|organi[sz]ed|lance\w*|launched|finance\w*|"
    r"funded|tenu\w*|held|reuni\w*|brought together)\b"
)
LANDMARK = re.compile(  # "une localité proche de Gao", "à 250 km au nord de Tombouctou": where it is not
    r"(?:proche (?:de|du)|pres (?:de|du)|non loin (?:de|du)|km (?:au (?:nord|sud|est|ouest) )?(?:de|du)|au (?:nord|sud|est|ouest) "
    r"(?:de|du)|near|close to|km (?:north|south|east|west) of|km from)\s*$"
)
LOCATIVE = re.compile(r"(?:\b(?:a|au|aux|en|in|at|to|de|du|vers|hors du)\s+(?:l'|la |le |les |the )?(?:[\w'-]+\s+){0,4}|\(\s*)$")
SPELLINGS = {"taoudenit": "taoudenni", "taoudeni": "taoudenni", "tombouctu": "tombouctou"}  # v03 names as articles write them
COUNTRY_WIDE = re.compile(
    r"(?:toutes? (?:les|ses) (?:\d+ |huit )?regions|(?:all|each|every) (?:\d+ |eight )?regions|chaque region|"
    r"(?:a travers|dans) tout le (?:mali|pays)|nationwide|across the country|across mali|"
    r"sur (?:toute l'etendue|l'ensemble) du territoire)"
)


@dataclass(frozen=True)
class FoundPlace:
    name: str  # as written
    pcode: str | None
    admin1: str | None
    reach: str  # activity, beneficiaries, participants_from, abroad
    precision: int  # IATI: 2 venue or town, 3 cercle or commune named, 4 region, 5 estimated, 6 country-wide, 9 abroad
    span: tuple[int, int]
    country: str = "ML"
    cue: int = -1  # where the words that give its reach begin ("venus de"), for the quote; -1: none


@lru_cache(maxsize=4)
def _name_pattern(keys: tuple[str, ...]) -> re.Pattern:
    alts = sorted({r"[\s'-]*".join(re.escape(w) for w in k.split()) for k in keys if len(k) >= 3}, key=len, reverse=True)
    return re.compile(r"(?<![\w'-])(" + "|".join(alts) + r")(?![\w-])")


def _v03_names() -> dict[str, str]:
    from malimap.geo.vintages import crosswalk

    cw = crosswalk()
    return {fold(n): p for n, p in zip(cw["v03_name"], cw["v02_pcode"])}


def find_places(text: str, folded: str, gazetteer: Gazetteer, skip: list[tuple[int, int]]) -> list[FoundPlace]:
    """Every place named outside the `skip` spans (organisation names), in order."""
    v03 = _v03_names()
    abroad = {**{n: c for c, names in COUNTRY_NAMES.items() for n in names if c != "ML" and len(n) > 3}, **MORE_COUNTRIES}
    abroad.update(ABROAD_CITIES)
    aliases = {**ALIASES, **SPELLINGS}
    keys = tuple(sorted(set(gazetteer.by_name) | set(v03) | set(abroad) | set(aliases)))
    found: list[FoundPlace] = []
    for m in _name_pattern(keys).finditer(folded):
        a, b = m.span()
        if not text[a].isupper() or any(x <= a < y for x, y in skip) or _dateline_or_office(folded, a, b):
            continue
        key = fold(m.group(1))
        key = aliases.get(key, key)
        if key in abroad and key not in gazetteer.by_name:
            if not LOCATIVE.search(folded[max(0, a - 45) : a]):
                continue  # "son pays le Canada croit…" names a country, not where anything happened
            found.append(FoundPlace(text[a:b], None, None, "abroad", 9, (a, b), abroad[key]))
            continue
        unit, estimated = _unit(gazetteer, key, folded, a, b, v03)
        if unit is None or LANDMARK.search(folded[max(0, a - 30) : a]) or _of_the_war(folded, a):
            continue
        level = int(len(unit) > 4) + int(len(unit) > 6) + 1
        venue = bool(VENUE.search(folded[max(0, a - 60) : a]))
        precision = 5 if estimated else 2 if venue else 4 if level == 1 else 3
        reach, cue = _reach(folded, a)
        found.append(FoundPlace(text[a:b], unit, unit[:4], reach, precision, (a, b), cue=cue))
    for m in COUNTRY_WIDE.finditer(folded):
        found.append(FoundPlace(text[m.start() : m.end()], None, None, "activity", 6, m.span()))
    ends = [p.span[1] for p in found] + [b for _a, b in skip]
    return sorted((p for p in found if not _glossing(text, p.span[0], ends)), key=lambda p: p.span)


def _of_the_war(folded: str, a: int) -> bool:
    """ "The Islamists and Tuareg rebels took … Kidal, Gao and Timbuktu": a place in a sentence that tells the war, and
    nothing done for peace, is history, not where the work was."""
    lo = max(folded.rfind(".", 0, a), folded.rfind("\n", 0, a), folded.rfind(";", 0, a)) + 1
    hi = min([i for i in (folded.find(".", a), folded.find("\n", a), folded.find(";", a)) if i >= 0] or [len(folded)])
    return bool(WAR.search(folded, lo, hi)) and not WORK_DONE.search(folded, lo, hi)


def _glossing(text: str, a: int, ends: list[int]) -> bool:
    """A place in parentheses right after another place or a name glosses it: "Cercle de Kangaba (région de Koulikoro)"
    is work in Kangaba, not in all of Koulikoro; "L'Institut de la Haye (The Hague Institute …)" is no place at all."""
    opening = re.search(
        r"\(\s*(?:(?:la |le |les |the )?(?:region|région|cercle|commune)s?\s+(?:de |du |d'|of )?)?$", text[max(0, a - 30) : a]
    )
    if opening is None:
        return False
    return any(0 <= (a - len(opening.group(0))) - e <= 2 for e in ends)


def _unit(gazetteer: Gazetteer, key: str, folded: str, a: int, b: int, v03: dict[str, str]) -> tuple[str | None, bool]:
    level = next((lv for rx, lv in LEVEL_BEFORE if re.search(r"(?:^|\s)(?:" + rx + r")$", folded[max(0, a - 30) : a])), None)
    level = level or next((lv for rx, lv in LEVEL_AFTER if re.match(rx, folded[b : b + 10])), None)
    if level is None and re.search(
        r"(?:cercles?|communes?) (?:de |d'|du )?[^.;]{0,40}(?:,| et | and )\s*$", folded[max(0, a - 60) : a]
    ):
        level = 2 if "cercle" in folded[max(0, a - 60) : a] else 3  # "cercles de Tombouctou (6) et Goundam (16)"
    units = gazetteer.by_name.get(key, [])
    at_level = [u for u in units if u.level == level] if level else units
    if units:  # a level named that the boundaries do not have (a commune, embedded data): the unit above, estimated
        return min(at_level or units, key=lambda u: (u.level, u.pcode)).pcode, bool(level and not at_level)
    return (v03[key], True) if key in v03 else (None, False)


def _reach(folded: str, a: int) -> tuple[str, int]:
    """The place's reach, and where the words that say it begin (or the place itself)."""
    start = max(0, folded.rfind(".", 0, a), folded.rfind("\n", 0, a), folded.rfind(";", 0, a), a - 120)
    for rx, reach in ((FROM, "participants_from"), (BENEFIT, "beneficiaries")):
        cues = list(rx.finditer(folded, start, a))
        if cues:
            return reach, cues[-1].start()
    return "activity", a


def _dateline_or_office(folded: str, a: int, b: int) -> bool:
    line_start = folded.rfind("\n", 0, a) + 1
    dateline = a - line_start <= 2 and a < 200 and re.match(r"^\s*(?:\([^)]*\))?\s*,", folded[b : b + 12] or "")
    return bool(dateline) or bool(OFFICE.search(folded[max(0, a - 40) : a]))
