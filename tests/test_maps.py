"""The map as data: what each rerun sends, the geometry file, markers, and the SVG for slides."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from conftest import ROOT
from test_coverage import PARTS, PLACES, RECORDS

from malimap.counts.coverage import MapOptions
from malimap.outputs.geometry import geometry_payload, publish_geometry, publish_web
from malimap.outputs.legend import GAP_COLOUR, NONE_COLOUR, OUT_COLOUR, PALETTES, coverage_sentence
from malimap.outputs.map_spec import Look, map_spec, unpack
from malimap.outputs.map_svg import map_svg
from malimap.testing.tiny import catalogue, iv, loc


def geo_ref(level):
    return {"url": f"geo-{level}.json", "key": f"{level}-k"}


def when(_row):
    return "date"


@pytest.fixture(scope="module")
def cat():
    c = catalogue(RECORDS, PLACES, PARTS)
    return c


def spec_of(cat, items=None, look=None, **opts):
    items = cat.interventions if items is None else items
    items = items.assign(title_display=items["title"])
    return map_spec(cat, items, MapOptions(**{"level": 2, **opts}), look or Look(lang="en"), geo_ref, when)


def test_spec_sends_values_in_geometry_order_and_no_geometry(cat):
    spec, cov = spec_of(cat)
    assert [f["properties"]["p"] for f in json.loads(geometry_payload(cat.boundaries.layers[2], 2)[1])["features"]] == [
        "ML0101",
        "ML0102",
        "ML0201",
    ]
    assert spec["units"] == [[0, 1, 0], [1, 0, 1], [2, 1, 0]] and spec["classes"] == "0.0"
    assert unpack(spec) == ([0, -1, 0], [1, 0, 1], [0, 1, 0]) and spec["palette"] == PALETTES["default"][-1:]
    assert spec["geo"] == {"url": "geo-2.json", "key": "2-k"} and spec["coarse_geo"] == [{"url": "geo-1.json", "key": "1-k"}]
    assert "coordinates" not in json.dumps(spec)
    assert spec["national"] == {"p": "ML", "text": "Mali-wide: 1 initiative"}
    assert [(c["p"], c["text"]) for c in spec["coarse"]] == [("ML01", "↑ 1")]
    assert spec["coarse"][0]["title"] == "Ségou, region level only: 1 initiative"
    kinds = [r[0] for r in spec["legend"]["rows"]]
    assert kinds == [NONE_COLOUR, PALETTES["default"][-1], "hatch", "coarse", "event"]
    assert spec["legend"]["sentence"] == coverage_sentence(MapOptions(level=2), "en")
    assert spec["words"]["one"] == "initiative" and spec["words"]["other"] == "initiatives"


def test_markers_carry_the_unit_they_sit_in(cat):
    spec, _ = spec_of(cat)
    # the completed workshop in Djenné and the dialogue held in Bamako; the planned event is not a marker
    assert sorted(m["p"] for m in spec["markers"]) == ["ML0101", "ML0201"]
    assert all(m["text"].endswith("(date)") for m in spec["markers"])


def test_gaps_pinned_focus_and_presenter(cat):
    gaps, _ = spec_of(cat, look=Look(lang="fr", gaps=True, presenter=True, caption="Filtres"))
    assert gaps["classes"] == "010" and gaps["palette"][1] == GAP_COLOUR["safe"] and gaps["caption"] == "Filtres"
    assert gaps["fill_viewport"] > 0.6 and gaps["large"] is True
    focus, _ = spec_of(cat, look=Look(lang="en", focus=("ML0201",)))
    assert focus["classes"] == "--0" and focus["bounds"] == [[0.0, 2.0], [0.2, 2.2]]
    assert [OUT_COLOUR, "outside the chosen place"] in focus["legend"]["rows"]
    events = cat.interventions[cat.interventions["id"] == "ws"]
    unpinned, _ = spec_of(cat, items=events, measure="events")
    pinned, _ = spec_of(cat, items=events, measure="events", pinned=True)
    assert unpinned["units"] == pinned["units"] == [[0, 1, 0]]
    assert "Classes fixed on the whole dataset." in pinned["legend"]["sentence"]


def test_plurals_in_both_languages(cat):
    two = catalogue([iv("a"), iv("b")], [loc("a"), loc("b")])
    spec, _ = spec_of(two, measure="events", look=Look(lang="fr"))
    assert spec["national"]["text"] == "Tout le Mali\u00a0: 2 événements"
    one = catalogue([iv("a")], [loc("a")])
    spec, _ = spec_of(one, measure="events", look=Look(lang="en"))
    assert spec["national"]["text"] == "Mali-wide: 1 event"


def test_geometry_file_is_written_once_under_its_hash(cat, tmp_path):
    ref = publish_geometry(tmp_path, cat.boundaries.layers[2], 2)
    path = tmp_path / ref["url"]
    assert re.fullmatch(r"geo-2-[0-9a-f]{16}\.json", ref["url"]) and ref["key"] == ref["url"][4:-5]
    mtime = path.stat().st_mtime_ns
    assert publish_geometry(tmp_path, cat.boundaries.layers[2], 2) == ref and path.stat().st_mtime_ns == mtime
    fc = json.loads(path.read_text(encoding="utf-8"))
    assert fc["features"][0]["properties"] == {"p": "ML0101", "n": "Djenné"}  # accents kept
    publish_web(tmp_path)
    from malimap.ui.mapview import LEAFLET, MAP_HTML, MAP_LOADER

    assert LEAFLET == "app/static/leaflet/" and (ROOT / "static" / "leaflet" / "leaflet.js").exists()  # the app's own copy
    for text in (MAP_HTML, MAP_LOADER, (tmp_path / "mapview.js").read_text(), (tmp_path / "mapview.css").read_text()):
        assert "http" not in text.replace("http://www.w3.org", "") and "//" + "cdn" not in text  # nothing from the internet
    js = (tmp_path / "mapview.js").read_text()
    assert "innerHTML" not in js  # every data string goes through textContent


def test_svg_export_is_valid_escaped_and_complete(cat):
    hostile = cat.boundaries.layers[2].copy()
    spec, _ = spec_of(cat, look=Look(lang="en"))
    svg = map_svg(cat, spec, 2, title="<script>alert(1)</script>", sentence="All & everything", stamp="malimap, 2026-11-24.")
    root = ET.fromstring(svg)  # well-formed XML
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "<script>" in texts and "<script>" not in svg  # shown as text, escaped in the file
    assert "All & everything" in texts and "malimap, 2026-11-24." in texts and "test boundaries" in texts
    paths = [p for p in root.iter("{http://www.w3.org/2000/svg}path") if p.find("{http://www.w3.org/2000/svg}title") is not None]
    assert len(paths) == len(hostile) == 3
    assert [p.get("fill") for p in paths] == [PALETTES["default"][-1], NONE_COLOUR, PALETTES["default"][-1]]
    assert sum(1 for p in root.iter("{http://www.w3.org/2000/svg}path") if p.get("fill") == "url(#hatch)") == 1


def test_a_damaged_geometry_file_is_rewritten(tmp_path):
    from malimap.geo.boundaries import embedded_boundaries
    from malimap.outputs.geometry import geometry_payload, publish_geometry

    layer = embedded_boundaries().layers[1]
    ref = publish_geometry(tmp_path, layer, 1)
    path = tmp_path / ref["url"]
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])  # truncated, as a full disk or a killed copy leaves it
    assert publish_geometry(tmp_path, layer, 1) == ref
    assert path.read_bytes() == good == geometry_payload(layer, 1)[1]


def test_the_coverage_line_counts_within_the_chosen_places_and_agrees_in_number():
    from malimap.catalogue.build import build_catalogue
    from malimap.counts.coverage import MapOptions, unit_coverage
    from malimap.counts.filters import Filters, apply_filters
    from malimap.dataset import load_dataset
    from malimap.geo.boundaries import embedded_boundaries
    from malimap.outputs.legend import coverage_line

    b = embedded_boundaries()
    cat = build_catalogue(load_dataset(units=b.units), b)
    focus = ("ML05", "ML04")  # Mopti and Ségou
    items = apply_filters(cat, Filters(regions=focus))
    cov = unit_coverage(cat, items, MapOptions(level=1))
    fr = coverage_line(cov, "initiatives", focus, "fr")
    inside = cov.units[cov.units["pcode"].isin(focus)]
    n = int((inside["value"] > 0).sum())
    assert fr.startswith(f"{n} région{'s' if n != 1 else ''} sur 2 ") and fr.endswith("(dans les lieux choisis)")
    whole = coverage_line(unit_coverage(cat, apply_filters(cat, Filters()), MapOptions(level=1)), "initiatives", (), "en")
    assert " of 9 regions count at least" in whole or " of 9 regions counts at least" in whole
    one = coverage_line(
        cov.__class__(cov.units.assign(value=[1] + [0] * (len(cov.units) - 1)), cov.coarse, cov.national, 1),
        "initiatives",
        (),
        "fr",
    )
    assert one.startswith("1 région sur 9 compte au moins")


def test_svg_of_a_filtered_view_is_clipped_and_draws_what_its_legend_names(tmp_path):
    from malimap.catalogue.build import build_catalogue
    from malimap.counts.filters import Filters, apply_filters
    from malimap.dataset import load_dataset
    from malimap.geo.boundaries import embedded_boundaries

    b = embedded_boundaries()
    cat = build_catalogue(load_dataset(units=b.units), b)
    items = apply_filters(cat, Filters(regions=("ML05",)))
    items = items.assign(title_display=items["title_en"])
    geo = {lv: {"url": f"geo-{lv}.json", "key": str(lv)} for lv in (1, 2)}
    spec, _ = map_spec(cat, items, MapOptions(level=1), Look(lang="en", focus=("ML05",)), geo.get, when=lambda r: "")
    svg = map_svg(cat, spec, 1, title="Interventions by region", sentence="Filters: region Mopti. " * 6, stamp="malimap")
    assert '<clipPath id="frame">' in svg and '<g clip-path="url(#frame)">' in svg  # neighbours never over the title
    assert svg.count('class="event"') == len(spec["markers"]) and spec["markers"]  # the circles the legend lists
    assert svg.count('class="coarse"') >= len(spec["coarse"])
    whole, _ = map_spec(
        cat,
        apply_filters(cat, Filters()).assign(title_display=""),
        MapOptions(level=1),
        Look(lang="en"),
        geo.get,
        when=lambda r: "",
    )
    assert 'class="bamako"' in map_svg(cat, whole, 1, title="t", sentence="s", stamp="d")  # a speck at region level: marked
    (tmp_path / "filtered.svg").write_text(svg)


def test_interactive_map_file_is_self_contained_and_every_string_is_text(cat):
    """The HTML map lists each unit's records with their sources, loads nothing from anywhere, and shows markup as text."""
    from malimap.outputs.map_html import map_html

    hostile = cat.interventions.assign(title=lambda d: d["title"] + " <img src=x onerror=alert(1)>")
    spec, _ = spec_of(cat)
    html = map_html(
        cat,
        spec,
        hostile.assign(title_display=hostile["title"]),
        MapOptions(level=2),
        title="Map <b>x</b>",
        sentence="All & everything",
        stamp="malimap, 2026-12-03.",
        lang="en",
        when=when,
    )
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html.replace("\\u0026", "&")
    assert "Map &lt;b&gt;x&lt;/b&gt;" in html and "All &amp; everything" in html
    assert not re.search(r"<(script|link)[^>]+(src|href)=", html)  # Leaflet inlined; no CDN script or stylesheet
    popups = re.findall(r'"popup": "((?:[^"\\]|\\.)*)"', html)
    assert len(popups) == 3  # one per unit, and only on the units (not on the hatching drawn over a planned unit)
    texts = [json.loads(f'"{p}"') for p in popups]
    assert texts[1] == "Ténenkou · 1 record\n• plan &lt;img src=x onerror=alert(1)&gt; (date) [1]"  # its source's number
    assert all(t.split("\n")[0].endswith("records") or t.split("\n")[0].endswith("record") for t in texts)
    assert "Sources cited (1)" in html and "Seed" in html


def test_interactive_map_file_says_where_nothing_is_recorded(cat):
    from malimap.outputs.map_html import map_html

    few = cat.interventions.iloc[:0].assign(title_display="")  # filters that match nothing
    spec, _ = spec_of(cat, items=cat.interventions.iloc[:0])
    html = map_html(cat, spec, few, MapOptions(level=2), title="t", sentence="s", stamp="d", lang="fr", when=when)
    popups = [json.loads(f'"{p}"') for p in re.findall(r'"popup": "((?:[^"\\]|\\.)*)"', html)]
    assert len(popups) == 3 and all(p.endswith("Rien d'enregistré à ce niveau avec ces filtres.") for p in popups)
