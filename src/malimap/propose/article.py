"""An article as plain text (from .txt, .md or .html), its sentences and clauses as spans of that text, its language.

Every quote a proposal carries is `text[start:end]` of this text: verbatim by construction, never rewritten.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

MAX_CHARS = 400_000  # a long report is ~100k characters; anything larger is not an article
BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "header", "footer", "time"}
FR_WORDS = {"le", "la", "les", "des", "du", "et", "une", "pour", "dans", "est", "sur", "au", "aux", "avec", "par"}
EN_WORDS = {"the", "and", "of", "to", "in", "is", "for", "with", "on", "by", "was", "were", "from", "at", "their"}


class ArticleError(ValueError):
    """The file cannot be read as an article: says what and why."""


@dataclass(frozen=True)
class Article:
    text: str
    title: str = ""
    published: str = ""  # as the page states it in its metadata (ISO), else ''
    lang: str = "fr"


def fold_keep_length(text: str) -> str:
    """Lower case, accents off, typographic apostrophes and dashes plain — one character for one, so a match's span in
    the folded text is its span in the article."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0] if ch.isalpha() else ch
        out.append({"’": "'", "‘": "'", "`": "'", "´": "'", "–": "-", "—": "-", "\u00a0": " "}.get(base, base).lower()[:1] or " ")
    return "".join(out)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.published = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style", "noscript", "nav"):
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and (a.get("property") or a.get("name") or "").lower() in ("article:published_time", "date"):
            self.published = self.published or (a.get("content") or "")[:10]
        elif tag == "time" and a.get("datetime"):
            self.published = self.published or (a.get("datetime") or "")[:10]
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript", "nav"):
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)


def from_html(markup: str) -> Article:
    p = _Text()
    p.feed(markup)
    text = "".join(p.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    published = p.published if re.fullmatch(r"\d{4}-\d{2}-\d{2}", p.published) else ""
    return Article(text, html.unescape(" ".join(p.title)).strip(), published, language(text))


def from_text(text: str, markdown: bool = False) -> Article:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    first = next((line for line in text.split("\n") if line.strip()), "")
    title = re.sub(r"^#+\s*", "", first).strip() if markdown or len(first) < 200 else ""
    return Article(text, title[:300], "", language(text))


def read_article(path: Path | str, data: bytes | None = None) -> Article:
    """A .txt, .md or .html article; any other kind, an empty or oversized file, or bytes that are not text, refused."""
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("txt", "md", "markdown", "html", "htm"):
        raise ArticleError(f"{path.name}: an article is a .txt, .md or .html file, not .{kind or '(none)'}")
    raw = path.read_bytes() if data is None else data
    if len(raw) > MAX_CHARS * 4:
        raise ArticleError(f"{path.name}: {len(raw):,} bytes is more than an article ({MAX_CHARS * 4:,} at most)")
    text = _decode(raw, path.name)
    article = from_html(text) if kind in ("html", "htm") else from_text(text, markdown=kind != "txt")
    if not article.text.strip():
        raise ArticleError(f"{path.name}: no text found")
    return article


def _decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ArticleError(f"{name}: binary data, not text")
    for enc in ("utf-8-sig", "utf-16") if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ArticleError(f"{name}: not UTF-8 or Windows-1252 text")


def language(text: str) -> str:
    """fr or en, by which language's commonest small words the text uses more."""
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    fr = sum(w in FR_WORDS for w in words)
    en = sum(w in EN_WORDS for w in words)
    return "en" if en > fr else "fr"


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: a stop, ! or ? before a space and a capital, digit or quote; or a line break, unless the line
    runs on into a lower-case word (text wrapped to a width: "… de la paix et\nla cohésion sociale")."""
    spans = []
    for block in re.finditer(r"[^\n]+(?:\n(?=[a-zà-ÿ(«“\"])[^\n]+)*", text):
        start = block.start()
        for stop in re.finditer(r"(?<=[.!?])\s+(?=[«\"“A-ZÀ-Ý0-9])", block.group()):
            end = block.start() + stop.start()
            if not re.search(r"\b(?:M|Me|Mme|Dr|St|Mr|Mrs|Ms|No|n°)\.$", text[start:end]):
                spans.append((start, end))
                start = block.start() + stop.end()
        spans.append((start, block.end()))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def clause(text: str, sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """The shortest clause of the sentence holding text[start:end]: out to the nearest , ; : or parenthesis boundary
    on each side that is not inside the span, trimmed of spaces and leading punctuation."""
    lo, hi = sentence
    left = max((m.end() for m in re.finditer(r"[,;:]\s|\s[–—-]\s", text[lo:start])), default=0) + lo
    right_m = re.search(r"[,;:](?=\s)|[.!?]$", text[end:hi])
    right = end + right_m.start() if right_m else hi
    while left < start and text[left] in " ,;:":
        left += 1
    right = max(right, end)
    while right > end and text[right - 1].isspace():
        right -= 1
    return _at_most(text, left, right, start, end)


MAX_QUOTE = 280  # the package takes 300 characters of evidence


def _at_most(text: str, left: int, right: int, start: int, end: int) -> tuple[int, int]:
    """A quote longer than MAX_QUOTE narrowed around the fact to whole words, still a span of the text."""
    if right - left <= MAX_QUOTE:
        return left, right
    end = min(end, start + MAX_QUOTE)
    spare = MAX_QUOTE - (end - start)
    left = max(left, start - spare // 3)
    right = min(right, end + spare - (start - left))
    while left < start and left > 0 and not text[left - 1].isspace():
        left += 1
    while end < right < len(text) and not text[right].isspace():  # at the text's end, the last word is whole
        right -= 1
    return left, right
