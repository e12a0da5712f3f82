"""Names defined by their acronym: "Malian Action Research Institute for Peace (IMRAP)", "Programme alimentaire mondial
(Pam)" — where the name begins, and whether the letters spell it."""

from __future__ import annotations

import re

from malimap.geo.gazetteer import fold

DEFINED = re.compile(
    r"\(\s*([A-Z][A-Z0-9&/-]{1,9}(?: [A-Z][A-Z0-9&/-]{1,9})?|[A-Z][a-z]{2,5})\s*\)"
)  # "(GIZ)", and "(Pnud)" as French press writes it
LINK_WORDS = {"de", "du", "des", "la", "le", "les", "pour", "for", "of", "the", "on", "sur", "et", "and", "en", "au", "aux", "à", "in"}  # fmt: skip


def defined(text: str) -> list[tuple[int, int, str, str]]:
    """ "Full Name (ACR)": the run of capitalised and linking words just before each parenthesised acronym, read
    backwards word by word (a regular expression with nested repeats took 0.8 s on a page of capitals)."""
    out = []
    for m in DEFINED.finditer(text):
        words = list(re.finditer(r"[\w’'-]+", text[max(0, m.start() - 160) : m.start()]))
        base = max(0, m.start() - 160)
        first = None
        for i, w in reversed(list(enumerate(words))):
            token = w.group(0)
            after = text[base + w.end() : base + words[i + 1].start()] if i + 1 < len(words) else ""
            if re.search(r"[,.;:()–—]|\n\s*\n", after):
                break  # a name runs across no punctuation and no blank line: "…2015, the Salam Network (SND)", a heading
            bare = re.sub(r"^(?:l|d)['’]", "", token)
            if bare[:1].isupper() or (bare[:1].isdigit() and first is not None):
                first = w
            elif token.lower() not in LINK_WORDS and not re.match(r"^(?:l|d)['’]$", token.lower()):
                break
        spelled = spelled_out(text, words, base, m)
        if spelled is not None:  # "… Laureate and Patron of the African Women Leaders Network (AWLN)": from "African"
            first = next(w for w in words if base + w.start() == spelled)
        first = (
            first
            if first is None or _spells(text, base + first.start(), m)
            else _spelled_by_capitals(text, words, base, m) or first
        )
        if first is not None:
            start = base + first.start()
            article = re.match(  # "La Jeune Chambre …", "Under the UN Global …": not the name
                r"^(?:[lLdD]['’]|(?:La|Le|Les|The|Under|Through|With|From|Sous|Avec|Par|Dans|Selon)\s+)+", text[start:]
            )
            start += article.end() if article else 0
            name = text[start : m.start()].strip()
            joined = list(re.finditer(r"\s(?:and|et|&)\s+(?:the\s+|l['’]|la\s+|le\s+)", name))
            if joined:  # "Interpeace and the Malian … (IMRAP)": a conjunction and an article begin another name
                start, name = start + joined[-1].end(), name[joined[-1].end() :]
            out.append((start, m.end(), name, m.group(1)))
    return out


def _spells(text: str, start: int, m: re.Match) -> bool:
    return initials(text[start : m.start()].strip(), m.group(1))


def _spelled_by_capitals(text: str, words: list[re.Match], base: int, m: re.Match) -> re.Match | None:
    """ "l'Association Noyau Dur pour la promotion de la justice transitionnelle au Mali (AND)": lower-case words
    stopped the backward reading at "Mali"; the name begins at the first capitalised word whose capitals, read on
    to the acronym, begin with its letters."""
    letters = re.sub(r"[^A-Z]", "", m.group(1).upper())
    heads = [re.sub(r"^(?i:l|d)['’]", "", w.group(0))[:1] for w in words]  # "L'Association" begins with "A"
    for n, w in enumerate(words):
        if not heads[n].isupper() or re.search(r"[,.;:()–—]", text[base + w.start() : m.start()]):
            continue
        if len(letters) >= 2 and "".join(h for h in heads[n:] if h.isupper()).startswith(letters):
            return w
    return None


