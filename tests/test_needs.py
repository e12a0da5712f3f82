"""Need layers: import, row-level errors, code translation, honest sums, the gap ranking and need-weighted map values."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_coverage import PARTS, PLACES, RECORDS

from malimap.counts.coverage import MapOptions
from malimap.counts.gaps import gap_table, need_values
from malimap.outputs.exports import gaps_csv
from malimap.outputs.map_spec import Look, map_spec, unpack
from malimap.sheets.need_layers import LayerError, cached_layers, import_layer, unit_needs
from malimap.testing.tiny import UNITS, catalogue

NEEDS = Path(os.environ.get("MALIMAP_REFERENCE_NEEDS", Path(__file__).resolve().parents[2] / "shared" / "reference" / "needs"))


def write(tmp_path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_our_columns(tmp_path):
    path = write(tmp_path, "pop.csv", 'adm2_pcode,population,in_need,year\nML0101,100 000,2500,2021\nML0102,"50,000",,2021\n')
    layer = import_layer(path, UNITS, source="Test office", licence="CC BY 4.0", cache=tmp_path / "cache")
    assert layer.values[["pcode", "level", "population"]].values.tolist() == [["ML0101", 2, 100000.0], ["ML0102", 2, 50000.0]]
    assert np.isnan(layer.values.loc[1, "in_need"])  # unknown stays unknown
    assert layer.citation == "Test office; CC BY 4.0; 2021" and layer.rejected.empty
    (stored,) = cached_layers(tmp_path / "cache")
    assert stored.name == "pop" and stored.values.equals(layer.values) and stored.meta["accepted"] == 2


def test_hxl_with_attributes_in_any_order_and_xlsx(tmp_path):
    frame = pd.DataFrame(
        [
            ["Code", "Pop", "PIN", "Déplacés"],
            ["#adm2 +code", "#population", "#inneed", "#affected +idps"],
            ["ML0101", "10", "2", "1"],
            ["ML0201", "7", "7", "0"],
        ]
    )
    path = tmp_path / "layer.xlsx"
    frame.to_excel(path, index=False, header=False)
    layer = import_layer(path, UNITS, cache=tmp_path / "c")
    assert layer.values[["pcode", "population", "in_need", "idps"]].values.tolist() == [["ML0101", 10, 2, 1], ["ML0201", 7, 7, 0]]
    assert layer.meta["columns"] == {"adm2_pcode": "Code", "population": "Pop", "in_need": "PIN", "idps": "Déplacés"}


def test_bad_rows_are_reported_and_good_rows_kept(tmp_path):
    text = (
        "adm1_pcode,adm2_pcode,name,population,in_need\n"
        "ML01,ML0101,Djenné,1000,10\n"  # good (row 2)
        "ML01,ML0102,Ténenkou,-5,1\n"  # negative (row 3)
        "ML01,ML0102,Ténenkou bis,900,beaucoup\n"  # text in a number column, and a duplicate code (row 4)
        "ML09,ML0999,Nowhere,10,1\n"  # unknown code (row 5)
        ",,Taoudénit,60,1\n"  # no code at all (row 6)
        "ML02,ML0201,Bamako,500,50\n"
    )  # good (row 7)
    layer = import_layer(write(tmp_path, "bad.csv", text), UNITS, cache=tmp_path / "c")
    assert layer.values["pcode"].tolist() == ["ML0101", "ML0201"]
    got = {(r.row, r.column): r.error for r in layer.rejected.itertuples()}
    assert got[(3, "population")] == "a count of people cannot be negative"
    assert got[(4, "in_need")] == "not a number"
    assert got[(3, "adm2_pcode")].startswith("P-code ML0102 appears on rows 3, 4")
    assert got[(5, "adm2_pcode")] == "P-code ML0999 is not a COD-AB v02 unit and no rule translates it"
    assert got[(6, "name")].startswith("no P-code for 'Taoudénit'")
    assert layer.meta["rejected_rows"] == 4 and layer.meta["accepted"] == 2


def test_unreadable_files_say_why(tmp_path):
    with pytest.raises(LayerError, match="no P-code column"):
        import_layer(write(tmp_path, "x.csv", "region,population\nSégou,10\n"), UNITS, cache=tmp_path)
    with pytest.raises(LayerError, match="no figure column"):
        import_layer(write(tmp_path, "y.csv", "adm2_pcode,comment\nML0101,x\n"), UNITS, cache=tmp_path)


def test_sums_are_honest(tmp_path):
    layer = import_layer(
        write(tmp_path, "s.csv", "adm2_pcode,population,in_need\nML0101,100,10\nML0201,40,4\n"), UNITS, cache=tmp_path / "c"
    )
    regions = unit_needs(layer, UNITS, 1).set_index("pcode")
    assert regions.loc["ML01", ["population", "basis"]].tolist() == [100.0, "partial"]  # Ténenkou missing: a lower bound
    assert regions.loc["ML02", ["population", "basis"]].tolist() == [40.0, "summed"]
    coarse = import_layer(write(tmp_path, "r.csv", "adm1_pcode,population\nML01,500\n"), UNITS, cache=tmp_path / "c")
    cercles = unit_needs(coarse, UNITS, 2).set_index("pcode")
    assert cercles["population"].isna().all() and set(cercles["basis"]) == {""}  # never split down


@pytest.fixture(scope="module")
def cat():
    return catalogue(RECORDS, PLACES, PARTS)


def test_gap_ranking_puts_need_with_nothing_first(cat, tmp_path):
    layer = import_layer(
        write(tmp_path, "n.csv", "adm2_pcode,population,in_need\nML0101,1000,100\nML0102,2000,300\nML0201,500,50\n"),
        UNITS,
        cache=tmp_path / "c",
    )
    table = gap_table(cat, cat.interventions, layer, 2)
    assert table[["rank", "pcode", "initiatives", "planned"]].values.tolist() == [
        [1, "ML0102", 0, 1],
        [2, "ML0101", 1, 0],
        [3, "ML0201", 1, 0],
    ]
    assert table["nothing_recorded"].tolist() == [True, False, False]
    assert table["need_per_initiative"].tolist()[1:] == [100.0, 50.0] and np.isinf(table.loc[0, "need_per_initiative"])
    assert table["per_100k"].tolist() == [0.0, 100.0, 200.0]
    text = gaps_csv(table, "All interventions", layer.citation or "test", "en").decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[1].startswith("#indicator+rank,#adm+code") and "nothing recorded" in lines[2]
    assert lines[-2].startswith("Selection: All interventions") and lines[-1].startswith("Need figures: ")


def test_need_weighted_map_values(cat, tmp_path):
    layer = import_layer(
        write(tmp_path, "m.csv", "adm2_pcode,population,in_need\nML0101,1000,100\nML0102,2000,300\n"), UNITS, cache=tmp_path / "c"
    )
    items = cat.interventions.assign(title_display=cat.interventions["title"])
    needs = unit_needs(layer, cat.boundaries.units, 2)
    geo = {lv: {"url": f"g{lv}", "key": str(lv)} for lv in (1, 2)}
    spec, _ = map_spec(
        cat,
        items,
        MapOptions(level=2, measure="need_per_initiative"),
        Look(lang="en"),
        geo.get,
        when=lambda r: "",
        needs=needs,
        need_citation="Test office",
    )
    classes, values, _ = unpack(spec)
    assert classes[1] == -4 and values[1] is None  # Ténenkou: need, nothing recorded (the gap colour)
    assert classes[2] == -3  # Bamako: no figure in the layer
    assert values[0] == 100.0 and "Need figures: Test office." in spec["legend"]["sentence"]
    json.dumps(spec, allow_nan=False)  # valid JSON for the browser: no Infinity, no NaN
    per, _ = map_spec(
        cat,
        items,
        MapOptions(level=2, measure="per_100k"),
        Look(lang="fr"),
        geo.get,
        when=lambda r: "",
        needs=needs,
        need_citation="x",
    )
    assert unpack(per)[1][:2] == [100.0, 0.0]
    assert need_values(pd.Series([0]), pd.DataFrame({"population": [0.0], "in_need": [0.0]}), "per_100k").isna().all()
    # the tooltip gives the layer's own figures, so a gap of 300 people never looks like one of 3; Bamako has none
    assert spec["need_lines"] == {0: "100 people in need · population 1,000", 1: "300 people in need · population 2,000"}
    assert per["need_lines"][1] == "300 personnes dans le besoin · population 2\u202f000"
    assert ["dots", "no figure in the need layer"] in spec["legend"]["rows"]  # a pattern, not the white of "none"
    # the offline HTML map says the same: the figure, need with nothing recorded, no figure (never "None")
    from malimap.outputs.map_html import map_html

    html = map_html(cat, spec, items, MapOptions(level=2, measure="need_per_initiative"), title="t", sentence="s",
                    stamp="d", lang="en", when=lambda r: "")  # fmt: skip
    tips = [json.loads(f'"{v}"') for v in re.findall(r'"v": "((?:[^"\\]|\\.)*)"', html)]
    assert tips[1].startswith(spec["words"]["infinite"]) and tips[2] == spec["words"]["unknown"] and tips[0].startswith("100 ")


def test_zero_people_in_need_is_a_figure_not_a_missing_one(cat, tmp_path):
    """Macina in the Cadre Harmonisé: population 352,561, 0 people in phases 3-5, nothing recorded: it reads 0."""
    layer = import_layer(
        write(tmp_path, "z.csv", "adm2_pcode,population,in_need\nML0101,352561,0\nML0102,2000,300\n"), UNITS, cache=tmp_path / "c"
    )
    needs = unit_needs(layer, cat.boundaries.units, 2)
    values = need_values(pd.Series([0, 0, 0]), needs, "need_per_initiative")
    assert values.iloc[0] == 0 and np.isinf(values.iloc[1]) and np.isnan(values.iloc[2])
    spec, _ = map_spec(
        cat,
        cat.interventions.iloc[0:0].assign(title_display=""),
        MapOptions(level=2, measure="need_per_initiative"),
        Look(lang="fr"),
        {lv: {"url": f"g{lv}", "key": str(lv)} for lv in (1, 2)}.get,
        when=lambda r: "",
        needs=needs,
    )
    classes, _, _ = unpack(spec)
    assert classes[:3] == [-1, -4, -3]  # zero need (the "0" swatch), the gap colour, no figure (dots)
    rows = spec["legend"]["rows"]
    assert rows[0][1] == "0 personne dans le besoin" and ["dots", "pas de chiffre dans la couche des besoins"] in rows
    assert spec["need_lines"][0] == "0 personne dans le besoin · population 352\u202f561"


def test_reference_layer(tmp_path, cod_ab_cache):
    """The shared Cadre Harmonisé figures: Ménaka's old code translated, Taoudénit counted in Tombouctou as a whole."""
    if not (NEEDS / "mali_cercles_ch_2021-09.csv").exists():
        pytest.skip(f"reference need figures not found at {NEEDS}")
    from malimap.geo.boundaries import cached_boundaries

    units = cached_boundaries(cod_ab_cache).units
    layer = import_layer(NEEDS / "mali_cercles_ch_2021-09.csv", units, licence="CC BY 4.0", cache=tmp_path)
    assert layer.meta["accepted"] == 51 and layer.rejected.empty
    assert set(layer.translated["from"]) == {"ML0704", "ML06"}
    regions = unit_needs(layer, units, 1).set_index("pcode")
    assert regions.loc["ML10", "basis"] == "exact" and regions.loc["ML10", "in_need"] == 29277
    total = pd.read_csv(NEEDS / "mali_cercles_ch_2021-09.csv")["population"].sum()
    assert regions["population"].sum() == pytest.approx(total)  # nothing lost, nothing counted twice


