"""The view's state in the URL: widgets whose values are ids in the link, so a shared link reopens the same view."""

from __future__ import annotations

import streamlit as st

from malimap import config
from malimap.counts.filter_words import typed_matches
from malimap.counts.filters import FILTER_PARAMS
from malimap.i18n import plain, t

# Parameters a link to another page keeps: language, presenter mode and every filter.
SHARED_PARAMS = ("lang", "present", *FILTER_PARAMS)


def params() -> dict[str, str]:
    """The view's state as URL parameters (ids, never translated labels), seeded once per session from the opened link."""
    if "_params" not in st.session_state:
        st.session_state["_params"] = {k: v for k, v in st.query_params.to_dict().items() if isinstance(v, str)}
    return st.session_state["_params"]


def shared_params(*leave_out: str) -> dict[str, str]:
    return {k: v for k, v in params().items() if k in SHARED_PARAMS and k not in leave_out}


def remember(name: str, value: str | None) -> None:
    state = params()
    if value in (None, ""):
        state.pop(name, None)
        if name in st.query_params:
            del st.query_params[name]
    else:
        state[name] = value
        if st.query_params.get(name) != value:
            st.query_params[name] = value


def linked(name: str, widget: str, options) -> object:
    """A value as the link holds it, checked against its options the way its widget reads it: a multi's known ids, a
    select's option (None when the link names none), a range's (lo, hi) kept inside its bounds (None when unreadable).
    The url_* widgets start from it, and a page that draws no filter widgets (About) reads the link through it."""
    raw = params().get(name, "")
    if widget == "multi":
        known = set(options)  # asked once per option: 701 communes, a list would make it quadratic
        return [v for v in raw.split(",") if v in known]
    if widget == "select":
        return next((o for o in options if str(o) == raw), None)
    lo, hi = options
    try:
        a, b = (int(x) for x in raw.split("-"))
    except ValueError:
        return None
    return max(lo, min(a, hi)), max(lo, min(b, hi))


def url_multiselect(lang: str, name: str, label_text: str, options, fmt) -> list:
    """A multiselect whose chosen ids live in the URL; keyed per language so switching language keeps the choice.
    Typed text that Streamlit's search did not match ('Seg' for Ségou) is read without accents (typed_choice)."""
    options = list(options)
    known = set(options)  # asked once per option when drawn: 701 communes, a list would make it quadratic
    key = f"{name}:{lang}"
    wanted = linked(name, "multi", options)
    value = st.multiselect(
        label_text,
        options,
        key=key,
        format_func=lambda o: fmt(o) if o in known else o,
        placeholder=t("filter.placeholder", lang),
        accept_new_options=True,
        select_all=False,  # Streamlit's own 'Select all' is English only, and 'all' is what an empty filter means
        on_change=typed_choice,
        args=(key, options, fmt),
        default=None if key in st.session_state else wanted,  # the widget's own state wins once it exists
    )
    _say_unmatched(key, lang)
    value = [v for v in value if v in known]
    remember(name, ",".join(value))
    return value


def typed_choice(key: str, options: list, fmt) -> None:
    """Replace what was typed by the options it names (filters.typed_matches); what names nothing is kept to be said."""
    value = st.session_state.get(key)
    many = isinstance(value, list)
    typed: list = value if isinstance(value, list) else [value]
    chosen, unmatched = [], []
    for v in typed:
        if v is None or v in options:
            chosen.append(v)
            continue
        found = typed_matches(str(v), options, fmt)
        if found:
            chosen.extend(found if many else found[:1])
        else:
            unmatched.append(str(v))
    st.session_state[key] = list(dict.fromkeys(chosen)) if many else (chosen[0] if chosen else None)
    st.session_state[f"_unmatched:{key}"] = unmatched


def _say_unmatched(key: str, lang: str) -> None:
    unmatched = st.session_state.pop(f"_unmatched:{key}", None)
    if unmatched:
        st.caption(t("filter.typed_none", lang, text=plain(", ".join(unmatched))))


def url_selectbox(lang: str, name: str, label_text: str, options, fmt, default=None, **kw):
    options = list(options)
    fallback = default if default in options else options[0]
    current = linked(name, "select", options)
    current = fallback if current is None else current
    value = st.selectbox(label_text, options, index=options.index(current), key=f"{name}:{lang}", format_func=fmt, **kw)
    remember(name, None if value == fallback else str(value))
    return value


def url_choice(lang: str, name: str, label_text: str, options, fmt, placeholder: str, chosen: str | None = None):
    """A selectbox that may be empty; `chosen` (e.g. a clicked map unit) replaces the current value."""
    options = list(options)
    known = set(options)
    key = f"{name}:{lang}"
    if st.session_state.get(key) is not None and st.session_state[key] not in known:
        del st.session_state[key]  # e.g. a region chosen before switching the map to communes
    if chosen in known:
        st.session_state[key] = chosen
    if key in st.session_state:
        index = None  # the widget's own state wins; Streamlit warns when both are given
    else:
        raw = params().get(name)
        index = options.index(raw) if raw in options else None
    value = st.selectbox(
        label_text,
        options,
        index=index,
        key=key,
        accept_new_options=True,
        on_change=typed_choice,
        args=(key, options, fmt),
        format_func=lambda o: fmt(o) if o in known else o,
        placeholder=placeholder,
    )
    _say_unmatched(key, lang)
    value = value if value in known else None
    remember(name, value)
    return value


def chosen_unit(lang: str) -> str | None:
    """The unit picked in the map page's list, or the one the opened link names."""
    return st.session_state.get(f"unit:{lang}") or params().get("unit")


def url_toggle(lang: str, name: str, label_text: str, default: bool = False, **kw) -> bool:
    raw = params().get(name)
    current = default if raw is None else raw in config.TRUE_WORDS
    value = st.toggle(label_text, value=current, key=f"{name}:{lang}", **kw)
    remember(name, None if value == default else ("1" if value else "0"))
    return value


def url_range(lang: str, name: str, label_text: str, lo: int, hi: int) -> tuple[int, int]:
    read = linked(name, "range", (lo, hi))
    current: tuple[int, int] = read if isinstance(read, tuple) else (lo, hi)
    value = st.slider(label_text, lo, hi, current, key=f"{name}:{lang}")
    remember(name, None if tuple(value) == (lo, hi) else f"{value[0]}-{value[1]}")
    return int(value[0]), int(value[1])


def clear_filters(lang: str) -> None:
    """Button callback (runs before the widgets are drawn again): every filter back to 'all', in the URL too."""
    for name in FILTER_PARAMS:
        remember(name, None)
        st.session_state.pop(f"{name}:{lang}", None)
