"""The floor for page-load benchmarks: the cheapest page Streamlit can serve (a title and a sentence)."""

import streamlit as st

st.title("Floor")
st.write("A trivial Streamlit page: what any app on this server costs before it does anything.")
