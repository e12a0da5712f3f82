"""Money converted only with a rate table the user gives (CSV: currency, to_currency, rate, and optionally year), each
converted figure naming the rate and the table it came from. No rate is ever fetched or assumed."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path


class RateError(ValueError):
    """A rate table that cannot be used, saying which row and why."""


@dataclass(frozen=True)
class Rates:
    to: str
    by_key: dict[tuple[str, str], tuple[float, int]]  # (currency, year or '') -> (rate, the table's row)
    file: str

    def convert(self, amount: float, currency: str, day: str) -> tuple[float, str] | None:
        """(amount in `to`, what was used) or None when the table has no rate for this currency and year."""
        if currency == self.to:
            return amount, f"already in {self.to}"
        found = self.by_key.get((currency, day[:4])) or self.by_key.get((currency, ""))
        if found is None:
            return None
        rate, row = found
        when = day[:4] if (currency, day[:4]) in self.by_key else "any year"
        return round(amount * rate, 2), f"1 {currency} = {rate:g} {self.to} ({when}), {self.file} row {row}"


def read_rates(path: Path) -> Rates:
    """Every row checked: a currency and a target of three capitals, a positive rate, a year of four digits if given,
    one target currency for the whole table."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    if not rows or not {"currency", "to_currency", "rate"} <= set(rows[0]):
        raise RateError(f"{path.name}: expected the columns currency, to_currency, rate (and optionally year)")
    by_key: dict[tuple[str, str], tuple[float, int]] = {}
    targets = set()
    for n, r in enumerate(rows, start=2):
        cur, to, year = r["currency"].strip().upper(), r["to_currency"].strip().upper(), (r.get("year") or "").strip()
        try:
            rate = float(r["rate"])
        except ValueError:
            raise RateError(f"{path.name}, row {n}: rate {r['rate']!r} is not a number") from None
        if (
            len(cur) != 3
            or len(to) != 3
            or not (cur + to).isalpha()
            or rate <= 0
            or (year and not (year.isdigit() and len(year) == 4))
        ):
            raise RateError(f"{path.name}, row {n}: expected currency and to_currency as ISO codes, a positive rate, a year YYYY")
        targets.add(to)
        by_key[(cur, year)] = (rate, n)
    if len(targets) != 1:
        raise RateError(f"{path.name}: one target currency per table (found {', '.join(sorted(targets))})")
    return Rates(targets.pop(), by_key, path.name)
