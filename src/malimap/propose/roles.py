"""The part an organisation plays where it is named: a cue before the name in its clause ("financé par", "en partenariat
avec"), or the verb the name is the subject of ("a organisé", "exécute", "launched"); a name with neither is a
participant only where the sentence says so, else its role stays empty.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from malimap.propose.clauses import list_end, reaches, subject
from malimap.propose.cue_names import APPOSED

if TYPE_CHECKING:
    from malimap.propose.orgs import Mention

# cue (folded) -> role; "organiser" becomes convener for an event, implementer for a project or programme
BEFORE = [
    (r"soutenu(?:e|s|es)? par|financements? (?:de|du|des)|(?:co)?finance(?:e|s|es)? (?:\w+ment )?(?:a hauteur de [^,.;]{0,50}? )??par\b|proviennent des fonds (?:de|du)|"
     r"provenant des fonds (?:de|du)|sur (?:le )?financement (?:de|du)|avec l'appui financier (?:de|du)|"
     r"avec (?:le|un) (?:soutien|concours|appui) financier (?:de|du)|(?:un|l') ?appui financier (?:de|du)|grace (?:au|a l')(?:appui|soutien|financement) (?:de|du)|(?:grace a|avec) la contribution (?:financiere )?(?:de|du)|"
     r"avec l'appui (?:de|du)|avec le soutien (?:de|du)|subvention (?:de|du)|funded by|with funding from|financial support (?:of|from)|"
     r"with (?:the )?support (?:of|from)|supported by|sponsored by|a grant from|financed by|partenaires? financiers?|financial partners?", "funder"),
    (r"mis(?:e)? en (?:oeuvre|œuvre) (?:au mali |en \w+ )?par|execute(?:e|s|es)? (?:au mali |en \w+ )?par|pilote(?:e|s|es)? par|implemented by|(?:co-?)?organise(?:e|s|es)? (?:[^,.;]{0,60}? )??par\b|"
     r"initie(?:e|s|es)? par|initiated by|a l'initiative (?:de|du)|concu(?:e|s|es)? par|designed by|"
     r"organi[sz]ed by|conduit(?:e|s|es)? par|realise(?:e|s|es)? par|led by|porte(?:e|s|es)? par|anime(?:e|s|es)? par|facilite(?:e|s|es)? par|"
     r"convened by|hosted by|accueilli(?:e|s|es)? par|une initiative (?:de la|de l'|du|des|de)|an initiative (?:of|by)|"
     r"organise(?:e|s|es)? (?:conjointement )?avec", "organiser"),
    (r"consortium (?:comprenant|compose de|forme de|composed of|made up of|of)|consortium (?:led by|mene par)", "organiser"),
    (r"(?:has|have) provided|a octroye a|a accorde a|(?:was|were) (?:granted|awarded)", "organiser"),  # the recipient runs it
    (r"(?:operateur|operator)(?: de mise en (?:oeuvre|œuvre)| d'execution)?\s+(?!de\b|du\b|des\b)", "organiser"),  # "son opérateur … Consult Step"
    (r"commissioned by:?|(?:donors?|bailleurs?(?: de fonds)?|financement|funding)\s*:", "funder"),
    (r"(?:lead executing agency|partenaires?(?: techniques? et financiers)?|partners?)\s*:|"
     r"(?:its|their|ses|leurs) (?:cooperation |implementing |technical )?(?:partners|partenaires),(?:\s*(?:a savoir|namely|notamment)\s*:?)?", "partner"),
    (r"(?:\bgrantee|the recipient)\s+(?!:)|sous les auspices (?:de|du)|under the auspices of", "organiser"),  # "grantee X conducted"
    (r"(?:implementing (?:partners?|agenc(?:y|ies)|organi[sz]ations?)|partenaires? de mise en (?:oeuvre|œuvre)|executing agency|agences? d'execution|grantee|"
     r"prime partner|recipient|prime recipient|titulaire)\s*:", "organiser"),
    (r"partners?\b[^.;:]{0,60}?\binclud(?:e|es|ed)|partenaires?\b[^.;:]{0,60}?\b(?:comprennent|incluent|sont)\s*:?|"
     r"en partenariat avec|in partnership with|en association avec|with (?:its )?partners?|avec (?:ses|leurs) partenaires|"
     r"partenariat entre|partnership between|sous le (?:haut )?(?:patronage|parrainage) (?:de|du)|under the patronage of|sous l'egide (?:de|du)|"
     r"assiste(?:e|s|es)? par|assisted by|sous la tutelle (?:de|du|des)|under the (?:supervision|aegis|auspices) of", "partner"),
    (r"(?:to support|grant to|subvention (?:a|au|aux))\s+(?:the |l')?$", "organiser"),  # the name right after: who is given it
    (r"(?:reunion|rencontre|meeting|echanges?|dialogue)[^.;]{0,60}?\bentre\s+", "participant"),
    (r"en collaboration avec|in collaboration with|together with|aux cotes (?:de|du)|conjointement avec|jointly with|"
     r"s'est associe(?:e)? (?:a|avec) |s'associe (?:a|avec) |en consortium avec|in consortium with", "co"),
    (r"assistance technique (?:de|du)|appui technique (?:de|du)|technical (?:assistance|support) (?:of|from)", "technical_assistance"),
    (r"sous la (?:haute )?(?:co-?)?presidence (?:de|du)|(?:co-?)?preside(?:e|s|es)? par|(?:co-)?chaired by", "chair"),
    (r"en presence (?:de|du|des)|in the presence of|participants comprenaient|participants included|representant(?:e)?s (?:de|du|des)|"
     r"representatives (?:of|from)|y compris|including|ont pris part|took part|ont participe|participated", "participant"),
]  # fmt: skip
# each cue compiled once, beginning a word: "remportée par" is no "portée par"
BEFORE_AT_WORD = [(re.compile(r"(?<![\w])(?:" + rx + ")"), role) for rx, role in BEFORE]
AFTER = re.compile(
    r"^[^.;]{0,80}?\b(?:(?:a|ont) (?:conjointement |jointly )?organise(?:s|es)?|organise|organisent|execute|executent|met en (?:oeuvre|œuvre)|"
    r"mettent en (?:oeuvre|œuvre)|a lance|ont lance|lance|have launched|has launched|launched|organi[sz]ed|organi[sz]es|"
    r"implements|is implementing|oversees|oversaw|launch|launches|lancent|a initie|ont initie|a introduit|a mis en place|ont mis en place|"
    r"met en place|carried out|conducted|a mene|ont mene|a procede (?:au|a)|ont procede (?:au|a)|proceeded to|are implementing|"
    r"implement|pour organiser|to organi[sz]e|est en charge de (?:son|sa|leur|la) (?:execution|mise en (?:oeuvre|œuvre))|"
    r"(?:is|are) in charge of (?:implementing|the implementation)|s'est associee?|se sont associes|a convoque|ont convoque|convened|convenes|hosts|hosted|a tenu|"
    r"ont tenu|held|a anime|pilote|pilotent|(?:has been|was|a ete|ont ete) (?:selected|retenue?s?) (?:to|pour))\b"
)
OFFICE_OF = re.compile(
    r"\b(?:representant(?:e)?|coordinat(?:eur|rice)|directeur|directrice|president(?:e)?|ministre|secretaire generale?|"
    r"porte-parole|chef|representative|director|coordinator|spokesperson|head)\s+(?:de|du|des|de la|of|of the)\s*(?:l')?\s*$"
)
SPEECH = re.compile(
    r"\b(?:a (?:affirme|declare|souligne|indique|rappele|salue|promis|explique)|said|stated|explained|declared|noted)\b"
)
FUNDS = re.compile(
    r"^[^.;]{0,60}?\b(?:a decide de soutenir|decided to support|a finance|ont finance|finance|finances|funds|funded|"
    r"a octroye|granted|a accorde|a subventionne|a fourni|has provided|provided|a alloue|allocated|a appuye|ont appuye|"
    r"a soutenu|ont soutenu)\b"
)
THANKS = re.compile(r"\b(?:remerci\w*|thank(?:s|ed)?)\b")  # "a remercié X et Y pour l'appui": who gave it
FOR_SUPPORT = re.compile(r"^[^.;]{0,120}?\b(?:pour (?:l'|leur |son |sa |ses )?(?:appui|soutien|accompagnement|financement|aide|"
                         r"contribution)|for (?:its|their|the) (?:support|funding|financial support))\b")  # fmt: skip
VIA = re.compile(r"(?:a travers|par l'intermediaire de|through|via) (?:l'|le |la |the |« ?|\" ?)?$")


def role_of(folded: str, sentence: tuple[int, int], mention: Mention, others: list[Mention]) -> tuple[str | None, int, int]:
    """The role the sentence gives this mention and where its evidence starts: a cue before it in its clause (lists
    "X, Y et Z" carry the cue to each), else an organiser verb it is the subject of; "organiser" is settled by the
    record's kind (convener of an event, implementer of a project)."""
    lo, _hi = sentence
    start, end = mention.span
    if mention.role:
        return mention.role, start, end
    before = folded[lo : mention.span[0]]
    best: tuple[int, int, str] | None = None
    for rx, role in BEFORE_AT_WORD:
        for m in rx.finditer(before):
            if reaches(before[m.end() :], others, lo + m.end()) and (best is None or m.end() > best[0]):
                best = (m.end(), lo + m.start(), role)
    verb = AFTER.match(folded[list_end(folded, end, others) : sentence[1]])  # "X et l'Association Y … ont organisé"
    if VIA.search(before):  # "financé par X à travers Y", "le partenariat entre X et Y, à travers Z": Y does what X does
        if folded[start:end].startswith(("ambassade", "embassy")) or re.search(BEFORE[0][0], before):
            return "funder", start, end  # a donor's money passes through its embassy or agency
        if re.search(r"partenariat|partnership", before):
            return "partner", start, end
    apposed = APPOSED.match(folded, end, sentence[1])
    if apposed:  # "Secours Islamique France, the programme's implementation partner": what the text calls it
        return "implementer", start, apposed.end()
    owner = re.match(r"'s\s+(?:[\w-]+\s+){0,6}?(?:project|programme|program)\b", folded[end:])
    if owner:  # "World Education’s … Project": whose project it is
        return "organiser", start, end + owner.end()
    if best:
        _end, cue, role = best
        if role == "co":
            return ("organiser" if verb else "partner"), cue, end + (verb.end() if verb else 0)
        return role, cue, end
    thanked = FOR_SUPPORT.match(folded[end : sentence[1]]) if THANKS.search(before) else None
    if thanked:
        return "funder", start, end + thanked.end()
    if re.search(OFFICE_OF, before) and SPEECH.search(folded, end, sentence[1]):
        return "participant", start, end  # "le Représentant de l'Ambassade du Canada … a affirmé": it was there
    if subject(folded, lo, mention, others):
        funds = FUNDS.match(folded[end : sentence[1]])
        if funds and (not verb or funds.end() < verb.end()):  # the verb that comes first is the one it does
            return "funder", start, end + funds.end()
        if verb:
            return "organiser", start, end + verb.end()
    return None, start, end
