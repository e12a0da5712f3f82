"""Accepted candidates written as package rows, with a new source row for the article: into a data package folder
(`propose FILE --into DIR`) or as the Data page's "keep it" zip. They go through the same validator as every import, and
every quote must still be a span of the article (a quote edited in review is refused, with where) and every organisation
must have the role the curator gave it (one proposed with none is refused until it has one)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from malimap.config import VINTAGE
from malimap.dataset import Dataset, load_dataset, read_tables
from malimap.geo.countries import country_code
from malimap.geo.gazetteer import fold
from malimap.propose.article import Article
from malimap.propose.places import ABROAD_CITIES, MORE_COUNTRIES
from malimap.propose.unroled import missing_roles
from malimap.schema import level_of, load_schema
from malimap.sheets.packages import (
    NO_SEEDS,
    as_text,
    empty_tables,
    merge_tables,
    next_source_id,
    package_lock,
    write_validated,
    zip_tables,
)
from malimap.sheets.upload_rows import slug


class ReviewError(ValueError):
    """What review left unfit to keep, each said with its record: quotes no longer spans of the article (edited), or
    organisations whose role nobody set. Nothing is kept."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class SourceInfo:
    """What the curator says of the article: the file it came from, and what the page states of itself."""

    file: str
    title: str = ""
    publisher: str = ""
    published: str = ""  # ISO partial date, or ''
    url: str = ""


def quote_problems(candidates: list[dict], article: Article) -> list[str]:
    """Quotes that are not spans of the article, each said with its record and field."""
    out = []
    for n, c in enumerate(candidates, 1):
        fields = [("evidence", c.get("evidence")), ("dates_evidence", c.get("dates_evidence")),
                  ("participants_evidence", c.get("participants_evidence"))]  # fmt: skip
        fields += [(f"organisation {o.get('name')!r}", o.get("evidence")) for o in c.get("organisations", [])]
        fields += [(f"place {p.get('name')!r}", p.get("evidence")) for p in c.get("places", [])]
        for what, quote in fields:
            if quote and quote not in article.text:
                out.append(f"record {n} ({c.get('title', '')[:60]}): the {what} quote is not in the article as written")
    return out


