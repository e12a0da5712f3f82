"""Counts the dashboard shows, computed from the filtered interventions; units with nothing stay as zero."""

from __future__ import annotations

from itertools import combinations

import pandas as pd

from malimap.catalogue.build import Catalogue, remembered, row_mask
from malimap.i18n import title_column


def located(
    catalogue: Catalogue, interventions: pd.DataFrame, reach: tuple[str, ...] = ("activity", "beneficiaries")
) -> pd.DataFrame:
    loc = catalogue.locations
    return loc[row_mask(catalogue, interventions)[loc["iv_row"].to_numpy()] & loc["reach"].isin(reach).to_numpy()]


def count_by_funder(catalogue: Catalogue, interventions: pd.DataFrame) -> pd.DataFrame:
    """Per funder: interventions it funds directly, and those it funds through their parent project or programme."""
    names = catalogue.organisations.set_index("id")["name"]
    rows = []
    for r in interventions.itertuples():
        rows += [{"funder_id": f, "direct": 1, "inherited": 0} for f in r.funder_ids]
        rows += [{"funder_id": f, "direct": 0, "inherited": 1} for f in r.inherited_funder_ids]
    df = pd.DataFrame(rows, columns=["funder_id", "direct", "inherited"])
    out = df.groupby("funder_id", as_index=False)[["direct", "inherited"]].sum()
    out["funder"] = out["funder_id"].map(names)
    return out.sort_values(["direct", "inherited", "funder"], ascending=[False, False, True]).reset_index(drop=True)


def count_by_theme(catalogue: Catalogue, interventions: pd.DataFrame) -> pd.DataFrame:
    codes = catalogue.themes[["code"]]
    exploded = interventions[["id", "theme_list"]].explode("theme_list").dropna()
    counts = exploded.groupby("theme_list").size().rename("interventions")
    out = codes.merge(counts, left_on="code", right_index=True, how="left")
    out["interventions"] = out["interventions"].fillna(0).astype(int)
    return out.sort_values(["interventions", "code"], ascending=[False, True]).reset_index(drop=True)


