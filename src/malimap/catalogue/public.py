"""Public mode: what may be shown to anyone when a commune-level list of who works with whom could put people at risk.

Applied to the validated dataset before the catalogue is built, so every page, tooltip, URL and export downstream only
ever sees the coarsened, redacted copy:
- a sensitive record is withheld whole, with its sub-records and all that hangs on them; a sensitive participation is
  withheld, and the organisation's names in that record's texts;
- a sensitive place is coarsened to its cercle (or region): finer P-code, coordinates and the source's place name go,
  its quote is withheld; one with nothing finer to remove (a region, say) is withheld whole;
- people's names the curator lists (people.csv) are replaced in every text;
- a sensitive organisation is shown as its type ("ONG nationale / national NGO 1"); its names, acronym and aliases go;
- every free-text field (titles, summaries, quotes, notes, place names, conflicts) has those names and the finer place
  names replaced by "[…]"; record ids that spell them are replaced by opaque ids, the same in every table.
"""

from __future__ import annotations

import hashlib
import hmac
import re

import pandas as pd

from malimap.catalogue.org_names import spellings
from malimap.config import public_secret
from malimap.dataset import Dataset
from malimap.geo.gazetteer import fold
from malimap.i18n import label
from malimap.schema import PCODE_LENGTH, level_of

WITHHELD = "[…]"
FREE_TEXT = {
    "title",
    "title_fr",
    "title_en",
    "summary_fr",
    "summary_en",
    "evidence",
    "notes",
    "note",
    "claim",
    "place_name",
    "name",
    "acronym",
    "aliases",
    "curator_aliases",
    "publisher",
    "provider",
    "receiver",
    "description",
    "label_fr",
    "label_en",
}
LEVEL_WORDS = {
    "arrondissement",
    "region",
    "cercle",
    "commune",
    "district",
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "l",
    "d",
    "et",
    "a",
    "au",
    "aux",
    "en",
    "mali",
    "village",
    "quartier",
}


def _opaque(prefix: str, value: str) -> str:
    """An id that carries no information: a keyed hash (HMAC-SHA256) with a secret kept outside the data and the
    served files, so hashing candidate names (every commune the app serves) finds nothing."""
    return f"{prefix}-{hmac.new(public_secret(), value.encode(), hashlib.sha256).hexdigest()[:12]}"


def _place_words(place: str, keep: set[str]) -> set[str]:
    """Proper names in a source's place text that are not level words or the names of the units kept."""
    words = re.findall(r"[^\W\d_][\w'’-]{2,}", place)
    return {w for w in words if fold(w) not in LEVEL_WORDS and fold(w) not in keep}


def _redactor(names: set[str]):
    tokens = sorted({t.strip() for t in names if len(t.strip()) >= 3}, key=len, reverse=True)
    if not tokens:
        return lambda s: s
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in tokens) + r")(?!\w)", re.IGNORECASE)
    return lambda s: pattern.sub(WITHHELD, s) if isinstance(s, str) else s


def public_dataset(ds: Dataset, units: pd.DataFrame, coarsen_to: int = 2) -> Dataset:
    """The dataset as public mode shows it (see the module docstring); the input is not changed."""
    if coarsen_to not in (1, 2):
        raise ValueError(f"coarsen_to must be 1 (region) or 2 (cercle), not {coarsen_to!r}")
    names = dict(zip(units["pcode"], units["name"]))
    n = PCODE_LENGTH[coarsen_to]
    ds, per_record = _withhold_rows(ds, n)
    orgs, locs = ds.organisations.copy(), ds.locations.copy()
    hidden_orgs = orgs[_flag(orgs)]
    tokens: set[str] = set()
    for _, o in hidden_orgs.iterrows():
        tokens |= set(spellings(o))
    tokens |= set(ds.people["name"])  # people named in quotes, from the curator's list
    for r in locs.index[_flag(locs)]:
        code = locs.at[r, "pcode"]
        kept = code[:n] if len(code) > n else code
        keep_names = {fold(names.get(kept[:k], "")) for k in (4, 6) if len(kept) >= k}
        tokens |= _place_words(locs.at[r, "place_name"], keep_names)
        tokens |= {names[code[:k]] for k in (6, 8) if len(code) >= k > n and code[:k] in names}
        locs.at[r, "pcode"] = kept
        if kept:
            locs.at[r, "admin_level"] = level_of(kept)
            locs.at[r, "precision"] = 3 if len(kept) == 6 else 4
        locs.at[r, "latitude"] = pd.NA
        locs.at[r, "longitude"] = pd.NA
        locs.at[r, "place_name"] = (names.get(kept, kept) if kept else "Mali") + f" {WITHHELD}"
        locs.at[r, "evidence"] = WITHHELD
        locs.at[r, "notes"] = ""
    redact = _redactor(tokens)
    type_names = {}
    for k, (_, o) in enumerate(hidden_orgs.iterrows(), start=1):
        type_names[o["id"]] = f"{label('org_type', o['type'], 'fr')} / {label('org_type', o['type'], 'en')} {k}"
    tables = {}
    for name, df in ds.tables().items():
        df = locs if name == "locations" else orgs if name == "organisations" else df.copy()
        for col in FREE_TEXT & set(df.columns):
            df[col] = df[col].map(redact)
        record = df["id"] if name == "interventions" else df.get("intervention_id", df.get("record_id"))
        for iid, names_in_it in per_record.items():  # an organisation whose part in one record is withheld
            at = record == iid if record is not None else None
            if at is not None and at.any():
                one = _redactor(names_in_it)
                for col in FREE_TEXT & set(df.columns):
                    df.loc[at, col] = df.loc[at, col].map(one)
        tables[name] = df
    tables["people"] = tables["people"].iloc[0:0]  # the list itself names them
    o = tables["organisations"]
    for oid, shown in type_names.items():
        at = o["id"] == oid
        o.loc[at, ["name", "acronym", "aliases", "notes"]] = [shown, "", "", ""]
        for col in ("curator_aliases", "iati_ref"):  # an IATI ref names the organisation as surely as its name
            if col in o:
                o.loc[at, col] = ""
    return Dataset(**_opaque_ids(tables, tokens, set(type_names)), path=ds.path)


