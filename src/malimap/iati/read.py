"""IATI 2.0x activity XML to plain `Activity` records, streamed.

The standard library's `ElementTree.iterparse` (expat, C-accelerated) rather than lxml: it is already there, reads
10,000 activities in a few seconds (benchmarks/iati.py), never fetches an external DTD or entity, and each activity is
cleared from memory once read. A document type declaration is refused before parsing starts: IATI files never need
one, and it is where entity expansion ("billion laughs") and external entities live.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, cast

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CHUNK = 1 << 16  # bytes fed to the parser at a time
PROLOG_LIMIT = 1 << 20  # bytes read to find the root element; a longer prolog is not an IATI file
SUPPORTED = ("2.01", "2.02", "2.03")


class IatiError(ValueError):
    """A file refused whole, saying which file and why (not IATI, an old version, unsafe or broken XML)."""


@dataclass(frozen=True)
class Org:
    name: str
    ref: str = ""
    role: str = ""  # OrganisationRole code: 1 funding, 2 accountable, 3 extending, 4 implementing
    type: str = ""  # OrganisationType code
    evidence: str = ""


@dataclass(frozen=True)
class Location:
    name: str = ""
    description: str = ""
    reach: str = ""  # GeographicLocationReach: 1 activity, 2 intended beneficiaries
    pos: tuple[float, float] | None = None  # (lat, lng)
    bad_pos: str = ""  # a pos that is not two numbers in range, as written
    exactness: str = ""  # GeographicExactness: 1 exact, 2 approximate, 3 extrapolated
    location_class: str = ""  # GeographicLocationClass: 1 administrative region, 2 populated place, 3 structure, 4 other
    feature: str = ""  # GeoNames feature designation (PCLI a country, BLDO an office building, ADM1, PPL…)
    administrative: tuple[tuple[str, str, str], ...] = ()  # (vocabulary, level, code)
    ids: tuple[tuple[str, str], ...] = ()  # location-id (vocabulary, code)
    evidence: str = ""


@dataclass(frozen=True)
class Money:
    kind: str  # budget, or a transaction kind (commitment, disbursement, expenditure, incoming_funds…)
    amount: float | None
    currency: str
    value_date: str = ""
    period_start: str = ""
    period_end: str = ""
    status: str = ""  # budget status: 1 indicative, 2 committed
    provider: str = ""
    receiver: str = ""
    provider_activity: str = ""
    evidence: str = ""


@dataclass
class Activity:
    identifier: str
    file: str
    position: int  # its place in the file: 1 for the first activity
    version: str
    lang: str = ""
    default_currency: str = ""
    last_updated: str = ""
    hierarchy: str = ""
    reporting_org: Org | None = None
    titles: dict[str, str] = field(default_factory=dict)  # language ('' when not given) -> text
    descriptions: dict[str, str] = field(default_factory=dict)
    status: str = ""  # ActivityStatus code
    dates: dict[str, str] = field(default_factory=dict)  # ActivityDateType code -> ISO date
    countries: list[tuple[str, float | None]] = field(default_factory=list)  # recipient-country (code, percentage)
    regions: list[tuple[str, float | None]] = field(default_factory=list)
    transaction_countries: set[str] = field(default_factory=set)
    sectors: list[tuple[str, str, float | None, str]] = field(default_factory=list)  # (vocabulary, code, %, name)
    transaction_sectors: list[tuple[str, str]] = field(default_factory=list)
    orgs: list[Org] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    money: list[Money] = field(default_factory=list)
    related: list[tuple[str, str]] = field(default_factory=list)  # (RelatedActivityType code, identifier)
    problems: list[str] = field(default_factory=list)  # values that could not be read, said in the report

    def title(self, prefer: tuple[str, ...] = ("fr", "en")) -> str:
        return _pick(self.titles, prefer, self.lang)


TRANSACTION_KINDS = {
    "1": "incoming_funds",
    "2": "commitment",
    "3": "disbursement",
    "4": "expenditure",
    "5": "interest_repayment",
    "6": "loan_repayment",
    "7": "reimbursement",
    "8": "purchase_of_equity",
    "9": "sale_of_equity",
    "10": "credit_guarantee",
    "11": "incoming_commitment",
    "12": "outgoing_pledge",
    "13": "incoming_pledge",
}


def _pick(texts: dict[str, str], prefer: tuple[str, ...], default_lang: str) -> str:
    for lang in prefer:
        if texts.get(lang):
            return texts[lang]
        if lang == default_lang and texts.get(""):
            return texts[""]
    return texts.get("") or next((t for t in texts.values() if t), "")


def _code(el: ET.Element, path: str, attr: str = "code") -> str:
    """The attribute of the first child at `path` ('' when there is none)."""
    child = el.find(path)
    return child.get(attr, "") if child is not None else ""


def _text(el: ET.Element | None) -> str:
    return " ".join((el.text or "").split()) if el is not None else ""


def _narratives(el: ET.Element | None) -> dict[str, str]:
    """Each language's narrative ('' for the activity's default); old-style text directly in the element is kept too."""
    out: dict[str, str] = {}
    if el is None:
        return out
    for n in el.findall("narrative"):
        text = _text(n)
        if text:
            out.setdefault(n.get(XML_LANG, "").lower(), text)
    if not out and _text(el):
        out[""] = _text(el)
    return out


def _first(el: ET.Element | None) -> str:
    texts = _narratives(el)
    return texts.get("") or next(iter(texts.values()), "")


def _pct(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _evidence(tag: str, attrs: dict[str, str], text: str = "") -> str:
    """The element's own words: its tag, the attributes that carry the fact, and its narrative (at most 300 characters)."""
    shown = " ".join(f"{k}={v}" for k, v in attrs.items() if v)  # no angle brackets: it is a quote, not markup
    out = f"IATI {tag}{' ' + shown if shown else ''}" + (f": {text}" if text else "")
    return out if len(out) <= 300 else out[:299] + "…"


