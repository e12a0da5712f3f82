"""Where a 3W row's activity happened, read as the v02 units the map draws, and how sure we are.

A row may name places in COD-AB v02 or v03 (codes or names), misspell a commune, or lie outside Mali. Each way is said on
the row: exact, a spelling variant read inside the named parent (never across parents), a v03 unit translated through the
crosswalk, abroad (kept, never placed in Mali), or unresolved with suggestions (the coarser place found is kept).
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass, field

import pandas as pd

from malimap.geo.countries import country_code
from malimap.geo.gazetteer import ALIASES, Gazetteer, NameIndex, Unit, fold
from malimap.i18n import t
from malimap.schema import PCODE_LENGTH, level_of

PLACE_COLUMNS = ("country", "adm1_pcode", "adm1_name", "adm2_pcode", "adm2_name", "adm3_pcode", "adm3_name", "place_name")
PICKED = "place_picked"  # set on a row whose place the user chose among the suggestions (the Data page's fixes)
ACCEPT = 0.85  # a spelling variant inside the named parent is read as the unit above this similarity…
MARGIN = 0.08  # …and only when no other unit of that parent comes close


@dataclass
class Placed:
    pcode: str = ""
    level: int | None = None
    text: str = ""
    exact: bool = True
    how: str = "none"  # exact, fuzzy, v03, corrected, abroad, unresolved (a coarser place may still be kept), none
    country: str = "ML"
    notes: list[str] = field(default_factory=list)
    unresolved: list[dict] = field(default_factory=list)  # level, text, suggestions
    error: tuple[str, str, str, dict] | None = None  # column, value, message key and values: the row cannot be used


VARIANT_CANDIDATES = 12  # units inside the parent compared in full, by letter pairs shared (a region holds ~100 communes)


class SheetPlaces:
    """Built once per upload: the active v02 gazetteer and the v03 crosswalk."""

    def __init__(self, gazetteer: Gazetteer, crosswalk: pd.DataFrame, lang: str = "en"):
        self.g = gazetteer
        self.lang = lang  # the notes are read on the uploader's cards and exports: in the uploader's language
        self.v03 = {r.v03_pcode: r for r in crosswalk.itertuples()}
        self._memo: dict[tuple[str, ...], Placed] = {}
        self._by_level: dict[int, tuple[list[Unit], NameIndex]] = {}
        self._spelt: dict[str, tuple[str, str]] = {}  # pcode -> (skeleton, folded name)
        self._ranked: dict[tuple, list[tuple[Unit, float]]] = {}
        self._inside: dict[tuple, set[int]] = {}  # (level, scope) -> positions of that level's units inside the scope
        self.v03_by_name: dict[tuple[int, str], list] = {}
        for r in crosswalk.itertuples():
            self.v03_by_name.setdefault((r.v03_level, _key(r.v03_name)), []).append(r)

    def locate(self, row) -> Placed:
        """The row's place; rows naming the same places share one answer (a sheet repeats its places thousands of times)."""
        key = tuple(str(row.get(c, "")) for c in PLACE_COLUMNS)
        if key not in self._memo:
            self._memo[key] = self._locate(dict(zip(PLACE_COLUMNS, key)))
        out = copy.deepcopy(self._memo[key])
        if row.get(PICKED) and out.how == "exact":  # a spelling variant the user resolved: counted as one, not as exact
            out.how = "fuzzy"
            out.notes.append(self._note("picked"))
        return out

    def _locate(self, row: dict) -> Placed:
        country = country_code(row.get("country", ""))
        if country != "ML":
            text = row["place_name"] or ", ".join(n for n in (row["adm3_name"], row["adm2_name"], row["adm1_name"]) if n)
            return Placed(text=text, how="abroad", country=country, notes=[self._note("abroad", country=country)])
        out = Placed()
        row = _codes_where_they_belong(row, out.notes, self.lang)
        scope: list[str] = []  # the v02 units the next level must lie in
        for level in (1, 2, 3):
            code, name = row[f"adm{level}_pcode"].strip().upper(), row[f"adm{level}_name"].strip()
            if not (code or name):
                continue
            found = self._by_code(code, name, level, out) if code else self._by_name(name, level, scope, out)
            if code and found and scope and not any(c.startswith(tuple(scope)) for c in found):
                out.how = "corrected"  # a code (a user's pick, say) outside the parent the row names: said and counted
                out.notes.append(self._note("outside", code=code, scope=", ".join(scope)))
            if out.error or found is None:
                return out
            scope = found
        if row["place_name"].strip():
            self._place_name(row["place_name"].strip(), scope, out)
        if out.how == "none" and out.pcode:
            out.how = "exact"
        if out.how == "corrected":
            out.exact = False
        return out

    # -- one level

    def _by_code(self, code: str, name: str, level: int, out: Placed) -> list[str] | None:
        if not re.fullmatch(rf"ML\d{{{2 * level}}}", code):
            out.error = (
                f"adm{level}_pcode",
                code,
                "pcode_form",
                {"level": level, "example": "ML01020304"[: PCODE_LENGTH[level]]},
            )
            return None
        v02, v03 = self.g.by_pcode.get(code), self.v03.get(code)
        if v03 is not None and (v02 is None or (name and _key(name) == _key(v03.v03_name) != _key(v02.name))):
            return self._translate(v03, out)
        if v02 is None and level <= self.g.finest_level:
            out.error = (f"adm{level}_pcode", code, "pcode_unknown", {"level": level})
            return None
        self._set(out, code, level, name or (v02.name if v02 else code), exact=True)
        return [code]

    def _by_name(self, name: str, level: int, scope: list[str], out: Placed) -> list[str] | None:
        matches = self._within(name, level, scope)
        if len(matches) == 1:
            unit, note = matches[0]
            self._set(out, unit.pcode, unit.level, name, exact=not note)
            if note:
                out.notes.append(note)
                out.how = "fuzzy" if out.how in ("none", "exact") else out.how
            return [unit.pcode]
        v03 = self._v03_named(name, level, scope)
        if v03 is not None:
            return self._translate(v03, out)
        out.how = "unresolved"
        out.unresolved.append({"level": level, "text": name, "suggestions": self._suggest(name, level, scope)})
        return None

    def _within(self, name: str, level: int, scope: list[str]) -> list[tuple[Unit, str]]:
        """Exact matches inside the scope (any of its units); else one clear spelling variant inside it."""
        parents: list[str | None] = list(scope) or [None]
        exact: dict[str, Unit] = {}
        for parent in parents:
            res = self.g.resolve(name, level=level, parent=parent, suggest=False)
            if res.match is not None and res.exact and not res.ambiguous:
                exact[res.match.pcode] = res.match
        if len(exact) == 1:
            return [(next(iter(exact.values())), "")]
        if len(exact) > 1 or not scope:  # never a guess across parents
            return []
        ranked = self._variants(name, level, scope)
        if ranked and ranked[0][1] >= ACCEPT and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= MARGIN):
            unit, score = ranked[0]
            return [
                (
                    unit,
                    self._note("variant", name=name, unit=unit.name, pcode=unit.pcode, score=f"{score:.2f}"),
                )
            ]
        return []

    def _variants(self, name: str, level: int, scope: list[str]) -> list[tuple[Unit, float]]:
        """Units of `level` inside the scope, by similarity of their skeleton or folded name. Spellings are worked out
        once per unit, and a unit that cannot reach 0.6 by letter counts is not compared further (the score of one
        that can is exact): a 50,000-row sheet of unknown communes stays within seconds, not minutes."""
        memo = (name, level, tuple(scope))
        if memo in self._ranked:
            return self._ranked[memo]
        key, folded = _skeleton(name), fold(name)
        units, index = self._level(level)
        inside = self._inside.get((level, tuple(scope)))
        if inside is None:
            inside = self._inside[(level, tuple(scope))] = {i for i, u in enumerate(units) if u.pcode.startswith(tuple(scope))}
        near = set(index.candidates(folded, VARIANT_CANDIDATES, inside)) | set(index.candidates(key, VARIANT_CANDIDATES, inside))
        scored = []
        for i in near:
            u = units[i]
            skeleton, plain = self._spelt[u.pcode]
            score = max(
                difflib.SequenceMatcher(None, key, skeleton).ratio(), difflib.SequenceMatcher(None, folded, plain).ratio()
            )
            scored.append((u, score))
        self._ranked[memo] = sorted(scored, key=lambda us: (-us[1], us[0].pcode))
        return self._ranked[memo]

    def _level(self, level: int) -> tuple[list[Unit], NameIndex]:
        """A level's units and an index of their spellings (folded and skeleton), built once per upload."""
        if level not in self._by_level:
            units = [u for u in self.g.units if u.level == level]
            for u in units:
                self._spelt[u.pcode] = (_skeleton(u.name), fold(u.name))
            index = NameIndex([f"{self._spelt[u.pcode][1]} {self._spelt[u.pcode][0]}" for u in units])
            self._by_level[level] = (units, index)
        return self._by_level[level]

    def _v03_named(self, name: str, level: int, scope: list[str]):
        candidates = self.v03_by_name.get((level, _key(name)), [])
        if scope and level == 2:  # a v03 cercle of the v03 region named on the row
            candidates = [c for c in candidates if c.v03_pcode[: PCODE_LENGTH[1]] in self._v03_regions_in(scope)]
        return candidates[0] if len(candidates) == 1 else None

    def _v03_regions_in(self, scope: list[str]) -> set[str]:
        return {r.v03_pcode for r in self.v03.values() if r.v03_level == 1 and set(r.covers.split(";")) & set(scope)}

    def _translate(self, v03, out: Placed) -> list[str] | None:
        if not v03.v02_pcode:
            out.how = "unresolved"
            out.unresolved.append({"level": v03.v03_level, "text": v03.v03_name, "suggestions": ""})
            return None
        unit = self.g.by_pcode.get(v03.v02_pcode)
        self._set(out, v03.v02_pcode, v03.v02_level, v03.v03_name, exact=False)
        out.how = "v03"
        out.notes.append(
            self._note(
                "v03",
                level=self._level_name(v03.v03_level),
                name=v03.v03_name,
                pcode=v03.v03_pcode,
                v02_name=unit.name if unit else v03.v02_pcode,
                v02_pcode=v03.v02_pcode,
                basis=v03.basis,
            )
        )
        return [c for c in v03.covers.split(";") if c] or [v03.v02_pcode]

    def _place_name(self, text: str, scope: list[str], out: Placed) -> None:
        """The free place column: it refines a coarser place when it names a unit inside it, and is flagged when it does not."""
        for level in (3, 2, 1):
            if out.level is not None and level <= out.level:
                break
            found = self._within(text, level, scope) if scope else []
            if len(found) == 1:
                unit, note = found[0]
                self._set(out, unit.pcode, unit.level, text, exact=not note)
                out.notes += [note] if note else []
                return
        if out.pcode and any(
            fold(text) == fold(n) for n in (self.g.by_pcode[out.pcode].name if out.pcode in self.g.by_pcode else "",)
        ):
            return
        if not out.pcode:
            res = self.g.resolve(text, lang=self.lang)
            if res.match is not None:
                self._set(out, res.match.pcode, res.match.level, text, exact=res.exact and not res.ambiguous)
                out.notes += [res.note] if res.note else []
                return
        out.how = "unresolved"
        out.unresolved.append({"level": None, "text": text, "suggestions": self._suggest(text, None, scope)})

    def _note(self, key: str, **values) -> str:
        return t(f"upload.place.{key}", self.lang, **values)

    def _level_name(self, level: int) -> str:
        return t(f"level.{level}", self.lang).lower()

    @staticmethod
    def _set(out: Placed, pcode: str, level: int, text: str, exact: bool) -> None:
        out.pcode, out.level, out.text, out.exact = pcode, level, text, out.exact and exact

    def _suggest(self, name: str, level: int | None, scope: list[str]) -> str:
        """Closest units inside the parent first; the parts of a compound name ('Mopti/Sévaré', 'Sévaré (Mopti)')."""
        found: dict[str, Unit] = {}
        for part in _parts(name):
            res = self.g.resolve(part, level=None, parent=None)
            if res.match is not None and (not scope or res.match.pcode.startswith(tuple(scope))):
                found.setdefault(res.match.pcode, res.match)
        if scope:  # the row names its parent: only units inside it are offered, the closest first
            for lv in [level] if level else [2, 3]:
                for unit, _score in self._variants(name, lv, scope)[:3]:
                    found.setdefault(unit.pcode, unit)
        if not found and not scope:
            for unit, _ in self.g.resolve(name, level=level).suggestions[:3]:
                found.setdefault(unit.pcode, unit)
        return "; ".join(f"{u.name} ({u.pcode})" for u in list(found.values())[:5])


