"""Every page runs through AppTest; filters change numbers, language changes titles, a link restores the view."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit_csv
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["app.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]


def run(page: str, **params) -> AppTest:
    """Open `page` the way a browser does: app.py is the entrypoint, the page is switched to, the link's parameters set."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    if page != "app.py":
        at.switch_page(page)
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_page_runs(page, lang):
    at = run(page, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title and "[" not in at.title[0].value  # a missing translation shows as [key]


def test_filter_changes_the_numbers():
    at = run("app.py", lang="en")
    assert metrics(at)["Events"] == "14"
    at.multiselect(key="theme:en").set_value(["r2p"]).run()
    assert metrics(at)["Events"] == "1" and metrics(at)["Programmes"] == "0"
    assert "theme Responsibility to protect" in at.caption[0].value


def test_language_switch_changes_titles_and_keeps_filters():
    at = run("app.py", kind="event")
    assert at.title[0].value == "Interventions de consolidation de la paix au Mali"
    at.selectbox(key="lang:fr").set_value("en").run()
    assert at.title[0].value == "Peacebuilding interventions in Mali"
    assert at.multiselect(key="kind:en").value == ["event"]
    assert at.query_params["lang"] == ["en"] or at.query_params["lang"] == "en"


def test_link_restores_filters_and_view():
    at = run("pages/1_Carte_Map.py", lang="en", funder="usaid", years="2015-2018", measure="organisations", gaps="1")
    assert at.multiselect(key="funder:en").value == ["usaid"]
    assert at.slider(key="years:en").value == (2015, 2018)
    assert at.selectbox(key="measure:en").value == "organisations"
    assert at.toggle(key="gaps:en").value is True
    assert "funded by United States Agency for International Development" in at.caption[0].value
    assert "between 2015 and 2018" in at.caption[0].value


def test_bad_link_values_are_ignored():
    at = run("app.py", org="no-such-org,wanep-mali", years="x-y", level="9", lang="xx")
    assert not at.exception
    assert at.multiselect(key="org:fr").value == ["wanep-mali"]


def test_map_unit_lists_its_interventions():
    at = run("pages/1_Carte_Map.py", lang="en")
    at.selectbox(key="unit:en").set_value("ML06").run()
    assert not at.exception
    sub = [h.value for h in at.subheader]
    assert any(s.startswith("Tombouctou") for s in sub)
    assert any("3P/AMSS" in m.value for m in at.markdown)


def test_presenter_mode_from_link():
    at = run("pages/1_Carte_Map.py", lang="fr", present="1")
    assert at.toggle(key="present:fr").value is True
    assert not at.exception


def test_data_page_offers_three_downloads():
    at = run("pages/5_Donnees_Data.py", lang="en", region="ML06")
    assert not at.exception
    # the 3P project and the two grassroots records; the 3P lessons-learned workshop was held in Bamako and only its
    # participants came from Tombouctou (where participants came from is shown on the record, never filtered or counted)
    assert "**3** intervention(s)" in " ".join(m.value for m in at.markdown)


def test_corrupt_dataset_shows_error_not_traceback(tmp_path, monkeypatch):
    import shutil

    shutil.copytree(ROOT / "data", tmp_path / "data")
    p = tmp_path / "data" / "interventions.csv"
    p.write_text(p.read_text(encoding="utf-8").replace("programme,", "festival,", 1), encoding="utf-8")
    monkeypatch.setenv("MALIMAP_DATA_DIR", str(tmp_path / "data"))
    at = run("app.py", lang="en")
    assert not at.exception
    assert at.error and "error(s)" in at.error[0].value
    assert "interventions.csv, row 2, column 'kind'" in at.code[0].value


def _fragments(lang: str) -> set[str]:
    """Pieces of our strings that exist only in `lang` (placeholders cut out; short or shared words ignored)."""
    import re

    from malimap.i18n import strings

    mine, theirs = strings(lang), strings("en" if lang == "fr" else "fr")
    page_language = " ".join(theirs.values())
    out = set()
    for text in mine.values():
        for piece in re.split(r"\{[^}]*\}|[()«»“”:;.,\n`*]", text):
            piece = piece.strip(" -\u00a0")
            if len(piece) >= 14 and piece not in page_language:
                out.add(piece)
    return out


def _page_text(at: AppTest) -> str:
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "metric",
        "button",
        "expander",
        "toggle",
        "selectbox",
        "multiselect",
        "slider",
    ):
        for el in getattr(at, kind, []):
            for attr in ("value", "label", "body"):
                v = getattr(el, attr, None)
                if isinstance(v, str):
                    parts.append(v)
    # verbatim quotes from the sources stay in the language they were written in
    lines = "\n".join(parts).replace("\\", "").splitlines()
    return "\n".join(line for line in lines if not line.startswith(">"))


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_one_language_per_screen(page, lang):
    """A page in one language shows none of our strings of the other (with and without matches)."""
    foreign = _fragments("en" if lang == "fr" else "fr")
    assert len(foreign) > 50
    for params in ({}, {"theme": "r2p", "years": "2019-2019"}):
        text = _page_text(run(page, lang=lang, **params))
        shown = sorted(f for f in foreign if f in text)
        assert shown == [], (page, lang, params, shown)


