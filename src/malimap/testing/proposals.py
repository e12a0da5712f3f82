"""What the proposer makes of a short text, in the shapes the assisted-curation tests compare: the records, the
organisations proposed with their roles, and the names found before any role is read."""

from __future__ import annotations

from dataclasses import replace

from malimap.propose.article import fold_keep_length, from_text
from malimap.propose.orgs import find_organisations
from malimap.propose.records import propose


def found(text: str, ds, gazetteer) -> set[tuple]:
    """(organisation id, or the name of a new one; role) for every organisation of every proposed record."""
    return {(o["organisation_id"] or o["name"], o["role"]) for c in records(text, ds, gazetteer) for o in c.organisations}


def names(text: str, ds) -> list[str]:
    """The organisation names found in the text, in order, as written."""
    return [m.name for m in find_organisations(text, fold_keep_length(text), ds.organisations)]


def records(text: str, ds, gazetteer, published: str = "") -> list:
    """The candidate records proposed from the text, read against the publication date a curator would type."""
    return propose(replace(from_text(text), published=published), ds.organisations, gazetteer)
