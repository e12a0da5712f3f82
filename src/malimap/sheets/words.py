"""What sheets write in their status and organisation-type cells (folded), read as the package's codes."""

from __future__ import annotations


def _by_word(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {word: code for code, words in table.items() for word in words}


# statuses as French and OCHA sheets write them
STATUS_WORDS = _by_word(
    {
        "ongoing": ("en cours", "actif", "active", "in progress"),
        "completed": ("termine", "terminee", "acheve", "achevee", "cloture", "cloturee", "finished", "closed"),
        "planned": ("planifie", "planifiee", "prevu", "prevue", "pipeline"),
        "cancelled": ("annule", "annulee"),
        "suspended": ("suspendu", "suspendue"),
    }
)
# organisation types as OCHA Mali's 5W writes them; the type as written stays in the notes
ORG_TYPE_WORDS = _by_word(
    {
        "international_ngo": ("ong internationale", "ongi", "ingo", "international ngo"),
        "national_ngo": ("ong nationale", "ongn", "ong", "national ngo", "nngo"),
        "multilateral": ("agence un", "agence des nations unies", "nations unies", "un agency", "un"),
        "government": ("gouvernement", "gouvernemental", "etat", "government", "service technique"),
        "government_donor": ("bailleur", "donor"),
        "private": ("secteur prive", "private sector", "prive"),
        "local_cso": ("association", "osc", "cso", "organisation communautaire"),
    }
)