def funding_flows(catalogue: Catalogue, interventions: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """funder -> implementer -> intervention rows, from direct funding only (children would count twice)."""
    names = catalogue.organisations.set_index("id")["name"]
    rows = []
    for r in interventions.itertuples():
        for f in r.funder_ids:
            for i in r.implementer_ids or ("",):
                rows.append(
                    {
                        "funder": names.get(f, f),
                        "implementer": names.get(i, i) if i else "?",
                        "intervention": getattr(r, title_column(lang)) or r.title,
                        "intervention_id": r.id,
                        "kind": r.kind,
                    }
                )
    return pd.DataFrame(rows, columns=["funder", "implementer", "intervention", "intervention_id", "kind"])


def budget_summary(interventions: pd.DataFrame) -> dict:
    """Sums per currency where amounts are stated; the number without one is reported, never imputed."""
    known = interventions[interventions["budget_amount"].notna()]
    by_currency = known.groupby("budget_currency")["budget_amount"].sum().to_dict()
    return {
        "by_currency": {k: float(v) for k, v in by_currency.items()},
        "known": len(known),
        "unknown": int(len(interventions) - len(known)),
    }


def money_by_currency(catalogue: Catalogue, interventions: pd.DataFrame) -> pd.DataFrame:
    """Published money of the filtered records (IATI budgets and transactions): a total per kind and currency, never
    across currencies or kinds (a funder's commitment and its implementer's incoming funds are the same money)."""
    fin = catalogue.finances
    fin = fin[fin["intervention_id"].isin(interventions["id"])]
    cols = ["kind", "currency", "amount", "records", "first", "last", "converted", "converted_currency"]
    if fin.empty:
        return pd.DataFrame(columns=cols)
    dated = fin.assign(day=fin["value_date"].where(fin["value_date"].ne(""), fin["period_start"]))
    if "converted_amount" not in dated:
        dated = dated.assign(converted_amount=pd.NA, converted_currency="")
    out = dated.groupby(["kind", "currency"], sort=True).agg(
        amount=("amount", "sum"),
        records=("intervention_id", "nunique"),
        first=("day", "min"),
        last=("day", "max"),
        # with the user's rates, a total only when every figure of the group was converted (else nothing is claimed)
        converted=("converted_amount", lambda s: s.sum() if len(s) and s.notna().all() else pd.NA),
        converted_currency=("converted_currency", lambda s: s.iloc[0] if s.nunique() == 1 else ""),
    )
    return out.reset_index()[cols]


def money_lines(catalogue: Catalogue, intervention_id: str, limit: int = 6) -> list[tuple[str, float, str, str]]:
    """(kind, amount, currency, date or period) of one record's published figures, in the order published."""
    return money_by_record(catalogue, [intervention_id], limit).get(intervention_id, [])


def money_by_record(catalogue: Catalogue, ids, limit: int | None = None) -> dict[str, list[tuple[str, float, str, str]]]:
    """The same for many records at once (one pass over the figures: exports of a national dataset stay fast)."""
    fin = catalogue.finances
    if fin.empty:
        return {}
    fin = fin[fin["intervention_id"].isin(list(ids))]
    out: dict[str, list[tuple[str, float, str, str]]] = {}
    for r in fin.itertuples():
        when = f"{r.period_start} – {r.period_end}" if r.period_start and r.period_end else r.value_date
        figures = out.setdefault(r.intervention_id, [])
        if limit is None or len(figures) < limit:
            figures.append((r.kind, float(r.amount), r.currency, when))
    return out


def partnerships(catalogue: Catalogue, interventions: pd.DataFrame) -> pd.DataFrame:
    """Pairs of organisations that take part in the same intervention, with how many times."""
    parts = catalogue.participations
    parts = parts[parts["intervention_id"].isin(interventions["id"])]
    rows = []
    for iid, group in parts.groupby("intervention_id"):
        orgs = sorted(set(group["organisation_id"]))
        rows += [{"a": a, "b": b, "intervention_id": iid} for a, b in combinations(orgs, 2)]
    df = pd.DataFrame(rows, columns=["a", "b", "intervention_id"])
    return df.groupby(["a", "b"]).size().reset_index(name="together").sort_values("together", ascending=False, ignore_index=True)


def organisation_profile(catalogue: Catalogue, interventions: pd.DataFrame, org_id: str) -> dict:
    org = catalogue.organisations.set_index("id").loc[org_id]
    parts = catalogue.participations
    mine = parts[(parts["organisation_id"] == org_id) & parts["intervention_id"].isin(interventions["id"])]
    ivs = interventions[interventions["id"].isin(mine["intervention_id"])]
    loc = located(catalogue, ivs)
    places = sorted(
        {catalogue.unit_names.get(p, p) for p in loc["adm1_pcode"] if p} | set(loc.loc[loc["country"].ne("ML"), "place_name"])
    )
    pairs = partnerships(catalogue, ivs)
    pairs = pairs[(pairs["a"] == org_id) | (pairs["b"] == org_id)]
    names = catalogue.organisations.set_index("id")["name"]
    partners = [(names.get(b if a == org_id else a), n) for a, b, n in pairs[["a", "b", "together"]].itertuples(index=False)]
    return {
        "id": org_id,
        "name": org["name"],
        "acronym": org["acronym"],
        "type": org["type"],
        "country": org["country"],
        "aliases": [a.strip() for a in str(org["aliases"]).split(";") if a.strip()],
        "notes": org["notes"],
        "roles": mine["role"].value_counts().to_dict(),
        "interventions": ivs,
        "participations": mine,
        "places": places,
        "partners": partners,
    }


def timeline_groups(catalogue: Catalogue, items: pd.DataFrame, by: str, titles: dict[str, str]) -> pd.Series:
    """Group label per intervention: its top programme (walking parent links) or its first implementer/organiser."""
    if by == "programme":
        parents = dict(zip(catalogue.interventions["id"], catalogue.interventions["parent_id"].fillna("")))

        def root(i: str) -> str:
            seen = set()
            while parents.get(i) and i not in seen:
                seen.add(i)
                i = parents[i]
            return titles.get(i, i)

        return items["id"].map(root)
    first = items["implementers"].where(items["implementers"].astype(bool), items["organisations"]).str.split("; ").str[0]
    return first.fillna("?").replace("", "?")


def _citation(src: pd.Series) -> str:
    """A source as a reader can follow it: publisher, title, date, file."""
    bits = [src["publisher"] or "", src["title"], src["published"] or "", f"seed file {src['file']}"]
    return ". ".join(b for b in bits if b)


def source_citations(catalogue: Catalogue) -> dict[str, str]:
    """source id -> its citation, worked out once per catalogue for every table that holds only the id."""
    return remembered(catalogue, ("citations",), lambda: {src["id"]: _citation(src) for _, src in catalogue.sources.iterrows()})
