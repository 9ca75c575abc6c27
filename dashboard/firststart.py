"""Build the shipped database on the first start of a fresh clone, with a visible progress bar."""

from __future__ import annotations

import os

import streamlit as st

from dashboard import build, db, ui


def ensure_database() -> None:
    """If the default database file is missing, build it once (other sessions wait for it)."""
    path = db.db_path()
    if path.exists() or os.environ.get("DASHBOARD_DB"):
        return  # a named file that is missing is an error for the page to report, not to build
    path.parent.mkdir(parents=True, exist_ok=True)
    with st.status(ui.t("common.building"), expanded=True) as status:
        bar = st.progress(0.0)
        # build's lock: another session may be building it right now (then this one waits)
        build.build(
            path, progress=lambda i, n, step: bar.progress(i / n, text=step), if_missing=True
        )
        status.update(state="complete")
    st.rerun()
