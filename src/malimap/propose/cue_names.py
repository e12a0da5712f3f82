"""Organisations named right after a role cue: "mis en œuvre par l'Association holistique pour le développement et la
paix au Mali", "Donor: Danida", "en consortium avec … et Think Peace".

A cue says a name follows, so the name may be a single capitalised word, or run on in lower case as French names do
when it begins with an organisation word (Association, Organisation, Réseau…). It ends at punctuation, or at the verb or
preposition that begins the rest of the clause; a list ("X, Y et Z") is read item by item.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from malimap.propose.article import fold_keep_length
from malimap.propose.lists import a_person
from malimap.propose.not_bodies import COUNTRIES
from malimap.propose.units import UNIT

# folded cues after which a name stands (the roles themselves are read by roles.role_of)
CUE = re.compile(  # each cue begins a word: "remportée par" is no "portée par"
    r"(?<![\w])(?:finance(?:e|s|es)? par|funded by|financed by|supported by|sponsored by|avec l'appui (?:financier )?(?:de|du)|"
    r"avec le soutien (?:financier )?(?:de|du)|with (?:the )?support (?:of|from)|grace (?:au|a l')(?:appui|soutien|financement) (?:de|du)|"
    r"(?:grace a|avec) la contribution (?:financiere )?(?:de|du)|"
    r"mis(?:e)? en (?:oeuvre|œuvre) (?:au mali |en \w+ )?par|execute(?:e|s|es)? (?:au mali |en \w+ )?par|implemented by|(?:co-?)?organise(?:e|s|es)? (?:[^,.;]{0,60}? )??par\b|organi[sz]ed by|"
    r"conduit(?:e|s|es)? par|realise(?:e|s|es)? par|porte(?:e|s|es)? par|pilote(?:e|s|es)? par|initie(?:e|s|es)? par|initiated by|a l'initiative (?:de|du)|"
    r"concu(?:e|s|es)? par|designed by|led by|soutenu(?:e|s|es)? par|s'est associe(?:e)? (?:a|avec)|"
    r"has provided|have provided|a octroye a|a accorde a|granted|awarded|(?:co)?finance(?:e|s|es)? a hauteur de [^.;]{0,90}? par\b|proviennent des fonds (?:de|du)|en partenariat avec|in partnership with|en collaboration avec|"
    r"in collaboration with|en consortium avec|in consortium with|commissioned by|a travers|par l'intermediaire (?:de|du)|through|"
    r"partenaires? financiers?(?: (?:de la|de l'|du|des))?|financial partners?|sous la tutelle (?:de|du|des)|"
    r"sous le (?:haut )?(?:patronage|parrainage) (?:de|du)|under the patronage of|sous l'egide (?:de|du)|"
    r"sous les auspices (?:de|du)|under the auspices of|\bgrantee\s+(?=\w)|"
    r"\b(?:operateur|operator)(?: de mise en (?:oeuvre|œuvre)| d'execution)?\s+(?=[a-z])(?!(?:de|du|des|of)\b)|"
    r"(?:donors?|bailleurs?(?: de fonds)?|financement|funding|(?:lead )?executing agency|implementing (?:partners?|agenc(?:y|ies))|grantee|"
    r"prime partner|(?:prime )?recipient|titulaire|"
    r"partenaires?(?: de mise en (?:oeuvre|œuvre)| techniques? et financiers)?|partners?)\s*:|"
    r"(?:its|their|ses|leurs) (?:cooperation |implementing |technical )?(?:partners|partenaires),(?:\s*(?:a savoir|namely|notamment)\s*:?)?)\s*:?\s*"
)
OFFICE_AFTER = re.compile(
    r",\s*(?:le |la |l')?(?:nouveau |nouvelle )?(?:chef|cheffe|directeur|directrice|president(?:e)?|coordinat(?:eur|rice)|"
    r"representant(?:e)?|secretaire|ministre|maire|gouverneur|prefet|director|coordinator|head|chair\w*)\b"
)
# "conduite par le Chef du Bureau régional, El Hadji Ibrahima Boly DIENE": an office or a person is no organisation
OFFICE_TITLE = re.compile(
    r"(?:chef|cheffe|ministre|maire|prefet|gouverneur|directeur|directrice|president|presidente|"
    r"coordinat|representant|secretaire|porte-parole|head|director|chief|minister|mayor|governor|spokesperson)\b"
)
STOP = {"a", "ont", "est", "sont", "sera", "seront", "etait", "qui", "que", "dont", "dans", "avec", "sur", "depuis",
        "pendant", "durant", "afin", "lors", "grace", "travers", "un", "une", "ce", "cette", "ces", "son", "sa", "ses",
        "leur", "leurs", "par", "sous", "vers", "with", "in", "to", "from", "at", "on", "which", "who", "is", "was",
        "are", "has", "have", "will", "by", "since", "during", "its", "their", "this", "that", "through", "via",
        "consortium", "partenariat", "collaboration", "partnership", "vient", "viennent", "va", "vont", "doit", "peut", "fait",
        "font", "se", "s'est", "tient", "mene", "lance", "organise", "avant", "apres", "hier", "ainsi", "alors", "egalement",
        "aussi", "deja", "before", "after", "also", "abrite", "abritera", "accueille", "accueillera", "hosts", "annonce",
        "annoncent", "announces", "lancent", "organisent", "tiennent", "financent", "appuient", "soutiennent", "offrent",
        "initient", "celebrent", "sensibilisent", "renforcent", "accompagnent", "mettent", "signent", "remettent"}  # fmt: skip
LINKS = {"de", "du", "des", "la", "le", "les", "l", "d", "pour", "et", "au", "aux", "a", "en", "for", "of", "the", "and"}
ADJECTIVES = re.compile(
    r"^(?:unies|mondiale?|internationale?|nationale?|islamique|malien(?:ne)?|suisse|allemande?|"
    r"francaise?|americaine?|canadien(?:ne)?|norvegien(?:ne)?|danoise?|suedoise?|neerlandaise?|britannique|regionale?|communale?|"
    r"locale?|humanitaire|sahelien(?:ne)?|ouest-africaine?|europeen(?:ne)?|africaine?)s?$"
)
ORG_WORDS = re.compile(
    r"^(?:association|organisation|organization|reseau|network|centre|center|institut|institute|fondation|foundation|"
    r"federation|coalition|collectif|cellule|comite|committee|conseil|council|union|alliance|plateforme|platform|"
    r"observatoire|groupement|cooperative|agence|agency|fonds|fund|mission|commission|inter-collectivite|direction|"
    r"ambassade|embassy|ministere|ministry|mairie|ecole|universite|chambre|gouvernement|government|groupe|group|coordination|"
    r"equipe|team|cadre)$"
)
LEADING = re.compile(
    r"(?i)^\s*[«“\"]?\s*(?:(?:l['’]|le\s+|la\s+|les\s+|the\s+|des\s+|du\s+|d['’])?(?:ONG|NGO)(?:\s+(?-i:[a-zà-ÿ]{4,}))?\s+[«“\"]?\s*|"
    r"(?:le\s+|the\s+)?consortium\s+|l['’]|le\s+|la\s+|les\s+|the\s+)?"
)
QUOTED = re.compile(
    r"(?:inter-collectivite|association|cooperative|groupement|reseau|collectif|plateforme)\s*[«\"“]\s*[^»\"”\n]{2,60}[»\"”]"
)
FESTIVAL = re.compile(r"(?i:festival)\s+(?:(?:sur|au|du|des|de|of|on)\s+(?:le\s+|la\s+|l['’]|the\s+)?)?[A-ZÀ-Ý][\w’'-]*")
OTHER_BODY = re.compile(r"\s*(?:l'|la |le )?(?:ambassade|embassy|ministere|ministry|gouvernement|government)\b")
ALLIES = re.compile(r"\s*(?:Alliés|Associés|Partenaires|Partners|Associates|Allies)\b")
WORD = re.compile(r"[\w’'&.-]+|[^\w\s]")
TITLES = {"m", "mme", "mlle", "dr", "pr", "me", "mr", "mrs", "ms", "monsieur", "madame", "sir",
          "se", "s.e", "h.e", "son", "his", "her"}  # fmt: skip


def cue_named(
    text: str, folded: str, place_names: Collection[str] = (), taken: Collection[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """The spans of names standing right after a cue, list items included; places and people left out. A list item
    already found (`taken`: the table's names) is stepped over, so the list goes on after it."""
    out: list[tuple[int, int]] = []
    for m in CUE.finditer(folded):
        pos = m.end()
        for _ in range(6):  # at most six items in one list
            lead = LEADING.match(text[pos : pos + 40])
            at = pos + (lead.end() if lead else 0)
            known = next((s for s in taken if s[0] == at), None)
            span = known or name_at(text, folded, pos)
            if span is None:
                break
            name = folded[span[0] : span[1]]
            generic = re.match(r"(?:programme|program|projet|project)s?\b", name) and not re.search(
                r"nations unies|united nations|alimentaire mondial|world food", name
            )  # a programme is what is done, not who does it
            person = bool(name.split()[0].rstrip(".") in TITLES or OFFICE_TITLE.match(name) or a_person(text[slice(*span)]))
            person = person or OFFICE_AFTER.match(folded, span[1]) is not None  # "X, directeur de …": an office
            if known is None and not generic and name not in place_names and not person:
                out.append(span)
            if UNIT.match(name):
                break  # "la Section de la Réforme …, Désarmement, Démobilisation … (RSS-DDR)": a unit's name, no list
            aside = re.match(r"\s*\([^()]{1,60}\)", folded[span[1] :])  # "Welthungerhilfe (ex-agro Action allemande), …"
            aside = aside or (FESTIVAL.match(text, span[0]) and re.match(r"\s+(?:de|du|d')\s*\w+", folded[span[1] :]))
            after = span[1] + (aside.end() if aside else 0)
            sep = re.match(r"\s*(?:,|/|\bet\b|\band\b|\bainsi que\b|\bas well as\b)\s*", folded[after:])
            if not sep:
                break
            pos = after + sep.end()
    return out


def run_on_name(text: str, folded: str, pos: int) -> tuple[int, int] | None:
    """The name at `pos` read on in lower case, when it begins with an organisation word ("Centre mondial pour la
    responsabilité de protéger"); None otherwise."""
    span = name_at(text, folded, pos)
    return span if span and span[0] == pos and ORG_WORDS.match(folded[pos : pos + 30].split()[0]) else None


def _next_name(rest: str) -> bool:
    """ "… et le Fonds d'appui …", "… et l'UNICEF": after "et", an organisation word or an acronym begins another name
    ("… Communautaire et la Résilience (GCERF)" goes on)."""
    m = re.match(r"\s+(?:et|and)\s+(?:le |la |les |l['’]|the |du |de la |des |de l['’])?([\w’'-]+)", rest)
    if m is None or ALLIES.match(rest, m.start(1)):
        return False  # "Coordination Kel-Ansar et Alliés": one name
    return bool(ORG_WORDS.match(fold_keep_length(m.group(1)))) or (m.group(1).isupper() and len(m.group(1)) > 1)


def _goes_on(rest: str, run_on: bool) -> bool:
    """After "et" a name goes on with "de/du/des …" ("Ministère de la Jeunesse et des Sports"), or, in a name that runs
    on in lower case, with an article and a lower-case word ("Association … pour le développement et la paix")."""
    if re.match(r"\s+(?:de |du |des |d['’]|of )", rest):
        return True
    if re.match(r"\s+(?:la |le |l['’]|the )[A-ZÀ-Ý]", rest):
        return True  # "… Communautaire et la Résilience": a capital after the article goes on (_next_name stops the others)
    return run_on and bool(re.match(r"\s+(?:la |le |l['’])[a-zà-ÿ]", rest))


APPOSED = re.compile(
    r",\s*(?:the|its|le|son|leur|notre)\s+(?:[\w']+\s+)?(?:implementation|implementing) partner|"
    r",\s*(?:le |son |leur )?partenaire (?:de mise en (?:oeuvre|œuvre)|d'execution)"
)


POSSESSIVE = re.compile(r"((?:[A-Z][\w&-]*\s+){0,4}[A-Z][\w&-]*)['’]s\s+(?:[\w-]+\s+){0,6}?(?i:project|programme|program)\b")


def possessive_named(text: str) -> list[tuple[int, int]]:
    """ "World Education’s Education Project for Peace": whose project it is."""
    return [m.span(1) for m in POSSESSIVE.finditer(text)]


def apposed_named(text: str, folded: str) -> list[tuple[int, int]]:
    """ "Secours Islamique France, the programme's implementation partner": the capitalised words before the apposition."""
    out = []
    for m in APPOSED.finditer(folded):
        link = r"(?:(?:for|of|the|and|de|du|des|la|pour|et)\s+)*"
        name = re.search(r"(?:[A-ZÀ-Ý][\w’'-]*\s+" + link + r"){0,5}[A-ZÀ-Ý][\w’'-]*$", text[max(0, m.start() - 80) : m.start()])
        if name:
            out.append((m.start() - len(name.group(0)), m.start()))
    return out


def name_at(text: str, folded: str, pos: int) -> tuple[int, int] | None:
    """The name starting at `pos` (after its article or "l'ONG"), or None where no capitalised name starts. Long because
    it is one pass over the words, each case reading the same few locals (where the name ends, whether it runs on)."""
    lead = LEADING.match(text[pos : pos + 40])
    start = pos + (lead.end() if lead else 0)
    quoted = QUOTED.match(folded, start)  # "l'inter-collectivité « Jam Wari E. Diwal Motti »"
    if quoted:
        return start, quoted.end()
    festival = FESTIVAL.match(text, start)  # "le festival sur le Niger", "le festival Taragalte": after a cue, who runs it
    if festival:
        return start, festival.end()
    words = [w for w in WORD.finditer(text[start : start + 200])]
    first = folded[start + words[0].start() : start + words[0].end()] if words else ""
    run_on = bool(ORG_WORDS.match(first))
    if run_on and re.match(r"organi[sz]ation\s+(?:des|de la|du|de l'|d')\s*[a-z]", text[start : start + 40]):
        return None  # "l'organisation des journées de solidarité": the act of organising, not an organisation
    if not words or not (
        words[0].group(0)[:1].isupper()
        or (run_on and re.match(r"(?:\s+[a-z]+){0,2}\s*(?:de|du|des|d'|pour)\b", folded[start + len(first) :]))
    ):
        return None  # a capital, or an organisation word written in lower case with its complement: "l'ambassade de …"
    end = words[0].end()
    first_word = words[0].group(0)
    proper = False
    ends_sentence = first_word.endswith(".") and len(first_word) > 3 and not re.fullmatch(r"(?:[A-Z]\.)+", first_word)
    for w in words[1:] if not ends_sentence else []:  # "… and SNV-ICCO-OXFAM. The training": the name ends there
        token, low = w.group(0), folded[start + w.start() : start + w.end()]
        bare = re.sub(r"^[ld]['’]", "", token)
        inside = low == "dans" and run_on and re.match(r"\s+(?:le|la|les|l['’])\s*[A-ZÀ-Ý]", text[start + w.end() :])
        links = token == "à" and run_on and re.match(r"\s+(?:la|l['’])\s*\w", text[start + w.end() :])
        verb = low in STOP and not inside and not links  # "Mission d'appui à la réconciliation": "à la" links, "a" acts
        at_country = low in ("au", "aux", "a") and fold_keep_length(text[start : start + end]) in COUNTRIES
        verb = verb or at_country  # "du Danemark au Fonds …": a country's name ends before "au"
        if not token[:1].isalnum() or verb or "\n" in text[start + end : start + w.start()]:
            break  # "… de recherche et de développement dans le Sahel" goes on: a name written in lower case
        if run_on and low in ("de", "du", "des", "d'") and OTHER_BODY.match(folded, start + w.end()):
            break  # "Fonds d'appui … FAMOC de l'ambassade du royaume de Danemark": whose fund, named apart
        if run_on and proper and low in ("pour", "for") and not text[start + w.end() : start + w.end() + 5].strip()[:1].isupper():
            break  # "l'Association Tin Hinan pour l'exécution du projet": a proper name does not run on into a purpose

        if bare[:1].isupper() or ADJECTIVES.match(low) or (run_on and low not in LINKS):
            end = w.end()
            proper = proper or (bare[:1].isupper() and not ADJECTIVES.match(low))
            if token.endswith(".") and len(bare) > 2 and not re.fullmatch(r"(?:[A-Z]\.)+", bare):
                end -= 1  # "… par WILDAF Mali. Il s'agissait": a sentence's full stop, not an initial ("E.", "U.S.")
                break
        elif not (low in LINKS or re.fullmatch(r"[ld]'", low)):
            break
        elif low in ("et", "and") and ALLIES.match(text, start + w.end()):
            continue  # "Coordination Kel-Ansar et Alliés": the name goes on
        elif low in ("et", "and") and re.fullmatch(r"[A-Z0-9&-]{2,}", text[start : start + end]):
            break  # "l'ONG GREFA et de l'Ambassadeur": an acronym is the whole name
        elif low in ("et", "and") and (
            _next_name(text[start + w.start() - 1 :]) or not _goes_on(text[start + w.end() :], run_on)
        ):
            break  # "… au Sahel et Think Peace", "… européenne et mis en œuvre": a list's next item, or the clause's verb
        if len(text[start : start + end].split()) > 14:
            return None
    name = text[start : start + end].rstrip(" .-")
    # "Fonds pour la paix locale (FPL)"; "Initiatives Sahéliennes de Recherche et d'analyse pour la transformation du
    # Conflit (TIRAC-SAHEL)": a name runs on in lower case to its acronym when nothing between ends the clause
    acronym = re.match(r"[^,.;:()«»\n]{0,100}?\(\s*([A-Z][A-Za-z0-9&-]{1,14})\s*\)", text[start + len(name) :])
    between = acronym.group(0) if acronym else ""
    country = acronym is not None and fold_keep_length(acronym.group(1)) in COUNTRIES  # "(Mali)": where it is
    if any(w in STOP - {"a"} for w in re.findall(r"[\w']+", fold_keep_length(between))) or _next_name(between) or country:
        acronym = None  # "… du Danemark et le Fonds … (FAMOC)": another name, not this one's acronym
    return (start, start + len(name) + (acronym.end() if acronym else 0)) if len(name) >= 2 else None
