"""Place names to P-codes: folds accents and punctuation, reads level words, uses the parent, never guesses silently."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from malimap.i18n import t
from malimap.schema import deepest_level

LEVEL_WORDS = {
    "region": 1,
    "regions": 1,
    "district": 1,
    "cercle": 2,
    "cercles": 2,
    "prefecture": 2,
    "commune": 3,
    "communes": 3,
    "commune rurale": 3,
    "commune urbaine": 3,
    "arrondissement": 3,
    "mairie": 3,
}
# Non-COD-AB spellings seen in sources, mapped to the COD-AB name (after folding)
ALIASES = {
    "timbuktu": "tombouctou",
    "tombouctu": "tombouctou",
    "timbouctou": "tombouctou",
    "tomboctou": "tombouctou",
    "segu": "segou",
    "bamako district": "bamako",
    "district of bamako": "bamako",
    "kidal region": "kidal",
    "mopti region": "mopti",
    "gao region": "gao",
    "menaka region": "menaka",
    "dire dawa": "dire",
}
ROMAN = {"1": "i", "2": "ii", "3": "iii", "4": "iv", "5": "v", "6": "vi", "1er": "i", "1ere": "i"}
_FILLERS = r"(?:de la |de l |du |des |de |d |of |la |le |les |l )?"


def fold(text: str) -> str:
    """Lower case, no accents, apostrophes/hyphens/punctuation as spaces: 'N’Tillit' -> 'n tillit'."""
    t = unicodedata.normalize("NFKD", str(text))
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    t = re.sub(r"[’'`´\-_/.,;:()\[\]«»\"]", " ", t)
    return re.sub(r"\s+", " ", t).strip()


class NameIndex:
    """Spellings indexed by the letter pairs they share with a query: a fuzzy comparison (difflib) then runs on the few
    closest candidates, not on every name. A misspelling shares most of its letter pairs with the name it means."""

    def __init__(self, keys: list[str]):
        self.keys = keys
        self.postings: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            for gram in _pairs(key):
                self.postings.setdefault(gram, []).append(i)

    def candidates(self, query: str, n: int, allowed=None) -> list[int]:
        """Positions of the `n` keys sharing the most letter pairs with `query` (among `allowed` positions if given)."""
        counts: dict[int, int] = {}
        for gram in _pairs(query):
            for i in self.postings.get(gram, ()):
                counts[i] = counts.get(i, 0) + 1
        ranked = sorted((i for i in counts if allowed is None or i in allowed), key=lambda i: -counts[i])
        return ranked[:n]


def _pairs(text: str) -> set[str]:
    padded = f" {text} "
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


FUZZY_CANDIDATES = 15  # names compared in full per fuzzy look-up (of about 1,500)


@dataclass(frozen=True)
class Unit:
    pcode: str
    level: int
    name: str
    parent_pcode: str = ""


@dataclass(frozen=True)
class Resolution:
    query: str
    match: Unit | None
    exact: bool
    suggestions: tuple[tuple[Unit, float], ...] = ()
    note: str = ""
    ambiguous: bool = False


@dataclass
class _Query:
    name: str
    level: int | None
    parent: str | None
    notes: list[str] = field(default_factory=list)


class Gazetteer:
    """An index of admin units; built once per boundary set."""

    def __init__(self, units: pd.DataFrame):
        self.units = [Unit(r.pcode, int(r.level), r.name, r.parent_pcode or "") for r in units.itertuples()]
        self.by_pcode = {u.pcode: u for u in self.units}
        self.by_name: dict[str, list[Unit]] = {}
        for u in self.units:
            for key in {fold(u.name), fold(u.name).replace(" ", "")}:
                self.by_name.setdefault(key, []).append(u)
        self.finest_level = deepest_level(units)
        self.name_keys = list(self.by_name)
        self.index = NameIndex(self.name_keys)

    def resolve(
        self, text: str, level: int | None = None, parent: str | None = None, suggest: bool = True, lang: str = "en"
    ) -> Resolution:
        """`suggest=False` when only an exact match is wanted: no parts of the name tried, no fuzzy suggestions. The
        note is in `lang`: an upload's notes are read in the uploader's language.

        Long because it tries each way in order (code, exact name, v03 name, parts, suggestions) and stops at the first that holds; the order is the logic."""

        def say(key: str, **values) -> str:
            return t(f"place.note.{key}", lang, **values)

        def level_name(n: int) -> str:
            return t(f"level.{n}", lang).lower()

        if text is None or not str(text).strip():
            return Resolution(str(text or ""), None, False, note=say("empty"))
        q = self._parse(str(text), level, parent)
        parent_code = self._parent_code(q.parent)
        candidates = self._exact(q.name)
        scoped = self._scope(candidates, q.level, parent_code)
        if q.level and q.level > self.finest_level and not scoped:
            q.notes.append(say("finest", level=self.finest_level, name=level_name(self.finest_level)))
        if len(scoped) == 1:
            unit = scoped[0]
            inexact = "arrondissement" in fold(text)
            notes = q.notes + ([say("arrondissement")] if inexact else [])
            return Resolution(text, unit, not inexact, self._others(candidates, unit), "; ".join(notes))
        if len(scoped) > 1:
            # same name at several levels (Mopti: region, cercle, commune): the coarsest, flagged as ambiguous
            levels = {u.level for u in scoped}
            if len(levels) == len(scoped):
                unit = min(scoped, key=lambda u: u.level)
                return Resolution(
                    text,
                    unit,
                    True,
                    self._others(scoped, unit),
                    say(
                        "levels",
                        name=q.name,
                        levels=", ".join(level_name(u.level) for u in sorted(scoped, key=lambda u: u.level)),
                        level=level_name(unit.level),
                    ),
                    ambiguous=True,
                )
            return Resolution(
                text,
                None,
                False,
                tuple((u, 1.0) for u in scoped),
                say("many", name=q.name, n=len(scoped)),
                ambiguous=True,
            )
        if not suggest:
            return Resolution(text, None, False, note=say("none", name=q.name))
        part = self._part(text)
        if part:
            inner = self.resolve(part, level, parent, lang=lang)
            if inner.match is not None:
                return Resolution(
                    text,
                    inner.match,
                    False,
                    inner.suggestions,
                    say("part", part=part),
                    inner.ambiguous,
                )
        suggestions = self._fuzzy(q.name, q.level, parent_code)
        missing = say("none_at", name=q.name, level=q.level) if q.level else say("none", name=q.name)
        note = "; ".join(q.notes + [missing])
        return Resolution(text, None, False, suggestions, note)

    @staticmethod
    def _part(text: str) -> str | None:
        """'Hôtel de l'Amitié, Bamako' -> 'Bamako'; 'Région de Kayes (capitale)' -> 'Région de Kayes'."""
        if "," in text:
            return text.rsplit(",", 1)[1].strip() or None
        stripped = re.sub(r"\s*\([^)]*\)\s*", " ", text).strip()
        return stripped if stripped and stripped != text.strip() else None

    # -- steps

    def _parse(self, text: str, level: int | None, parent: str | None) -> _Query:
        t = fold(text)
        notes: list[str] = []
        m = re.search(r"\s*\b(?:region|cercle|district)\s+" + _FILLERS + r"([a-z0-9 ]+)$", t)
        inner = re.match(r"^(.*?)\s+(?:region|cercle)\s+" + _FILLERS + r"([a-z0-9 ]+)$", t)
        if inner and inner.group(1).split()[0] in LEVEL_WORDS:
            t, parent = inner.group(1), parent or inner.group(2)
        bamako = re.match(
            r"^commune\s+([ivx]+|\d+(?:er|ere)?)\b(?:\s+" + _FILLERS + r"(?:district\s+" + _FILLERS + r")?bamako)?$", t
        )
        if bamako:
            num = ROMAN.get(bamako.group(1), bamako.group(1))
            return _Query(f"commune {num}", 3, parent or "bamako", notes)
        for word in sorted(LEVEL_WORDS, key=len, reverse=True):
            m = re.match(rf"^{word}\s+" + _FILLERS + r"(.+)$", t)
            if m:
                level = level or LEVEL_WORDS[word]
                t = m.group(1)
                break
        t = ALIASES.get(t, t)
        return _Query(t, level, fold(parent) if parent else None, notes)

    def _parent_code(self, parent: str | None) -> str | None:
        if not parent:
            return None
        if parent.upper() in self.by_pcode:
            return parent.upper()
        p = self._parse(parent, None, None)
        found = self._exact(p.name)
        found = [u for u in found if p.level is None or u.level == p.level]
        return min(found, key=lambda u: u.level).pcode if found else None

    def _exact(self, name: str) -> list[Unit]:
        return list({u.pcode: u for u in self.by_name.get(name, []) + self.by_name.get(name.replace(" ", ""), [])}.values())

    @staticmethod
    def _scope(units: list[Unit], level: int | None, parent: str | None) -> list[Unit]:
        out = [u for u in units if level is None or u.level == level]
        if parent:
            out = [u for u in out if u.pcode.startswith(parent) and u.pcode != parent] or [u for u in out if u.pcode == parent]
        return out

    @staticmethod
    def _others(units: list[Unit], chosen: Unit) -> tuple[tuple[Unit, float], ...]:
        return tuple((u, 1.0) for u in units if u.pcode != chosen.pcode)

    def _fuzzy(self, name: str, level: int | None, parent: str | None, n: int = 5) -> tuple[tuple[Unit, float], ...]:
        """Names within 0.6 similarity, among the candidates that share the most letter pairs with the query."""
        scored: list[tuple[Unit, float]] = []
        for i in self.index.candidates(name, FUZZY_CANDIDATES):
            key = self.name_keys[i]
            units = self.by_name[key]
            score = difflib.SequenceMatcher(None, name, key).ratio()
            if score >= 0.6:
                scored.extend((u, round(score, 3)) for u in self._scope(units, level, parent) or units)
        best: dict[str, tuple[Unit, float]] = {}
        for u, s in scored:
            if u.pcode not in best or best[u.pcode][1] < s:
                best[u.pcode] = (u, s)
        return tuple(sorted(best.values(), key=lambda us: (-us[1], us[0].level, us[0].pcode))[:n])


@lru_cache(maxsize=4)
def _default_gazetteer(cache_key: str) -> Gazetteer:
    from malimap.geo.boundaries import active_boundaries

    return Gazetteer(active_boundaries().units)


def default_gazetteer() -> Gazetteer:
    from malimap import config

    return _default_gazetteer(str(config.cache_dir()))


def resolve_place(
    text: str, level: int | None = None, parent: str | None = None, gazetteer: Gazetteer | None = None
) -> Resolution:
    """Match a place name to a P-code at the finest level the active boundaries provide."""
    return (gazetteer or default_gazetteer()).resolve(text, level, parent)
