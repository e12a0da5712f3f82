"""Partial ISO dates ('2018', '2018-03', '2018-03-14') as the earliest and latest day they can mean."""

from __future__ import annotations

import pandas as pd

DATE_PRECISION = {4: "year", 7: "month", 10: "day"}  # by the length of the ISO text


def date_bounds(value: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Earliest and latest day a partial ISO date can mean ('2018' -> 2018-01-01 .. 2018-12-31); None if impossible."""
    lo, hi, _ = date_bounds_series(pd.Series([value or ""], dtype=object))
    return None if pd.isna(lo.iloc[0]) else (lo.iloc[0], hi.iloc[0])


_DATE_RE = r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$"


def date_bounds_series(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Vectorised date_bounds: (earliest, latest, well-formed-but-impossible) for a column of partial ISO dates.

    Worked out once per distinct text (a million rows hold a few thousand dates), then spread back by position."""
    text = values.fillna("").astype(str)
    codes, uniques = pd.factorize(text, use_na_sentinel=False)
    lo, hi, impossible = _bounds(pd.Series(uniques, dtype=object))
    spread = lambda s: pd.Series(s.to_numpy()[codes], index=values.index, dtype=s.dtype)  # noqa: E731
    return spread(lo), spread(hi), spread(impossible)


def _bounds(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    parts = values.str.extract(_DATE_RE)
    y = pd.to_numeric(parts[0], errors="coerce")
    m = pd.to_numeric(parts[1], errors="coerce")
    d = pd.to_numeric(parts[2], errors="coerce")
    lo = pd.to_datetime(pd.DataFrame({"year": y, "month": m.fillna(1), "day": d.fillna(1)}), errors="coerce")
    month_end = (lo + pd.offsets.MonthEnd(0)).where(m.notna())
    hi = lo.where(
        d.notna(), month_end.where(m.notna(), pd.to_datetime(pd.DataFrame({"year": y, "month": 12, "day": 31}), errors="coerce"))
    )
    impossible = y.notna() & lo.isna()
    return lo.where(~impossible), hi.where(~impossible), impossible
