"""The curator's rules, beyond what a field or a key can say: every quote is in its seed and every source alias a
whole word of one; an alias is never another organisation's name nor a person's office; an inferred place is marked
estimated and participants' origins are never finer than their quote; a row withheld in public mode says why."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from malimap.dataset.model import Issue
from malimap.geo.gazetteer import ALIASES, fold


def sensitive_says_why(tables: dict[str, pd.DataFrame]) -> list[Issue]:
    """A row withheld in public mode says why in notes, so the next curator can judge it: a record or a place in its
    own notes, a participation in its record's notes, naming the organisation."""
    issues = []
    for name in ("interventions", "locations"):
        df = tables[name]
        flagged = df.get("sensitive", pd.Series("", index=df.index)).astype(str).str.lower().eq("true")
        for r in df.index[flagged & df["notes"].str.strip().eq("")]:
            issues.append(Issue(f"{name}.csv", int(r), "notes", "", "marked sensitive: say why in notes"))
    parts, ivs, orgs = tables["participations"], tables["interventions"], tables["organisations"]
    notes = dict(zip(ivs["id"], ivs["notes"]))
    names = {o.id: {o.name, o.acronym} - {""} for o in orgs.itertuples()}
    flagged = parts.get("sensitive", pd.Series("", index=parts.index)).astype(str).str.lower().eq("true")
    for r, p in parts[flagged].iterrows():
        text = notes.get(p["intervention_id"], "").casefold()
        if not any(n.casefold() in text for n in names.get(p["organisation_id"], set())):
            issues.append(
                Issue(
                    "participations.csv",
                    int(r),
                    "sensitive",
                    p["organisation_id"],
                    f"marked sensitive: the notes of {p['intervention_id']} say why, naming the organisation",
                )
            )
    return issues


# A person's office ("le Ministre de…", "maire de la commune II") is not a spelling of the organisation's name: a quote
# naming the office supports the organisation's participation, and the notes say so.
OFFICE_TITLE = re.compile(
    r"(?i)^(?:l[ea]\s+|the\s+)?(?:ministre|maire|préfet|prefet|gouverneur|sous-préfet|secrétaire général|directeur|"
    r"directrice|président|présidente|porte-parole|minister|mayor|governor|prefect|secretary[- ]general|director|president|"
    r"spokesperson)\b"
)


INFERRED = re.compile(r"(?i)\b(?:inferred|estimated|déduite?s?|estimée?s?)\b")


def inferred_places(tables: dict[str, pd.DataFrame], units: pd.DataFrame | None) -> list[Issue]:
    """The precision a place carries agrees with what its notes and conflicts rows say of it: an inferred place is
    estimated (IATI precision 5), and where participants came from is never finer than the place their quote names."""
    df, file = tables["locations"], "locations.csv"
    issues = [
        Issue(file, int(r), "precision", df.at[r, "precision"], "the notes say this place is inferred: precision 5 (estimated)")
        for r in df.index[df["notes"].str.contains(INFERRED) & df["precision"].ne("5")]
    ]
    names = {} if units is None else dict(zip(units["pcode"], units["name"]))
    conflicts = tables["conflicts"]
    for r, c in conflicts[
        conflicts["table"].eq("locations") & (conflicts["claim"] + conflicts["note"]).str.contains(INFERRED)
    ].iterrows():
        place = fold(re.sub(r"\s*\(.*", "", c["claim"]))
        rows = df[df["intervention_id"].eq(c["record_id"])]
        named = rows.loc[
            np.array(
                [  # the unit the P-code names; the written place name only when no boundaries are given
                    place == fold(names.get(code, "")) if names else place in fold(p)
                    for p, code in zip(rows["place_name"], rows["pcode"])
                ],
                dtype=bool,
            )
        ]
        if named.empty:
            issues.append(Issue("conflicts.csv", int(r), "claim", c["claim"], f"no location of {c['record_id']} is this place"))
        issues += [
            Issue(
                file, int(i), "precision", named.at[i, "precision"], f"conflicts row {c['id']} says it is inferred: precision 5"
            )
            for i in named.index[named["precision"].ne("5")]
        ]
    came_from = df["reach"].eq("participants_from") & df["pcode"].isin(names.keys())
    for r in df.index[came_from]:
        code, quote = df.at[r, "pcode"], f" {fold(df.at[r, 'evidence'])} "
        name = fold(names[code])
        # a cercle named like its region (Kidal, Tombouctou) is named only when the quote says 'cercle' (or 'commune')
        same_as_parent = any(fold(names.get(code[:n], "")) == name for n in (4, 6) if n < len(code))
        level_word = {6: " cercle", 8: " commune"}.get(len(code), "")
        spellings = [name] + [alias for alias, official in ALIASES.items() if official == name and " " not in alias]
        named = any(f" {n} " in quote for n in spellings)  # "Timbuktu" names Tombouctou (the gazetteer's spellings)
        if not named or (same_as_parent and level_word not in quote):
            issues.append(
                Issue(
                    file,
                    int(r),
                    "pcode",
                    code,
                    f"participants came from a place the quote does not name ({names[code]}): give the P-code of the "
                    "unit it names, no finer",
                )
            )
    return issues


