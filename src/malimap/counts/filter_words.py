"""How a filter is shown and said: the names of its choices in the sidebar, its clause in the filter sentence (the
screen's caption and every export's), and what a typed name means. The FILTERS table (filters.py) points here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from malimap.catalogue.build import Catalogue
from malimap.i18n import composed, label, t, theme_labels
from malimap.schema import parent_pcode

if TYPE_CHECKING:
    from malimap.counts.filters import Filters

ROLE_ANY = "any"
# A sentence clause: the string key, the chosen values' names, and any other value the string needs.
Clause = tuple[str, list[str], dict[str, Any]]


def org_names(cat: Catalogue) -> dict[str, str]:
    return dict(zip(cat.organisations["id"], cat.organisations["name"]))


def show_org(cat: Catalogue, lang: str) -> Callable[[str], str]:
    names = org_names(cat)
    return lambda o: names.get(o, o)


def show_unit(cat: Catalogue, lang: str) -> Callable[[str], str]:
    """'Name (Parent)' below the region level; composed, as typed on a French keyboard."""
    names = cat.unit_names

    def show(pcode: str) -> str:
        parent = parent_pcode(pcode)
        return composed(f"{names.get(pcode, pcode)} ({names.get(parent, '')})" if parent else names.get(pcode, pcode))

    return show


def show_label(group: str) -> Callable[[Catalogue, str], Callable[[str], str]]:
    return lambda cat, lang: lambda code: label(group, code, lang)


def show_role(cat: Catalogue, lang: str) -> Callable[[str], str]:
    return lambda r: t("filter.role_any", lang) if r == ROLE_ANY else label("role", r, lang)


def names_clause(key: str, field: str, name: Callable[[Catalogue, str], Callable[[str], str]]):
    def clause(f: Filters, lang: str, cat: Catalogue) -> Clause | None:
        chosen = getattr(f, field)
        show = name(cat, lang)
        return (key, [show(v) for v in chosen], {}) if chosen else None

    return clause


def organisations_clause(f: Filters, lang: str, cat: Catalogue) -> Clause | None:
    if not f.organisations:
        return None
    names = [org_names(cat).get(o, o) for o in f.organisations]
    if f.role == ROLE_ANY:
        return ("filter.orgs_any", names, {})
    return ("filter.orgs_role", names, {"role": label("role", f.role, lang)})


def org_types_clause(f: Filters, lang: str, cat: Catalogue) -> Clause | None:
    if not f.org_types:
        return None
    names = [label("org_type", v, lang) for v in f.org_types]
    if f.role == ROLE_ANY:
        return ("filter.org_types_any", names, {})
    return ("filter.org_types_role", names, {"role": label("role", f.role, lang)})


def years_clause(f: Filters, lang: str, cat: Catalogue) -> Clause | None:
    if not f.years_active:
        return None
    return (
        "filter.years_sentence",
        [],
        {"start": "…" if f.year_from is None else f.year_from, "end": "…" if f.year_to is None else f.year_to},
    )


def place_name(cat: Catalogue, lang: str) -> Callable[[str], str]:
    return lambda p: cat.unit_names.get(p, p)


def show_theme(cat: Catalogue, lang: str) -> Callable[[str], str]:
    names = theme_labels(cat.themes, lang)
    return lambda code: names.get(code, code)


def join(values: Sequence[str], lang: str) -> str:
    values = [str(v) for v in values]
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + t("filter.or", lang) + values[-1]


def typed_matches(typed: str, options, label_of: Callable[[str], str]) -> list:
    """The options a typed text means, compared without accents or case ('Seg' → Ségou, 'menaka' → Ménaka).

    Streamlit's own search compares characters, so 'Seg' finds nothing among composed labels; what the user typed comes
    back as a new value and is read here. The best tier wins: the name itself, then names that start with the text, then
    a word that starts with it, then names that contain it (a cercle's parent in brackets is not its name).
    """
    from malimap.geo.gazetteer import fold

    want = fold(typed)
    if not want:
        return []
    names = [(o, fold(str(label_of(o)).split(" (")[0])) for o in options]
    tiers = (
        lambda n: n == want,
        lambda n: n.startswith(want),
        lambda n: any(w.startswith(want) for w in n.split()),
        lambda n: want in n,
    )
    for tier in tiers:
        found = [o for o, n in names if tier(n)]
        if found:
            return found
    return []