def _org(el: ET.Element, tag: str) -> Org:
    name = _first(el)
    attrs = {"ref": el.get("ref", "").strip(), "role": el.get("role", ""), "type": el.get("type", "")}
    return Org(name, attrs["ref"], attrs["role"], attrs["type"], _evidence(tag, attrs, name))


def _location(el: ET.Element, problems: list[str]) -> Location:
    name, desc = _first(el.find("name")), _first(el.find("description"))
    pos_text = _text(el.find("point/pos"))
    pos, bad = None, ""
    if pos_text:
        parts = pos_text.replace(",", " ").split()
        try:
            lat, lng = float(parts[0]), float(parts[1])
            if len(parts) != 2 or not (-90 <= lat <= 90 and -180 <= lng <= 180):
                raise ValueError
            pos = (lat, lng)
        except (ValueError, IndexError):
            bad = pos_text
            problems.append(f"location '{name or desc}': point '{pos_text}' is not 'latitude longitude'")
    admin = tuple((a.get("vocabulary", ""), a.get("level", ""), a.get("code", "").strip()) for a in el.findall("administrative"))
    ids = tuple((i.get("vocabulary", ""), i.get("code", "").strip()) for i in el.findall("location-id"))
    get = lambda path: _code(el, path)  # noqa: E731
    loc = Location(
        name, desc, get("location-reach"), pos, bad, get("exactness"), get("location-class"), get("feature-designation"),
        admin, ids,
    )  # fmt: skip
    facts = {"name": name, "pos": pos_text, "admin": " ".join(c for _, _, c in admin), "feature": loc.feature}
    return Location(**{**loc.__dict__, "evidence": _evidence("location", facts)})


def _money(el: ET.Element, kind: str, default_currency: str, problems: list[str]) -> Money:
    value = el.find("value")
    raw = _text(value)
    try:
        amount = float(raw.replace(",", "")) if raw else None
    except ValueError:
        amount = None
        problems.append(f"{kind}: value '{raw}' is not a number")
    currency = (value.get("currency", "") if value is not None else "") or default_currency
    date = value.get("value-date", "") if value is not None else ""
    get = lambda path: _code(el, path, "iso-date")  # noqa: E731
    provider, receiver = el.find("provider-org"), el.find("receiver-org")
    attrs = {"type": kind, "currency": currency, "value-date": date}
    return Money(
        kind,
        amount,
        currency,
        date or get("transaction-date"),
        get("period-start"),
        get("period-end"),
        el.get("status", ""),
        _first(provider) or (provider.get("ref", "") if provider is not None else ""),
        _first(receiver) or (receiver.get("ref", "") if receiver is not None else ""),
        provider.get("provider-activity-id", "") if provider is not None else "",
        _evidence(el.tag, attrs, raw),
    )


