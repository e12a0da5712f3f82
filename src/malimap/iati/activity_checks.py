"""Questions asked of an IATI activity before it becomes rows: is it in Mali (and how much), in a peace sector, dated."""

from __future__ import annotations

import datetime as dt
import re

from malimap.iati.read import Activity


def valid_date(text: str) -> bool:
    """A full ISO day, or a year or year-month as written (the package keeps partial dates at their precision)."""
    if re.fullmatch(r"\d{4}", text):
        return True
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        return True
    try:
        dt.date.fromisoformat(text)
        return len(text) == 10
    except ValueError:
        return False


def mali_share(a: Activity) -> tuple[bool, float | None, str]:
    """(in Mali, Mali's percentage or None, how it was known)."""
    codes = [c for c, _ in a.countries]
    if "ML" in codes:
        pct = next(p for c, p in a.countries if c == "ML")
        if pct is None and len(codes) == 1:
            pct = 100.0
        return True, pct, "recipient-country"
    if "ML" in a.transaction_countries:
        return True, None, "transactions"
    return False, None, ""


def sector_match(a: Activity, prefixes: tuple[str, ...]) -> bool:
    codes = [c for v, c, _, _ in a.sectors if v in ("1", "2")] + [c for v, c in a.transaction_sectors if v in ("1", "2")]
    return any(c.startswith(p) for c in codes for p in prefixes)
