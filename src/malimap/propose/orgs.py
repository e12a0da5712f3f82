"""Organisations an article names.

Known organisations are found by every spelling the organisation table holds (name, acronym, aliases, curator's
aliases) and by the names of those the whole field meets (propose/known.py: UN agencies, donors, international NGOs);
others by the shapes organisations take in text ("Name (ACRONYM)", "l'ONG X", "Institut …", "Ministère …").
People and offices ("le maire", "the Director-General") are not organisations, and a group named only generically ("des
jeunes volontaires") is none. The part each plays is read by propose/roles.py.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from malimap.catalogue.org_names import spellings
from malimap.dataset.curation import OFFICE_TITLE
from malimap.geo.gazetteer import fold
from malimap.propose.acronyms import defined, initials, spelled_in_lower, term_acronyms, work_acronyms
from malimap.propose.cue_names import name_at, possessive_named, run_on_name
from malimap.propose.groups import (
    lower_groups,
    ministers,
    ministry_end,
    quoted_names,
    spelled_out_dropped,
    whole_ministry,
    whole_names,
)
from malimap.propose.known import known_spans, spelling_key
from malimap.propose.lists import in_participant_lists, listed
from malimap.propose.not_bodies import COUNTRIES, names_none
from malimap.propose.roles import AFTER
from malimap.propose.siblings import listed_bodies, neighbours, typed_names
from malimap.propose.units import UNIT, not_units

KEYWORDS = (r"Institut|Institute|Centre|Center|Réseau|Network|Ministère|Ministry|Agence|Agency|Fondation|Foundation|"
            r"Association|Conseil|Council|Mission|Union|Commission|Ambassade|Embassy|Organisation|Organization|Fonds|Fund|"
            r"Comité|Committee|Coalition|Haut [Cc]onseil|Haut-Commissariat|Cadre politique|Cadre de [Cc]oncertation|Cadre de [Dd]ialogue|Observatoire|Coordination|Plateforme|Platform|"
            r"Collectif|Fédération|Federation|Alliance|Cellule|Secrétariat|Délégation|Delegation|Croix-Rouge|Red Cross|"
            r"Banque|Bank|Université|University|Consortium|Groupe|Group|Forum|Office|Bureau|Direction|Service|School|École|Programme des "
            r"Nations Unies|Mairie|Assemblée nationale|Gouvernement|Government|Communauté|Community|Gouvernorat|Sœurs|Sisters|"
            r"Congrégation|Congregation|Diocèse|Diocese|Archidiocèse|Archdiocese|Radio|Consulting|Industrie|Industries|Holding")  # fmt: skip
# the same, written in lower case after an article, as French prose does: "l'ambassade du Canada", "du ministère de la Paix"
LOWER_KEYWORDS = (
    r"ministère|ambassade|agence|mairie|commission|délégation|direction|haut conseil|gouvernement|conseil régional|fondation|groupe|mouvement|royaume|"
    r"association|coopérative|fédération|réseau|collectif|plateforme|coordination|"
    r"gouvernorat"
)
LOWER_NAME = re.compile(
    r"(?:\b(?i:l['’] ?|le |la |du |de la |au |à la |of the |the ))((?:"
    + LOWER_KEYWORDS
    + r")(?:\s+(?:de|du|des|de la|pour)\s+|\s+(?:de|d)['’]|\s+l['’]|\s+(?=[A-ZÀ-Ý]))"
    + r"(?:(?:royaume|république)\s+(?:de la\s+|de l['’]|de\s+|du\s+|des\s+|d['’]))?"  # "l'ambassade du royaume de Danemark"
    + r"[A-ZÀ-Ý][\wÀ-ÿ’'-]*(?:(?:\s+(?:de|du|des|de la|et|pour)\s+|\s+|\s+(?:de|d)['’]|\s+l['’]|,\s+de (?:la )?)"
    + r"(?!(?:a|ont|est|sont|que|qui|dont|son|sa|ses|au|aux|en|dans|avec|par|sur|il|elle|était|sera|mis|mise|financé\w*|organisent|lancent|tiennent|accueille\w*|abrite\w*|"
    + r"organisé\w*|exécuté\w*|lancé\w*|appuyé\w*|soutenu\w*|porté\w*|regroupé\w*|réuni\w*|composé\w*|créé\w*)\b)[\wÀ-ÿ’'-]+){0,8})"
)
APART = re.compile(r"\s+(?:et|and)\s+(?=l['’]|le |la |les |the |(?:du|de la|des)\s+(?:" + KEYWORDS + r"))")
LINK = (  # not across a blank line ("Timbaktu Institute\n\nRepresented …"); "&" joins ("Ma Commune & Moi")
    r"(?:(?:\s+(?:de|du|des|de la|pour|for|of|the|on|sur|et|and|en|au|aux|à|la|le|les|in)){1,2}\s+|[ \t]*\n?[ \t]*(?<=\s)(?!\n)|"
    r"\s+(?:de|d)['’]|(?:\s+de)?\s+l['’]|\s+&\s+|-)"
)
CAP = r"(?:[A-ZÀ-Ý][\wÀ-ÿ’'-]*|\d+)"
ADJ = (
    r"(?:unies|européen(?:ne)?|africaine?|mondiale?|internationale?|nationale?|islamique|malien(?:ne)?|suisse|allemande?|"
    r"française?|américaine?|canadien(?:ne)?|norvégien(?:ne)?|danoise?|suédoise?|néerlandaise?|britannique|régionale?|humanitaire)(?![\w])"
)
BEFORE_KEYWORD = r"(?:" + CAP + r"(?:[ \t]+(?:for|of|pour))?[ \t]+){0,3}"  # "Women for Africa Foundation"
NEW_NAME = re.compile(r"(?<![\w])" + BEFORE_KEYWORD + r"(?:" + KEYWORDS + r")(?![\w])(?:" + LINK + CAP + r"|\s+" + ADJ + r")*")
NEXT_NAME = re.compile(r"\s+(?:and|et|&)\s+(?:the\s+|l['’]|la\s+|le\s+)?(?=(?:" + CAP + r"\s+){0,3}(?:" + KEYWORDS + r")\b)")
NEXT_LABEL = re.compile(
    r"\s+(?:(?:Project|Activity|Program|Programme|Grant|Contract|Funding|Award)\s+)?(?:Title|Name|Number|Amount|Dates?|Period|Country)$"
)
# a work named by what it does: "Renforcer la cohésion …", "Advancing Reconciliation … (ARPP)"
DOING = r"\w+ing\b|(?:renforcer|consolider|promouvoir|appuyer|soutenir|accompagner|prevenir|ameliorer|contribuer|favoriser)\b"
KINDS = re.compile(
    r"(?:commissions|comites|conseils|cellules|clubs|groupements|cooperatives|brigades|centres|committees|councils)\s"
)
OCCASION = r"(?:semaine|journee|festival|sommet|conference|week|day|summit)s?\b"  # "Semaine … (SENARE)": an occasion
NGO_OF = re.compile(
    r"(?:(?i:l['’]ONG|the NGO|l['’]organisation non gouvernementale)|(?<![\w'’])ONG)\s+(?:le |la |les |l['’]|[«“\"]\s*)?"
    r"(?!(?:Internationales?|Nationales?|Maliennes?|Locales?|Partenaires?|Étrangères?)\b)((?:[A-Z][\w&/-]*\s*){1,4})"
)  # the name follows its type
SUBJECT_NAME = re.compile(
    r"(?:^|(?<=\n)|(?<=[.!?]\s))((?:[A-Z][\w’'-]+)(?:\s+(?:[A-Z][\w’'-]+|for|of|de|du|pour)){0,5}?)(?=\s+(?:and|et|,)\s)"
)
SENTENCE_STARTS = {"Le", "La", "Les", "L", "The", "En", "In", "Dans", "Ce", "Cette", "Ces", "Il", "Elle", "Ils", "Elles", "Nous",
                   "We", "They", "It", "This", "These", "A", "Au", "Aux", "Pour", "For", "Avec", "With", "Après", "After", "Lors",
                   "During", "Selon", "According", "Depuis", "Since", "Par", "By", "Un", "Une", "Des", "Mali", "Bamako"}  # fmt: skip
ACRONYM = re.compile(  # "AROP/MALI"; "TENURE FONCIERE": one name in capitals, not two acronyms
    r"(?<![\w/-])[A-Z][A-Z0-9]{2,11}(?:/[A-Z][A-Za-z]{2,10})?(?:(?<=[A-Z]{4}) [A-Z]{4,12}(?![\w/-]))*(?![\w/]|-\w)"
)
SHOUTED_BEFORE, SHOUTED_AFTER = re.compile(r"[A-ZÀ-Ý]{2,}[’'\s]+$"), re.compile(r"[’'\s]+(?:[A-ZÀ-Ý]{1,3}[’'\s]+)?[A-ZÀ-Ý]{4,}")
COUNCIL = re.compile(r"(?i:conseil (?:régional|communal|de cercle|local)|mairie|gouvernorat)\b")  # "… de Mopti"
CAMEL = re.compile(r"(?<![\w-])(?:[A-ZÀ-Ý][a-zà-ÿ]+[A-ZÀ-Ý][a-zà-ÿ]+|[a-z]\d[A-Z][a-z]+)(?![\w-])")
NOT_ORGS = {"PDF", "E-MAIL", "UTC", "GMT", "RSS", "FAQ", "TDR", "ODD", "SDG", "COVID", "VIH", "HIV", "SIDA", "AIDS", "DDR", "PIB", "GDP", "USD", "EUR", "FCFA", "CFA", "XOF", "DKK", "SEK", "NOK", "GBP", "CHF", "CAD", "ONG", "OSC", "NGO", "CSO", "ONU", "UN", "R2P", "ID", "TV", "FM",
            "NB", "PS", "PTF", "TFP", "PDG", "DG", "CEO", "WASH", "EHA", "IDP", "IDPS", "PDI", "GBV", "SGBV", "VBG", "VSBG", "NFI", "AGR", "IGA", "PVE", "CVE", "PCVE", "COR", "AOR", "COP", "DCOP", "DNA", "KM", "KMS", "II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII", "MALI", "BAMAKO", "NORD", "SUD", "EST", "OUEST", "CAN"}  # fmt: skip


@dataclass(frozen=True)
class Mention:
    organisation_id: str | None  # the table's organisation, or None for one the table does not hold
    name: str  # as written in the article
    span: tuple[int, int]
    role: str | None = None  # set where the finding itself says it (an item of "les participants comprenaient …")
    how: str = ""  # how it was found: "table", "known", "defined", "ngo", "acronym", "keyword" name an organisation anywhere


def spelling_patterns(orgs: pd.DataFrame) -> list[tuple[re.Pattern, str, bool]]:
    """One pattern per spelling of the table's organisations, longest first: (pattern, organisation id, case-sensitive)."""
    return patterns((s, r.id) for r in orgs.itertuples() for s in spellings(r))


