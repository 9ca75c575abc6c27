"""Placeholder."""

import streamlit as st

st.write("TODO")
