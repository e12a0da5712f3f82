"""The only package that imports Streamlit: URL state (state), the page frame and shared data (frame), records as cards
(cards), the map view (mapview) and the upload (upload). Pages use what is exported here."""

from malimap.i18n import plain
from malimap.ui.cards import MAX_CARDS, MAX_TABLE_ROWS, display_titles, elsewhere, intervention_card, source_text
from malimap.ui.frame import (
    Frame,
    boundaries_note,
    data_dir,
    forget_shared_data,
    header,
    need_layer,
    nothing_matches,
    page_frame,
    public_mode,
    shared_catalogue,
)
from malimap.ui.mapview import MAX_UNIT_CARDS, gap_list, geometry_ref, map_click, map_controls, map_view, unit_panel
from malimap.ui.propose import article_panel
from malimap.ui.state import chosen_unit, url_selectbox, url_toggle
from malimap.ui.upload import upload_panel

__all__ = [
    "article_panel",
    "MAX_CARDS",
    "MAX_TABLE_ROWS",
    "MAX_UNIT_CARDS",
    "Frame",
    "boundaries_note",
    "chosen_unit",
    "data_dir",
    "display_titles",
    "elsewhere",
    "forget_shared_data",
    "gap_list",
    "geometry_ref",
    "header",
    "intervention_card",
    "map_click",
    "map_controls",
    "map_view",
    "need_layer",
    "nothing_matches",
    "page_frame",
    "plain",
    "public_mode",
    "shared_catalogue",
    "source_text",
    "unit_panel",
    "upload_panel",
    "url_selectbox",
    "url_toggle",
]
