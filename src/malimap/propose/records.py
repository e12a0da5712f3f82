"""Candidate records from an article: a programme or project, and each event the article reports, with the
organisations, places, dates and participants the text gives each — every fact with its quote.

A sentence that names an event ("atelier", "dialogue", "launch"…) with a date of its own, or the first of its kind, opens
a record; a titled project or programme ("projet « X »") opens one too. Facts belong to the record last opened (facts
before the first record, to the first). "fait partie de", "dans le cadre de", "part of" link a record to its parent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from malimap.geo.gazetteer import Gazetteer, fold
from malimap.propose.article import Article, clause, fold_keep_length, sentences
from malimap.propose.dates import FoundDate, find_dates, of_the_crisis
from malimap.propose.events import event_word, type_of
from malimap.propose.orgs import Mention, find_organisations
from malimap.propose.participants import find_participants
from malimap.propose.places import find_places
from malimap.propose.pointers import GOES_ON, THE_PROJECT, labelled, names_by_acronym
from malimap.propose.roles import role_of
from malimap.propose.unroled import VENUE, proposable, settle

PROJECT_RX = re.compile(
    r"(?<![\w])(?P<word>projet|project|programme|program|initiative)s?\b[^«“\".;]{0,60}?"
    r"(?:[«“\"]\s*(?P<quoted>[^»”\"]{3,120}?)\s*[»”\"]|(?:denomme|intitule|appele|called|named|entitled)\s+(?P<named>[A-Z][^,.;(]{3,80}))"
)
REFERS = re.compile(r"(?:\bcet|\bcette|\bce|\bces|\bl'|\ble|\bla|\bthis|\bthe|\bdu|\bau|\bde l')\s*$")
NAMED_RX = re.compile(
    r"(?<![\w])(?P<word>projet|programme|project|program)\s+(?P<rest>[^,.;:«»“”()\n]{3,140}?)"
    r"(?:\s*\((?P<acr>[A-Za-z][\w -]{1,14})\)|(?=\s*[,.;:(\n]|\s+(?:est|sera|qui|dont|vise|was|is|will|which|has|finance|"
    r"mis|execute|intervient|couvre|couvrira|portant|visant|aiming|a (?:ete|permis|vise|beneficie|demarre|debute|commence))\b))"
)
WORK_WORD = re.compile(r"\b(?:projet|programme|project|program)s?\b")
ENDS = re.compile(
    r"(?:prendra fin|prend fin|a pris fin|s'achevera|s'acheve|se terminera|will end|ends|ended|d'ici|jusqu'en|jusqu'au|until|by)"
    r"\s+(?:le\s+|en\s+|on\s+|in\s+|a\s+)?$"
)
PART_OF = re.compile(r"(?:fait partie|fait parti|s'inscrit dans|dans le cadre|part of|under the|a component of|une composante)")
ROLE_OF_ORGANISER = {"event": "convener", "project": "implementer", "programme": "implementer"}


@dataclass
class Candidate:
    kind: str
    event_type: str | None
    title: str
    evidence: str
    anchor: int  # where the record is named in the article
    start: str | None = None
    end: str | None = None
    dates_approximate: bool = False
    dates_evidence: str | None = None
    participants: int | None = None
    participants_approximate: bool = False
    participants_evidence: str | None = None
    organisations: list[dict] = field(default_factory=list)
    places: list[dict] = field(default_factory=list)
    parent: int | None = None  # position of the parent candidate in the list
    named: bool = True  # False for a project the article never names ("le projet"): its title is a stand-in
    evidence_spans: list[tuple[int, int]] = field(default_factory=list)

    def as_json(self) -> dict:
        """Exactly the shape `propose --json` prints (issue 27); the parent link and spans stay for review and keep."""
        return {
            "kind": self.kind,
            "event_type": self.event_type,
            "title": self.title,
            "start": self.start,
            "end": self.end,
            "dates_approximate": self.dates_approximate,
            "dates_evidence": self.dates_evidence,
            "participants": self.participants,
            "participants_evidence": self.participants_evidence,
            "evidence": self.evidence,
            "organisations": [{k: o[k] for k in ("name", "organisation_id", "role", "evidence")} for o in self.organisations],
            "places": [{k: p[k] for k in ("name", "pcode", "admin1", "reach", "precision", "evidence")} for p in self.places],
        }


@dataclass
class _Reading:
    text: str
    folded: str
    spans: list[tuple[int, int]]
    records: list[Candidate] = field(default_factory=list)
    current: int | None = None
    anchored: bool = False  # the sentence being read names the current record (dates and counts go only there)
    pending: list = field(default_factory=list)  # facts met before the first record
    title: str = ""  # the article's headline, an untitled project's title until the curator names it
    org_spans: list[tuple[int, int]] = field(default_factory=list)
    body_spans: list[tuple[int, int]] = field(default_factory=list)  # names that are bodies by themselves, no occasion
    here: list[int] = field(default_factory=list)  # records opened by the sentence being read, in order

    def quote(self, sentence: tuple[int, int], start: int, end: int) -> tuple[str, tuple[int, int]]:
        a, b = clause(self.text, sentence, start, end)
        return self.text[a:b], (a, b)


def propose(article: Article, orgs: pd.DataFrame, gazetteer: Gazetteer) -> list[Candidate]:
    """The candidate records of an article, in the order it names them."""
    text, folded = article.text, fold_keep_length(article.text)
    mentions = find_organisations(text, folded, orgs, gazetteer.by_name)
    r = _Reading(
        text,
        folded,
        sentences(text),
        title=article.title,
        org_spans=[m.span for m in mentions],
        body_spans=[m.span for m in mentions if m.how in ("table", "known", "defined", "ngo")],
    )
    # "Le Centre international de conférence de Bamako abrite …": a venue's name places the event in its town
    hosts = [m.span for m in mentions if VENUE.match(folded[m.span[1] : m.span[1] + 120])]
    places = find_places(text, folded, gazetteer, [m.span for m in mentions if m.span not in hosts])
    dates = [d for d in find_dates(folded, article.published) if not d.publication]
    counts = find_participants(folded)
    headline: list = []
    for sentence in r.spans:
        inside = lambda span, s=sentence: s[0] <= span[0] < s[1]  # noqa: E731
        actor = any(inside(m.span) for m in mentions) or any(inside(p.span) and p.reach == "activity" for p in places)
        _open_records(r, sentence, [d for d in dates if inside(d.span)], actor)
        facts: list[tuple[str, Any]] = [("org", m) for m in mentions if inside(m.span)] + [
            ("place", p) for p in places if inside(p.span)
        ]
        facts += [("date", d) for d in dates if inside(d.span)] + [("count", c) for c in counts if inside(c.span)]
        sentence_orgs = [m for m in mentions if inside(m.span)]
        if article.title and text[sentence[0] : sentence[1]].strip() == article.title.strip():
            headline += [(sentence, f, sentence_orgs) for f in facts if f[0] in ("org", "place")]
            facts = [f for f in facts if f[0] not in ("org", "place")]  # a headline restates the body, said there
        for kind, fact in sorted(facts, key=lambda f: f[1].span):
            _attach(r, sentence, kind, fact, sentence_orgs)
    if not r.records and (r.pending or text.strip()):
        first = r.spans[0] if r.spans else (0, len(text))
        r.records.append(
            Candidate("project", None, article.title or text[first[0] : first[1]][:120], text[first[0] : first[1]], 0)
        )
        r.current, r.anchored = 0, True
        for sentence, kind, fact, sentence_orgs in r.pending:
            _attach(r, sentence, kind, fact, sentence_orgs)
    _from_headline(r, headline)  # after the stand-in record, so an article that is all headline keeps its names
    settle(r.records)
    return r.records


def _open_records(r: _Reading, sentence: tuple[int, int], dates: list[FoundDate], sentence_has_actor: bool) -> None:
    text, folded = r.text, r.folded
    lo, hi = sentence
    r.anchored = r.current is not None and bool(GOES_ON.match(folded, lo))  # "C'était ce samedi 29 juin 2019": the same one
    r.here = []
    part_of = PART_OF.search(folded, lo, hi)
    opened: list[int] = []
    for start, end, title, word in _titled(r, lo, hi):
        kind = "programme" if word in ("programme", "program", "initiative") else "project"
        known = next((i for i, c in enumerate(r.records) if c.kind != "event" and fold(c.title) == fold(title)), None)
        unnamed = [i for i, c in enumerate(r.records) if c.kind != "event" and not c.named]
        if known is None and unnamed and not part_of:  # the project told of untitled so far is this one
            known = unnamed[0]
            r.records[known].title, r.records[known].kind, r.records[known].named = title, kind, True
        if known is None:
            a, b = clause(text, sentence, start, end)
            r.records.append(Candidate(kind, None, title, text[a:b], start, evidence_spans=[(a, b)]))
            known = len(r.records) - 1
            r.here.append(known)
            _flush(r, known)
        opened.append(known)
        if part_of and start > part_of.start():
            child = opened[-2] if len(opened) > 1 else r.current
            if child is not None and child != known:
                r.records[child].parent = known
            continue  # the parent named after "fait partie de" is not what the sentence is about
        r.current, r.anchored = known, True
    if not opened:  # "Dans cette 2e phase, … le Projes intervient": a record named by its acronym
        by_acronym = [i for i, c in enumerate(r.records) if c.kind != "event" and names_by_acronym(c.title, text[lo:hi])]
        if by_acronym:
            r.current, r.anchored = by_acronym[-1], True
            return _open_event(r, sentence, dates, sentence_has_actor)
    the_project = THE_PROJECT.search(folded, lo, hi)
    headline = bool(r.title) and text[lo:hi].strip() == r.title.strip()
    if not opened and the_project and not headline:
        latest = [i for i, c in enumerate(r.records) if c.kind != "event"]
        if not latest:  # "Le projet, d'une valeur de …, est financé par …": an untitled project the curator names
            a, b = clause(text, sentence, the_project.start(), the_project.end())
            title = r.title or text[a:b][:120]
            untitled = Candidate("project", None, title, text[a:b], the_project.start(), evidence_spans=[(a, b)], named=False)
            r.records.append(untitled)
            latest = [len(r.records) - 1]
            _flush(r, latest[0])
            for c in r.records[:-1]:
                c.parent = latest[0] if c.parent is None else c.parent  # the events told before it are its own
        r.current, r.anchored = latest[-1], True  # "le projet", "ce programme": the one already named
    _open_event(r, sentence, dates, sentence_has_actor)


def _open_event(r: _Reading, sentence: tuple[int, int], dates: list[FoundDate], sentence_has_actor: bool) -> None:
    """The event the sentence names, if any: one already opened ("cet atelier", the same date) or a new one."""
    text, folded = r.text, r.folded
    lo, hi = sentence
    e = event_word(folded, lo, hi, r.body_spans)
    if e is None:
        return
    event_type = type_of(e)
    date = dates[0] if dates else None  # a date with no year still says which occasion this is
    events = [i for i, c in enumerate(r.records) if c.kind == "event"]
    same = [i for i in events if r.records[i].event_type == event_type]
    undated = [i for i in same if r.records[i].dates_evidence is None]
    if date:
        match = [i for i in events if _within(date.start, r.records[i])]  # "this workshop … closed on 10 September"
        if match or undated:
            r.current, r.anchored = (match or undated)[-1], True  # the same event again, or its date given now
            return
    elif events and (REFERS.search(folded, max(lo, e.start() - 8), e.start()) or same):
        r.current, r.anchored = (same or events)[-1], True  # "cet atelier", "the workshop": one already opened
        return
    if date or (not events and sentence_has_actor):
        title = text[e.start() : clause(text, sentence, e.start(), e.end())[1]].strip()[:160]
        parent = r.current if r.current is not None and r.records[r.current].kind != "event" else None
        a, b = clause(text, sentence, min([e.start()] + [d.span[0] for d in dates[:1]]), e.end())
        r.records.append(
            Candidate(
                "event", event_type, title[:1].upper() + title[1:], text[a:b], e.start(), parent=parent, evidence_spans=[(a, b)]
            )
        )
        r.current, r.anchored = len(r.records) - 1, True
        r.here.append(r.current)
        _flush(r, r.current)


def _from_headline(r: _Reading, facts: list) -> None:
    """What only the headline says ("SIPRI and CONASCIPAL launch …", the body naming neither with a role) goes to
    the first record, the headline its quote; what the body said already is not said twice."""
    if not r.records:
        return
    said = {fold(o["name"]) for c in r.records for o in c.organisations} | {fold(p["name"]) for c in r.records for p in c.places}
    current, anchored = r.current, r.anchored
    r.current, r.anchored, r.here = 0, False, []
    for sentence, (kind, fact), sentence_orgs in facts:
        if fold(fact.name) not in said:
            _attach(r, sentence, kind, fact, sentence_orgs)
    r.current, r.anchored = current, anchored


def _titled(r: _Reading, lo: int, hi: int) -> list[tuple[int, int, str, str]]:
    """Projects and programmes the sentence names: « quoted », "dénommé X", or a title of their own — capitalised
    ("le Projet d'appui à la mobilisation …") or followed by its acronym ("projet de consolidation de la paix (PCP)").
    An organisation's name ("Programme des Nations Unies pour le développement") is none."""
    out = []
    for m in PROJECT_RX.finditer(r.folded, lo, hi):
        group = "quoted" if m.group("quoted") else "named"
        out.append((m.start(), m.end(), r.text[m.start(group) : m.end(group)].strip(), fold(m.group("word"))))
    for m in NAMED_RX.finditer(r.folded, lo, hi):
        taken = any(a < m.end() and m.start() < b for a, b, *_ in out) or any(a <= m.start() < b for a, b in r.org_spans)
        titled = r.text[m.start()].isupper() or (m.group("acr") and re.match(r"(?:d'|de |du |des |pour |of |for )", m["rest"]))
        if not taken and titled:
            out.append((m.start(), m.end(), r.text[m.start() : m.end()].strip(), m.group("word")))
    return sorted(out)


