"""The textbook app (yardstick for benchmarks/run.py): every rerun re-reads files and rebuilds the raw-geometry map."""

import os
from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

from benchmarks import baseline

# The textbook app loads Leaflet, jQuery and Bootstrap from CDNs and never draws offline; for a measurement that means
# anything, it gets the same local Leaflet as malimap and nothing else changes.
folium.Map.default_js = [("leaflet", "/app/static/leaflet/leaflet.js")]
folium.Map.default_css = [("leaflet_css", "/app/static/leaflet/leaflet.css")]
data = Path(os.environ["MALIMAP_DATA_DIR"])
reference = Path(os.environ["MALIMAP_REFERENCE_GEO"])
level = int(os.environ.get("BASELINE_LEVEL", "3"))
st.title("Baseline")
theme = st.sidebar.selectbox("Theme", ["dialogue", "mediation", "research"], key="theme")
tables = baseline.load(data)
filtered = baseline.filter_rows(tables, theme, 2015, 2020)
m = baseline.build_map(reference, level, baseline.count_rows(tables, filtered, level))
st_folium(m, key="map", height=600, width=900)
