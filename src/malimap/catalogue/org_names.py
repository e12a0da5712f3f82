"""One index of the organisations by every way the data spells them: name, acronym, the sources' aliases and the
curator's aliases, folded (case, accents, punctuation). Uploads, 3W packages and IATI imports all match names through
it, so "ECOWAS", "CEDEAO" or "UE" find the same organisation whichever door they come in by."""

from __future__ import annotations

import pandas as pd

from malimap.geo.gazetteer import fold


def spellings(row) -> list[str]:
    """An organisation's spellings, first its name (a dict, a pandas row or a namedtuple; missing columns read as none)."""
    get = row.get if hasattr(row, "get") else lambda k, d="": getattr(row, k, d)
    names = [get("name", ""), get("acronym", ""), *str(get("aliases", "") or "").split(";")]
    names += str(get("curator_aliases", "") or "").split(";")
    return [str(v).strip() for v in names if isinstance(v, str) and v.strip()]


def org_index(orgs: pd.DataFrame) -> dict[str, str]:
    """folded spelling -> organisation id; the first organisation to claim a spelling keeps it (the validator refuses
    an alias that is another organisation's, so in valid data there is no clash to settle)."""
    out: dict[str, str] = {}
    for r in orgs.itertuples():
        for v in spellings(r):
            out.setdefault(fold(v), r.id)
    return out