def _within(day: str | None, c: Candidate) -> bool:
    """The date falls within the record's dates (ISO strings of one precision compare as dates do)."""
    if not day or not c.start:
        return False
    return c.start[: len(day)] <= day <= (c.end or c.start)[: len(day)] + "\uffff"


def _flush(r: _Reading, index: int) -> None:
    """Facts met before the first record go to it (pending fills only while no record is open)."""
    if r.pending:
        r.current, anchored = index, r.anchored
        for sentence, kind, fact, sentence_orgs in r.pending:
            day = kind == "date" and len(fact.start or "") == 10 and r.records[index].kind == "event"
            r.anchored = day or bool(WORK_WORD.search(r.folded, *sentence))  # "Le 16 octobre 2019, … ont inauguré un projet"
            _attach(r, sentence, kind, fact, sentence_orgs)
        r.pending, r.anchored = [], anchored


def _attach(r: _Reading, sentence: tuple[int, int], kind: str, fact, sentence_orgs: list[Mention]) -> None:
    if r.current is None:
        r.pending.append((sentence, kind, fact, sentence_orgs))
        return
    c = r.records[r.current]
    if kind == "date" and labelled(r.folded, fact):  # a fact sheet's "Period: 2020 to 2022" is its project's
        c = next((x for x in r.records if x.kind != "event"), c)
    elif kind in ("org", "place") and len(r.here) > 1:  # "le projet X financé par A … a organisé un atelier à B"
        c = r.records[next((i for i in reversed(r.here) if r.records[i].anchor <= fact.span[0]), r.here[0])]
    if kind == "org":
        role, start, end = role_of(r.folded, sentence, fact, [m for m in sentence_orgs if m is not fact])
        if role is None and not proposable(r.text, r.folded, sentence, fact):
            return
        role = ROLE_OF_ORGANISER[c.kind] if role == "organiser" else role
        key = (fact.organisation_id or fold(fact.name), role)
        if role in ("participant", None) and any((o["organisation_id"] or fold(o["name"])) == key[0] for o in c.organisations):
            return  # an organiser or funder that also took part keeps its stronger role
        if all((o["organisation_id"] or fold(o["name"]), o["role"]) != key for o in c.organisations):
            quote, span = r.quote(sentence, start, end)
            c.organisations.append({"name": fact.name, "organisation_id": fact.organisation_id, "role": role, "evidence": quote})
            c.evidence_spans.append(span)
    elif kind == "place":
        key = (fact.pcode or fold(fact.name), fact.reach)
        if all((p["pcode"] or fold(p["name"]), p["reach"]) != key for p in c.places):
            quote, span = r.quote(sentence, max(sentence[0], fact.cue), fact.span[1])
            c.places.append({"name": fact.name, "pcode": fact.pcode, "admin1": fact.admin1, "reach": fact.reach,
                             "precision": fact.precision, "country": fact.country, "evidence": quote})  # fmt: skip
            c.evidence_spans.append(span)
    elif (
        kind == "date"
        and c.dates_evidence is None
        and (r.anchored or labelled(r.folded, fact))
        and not (fact.ongoing and c.kind == "event")
        and not of_the_crisis(r.folded, fact.span)
        and not ENDS.search(r.folded, max(sentence[0], fact.span[0] - 40), fact.span[0])  # "prendra fin le 30 juin"
    ):
        c.start, c.end, c.dates_approximate = fact.start, fact.end, fact.approximate
        c.dates_evidence, span = r.quote(sentence, *fact.span)
        c.evidence_spans.append(span)
    elif kind == "count" and c.participants is None and (r.anchored or c.kind == "event"):
        c.participants, c.participants_approximate = fact.value, fact.approximate
        c.participants_evidence, span = r.quote(sentence, *fact.span)
        c.evidence_spans.append(span)
