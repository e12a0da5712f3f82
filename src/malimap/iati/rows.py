"""IATI activities to data-package rows, each activity reported: imported, flagged (imported, with what to check) or
skipped (and why). Every fact cites its file and carries the element it came from as evidence."""

from __future__ import annotations

import re

import pandas as pd

from malimap.config import VINTAGE
from malimap.iati.activity_checks import mali_share, sector_match, valid_date
from malimap.iati.links import link
from malimap.iati.orgs import ROLES, OrgIndex, slug
from malimap.iati.places import Placed, Placer, places_summary
from malimap.iati.read import Activity, Money, Org
from malimap.iati.report import Built, Outcome

STATUS = {"1": "planned", "2": "ongoing", "3": "completed", "4": "completed", "5": "cancelled", "6": "suspended"}
DATE_TYPES = {"1": "planned start", "2": "actual start", "3": "planned end", "4": "actual end"}
SUMMARY_CHARS = 600
NO_LANG = "The file declares no language: en assumed. "
PLACE_FLAGS = ("office", "unresolved", "abroad", "fuzzy", "border")


class Builder:
    """Turns activities into rows; one per import (sources, organisations and ids are shared across its files)."""

    def __init__(self, placer: Placer, orgs: pd.DataFrame, dac_themes: dict[str, str], next_source, existing: set[str],
                 prefixes: tuple[str, ...] = (), rates=None) -> None:  # fmt: skip
        self.placer, self.dac_themes, self.prefixes = placer, dac_themes, prefixes
        self.rates = rates  # a user's rate table (iati.rates.Rates), or None: figures stay in their own currency
        self.orgs = OrgIndex(orgs)
        self.next_source = next_source  # () -> the next free source id
        self.sources: dict[tuple[str, str], dict] = {}  # (file, reporting-org ref) -> its sources row
        self.existing = existing  # iati identifiers already in the package
        self.out = Built()
        self.by_identifier: dict[str, Outcome] = {}
        self.taken: set[str] = set()
        self.related: dict[str, list[tuple[str, str]]] = {}  # identifier -> related-activity (type, ref)
        self.providers: dict[str, set[str]] = {}  # identifier -> provider-activity-ids of its incoming money
        self.parts_seen: set[tuple[str, str, str]] = set()

    def add(self, a: Activity) -> None:
        o = Outcome(a.file, a.position, a.identifier, a.title())
        self.out.report.append(o)
        why = self._why_skip(a)
        if why:
            o.outcome = "skipped"
            o.flags.append(why)
            return
        self.by_identifier[a.identifier] = o
        self._build(a, o)
        if a.related:
            self.related[a.identifier] = a.related
        providers = {m.provider_activity for m in a.money if m.provider_activity and m.provider_activity != a.identifier}
        if providers:
            self.providers[a.identifier] = providers

    def _why_skip(self, a: Activity) -> tuple[str, str] | None:
        if not a.identifier:
            return "no_identifier", "no iati-identifier: an activity cannot be cited without one"
        if a.identifier in self.existing:
            return "already_in_package", "already in the package (same iati-identifier)"
        if a.identifier in self.by_identifier:
            first = self.by_identifier[a.identifier]
            return "repeated_identifier", f"the same iati-identifier again: kept its first copy ({first.file} #{first.position})"
        if not mali_share(a)[0]:
            named = ", ".join(c for c, _ in a.countries) or "none"
            return "not_mali", f"recipient country not Mali (recipient-country: {named})"
        if self.prefixes and not sector_match(a, self.prefixes):
            codes = ", ".join(sorted({c for _, c, _, _ in a.sectors} | {c for _, c in a.transaction_sectors})) or "none"
            return "sector", f"no DAC sector under {', '.join(self.prefixes)} (sectors: {codes})"
        return None

    def finish(self) -> Built:
        """Links between the activities read (once all are in), then the rows and the report."""
        outcome = {o.intervention_id: o for o in self.out.report if o.intervention_id}
        link(self.out.interventions, self.out.participations, self.related, self.providers,
             lambda iid, code, text: outcome[iid].flag(code, text))  # fmt: skip
        return self.out

    def _source(self, a: Activity) -> str:
        rep = a.reporting_org
        key = (a.file, rep.ref if rep else "")
        langs = {lang for lang in [a.lang, *a.titles, *a.descriptions] if re.fullmatch(r"[a-z]{2}", lang or "")}
        row = self.sources.get(key)
        if row is None:
            name = (rep.name or rep.ref) if rep else ""
            row = {
                "id": self.next_source(),
                "file": a.file,
                "title": f"IATI activities of {name or 'an unnamed publisher'} ({a.file})",
                "publisher": name + (f" ({rep.ref})" if rep and rep.ref and rep.name else ""),
                "published": a.last_updated[:10] if valid_date(a.last_updated[:10]) else "",
                "language": "",
                "url": "",
                "notes": f"IATI {a.version} activity file imported with python -m malimap import-iati; each fact's evidence "
                "is the IATI element it came from; 'published' is the first activity's last-updated date",
                "notes_language": "en",
            }
            self.sources[key] = row
            self.out.sources.append(row)
        seen = set(filter(None, row["language"].split(";"))) - ({"en"} if row["notes"].startswith(NO_LANG) else set())
        row["notes"] = row["notes"].removeprefix(NO_LANG)
        if seen | langs:
            row["language"] = ";".join(sorted(seen | langs))
        else:
            row["language"], row["notes"] = "en", NO_LANG + row["notes"]
        return row["id"]

    def _id(self, identifier: str) -> str:
        base = "iati-" + slug(identifier)
        iid, n = base, 2
        while iid in self.taken:
            iid, n = f"{base}-{n}", n + 1
        self.taken.add(iid)
        return iid

    def _build(self, a: Activity, o: Outcome) -> None:
        sid, iid = self._source(a), self._id(a.identifier)
        o.intervention_id = iid
        _, pct, how = mali_share(a)
        notes = [f"IATI activity {a.identifier}"]
        if how == "transactions":
            notes.append("Mali is named on its transactions only (no activity-level recipient country)")
        others = [c for c, _ in a.countries if c != "ML"] + sorted(a.transaction_countries - {"ML"} - {c for c, _ in a.countries})
        if others:
            notes.append(f"multi-country: also {', '.join(others)}" + (f"; Mali {pct:g}%" if pct is not None else ""))
        if a.regions:
            notes.append("also recipient regions " + ", ".join(c for c, _ in a.regions))
        start, end = self._dates(a, notes, o)
        if a.status and a.status not in STATUS:
            o.flag("status", f"activity-status '{a.status}' is not an IATI code: status unknown")
        themes, written = self._themes(a)
        if written:
            notes.append("sectors as published: " + ", ".join(written))
        if not o.title:
            o.flag("no_title", "no title: the identifier stands for it")
        title = o.title or a.identifier
        desc = a.descriptions
        self.out.interventions.append(
            {
                "id": iid,
                "kind": "project",
                "event_type": "",
                "parent_id": "",
                "title": title,
                "title_fr": a.titles.get("fr") or title,
                "title_en": a.titles.get("en") or title,
                "summary_fr": _short(desc.get("fr") or (desc.get("", "") if a.lang == "fr" else "")),
                "summary_en": _short(desc.get("en") or (desc.get("", "") if a.lang != "fr" else "")),
                "status": STATUS.get(a.status, "unknown"),
                "start_date": start,
                "end_date": end,
                "dates_approximate": False,
                "themes": ";".join(themes),
                "participants": pd.NA,
                "participants_approximate": False,
                "budget_amount": pd.NA,
                "budget_currency": "",
                "source_id": sid,
                "evidence": _cut(f"IATI title: {title}"),
                "notes": "; ".join(notes + a.problems),
                "iati_identifier": a.identifier,
                "country_percentage": pct if pct is not None else pd.NA,
            }
        )
        for problem in a.problems:
            o.flag("unreadable_value", problem)
        for org in a.orgs:
            self._participation(iid, sid, org, o)
        placed = self.placer.place(a)
        self._locations(iid, sid, placed, o)
        for m in a.money:
            self._money(iid, sid, m, o)
        o.places = places_summary(placed)
        self.out.placed.append(placed)

    def _dates(self, a: Activity, notes: list[str], o: Outcome) -> tuple[str, str]:
        chosen = []
        for actual, planned in (("2", "1"), ("4", "3")):
            code = actual if a.dates.get(actual) else planned if a.dates.get(planned) else ""
            value = a.dates.get(code, "")
            if value and not valid_date(value):
                o.flag("bad_date", f"{DATE_TYPES[code]} '{value}' is not a date: left empty")
                value = ""
            if value:
                notes.append(f"{'start' if actual == '2' else 'end'}: {DATE_TYPES[code]} (activity-date type {code})")
            chosen.append(value)
        start, end = chosen
        if start and end and end < start[: len(end)]:
            o.flag("end_before_start", f"end {end} is before start {start}: end left empty")
            end = ""
        return start, end

    def _themes(self, a: Activity) -> tuple[list[str], list[str]]:
        themes: list[str] = []
        written: list[str] = []
        for vocab, code, pct, name in a.sectors:
            theme = self.dac_themes.get(code, "") if vocab == "1" else ""
            if theme and theme not in themes:
                themes.append(theme)
            label = code + (f" {name}" if name else "") + (f" ({pct:g}%)" if pct is not None else "")
            written.append(label if vocab == "1" else f"vocabulary {vocab}: {label}")
        return themes, written

    def _participation(self, iid: str, sid: str, org: Org, o: Outcome) -> None:
        role = ROLES.get(org.role)
        if role is None:
            o.flag(
                "org_role", f"participating-org '{org.name or org.ref}' has role '{org.role}', not an IATI role code: not kept"
            )
            return
        oid, near = self.orgs.find(org)
        if near:
            o.flag("org_near_match", near)
        if oid is None:
            o.flag("org_unnamed", f"a participating-org (role {org.role}) has neither name nor ref: not kept")
            return
        key = (iid, oid, role)
        if key not in self.parts_seen:
            self.parts_seen.add(key)
            self.out.participations.append(
                {"intervention_id": iid, "organisation_id": oid, "role": role, "source_id": sid, "evidence": org.evidence}
            )

    def _locations(self, iid: str, sid: str, placed: list[Placed], o: Outcome) -> None:
        for p in placed:
            if p.how in PLACE_FLAGS:
                o.flag(f"place_{p.how}", p.note)
        kept = [p for p in placed if p.kept]
        if not kept and placed:  # only offices or unresolved names: the work is in Mali, where is not known
            kept = [Placed("mali_wide", "Mali", precision=6, note="no place of the work could be read: Mali as a whole")]
            o.flag("no_place", "no place of the work could be read: counted as Mali as a whole")
            placed.append(kept[0])
        seen = set()
        for p in kept:
            key = (p.pcode, p.reach, p.country, p.place_name)
            if key in seen:
                continue
            seen.add(key)
            self.out.locations.append(
                {
                    "intervention_id": iid,
                    "place_name": p.place_name or p.pcode or p.country,
                    "country": p.country,
                    "admin_level": p.level if p.pcode else pd.NA,
                    "pcode": p.pcode,
                    "pcode_vintage": VINTAGE if p.pcode else "",
                    "latitude": p.lat if p.lat is not None else pd.NA,
                    "longitude": p.lng if p.lng is not None else pd.NA,
                    "precision": p.precision,
                    "reach": p.reach,
                    "source_id": sid,
                    "evidence": p.evidence or "IATI activity without a location element",
                    "notes": p.note,
                    "sensitive": False,
                }
            )

    def _money(self, iid: str, sid: str, m: Money, o: Outcome) -> None:
        if m.amount is None:
            return
        if not re.fullmatch(r"[A-Z]{3}", m.currency or ""):
            o.flag("no_currency", f"{m.kind} of {m.amount:g} has no currency (none on the value, no default-currency): not kept")
            return
        day = lambda d: d if len(d) == 10 and valid_date(d) else ""  # noqa: E731
        self.out.finances.append(
            {
                "intervention_id": iid,
                "kind": m.kind,
                "amount": m.amount,
                "currency": m.currency,
                "value_date": day(m.value_date),
                "period_start": day(m.period_start),
                "period_end": day(m.period_end),
                "provider": m.provider,
                "receiver": m.receiver,
                **self._converted(m, o),
                "source_id": sid,
                "evidence": m.evidence,
            }
        )

    def _converted(self, m: Money, o: Outcome) -> dict:
        """The figure in the rate table's currency, naming the rate used; nothing without a table or a rate."""
        if self.rates is None or m.amount is None:
            return {"converted_amount": pd.NA, "converted_currency": "", "rate_source": ""}
        done = self.rates.convert(m.amount, m.currency, m.value_date or m.period_start)
        if done is None:
            o.flag(
                "no_rate",
                f"no rate for {m.currency} ({(m.value_date or m.period_start)[:4] or 'undated'}) in {self.rates.file}: {m.kind} not converted",
            )
            return {"converted_amount": pd.NA, "converted_currency": "", "rate_source": ""}
        return {"converted_amount": done[0], "converted_currency": self.rates.to, "rate_source": done[1]}


def _short(text: str) -> str:
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _cut(text: str) -> str:
    return text if len(text) <= 300 else text[:299] + "…"
