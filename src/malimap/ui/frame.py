"""What every page shares: page config, language, presenter mode, the shared data (cached per server) and the filters."""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from malimap import config
from malimap.catalogue.build import Catalogue
from malimap.catalogue.cache import served_catalogue, served_dataset, served_stamp
from malimap.counts.filters import (
    FILTERS,
    Filters,
    apply_filters,
    describe_filters,
    national_excluded,
    spec_choices,
    undated_excluded,
)
from malimap.dataset import DatasetError
from malimap.i18n import LANGS, normalise_lang, plain, t
from malimap.ui.state import (
    clear_filters,
    linked,
    params,
    remember,
    shared_params,
    url_multiselect,
    url_range,
    url_selectbox,
    url_toggle,
)

PRESENTER_CSS = """
<style>
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.35rem; line-height: 1.5; }
[data-testid="stWidgetLabel"] p { font-size: 1.15rem; }
[data-testid="stSelectbox"] input, [data-testid="stMultiSelect"] input { font-size: 1.15rem !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 1.3rem !important; }
h1, h1 * { font-size: 3rem !important; } h2, h2 * { font-size: 2.2rem !important; } h3, h3 * { font-size: 1.8rem !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 3.2rem !important; line-height: 1.2; }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * { font-size: 1.3rem !important; }
</style>
"""
BASE_CSS = """
<style>
.block-container { padding-top: 2rem; }
[data-testid="stMetricValue"] { font-size: 2.2rem; }
[data-testid="InputInstructions"] { display: none; }  /* Streamlit's "Press Enter to apply" is English on a French page */
</style>
"""
PAGES = {
    "home": "app.py",
    "map": "pages/1_Carte_Map.py",
    "timeline": "pages/2_Chronologie_Timeline.py",
    "years": "pages/7_Regions_Annees_Years.py",
    "gaps": "pages/8_Besoins_Gaps.py",
    "funders": "pages/3_Bailleurs_Funders.py",
    "orgs": "pages/4_Organisations.py",
    "data": "pages/5_Donnees_Data.py",
    "about": "pages/6_A_propos_About.py",
}


@dataclass(frozen=True)
class Frame:
    page: str
    lang: str
    presenter: bool
    catalogue: Catalogue
    filters: Filters
    filtered: pd.DataFrame
    sentence: str


def _args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--data")
    ap.add_argument("--public", action="store_true")
    return ap.parse_known_args(sys.argv[1:])[0]


def data_dir() -> Path:
    """`streamlit run app.py -- --data PATH` wins over MALIMAP_DATA_DIR, which wins over the shipped data/."""
    args = _args()
    return Path(args.data) if args.data else config.data_dir()


def public_mode() -> bool:
    """`-- --public` or MALIMAP_PUBLIC=1: sensitive places and organisations are withheld everywhere. A MALIMAP_PUBLIC
    that is neither yes nor no stops the page with the reason: nothing is served on a guess."""
    try:
        return _args().public or config.public_setting()
    except config.SettingError as exc:
        st.error(str(exc))
        st.stop()
        raise AssertionError("st.stop() returns only in bare mode") from exc


def _stamp() -> str:
    return served_stamp(data_dir())


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_dataset(data: str, stamp: str, public: bool = False):
    """Shared by every session: loaded and validated once per dataset and boundary version (then made public if asked)."""
    return served_dataset(Path(data), public)


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_catalogue(data: str, stamp: str, public: bool = False) -> Catalogue:
    """Shared by every session: boundaries and joins are built once (or read back from the cache), then only read."""
    return served_catalogue(Path(data), public, lambda: _cached_dataset(data, stamp, public))


def forget_shared_data() -> None:
    """Drop the server's in-memory dataset and catalogue (the next run loads them again): for tests and admin tools."""
    _cached_catalogue.clear()
    _cached_dataset.clear()


def shared_dataset():
    """The server's validated dataset (what an upload is added to)."""
    return _cached_dataset(str(data_dir()), _stamp(), public_mode())


def shared_catalogue() -> Catalogue:
    return _cached_catalogue(str(data_dir()), _stamp(), public_mode())


def withheld(issue) -> str:
    """A problem as public mode may show it: file, row, column and the kind of error, with every quoted value removed."""
    kind = re.sub(r"'[^']*'|\"[^\"]*\"|«[^»]*»", "'…'", issue.message)
    where = (
        issue.file
        + (f", row {issue.row}" if issue.row is not None else "")
        + (f", column '{issue.column}'" if issue.column else "")
    )
    return f"{issue.severity.upper()} {where}: {kind}"


def get_catalogue(lang: str) -> Catalogue:
    """The shared catalogue, or this session's own when the user has added an upload (never written to disk)."""
    if "upload" in st.session_state:
        return st.session_state["upload"]["catalogue"]
    try:
        return shared_catalogue()
    except DatasetError as exc:
        errors = [i for i in exc.issues if i.severity == "error"]
        public = public_mode()  # where and what kind of error, never a value a sensitive row holds, nor a server path
        st.error(t("error.dataset", lang, path=data_dir().name if public else str(data_dir()), n=len(errors)))
        st.code("\n".join(withheld(i) if public else str(i) for i in errors[:50]), language=None)
        st.stop()
    except FileNotFoundError as exc:
        st.error(t("error.no_dataset", lang, error=str(exc)))
        st.stop()
    except config.SettingError as exc:  # public mode without a key it can keep: nothing served, the reason said
        st.error(str(exc))
        st.stop()
    raise AssertionError("st.stop() returns only in bare mode")


