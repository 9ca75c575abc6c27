"""大屏: a read-only, self-rotating show for a lobby screen. No widgets; settings come from the URL
or kiosk.toml; the data file is re-read when it changes, so new data appear without a restart.

The national screen is one dense 1920x1080 composite in the 数据大屏 tradition: headline figures
on the left, the national map with cross-province flows in the centre, the provinces below the
target and the trend on the right; the province screens follow it in turn."""

import datetime as dt
import html
import logging
import time

import pandas as pd
import streamlit as st

from dashboard import charts, colours, data, db, fmt, kiosk, scorecard, ui

ui.through_router()
log = logging.getLogger("dashboard.kiosk")

# Fixed CSS, no data in it: dark big-screen look, every Streamlit menu, toolbar and indicator
# hidden. Designed for 1920x1080 CSS pixels (rem = 16 px: body text 2rem = 32 px); a 4K screen
# runs the browser at scale factor 2 (README); at scale factor 1 the rem doubles here and
# ?scale=2 enlarges the charts.
st.html("""<style>
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] { background: #0b1424; }
.stApp, .stApp p, .stApp li, .stApp h1, .stApp h2, .stApp h3, .stApp span { color: #e8eef7; }
header, footer, #MainMenu, [data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"], [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"], [data-testid="stMainMenu"], .stDeployButton,
[data-testid="stAppDeployButton"], [data-testid="stConnectionStatus"],
[data-testid="stElementToolbar"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.4rem 2rem 0 2rem; max-width: 100%; }
[data-testid="stVerticalBlock"] { gap: 0.5rem; }
.stApp h1 { font-size: 3.2rem; padding: 0; line-height: 1.25; }
.stApp h2 { font-size: 2.4rem; } .stApp h3 { font-size: 2rem; }
.stApp p, .stApp li { font-size: 2rem; }
.kiosk-head { display: flex; justify-content: space-between; align-items: baseline; }
.kiosk-head h1 { margin: 0; padding: 0; }
.kiosk-clock { font-size: 2rem; color: #9fb3c8; white-space: nowrap; }
.kiosk-clock b { font-size: 3.2rem; color: #e8eef7; margin-right: 1.2rem; }
.kiosk-tile { border-left: 0.4rem solid #f5b041; background: #13223a; padding: 0.3rem 0.9rem;
  margin-bottom: 0.7rem; }
.kiosk-tile .label { font-size: 2rem; color: #9fb3c8; line-height: 1.2; }
.kiosk-tile .value { font-size: 4.6rem; font-weight: 700; line-height: 1.05; color: #ffffff; }
.kiosk-tile .value small { font-size: 2.4rem; font-weight: 400; }
.kiosk-panel { font-size: 2rem; font-weight: 700; color: #f5b041; line-height: 1.4; }
.kiosk-latest { width: 100%; border-collapse: collapse; font-size: 1.7rem; line-height: 1.3; }
.kiosk-latest th { font-size: 1.4rem; color: #9fb3c8; font-weight: 400; text-align: left; }
.kiosk-latest td, .kiosk-latest th { padding: 0.2rem 0.8rem 0.2rem 0; white-space: nowrap;
  border-bottom: 1px solid #1f3050; }
.kiosk-latest td.name { white-space: normal; font-weight: 700; }
.kiosk-foot { display: flex; justify-content: space-between; font-size: 2rem; color: #9fb3c8; }
@media (min-width: 2500px) { html { font-size: 32px; } }
</style>""")

