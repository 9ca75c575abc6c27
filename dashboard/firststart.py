"""Build the shipped database on the first start of a fresh clone, with a visible progress bar."""

from __future__ import annotations

import os

import streamlit as st

from dashboard import build, db, i18n, ui


def step_text(i: int, n: int, step: str, lang: str) -> str:
    """A build step as the progress bar says it, in the reader's language:
    第 3 步（共 7 步）：写入数据库."""
    key = f"build.step.{step}"
    what = i18n.text(key, lang) if key in i18n.catalogue() else i18n.text("build.step.other", lang)
    return i18n.text("build.step_of", lang, i=i, n=n, step=what)


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
            progress=lambda i, n, step: bar.progress(i / n, text=step_text(i, n, step, ui.lang())),
            if_missing=True,
        )
        status.update(state="complete")
    st.rerun()
