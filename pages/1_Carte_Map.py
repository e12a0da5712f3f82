"""Map: initiatives per region, cercle or commune, planned work apart, Mali-wide records as a badge; click to read."""

from datetime import date

import streamlit as st

from malimap import ui
from malimap.charts import date_text
from malimap.coverage import default_level
from malimap.i18n import label, t
from malimap.maps import Look, map_spec, map_svg

frame = ui.page_frame("map")
lang, cat = frame.lang, frame.catalogue
if not frame.presenter:
    ui.header(frame, "map.title", "map.intro")
ui.nothing_matches(frame)  # the map still draws: every unit at zero is the honest picture
items = ui.display_titles(frame, frame.filtered)
options, gaps, tiles = ui.map_controls(frame, default_level(cat, items))
f = frame.filters
clicked = ui.map_click()
look = Look(lang=lang, presenter=frame.presenter, gaps=gaps, caption=frame.sentence, selected=clicked or ui.chosen_unit(lang),
            focus=(*f.regions, *f.cercles, *f.communes), tiles=tiles)
spec, cov = map_spec(cat, items, options, look, lambda lv: ui.geometry_ref(cat, lv), when=lambda r: date_text(r, lang))

left, right = (st.container(), st.container()) if frame.presenter else st.columns([3, 2])
with left:
    ui.map_view(spec)
    covered = int((cov.units["value"] > 0).sum())
    levels = t(f"level_plural.{options.level}", lang)
    st.markdown(t("map.coverage", lang, covered=covered, total=len(cov.units), levels=levels,
                  a=t(f"measure.{options.measure}.a", lang)))
    title = f"{t('map.title', lang)} · {label('level', str(options.level), lang)}"
    st.download_button(t("map.svg", lang), lambda: map_svg(cat, spec, options.level, title=title, sentence=frame.sentence,
                                                           stamp=t("map.svg_stamp", lang, date=date.today().isoformat())),
                       f"malimap-map-{options.level}.svg", "image/svg+xml", icon="🖼️")
with right:
    ui.unit_panel(frame, items, options, cov, clicked)

ui.gap_list(frame, cov)
ui.elsewhere(frame, items)