def test_gaps_follow_the_place_filter_and_show_broader_and_mali_wide_coverage(cat, tmp_path):
    from malimap.counts.gaps import gap_summary

    layer = import_layer(
        write(tmp_path, "n.csv", "adm2_pcode,population,in_need\nML0101,1000,100\nML0102,2000,300\nML0201,500,50\n"),
        UNITS,
        cache=tmp_path / "c",
    )
    whole = gap_table(cat, cat.interventions, layer, 2)
    # ML01 holds a region-level programme; ML02 has one cercle, so its region-level record is counted in it directly
    assert whole[["pcode", "broader", "mali_wide"]].values.tolist() == [["ML0102", 1, 1], ["ML0101", 1, 1], ["ML0201", 0, 1]]
    mine = gap_table(cat, cat.interventions, layer, 2, focus=("ML01",))  # the page filtered to region ML01
    assert mine["pcode"].tolist() == ["ML0102", "ML0101"]  # never a unit outside the chosen places
    assert gap_summary(mine, 2, "en") == (
        "1 of 2 cercles have people in need and nothing recorded at this level; they hold 300 people in need. Of these, 1 "
        "lie in a broader unit with records known only at that level (column ↑), and 1 initiative(s) are recorded for "
        "Mali as a whole (column Mali-wide): they may reach them."
    )


