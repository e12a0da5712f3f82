"""IATI organisations matched to the package's: by IATI ref, then by folded name, acronym or alias; never on a guess."""

from __future__ import annotations

import difflib
import re
import unicodedata

import pandas as pd

from malimap.catalogue.org_names import org_index
from malimap.geo.gazetteer import fold
from malimap.iati.read import Org

ROLES = {"1": "funder", "2": "accountable", "3": "extending", "4": "implementer"}  # OrganisationRole codes
ORG_TYPES = {  # IATI OrganisationType code -> the package's type
    "10": "government",
    "11": "government",
    "15": "government",
    "21": "international_ngo",
    "22": "national_ngo",
    "23": "international_ngo",
    "24": "national_ngo",
    "30": "private",
    "40": "multilateral",
    "60": "other",
    "70": "private",
    "71": "private",
    "72": "private",
    "73": "private",
    "80": "research_institute",
    "90": "other",
}
NEAR = 0.88  # a folded name this close to a known one is flagged with it (and still added as new)


def slug(text: str, n: int = 70) -> str:
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")[:n] or "x"


class OrgIndex:
    """The known organisations, and the new ones an import adds as it meets them."""

    def __init__(self, orgs: pd.DataFrame):
        self.rows = {r["id"]: r for r in orgs.to_dict("records")}
        self.by_ref: dict[str, str] = {}
        for r in self.rows.values():
            ref = str(r.get("iati_ref", "") or "").strip().upper()
            if ref:
                self.by_ref.setdefault(ref, r["id"])
        self.by_name: dict[str, str] = org_index(orgs)  # the same index an upload or a 3W package matches through
        self.canonical = {fold(r["name"]): r["id"] for r in self.rows.values()}  # what a near spelling is compared with
        self.near_seen: dict[str, str] = {}
        self.new: dict[str, dict] = {}
        self.matched: set[str] = set()

    def find(self, org: Org) -> tuple[str | None, str]:
        """(organisation id or None when the element names nobody, a near-match warning or '')."""
        ref, key = org.ref.upper(), fold(org.name) if org.name else ""
        found = self.by_ref.get(ref) if ref else None
        if found is None and key:
            found = self.by_name.get(key)
            if found is not None and ref:
                self.by_ref.setdefault(ref, found)  # later rows with only the ref find it too
        if found is not None:
            if found not in self.new:
                self.matched.add(found)
            return found, ""
        if not key and not ref:
            return None, ""
        return self._add(org), self._near(org.name, key)

    def _near(self, name: str, key: str) -> str:
        """A warning when a new name is a near spelling of a known organisation's (digits must agree: 'Lot 2' is not 'Lot 3')."""
        if not key:
            return ""
        if key not in self.near_seen:
            near = difflib.get_close_matches(key, list(self.canonical), n=1, cutoff=NEAR)
            digits = lambda s: re.sub(r"\D", "", s)  # noqa: E731
            hit = near[0] if near and digits(near[0]) == digits(key) else ""
            self.near_seen[key] = f"'{name}' is close to '{hit}' ({self.canonical[hit]}): added as new, not merged" if hit else ""
        return self.near_seen[key]

    def _add(self, org: Org) -> str:
        base = "org-" + slug(org.name or org.ref, 60)
        oid, n = base, 2
        while oid in self.rows or oid in self.new:
            oid, n = f"{base}-{n}", n + 1
        seat = org.ref[:2].upper() if re.match(r"^[A-Za-z]{2}-", org.ref) and not org.ref.upper().startswith("X") else ""
        self.new[oid] = {
            "id": oid,
            "name": org.name or org.ref,
            "acronym": "",
            "aliases": "",
            "curator_aliases": "",
            "type": ORG_TYPES.get(org.type, "other"),
            "country": seat,
            "notes": f"From IATI: {org.evidence}" + ("" if org.type in ORG_TYPES else "; organisation type not given"),
            "sensitive": False,
            "iati_ref": org.ref,
        }
        if org.ref:
            self.by_ref[org.ref.upper()] = oid
        if org.name:
            self.by_name[fold(org.name)] = oid
        return oid