def patterns(named: Iterable[tuple[str, Any]]) -> list[tuple[re.Pattern, Any, bool]]:
    """(pattern, what it names, case-sensitive) per spelling (read by known.spelling_key), longest first."""
    out = []
    for s, oid in named:
        key, exact = spelling_key(s)
        out.append((len(s), re.compile(r"(?<![\w])" + key + r"(?![\w])"), oid, exact))
    return [(rx, oid, exact) for _n, rx, oid, exact in sorted(out, key=lambda p: -p[0])]  # the longest spelling first


def find_organisations(text: str, folded: str, orgs: pd.DataFrame, place_names: Collection[str] = ()) -> list[Mention]:
    """Every organisation named, known ones by their id; a span is claimed once, by the longest name."""
    from malimap.propose.cue_names import apposed_named, cue_named

    taken: list[tuple[int, int]] = []
    found: list[Mention] = []

    known: dict[str, str] = {}
    for r in orgs.itertuples():
        for v in spellings(r):
            known.setdefault(v, r.id)

    def claim(span: tuple[int, int], oid: str | None, name: str, role: str | None = None, how: str = "") -> None:
        if all(span[1] <= a or span[0] >= b for a, b in taken):
            taken.append(span)
            found.append(Mention(oid, name, span, role, how))

    for rx, oid, exact in spelling_patterns(orgs):
        for m in rx.finditer(text if exact else folded):
            more = ministry_end(folded, m.end(), listed=False) if folded.startswith("minist", m.start()) else m.end()
            if more > m.end():  # "ministère de la réconciliation nationale et de la cohésion sociale": another ministry
                claim((m.start(), more), None, text[m.start() : more], how="table")
            claim(m.span(), oid, text[m.start() : m.end()], how="table")
    works = {a for a in work_acronyms(text) | term_acronyms(text) if a not in known}  # 'le projet « FORCE »', "(DFS)"
    for start, end, acronym in _defined_bodies(text, works):
        claim((start, end), known.get(acronym), text[start:end], how="defined")
    for a, b in known_spans(text, folded):  # "le Pnud", "Handicap international": not in the table, known anyway
        claim((a, b), None, text[a:b], how="known")
    for a, b in lower_groups(text, folded, place_names):  # "l'association des rapatriés de Ménaka"
        claim((a, b), None, text[a:b], how="keyword")
    for a, b, ministry in ministers(text, folded):  # "le ministre de la Solidarité …": the office stands for its ministry
        claim((a, b), None, ministry, how="keyword")
    for m in NGO_OF.finditer(text):
        span = name_at(text, folded, m.start(1)) or (m.start(1), m.start(1) + len(m.group(1).strip()))
        if text[slice(*span)] not in NOT_ORGS:  # "l'ONG Secours islamiques": its name read on as after a cue
            claim(span, None, text[slice(*span)], how="ngo")
    for a, b in cue_named(text, folded, place_names, list(taken)) + apposed_named(text, folded) + possessive_named(text):
        label = NEXT_LABEL.search(text, a, b) if text[b : b + 3].lstrip().startswith(":") else None
        b = label.start() if label else b  # "Grantee: Mercy Corps Project Title: …": the name ends where a label begins
        if text[a:b] not in NOT_ORGS and text[a:b] not in works and not names_none(text, a, text[a:b], place_names):
            claim((a, b), known.get(text[a:b]), text[a:b])
    for a, b in listed(text, folded, KEYWORDS):
        claim((a, b), None, text[a:b], "participant")
    for a, b in listed_bodies(text, place_names):  # "d'autres organisations de jeunesse (Ujmma, Plateforme …)"
        claim((a, b), None, text[a:b], how="keyword")
    _by_shape(text, folded, taken, claim, works, place_names)
    for a, b in neighbours(text, list(taken), place_names) + typed_names(text, place_names):  # "(AMSS, Tuwindi, …)"
        claim((a, b), None, text[a:b], how="keyword")
    found = spelled_out_dropped(text, whole_names(text, [whole_ministry(text, folded, m, taken) for m in found]))
    return in_participant_lists(folded, not_units(folded, sorted(found, key=lambda x: x.span)))


