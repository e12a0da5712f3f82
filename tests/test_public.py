"""Public mode: no finer P-code, coordinate or withheld name reaches any page or export (one test per leak path)."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import edit_csv

from malimap.catalogue.build import build_catalogue
from malimap.catalogue.public import public_dataset
from malimap.counts.coverage import MapOptions
from malimap.counts.yearly import unit_years
from malimap.dataset import load_dataset
from malimap.geo.boundaries import embedded_boundaries
from malimap.outputs.exports import export_table, to_excel, to_geojson, to_hxl_csv, unit_years_csv
from malimap.outputs.map_spec import Look, map_spec
from malimap.outputs.map_svg import map_svg

# the Fatoma workshop's place is marked sensitive in the shipped data; AMSS is marked sensitive in the copy below
# the copy also gives Fatoma a point: its coordinates must go with its name (they name the village as surely)
LEAKS = ("Fatoma", "fatoma", "ML050604", "AMSS", "amss", "Association Malienne pour la Survie", "MAS)", "14.0817", "-4.0433")


@pytest.fixture
def marked(data_copy):
    edit_csv(data_copy / "organisations.csv", 10, "sensitive", "true")  # AMSS
    edit_csv(data_copy / "locations.csv", 22, "latitude", "14.0817")  # Fatoma, with a point
    edit_csv(data_copy / "locations.csv", 22, "longitude", "-4.0433")
    return data_copy


@pytest.fixture
def public_cat(marked):
    b = embedded_boundaries()
    return build_catalogue(public_dataset(load_dataset(marked, units=b.units), b.units), b)


def assert_clean(text: str, where: str) -> None:
    found = [leak for leak in LEAKS if leak in text]
    assert found == [], (where, found)


def test_marked_copy_really_names_them(marked):
    raw = "".join(p.read_text(encoding="utf-8") for p in marked.glob("*.csv"))
    assert all(leak in raw for leak in LEAKS)  # so the tests below can fail


def test_catalogue_holds_no_withheld_name_code_or_point(public_cat):
    blob = "\n".join(
        df.astype(str).to_csv()
        for df in (
            public_cat.interventions,
            public_cat.participations,
            public_cat.organisations,
            public_cat.locations,
            public_cat.conflicts,
            public_cat.sources,
        )
    )
    assert_clean(blob, "catalogue")
    loc = public_cat.locations
    row = loc[loc["evidence"] == "[…]"].iloc[0]
    assert (row["pcode"], row["adm3_pcode"], row["precision"]) == ("ML0506", "", 3)  # coarsened to the cercle of Mopti
    assert pd.isna(row["latitude"]) and pd.isna(row["longitude"])
    assert "ONG nationale / national NGO 1" in set(public_cat.organisations["name"])
    parents = set(public_cat.interventions["parent_id"]) - {""}
    assert parents <= set(public_cat.interventions["id"])  # opaque ids stay consistent across tables


def test_exports_leak_nothing(public_cat):
    items = public_cat.interventions
    table = export_table(public_cat, items, "fr", "s")
    assert_clean(to_hxl_csv(table).decode("utf-8-sig"), "csv")
    assert_clean(to_geojson(public_cat, items, "fr", "s").decode("utf-8"), "geojson")
    with zipfile.ZipFile(io.BytesIO(to_excel(public_cat, table, items, "s", "fr"))) as z:
        assert_clean("".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist()), "xlsx")
    long = unit_years(public_cat, items, MapOptions(level=2))
    assert_clean(unit_years_csv(long, "s", "fr").decode("utf-8-sig"), "units × years csv")


def test_map_values_and_image_leak_nothing(public_cat):
    items = public_cat.interventions.assign(title_display=public_cat.interventions["title_fr"])
    geo = {lv: {"url": f"geo-{lv}.json", "key": str(lv)} for lv in (1, 2, 3)}
    spec, _ = map_spec(public_cat, items, MapOptions(level=1), Look(lang="fr"), geo.get, when=lambda r: "")
    assert_clean(json.dumps(spec, ensure_ascii=False), "map spec")
    assert_clean(map_svg(public_cat, spec, 1, title="t", sentence="s", stamp="d"), "svg")


def public_pages(folder, monkeypatch, unit: str):
    """Every page of the public app on `folder`, in French and in English with a unit chosen: (page, its text)."""
    from test_app import PAGES, _page_text, run

    from malimap import ui

    monkeypatch.setenv("MALIMAP_DATA_DIR", str(folder))
    monkeypatch.setenv("MALIMAP_PUBLIC", "1")
    monkeypatch.setenv("MALIMAP_SEEDS_DIR", str(folder / "no-seeds"))
    ui.forget_shared_data()
    try:
        for page in PAGES:
            for lang, params in (("fr", {}), ("en", {"unit": unit})):
                at = run(page, lang=lang, **params)
                assert not at.exception, (page, [e.value for e in at.exception])
                yield page, _page_text(at) + "\n".join(m.value for m in at.markdown)
    finally:
        ui.forget_shared_data()


def test_pages_leak_nothing(marked, monkeypatch):
    for page, text in public_pages(marked, monkeypatch, "ML05"):
        assert_clean(text, page)
        assert "🔒" in text, page


def test_opaque_ids_cannot_be_found_by_hashing_names_the_app_serves(marked, monkeypatch, tmp_path):
    """The attack: hash 'usip-wanep-workshop-' + every commune name the app serves and look for the ids it shows."""
    import hashlib

    from malimap.sheets.upload_rows import slug as _slug

    b = embedded_boundaries()
    ds = load_dataset(marked, units=b.units)
    hidden = public_dataset(ds, b.units)
    ids = set(hidden.interventions["id"]) | set(hidden.organisations["id"])
    opaque = {i for i in ids if i.startswith(("rec-", "org-"))}
    assert opaque  # the Fatoma workshop and AMSS are withheld
    names = list(b.units["name"]) + list(ds.locations["place_name"]) + ["fatoma", "Fatoma", "amss"]
    guesses = {f"{p}-{hashlib.sha1(f'{base}{_slug(n)}'.encode()).hexdigest()[:k]}" for n in names
               for base in ("usip-wanep-workshop-", "") for p in ("rec", "org") for k in (8, 12)}  # fmt: skip
    guesses |= {f"{p}-{hashlib.sha256(i.encode()).hexdigest()[:12]}" for i in ds.interventions["id"] for p in ("rec", "org")}
    assert not guesses & opaque
    # the key lives in the cache folder, outside the data and the served files; another key, other ids
    assert (Path(os.environ["MALIMAP_CACHE_DIR"]) / "public-secret").exists()
    monkeypatch.setenv("MALIMAP_PUBLIC_SECRET", "another key")
    other = public_dataset(ds, b.units)
    assert set(other.interventions["id"]) != set(hidden.interventions["id"])
    assert public_dataset(ds, b.units).interventions["id"].equals(other.interventions["id"])  # stable for one key


@pytest.mark.parametrize("value, public", [("TRUE", True), ("yes", True), ("on", True), (" 1", True), ("Oui", True),
                                           ("0", False), ("off", False), ("", False)])  # fmt: skip
def test_public_setting_reads_the_usual_words(monkeypatch, value, public):
    from malimap import config

    monkeypatch.setenv("MALIMAP_PUBLIC", value)
    assert config.public_setting() is public


def test_public_mode_fails_closed_on_a_value_it_cannot_read(marked, monkeypatch, capsys):
    from test_app import run

    from malimap import config, ui
    from malimap.cli import main

    monkeypatch.setenv("MALIMAP_PUBLIC", "maybe")
    with pytest.raises(config.SettingError, match="MALIMAP_PUBLIC='maybe' is neither a yes"):
        config.public_setting()
    assert main(["prepare", str(marked)]) == 2 and "neither a yes" in capsys.readouterr().err
    monkeypatch.setenv("MALIMAP_DATA_DIR", str(marked))
    ui.forget_shared_data()
    at = run("app.py", lang="en")
    assert [e.value for e in at.error] and "neither a yes" in at.error[0].value
    assert not at.metric  # nothing served on a guess
    ui.forget_shared_data()


def test_public_error_page_shows_where_and_what_not_the_values(marked, monkeypatch):
    from test_app import run

    from malimap import ui

    edit_csv(marked / "locations.csv", 2, "intervention_id", "usip-wanep-workshop-fatoma-typo")  # a broken reference
    monkeypatch.setenv("MALIMAP_DATA_DIR", str(marked))
    monkeypatch.setenv("MALIMAP_PUBLIC", "1")
    ui.forget_shared_data()
    try:
        at = run("app.py", lang="en")
        shown = "\n".join([e.value for e in at.error] + [c.value for c in at.code])
        assert "locations.csv, row 2, column 'intervention_id'" in shown  # where, and what kind
        assert "fatoma" not in shown.lower() and str(marked) not in shown  # no value, no server path
    finally:
        ui.forget_shared_data()


def test_public_mode_with_a_read_only_cache_and_no_key_says_what_to_do(monkeypatch, tmp_path):
    from malimap import config

    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")  # a cache 'folder' that cannot hold anything, as a read-only mount behaves
    monkeypatch.setenv("MALIMAP_CACHE_DIR", str(blocked / "cache"))
    monkeypatch.delenv("MALIMAP_PUBLIC_SECRET", raising=False)
    with pytest.raises(config.SettingError, match="set MALIMAP_PUBLIC_SECRET"):
        config.public_secret()
    monkeypatch.setenv("MALIMAP_PUBLIC_SECRET", "a key kept elsewhere")
    assert config.public_secret() == b"a key kept elsewhere"


# Per-record protection: a record, a participation, places and people's names withheld (shipped marks + one record marked)
RECORD_LEAKS = (
    "3p-amss-tombouctou",  # the record marked below…
    "3p-lessons-learned",  # …and its sub-record
    "Processus de Paix",
    "PROCESSUS DE PAIX",
    "Peace Process",
    "points focaux",  # the R2P dialogue's focal points (shipped: sensitive places at region level)
    "Iknane",  # people the curator lists (people.csv)
    "Weber",
)


@pytest.fixture
def record_marked(data_copy):
    edit_csv(data_copy / "interventions.csv", 5, "sensitive", "true")  # 3p-amss-tombouctou
    return data_copy


@pytest.fixture
def record_cat(record_marked):
    b = embedded_boundaries()
    return build_catalogue(public_dataset(load_dataset(record_marked, units=b.units), b.units), b)


def _surfaces(cat) -> dict[str, str]:
    """Every path a name could leave by: catalogue tables, exports, the map's values and image."""
    items = cat.interventions
    table = export_table(cat, items, "fr", "s")
    with zipfile.ZipFile(io.BytesIO(to_excel(cat, table, items, "s", "fr"))) as z:
        xlsx = "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
    geo = {lv: {"url": f"geo-{lv}.json", "key": str(lv)} for lv in (1, 2, 3)}
    spec, _ = map_spec(
        cat, items.assign(title_display=items["title_fr"]), MapOptions(level=1), Look(lang="fr"), geo.get, when=lambda r: ""
    )
    frames = (cat.interventions, cat.participations, cat.organisations, cat.locations, cat.conflicts, cat.sources)
    return {
        "catalogue": "\n".join(df.astype(str).to_csv() for df in frames),
        "csv": to_hxl_csv(table).decode("utf-8-sig"),
        "geojson": to_geojson(cat, items, "fr", "s").decode("utf-8"),
        "xlsx": xlsx,
        "long csv": unit_years_csv(unit_years(cat, items, MapOptions(level=2)), "s", "fr").decode("utf-8-sig"),
        "map spec": json.dumps(spec, ensure_ascii=False),
        "svg": map_svg(cat, spec, 1, title="t", sentence="s", stamp="d"),
    }