CHART_CONFIG = ui.PLOTLY_CONFIG | {"staticPlot": True, "displayModeBar": False}
FONT_PX = 32  # body text on the screen, at 1080p
DARK = {
    "template": "plotly_dark",
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
    "font": {"size": FONT_PX, "family": ui.FONT, "color": "#e8eef7"},
}
# Heights in CSS pixels at 1080p; the screen is 1080 tall, the title row and footer take ~170.
MAP_PX, RANK_PX, TREND_PX = 860, 430, 300
COLORBAR = {
    "orientation": "v",
    "len": 0.4,
    "thickness": 18,
    "x": 0.0,
    "xanchor": "left",
    "y": 0.04,
    "yanchor": "bottom",
}
COLUMNS = [1.1, 2.9, 1.4]  # headline figures, the map, ranking and trend
RANKED = 8  # provinces or counties in the ranking
LABEL_EM = 7  # a ranked name, at most: longer ones end in …
STATUS = colours.STATUS["dark"]  # below the target red, meeting it blue, as on the maps
LINKS = colours.MARKS["dark"]["link"]
SERIES = [colours.PLAIN["dark"], STATUS[colours.AT]]  # the region, then the nation

# Settings that need no database (interval, language, scale); province and metric are checked
# against the data at every tick, so the screen starts, and heals, whatever the file's state.
start = kiosk.settings(st.query_params.to_dict(), None, None)
if ui.lang() != start.lang:  # kiosk.toml may name the language; the URL was read already
    st.session_state["lang"] = start.lang


def text(value: object) -> str:
    """Data or message text made inert for the screen's HTML."""
    return html.escape(str(value))


def tiles(items: list[tuple], edges: list[str] | None = None) -> None:
    """Headline figures, large: (label, value, small unit after it); edges: the colour of each
    tile's edge where it says something (the value's status against its target)."""
    edges = edges or [""] * len(items)
    st.html(
        "".join(
            f'<div class="kiosk-tile"{style}><div class="label">{text(label)}</div>'
            f'<div class="value">{text(value)}<small>{text(unit)}</small></div></div>'
            for (label, value, unit), style in zip(
                items,
                # colours from dashboard/colours.py only: no data reaches the style
                [f' style="border-left-color:{e}"' if e else "" for e in edges],
                strict=True,
            )
        )
    )


def on_target(pct: float) -> tuple[str, str]:
    """The share of counties on target as a tile shows it; a dash when no county is measured."""
    return ("—", "") if pd.isna(pct) else (f"{pct:.1f}", "%")


def panel(title: str) -> None:
    st.html(f'<div class="kiosk-panel">{text(title)}</div>')


def show(fig, height: int, scale: int, top_px: int = 0) -> None:
    """A static, dark Plotly chart (no toolbar, no hover), enlarged by the kiosk's scale."""
    fig.update_layout(height=height * scale, **DARK)
    margin = {"l": 0, "r": 0, "t": top_px * scale, "b": 0}
    fig.update_layout(font_size=FONT_PX * scale, margin=margin)
    # margins that hold the labels at the screen's type size (a map keeps its zero margins)
    charts.fit(fig, FONT_PX * scale, base=margin)
    fig.update_shapes(line_color=colours.TARGET_LINE["dark"])  # the target line, light on dark
    # the inset's title: smaller than the body text, so that it stays inside its frame
    fig.update_traces(textfont_size=24 * scale, selector={"type": "scattergeo", "mode": "text"})
    st.plotly_chart(
        fig, config=charts.plotly_config(CHART_CONFIG, ui.lang()), theme=None, width="stretch"
    )


def ranking(frame: pd.DataFrame, label: str, target: float | None, unit: str, scale: int):
    """Horizontal bars of the units furthest below the target, the furthest on top."""
    if frame.empty:
        st.markdown(ui.t("common.no_data"))
        return
    shown = frame.head(RANKED).iloc[::-1]
    fig = charts.bars(
        shown.assign(
            shown=shown["value"].map(lambda v: f"{v:.1f}" if unit == "%" else f"{v:,.0f}"),
            group=shown["on_target"].map({True: "on", False: "below"})
            if target is not None
            else "none",  # no target: the one hue of "more"
        ),
        x="value",
        y=label,
        color="group",
        orientation="h",
        target=target,
        text="shown",
        colours={
            "below": STATUS[colours.BELOW],
            "on": STATUS[colours.ABOVE],
            "none": STATUS[colours.NONE],
        },
        labels={"value": "", label: ""},
        label_em=LABEL_EM,
    )
    low = float(frame["value"].min()) if len(frame) else 0
    top = max(float(frame["value"].max()) if len(frame) else 0, target or 0)
    fig.update_traces(textposition="inside", insidetextanchor="end", textfont_color="#ffffff")
    fig.update_layout(showlegend=False, bargap=0.25)
    if unit == "%":  # the differences that matter sit near the target, not near zero
        fig.update_xaxes(range=[max(0, low - 5), min(100, top + 1)], showticklabels=False)
    fig.update_yaxes(tickfont_size=FONT_PX * scale)
    show(fig, RANK_PX, scale)