FILTERLESS_PAGES = {"about"}  # pages whose content no filter changes: the filters are kept in the link, not drawn


def page_frame(page: str) -> Frame:
    """Every page starts here: page config, language, presenter mode, data, and the shared filters (drawn only on pages
    they change: on the About page the sidebar's dozen widgets were a measured part of its load, for nothing)."""
    lang = normalise_lang(params().get("lang"))
    presenter = params().get("present") in config.TRUE_WORDS
    st.set_page_config(
        page_title=f"malimap · {t(f'page.{page}', lang)}",
        page_icon="🗺️",
        layout="wide",
        initial_sidebar_state="collapsed" if presenter else "expanded",
    )
    st.markdown(BASE_CSS + (PRESENTER_CSS if presenter else ""), unsafe_allow_html=True)
    nav = st.sidebar.container()
    with st.sidebar:
        st.divider()
        lang = url_selectbox(
            lang, "lang", "Langue / Language", LANGS, {"fr": "Français", "en": "English"}.get, default=config.default_lang()
        )
        remember("lang", lang)  # always in the link: a shared view reopens in the language it was shown in
        presenter = url_toggle(lang, "present", t("sidebar.presenter", lang))
    catalogue = get_catalogue(lang)
    filters = sidebar_filters(catalogue, lang, widgets=page not in FILTERLESS_PAGES)
    filtered = apply_filters(catalogue, filters)
    sentence = describe_filters(filters, lang, catalogue)
    missing = undated_excluded(catalogue, filters)
    if missing:
        sentence += " " + t("filter.undated", lang, n=missing)
    national = national_excluded(catalogue, filters)
    if national:
        sentence += " " + t("filter.national", lang, n=national)
    for key, path in PAGES.items():
        nav.page_link(path, label=t(f"page.{key}", lang), query_params=shared_params())
    if catalogue.boundaries.warning:
        st.warning(t("boundaries.fallback", lang, reason=catalogue.boundaries.warning))
    if public_mode():
        st.caption("🔒 " + t("public.banner", lang))
    return Frame(page, lang, presenter, catalogue, filters, filtered, sentence)


def sidebar_filters(catalogue: Catalogue, lang: str, widgets: bool = True) -> Filters:
    """One widget per filter spec, in the specs' order; each sees the filters chosen above it (places cascade). Without
    widgets, the same filters are read from the link (kept for the next page) and the sidebar says where to change them."""
    filters = Filters()
    with st.sidebar:
        st.header(t("sidebar.filters", lang))
        if not widgets:
            st.caption(t("sidebar.filters_elsewhere", lang))
        for spec in FILTERS:
            options = spec_choices(spec, catalogue, filters)
            if not options:
                continue  # e.g. no commune boundaries, or every dated record in one year
            show, text = spec.show(catalogue, lang), t(spec.label, lang)
            value: object
            if not widgets:
                value = linked_value(spec, options)
            elif spec.widget == "multi":
                value = url_multiselect(lang, spec.param, text, options, show)
            elif spec.widget == "select":
                value = url_selectbox(lang, spec.param, text, options, show)
            else:
                lo, hi = options
                chosen = url_range(lang, spec.param, text, lo, hi)
                value = None if chosen == (lo, hi) else chosen
            filters = spec.set(filters, value)
    return filters


def linked_value(spec, options) -> object:
    """A filter's value as the link holds it, read as its widget would (state.linked), with the widget's defaults."""
    value = linked(spec.param, spec.widget, options)
    if spec.widget == "select":
        return options[0] if value is None else value
    if spec.widget == "range":
        return None if value == tuple(options) else value
    return value


def nothing_matches(frame: Frame) -> bool:
    """When the filters match no record: say so, repeat the filters, offer to clear them. True if the page is empty."""
    if len(frame.filtered):
        return False
    st.info(t("empty.sentence", frame.lang) + "  \n" + plain(frame.sentence))
    st.button(t("empty.clear", frame.lang), on_click=clear_filters, args=(frame.lang,), icon="✖️")
    return True


def header(frame: Frame, title_key: str, intro_key: str | None = None) -> None:
    st.title(t(title_key, frame.lang))
    if intro_key:
        st.markdown(t(intro_key, frame.lang))
    st.caption(plain(frame.sentence))


def boundaries_note(frame: Frame) -> None:
    """Which boundaries are active, their vintage and attribution (overview and about pages)."""
    b, lang = frame.catalogue.boundaries, frame.lang
    st.markdown(
        t(
            f"home.boundaries_{b.source}",
            lang,
            vintage=b.vintage,
            n=len(b.units),
            levels=", ".join(t(f"level.{lv}", lang) for lv in b.levels),
        )
    )
    st.caption(plain(b.attribution))


def _layers_stamp() -> str:
    root = config.cache_dir() / "layers"
    return ";".join(f"{p}:{p.stat().st_mtime_ns}" for p in sorted(root.glob("*/meta.json"))) if root.is_dir() else ""


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_layers(stamp: str):
    from malimap.sheets.need_layers import cached_layers

    return cached_layers()


def need_layer(lang: str):
    """The need layer in use (chosen in the URL when several are imported), or None."""
    layers = _cached_layers(_layers_stamp())
    if not layers:
        return None
    names = [layer.name for layer in layers]
    if len(layers) == 1:
        return layers[0]
    with st.sidebar:
        chosen = url_selectbox(lang, "layer", t("gaps.layer", lang), names, str)
    return layers[names.index(chosen)]
