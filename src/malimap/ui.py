"""The one module that imports Streamlit: page frame, cached loaders, shared sidebar widgets bound to the URL."""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from . import config
from .aggregate import located
from .boundaries import active_boundaries
from .dataset import DatasetError, load_dataset
from .gazetteer import fold
from .filters import ROLE_ANY, Filters, apply_filters, describe_filters, undated_excluded
from .i18n import LANGS, colon, label, normalise_lang, semicolon, summary_column, t, theme_label, title_column
from .joins import Catalogue, build_catalogue
from .schema import enum_values

PRESENTER_CSS = """
<style>
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.35rem; line-height: 1.5; }
[data-testid="stWidgetLabel"] p { font-size: 1.15rem; }
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
</style>
"""
PAGES = {"home": "app.py", "map": "pages/1_Carte_Map.py", "timeline": "pages/2_Chronologie_Timeline.py",
         "years": "pages/7_Regions_Annees_Years.py", "gaps": "pages/8_Besoins_Gaps.py",
         "funders": "pages/3_Bailleurs_Funders.py", "orgs": "pages/4_Organisations.py", "data": "pages/5_Donnees_Data.py",
         "about": "pages/6_A_propos_About.py"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&])")


def searchable(name: str) -> str:
    """A place name as a picker shows it: the official accents, decomposed so that typing 'Segou' finds 'Ségou'.

    Streamlit's option search compares characters one by one; in the decomposed form the letter and its accent are two
    characters, so the unaccented spelling is a subsequence of the label while the screen shows the same word.
    """
    return unicodedata.normalize("NFD", name)


