"""Streamlit helpers shared by every page: language, URL-bound widgets, charts with their tables."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from dashboard import i18n

log = logging.getLogger("dashboard")

# Plotly asks for a base-map topology even when it draws only our own GeoJSON; this points it
# at the empty one in static/ instead of its CDN, so maps draw with the network cable out.
PLOTLY_CONFIG = {
    "topojsonURL": "./app/static/",
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "sendDataToCloud"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
MAX_LINKS = 40  # the strongest pairs; more lines turn a national map into a blot
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def lang() -> str:
    """The language of this session: 'zh' (default) or 'en'."""
    return st.session_state.get("lang", i18n.DEFAULT_LANG)


def t(key: str, **values: object) -> str:
    """Translated message for the session's language."""
    return i18n.text(key, lang(), **values)


def label(group: str, code: object) -> str:
    """Translated label of a data code, e.g. label('form', 'specialist')."""
    return i18n.code_label(group, code, lang())


def plain(value: object) -> str:
    """A data value made safe to show inside Markdown: every Markdown/HTML character escaped."""
    return _MD_SPECIAL.sub(r"\\\1", str(value))


def notice_bad_param(key: str) -> None:
    """Tell the user (once per run) that a URL value was not understood, without echoing it."""
    shown = st.session_state.setdefault("_bad_params", set())
    if key not in shown:
        shown.add(key)
        st.warning(t("common.bad_param", name=key))
    log.info("ignored invalid URL parameter %s", key)


def choose(
    widget: Callable,
    text: str,
    options: Sequence,
    key: str,
    default=None,
    format_func: Callable = str,
    **kwargs,
):
    """A selection widget whose value lives in the URL under key, so a link reproduces the view."""
    options = list(options)
    if not options:
        return None
    default = default if default in options else options[0]
    as_text = [str(o) for o in options]
    if key in st.session_state:
        # The same key on another page is another widget to Streamlit, which would drop the
        # value on the way; handing it back keeps the choice as the user moves between pages.
        st.session_state[key] = st.session_state[key]
    if key not in st.session_state or st.session_state[key] not in options:
        raw = st.query_params.get(key)
        if raw is not None and raw in as_text:
            st.session_state[key] = options[as_text.index(raw)]
        else:
            if raw is not None:
                notice_bad_param(key)
            st.session_state[key] = default
    # Labels are made now, in this run's language, not later by whoever formats the widget.
    labels = {option: str(format_func(option)) for option in options}
    value = widget(text, options, key=key, format_func=labels.__getitem__, **kwargs)
    st.query_params[key] = str(value)
    return value


def simulated_note(frame: pd.DataFrame | bool) -> None:
    """The "示例数据 / simulated" label, shown when any row on screen is simulated."""
    flag = frame if isinstance(frame, bool) else bool(
        "simulated" in frame and frame["simulated"].fillna(False).astype(bool).any()
    )
    if flag:
        st.caption(f"**【{t('common.simulated')}】** {t('common.simulated_note')}")


def _xlsx(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, engine="openpyxl")
    return buffer.getvalue()


def table(frame: pd.DataFrame, key: str, filename: str, height: int | None = None) -> None:
    """A table with CSV and Excel downloads beside it (files made only when clicked)."""
    st.dataframe(frame, hide_index=True, width="stretch", height=height or "auto")
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        t("common.download_csv"), lambda: frame.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"{filename}.csv", mime="text/csv", key=f"{key}_csv", on_click="ignore",
    )
    right.download_button(
        t("common.download_xlsx"), lambda: _xlsx(frame), file_name=f"{filename}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx", on_click="ignore",
    )


def chart(fig, key: str, frame: pd.DataFrame, filename: str, on_select: str = "ignore", **kwargs):
    """A Plotly chart drawn offline, with the table behind it one click away."""
    fig.update_layout(font_family=FONT)
    event = st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG, on_select=on_select,
                            width="stretch", **kwargs)
    with st.expander(t("common.show_table")):
        table(frame, key=f"{key}_table", filename=filename)
    return event


def columns(frame: pd.DataFrame, mapping: dict[str, str]) -> pd.DataFrame:
    """The listed columns only, renamed to translated headers (mapping: column -> message key)."""
    return frame[list(mapping)].rename(columns={c: t(k) for c, k in mapping.items()})


def language_picker(in_sidebar: bool = True) -> str:
    """Chinese/English switch bound to ?lang=; the kiosk reads the URL without a widget."""
    if in_sidebar:
        return choose(st.sidebar.radio, i18n.text("lang.label"), list(i18n.LANGS), key="lang",
                      default=i18n.DEFAULT_LANG, format_func={"zh": "中文", "en": "English"}.get,
                      horizontal=True)
    raw = st.query_params.get("lang", i18n.DEFAULT_LANG)
    st.session_state["lang"] = raw if raw in i18n.LANGS else i18n.DEFAULT_LANG
    return st.session_state["lang"]


def province_name(row) -> str:
    """A province's name in the session's language."""
    return row["name_en"] if lang() == "en" and row["name_en"] else row["name"]


def province_picker() -> int:
    """The shared province choice in the sidebar, bound to ?province=; 0 means all of China."""
    from dashboard import data  # here, not at import: pages and tests import ui without a DB

    provinces = data.query("provinces")
    names = {0: t("province.all")} | {
        int(r["adcode"]): province_name(r) for _, r in provinces.iterrows()
    }
    return choose(st.sidebar.selectbox, t("province.label"), list(names), key="province",
                  default=0, format_func=names.get)


def metric_name(catalogue: pd.DataFrame, metric_id: str) -> str:
    """A catalogue metric's name in the session's language (catalogue indexed by metric_id)."""
    row = catalogue.loc[metric_id]
    return row["name_en"] if lang() == "en" else row["name_zh"]


def current_province() -> int:
    """The sidebar's province (adcode), 0 for all of China."""
    return int(st.session_state.get("province", 0) or 0)


def through_router() -> None:
    """Rerun through app.py when Streamlit ran this page file on its own.

    Streamlit runs a file under pages/ directly (its legacy multipage mode) when the first visit
    to a fresh server is a deep link such as /province; the router, sidebar and error handling
    of app.py would then be missing.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