def _activity(el: ET.Element, file: str, position: int, version: str, root_lang: str, root_currency: str) -> Activity:
    a = Activity(
        identifier=_text(el.find("iati-identifier")),
        file=file,
        position=position,
        version=version,
        lang=el.get(XML_LANG, root_lang).lower(),
        default_currency=el.get("default-currency", root_currency),
        last_updated=el.get("last-updated-datetime", ""),
        hierarchy=el.get("hierarchy", ""),
    )
    rep = el.find("reporting-org")
    a.reporting_org = _org(rep, "reporting-org") if rep is not None else None
    a.titles = _narratives(el.find("title"))
    for d in el.findall("description"):
        for lang, text in _narratives(d).items():
            a.descriptions.setdefault(lang, text)
    status = el.find("activity-status")
    a.status = status.get("code", "") if status is not None else ""
    for d in el.findall("activity-date"):
        if d.get("iso-date"):
            a.dates.setdefault(d.get("type", ""), d.get("iso-date", "")[:10])
    a.countries = [(c.get("code", "").upper(), _pct(c.get("percentage"))) for c in el.findall("recipient-country")]
    a.regions = [(r.get("code", ""), _pct(r.get("percentage"))) for r in el.findall("recipient-region")]
    a.sectors = [
        (s.get("vocabulary", "1") or "1", s.get("code", "").strip(), _pct(s.get("percentage")), _first(s))
        for s in el.findall("sector")
    ]
    a.orgs = [_org(o, "participating-org") for o in el.findall("participating-org")]
    a.locations = [_location(loc, a.problems) for loc in el.findall("location")]
    for b in el.findall("budget"):
        a.money.append(_money(b, "budget", a.default_currency, a.problems))
    for t in el.findall("transaction"):
        kind_el = t.find("transaction-type")
        kind = TRANSACTION_KINDS.get(kind_el.get("code", "") if kind_el is not None else "", "transaction")
        a.money.append(_money(t, kind, a.default_currency, a.problems))
        a.transaction_countries |= {c.get("code", "").upper() for c in t.findall("recipient-country")}
        a.transaction_sectors += [(s.get("vocabulary", "1") or "1", s.get("code", "").strip()) for s in t.findall("sector")]
    a.related = [(r.get("type", ""), r.get("ref", "").strip()) for r in el.findall("related-activity")]
    return a


def _check_prolog(head: bytes, name: str) -> None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        raise IatiError(f"{name}: UTF-16 XML is not read; save it as UTF-8 (IATI files are UTF-8)")
    start = re.search(rb"<[A-Za-z_]", head)
    if start is None:
        raise IatiError(f"{name}: no XML element in the first {PROLOG_LIMIT // 1024} KB: not an IATI activity file")
    if re.search(rb"<!DOCTYPE|<!ENTITY", head[: start.start()], re.IGNORECASE):
        raise IatiError(
            f"{name}: the file declares a document type (<!DOCTYPE>/<!ENTITY>); IATI files never do, and such "
            "declarations can expand without end or reach other files: refused without parsing"
        )


def _head(source: IO[bytes]) -> bytes:
    """The first bytes, up to and including the first element's start (at most PROLOG_LIMIT)."""
    head = b""
    while len(head) < PROLOG_LIMIT:
        chunk = source.read(CHUNK)
        head += chunk
        if not chunk or re.search(rb"<[A-Za-z_]", head) or head.startswith((b"\xff\xfe", b"\xfe\xff")):
            break
    return head


def read_activities(source: IO[bytes], name: str) -> Iterator[Activity]:
    """Every `iati-activity` of an IATI 2.01–2.03 activity file, one at a time (each cleared once read).

    Raises IatiError, before yielding anything, for a file that is not IATI activity XML or is IATI 1.x, and at the
    point of failure for broken XML (activities already yielded stay read).
    """
    head = _head(source)
    _check_prolog(head, name)
    parser: ET.XMLPullParser = ET.XMLPullParser(events=("start", "end"))
    root: ET.Element | None = None
    version = lang = currency = ""
    depth = 0
    seen = 0
    try:
        chunk = head
        while chunk:
            parser.feed(chunk)
            for item in parser.read_events():
                event, el = cast(tuple[str, ET.Element], item)
                if event == "start":
                    depth += 1
                    if root is None:
                        root = el
                        version, lang, currency = _check_root(el, name)
                    elif depth == 2 and el.tag == "iati-activity":
                        seen += 1
                    continue
                depth -= 1
                if depth == 1 and el.tag == "iati-activity":
                    yield _activity(el, name, seen, version, lang, currency)
                    assert root is not None
                    root.clear()  # read: let it go (bounded memory whatever the file's size)
            chunk = source.read(CHUNK)
        parser.close()
    except ET.ParseError as exc:
        raise IatiError(f"{name}: broken XML in or after activity {seen} ({exc})") from None
    if root is None:
        raise IatiError(f"{name}: empty file: not an IATI activity file")


def _check_root(el: ET.Element, name: str) -> tuple[str, str, str]:
    if el.tag == "iati-organisations":
        raise IatiError(f"{name}: an IATI organisation file (budgets of an organisation), not activities")
    if el.tag != "iati-activities":
        raise IatiError(f"{name}: the root element is <{el.tag[:60]}>, not <iati-activities>: not an IATI activity file")
    version = el.get("version", "").strip()
    if version.startswith("1."):
        raise IatiError(
            f"{name}: IATI version {version}; this reads 2.01–2.03 (version 1 was retired in 2019): ask the publisher "
            "for its current file"
        )
    if version not in SUPPORTED:
        raise IatiError(f"{name}: IATI version '{version}' is not one of {', '.join(SUPPORTED)}")
    return version, el.get(XML_LANG, "").lower(), el.get("default-currency", "")