def test_a_need_layer_goes_through_the_same_guarded_reader_as_3w_sheets():
    """Windows-1252 and ';' as French Excel writes them are read; a zip bomb or an oversized file is refused, saying why."""
    import io
    import zipfile

    from malimap.sheets.need_layers import LayerError, read_layer_table
    from malimap.sheets.reader import MAX_BYTES, MAX_UNZIPPED

    table, columns, _, first = read_layer_table(
        "besoins.csv", "adm1_pcode;population;région\nML05;2 500;Ségou\n".encode("cp1252")
    )
    assert list(table["adm1_pcode"]) == ["ML05"] and columns["population"] == "population" and first == 2
    with pytest.raises(LayerError, match="MB"):
        read_layer_table("big.csv", b"adm1_pcode,population\n" + b"x" * MAX_BYTES)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (MAX_UNZIPPED + 1))
    with pytest.raises(LayerError, match="decompress|unzip|MB"):
        read_layer_table("bomb.xlsx", bomb.getvalue())


def test_one_unreadable_layer_is_skipped_with_its_reason_and_the_others_still_load(tmp_path):
    from malimap.sheets.need_layers import SKIPPED

    for name in ("a.csv", "b.csv"):
        import_layer(write(tmp_path, name, "adm2_pcode,population\nML0101,10\n"), UNITS, source="s", cache=tmp_path / "cache")
    (tmp_path / "cache" / "layers" / "a" / "values.csv").write_text("garbage without the columns\n", encoding="utf-8")
    assert [layer.name for layer in cached_layers(tmp_path / "cache")] == ["b"]
    assert list(SKIPPED) == ["a"] and "values.csv lacks" in SKIPPED["a"]