def spelled_out(text: str, words: list[re.Match], base: int, m: re.Match) -> int | None:
    """Where "Programme alimentaire mondial (Pam)" begins: the words before the acronym, link words aside, whose
    initials spell it, lower-case words included; None where they do not or a punctuation mark comes between."""
    letters = re.sub(r"[^A-Z]", "", m.group(1).upper())
    significant = [w for w in words if re.sub(r"^(?:l|d)['’]", "", w.group(0)).lower() not in LINK_WORDS]
    if not 2 <= len(letters) <= len(significant):
        return None
    last = significant[-len(letters) :]
    initials = "".join(fold(re.sub(r"^(?:l|d)['’]", "", w.group(0)))[:1] for w in last).upper()  # "d’" alone: no letter
    start = base + last[0].start()
    return start if initials == letters and not re.search(r"[,.;:()–—]", text[start : m.start()]) else None


def initials(name: str, acronym: str) -> bool:
    """'Malian Action Research Institute for Peace (IMRAP)': the acronym's letters begin the name's capitalised words
    ("Programme alimentaire mondial (Pam)": or all its words but the link words)."""
    every = "".join(fold(w)[:1] for w in re.findall(r"[\w’'-]+", name) if w.lower() not in LINK_WORDS).upper()
    if re.sub(r"[^A-Z]", "", acronym.upper()) == every:
        return True
    caps = "".join(w[0] for w in re.findall(r"[A-ZÀ-Ý][\w’'-]*", name)).upper()
    letters = re.sub(r"[^A-Z]", "", acronym.upper() if acronym[1:].islower() else acronym)  # "Pnud", "Pam"
    return len(letters) >= 2 and (letters in caps or caps.endswith(letters[:-1]))


def spelled_in_lower(text: str, start: int) -> bool:
    """ "la gouvernance des ressources naturelles (GNR)": the acronym at `start` abbreviates the lower-case words just
    before its parenthesis, a term the text defines, not an organisation's name (those are capitalised)."""
    before = re.search(r"((?:[a-zà-ÿ][\w’'-]*\s+){1,10})\(\s*$", text[max(0, start - 160) : start])
    acronym = re.match(r"[A-Z][A-Z0-9]*", text[start:])
    if not before or not acronym:
        return False
    letters = [fold(w)[:1].upper() for w in before.group(1).split() if w not in LINK_WORDS]
    wanted = acronym.group(0)
    return sorted(letters[-len(wanted) :]) == sorted(wanted)  # French and English orders differ: "(GNR)"


def term_acronyms(text: str) -> set[str]:
    """Acronyms the text defines by lower-case words ("the defence and security forces (DFS)"): terms wherever they
    stand again, not organisations."""
    return {m.group(1) for m in DEFINED.finditer(text) if spelled_in_lower(text, m.start(1))}


def work_acronyms(text: str) -> set[str]:
    """ "le Projet de développement durable de la région Ménaka (DDM)", 'le projet « FORCE »': acronyms of what is done,
    not of who does it. The letters must follow the words from "projet" on, starting there or at the next word (not
    "le projet X financé par l'Agence française de développement (AFD)": a verb ends the project's name)."""
    out = set(re.findall(r"\b(?i:projet|programme|project|program)s?\s*[«“\"‘’']*\s*([A-Z][A-Z0-9-]{2,11})(?![\w])", text))
    out |= set(re.findall(r"(?<![\w-])([A-Z][A-Z0-9-]{2,11})\+?\s+(?:project|programme|program)\b", text))  # "the HIS project"
    for m in re.finditer(  # "Programme d'Appui … (PARSEC Mopti-Gao)": words after the acronym may follow inside
        r"\b((?i:projet|programme|project|program))s?\b([^.;:()\n]{0,140}?)\(\s*([A-Z][A-Za-z0-9-]{1,11})(?:\s[^()]{0,20})?\)",
        text,
    ):
        words = [re.sub(r"^[dlDL]['’]", "", w) for w in re.findall(r"[\w’'-]+", m.group(2))]  # "d'Appui": A
        words = [w for w in words if w.lower() not in LINK_WORDS and fold(w)]
        if re.search(r"\b(?:par|by|avec|with|financ\w*|funded)\b", fold(m.group(2))) or not words:
            continue
        initials_ = [fold(w)[:1].upper() for w in words]  # "MLI/804 - Appui": a lone dash folds to nothing
        letters = re.sub(r"[^A-Z]", "", m.group(3).upper())
        starts_there = letters[0] in (m.group(1)[0].upper(), *initials_[:3])  # "projet", or one of its first words
        if starts_there and _in_order(letters[:3], ["P", *initials_]):
            out.add(m.group(3))
    return out


def _in_order(letters: str, initials_: list[str]) -> bool:
    it = iter(initials_)
    return all(ch in it for ch in letters)
