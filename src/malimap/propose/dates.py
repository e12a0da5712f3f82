"""Dates an article states, read as ISO partial dates at the precision the text gives (day, month, year).

"du 8 au 10 mai 2018", "les 30 et 31 juillet 2015", "en juin 2016", "de janvier 2018 à avril 2019", "T2 2020" and their
English forms. A date with no year ("les 21 et 22 octobre") gets none invented: its start stays empty and its quote says
what the text said. A date alone on its line, after "publié le"/"posted", or a dateline, is the article's publication
date, never an event's. "Le mois dernier" is resolved only against a date the article states, and marked approximate.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    **dict.fromkeys(["janvier", "january", "jan"], 1),
    **dict.fromkeys(["fevrier", "february", "feb"], 2),
    **dict.fromkeys(["mars", "march", "mar"], 3),
    **dict.fromkeys(["avril", "april", "apr"], 4),
    **dict.fromkeys(["mai", "may"], 5),
    **dict.fromkeys(["juin", "june", "jun"], 6),
    **dict.fromkeys(["juillet", "july", "jul"], 7),
    **dict.fromkeys(["aout", "august", "aug"], 8),
    **dict.fromkeys(["septembre", "september", "sept", "sep"], 9),
    **dict.fromkeys(["octobre", "october", "oct"], 10),
    **dict.fromkeys(["novembre", "november", "nov"], 11),
    **dict.fromkeys(["decembre", "december", "dec"], 12),
}
_M = r"(?P<{}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_D = r"(?P<{}>[0-3]?\d)(?:er|st|nd|rd|th)?"
_Y = r"(?P<{}>(?:19|20)\d\d)"
_WEEKDAY = (
    r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?"
)
QUARTER_WORDS = {"premier": 1, "1er": 1, "1e": 1, "deuxieme": 2, "2e": 2, "2eme": 2, "second": 2, "troisieme": 3, "3e": 3,
                 "3eme": 3, "third": 3, "quatrieme": 4, "4e": 4, "4eme": 4, "fourth": 4, "first": 1}  # fmt: skip


def _p(template: str) -> re.Pattern:
    out = template
    for token, maker in (("D1", _D), ("M1", _M), ("Y1", _Y), ("D2", _D), ("M2", _M), ("Y2", _Y)):
        out = out.replace(token, maker.format(token.lower()))
    return re.compile(r"(?<![\w-])" + out + r"(?![\w])")


# most specific first; each names its parts d1 m1 y1 (start) and d2 m2 y2 (end)
PATTERNS = [
    ("range", _p(r"(?:du|from)\s+" + _WEEKDAY + r"D1\s+M1(?:\s+Y1)?\s+(?:au|to|until|-)\s+" + _WEEKDAY + r"D2\s+M2,?\s+Y2")),
    ("range", _p(r"(?:du\s+|from\s+)?" + _WEEKDAY + r"D1\s*(?:au|to|-|/)\s*" + _WEEKDAY + r"D2\s+M2,?\s+Y2")),
    ("range", _p(r"(?:les\s+)?D1(?:\s*,\s*[0-3]?\d)+\s+(?:et|and)\s+D2\s+M2,?\s+Y2")),  # "les 29, 30 et 31 janvier 2021"
    ("range", _p(r"(?:les\s+|on\s+)?D1\s+(?:et|and|&)\s+D2\s+M2,?\s+Y2")),
    ("range", _p(r"(?:entre\s+)?le\s+D1\s+et\s+le\s+D2\s+M2,?\s+Y2")),  # "le 8 et le 9 février 2017"
    ("range", _p(r"(?:les?\s+)?D1\s+M1\s+(?:et|and|au|to)\s+(?:le\s+)?D2\s+M2,?\s+Y2")),  # "le 11 juin et le 19 juin 2021"
    ("range", _p(r"M2\s+D1\s*(?:-|to|and|&)\s*D2,?\s+Y2")),
    ("range", _p(r"M1\s+D1\s*(?:-|–|to|through)\s*M2\s+D2,?\s+Y2")),  # "September 15 - October 14, 2016"
    ("range", _p(r"(?:de\s+|from\s+|between\s+|d')M1\s+Y1\s+(?:a|à|to|and|-|jusqu'en|until)\s+M2\s+Y2")),
    ("range", _p(r"(?:de|from|between)\s+M1\s+(?:a|à|to|and|-)\s+M2\s+Y2")),
    ("range", _p(r"(?:en|in)\s+M1\s+(?:et|and)\s+M2\s+Y2")),  # "en octobre et novembre 2019": both months, from the first
    ("day", _p(_WEEKDAY + r"D1\s+M1,?\s+Y1")),
    ("day", _p(_WEEKDAY + r"M1\s+D1,\s+Y1")),
    ("month", _p(r"M1,?\s+Y1")),
    ("range", _p(r"(?:(?:de|from|between|entre)\s+|(?:term|period|periode|duree|duration)\s*:\s*)Y1\s*(?:a|à|to|and|et|-)\s*Y2")),
    ("range", _p(r"\(\s*Y1\s*[-–]\s*Y2\s*\)")),  # "Project (COREM) (2017-2019)": a work's period after its name
    ("noyear_range", _p(r"(?:du\s+|from\s+)?" + _WEEKDAY + r"D1\s*(?:au|-|to)\s*D2\s+M2")),
    ("noyear_range", _p(r"(?:les\s+)?D1(?:\s*,\s*[0-3]?\d)+\s+(?:et|and)\s+D2\s+M2")),  # "les 11, 22 et 24 janvier"
    ("noyear_range", _p(r"(?:les\s+)?D1\s+(?:et|and)\s+D2\s+M2")),
    ("noyear_range", _p(r"(?:entre\s+)?le\s+D1\s+et\s+le\s+D2\s+M2")),
    ("noyear_day", _p(r"(?:le\s+|on\s+)?" + _WEEKDAY + r"D1\s+M1")),
]
ISO_OR_DOTTED = re.compile(r"(?<![\d.-])(?:((?:19|20)\d\d)-([01]\d)-([0-3]\d)|([0-3]\d)\.([01]\d)\.((?:19|20)\d\d))(?![\d.-]?\d)")
RANGE_JOIN = re.compile(r"\s*(?:-|–|—|au|to|a)\s*")
BYLINE = re.compile(r"\s*[,|-]?\s*(?:par|by)\s+[\w .'-]{2,40}")
NUMERIC = re.compile(r"(?<![\d/])([0-3]?\d)/([0-3]?\d)/((?:19|20)\d\d)(?![\d/])")
QUARTER = re.compile(
    r"(?<![\w])(?:[tq]([1-4])\s+((?:19|20)\d\d)|(\w+)\s+(?:trimestre|quarter)\s+(?:de\s+|of\s+)?((?:19|20)\d\d))"
)
YEAR = re.compile(
    r"(?<![\w])(?:en|in|depuis|since|au cours de l'annee|during|over the course of|in the course of|courant)\s+(?:(?:fin|debut|mi|late|early|mid|the end of|end of)[\s-]+)?((?:19|20)\d\d)(?![\w-])"
)
RELATIVE = {
    r"le mois dernier|the previous month|last month": ("month", -1),
    r"l'annee derniere|l'an dernier|last year|the previous year": ("year", -1),
    r"ce mois-ci|this month": ("month", 0),
    r"cette annee|this year": ("year", 0),
}
PAST_SPAN = re.compile(  # "durant les 18 mois de ce projet" is how long it runs, not a time before the stated date
    r"(?:over|during|in) the (?:past|last)\s+(?P<n>\w+)\s+(?P<u>months|years)|"
    r"(?:au cours des|durant les|pendant les)\s+(?P<n2>\w+)\s+(?:(?:derniers?|dernieres?)\s+(?P<u2>mois|ans|annees)|"
    r"(?P<u3>mois|ans|annees)\s+(?:derniers?|dernieres?|passes|passees|ecoules?|ecoulees?)\b)"
)
COUNTS = {"deux": 2, "two": 2, "trois": 3, "three": 3, "quatre": 4, "four": 4, "six": 6, "douze": 12, "twelve": 12}
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
WEEKDAYS_EN = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
LAST_WEEKDAY = re.compile(
    r"(?<![\w])(?:(?:le |ce )?(" + "|".join(WEEKDAYS) + r") dernier|last (" + "|".join(WEEKDAYS_EN) + r"))(?![\w])"
)
PUBLISHED_CUE = re.compile(
    r"(?:publie(?:e)?(?: le)?|mis en ligne(?: le)?|posted on|published on|published|posted|written by)", re.I
)


# "la crise de 2012", "the armed conflicts … were victims in 2012": when the crisis struck, not when the work was done
CRISIS = re.compile(
    r"\b(?:crise|crisis|conflits?|conflicts?|rebellion|occupation|coup d'etat|putsch|attaques?|attacks?|victimes?|victims?|"
    r"insurrection|insurgency)\b(?:[^,.;:()\n]{0,60}|\s+qui,\s*)$"  # not across a line: a headline's "conflits" above
)
CRISIS_AFTER = re.compile(r"[^.;]{0,80}?\b(?:crise|crisis|rebellion|coup d'etat|putsch|occupation|insurrection|insurgency)\b")


def of_the_crisis(folded: str, span: tuple[int, int]) -> bool:
    """A date that dates a crisis, a conflict or an attack told in its clause ("Since 2012, Mali has been undergoing a
    multidimensional crisis")."""
    return bool(CRISIS.search(folded, max(0, span[0] - 70), span[0]) or CRISIS_AFTER.match(folded, span[1]))


@dataclass(frozen=True)
class FoundDate:
    start: str | None  # ISO partial date, or None when the text gives no year
    end: str | None
    approximate: bool
    span: tuple[int, int]
    publication: bool = False  # the article's own date, not an event's
    ongoing: bool = False  # "depuis 2013", "since 2013": when something ongoing began, never an event's date


def _iso(y: str | None, m: str | None = None, d: str | None = None) -> str | None:
    if not y:
        return None
    if not m:
        return y
    month = MONTHS[m] if not m.isdigit() else int(m)
    if not d:
        return f"{y}-{month:02d}"
    day = int(d)
    if not 1 <= day <= calendar.monthrange(int(y), month)[1]:
        return None
    return f"{y}-{month:02d}-{day:02d}"


def _from_match(kind: str, g: dict) -> tuple[str | None, str | None]:
    if kind == "range":
        y2 = g.get("y2")
        y1 = g.get("y1") or y2
        m1 = g.get("m1") or g.get("m2")
        if not g.get("m2"):
            return y1, y2  # "de 2018 à 2023"
        if g.get("d1"):
            return _iso(y1, m1, g["d1"]), _iso(y2, g["m2"], g.get("d2"))
        return _iso(y1, m1), _iso(y2, g["m2"])
    if kind == "day":
        return (_iso(g["y1"], g["m1"], g["d1"]),) * 2
    if kind == "month":
        return (_iso(g["y1"], g["m1"]),) * 2
    return None, None  # no year stated: none invented


def find_dates(folded: str, stated: str = "") -> list[FoundDate]:
    """Every date in the (length-kept folded) text, longest reading first; `stated` (the publication date, if known)
    is what a relative date is resolved against."""
    taken: list[tuple[int, int]] = []
    found: list[FoundDate] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for kind, rx in PATTERNS:
        for m in rx.finditer(folded):
            if not free(*m.span()):
                continue
            g = {k: v for k, v in m.groupdict().items() if v}
            start, end = _from_match(kind, g)
            if kind.startswith("noyear") or start is not None:
                taken.append(m.span())
                labelled = re.match(r"(?:term|period|periode|duree|duration)", folded[m.start() :])  # "Period: 2020 to 2022"
                found.append(FoundDate(start, end, False, m.span(), not labelled and _is_publication(folded, m.span())))
            elif g.get("d1") or g.get("d2"):
                taken.append(m.span())  # "31 février 2018": an impossible day is no date, not its month
    for first, last, span in _ranges(_in_figures(folded), folded):
        if free(*span):
            taken.append(span)
            found.append(FoundDate(first, last, False, span, first == last and _is_publication(folded, span)))  # a period
    for m in QUARTER.finditer(folded):
        q = int(m.group(1)) if m.group(1) else QUARTER_WORDS.get(m.group(3) or "")
        year = m.group(2) or m.group(4)
        if q and free(*m.span()):
            taken.append(m.span())
            found.append(FoundDate(f"{year}-{3 * q - 2:02d}", f"{year}-{3 * q:02d}", True, m.span()))
    for m in YEAR.finditer(folded):
        if free(*m.span(1)):
            taken.append(m.span())
            found.append(FoundDate(m.group(1), None, False, m.span(), ongoing=m.group(0).startswith(("depuis", "since"))))
    publication = stated or next((d.start for d in found if d.publication and d.start), "")
    for words, (unit, shift) in RELATIVE.items():
        for m in re.finditer(words, folded):
            if publication and free(*m.span()):
                found.append(FoundDate(_shift(publication, unit, shift), None, True, m.span()))
    if publication:
        found = [_last(d, folded, publication) for d in found]
        for m in LAST_WEEKDAY.finditer(folded):  # "le vendredi dernier": the last Friday before the stated day
            if len(publication) == 10 and free(*m.span()):
                day = (WEEKDAYS + WEEKDAYS_EN).index(m.group(1) or m.group(2)) % 7
                stated_day = date.fromisoformat(publication)
                back = (stated_day.weekday() - day - 1) % 7 + 1
                found.append(FoundDate((stated_day - timedelta(days=back)).isoformat(), None, True, m.span()))
    years = {int(y[:4]) for d in found if not d.ongoing for y in (d.start, d.end) if y}
    years |= {int(stated[:4])} if stated else set()  # "jeudi 21 février" in an article published in March 2019
    found = [_by_weekday(d, folded, years) for d in found]
    for m in PAST_SPAN.finditer(folded):  # "over the past two months": from two months before the stated date
        written, words = m.group("n") or m.group("n2"), m.group("u") or m.group("u2") or m.group("u3")
        n = int(written) if written.isdigit() else COUNTS.get(written)
        if publication and n and free(*m.span()):
            unit = "month" if words in ("mois", "months") else "year"
            found.append(FoundDate(_shift(publication, unit, -n), None, True, m.span()))
    return sorted(found, key=lambda d: d.span)


def _ranges(dates: list[tuple[str, tuple[int, int]]], folded: str) -> list[tuple[str, str, tuple[int, int]]]:
    """ "2022-02-01 - 2023-06-30", "01.06.2016 au 31.08.2017": two dates in figures joined by a dash are one period."""
    out: list[tuple[str, str, tuple[int, int]]] = []
    for written, span in sorted(dates, key=lambda d: d[1]):
        if out and out[-1][0] == out[-1][1] and RANGE_JOIN.fullmatch(folded, out[-1][2][1], span[0]) and written > out[-1][0]:
            out[-1] = (out[-1][0], written, (out[-1][2][0], span[1]))
        else:
            out.append((written, written, span))
    return out


def _in_figures(folded: str) -> list[tuple[str, tuple[int, int]]]:
    """Dates written in figures: "hier (22/11/2023)" day first, unless the article shows month first ("Grant Dates:
    10/16/2019"); a fact sheet's "2022-02-01 - 2023-06-30" and "01.06.2016 - 31.08.2017". An impossible one is none."""
    figures = [(int(m.group(1)), int(m.group(2))) for m in NUMERIC.finditer(folded)]
    month_first = any(b > 12 >= a for a, b in figures) and not any(a > 12 >= b for a, b in figures)
    out = []
    for m in NUMERIC.finditer(folded):
        day, month = (m.group(2), m.group(1)) if month_first else (m.group(1), m.group(2))
        out.append((_iso(m.group(3), month, day) if 1 <= int(month) <= 12 else None, m.span()))
    for m in ISO_OR_DOTTED.finditer(folded):
        written = _iso(m.group(1), m.group(2), m.group(3)) if m.group(1) else _iso(m.group(6), m.group(5), m.group(4))
        out.append((written, m.span()))
    return [(w, span) for w, span in out if w]


def _yearless(folded: str, d: FoundDate) -> tuple[int, int, int] | None:
    """Month, first and last day of a date the text gives without a year ("le 29 mars", "les 21 et 22 octobre")."""
    m = next((p.match(folded, *d.span) for kind, p in PATTERNS if kind.startswith("noyear") and p.match(folded, *d.span)), None)
    if m is None:
        return None
    g = m.groupdict()
    day = int(g["d1"])
    return MONTHS[g.get("m1") or g["m2"]], day, int(g["d2"]) if g.get("d2") else day


def _in_year(d: FoundDate, year: int, month: int, day: int, end_day: int) -> FoundDate:
    """The yearless date in `year`, approximate (the year is read, not written); unchanged where no such day exists."""
    start, end = _iso(str(year), str(month), str(day)), _iso(str(year), str(month), str(end_day))
    return FoundDate(start, end, True, d.span, ongoing=d.ongoing) if start else d


def _last(d: FoundDate, folded: str, stated: str) -> FoundDate:
    """ "le 29 mars dernier" in an article of April 2019 is 29 March 2019: a yearless date followed by "dernier" takes
    the stated date's year, or the year before when it would fall after the stated date. Marked approximate."""
    if d.start is not None or d.publication or not re.match(r"\s+derni(?:er|ere)s?\b", folded[d.span[1] : d.span[1] + 12]):
        return d
    parts = _yearless(folded, d)
    if parts is None:
        return d
    month, day, end_day = parts
    year = int(stated[:4]) - ((month, day) > (int(stated[5:7] or 12), int(stated[8:10] or 31)))
    return _in_year(d, year, month, day, end_day)


def _by_weekday(d: FoundDate, folded: str, years: set[int]) -> FoundDate:
    """ "mardi 30 avril" in an article whose dates run 2018-2019: the one year, among those the article states, in which
    30 April is a Tuesday. None or several such years: no year. Marked approximate. (Years next to the stated ones are
    not tried: "ce vendredi 29 avril" beside a history that starts "en janvier 2012" became 2011, a year never written.)"""
    if d.start is not None or d.publication:
        return d
    parts = _yearless(folded, d)
    weekday = re.search("|".join(WEEKDAYS + WEEKDAYS_EN), folded[d.span[0] : d.span[1]])
    if parts is None or weekday is None:
        return d
    month, day, end_day = parts
    wanted = (WEEKDAYS + WEEKDAYS_EN).index(weekday.group(0)) % 7
    fits = [y for y in sorted(years) if day <= calendar.monthrange(y, month)[1] and date(y, month, day).weekday() == wanted]
    return _in_year(d, fits[0], month, day, end_day) if len(fits) == 1 else d


def _shift(iso: str, unit: str, by: int) -> str:
    year = int(iso[:4])
    if unit == "year" or len(iso) < 7:
        return str(year + by)
    month = int(iso[5:7]) + by
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return f"{year}-{month:02d}"


def _is_publication(folded: str, span: tuple[int, int]) -> bool:
    """A date alone on its line (a byline's date), after a publication cue on its line, or a dateline opening the text."""
    line_start = folded.rfind("\n", 0, span[0]) + 1
    line_end = folded.find("\n", span[1])
    line_end = len(folded) if line_end < 0 else line_end
    before, after = folded[line_start : span[0]], folded[span[1] : line_end]
    wrapped = re.search(r"[a-z,]\n$", folded[max(0, line_start - 2) : line_start])  # "… s'est tenu à Kita le\nmardi 12 …"
    if not before.strip() and not wrapped and re.fullmatch(r"[\s,.]*(\d{1,2}[:h]\d{2})?[\s,.]*", after):
        return True
    if re.fullmatch(r"\s*(?:" + "|".join(WEEKDAYS + WEEKDAYS_EN) + r")?\s*", before) and BYLINE.fullmatch(after):
        return True  # "lundi 8 décembre 2014, par Massa": a byline
    if re.fullmatch(r"[a-z .'-]{3,40}\([a-z' -]{3,30}\)\s*", before) and not after.strip(" ,.|-"):
        return True  # "Yaya Konaté (Bamako)21 août 2013": an author, the office, the date
    if PUBLISHED_CUE.search(before):
        return True
    dateline = re.match(r"^\s*[a-z'-]{3,20}(?:[ -][a-z'-]+){0,2},\s*$", before)  # "BAMAKO, 12 mars 2018 -"
    return line_start < 400 and bool(dateline) and not re.search(r"\b(?:un|une|le|la|les|des|du|sur|dans|en|a|au)\b", before)
