"""Funders: who funds whom to do what, counts per funder and theme, budgets only where stated."""

import pandas as pd
import streamlit as st

from malimap import ui
from malimap.counts.aggregate import budget_summary, count_by_funder, count_by_theme, funding_flows, money_by_currency
from malimap.i18n import amount, label, t, theme_label
from malimap.outputs.charts import funder_bar, funder_sankey, theme_bar

frame = ui.page_frame("funders")
lang, cat = frame.lang, frame.catalogue
ui.header(frame, "funders.title", "funders.intro")
if ui.nothing_matches(frame):
    st.stop()
items = frame.filtered

flows = funding_flows(cat, items, lang)
if flows.empty:
    st.info(t("funders.none", lang))
else:
    st.plotly_chart(funder_sankey(flows, lang, large=frame.presenter), width="stretch")
per_funder = count_by_funder(cat, items)
if len(per_funder):
    left, right = st.columns(2)
    left.plotly_chart(funder_bar(per_funder, lang, large=frame.presenter), width="stretch")
else:
    right = st.container()
labels = {c: theme_label(c, lang, cat.themes) for c in cat.themes["code"]}
right.plotly_chart(theme_bar(count_by_theme(cat, items), labels, lang, large=frame.presenter), width="stretch")

no_funder = int((items["all_funder_ids"].map(len) == 0).sum())
st.markdown(t("funders.no_funder", lang, n=no_funder, total=len(items)))
budget = budget_summary(items)
st.subheader(t("funders.budget", lang))
if budget["by_currency"]:
    for currency, amount in budget["by_currency"].items():
        st.metric(currency, f"{amount:,.0f}")
st.markdown(t("funders.budget_text", lang, known=budget["known"], unknown=budget["unknown"]))

money = money_by_currency(cat, items)
if len(money):
    st.subheader(t("funders.money", lang))
    st.markdown(t("funders.money_text", lang))
    shown = money.assign(
        kind=money["kind"].map(lambda k: label("money", k, lang)),
        amount=money["amount"].map(lambda v: amount(v, lang)),
        converted=[
            "" if pd.isna(v) else f"{amount(v, lang)} {c}" for v, c in zip(money["converted"], money["converted_currency"])
        ],
    ).drop(columns=["converted_currency"])
    if not money["converted"].notna().any():
        shown = shown.drop(columns=["converted"])
    st.dataframe(shown.rename(columns=lambda c: t(f"funders.money_col.{c}", lang)), hide_index=True, width="stretch")