def _defined_bodies(text: str, works: set[str]) -> list[tuple[int, int, str]]:
    """ "Name (ACR)" spans that name a body, with the acronym: not a work's ("projet …", "… framework"), a kind of body
    or a country; the acronyms of works and kinds join `works`, so they are not read as organisations elsewhere."""
    out = []
    for start, end, name, acronym in defined(text):
        named_work = re.match(r"(?:projet|project|initiative|programme|program)s?\b|" + DOING + "|" + OCCASION, fold(name))
        named_work = named_work or re.search(
            r"\b(?:project|programme|program|projet|plan|strategy|strategie|policy)$", fold(name)
        )  # and "the UN Global Focal Point for the Rule of Law (GFP) framework": the work's word after the acronym
        named_work = named_work or re.match(r"\s*(?:framework|programme|program|project|initiative|strategy)\b", text[end:])
        if named_work and not re.search(r"nations unies|united nations|alimentaire mondial|world food", fold(name)):
            works.add(acronym)
            continue
        if KINDS.match(fold(name)):
            works.add(acronym)
            continue  # "les comités communaux de réconciliation (CCR)": a kind of body, one in each commune
        country = bool(re.search(r"\b(?:Republic|République|Republique)\b", name))  # "Democratic Republic of Congo (DRC)"
        country = country or fold(acronym) in COUNTRIES  # "Conseil régional du Centre Val de Loire (France)": where, not who
        body = re.search(KEYWORDS, name, re.I)  # not a work's ("un projet de réduction … (RVC)"), unless a body's word names it
        if acronym not in NOT_ORGS and (acronym not in works or body) and not country and (body or initials(name, acronym)):
            out.append((start, end, acronym))
    return out


