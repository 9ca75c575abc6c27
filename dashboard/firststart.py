"""Build the shipped database on the first start of a fresh clone, with a visible progress bar."""

from __future__ import annotations

import os

import streamlit as st

from dashboard import build, db, i18n, ui


def _step(i: int, n: int, step: str) -> str:
    """A build step as the progress bar says it: 3/6 写入数据库 · Writing the database."""
    key = f"build.step.{step}"
    if key not in i18n.catalogue():
        return f"{i}/{n} {step}"
    return f"{i}/{n} {i18n.text(key, 'zh')} · {i18n.text(key, 'en')}"


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
            path,
            progress=lambda i, n, step: bar.progress(i / n, text=_step(i, n, step)),
            if_missing=True,
        )
        status.update(state="complete")
    st.rerun()
