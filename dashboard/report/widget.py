"""The "生成简报" button of the province and alliance pages: builds the briefing of the current
selection with a progress bar and offers the Word and PDF files for download."""

from __future__ import annotations

import logging
import time

import streamlit as st

from dashboard import access, db, ui
from dashboard.access import files as served
from dashboard.report import make

log = logging.getLogger("dashboard")
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
STATE = "_briefing"  # the last briefing made in this session: its selection and files


def can_export() -> bool:
    """Whether this session may download files: the same right as the tables' downloads."""
    return access.may_download()


def button(kind: str, key, **selection) -> None:
    """The button for a province (key adcode; selection metric, year) or an alliance (key id)."""
    if not can_export():
        return
    wanted = (kind, str(key), ui.lang(), tuple(sorted(selection.items())), access.scope())
    if st.button(
        ui.t("briefing.button"), key=f"briefing_{kind}", help=ui.t("briefing.button_help")
    ):
        bar = st.progress(0.0, text=ui.t("briefing.step_gather"))

        def progress(step: int, total: int, label: str) -> None:
            bar.progress(step / total, text=ui.t(label))

        try:
            con = db.connect()
            try:
                made = make(
                    con,
                    kind,
                    key,
                    ui.lang(),
                    progress=progress,
                    regions=access.scope(),  # the session's regions, as on its pages
                    **selection,
                )
            finally:
                con.close()
        except Exception:
            log.exception("briefing %s %s failed", kind, key)
            bar.empty()
            st.error(ui.t("briefing.failed"))
            return
        st.session_state[STATE] = (
            wanted,
            made.briefing,
            made.files,
            made.warnings,
            time.monotonic(),
        )
    last = st.session_state.get(STATE)
    if last is None or last[0] != wanted:  # made for another selection: not offered here
        return
    _, briefing, files, warnings, made_at = last
    if time.monotonic() - made_at > served.EXPIRE_S:  # expired: made again on a click
        del st.session_state[STATE]
        return
    columns = st.columns(len(files) + 2)
    for column, (ext, data) in zip(columns, files.items(), strict=False):
        # A file handed over on the click, after the grant is checked again (access.audited),
        # and only to this login (access/files.py), not a /media URL made when drawn.
        column.download_button(
            ui.t(f"briefing.download_{ext}"),
            access.audited(briefing.file_name(ext), lambda data=data: data),
            file_name=briefing.file_name(ext),  # 浙江省_医联体简报_2025年.pdf
            mime=MIME[ext],
            key=f"briefing_{kind}_{ext}",
            on_click=ui.download_clicked,
        )
    for warning in warnings:  # e.g. the PDF's fonts fell back to Type 3 glyphs
        st.warning(ui.t(warning))