def test_the_unprotected_copy_really_holds_them(record_marked):
    b = embedded_boundaries()
    surfaces = _surfaces(build_catalogue(load_dataset(record_marked, units=b.units), b))
    assert all(any(leak in text for text in surfaces.values()) for leak in RECORD_LEAKS)  # so the next test can fail


def test_withheld_records_participations_places_and_people_leak_by_no_path(record_cat):
    for where, text in _surfaces(record_cat).items():
        assert [leak for leak in RECORD_LEAKS if leak in text] == [], where
    ids = set(record_cat.interventions["id"])
    assert "r2p-dialogue-bamako-2015-07" in ids and "3p-amss-tombouctou" not in ids  # the dialogue stays; only its places go
    r2p = record_cat.locations[record_cat.locations["intervention_id"] == "r2p-dialogue-bamako-2015-07"]
    assert list(r2p["reach"]) == ["activity"]  # Bamako, where it was held; where the focal points came from is withheld
    assert "s001" not in set(record_cat.sources["id"])  # cited only by the withheld records: its title names them


def test_a_withheld_participation_hides_the_organisation_in_that_record_only(record_cat):
    pve = "pve-maghreb-sahel-casablanca-2015-09"
    parts = record_cat.participations
    assert "amss" not in set(parts.loc[parts["intervention_id"] == pve, "organisation_id"])
    texts = "\n".join(
        df[df[key] == pve].astype(str).to_csv()
        for df, key in ((record_cat.interventions, "id"), (parts, "intervention_id"), (record_cat.locations, "intervention_id"))
    )
    texts += record_cat.conflicts.astype(str).to_csv()  # the acronym row quotes the delegation's sentence: withheld
    texts += export_table(record_cat, record_cat.interventions[record_cat.interventions["id"] == pve], "en", "s").to_csv()
    assert [n for n in ("AMSS", "Survie au Sahel", "(MAS)") if n in texts] == []
    assert "amss" in set(record_cat.organisations["id"])  # still named where its part is not sensitive
    assert record_cat.interventions.loc[record_cat.interventions["id"] == pve, "notes"].iloc[0].count("[…]") >= 1


def test_pages_leak_no_withheld_record_place_or_person(record_marked, monkeypatch):
    for page, text in public_pages(record_marked, monkeypatch, "ML07"):
        assert [leak for leak in RECORD_LEAKS if leak in text] == [], page
