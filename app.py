"""Router: the pages, the shared sidebar (language, province), first start, friendly errors."""

import logging
from pathlib import Path

import streamlit as st

from dashboard import data, db, gate, gctune, ui
from dashboard.firststart import ensure_database

ROOT = Path(__file__).resolve().parent
log = logging.getLogger("dashboard")

st.set_page_config(
    page_title="医联体协作看板", page_icon=str(ROOT / "static" / "icon.png"), layout="wide"
)
kiosk = (st.context.url or "").rstrip("/").endswith("/kiosk")
ui.language_picker(in_sidebar=not kiosk)

pages = [
    st.Page(ROOT / "pages/overview.py", title=ui.t("nav.overview"), url_path="", default=True),
    st.Page(ROOT / "pages/province.py", title=ui.t("nav.province"), url_path="province"),
    st.Page(ROOT / "pages/alliances.py", title=ui.t("nav.alliances"), url_path="alliances"),
    st.Page(
        ROOT / "pages/institutions.py", title=ui.t("nav.institutions"), url_path="institutions"
    ),
    st.Page(ROOT / "pages/metrics.py", title=ui.t("nav.metrics"), url_path="metrics"),
    st.Page(ROOT / "pages/scorecard.py", title=ui.t("nav.scorecard"), url_path="scorecard"),
    st.Page(ROOT / "pages/county.py", title=ui.t("nav.county"), url_path="county"),
    st.Page(ROOT / "pages/data.py", title=ui.t("nav.data"), url_path="data"),
    st.Page(ROOT / "pages/kiosk.py", title=ui.t("nav.kiosk"), url_path="kiosk"),
] + [
    # The overview is the root URL; the paths an official may type for it open it too, instead
    # of Streamlit's English "Page not found" dialog. Hidden: the menu lists the overview once.
    st.Page(
        ROOT / "pages/overview.py", title=ui.t("nav.overview"), url_path=alias, visibility="hidden"
    )
    for alias in ("overview", "home", "index")
]
# Login, the access list, kiosk tokens (dashboard/gate.py): nothing below runs without a grant.
grant = gate.enforce(kiosk, pages)
page = st.navigation(pages, position="hidden" if kiosk else "sidebar")
gate.view(grant, page.url_path)

try:
    ensure_database()
    outside = not kiosk and gate.outside_province(grant)
    if not kiosk:
        ui.one_history_entry_per_action()
        ui.province_picker()
    if not kiosk:
        data.current_stamp()  # which file this page reads: the new one once its turn has come
        if data.newer_file_waiting():
            st.caption(ui.t("common.newer_file"))
    if not outside:
        page.run()
    gctune.settle()
except db.DatabaseUnavailable as exc:
    log.warning("database unavailable: %s", exc)
    st.error(f"**{ui.t('common.db_missing_title')}** — {ui.t('common.db_missing')}")
except Exception:
    # Officials see a plain message; the traceback goes to the server log only.
    log.exception("page failed")
    st.error(ui.t("common.page_error"))
