"""French and English for every interface string, theme, organisation type, role, kind and status."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from malimap.config import LANGS, default_lang

_DIR = Path(__file__).with_name("locales")


NBSP = "\u00a0"
_FRENCH_SPACING = re.compile(r"[ \u00a0]?([:;?!])(?=\s|$)")


def french_spacing(text: str) -> str:
    """French typography: a no-break space before : ; ? ! (never a line break between a word and its colon)."""
    return _FRENCH_SPACING.sub(NBSP + r"\1", text)


@lru_cache(maxsize=2)
def strings(lang: str) -> dict[str, str]:
    table = json.loads((_DIR / f"{lang}.json").read_text(encoding="utf-8"))
    return {k: french_spacing(v) for k, v in table.items()} if lang == "fr" else table


def colon(lang: str) -> str:
    """': ' as each language writes it between a label and its value."""
    return NBSP + ": " if normalise_lang(lang) == "fr" else ": "


def semicolon(lang: str) -> str:
    return NBSP + "; " if normalise_lang(lang) == "fr" else "; "


def amount(value: float, lang: str) -> str:
    """A sum of money as each language writes it: 1,000,000 in English, 1 000 000 in French (narrow no-break spaces)."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",") if normalise_lang(lang) == "fr" else text


def normalise_lang(lang: str | None) -> str:
    """The one language normaliser: a language we speak, else the server's default (MALIMAP_LANG, else French)."""
    return lang if lang in LANGS else default_lang()


def t(key: str, lang: str, **values) -> str:
    """The string for `key`; a missing key shows as [key] so a gap is visible, never silent."""
    text = strings(normalise_lang(lang)).get(key, f"[{key}]")
    return text.format(**values) if values else text


def label(group: str, code: str, lang: str) -> str:
    """Enum values (kind.event, role.funder, org_type.media, status.planned, level.2 ...) in the chosen language."""
    return strings(normalise_lang(lang)).get(f"{group}.{code}", str(code))


def theme_labels(themes, lang: str) -> dict[str, str]:
    """code -> the theme's name in this language, for labelling many values at once."""
    return dict(zip(themes["code"], themes["label_fr" if normalise_lang(lang) == "fr" else "label_en"]))


def theme_label(code: str, lang: str, themes) -> str:
    return theme_labels(themes, lang).get(code, code)


def title_column(lang: str) -> str:
    return "title_fr" if normalise_lang(lang) == "fr" else "title_en"


def summary_column(lang: str) -> str:
    return "summary_fr" if normalise_lang(lang) == "fr" else "summary_en"


def display_titles(df, lang: str):
    """The records with `title_display`: the curated title in this language, else the title as the source wrote it."""
    out = df.copy()
    out["title_display"] = out[title_column(lang)].where(out[title_column(lang)].astype(bool), out["title"])
    return out


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&])")


def plain(text) -> str:
    """Data text made inert for Markdown: every Markdown/HTML character escaped, so it shows exactly as written."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def composed(name: str) -> str:
    """A name as a picker shows it: composed (NFC), so that typing 'Ség' on a French keyboard finds 'Ségou'; typing
    'Seg' is matched without accents on the server (state.typed_choice), since Streamlit's search compares characters."""
    return unicodedata.normalize("NFC", name)