def trend(
    frame: pd.DataFrame,
    y: str,
    color: str | None,
    unit: str,
    scale: int,
    target: float | None = None,
    from_zero: bool = False,
):
    """A line over the years, few ticks so that 32-pixel labels never collide."""
    frame = frame.dropna(subset=[y])
    if frame.empty:
        st.markdown(ui.t("common.no_data"))
        return
    names = list(dict.fromkeys(frame[color])) if color else [None]
    fig = charts.lines(
        frame,
        x="year",
        y=y,
        color=color,
        labels={"year": "", y: ""},
        target=target,
        colours=dict(zip(names, SERIES, strict=False)),  # light lines on the dark screen
    )
    years = frame["year"]
    fig.update_xaxes(tickvals=sorted({int(years.min()), int(years.max()), int(years.median())}))
    fig.update_yaxes(ticksuffix="%" if unit == "%" else "", nticks=4)
    if from_zero:  # a share: from 0, ticks above it (a 0 would sit on the first year's label)
        top = float(frame[y].max()) * 1.1
        ticks = [v for v in (25, 50, 75, 100) if v <= top]
        fig.update_yaxes(range=[0, top], tickvals=ticks, ticktext=[f"{v}%" for v in ticks])
    fig.update_xaxes(range=[int(years.min()) - 0.8, int(years.max()) + 0.4])
    fig.update_traces(line_width=4, marker_size=10)
    # the legend in the plot's upper left, where rising lines leave room: above it, it took
    # two rows in English and left the lines a strip
    fig.update_layout(
        legend={"x": 0.02, "y": 0.98, "yanchor": "top", "bgcolor": "rgba(11,20,36,0.6)"}
    )
    show(fig, TREND_PX, scale)


def screen_overview(s: kiosk.Settings, catalogue: pd.DataFrame, year: int) -> bool:
    info = catalogue.loc[s.metric]
    target = None if pd.isna(info.target) else float(info.target)
    unit = info.unit
    metric_name = ui.metric_name(catalogue, s.metric)
    tiles_row = data.query("overview_tiles", year=year).iloc[0]
    members = data.member_institutions(year)
    by_province = data.query("province_metric", metric=s.metric, year=year)
    by_province["label"] = by_province.apply(ui.province_name, axis=1)
    links = data.query("cross_province_links", year=year)
    left, centre, right = st.columns(COLUMNS, gap="medium")
    with left:
        tiles(
            [
                (ui.t("overview.tile_alliances"), f"{tiles_row.alliances:,}", ""),
                (ui.t("count.member_institutions"), f"{members.member_institutions:,}", ""),
                (ui.t("overview.tile_cross"), f"{tiles_row.cross_province:,}", ""),
                (ui.t("overview.tile_provinces"), f"{members.provinces}", ""),
                (ui.t("overview.tile_on_target"), *on_target(tiles_row.pct_on_target)),
            ]
        )
    with centre:
        fig = charts.choropleth(
            by_province,
            data.map_shapes("province"),
            value_label=metric_name,
            hover_name="label",
            national=True,
            lang=ui.lang(),
            theme="dark",
            caption=False,
            colorbar=COLORBAR,
            **charts.metric_scale(info, ui.lang()),
        )
        charts.add_links(fig, links.head(ui.MAX_LINKS), name="", color=LINKS, max_width=5)
        show(fig, MAP_PX, s.scale)
    with right:
        if target is not None:
            higher = info.direction != "lower"
            gap = (target - by_province["value"]) if higher else (by_province["value"] - target)
            ranked = by_province.assign(gap=gap, on_target=gap <= 0).sort_values(
                "gap", ascending=False
            )
            below = ranked[~ranked["on_target"]]
            panel(ui.t("kiosk.below_provinces", metric=metric_name, n=len(below)))
            ranking(ranked if below.empty else below, "label", target, unit, s.scale)
        else:
            panel(ui.t("kiosk.lowest_provinces", metric=metric_name))
            ranked = by_province.sort_values("value").assign(on_target=True)
            ranking(ranked, "label", None, unit, s.scale)
        national = data.query("metric_trend", metric=s.metric, level="county", province=0)
        if target is not None:
            panel(ui.t("kiosk.trend_on_target"))
            trend(national, "pct_on_target", None, "%", s.scale, from_zero=True)
        else:
            panel(ui.t("kiosk.trend_mean", metric=metric_name))
            trend(national, "value", None, unit, s.scale)
    return bool(by_province["simulated"].any() or tiles_row.simulated or members.simulated)


