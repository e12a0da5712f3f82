"""Map: initiatives per region, cercle or commune, planned work apart, Mali-wide records as a badge; click to read."""

from dataclasses import replace
from datetime import date

import streamlit as st

from malimap import ui
from malimap.counts.coverage import NEED_MEASURES, default_level
from malimap.i18n import label, t
from malimap.outputs.charts import date_text
from malimap.outputs.legend import coverage_line
from malimap.outputs.map_html import map_html
from malimap.outputs.map_spec import Look, map_spec
from malimap.outputs.map_svg import map_svg
from malimap.sheets.need_layers import unit_needs

frame = ui.page_frame("map")
lang, cat = frame.lang, frame.catalogue
if not frame.presenter:
    ui.header(frame, "map.title", "map.intro")
ui.nothing_matches(frame)  # the map still draws: every unit at zero is the honest picture
items = ui.display_titles(frame, frame.filtered)
layer = ui.need_layer(lang)


@st.fragment
def map_section() -> None:
    """The map, its controls and its panel: changing a map control, clicking a unit or picking one reruns only this
    part (the sidebar's filters and page links are not rebuilt), which is most of a change's server time."""
    options, gaps, tiles = ui.map_controls(frame, default_level(cat, items, (frame.filters,)), with_needs=layer is not None)
    needs = None
    if options.measure in NEED_MEASURES and options.level > layer.finest_level:
        st.info(t("map.need_level", lang, level=label("level", str(layer.finest_level), lang).lower()))
        options = replace(options, measure=options.base_measure)
    if layer is not None and options.level <= layer.finest_level:  # tooltips give the need figures on any measure
        needs = unit_needs(layer, cat.boundaries.units, options.level, cat.boundaries.merged if options.level == 1 else {})
    f = frame.filters
    clicked = ui.map_click()
    look = Look(
        lang=lang,
        presenter=frame.presenter,
        gaps=gaps,
        caption=frame.sentence,
        selected=clicked or ui.chosen_unit(lang),
        focus=(*f.regions, *f.cercles, *f.communes),
        tiles=tiles,
    )
    spec, cov = map_spec(
        cat,
        items,
        options,
        look,
        lambda lv: ui.geometry_ref(cat, lv),
        when=lambda r: date_text(r, lang),
        needs=needs,
        need_citation=layer.citation if layer else "",
        items_key=(frame.filters, lang),
    )

    # a presenter's map takes the width until a unit is chosen; then its details sit beside it, not below the fold
    side_by_side = not frame.presenter or look.selected
    left, right = st.columns([3, 2]) if side_by_side else (st.container(), st.container())
    with left:
        ui.map_view(spec)
        st.markdown(coverage_line(cov, options.measure, look.focus, lang))
        title = f"{t('map.title', lang)} · {label('level', str(options.level), lang)}"
        st.download_button(
            t("map.svg", lang),
            lambda: map_svg(
                cat,
                spec,
                options.level,
                title=title,
                sentence=frame.sentence,
                stamp=t("map.svg_stamp", lang, date=date.today().isoformat()),
            ),
            f"malimap-map-{options.level}.svg",
            "image/svg+xml",
            icon="🖼️",
            on_click="ignore",
        )
        st.download_button(
            t("map.html", lang),
            lambda: map_html(
                cat,
                spec,
                items,
                options,
                title=title,
                sentence=frame.sentence,
                stamp=t("map.svg_stamp", lang, date=date.today().isoformat()),
                lang=lang,
                when=lambda r: date_text(r, lang),
            ),
            f"malimap-map-{options.level}.html",
            "text/html",
            icon="🗺️",
            on_click="ignore",
        )
    with right:
        ui.unit_panel(frame, items, options, cov, clicked)

    ui.gap_list(frame, cov)
    ui.elsewhere(frame, items)


map_section()
