"""Streamlit helpers shared by every page: language, URL-bound widgets, charts with their tables."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from dashboard import access, charts, colours, data, export, fmt, i18n, safe

log = logging.getLogger("dashboard")

# Plotly asks for a base-map topology even when it draws only our own GeoJSON; this points it
# at the empty one in static/ instead of its CDN, so maps draw with the network cable out.
PLOTLY_CONFIG = {
    "topojsonURL": "./app/static/",
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "sendDataToCloud"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
# plotly.js's toolbar words that charts.LOCALE_ZH does not have in the form the plotly.js bundled
# with Streamlit 1.67 asks for (it says "Download plot as a PNG"; older ones "…a png").
MODEBAR_ZH = {
    "Download plot as a PNG": "下载为 PNG 图片",
    "Download plot as JSON": "下载为 JSON",
    "Reset camera to default": "重置视角",
    "Reset camera to last save": "回到上次保存的视角",
    "Orbital rotation": "环绕旋转",
    "Turntable rotation": "转台旋转",
    "Draw line": "画线",
    "Draw open freeform": "画开放曲线",
    "Draw closed freeform": "画封闭图形",
    "Draw rectangle": "画矩形",
    "Draw circle": "画圆",
    "Erase active shape": "删除所选图形",
    "Share chart...": "分享图表…",
}
MAX_LINKS = 40  # the strongest pairs; more lines turn a national map into a blot
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
NONE = ""  # "all" in a filter, "none chosen" in a record picker
SEARCH_MAX_CHARS = 40
ID_MAX_CHARS = 32  # longer URL ids are not looked up
DEFAULT_METRIC = "county_visit_rate"
NAME_MAX_CHARS = 60  # a name in a heading, button or list; longer ones end in "…"
FACT_MAX_CHARS = 30  # a short fact in a tile (specialty, model)
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


def labels(group: str, codes: pd.Series) -> pd.Series:
    """Translated labels of a column of data codes, e.g. labels('form', frame['form'])."""
    language = lang()  # once: session state is not cheap to read for every row
    return codes.map(lambda code: i18n.code_label(group, code, language))


def plain(value: object, max_chars: int | None = None) -> str:
    """A data value made safe to show inside Markdown: every Markdown/HTML character escaped,
    nothing turned into a link, no control or bidi character; cut to max_chars with an
    ellipsis where a long name would break the layout (tables keep the whole text)."""
    return _MD_SPECIAL.sub(r"\\\1", safe.short(safe.unlinked(str(value)), max_chars))


def shown_name(value: object) -> str:
    """A name where text is not Markdown (a picker's options): no control or bidi character,
    at most NAME_MAX_CHARS."""
    return safe.short(safe.CONTROL.sub("", str(value)), NAME_MAX_CHARS)


def notice_bad_param(key: str) -> None:
    """Tell the user (once per run) that a URL value was not understood, without echoing it."""
    shown = st.session_state.setdefault("_bad_params", set())
    if key not in shown:
        shown.add(key)
        st.warning(t("common.bad_param", name=key))
    log.info("ignored invalid URL parameter %s", key)


def history_navigation() -> bool:
    """Whether this run was started by the browser's Back or Forward: then the URL is the view to
    restore, every selection in it (an absent key means its default), not the widgets' state."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(ctx is not None and getattr(ctx, "is_history_navigation", False))


def _url_changed(key: str) -> str | None:
    """The URL's value for key if someone other than this app changed it since the app last
    wrote it (browser back/forward, an edited link); None otherwise."""
    raw = st.query_params.get(key)
    sent = st.session_state.get("_url_sent", {})
    return raw if raw is not None and key in sent and raw != sent[key] else None


def _sent(key: str, text: str | None) -> None:
    """Remember what the app wrote to the URL for key."""
    st.session_state.setdefault("_url_sent", {})[key] = text


def _start(key: str, parse: Callable[[str], object], default, fits: Callable = lambda v: True):
    """Set a URL-bound widget's value before it is drawn: the URL's if it changed under the app
    (back/forward), else the value it already has if that still fits, else the URL's if parse
    accepts it (ValueError if not: a notice), else default."""
    if _url_changed(key) is not None or history_navigation():
        st.session_state.pop(key, None)
    elif key in st.session_state:
        # The same key on another page is another widget to Streamlit, which would drop the
        # value on the way; handing it back keeps the choice as the user moves between pages.
        st.session_state[key] = st.session_state[key]
        if fits(st.session_state[key]):
            return
    raw = st.query_params.get(key)
    value = default
    if raw is not None:
        try:
            value = parse(raw)
        except ValueError:
            notice_bad_param(key)
    st.session_state[key] = value


def _to_url(key: str, text: str, default_text: str) -> None:
    """Keep a widget's value in the URL, left out while it is the default (links stay short)."""
    if text == default_text:
        if key in st.query_params:
            del st.query_params[key]
        _sent(key, None)
    else:
        st.query_params[key] = text
        _sent(key, text)


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
    _start(key, lambda raw: options[as_text.index(raw)], default, fits=lambda v: v in options)
    # Labels are made now, in this run's language, not later by whoever formats the widget.
    labels = {option: str(format_func(option)) for option in options}
    if getattr(widget, "__name__", "") in ("selectbox", "multiselect"):
        # Streamlit's own is English ("Choose an option"): shown while the user types to search
        kwargs.setdefault("placeholder", t("common.choose_placeholder"))
    value = widget(text, options, key=key, format_func=labels.__getitem__, **kwargs)
    # Left out while it is the default: a first visit then writes nothing to the URL, so it
    # makes no history entry of its own (Back leaves the app instead of replaying its start).
    _to_url(key, str(value), str(default))
    return value


def bind_text(
    widget: Callable, text: str, key: str, default: str = "", max_chars: int | None = None, **kwargs
) -> str:
    """A text input whose value lives in the URL under key (a longer URL value than max_chars is
    not taken)."""

    def parse(raw: str) -> str:
        if max_chars is not None and len(raw) > max_chars:
            raise ValueError("text too long")
        return raw

    _start(key, parse, default)
    value = widget(text, key=key, max_chars=max_chars, **kwargs)
    _to_url(key, value, default)
    return value


def bind_range(widget: Callable, text: str, key: str, low: int, high: int, **kwargs):
    """A low-high range slider bound to ?key=low-high, the whole span by default; no widget when
    the span is a single value."""
    if low >= high:
        return low, high

    def fits(value) -> bool:
        return low <= value[0] <= value[1] <= high

    def parse(raw: str) -> tuple[int, int]:
        value = tuple(int(part) for part in raw.split("-"))
        if len(value) != 2 or not fits(value):
            raise ValueError("not a range within the span")
        return value

    _start(key, parse, (low, high), fits=fits)
    start, end = widget(text, min_value=low, max_value=high, key=key, **kwargs)
    _to_url(key, f"{start}-{end}", f"{low}-{high}")
    return start, end


def bind_flag(widget: Callable, text: str, key: str, default: bool = False, **kwargs) -> bool:
    """A checkbox or toggle bound to ?key=1 / ?key=0."""

    def parse(raw: str) -> bool:
        if raw not in ("0", "1"):
            raise ValueError("not a flag")
        return raw == "1"

    _start(key, parse, default)
    value = widget(text, key=key, **kwargs)
    _to_url(key, "1" if value else "0", "1" if default else "0")
    return value


def search(widget: Callable, hint: str) -> str:
    """The name search box bound to ?q=; the text without surrounding spaces."""
    text = bind_text(widget, t("common.search"), "q", max_chars=SEARCH_MAX_CHARS, help=hint)
    return text.strip()


def facet(facets: pd.DataFrame, name: str) -> list[str]:
    """The values of one facet in a (facet, value) frame, in its order."""
    return facets.loc[facets["facet"] == name, "value"].tolist()


def choose_facet(
    widget: Callable, text: str, facets: pd.DataFrame, key: str, labelled: bool = True
) -> str:
    """A filter over the values of facet key, bound to ?key=; '' means all. Codes are shown
    through label(key, code) when labelled, as they are otherwise."""
    return choose(
        widget,
        text,
        [NONE, *facet(facets, key)],
        key=key,
        default=NONE,
        format_func=lambda v: (label(key, v) if labelled else v) if v else t("common.all"),
    )


def choose_tag(widget: Callable, facets: pd.DataFrame) -> str:
    """The tag filter (cooperation forms, platforms, shares…) bound to ?tag=<the Chinese tag>;
    each shown under its kind, in the session's language. '' means all."""
    tags = facets[facets["facet"] == "tag"]
    shown = {
        value: f"{label('tag_kind', kind)} · {tag_en if lang() == 'en' else value}"
        for value, kind, tag_en in zip(tags["value"], tags["kind"], tags["tag_en"], strict=True)
    }
    return choose(
        widget,
        t("alliances.tag"),
        [NONE, *shown],
        key="tag",
        default=NONE,
        format_func=lambda v: shown[v] if v else t("common.all"),
    )


def choose_city(widget: Callable, cities: pd.DataFrame) -> int:
    """A city of the province page's province, bound to ?city= (an adcode); 0 means every city."""
    names = {0: t("province.all_cities")} | {
        int(code): name
        for code, name in zip(cities["adcode"], localized(cities, "name"), strict=True)
    }
    return choose(
        widget, t("common.city"), list(names), key="city", default=0, format_func=names.get
    )


def choose_record(
    text: str, key: str, listed: pd.DataFrame, id_column: str, detail: str, none_text: str
) -> tuple[str, pd.DataFrame]:
    """A picker of one record bound to ?key=: the listed rows, plus the one asked for if it exists.

    Returns the chosen id ('' for none) and the record from query detail (taking key=id as its
    parameter), empty when none is chosen.
    """
    from dashboard import data  # here, not at import: pages and tests import ui without a DB

    if history_navigation():  # Back/Forward: the record in the URL, none if it names none
        wanted = str(st.query_params.get(key, NONE))
    else:
        wanted = str(_url_changed(key) or st.session_state.get(key, st.query_params.get(key, NONE)))
    # An id is short; a long URL value is not looked up (and gets the notice in choose).
    looked_up = wanted and len(wanted) <= ID_MAX_CHARS
    record = data.query(detail, **{key: wanted}) if looked_up else pd.DataFrame()
    names = dict(zip(listed[id_column], listed["name"], strict=True))
    options = [NONE, *names]
    if len(record) and wanted not in names:
        names[wanted] = record["name"].iloc[0]
        options.insert(1, wanted)
    chosen = choose(
        st.selectbox,
        text,
        options,
        key=key,
        default=NONE,
        format_func=lambda i: f"{shown_name(names[i])} · {i}" if i else none_text,
    )
    if chosen != wanted:
        record = data.query(detail, **{key: chosen}) if chosen else pd.DataFrame()
    return chosen, record


def choose_metric(widget: Callable, catalogue: pd.DataFrame) -> str:
    """The metric picker bound to ?metric= (catalogue indexed by metric_id)."""
    return choose(
        widget,
        t("common.metric"),
        list(catalogue.index),
        key="metric",
        default=DEFAULT_METRIC,
        format_func=lambda m: metric_name(catalogue, m),
    )


def choose_year(widget: Callable, years: Sequence[int]):
    """The year picker bound to ?year=, the first listed (latest) year by default. With no
    county metrics at all (a build without the simulation, nothing imported yet) there is no
    picker: the page says how to import and shows the current year, empty."""
    if not len(years):
        no_data_hint()
        return dt.date.today().year
    return choose(widget, t("common.year"), years, key="year", default=years[0])


def stop_without_places(places: pd.DataFrame) -> None:
    """A page about one place, when the official's regions hold none in the data: the message,
    and the page stops (rather than picking the first of no places)."""
    if places.empty:
        st.info(t("access.no_region_data"))
        st.stop()


def no_data_hint() -> None:
    """ "No data yet", and how an office imports its own."""
    st.info(f"**{t('common.no_data_title')}** · {t('common.no_data_hint')}")


def follow_click(event, ids: list[str], key: str) -> None:
    """Make a table row the user has just clicked the choice of record picker key (drawn after
    this); a selection left as it was changes nothing, so the picker can be used meanwhile."""
    rows = list(event.selection.rows)
    seen = f"_{key}_clicked_rows"
    if rows == st.session_state.get(seen) or history_navigation():
        st.session_state[seen] = rows  # a selection left on screen by Back is not a new click
        return
    st.session_state[seen] = rows
    if rows and rows[0] < len(ids):
        st.session_state[key] = ids[rows[0]]


def fresh_click(key: str, value) -> bool:
    """Whether value (e.g. the province clicked on a map) is a new click to act on: not the same
    selection seen before, and not one the browser's Back or Forward brought back on screen."""
    seen = f"_{key}_clicked"
    if value == st.session_state.get(seen) or history_navigation():
        st.session_state[seen] = value
        return False
    st.session_state[seen] = value
    return bool(value)


def url_with(**changes: str) -> dict[str, str]:
    """The URL's parameters now, with changes: what a link to another page carries along, so a
    page switch keeps every selection and makes one history entry, not two."""
    return {k: v for k, v in st.query_params.to_dict().items() if k not in changes} | changes


# One browser-history entry per user action. Streamlit pushes an entry whenever a run changes
# the URL (each st.query_params write, and the page path on a switch): several per action, e.g.
# st.switch_page writes the query, then the path. A push with no user action (a click, a key)
# since the last one becomes a replace, so Back goes to the previous view in one step. Back and
# Forward themselves rerun the page with is_history_navigation, which restores every selection
# from the URL (history_navigation above).
_HISTORY_JS = """
export default function () {
  const w = window;
  if (w.__oneEntryPerAction) return;
  w.__oneEntryPerAction = true;
  let acted = false;
  const mark = (e) => { if (e.isTrusted) acted = true; };
  for (const type of ["pointerdown", "keydown"]) w.addEventListener(type, mark, true);
  w.addEventListener("popstate", () => { acted = false; });
  const push = w.history.pushState.bind(w.history);
  const replace = w.history.replaceState.bind(w.history);
  w.history.pushState = (state, title, url) => {
    if (acted) { acted = false; return push(state, title, url); }
    return replace(state, title, url);
  };
}
"""


@st.cache_resource(show_spinner=False)
def _history_component():
    # Registered once per process: a component name is registered once.
    return st.components.v2.component("dashboard_history", js=_HISTORY_JS)


def one_history_entry_per_action() -> None:
    """Install the browser-history rule above (once per browser tab; draws nothing)."""
    with st.sidebar:
        _history_component()(key="dashboard_history")


def simulated_note(frame: pd.DataFrame | bool) -> None:
    """The "示例数据 / simulated" label, shown when any row on screen is simulated."""
    flag = (
        frame
        if isinstance(frame, bool)
        else bool("simulated" in frame and frame["simulated"].fillna(False).astype(bool).any())
    )
    if flag:
        st.caption(f"**【{t('common.simulated')}】** {t('common.simulated_note')}")


def unweighted_note(frame: pd.DataFrame) -> None:
    """The "未加权（缺分母）" label, shown when a value on screen is a plain mean of finished
    rates (some county reported a rate without its numerator and denominator)."""
    if "weighted" in frame and (frame["weighted"].astype("boolean") == False).any():  # noqa: E712
        st.caption(f"**{t('indicator.unweighted')}** · {t('indicator.unweighted_help')}")


def reference_values(metric: str) -> pd.DataFrame:
    """The published national values of an indicator (year, value, label, source)."""
    from dashboard import data  # here, not at import: pages and tests import ui without a DB

    refs = data.query("reference_values")
    return refs[(refs["indicator_id"] == metric) & (refs["adcode"] == 100000)]


def data_labels(rows: pd.DataFrame | pd.Series, page: str) -> pd.Series:
    """Per row, where it comes from: "● real" (an article), "○ simulated" in the page's words
    (messages page.data_*), or "imported" with the import's batch id. Takes the rows (with
    origin and batch_id) or, as before, their simulated column."""
    real, sample = t(f"{page}.data_real"), t(f"{page}.data_simulated")
    if isinstance(rows, pd.Series):
        return rows.map(lambda s: sample if s else real)
    if "origin" not in rows:
        return rows["simulated"].map(lambda s: sample if s else real)
    office = t("common.origin_office")
    batch = rows["batch_id"] if "batch_id" in rows else pd.Series(None, index=rows.index)
    return pd.Series(
        [
            sample
            if origin == "demo"
            else f"{office} {b}".strip()
            if origin == "office" and isinstance(b, str)
            else office
            if origin == "office"
            else real
            for origin, b in zip(rows["origin"], batch, strict=True)
        ],
        index=rows.index,
    )


def source_note(row: pd.Series, page: str) -> None:
    """Where one record comes from: simulated, an office's import, or the news article."""
    if row["simulated"]:
        st.info(f"○ **{t('common.simulated')}** · {t(f'{page}.source_simulated')}")
    elif row.get("origin") == "office":
        st.info(t("common.source_office", batch=plain(str(row.get("batch_id") or ""))))
    elif fmt.given(row["article_title"]):
        st.info(
            t(
                f"{page}.source_article",
                title=plain(row["article_title"]),
                publisher=plain(row["article_publisher"]),
                date=fmt.dated(row["article_date"], "day", lang()),
            )
        )


def table(
    frame: pd.DataFrame,
    key: str,
    filename: str,
    height: int | None = None,
    on_select: str = "ignore",
    selection_mode: str = "multi-row",
    styles: pd.DataFrame | None = None,
    column_config: dict | None = None,
    dated: dict[str, tuple[pd.Series, pd.Series]] | None = None,
):
    """A table with CSV and Excel downloads beside it (files made only when clicked); with
    on_select="rerun" its rows can be picked and the selection event is returned. styles: CSS
    per cell (the frame's shape), e.g. a cell coloured against its target; column_config:
    Streamlit's, e.g. a small trend (a column of lists, left out of the downloads).

    dated: column (as shown) -> (dates, precisions) of a column whose text says a date as
    exactly as its source does (fmt.dates_with: 2017年6月, 不晚于2017年9月5日): the screen shows
    that text but sorts the column by the dates; downloads get the text."""
    pickable = on_select != "ignore"
    if dated:
        shown = sortable_dates(frame, dated)
    elif styles is not None:
        shown = frame.style.format(na_rep=fmt.DASH).apply(lambda _: styles, axis=None)
    else:
        shown = frame
    event = st.dataframe(
        shown,
        placeholder=fmt.DASH,  # an empty cell reads "—", not Streamlit's "None"
        hide_index=True,
        width="stretch",
        height=height or "auto",
        key=key if pickable else None,
        on_select=on_select,
        selection_mode=selection_mode,
        column_config=column_config,
    )
    lists = [c for c in frame.columns if frame[c].map(lambda v: isinstance(v, list)).any()]
    plain_frame = frame.drop(columns=lists)
    downloads(lambda: plain_frame, key, download_stem(key, filename), sheet=download_title(key))
    return event if pickable else None


def sortable_dates(frame: pd.DataFrame, dated: dict[str, tuple[pd.Series, pd.Series]]):
    """The frame with the dated columns holding dates, each cell shown as fmt.dated writes it
    (a pandas Styler: st.dataframe shows its text and sorts by the values underneath)."""
    data = frame.reset_index(drop=True)
    # dates, not datetimes: what a copy or a screen reader gets reads 2017-06-01, not 00:00:00
    data = data.assign(
        **{
            col: pd.Series(pd.to_datetime(pd.Series(values).to_numpy())).dt.date.astype(object)
            for col, (values, _) in dated.items()
        }
    )
    styler = data.style.format(na_rep=fmt.DASH)  # first: the dated formats below override it
    language = lang()
    for col, (_, precision) in dated.items():
        exact = pd.Series(precision).fillna("day").to_numpy()
        for p in dict.fromkeys(exact):
            rows = data.index[exact == p]
            styler.format(
                lambda v, p=p: fmt.dated(v, p, language), subset=pd.IndexSlice[rows, [col]]
            )
    # Other numbers as the pages write them (a Styler would show six decimals).
    floats = [c for c in data.columns if pd.api.types.is_float_dtype(data[c])]
    if floats:
        styler.format(lambda v: fmt.number(v) if pd.notna(v) else "", subset=floats)
    return styler


def download_title(key: str) -> str | None:
    """The translated title of a page table's download (messages download.<key>), if any."""
    return t(f"download.{key}") if f"download.{key}" in i18n.catalogue() else None


def download_stem(key: str, filename: str) -> str:
    """A page table's file name in the session's language: in Chinese its title (messages
    download.<key>) followed by the metric, ids and years of the English name; in English, or
    without a title, the English name."""
    title = download_title(key)
    if lang() == "en" or title is None:
        return filename
    from dashboard import data  # here, not at import: pages and tests import ui without a DB

    catalogue = data.query("metric_catalogue")
    names = dict(zip(catalogue["metric_id"], catalogue["name_zh"], strict=True))
    parts = []
    for metric in sorted(names, key=len, reverse=True):  # metric ids hold underscores
        if re.search(rf"(^|_){metric}(_|$)", filename):
            parts.append(names[metric])
            filename = re.sub(rf"(^|_){metric}(_|$)", "_", filename)
    words = filename.split("_")
    if key.startswith("metrics_"):  # the metrics page's files differ by level too
        parts += [label("level", word) for word in words if word in ("province", "city", "county")]
    ids = [word for word in words if any(ch.isdigit() for ch in word)]
    return "_".join([title, *parts, *ids])


def downloads(
    make: Callable[[], pd.DataFrame], key: str, stem: str, sheet: str | None = None
) -> None:
    """CSV and Excel download buttons for the frame make() returns (made only when clicked),
    written by dashboard/export: inert cells, 是/否, real dates, a named sheet, column widths."""
    if not access.may_download():  # viewers see tables, analysts and admins also download them
        return
    # one row of buttons as wide as their labels, wrapping in a narrow column
    left = right = st.container(horizontal=True)
    left.download_button(
        t("common.download_csv"),
        access.audited(export.file_name(stem, "csv"), lambda: export.csv_bytes(make(), lang())),
        file_name=export.file_name(stem, "csv"),
        mime="text/csv",
        key=f"{key}_csv",
        on_click=download_clicked,
    )
    right.download_button(
        t("common.download_xlsx"),
        access.audited(
            export.file_name(stem, "xlsx"),
            lambda: export.xlsx_bytes({sheet or stem: make()}, lang()),
        ),
        file_name=export.file_name(stem, "xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click=download_clicked,
    )


def download_clicked() -> None:
    """After a download click the page runs again, through the door (gate.enforce): a person
    removed from the list sees the no-access page, one lowered to viewer is told here why the
    file did not come, and the buttons go."""
    if not access.may_download():
        st.toast(t("access.withdrawn"))


FONT_PX = 14  # a page's chart text; margins are made to hold its labels at this size


def _finish(fig, language: str):
    fig = charts.localise(fig, language, layout={"font": {"family": FONT}})
    return charts.fit(fig, FONT_PX)


@st.cache_resource(max_entries=512, show_spinner=False)
def _kept(key: tuple, _make: Callable):
    """Made once per key, then shared by every session (never changed after)."""
    return _make()


def shared(name: str, view: tuple, make: Callable):
    """make() once per view (everything it depends on besides the language, the official's
    regions and the database file), then shared by every session and rerun: figures and
    display tables a rerun would otherwise make again."""
    path, stamp = data.current_stamp()
    return _kept((name, view, lang(), tuple(access.scope()), path, stamp), make)


def chart(
    fig,
    key: str,
    frame: pd.DataFrame,
    filename: str,
    on_select: str = "ignore",
    view: tuple | None = None,
    **kwargs,
):
    """A Plotly chart drawn offline, with the table behind it one click away.

    With `view` (everything the figure depends on besides the language, the official's
    regions and the database file), `fig` is a function that builds the figure, and it is
    built once per view for every session: Plotly's figure building is most of a rerun."""
    if view is None:
        fig = _finish(fig, lang())
    else:
        build = fig
        fig = shared(key, view, lambda: _finish(build(), lang()))
    config = plotly_config()
    event = st.plotly_chart(
        fig, key=key, config=config, on_select=on_select, width="stretch", **kwargs
    )
    # The table is made and sent only once the reader opens it (a rerun), not on every view.
    with st.expander(t("common.show_table"), key=f"{key}_table_open", on_change="rerun") as box:
        if box.open:
            table(frame, key=f"{key}_table", filename=filename)
    return event


def plotly_config(base: dict | None = None) -> dict:
    """A chart's config in the session's language, every toolbar tip of Plotly's included."""
    config = charts.plotly_config(PLOTLY_CONFIG if base is None else base, lang())
    for name, locale in config.get("locales", {}).items():
        if name == "zh-CN":  # a copy: the shared dictionary is not changed
            words = {**locale["dictionary"], **MODEBAR_ZH}
            config["locales"] = {name: {**locale, "dictionary": words}}
    return config


def activity_chart(
    activity: pd.DataFrame,
    key: str,
    filename: str,
    table: dict[str, str],
    view: tuple | None = None,
):
    """Activities per month stacked by kind (activity: month, kind, count, simulated), with its
    table of the given columns (column -> message key; month and activity are made here); view:
    as for chart()."""
    activity = activity.assign(activity=labels("activity", activity["kind"]))

    def build():
        return charts.bars(
            activity,
            x="month",
            y="count",
            color="activity",
            height=380,
            labels={"month": t(table["month"]), "count": t("common.count")},
            integer=True,
            # each kind of activity in its fixed colour, on every alliance's and institution's page
            colours={label("activity", k): c for k, c in colours.ACTIVITY.items()},
        )

    chart(
        build if view is not None else build(),
        key,
        columns(activity.assign(month=fmt.months(activity["month"])), table),
        filename,
        view=view,
    )
    simulated_note(activity)


def columns(frame: pd.DataFrame, mapping: dict[str, str]) -> pd.DataFrame:
    """The listed columns only, renamed to translated headers (mapping: column -> message key)."""
    # references to the columns (copy-on-write), not a copy of every string column
    return pd.DataFrame({t(k): frame[c] for c, k in mapping.items()}, copy=False)


def language_picker(in_sidebar: bool = True) -> str:
    """Chinese/English switch bound to ?lang=; the kiosk reads the URL without a widget."""
    if in_sidebar:
        return choose(
            st.sidebar.radio,
            i18n.text("lang.label"),
            list(i18n.LANGS),
            key="lang",
            default=i18n.DEFAULT_LANG,
            format_func={"zh": "中文", "en": "English"}.get,
            horizontal=True,
        )
    raw = st.query_params.get("lang", i18n.DEFAULT_LANG)
    st.session_state["lang"] = raw if raw in i18n.LANGS else i18n.DEFAULT_LANG
    return st.session_state["lang"]


def localized(frame: pd.DataFrame, column: str) -> pd.Series:
    """A name column in the session's language (English from column_en where there is one)."""
    return fmt.in_language(frame, column, lang())


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
    return choose(
        st.sidebar.selectbox,
        t("province.label"),
        list(names),
        key="province",
        default=0,
        format_func=names.get,
    )


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