def candidate_tables(
    candidates: list[dict], article: Article, source: SourceInfo, source_id: str, known: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """The accepted candidates as the package's string tables; a candidate's `parent` (its position among these) is
    kept as parent_id; organisations matched in `known` (the table proposals were matched against) come with them."""
    ids = _ids(candidates, source_id)
    ivs: list[dict] = []
    parts: list[dict] = []
    locs: list[dict] = []
    orgs: dict[str, dict] = {}
    for n, c in enumerate(candidates):
        parent = c.get("parent")
        ivs.append(_intervention(c, ids[n], ids[parent] if isinstance(parent, int) and 0 <= parent < len(ids) else "",
                                 source_id, source.file))  # fmt: skip
        for o in c.get("organisations", []):
            oid = o.get("organisation_id") or _new_org(o["name"], orgs, source.file)
            parts.append({"intervention_id": ids[n], "organisation_id": oid, "role": o["role"], "source_id": source_id,
                          "evidence": o["evidence"], "sensitive": False})  # fmt: skip
        locs += [_location(p, ids[n], source_id) for p in c.get("places", [])]
    lang = article.lang if article.lang in ("fr", "en") else "fr"
    src = {"id": source_id, "file": source.file, "title": source.title or article.title or source.file,
           "publisher": source.publisher, "published": source.published or article.published, "language": lang,
           "url": source.url, "notes": "Candidate records proposed by malimap propose from this article, reviewed and "
           "accepted by a curator; every quote is a span of the article", "notes_language": "en"}  # fmt: skip
    used = known[known["id"].isin({p["organisation_id"] for p in parts})]
    # their spellings come from other articles than this package's: kept as the curator's, which no seed must show
    spelled = used["aliases"].fillna("") + ";" + used["curator_aliases"].fillna("")
    used = used.assign(
        aliases="", curator_aliases=spelled.str.split(";").map(lambda v: "; ".join(x.strip() for x in v if x.strip()))
    )
    tables = {
        "sources": [src],
        "interventions": ivs,
        "participations": parts,
        "locations": locs,
        "organisations": list(orgs.values()) + as_text(used, "organisations").to_dict("records"),
    }
    return {name: as_text(pd.DataFrame(rows, columns=load_schema()[name].columns), name) for name, rows in tables.items()}


def _ids(candidates: list[dict], source_id: str) -> list[str]:
    out: list[str] = []
    for c in candidates:
        base = f"{source_id}-{slug(c.get('title') or c.get('kind', 'record'))}"[:70]
        base = base + (f"-{c['start']}" if c.get("start") else "")
        n, i = 2, base
        while i in out:
            i, n = f"{base}-{n}", n + 1
        out.append(i)
    return out


def _intervention(c: dict, iid: str, parent_id: str, source_id: str, file: str) -> dict:
    notes = [f"Proposed from {file} by malimap propose; accepted by a curator"]
    if not c.get("start") and c.get("dates_evidence"):
        notes.append(f"date as the article gives it, with no year: {c['dates_evidence']!r}")
    title = c.get("title") or c.get("kind", "")
    return {"id": iid, "kind": c["kind"], "event_type": c.get("event_type") or "", "parent_id": parent_id, "title": title,
            "title_fr": title, "title_en": title, "status": "unknown", "start_date": c.get("start") or "",
            "end_date": c.get("end") or "", "dates_approximate": bool(c.get("dates_approximate")),
            "participants": c.get("participants") if c.get("participants") is not None else "",
            "participants_approximate": bool(c.get("participants_approximate")), "source_id": source_id,
            "evidence": c["evidence"], "notes": "; ".join(notes), "sensitive": False}  # fmt: skip


def _location(p: dict, iid: str, source_id: str) -> dict:
    abroad = p.get("reach") == "abroad"
    country = p.get("country") or (_abroad_country(p["name"]) if abroad else "ML")
    pcode = p.get("pcode") or ""
    return {"intervention_id": iid, "place_name": p["name"], "country": country if re.fullmatch(r"[A-Z]{2}", country) else "",
            "admin_level": level_of(pcode) if pcode else "", "pcode": pcode, "pcode_vintage": VINTAGE if pcode else "",
            "precision": p.get("precision") or 5, "reach": "activity" if abroad else p["reach"], "source_id": source_id,
            "evidence": p["evidence"], "notes": "abroad: kept out of Mali" if abroad else "", "sensitive": False}  # fmt: skip


def _abroad_country(name: str) -> str:
    key = fold(name)
    return ABROAD_CITIES.get(key) or MORE_COUNTRIES.get(key) or country_code(name)


def _new_org(name: str, orgs: dict, file: str) -> str:
    m = re.match(r"^(.*?)\s*\(([A-Z][A-Z0-9&/-]{1,9})\)\s*$", name)
    full, acronym = (m.group(1), m.group(2)) if m else (name, "")
    oid = f"org-{slug(full)}"
    orgs.setdefault(oid, {"id": oid, "name": full, "acronym": acronym, "aliases": "; ".join(dict.fromkeys(filter(None, [name, full, acronym]))),
                          "type": "other", "country": "", "notes": f"Named in {file}; proposed by malimap propose, type not known",
                          "curator_aliases": "", "sensitive": False})  # fmt: skip
    return oid


@dataclass(frozen=True)
class Kept:
    folder: Path | None
    added: int
    duplicates: int
    organisations_matched: int
    organisations_added: int

    def __str__(self) -> str:
        where = f"{self.folder}: " if self.folder else ""
        return (f"{where}{self.added} record(s) added, {self.duplicates} already there; organisations "
                f"{self.organisations_matched} matched, {self.organisations_added} added")  # fmt: skip


def keep_into(
    candidates: list[dict], article: Article, source: SourceInfo, into: Path, units: pd.DataFrame, known: pd.DataFrame
) -> Kept:
    """Add the accepted candidates to the package at `into` (created from the shipped themes if absent); the package
    is validated whole before it replaces the old one, so a refused keep changes nothing."""
    problems = quote_problems(candidates, article) + missing_roles(candidates)
    if problems:
        raise ReviewError(problems)
    with package_lock(into):
        exists = (into / "datapackage.json").exists()
        from malimap import config

        current = read_tables(into)[0] if exists else empty_tables(load_dataset(config.data_dir(), seeds=NO_SEEDS, units=units))
        new = candidate_tables(candidates, article, source, next_source_id(current["sources"]), known)
        merged, report = merge_tables(current, new)
        write_validated(merged, into, units)
    return Kept(into, **report)


def keep_zip(candidates: list[dict], article: Article, source: SourceInfo, base: Dataset, units: pd.DataFrame) -> bytes:
    """The "keep it" zip: the accepted records as a new package (the server writes nothing), validated first; `base` is
    the dataset proposals were matched against (its themes and organisations)."""
    import tempfile

    problems = quote_problems(candidates, article) + missing_roles(candidates)
    if problems:
        raise ReviewError(problems)
    merged, _ = merge_tables(empty_tables(base), candidate_tables(candidates, article, source, "s001", base.organisations))
    with tempfile.TemporaryDirectory() as tmp:
        write_validated(merged, Path(tmp) / "package", units)  # raises DatasetError listing every problem
    return zip_tables(merged)