def screen_province(s: kiosk.Settings, catalogue: pd.DataFrame, year: int, province: int) -> bool:
    info = catalogue.loc[s.metric]
    target = None if pd.isna(info.target) else float(info.target)
    metric_name = ui.metric_name(catalogue, s.metric)
    provinces = data.query("provinces").set_index("adcode")
    name = ui.province_name(provinces.loc[province])
    counties = data.query("province_counties", province=province, metric=s.metric, year=year)
    shown = counties.dropna(subset=["value"])
    history = data.query("province_trend", province=province, metric=s.metric)
    alliances = data.query("province_alliances", province=province, year=year, limit=1)
    mean = history[(history["area"] == "province") & (history["year"] == year)]["value"]
    left, centre, right = st.columns(COLUMNS, gap="medium")
    with left:
        items = [
            (ui.t("province.tile_counties"), f"{len(shown):,}", ""),
            (
                ui.t("kiosk.province_mean", metric=metric_name),
                f"{mean.iloc[0]:.1f}" if len(mean) else "—",
                "%" if info.unit == "%" else "",
            ),
        ]
        if target is not None:
            items.append(
                (ui.t("kiosk.on_target"), f"{int(shown['on_target'].sum())}", f" / {len(shown)}")
            )
        total = int(alliances["total"].iloc[0]) if len(alliances) else 0
        items.append((ui.t("province.tile_alliances"), f"{total:,}", ""))
        st.html(f'<div class="kiosk-panel" style="font-size:3rem">{text(name)}</div>')
        tiles(items)
    with centre:
        fig = charts.choropleth(
            shown,
            data.map_shapes("county", counties["adcode"]),
            value_label=metric_name,
            lang=ui.lang(),
            theme="dark",
            context=data.map_shapes("province"),
            caption=False,
            colorbar=COLORBAR,
            **charts.metric_scale(info, ui.lang()),
        )
        show(fig, MAP_PX, s.scale)
    with right:
        if target is not None:
            below = shown[shown["gap"] > 0].sort_values("gap", ascending=False)
            panel(ui.t("kiosk.below_counties", n=len(below), total=len(shown)))
            ranking(below if len(below) else shown, "name", target, info.unit, s.scale)
        else:
            panel(ui.t("kiosk.lowest_counties", metric=metric_name))
            ranking(shown.sort_values("value").assign(on_target=True), "name", None, "", s.scale)
        panel(ui.t("kiosk.trend_province", metric=metric_name))
        history = history.assign(
            area_label=history["area"].map({"province": name, "china": ui.t("province.all")})
        )
        trend(history, "value", "area_label", info.unit, s.scale, target)
    return bool(shown["simulated"].any())