def _withhold_rows(ds: Dataset, n: int) -> tuple[Dataset, dict[str, set[str]]]:
    """Rows withheld whole: sensitive records with their sub-records and everything attached to them; sensitive
    participations (and the organisation's names in that record's texts, returned per record); sensitive places with
    nothing finer than the kept level to remove, and conflicts rows that quote a withheld participation."""
    ivs, parts, locs, conflicts = ds.interventions, ds.participations, ds.locations, ds.conflicts
    gone = set(ivs.loc[_flag(ivs), "id"])
    while True:  # a sub-record of a withheld record would reveal it
        more = set(ivs.loc[ivs["parent_id"].isin(gone), "id"]) - gone
        if not more:
            break
        gone |= more
    hidden_parts = parts[_flag(parts) & ~parts["intervention_id"].isin(gone)]
    orgs = ds.organisations.set_index("id")
    per_record: dict[str, set[str]] = {}
    for p in hidden_parts.itertuples():
        if p.organisation_id in orgs.index:
            per_record.setdefault(p.intervention_id, set()).update(spellings(orgs.loc[p.organisation_id]))
    quoted = [(p.source_id, p.evidence) for p in hidden_parts.itertuples()]
    quotes_withheld = pd.Series(
        [any(src == s and ev in e for s, e in quoted) for src, ev in zip(conflicts["source_id"], conflicts["evidence"])],
        index=conflicts.index,
        dtype=bool,
    )
    whole_place = _flag(locs) & (locs["pcode"].str.len() <= n)
    keep = {
        "interventions": ivs[~ivs["id"].isin(gone)],
        "participations": parts[~parts["intervention_id"].isin(gone) & ~_flag(parts)],
        "locations": locs[~locs["intervention_id"].isin(gone) & ~whole_place],
        "finances": ds.finances[~ds.finances["intervention_id"].isin(gone)],
        "conflicts": conflicts[~conflicts["record_id"].isin(gone) & ~quotes_withheld],
    }
    used = set().union(*(set(df["source_id"]) for df in keep.values()))
    only_withheld = ~ds.sources["id"].isin(used) & ds.sources["id"].isin(set(ivs["source_id"]) | set(parts["source_id"]))
    keep["sources"] = ds.sources[~only_withheld]  # a source cited only by withheld rows: its title would name them
    return ds.replace(**{k: v.reset_index(drop=True) for k, v in keep.items()}), per_record


def _flag(df: pd.DataFrame) -> pd.Series:
    if "sensitive" not in df:
        return pd.Series(False, index=df.index)
    col = df["sensitive"]
    return col if col.dtype == bool else col.astype(str).str.lower().eq("true")


def _opaque_ids(tables: dict[str, pd.DataFrame], tokens: set[str], hidden_orgs: set[str]) -> dict[str, pd.DataFrame]:
    """Record ids that spell a withheld name, and hidden organisations' ids, replaced the same way in every table."""
    folded = [fold(t).replace(" ", "-") for t in tokens if len(t.strip()) >= 3]
    iv_ids = tables["interventions"]["id"]
    iv_map = {i: _opaque("rec", i) for i in iv_ids if any(f and f in fold(i) for f in folded)}
    org_map = {o: _opaque("org", o) for o in hidden_orgs}
    for name, df in tables.items():
        for col, mapping in (
            ("id", iv_map if name == "interventions" else org_map if name == "organisations" else {}),
            ("parent_id", iv_map),
            ("intervention_id", iv_map),
            ("organisation_id", org_map),
        ):
            if col in df and mapping:
                df[col] = df[col].replace(mapping)
        if name == "conflicts":
            df["record_id"] = df["record_id"].replace({**iv_map, **org_map})
            df["id"] = df["id"].map(lambda i: _opaque("conflict", i) if any(f and f in fold(i) for f in folded) else i)
    return tables
