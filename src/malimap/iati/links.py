"""Parents and children, and the same work reported twice, among the activities of one import.

`hierarchy`/`related-activity` (type 1 parent, 2 child) give parent_id. A funder's activity and its implementer's
(`provider-activity-id` on incoming money, or the same title, dates and organisations) are one piece of work published
twice: the second is put under the first so the map's root-initiative rule counts it once, and both are flagged so
the user decides (clearing parent_id undoes it). Nothing is merged or deleted.
"""

from __future__ import annotations

from malimap.geo.gazetteer import fold


def link(interventions: list[dict], participations: list[dict], related: dict, providers: dict, flag) -> None:
    """`flag(intervention_id, code, text)` records what was linked on the report."""
    by_ident = {iv["iati_identifier"]: iv for iv in interventions}
    has_children: set[str] = set()
    for ident, pairs in related.items():
        me = by_ident.get(ident)
        for rtype, ref in pairs if me is not None else ():
            other = by_ident.get(ref)
            if other is None or other is me:
                continue
            child, parent = (me, other) if rtype == "1" else (other, me) if rtype == "2" else (None, None)
            if child is not None and parent is not None and not child["parent_id"] and not _is_above(child, parent, by_ident):
                child["parent_id"] = parent["id"]
                has_children.add(parent["id"])
    for ident, refs in providers.items():
        me = by_ident.get(ident)
        for ref in refs:
            other = by_ident.get(ref)
            if me is not None and other is not None and other is not me and not me["parent_id"]:
                _twice(me, other, "funded through its activity: provider-activity-id", flag)
    orgs: dict[str, set] = {}
    for p in participations:
        orgs.setdefault(p["intervention_id"], set()).add(p["organisation_id"])
    seen: dict[tuple, dict] = {}
    for iv in interventions:
        key = (fold(iv["title"]), iv["start_date"], iv["end_date"], frozenset(orgs.get(iv["id"], ())))
        first = seen.get(key)
        if key[0] and first is not None and not iv["parent_id"] and first["parent_id"] != iv["id"]:
            _twice(iv, first, "same title, dates and organisations", flag)
        seen.setdefault(key, iv)
    for iv in interventions:  # a parent of real children (not of a second report of itself) is a programme
        if iv["id"] in has_children:
            iv["kind"] = "programme"


def _is_above(child: dict, parent: dict, by_ident: dict) -> bool:
    """True if `child` is already an ancestor of `parent` (a link that would close a cycle)."""
    by_id = {iv["id"]: iv for iv in by_ident.values()}
    cur: dict | None = parent
    steps = 0
    while cur is not None and cur["parent_id"] and steps < 64:
        if cur["parent_id"] == child["id"]:
            return True
        cur, steps = by_id.get(cur["parent_id"]), steps + 1
    return False


def _twice(second: dict, first: dict, why: str, flag) -> None:
    second["parent_id"] = first["id"]
    text = (
        f"possible duplicate of {first['iati_identifier']} ({why}): put under it so the map counts the work once; "
        "if they are different work, clear parent_id"
    )
    second["notes"] = "; ".join(filter(None, [second["notes"], text]))
    flag(second["id"], "possible_duplicate", text)
    flag(first["id"], "possible_duplicate", f"{second['iati_identifier']} may report the same work ({why}): linked under it")