def plain(text) -> str:
    """Data text made inert for st.markdown: every Markdown/HTML character escaped, so it shows exactly as written."""
    return _MD_SPECIAL.sub(r"\\\1", "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text))


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
    """`-- --public` or MALIMAP_PUBLIC=1: sensitive places and organisations are withheld everywhere."""
    return _args().public or config.setting("public") in ("1", "true", "True")


def _boundary_stamp() -> str:
    meta = config.cache_dir() / "cod-ab" / "meta.json"
    return f"{meta}:{meta.stat().st_mtime_ns}" if meta.exists() else "embedded"


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_dataset(data: str, stamp: str, public: bool = False):
    """Shared by every session: loaded and validated once per dataset and boundary version (then made public if asked)."""
    units = active_boundaries().units
    ds = load_dataset(data, units=units)
    if public:
        from .public import public_dataset

        ds = public_dataset(ds, units, coarsen_to=int(config.setting("public_level")))
    return ds


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_catalogue(data: str, stamp: str, public: bool = False) -> Catalogue:
    """Shared by every session: boundaries and joins are built once, then only read."""
    return build_catalogue(_cached_dataset(data, stamp, public), active_boundaries())


def get_catalogue(lang: str) -> Catalogue:
    """The shared catalogue, or this session's own when the user has added an upload (never written to disk)."""
    if "upload" in st.session_state:
        return st.session_state["upload"]["catalogue"]
    try:
        return _cached_catalogue(str(data_dir()), _boundary_stamp(), public_mode())
    except DatasetError as exc:
        errors = [i for i in exc.issues if i.severity == "error"]
        st.error(t("error.dataset", lang, path=str(data_dir()), n=len(errors)))
        st.code("\n".join(str(i) for i in errors[:50]), language=None)
        st.stop()
    except FileNotFoundError as exc:
        st.error(t("error.no_dataset", lang, error=str(exc)))
        st.stop()


MAX_CARDS = 50
MAX_TABLE_ROWS = 2_000
SHARED_PARAMS = ("lang", "present", "org", "role", "funder", "theme", "kind", "years", "region", "cercle", "commune", "status")


def _params() -> dict[str, str]:
    """The view's state as URL parameters (ids, never translated labels), seeded once per session from the opened link."""
    if "_params" not in st.session_state:
        st.session_state["_params"] = {k: v for k, v in st.query_params.to_dict().items() if isinstance(v, str)}
    return st.session_state["_params"]


def _remember(name: str, value: str | None) -> None:
    params = _params()
    if value in (None, ""):
        params.pop(name, None)
        if name in st.query_params:
            del st.query_params[name]
    else:
        params[name] = value
        if st.query_params.get(name) != value:
            st.query_params[name] = value


def url_multiselect(lang: str, name: str, label_text: str, options, fmt) -> list:
    """A multiselect whose chosen ids live in the URL; keyed per language so switching language keeps the choice."""
    options = list(options)
    wanted = [v for v in _params().get(name, "").split(",") if v in options]
    value = st.multiselect(label_text, options, default=wanted, key=f"{name}:{lang}", format_func=fmt,
                           placeholder=t("filter.placeholder", lang))
    _remember(name, ",".join(value))
    return value


def url_selectbox(lang: str, name: str, label_text: str, options, fmt, default=None, **kw):
    options = list(options)
    fallback = default if default in options else options[0]
    raw = _params().get(name)
    current = next((o for o in options if str(o) == raw), fallback)
    value = st.selectbox(label_text, options, index=options.index(current), key=f"{name}:{lang}", format_func=fmt, **kw)
    _remember(name, None if value == fallback else str(value))
    return value


def url_choice(lang: str, name: str, label_text: str, options, fmt, placeholder: str, chosen: str | None = None):
    """A selectbox that may be empty; `chosen` (e.g. a clicked map unit) replaces the current value."""
    options = list(options)
    key = f"{name}:{lang}"
    if st.session_state.get(key) is not None and st.session_state[key] not in options:
        del st.session_state[key]  # e.g. a region chosen before switching the map to communes
    if chosen in options:
        st.session_state[key] = chosen
    if key in st.session_state:
        value = st.selectbox(label_text, options, key=key, format_func=fmt, placeholder=placeholder)
    else:
        raw = _params().get(name)
        value = st.selectbox(label_text, options, index=options.index(raw) if raw in options else None, key=key,
                             format_func=fmt, placeholder=placeholder)
    _remember(name, value)
    return value


def chosen_unit(lang: str) -> str | None:
    """The unit picked in the map page's list, or the one the opened link names."""
    return st.session_state.get(f"unit:{lang}") or _params().get("unit")


def url_toggle(lang: str, name: str, label_text: str, default: bool = False, **kw) -> bool:
    raw = _params().get(name)
    current = default if raw is None else raw in ("1", "true", "True")
    value = st.toggle(label_text, value=current, key=f"{name}:{lang}", **kw)
    _remember(name, None if value == default else ("1" if value else "0"))
    return value


def url_range(lang: str, name: str, label_text: str, lo: int, hi: int) -> tuple[int, int]:
    try:
        a, b = (int(x) for x in _params().get(name, "").split("-"))
        current = (max(lo, min(a, hi)), max(lo, min(b, hi)))
    except ValueError:
        current = (lo, hi)
    value = st.slider(label_text, lo, hi, current, key=f"{name}:{lang}")
    _remember(name, None if tuple(value) == (lo, hi) else f"{value[0]}-{value[1]}")
    return int(value[0]), int(value[1])


def page_frame(page: str) -> Frame:
    """Every page starts here: page config, language, presenter mode, data, and the shared filters."""
    params = _params()
    lang = normalise_lang(params.get("lang") or config.setting("default_lang"))
    presenter = params.get("present") in ("1", "true", "True")
    st.set_page_config(page_title=f"malimap · {t(f'page.{page}', lang)}", page_icon="🗺️", layout="wide",
                       initial_sidebar_state="collapsed" if presenter else "expanded")
    st.markdown(BASE_CSS + (PRESENTER_CSS if presenter else ""), unsafe_allow_html=True)
    nav = st.sidebar.container()
    with st.sidebar:
        st.divider()
        lang = url_selectbox(lang, "lang", "Langue / Language", LANGS, {"fr": "Français", "en": "English"}.get,
                             default=config.setting("default_lang"))
        _remember("lang", lang)  # always in the link: a shared view reopens in the language it was shown in
        presenter = url_toggle(lang, "present", t("sidebar.presenter", lang))
    catalogue = get_catalogue(lang)
    filters = sidebar_filters(catalogue, lang)
    filtered = apply_filters(catalogue, filters)
    sentence = describe_filters(filters, lang, catalogue)
    missing = undated_excluded(catalogue, filters)
    if missing:
        sentence += " " + t("filter.undated", lang, n=missing)
    shared = {k: v for k, v in _params().items() if k in SHARED_PARAMS}
    for key, path in PAGES.items():
        nav.page_link(path, label=t(f"page.{key}", lang), query_params=shared)
    if catalogue.boundaries.warning:
        st.warning(t("boundaries.fallback", lang, reason=catalogue.boundaries.warning))
    if public_mode():
        st.caption("🔒 " + t("public.banner", lang))
    return Frame(page, lang, presenter, catalogue, filters, filtered, sentence)


def _names(df: pd.DataFrame, key: str = "id", value: str = "name") -> dict[str, str]:
    return dict(zip(df[key], df[value]))


def _pick(lang: str, label_key: str, options, key: str, fmt) -> list:
    return url_multiselect(lang, key, t(label_key, lang), options, fmt)


def sidebar_filters(catalogue: Catalogue, lang: str) -> Filters:
    iv = catalogue.interventions
    orgs = catalogue.organisations.sort_values("name", key=lambda s: s.str.lower())
    org_name = _names(orgs).get
    funder_ids = sorted({f for ids in iv["all_funder_ids"] for f in ids}, key=lambda o: (org_name(o) or o).lower())
    units = catalogue.boundaries.units
    def unit(pcode: str, default: str | None = None) -> str:
        return searchable(catalogue.unit_names.get(pcode, pcode if default is None else default))

    with st.sidebar:
        st.header(t("sidebar.filters", lang))
        organisations = _pick(lang, "filter.organisation", orgs["id"], "org", org_name)
        roles = (ROLE_ANY, *enum_values("participations", "role"))
        role = url_selectbox(lang, "role", t("filter.role", lang), roles,
                             lambda r: t("filter.role_any", lang) if r == ROLE_ANY else label("role", r, lang))
        funders = _pick(lang, "filter.funder", funder_ids, "funder", org_name)
        themes = _pick(lang, "filter.theme", catalogue.themes["code"], "theme", lambda c: theme_label(c, lang, catalogue.themes))
        kinds = _pick(lang, "filter.kind", enum_values("interventions", "kind"), "kind", lambda k: label("kinds", k, lang))
        year_from = year_to = None
        years = iv[["year_start", "year_end"]].stack().dropna()
        if len(years) and years.min() < years.max():
            lo, hi = int(years.min()), int(years.max())
            chosen = url_range(lang, "years", t("filter.years", lang), lo, hi)
            if chosen != (lo, hi):
                year_from, year_to = int(chosen[0]), int(chosen[1])
        regions = _pick(lang, "filter.region", units.loc[units["level"] == 1, "pcode"], "region", unit)
        in_regions = units["pcode"].str[:4].isin(regions) if regions else True
        cercles = _pick(lang, "filter.cercle", units.loc[(units["level"] == 2) & in_regions, "pcode"], "cercle",
                        lambda p: f"{unit(p, p)} ({unit(p[:4], '')})")
        communes: list[str] = []
        if (units["level"] == 3).any():
            scope = cercles or regions
            in_scope = units["pcode"].str[: len(scope[0])].isin(scope) if scope else True
            communes = _pick(lang, "filter.commune", units.loc[(units["level"] == 3) & in_scope, "pcode"], "commune",
                             lambda p: f"{unit(p, p)} ({unit(p[:6], '')})")
        statuses = _pick(lang, "filter.status", enum_values("interventions", "status"), "status", lambda v: label("status", v, lang))
    return Filters(organisations=tuple(organisations), role=role, funders=tuple(funders), themes=tuple(themes),
                   kinds=tuple(kinds), year_from=year_from, year_to=year_to, regions=tuple(regions), cercles=tuple(cercles),
                   communes=tuple(communes), statuses=tuple(statuses))


FILTER_PARAMS = ("org", "role", "funder", "theme", "kind", "years", "region", "cercle", "commune", "status")


def _clear_filters(lang: str) -> None:
    """Button callback (runs before the widgets are drawn again): every filter back to 'all', in the URL too."""
    for name in FILTER_PARAMS:
        _remember(name, None)
        st.session_state.pop(f"{name}:{lang}", None)


def nothing_matches(frame: Frame) -> bool:
    """When the filters match no record: say so, repeat the filters, offer to clear them. True if the page is empty."""
    if len(frame.filtered):
        return False
    st.info(t("empty.sentence", frame.lang) + "  \n" + plain(frame.sentence))
    st.button(t("empty.clear", frame.lang), on_click=_clear_filters, args=(frame.lang,), icon="✖️")
    return True


def header(frame: Frame, title_key: str, intro_key: str | None = None) -> None:
    st.title(t(title_key, frame.lang))
    if intro_key:
        st.markdown(t(intro_key, frame.lang))
    st.caption(plain(frame.sentence))


def display_titles(frame: Frame, df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["title_display"] = out[title_column(frame.lang)].where(out[title_column(frame.lang)].astype(bool), out["title"])
    return out


def intervention_card(frame: Frame, row: pd.Series) -> None:
    """One record as a reader needs it: title, kind, dates, organisations by role, places, source and quote."""
    lang = frame.lang
    from .charts import date_text

    with st.container(border=True):
        st.markdown(f"**{plain(row[title_column(lang)] or row['title'])}**  \n"
                    f"{plain(label('kinds', row['kind'], lang))} · {plain(label('status', row['status'], lang))} · "
                    f"{plain(date_text(row, lang))}")
        if row.get(summary_column(lang)):
            st.markdown(plain(row[summary_column(lang)]))
        cat, c = frame.catalogue, colon(lang)
        parts = cat.participations
        mine = parts[parts["intervention_id"] == row["id"]]
        lines = [f"{plain(label('role', r, lang))}{c}{plain('; '.join(g['organisation']))}" for r, g in mine.groupby("role")]
        if row.get("inherited_funders"):
            lines.append(f"{plain(t('card.inherited_funders', lang))}{c}{plain(row['inherited_funders'])}")
        loc = located(cat, row.to_frame().T, reach=("activity", "beneficiaries", "participants_from"))
        if len(loc):
            lines.append(f"{plain(t('card.places', lang))}{c}" + plain(semicolon(lang).join(
                f"{p} ({label('reach', r, lang)})" for p, r in zip(loc["place_name"], loc["reach"]))))
        if row.get("parent_id"):
            parent = cat.interventions.loc[cat.interventions["id"] == row["parent_id"]]
            if len(parent):
                p = parent.iloc[0]
                lines.append(f"{plain(t('card.part_of', lang))}{c}{plain(p[title_column(lang)] or p['title'])}")
        st.markdown("  \n".join(lines))
        st.markdown(f"> {plain(row['evidence'])}  \n— {plain(t('card.source', lang))}{c}{plain(source_text(cat, row['source_id'], lang))}")
        if row.get("notes"):
            st.caption(plain(row["notes"]))


def source_text(catalogue: Catalogue, source_id: str, lang: str) -> str:
    """A source as a reader cites it: publisher, title, date; the seed file name last, as the detail."""
    row = catalogue.sources.loc[catalogue.sources["id"] == source_id]
    if row.empty:
        return source_id
    s = row.iloc[0]
    title = str(s["title"] or "")
    if title.isupper():  # shouting headlines as published: shown in sentence case
        title = title[:1] + title[1:].lower()
    return t("card.source_text", lang, publisher=s["publisher"] or t("about.unknown_publisher", lang), title=title,
             date=s["published"] or t("about.undated", lang), file=s["file"])


def elsewhere(frame: Frame, items: pd.DataFrame) -> None:
    """Places no polygon can hold: abroad, Mali as a whole, country unknown, P-code not in the boundaries. Listed, never lost."""
    report = frame.catalogue.report
    titles = dict(zip(items["id"], items["title_display"]))
    for key, df in (("outside", report.outside_mali), ("country_wide", report.country_wide),
                    ("unknown_country", report.unknown_country), ("unmatched", report.unmatched)):
        rows = df[df["intervention_id"].isin(items["id"])]
        if rows.empty:
            continue
        st.subheader(t(f"map.{key}", frame.lang, n=rows["intervention_id"].nunique()))
        st.markdown("\n".join(f"- {plain(titles[r.intervention_id])} — {plain(r.place_name)}"
                              + (f" ({plain(r.country)})" if r.country else "") for r in rows.itertuples()))


def upload_panel(frame: Frame) -> None:
    """Data page: add a 3W sheet to this session's view; show accepted, rejected (downloadable) and unresolved rows."""
    from .gazetteer import Gazetteer
    from .upload import UploadError, ingest, read_table, rejected_csv, template_csv

    lang, cat = frame.lang, frame.catalogue
    st.subheader(t("upload.title", lang))
    st.markdown(t("upload.intro", lang))
    st.download_button(t("upload.template", lang), template_csv(), "malimap-3w-template.csv", "text/csv")
    file = st.file_uploader(t("upload.file", lang), type=["csv", "xlsx"], key="upload_file")
    if file is not None and st.session_state.get("upload", {}).get("name") != file.name + str(file.size):
        base = _cached_catalogue(str(data_dir()), _boundary_stamp(), public_mode())
        try:
            table = read_table(file.name, file.getvalue())
        except UploadError as exc:
            st.error(str(exc))
            return
        result = ingest(table, _cached_dataset(str(data_dir()), _boundary_stamp(), public_mode()), Gazetteer(base.boundaries.units),
                        file.name)
        st.session_state["upload"] = {"name": file.name + str(file.size), "result": result,
                                      "catalogue": build_catalogue(result.dataset, base.boundaries)}
        st.rerun()
    if "upload" in st.session_state:
        result = st.session_state["upload"]["result"]
        c1, c2, c3 = st.columns(3)
        c1.metric(t("upload.accepted", lang), len(result.accepted))
        c2.metric(t("upload.rejected", lang), result.rejected["row"].nunique() if len(result.rejected) else 0)
        c3.metric(t("upload.unresolved", lang), len(result.unresolved))
        if len(result.rejected):
            st.dataframe(result.rejected[["row", "column", "value", "error"]], hide_index=True, width="stretch")
            st.download_button(t("upload.rejected_download", lang), rejected_csv(result), "malimap-rejected-rows.csv", "text/csv")
        if len(result.unresolved):
            st.dataframe(result.unresolved, hide_index=True, width="stretch")
        if st.button(t("upload.remove", lang)):
            del st.session_state["upload"]
            st.rerun()



@st.cache_resource(show_spinner=False)
def _mapview_component(folder: str):
    """Declared once per server: Streamlit serves the folder's page, script and geometry files to the browser."""
    from .maps import publish_web

    return components.declare_component("mapview", path=str(publish_web(Path(folder))))


def geometry_ref(catalogue: Catalogue, level: int) -> dict[str, str]:
    """The URL (relative to the component) and cache key of a level's geometry, written on first use."""
    from .maps import publish_geometry

    return publish_geometry(config.web_dir(), catalogue.boundaries.layers[level], level)


def map_click(key: str = "map") -> str | None:
    """The P-code of a unit the user has just clicked (once per click), read before the map is built so it is drawn selected."""
    value = st.session_state.get(key)
    seen = st.session_state.get(f"_{key}_seq")
    if not isinstance(value, dict) or value.get("seq") == seen:
        return None
    st.session_state[f"_{key}_seq"] = value.get("seq")
    return value.get("unit")


def map_view(spec: dict, key: str = "map") -> None:
    _mapview_component(str(config.web_dir()))(spec=spec, key=key, default=None)


def _layers_stamp() -> str:
    root = config.cache_dir() / "layers"
    return ";".join(f"{p}:{p.stat().st_mtime_ns}" for p in sorted(root.glob("*/meta.json"))) if root.is_dir() else ""


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_layers(stamp: str):
    from .needs import cached_layers

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


def map_controls(frame: Frame, default_level: int, with_needs: bool = False):
    """The map's own choices, bound to the URL: in one row, or folded into an expander for presenting."""
    from .coverage import MEASURES, NEED_MEASURES, MapOptions

    lang, levels = frame.lang, frame.catalogue.boundaries.levels
    box = st.expander(t("map.settings", lang)) if frame.presenter else st.container()
    with box:
        c1, c2, c3, c4 = st.columns(4)
        with c1:
            level = url_selectbox(lang, "level", t("map.level", lang), levels, lambda lv: label("level", str(lv), lang),
                                  default=default_level)
        with c2:
            measure = url_selectbox(lang, "measure", t("map.measure", lang), MEASURES + (NEED_MEASURES if with_needs else ()),
                                    lambda m: t(f"measure.{m}", lang))
        with c3:
            gaps = url_toggle(lang, "gaps", t("map.gaps", lang))
            beneficiaries = url_toggle(lang, "benef", t("map.beneficiaries", lang))
        with c4:
            pinned = url_toggle(lang, "pin", t("map.pinned", lang), help=t("map.pinned_help", lang))
            tiles = url_toggle(lang, "tiles", t("map.tiles", lang), help=t("map.tiles_help", lang))
    return MapOptions(level=level, measure=measure, beneficiaries=beneficiaries, pinned=pinned), gaps, tiles


MAX_UNIT_CARDS = 10


def unit_panel(frame: Frame, items: pd.DataFrame, options, coverage, clicked: str | None) -> str | None:
    """The side panel: pick a unit (or take the clicked one), see what it holds in numbers, read its first records."""
    from .coverage import NATIONAL, items_in_unit, unit_summary

    lang, cat = frame.lang, frame.catalogue
    # names only, in name order: the list stays the same message across filter changes, so Streamlit sends a reference
    names = {**cat.unit_names, NATIONAL: t("map.national_name", lang)}
    codes = list(coverage.units.sort_values("name", key=lambda s: s.map(fold))["pcode"]) + list(coverage.coarse["pcode"])
    if sum(coverage.national):
        codes.append(NATIONAL)
    parent = {4: 0, 6: 4, 8: 6}

    def label_of(p: str) -> str:
        cut = parent.get(len(p), 0)
        return searchable(f"{names.get(p, p)} ({names.get(p[:cut], p[:cut])})" if cut else names.get(p, p))

    unit = url_choice(lang, "unit", t("map.unit", lang), codes, label_of, t("map.unit_placeholder", lang), chosen=clicked)
    if not unit:
        return None
    inside = items_in_unit(cat, items, unit, options)
    word = t("map.records.one" if len(inside) == 1 else "map.records.other", lang)
    st.subheader(t("map.unit_heading", lang, name=names.get(unit, unit), n=len(inside), records=word))
    summary = unit_summary(inside)
    org_names = _names(cat.organisations)
    lines = [f"**{t('map.by_kind', lang)}** · " + plain(", ".join(f"{label('kinds', k, lang)} {n}" for k, n in summary["kinds"].items())),
             f"**{t('map.by_year', lang)}** · " + plain(", ".join(f"{y}: {n}" for y, n in summary["per_year"].items())
                                                       + (f"; {t('map.undated', lang, n=summary['undated'])}" if summary["undated"] else "")),
             f"**{t('map.by_org', lang)}** · " + plain(", ".join(f"{org_names.get(o, o)} ({n})" for o, n in summary["organisations"].items()))]
    st.markdown("  \n".join(lines))
    level_param = {4: "region", 6: "cercle", 8: "commune"}.get(len(unit))
    if level_param and len(inside) > MAX_UNIT_CARDS:
        shared = {k: v for k, v in _params().items() if k in SHARED_PARAMS and k not in ("region", "cercle", "commune")}
        st.page_link(PAGES["data"], label=t("map.all_records", lang, n=len(inside), name=names.get(unit, unit)),
                     query_params={**shared, level_param: unit}, icon="📄")
    shown = inside.sort_values("date_lo", na_position="last").head(MAX_UNIT_CARDS)
    if len(inside) > len(shown):
        st.caption(t("map.cards_shown", lang, shown=len(shown), total=len(inside)))
    for _, row in shown.iterrows():
        intervention_card(frame, row)
    return unit


def gap_list(frame: Frame, coverage) -> None:
    """Units with nothing recorded: their names when few, else how many per region (700 names help nobody)."""
    lang, units = frame.lang, coverage.units
    gaps = units[units["value"] == 0]
    levels = t(f"level_plural.{coverage.level}", lang)
    with st.expander(t("map.gap_list", lang, n=len(gaps), levels=levels)):
        if len(gaps) <= 60:
            st.markdown(plain(", ".join(gaps["name"].sort_values(key=lambda s: s.map(fold)))) or "—")
            return
        region = gaps["pcode"].str[:4]
        total = units["pcode"].str[:4].value_counts()
        per = region.value_counts()
        st.markdown(plain("; ".join(t("map.gaps_in_region", lang, name=frame.catalogue.unit_names.get(r, r), n=n, total=total[r])
                                    for r, n in sorted(per.items(), key=lambda kv: fold(frame.catalogue.unit_names.get(kv[0], kv[0]))))))


def gap_screen_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ranking as a reader sees it: headings in the page's language, 'nothing recorded' said in words."""
    cols = ["rank", "name", "in_need", "population", "initiatives", "planned", "organisations", "funders", "last_year",
            "need_per_initiative", "basis"]
    out = table[cols].copy()
    out["need_per_initiative"] = out["need_per_initiative"].map(
        lambda v: t("gaps.nothing", lang) if v == float("inf") else ("" if pd.isna(v) else f"{v:,.0f}"))
    out["basis"] = out["basis"].map(lambda b: t(f"gaps.basis.{b}", lang))
    return out.rename(columns={c: t(f"gaps.col.{c}", lang) for c in cols})


def boundaries_note(frame: Frame) -> None:
    """Which boundaries are active, their vintage and attribution (overview and about pages)."""
    b, lang = frame.catalogue.boundaries, frame.lang
    st.markdown(t(f"home.boundaries_{b.source}", lang, vintage=b.vintage, n=len(b.units),
                  levels=", ".join(t(f"level.{lv}", lang) for lv in b.levels)))
    st.caption(plain(b.attribution))