def _codes_where_they_belong(row: dict, notes: list[str], lang: str) -> dict:
    """P-codes as OCHA sheets write them: ISO3 'MLI0506' read as 'ML0506'; a cercle's code in the region column read as
    the cercle's (and said), the region then being the code's own first digits."""
    row = dict(row)
    for level in (1, 2, 3):
        raw = row[f"adm{level}_pcode"].strip().upper()
        code = "ML" + raw[3:] if re.fullmatch(r"MLI\d+", raw) else raw
        row[f"adm{level}_pcode"] = code
        found = level_of(code) if re.fullmatch(r"ML\d+", code) else None
        if found and found > level and not row[f"adm{found}_pcode"].strip():
            row[f"adm{found}_pcode"], row[f"adm{level}_pcode"] = code, ""
            notes.append(t("upload.place.column", lang, code=code, level=level, kind=t(f"level.{found}", lang).lower()))
    return row


def _key(name: str) -> str:
    folded = fold(name)
    return ALIASES.get(folded, folded)


def _skeleton(name: str) -> str:
    """A spelling's bones: no accents, spaces, hyphens or apostrophes; ou→u, dj→j, y→i; doubled letters once."""
    t = fold(name).replace(" ", "").replace("ou", "u").replace("dj", "j").replace("y", "i")
    return re.sub(r"(.)\1+", r"\1", t)


def _parts(name: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"[/|]|\s+-\s+|[()]", name) if p.strip()]
    return parts if len(parts) > 1 else []
