"""Names read whole: organisations French prose names in lower case, ministries named by a list of their portfolios,
and a name read short where the article writes it whole elsewhere.

"l'association des journalistes et animateurs des radios de Gao", "la fédération des chasseurs du cercle de Niono",
"l'association des rapatriés de Ménaka": a group word in lower case names one organisation when a place of the
gazetteer (or "au Sahel", "du Mali") ends it; the same words with no place ("des associations de femmes") name no one.
A ministry's name runs on through its list: "Ministère de la Promotion de la Femme, de l'Enfant et de la Famille" is
one ministry, and the comma inside it does not end it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace
from typing import TYPE_CHECKING

from malimap.geo.gazetteer import fold
from malimap.propose.not_bodies import COUNTRIES

if TYPE_CHECKING:
    from malimap.propose.orgs import Mention

GROUP_WORDS = (
    r"association|federation|coordination|reseau|union|cooperative|groupement|collectif|comite|cadre de concertation|"
    r"equipe regionale|equipe locale|plateforme|alliance|ligue|syndicat|chambre|conseil local|conseil communal|"
    r"conseil de cercle|conseil regional"
)
# folded text: article, group word (singular), lower-case words and links, then "de <Place>" (a capital in the text)
LOWER_GROUP = re.compile(
    r"(?<![\w])(?:l'|le |la |du |de la |de l'|au |a la |a l'|the )((?:" + GROUP_WORDS + r")"
    r"(?: (?:d'|l')?[a-z][\w'-]*){1,10}?"
    r" (?:de |du |d'|of |au |en )(?:la |l')?(?:(?:commune|cercle|region|ville|localite) (?:de |d'))?)(\w[\w'-]*)"
)
NOT_INSIDE = re.compile(
    r"\b(?:a|ont|est|sont|etait|sera|qui|que|dont|dans|avec|sur|par|en|aux|apres|avant|lors|pendant|depuis|"
    r"organise\w*|finance\w*|appuye\w*|soutenu\w*|tenu\w*|lance\w*|mene\w*|participe\w*|reuni\w*)\b"
)
WIDER = {"mali", "sahel", "azawad"}  # the country and the wider places a Malian body's name may end with
MINISTRY_LIST = re.compile(
    r"(?:,\s+(?:de la |de l'|du |des |de )[\w'-]+(?: (?!(?:a|ont|est|qui|que|dans|pour|par|au|aux|en|avec|sur)\b)[a-z][\w'-]+)?)*"
    r"\s+et\s+(?:de la |du |des |de l')[\w'-]+(?: (?!(?:a|ont|est|sont|qui|que|dans|pour|par|au|aux|en|avec|sur|"
    r"le|la|les|un|une|ce|cette|et|ou|celui|conduite?|lance|organise)\b)[a-z][a-z'-]+){0,3}"
)


def lower_groups(text: str, folded: str, places: Collection[str]) -> list[tuple[int, int]]:
    """Spans of lower-case group names ended by a place the gazetteer holds, written with a capital."""
    out = []
    for m in LOWER_GROUP.finditer(folded):
        place = text[m.start(2) : m.end(2)]
        known = fold(place) in places or fold(place) in WIDER  # "l'association pour le développement … au Sahel"
        if place[:1].isupper() and known and not NOT_INSIDE.search(m.group(1)):
            out.append((m.start(1), m.end(2)))
    return out


def ministry_end(folded: str, end: int, listed: bool = True) -> int:
    """Where a ministry's name named up to `end` really ends: past ", de l'Enfant et de la Famille" when its list goes
    on (with `listed` False, past a bare "et de la Cohésion sociale" too); `end` itself otherwise."""
    more = MINISTRY_LIST.match(folded, end)
    return more.end() if more and (not listed or "," in more.group(0)) else end


def whole_names(text: str, found: list[Mention]) -> list[Mention]:
    """A name read short where the article wrote it whole elsewhere ("l'ONG Femmes et Développement Korotoumou Théra"
    after "Femmes et Développement (FEDE)") is read whole here too; a table's organisation keeps the spelling it matched."""
    whole = {re.sub(r"\s*\([^()]*\)$", "", m.name) for m in found}
    out = []
    for m in found:
        a, b = m.span
        longer = max((n for n in whole if len(n) > b - a and text.startswith(n, a)), key=len, default=None)
        free = (
            longer and m.organisation_id is None and all(x.span[0] >= a + len(longer) or x.span[1] <= a or x is m for x in found)
        )
        out.append(replace(m, name=longer, span=(a, a + len(longer))) if longer and free else m)
    return out


def whole_ministry(text: str, folded: str, m: Mention, taken: list[tuple[int, int]]) -> Mention:
    """A ministry read up to the first comma of its list is read to the list's end: another ministry than the table's."""
    end = ministry_end(folded, m.span[1]) if folded.startswith("minist", m.span[0]) else m.span[1]
    if end == m.span[1] or any(m.span[1] <= a < end for a, _b in taken):
        return m
    how = "keyword" if m.how == "table" else m.how
    return replace(m, organisation_id=None, name=text[m.span[0] : end], span=(m.span[0], end), how=how)


def spelled_out_dropped(text: str, found: list[Mention]) -> list[Mention]:
    """ "CAFO (Coordination des ONG et des Associations Feminine)": the words in parentheses right after a name spell
    it out; they are that organisation, not another (an acronym in parentheses, or a known name, stays)."""
    ends = {m.span[1] for m in found}
    return [m for m in found if not (_after(text, m.span[0], ends) and " " in m.name and m.how not in ("table", "known"))]