def slide_links(s: kiosk.Settings, year: int) -> bool:
    links = data.query("cross_province_links", year=year)
    outline = pd.DataFrame({"adcode": [], "value": [], "name": []})  # every province in grey
    fig = charts.choropleth(
        outline,
        data.map_shapes("province"),
        value_label="",
        national=True,
        lang=ui.lang(),
        theme="dark",
        caption=False,
    )
    charts.add_links(fig, links.head(ui.MAX_LINKS), name="", color=LINKS, max_width=6)
    left, right = st.columns([2.6, 1.4], gap="medium")
    with left:
        show(fig, MAP_PX, s.scale)
    with right:
        name = "from_name_en" if s.lang == "en" else "from_name"
        to = "to_name_en" if s.lang == "en" else "to_name"
        st.markdown(
            "\n".join(
                f"- {ui.plain(r[name])} → {ui.plain(r[to])}: {r.alliances}"
                for _, r in links.head(12).iterrows()
            )
        )
    return bool(links["simulated"].any())


def slide_attainment(s: kiosk.Settings, year: int) -> bool:
    national = data.query("metric_trend", metric="county_visit_rate", level="county", province=0)
    fig = charts.bars(
        national.assign(shown=national["pct_on_target"].map(lambda v: f"{v:.1f}%")),
        x="year",
        y="pct_on_target",
        labels={"year": "", "pct_on_target": ""},
        text="shown",
        colours={None: colours.PLAIN["dark"]},
    )
    fig.update_traces(textposition="outside")
    fig.update_yaxes(ticksuffix="%", range=[0, 105])
    fig.update_xaxes(dtick=1, tickformat="d")
    show(fig, MAP_PX, s.scale)
    return bool(national["simulated"].any())


def slide_latest(s: kiosk.Settings, year: int) -> bool:
    """The latest founded: name, kind of cooperation, the lead's province and the founding date
    as its source gives it (2017年6月, 不晚于2024年2月29日), one row each, the date never broken."""
    latest = data.query("kiosk_latest_alliances", n=12)
    place = "province_name_en" if s.lang == "en" else "province_name"
    head = "".join(
        f"<th>{text(ui.t(key))}</th>"
        for key in ("common.name", "common.form", "province.lead_province", "alliances.col_founded")
    )
    rows = "".join(
        f'<tr><td class="name">{text(ui.shown_name(r["name"]))}</td>'
        f"<td>{text(ui.label('form', r['form']))}</td><td>{text(r[place] if fmt.given(r[place]) else r['province_name'])}</td>"
        f"<td>{text(fmt.dated(r['founded_on'], r['founded_precision'], s.lang))}</td></tr>"
        for _, r in latest.iterrows()
    )
    st.html(f'<table class="kiosk-latest"><tr>{head}</tr>{rows}</table>')
    return bool(latest["simulated"].any())


def slide_areas(s: kiosk.Settings, year: int) -> bool:
    """The national monitoring set's five areas for the kiosk's province: each indicator's
    value for the province as a whole and how many of its counties (县域) meet it."""
    catalogue = data.query("metric_catalogue").set_index("metric_id")
    cells = data.query("scorecard", province=s.province, year=year, districts=False)
    whole = cells[cells["is_province"].astype(bool)].set_index("indicator_id")
    counties = cells[~cells["is_province"].astype(bool)]
    columns = st.columns(len(scorecard.MONITOR_AREAS), gap="medium")
    for column, area in zip(columns, scorecard.MONITOR_AREAS, strict=True):
        rows = catalogue[catalogue["area"] == area]
        if rows.empty:
            continue
        title = rows["area_en" if s.lang == "en" else "area_zh"].iloc[0]
        items, edges = [], []
        for indicator, row in rows.iterrows():
            mine = counties[counties["indicator_id"] == indicator].dropna(subset=["value"])
            value = whole.at[indicator, "value"] if indicator in whole.index else None
            met = int(mine["on_target"].fillna(False).astype(bool).sum())
            if row["kind"] == "qualitative":
                shown, small = scorecard.fraction(met, len(mine)), ""
            else:
                shown = fmt.indicator_value(value, row["unit"], s.lang, with_unit=False)
                small = (
                    ""
                    if row["unit"] in ("ratio", "count", "%")  # 63.9% carries its own %
                    else ui.label("metrics.units", row["unit"])
                )
            label = row["short_en"] if s.lang == "en" else row["short_zh"]
            items.append((label, shown, small))
            # the province's value against the target: red short of it, blue beyond (the edge)
            target = None if pd.isna(row["target"]) else float(row["target"])
            whole_value = None if value is None or pd.isna(value) else float(value)
            edges.append(STATUS[colours.status(whole_value, target, row["direction"])])
        with column:
            panel(title)
            tiles(items, edges)
    return _simulated(cells)