@pytest.mark.parametrize("page", [p for p in PAGES if "A_propos" not in p])  # About does not depend on the filters
def test_empty_state_on_every_page(page):
    at = run(page, lang="en", theme="r2p", years="2019-2019")
    assert not at.exception
    assert any("No record matches these filters." in i.value for i in at.info), page
    assert any(b.label == "Clear all filters" for b in at.button), page
    assert not at.get("plotly_chart"), page  # no chart with an invented axis
    next(b for b in at.button if b.label == "Clear all filters").click().run()
    assert not any("No record matches" in i.value for i in at.info) and at.query_params.get("theme") in (None, [], "")


@pytest.mark.parametrize("lang,said", [("fr", "Note (en anglais)\u00a0: "), ("en", "Note: ")])
def test_a_card_s_note_says_its_language_when_not_the_page_s(lang, said):
    at = run("pages/1_Carte_Map.py", lang=lang, unit="ML04")
    shown = [c.value.replace("\\", "") for c in at.caption]  # as read: the Markdown escapes of plain() removed
    notes = [n for n in shown if n.startswith(said)]
    assert len(notes) == 2, shown  # Ségou's two records both carry a curator's note


def test_the_about_page_keeps_the_link_s_filters_without_drawing_them():
    """No filter changes the About page: its sidebar draws no filter widget, yet the link's filters are read, said in
    the page's filter sentence, and kept in the link for the next page."""
    at = run("pages/6_A_propos_About.py", lang="en", theme="dialogue", years="2015-2016")
    assert not at.exception
    assert len(at.sidebar.multiselect) == 0 and len(at.sidebar.slider) == 0
    assert any("theme Dialogue" in c.value and "2015" in c.value for c in at.caption), [c.value for c in at.caption]
    assert at.query_params.get("theme") in ("dialogue", ["dialogue"]) and at.query_params.get("years") in (
        "2015-2016",
        ["2015-2016"],
    )
    assert any("set there" in c.value for c in at.sidebar.caption)
    mapped = run("pages/1_Carte_Map.py", lang="en", theme="dialogue", years="2015-2016")  # where they are drawn
    assert len(mapped.sidebar.multiselect) > 0 and len(mapped.sidebar.slider) == 1


def test_an_edited_csv_shows_on_the_next_run_without_a_restart(data_copy, monkeypatch):
    """A curator fixes interventions.csv while the server runs: the next rerun counts the file as it now is."""
    import csv

    from malimap import ui

    monkeypatch.setenv("MALIMAP_DATA_DIR", str(data_copy))
    ui.forget_shared_data()
    try:
        path = data_copy / "interventions.csv"
        rows = list(csv.DictReader(open(path, encoding="utf-8", newline="")))
        events = sum(r["kind"] == "event" for r in rows)
        at = run("app.py", lang="en")
        assert metrics(at)["Events"] == str(events)
        dialogue = next(i for i, r in enumerate(rows) if r["id"] == "r2p-dialogue-bamako-2015-07")
        edit_csv(path, dialogue + 2, "kind", "project")  # the curator decides the dialogue was a project
        edit_csv(path, dialogue + 2, "event_type", "")
        at.run()
        assert metrics(at)["Events"] == str(events - 1)
    finally:
        ui.forget_shared_data()


@pytest.mark.parametrize("unit", ["ML05", "ML09"])
def test_the_unit_panel_heading_counts_what_the_unit_holds(unit):
    """'Mopti · 3 records': the number is the records counted in the unit under the page's filters, from the data."""
    from malimap.catalogue.build import build_catalogue
    from malimap.counts.coverage import MapOptions, items_in_unit
    from malimap.dataset import load_dataset
    from malimap.geo.boundaries import embedded_boundaries

    b = embedded_boundaries()
    cat = build_catalogue(load_dataset(ROOT / "data", units=b.units), b)
    n = len(items_in_unit(cat, cat.interventions, unit, MapOptions(level=1)))
    at = run("pages/1_Carte_Map.py", lang="en", unit=unit, level="1")
    name = cat.unit_names[unit]
    heading = [h.value for h in at.subheader if h.value.startswith(f"{name} · ")]
    assert heading == [f"{name} · {n} record{'s' if n != 1 else ''}"] and n > 0


@pytest.mark.parametrize("params", [{}, {"theme": "r2p"}])
def test_the_funders_page_states_its_numbers_from_the_filtered_data(params):
    """Not only a title: how many interventions name no funder, and for how many an amount is known, under the filters."""
    from malimap.catalogue.build import build_catalogue
    from malimap.counts.aggregate import budget_summary
    from malimap.counts.filters import Filters, apply_filters
    from malimap.dataset import load_dataset
    from malimap.geo.boundaries import embedded_boundaries

    b = embedded_boundaries()
    cat = build_catalogue(load_dataset(ROOT / "data", units=b.units), b)
    items = apply_filters(cat, Filters(themes=tuple(params.values())))
    none = int((items["all_funder_ids"].map(len) == 0).sum())
    budget = budget_summary(items)
    at = run("pages/3_Bailleurs_Funders.py", lang="en", **params)
    text = "\n".join(m.value for m in at.markdown)
    assert f"{none} of {len(items)} interventions have no funder named in the sources." in text
    assert f"Amount known for {budget['known']} intervention(s); unknown for {budget['unknown']}." in text
    assert len(items) < len(cat.interventions) if params else len(items) == len(cat.interventions)