def _after(text: str, start: int, ends: set[int]) -> bool:
    """The words at `start` open a parenthesis that follows one of the names ending at `ends`."""
    paren = text.rfind("(", max(0, start - 8), start)
    before = paren
    while before > 0 and text[before - 1].isspace():
        before -= 1
    return paren >= 0 and not text[paren + 1 : start].strip() and before in ends


QUOTED_NAME = re.compile(
    r"(?i:association|coopérative|groupement|réseau|collectif|plateforme|fondation|mouvement)\s*[«“\"]\s*[^»”\"\n]{2,60}?\s*[»”\"]"
)


def quoted_names(text: str) -> list[tuple[int, int]]:
    """ "l'Association « Femmes et TIC »": an organisation word and the name it gives in quotes, one name."""
    return [m.span() for m in QUOTED_NAME.finditer(text)]


MINISTER = re.compile(r"(?<![\w-])(ministre|ministere|minister)\s+(?:(?:de la|de l'|du|des|de|d')\s*|of\s+(?:the\s+)?)")
# a portfolio written in lower case, as the press often does: "le ministre de la réconciliation", "au ministère du
# développement du nord" (folded)
_PORTFOLIOS = (
    r"(?:reconciliation|paix|cohesion|jeunesse|sports?|femme|famille|enfant|solidarite|action humanitaire|administration "
    r"territoriale|decentralisation|justice|defense|securite|education|sante|affaires etrangeres|affaires religieuses|"
    r"culte|culture|communication|economie|finances|agriculture|elevage|emploi|formation professionnelle|"
    r"developpement(?: du nord)?|environnement|promotion|construction citoyenne|travail|interieur|refondation|industrie|"
    r"commerce|transports|energie|mines|artisanat|tourisme|habitat|urbanisme)"
)
PORTFOLIO_LOWER = re.compile(  # "de la promotion de la femme de l'enfant et de la famille": portfolios in a row
    _PORTFOLIOS + r"(?: (?:de la |de l'|du |des |d')" + _PORTFOLIOS + r")*\b"
)
# its adjective, read in the text: "réconciliation nationale", not "réconciliation Zahabi …" (a person's name)
ADJECTIVE_LOWER = re.compile(r" (?!(?:et|de|du|des|a|au|aux|en|qui|que|pour|par|sur|dans|avec|le|la|les)\b)[a-zà-ÿ][\w’'-]*")
PORTFOLIO_EN = re.compile(  # "… of Youth and Sports"; not on into "Mr X" or "the Minister of …"
    r"[A-Z][\w’'-]*(?:(?:\s+(?:and|of|for)\s+|\s+)(?!(?:Minister|Mr|Mrs|Ms|Dr|The|In|On|At)\b)[A-Z][\w’'-]*){0,6}"
)
ADJECTIVE_END = re.compile(r"[A-ZÀ-Ý][\w’'-]*(?:ale|ales|elle|elles|enne|ennes|aire|aires|ique|ive|ien|aux|ée|ées)\b")
PORTFOLIO = re.compile(  # "Solidarité", "Réconciliation nationale", "Cohésion Sociale": a word, and its adjectives
    r"[A-ZÀ-Ý][\w’'-]*(?:\s+(?!(?:et|and|de|du|des|a|au|aux|en|qui|que|pour|par|sur|dans|avec|le|la|les)\b)"
    r"(?:[a-zà-ÿ][\w’'-]*|[A-ZÀ-Ý][\w’'-]*(?:ale|ales|elle|aire|ique|ive|ienne|ien|aux|ée)\b)){0,2}"
)


def ministers(text: str, folded: str) -> list[tuple[int, int, str]]:
    """ "coprésidée par le ministre de la Solidarité et de l'Action humanitaire": a minister named by the portfolio
    stands for the ministry (the curation rules record an office as its organisation); (start, end, the ministry's
    name) for each."""
    out = []
    for m in MINISTER.finditer(folded):
        english, office = m.group(1) == "minister", m.group(1) != "ministere"
        capital = text[m.end() : m.end() + 1].isupper()
        if capital and office:
            first = (PORTFOLIO_EN if english else PORTFOLIO).match(text, m.end())
        else:  # "le ministre de la réconciliation", "au ministère du développement du nord": the press's lower case
            first = None if english or capital else PORTFOLIO_LOWER.match(folded, m.end())
            first = (ADJECTIVE_LOWER.match(text, first.end()) or first) if first else None
        if first is None:
            continue
        end = first.end() if english else _before_a_person(text, first.end(), ministry_end(folded, first.end(), listed=False))
        country = re.match(r" (?:du |de la |des |de l'|d')([\w-]+)", folded[end : end + 30])
        foreign = country is not None and country.group(1) in COUNTRIES - {"mali"}
        end += country.end() if foreign and country else 0  # "… des affaires étrangères du Danemark"
        words = re.sub(r"\s+", " ", text[m.start() : end]).split(" ", 1)[1]  # "of Communication …", "de la Paix …"
        out.append((m.start(), end, ("Ministry " if english else "ministère ") + words))
    return out


def _before_a_person(text: str, start: int, end: int) -> int:
    """ "… et de l'Action humanitaire Hamadou Konaté": a capital after a word that is no link begins a person's name."""
    for w in re.finditer(r"(\S+)\s+([A-ZÀ-Ý])", text[start:end]):
        link = re.fullmatch(r"(?i:de|du|des|la|le|les|et|d['’]|l['’]|de\s+la)|[ld]['’]\w+", w.group(1))
        if not link and not ADJECTIVE_END.match(text, start + w.start(2)):
            return start + w.end(1)
    return end
