"""Dates as people type them in Mali's 3W sheets, read into partial ISO dates at the precision they were given.

French day-first order (31/01/2021), month-year (01-2021, mars 2019, March 2019), quarters (T2 2020, Q2 2020) and Excel
date cells all become YYYY, YYYY-MM or YYYY-MM-DD; a quarter becomes its first month as a start and its last as an end,
marked approximate. Anything else is refused with what is expected, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from malimap.geo.gazetteer import fold

MONTHS = {
    **{
        m: i
        for i, m in enumerate(
            [
                "janvier",
                "fevrier",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "aout",
                "septembre",
                "octobre",
                "novembre",
                "decembre",
            ],
            start=1,
        )
    },
    **{
        m: i
        for i, m in enumerate(
            [
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ],
            start=1,
        )
    },
    **{m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)},
    "fev": 2,
    "avr": 4,
    "juil": 7,
    "sept": 9,
    "janv": 1,
    "fevr": 2,
    "dec": 12,
}
EXPECTED = "a date such as 2021, 2021-01, 2021-01-31, 31/01/2021, 01/2021, mars 2021 or T1 2021"


@dataclass(frozen=True)
class SheetDate:
    iso: str  # '' when the cell is empty or unreadable
    approximate: bool = False
    error: tuple[str, dict] | None = None  # the message key and its values: what is wrong, for the row's message


def read_sheet_date(text: str, end: bool = False) -> SheetDate:
    """One cell; `end` says whether it is an end date (a quarter ends in its last month)."""
    raw = str(text or "").strip()
    if not raw:
        return SheetDate("")
    t = fold(raw)
    if m := re.fullmatch(r"(\d{4})(?: (\d{1,2})(?: (\d{1,2}))?)?(?: \d{2} \d{2} \d{2})?", t):  # ISO; Excel date cells
        return _checked(m.group(1), m.group(2), m.group(3), raw)
    if m := re.fullmatch(r"(\d{1,2}) (\d{1,2}) (\d{4})", t):  # 31/01/2021, 31-01-2021, 31.01.2021: day first, as in Mali
        return _checked(m.group(3), m.group(2), m.group(1), raw)
    if m := re.fullmatch(r"(\d{1,2}) (\d{4})", t):  # 01/2021, 01-2021
        return _checked(m.group(2), m.group(1), None, raw)
    if m := re.fullmatch(r"(?:(\d{1,2}) )?([a-z]+) (\d{4})", t):  # mars 2019, 14 mars 2019, March 2019
        month = MONTHS.get(m.group(2))
        if month is None:
            return SheetDate("", error=("month_name", {"month": m.group(2), "expected": EXPECTED}))
        return _checked(m.group(3), str(month), m.group(1), raw)
    if m := re.fullmatch(r"(?:t|q|trimestre|quarter) ?([1-4]) (\d{4})|(\d{4}) (?:t|q) ?([1-4])", t):
        quarter, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        month = (int(quarter) - 1) * 3 + (3 if end else 1)
        return SheetDate(f"{year}-{month:02d}", approximate=True)
    return SheetDate("", error=("date", {"expected": EXPECTED}))


def _checked(year: str, month: str | None, day: str | None, raw: str) -> SheetDate:
    import calendar

    y = int(year)
    if not 1900 <= y <= 2100:
        return SheetDate("", error=("year_range", {"year": y}))
    if month is None:
        return SheetDate(f"{y:04d}")
    mo = int(month)
    if not 1 <= mo <= 12:
        return SheetDate("", error=("month", {"month": mo, "raw": raw, "expected": EXPECTED}))
    if day is None:
        return SheetDate(f"{y:04d}-{mo:02d}")
    d = int(day)
    if not 1 <= d <= calendar.monthrange(y, mo)[1]:
        return SheetDate("", error=("day", {"day": d, "ym": f"{y:04d}-{mo:02d}"}))
    return SheetDate(f"{y:04d}-{mo:02d}-{d:02d}")


def ends_before_start(start: str, end: str) -> bool:
    """Whether a partial ISO end date lies wholly before a partial ISO start date ('2019' vs '2021-03' → True)."""
    if not (start and end):
        return False
    lo = (start + "-01-01")[:10]
    hi = (end + "-12-31")[:10] if len(end) == 4 else (end + "-31")[:10]  # a month's last day compared as text: 31 is safe
    return hi < lo