def organisation_names(tables: dict[str, pd.DataFrame]) -> list[Issue]:
    df, file = tables["organisations"], "organisations.csv"
    owner: dict[str, str] = {}
    issues = []
    # another organisation's name or acronym is never an alias: bare 'WANEP' is the regional network
    own_names: dict[str, str] = {}
    for row in df.itertuples():
        for name in (row.name, row.acronym):
            if isinstance(name, str) and name.strip():
                own_names.setdefault(name.strip().casefold(), row.id)
    for r, row in df.iterrows():
        names = f"{row.aliases};{row.get('curator_aliases', '')}"
        for alias in filter(None, (a.strip() for a in names.split(";"))):
            key = alias.casefold()
            if OFFICE_TITLE.match(alias):
                issues.append(
                    Issue(file, int(r), "aliases", alias, "a person's office, not a name of the organisation: say it in notes")
                )
            elif own_names.get(key, row.id) != row.id:
                issues.append(
                    Issue(file, int(r), "aliases", alias, f"the name or acronym of organisation '{own_names[key]}', not an alias")
                )
            elif key in owner and owner[key] != row.id:
                issues.append(
                    Issue(
                        file,
                        int(r),
                        "aliases",
                        alias,
                        f"alias also used by organisation '{owner[key]}': one spelling must point to one organisation",
                    )
                )
            owner.setdefault(key, row.id)
    return issues


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def evidence_in_seeds(tables: dict[str, pd.DataFrame], seeds: Path | None) -> list[Issue]:
    """Each quote must occur verbatim (whitespace collapsed) in its cited seed file, where that file is available."""
    if seeds is None or not seeds.is_dir():
        return [Issue("sources.csv", None, "file", str(seeds), "seed folder not found: evidence quotes not checked", "warning")]
    issues, texts = [], {}
    for r, row in tables["sources"].iterrows():
        f = seeds / row.file
        if f.exists():
            texts[row.id] = _collapse(f.read_text(encoding="utf-8"))
        else:
            issues.append(
                Issue("sources.csv", int(r), "file", row.file, f"not found in {seeds}: its quotes are not checked", "warning")
            )
    files = dict(zip(tables["sources"]["id"], tables["sources"]["file"]))
    if texts and len(texts) == len(tables["sources"]):  # aliases are source spellings: each one is in some seed
        everything = " ".join(texts.values()).casefold()
        for r, aliases in zip(tables["organisations"].index, tables["organisations"]["aliases"]):
            for alias in filter(None, (a.strip() for a in aliases.split(";"))):
                if not re.search(rf"(?<!\w){re.escape(_collapse(alias).casefold())}(?!\w)", everything):  # 'ADA' not in 'Canada'
                    issues.append(
                        Issue(
                            "organisations.csv",
                            int(r),
                            "aliases",
                            alias,
                            "no seed uses this spelling as a whole word: put it in curator_aliases",
                        )
                    )
    for name in ("interventions", "participations", "locations", "conflicts"):
        df = tables[name]
        for r, source, quote in zip(df.index, df["source_id"], df["evidence"]):
            if source in texts and quote and _collapse(quote) not in texts[source]:
                issues.append(Issue(f"{name}.csv", int(r), "evidence", quote, f"quote not found verbatim in {files[source]}"))
    return issues