def _by_shape(
    text: str, folded: str, taken: list[tuple[int, int]], claim, works: Collection[str] = (), places: Collection[str] = ()
) -> None:
    """Names no cue announced, by their shape: a subject before an organiser verb, an acronym, "l'ambassade du X", a
    name with an organisation word ("Réseau …", "Centre mondial pour …")."""
    for m in SUBJECT_NAME.finditer(text):
        common = " " not in m.group(1) and re.search(r"(?<![\w])" + re.escape(m.group(1).lower()) + r"(?![\w])", text)
        if m.group(1).split()[0] not in SENTENCE_STARTS and not common and AFTER.match(folded[m.end(1) : m.end(1) + 120]):
            claim(m.span(1), None, m.group(1))  # not a word the text also writes in lower case ("Jeunesse" / "la jeunesse")
    prose: dict[int, bool] = {}  # per line: mostly lower case (a headline in capitals is not a list of acronyms)
    for m in ACRONYM.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        if start not in prose:
            line = text[start : (text.find("\n", m.end()) + 1 or len(text) + 1) - 1]
            prose[start] = sum(ch.islower() for ch in line) > len(line) / 3
        before = text[max(0, m.start() - 40) : m.start()]  # "Satigui SIDIBE", "Amina J. MOHAMMED", "Ellen JOHNSON SIRLEAF"
        person = re.search(r"([A-ZÀ-Ý][a-zà-ÿ]+|[A-Z]\.)\s+(?:[A-ZÀ-Ý]{2,}\s+)?$", before)
        person = person if person and person.group(1) not in SENTENCE_STARTS else None  # "Le FAMOC" is no one's name
        person = person or re.search(r"\balias\s+$|\d+[-/]\d+\s+$", before)  # "loi du 96-059 ANRM": a law's number
        shouted = SHOUTED_BEFORE.search(before) or SHOUTED_AFTER.match(text, m.end())  # "FONDS D’APPUI AUX MOTEURS …"
        term = m.group(0) in works or spelled_in_lower(text, m.start()) or bool(shouted)  # a project's, a term's, capitals
        not_org = m.group(0).split("/")[0] in NOT_ORGS or all(p.upper() in NOT_ORGS for p in m.group(0).split("/"))  # "VIH/Sida"
        not_org = not_org or fold(m.group(0)) in places  # "TOMBOUCTOU : deux projets": a place in capitals
        if not not_org and not person and not term and prose[start]:
            first, _, second = m.group(0).partition("/")
            if second and second.upper() != "MALI" and second.isupper():  # "ACTED/DRC": two organisations
                claim((m.start(), m.start() + len(first)), None, first, how="acronym")
                claim((m.end() - len(second), m.end()), None, second, how="acronym")
            else:
                claim(m.span(), None, m.group(0), how="acronym")
    for m in CAMEL.finditer(text):  # "CramCram", "MédiaSahel", "i4Africa": a coined name, no word of the language
        before = text[max(0, m.start() - 40) : m.start()]
        first_name = re.search(r"[A-ZÀ-Ý][a-zà-ÿ]+\s+$", before) and not re.search(r"(?:^|[.!?]\s+)\S+\s+$", before)
        if not first_name:  # "Marie DuPont" is a person; "Le projet de KanuBlo", "Selon CramCram" name an organisation
            claim(m.span(), None, m.group(0), how="acronym")
    for a, b in quoted_names(text):  # "l'Association « Femmes et TIC »": the word and the name it gives
        claim((a, b), None, text[a:b], how="keyword")
    for m in LOWER_NAME.finditer(text):
        name = APART.split(m.group(1))[0]  # "… de Suède et l'ONG X", "… du Danemark et du Fonds …": two names
        name = re.sub(r"(?:,?\s+(?:and|et|de|du|des|la|le|les|pour))+\s*$", "", name)
        host = re.match(r"\s+(?:au|en|in)\s+[A-ZÀ-Ý][\w'’-]+", text[m.start(1) + len(name) :])
        name += host.group(0) if host and name.startswith(("ambassade", "embassy")) else ""  # "… des Etats-Unis au Sénégal"
        claim((m.start(1), m.start(1) + len(name)), None, name, how=_keyword_how(name, places))
    pos = 0
    while hit := NEW_NAME.search(text, pos):
        article = re.match(r"(?:La|Le|Les|The|L['’])\s*", text[hit.start() : hit.end()])  # "La Direction …": not the name
        begin = hit.start() + (article.end() if article else 0)
        cut = min([a for a, _b in taken if begin < a < hit.end()] or [hit.end()])  # up to a name already found
        two = NEXT_NAME.search(text, begin, cut)  # "the Women Peace Network and Sahel Radio Network": two names
        cut, pos = (two.start(), two.end()) if two else (cut, hit.end())
        name = re.sub(r"(?:\s+(?:and|et|&|de|du|des|of|the|la|le|les|pour|for|l|d))+\s*$", "", text[begin:cut].strip(" -’'"))
        longer = run_on_name(text, folded, begin)  # "le Centre mondial pour la responsabilité de protéger, …"
        if longer and cut == hit.end() and longer[1] > begin + len(name):
            name = text[longer[0] : longer[1]]
        bare_unit = UNIT.match(fold(name)) and not re.search(r"\s[A-ZÀ-Ý]", name)  # "Bureau régional": an office of whom?
        none = bare_unit or names_none(text, begin, name, places)  # "Centre du Mali", "son Bureau de …"
        if len(name.split()) >= 2 and not OFFICE_TITLE.match(name) and not re.fullmatch(KEYWORDS, name) and not none:
            claim((begin, begin + len(name)), None, name, how=_keyword_how(name, places))


def _keyword_how(name: str, places: Collection[str]) -> str:
    """ "keyword" (proposed even with no role cue) when the name has a proper part of its own after its organisation
    word ("Association Faso Dambé-Ton", "ministère de la Jeunesse …"); not "Centre du Mali", "Forum de Kidal" (a place),
    "Organisation Internationale", "Groupe de recherche" (cut short), a government, or a name run on past ten words; a
    council or a town hall named by its place is one ("le Conseil régional de Mopti")."""
    words = re.findall(r"[\wÀ-ÿ’'-]+", name)
    proper = [w for w in words[1:] if w[:1].isupper() and not re.fullmatch(ADJ, w.lower()) and fold(w) not in places]
    plain = re.match(r"(?i:(?:grand|premier|1er)\s+)?(?i:forum|gouvernement|government|centre|center)\b", name) or len(words) > 10
    council = COUNCIL.match(name) and any(fold(w) in places for w in words[2:])  # "le Conseil régional de Mopti"
    named = council or (proper and not {"Mali", "Malian", "Africa", "Afrique"} >= set(proper))
    return "keyword" if named and not plain else ""