def _simulated(frame: pd.DataFrame) -> bool:
    return bool(frame["simulated"].fillna(False).astype(bool).any()) if len(frame) else False


def clock_zone(s: kiosk.Settings) -> str:
    """What the clock's time is: 北京时间, or the configured zone's name."""
    return ui.t("kiosk.beijing_time") if s.timezone == kiosk.BEIJING else s.timezone


def waiting() -> None:
    """The calm placeholder: no data yet, or data being replaced; the next tick tries again."""
    st.markdown(f"# {ui.t('kiosk.updating')}\n## {clock_zone(start)} {start.now():%H:%M}")


@st.fragment(run_every=start.interval_s)
def show_screen() -> None:
    # Every tick re-reads the data through the cache keyed by the file on disk, so a new (or a
    # first good) file shows at the next tick; the screen itself is chosen by the clock.
    try:
        catalogue = data.query("metric_catalogue").set_index("metric_id")
        provinces = data.query("provinces")
        s = kiosk.settings(
            st.query_params.to_dict(), set(provinces["adcode"].astype(int)), set(catalogue.index)
        )
        # The show starts on the first screen of the playlist (the national one), then turns.
        started_s = st.session_state.setdefault("_kiosk_started_s", time.time())
        slide, province = s.screen_at(started_s=started_s)
        meta = data.query("meta").set_index("key")["value"]
        years = data.query("metric_years")["year"]  # none in a build without the simulation
        year = int(years.max()) if len(years) else dt.date.today().year
    except db.DatabaseUnavailable as exc:
        log.warning("kiosk waiting for data: %s", exc)
        waiting()
        return
    except Exception:
        log.exception("kiosk cannot read the data")
        waiting()
        return
    screen = st.empty()  # cleared if the screen fails half-way: no half screens
    try:
        with screen.container():
            key = "kiosk.slide.province_named" if slide == "province" else f"kiosk.slide.{slide}"
            name = ""
            if slide in ("province", "areas"):
                row = provinces[provinces["adcode"] == province].iloc[0]
                name = ui.province_name(row)
            st.html(
                f'<div class="kiosk-head"><h1>{text(ui.t(key, year=year, name=name))}</h1>'
                f'<div class="kiosk-clock">{text(clock_zone(s))} <b>{s.now():%H:%M}</b>'
                f"{text(ui.t('common.as_of', date=meta['as_of']))}</div></div>"
            )
            if slide == "overview":
                simulated = screen_overview(s, catalogue, year)
            elif slide == "province":
                simulated = screen_province(s, catalogue, year, province)
            else:
                simulated = {
                    "areas": slide_areas,
                    "links": slide_links,
                    "attainment": slide_attainment,
                    "latest": slide_latest,
                }[slide](s, year)
            left = text(ui.t("kiosk.simulated_mark")) if simulated else ""
            st.html(
                f'<div class="kiosk-foot"><span>{left}</span>'
                f"<span>{text(ui.t('maps.caption_short'))}</span></div>"
            )
    except Exception:
        # A lobby screen never shows an error: the next tick tries again, the log says why.
        log.exception("kiosk slide %s failed", slide)
        screen.empty()
        waiting()


show_screen()
