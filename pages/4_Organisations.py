"""Organisations: each one's profile, and who works with whom."""

import streamlit as st

from malimap import ui
from malimap.counts.aggregate import organisation_profile, partnerships
from malimap.i18n import label, t
from malimap.outputs.charts import partnership_matrix

frame = ui.page_frame("orgs")
lang, cat = frame.lang, frame.catalogue
ui.header(frame, "orgs.title", "orgs.intro")
if ui.nothing_matches(frame):
    st.stop()
items = ui.display_titles(frame, frame.filtered)
names: dict[str, str] = dict(zip(cat.organisations["id"], cat.organisations["name"]))
present = sorted({o for ids in items["organisation_ids"] for o in ids}, key=lambda o: str(names.get(o, o)).lower())

if not present:
    st.info(t("orgs.none", lang))
    st.stop()
chosen = [o for o in frame.filters.organisations if o in present]  # the sidebar's organisations come first
present = chosen + [o for o in present if o not in chosen]
org = ui.url_selectbox(
    lang, "profile", t("orgs.choose", lang), present, lambda o: names.get(o, o), default=chosen[0] if chosen else None
)
p = organisation_profile(cat, items, org)
st.header(ui.plain(p["name"]) + (f" ({ui.plain(p['acronym'])})" if p["acronym"] and p["acronym"] != p["name"] else ""))
c1, c2, c3 = st.columns(3)
c1.metric(t("orgs.type", lang), label("org_type", p["type"], lang))
c2.metric(t("orgs.interventions", lang), len(p["interventions"]))
c3.metric(t("orgs.country", lang), p["country"] or "—")
st.markdown(
    f"**{t('orgs.roles', lang)}**: " + ui.plain(", ".join(f"{label('role', r, lang)} ({n})" for r, n in p["roles"].items()))
)
st.markdown(f"**{t('orgs.places', lang)}**: " + (ui.plain(", ".join(p["places"])) or "—"))
st.markdown(f"**{t('orgs.partners', lang)}**: " + (ui.plain(", ".join(f"{n} ({k})" for n, k in p["partners"])) or "—"))
st.markdown(f"**{t('orgs.aliases', lang)}**: " + ui.plain(" · ".join(p["aliases"])))
if p["notes"]:
    st.caption(ui.plain(p["notes"]))
with st.expander(t("orgs.list", lang, n=len(p["interventions"]))):
    for _, row in p["interventions"].iterrows():
        ui.intervention_card(frame, row)

pairs = partnerships(cat, items)
if len(pairs):
    st.plotly_chart(partnership_matrix(pairs, names, lang, large=frame.presenter), width="stretch")
    st.caption(
        t(
            "orgs.matrix_top",
            lang,
            top=min(12, len(set(pairs["a"]) | set(pairs["b"]))),
            total=len(set(pairs["a"]) | set(pairs["b"])),
        )
    )
