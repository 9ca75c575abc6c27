"""大屏: a read-only, self-rotating show for a lobby screen. No widgets; settings come from the URL
or kiosk.toml; the data file is re-read when it changes, so new data appear without a restart."""

import datetime as dt
import logging

import pandas as pd
import streamlit as st

from dashboard import charts, data, kiosk, ui

ui.through_router()

# Fixed CSS, no data in it: dark big-screen look, every Streamlit menu, toolbar and indicator
# hidden. Designed for 1920x1080 CSS pixels: a 4K screen runs the browser at scale factor 2
# (README); at scale factor 1 the text doubles here and ?scale=2 enlarges the charts.
st.html("""<style>
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] { background: #0b1424; }
.stApp, .stApp p, .stApp li, .stApp h1, .stApp h2, .stApp h3, .stApp span { color: #e8eef7; }
header, footer, #MainMenu, [data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"], [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"], [data-testid="stMainMenu"], .stDeployButton,
[data-testid="stAppDeployButton"], [data-testid="stConnectionStatus"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1.2rem 2.5rem 0 2.5rem; max-width: 100%; }
.stApp h1 { font-size: 3.2rem; } .stApp h2 { font-size: 2.4rem; } .stApp h3 { font-size: 1.8rem; }
.stApp p, .stApp li { font-size: 1.6rem; }
@media (min-width: 2500px) { html { font-size: 32px; } }
</style>""")

CHART_CONFIG = ui.PLOTLY_CONFIG | {"staticPlot": True, "displayModeBar": False}
DARK = {
    "template": "plotly_dark",
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
    "font": {"size": 22, "family": ui.FONT},
}

catalogue = data.query("metric_catalogue").set_index("metric_id")
provinces = data.query("provinces")
settings = kiosk.settings(
    st.query_params.to_dict(), set(provinces["adcode"].astype(int)), set(catalogue.index)
)
if ui.lang() != settings.lang:  # kiosk.toml may name the language; the URL was read already
    st.session_state["lang"] = settings.lang


def show(fig, height: int = 820) -> None:
    """A static, dark Plotly chart (no toolbar, no hover), enlarged by the kiosk's scale."""
    fig.update_layout(height=height * settings.scale, **DARK)
    fig.update_layout(font_size=DARK["font"]["size"] * settings.scale)
    st.plotly_chart(fig, config=CHART_CONFIG, theme=None, width="stretch")


def province_label(adcode: int) -> str:
    return ui.province_name(provinces[provinces["adcode"] == adcode].iloc[0])


def slide_overview(year: int) -> bool:
    info = catalogue.loc[settings.metric]
    frame = data.query("province_metric", metric=settings.metric, year=year)
    frame["label"] = frame.apply(ui.province_name, axis=1)
    tiles = data.query("overview_tiles", year=year).iloc[0]
    left, right = st.columns([3, 1])
    with right:
        st.markdown(f"### {ui.t('overview.tile_alliances')}\n# {tiles.alliances:,}")
        st.markdown(f"### {ui.t('overview.tile_sites')}\n# {tiles.member_sites:,}")
        on_target = "—" if pd.isna(tiles.pct_on_target) else f"{tiles.pct_on_target:.1f} %"
        st.markdown(f"### {ui.t('overview.tile_on_target')}\n# {on_target}")
    with left:
        fig = charts.choropleth(
            frame,
            data.map_shapes("province"),
            value_label=ui.metric_name(catalogue, settings.metric),
            hover_name="label",
            national=True,
            **charts.metric_scale(info),
        )
        charts.add_lines(
            fig,
            data.query("map_lines").set_index("name").loc["dashline", "geojson"],
            color="#9fb3c8",
        )
        show(fig)
    return bool(frame["simulated"].any() or tiles.simulated)


def slide_province(year: int) -> bool:
    info = catalogue.loc[settings.metric]
    counties = data.query(
        "province_counties", province=settings.province, metric=settings.metric, year=year
    )
    shown = counties.dropna(subset=["value"])
    left, right = st.columns([3, 1])
    with right:
        st.markdown(f"## {ui.plain(province_label(settings.province))}")
        if pd.notna(info.target):
            st.markdown(
                f"### {ui.t('kiosk.on_target')}\n# {int(shown['on_target'].sum())} / {len(shown)}"
            )
        worst = shown.sort_values("gap", ascending=False).head(5)
        st.markdown("\n".join(f"- {ui.plain(r.name)} {r.value:.1f}" for r in worst.itertuples()))
    with left:
        fig = charts.choropleth(
            shown,
            data.map_shapes("county", counties["adcode"]),
            value_label=ui.metric_name(catalogue, settings.metric),
            **charts.metric_scale(info),
        )
        show(fig)
    return bool(shown["simulated"].any())


def slide_links(year: int) -> bool:
    links = data.query("cross_province_links", year=year)
    outline = pd.DataFrame({"adcode": [], "value": [], "name": []})  # every province in grey
    fig = charts.choropleth(outline, data.map_shapes("province"), value_label="", national=True)
    charts.add_links(fig, links.head(ui.MAX_LINKS), name="", color="#f5b041")
    left, right = st.columns([3, 1])
    with left:
        show(fig)
    with right:
        name = "from_name_en" if settings.lang == "en" else "from_name"
        to = "to_name_en" if settings.lang == "en" else "to_name"
        st.markdown(
            "\n".join(
                f"- {ui.plain(r[name])} → {ui.plain(r[to])}: {r.alliances}"
                for _, r in links.head(8).iterrows()
            )
        )
    return bool(links["simulated"].any())


def slide_attainment(year: int) -> bool:
    trend = data.query("metric_trend", metric="county_visit_rate", level="county", province=0)
    fig = charts.bars(
        trend,
        x="year",
        y="pct_on_target",
        labels={"year": ui.t("common.year"), "pct_on_target": "%"},
        text="pct_on_target",
    )
    show(fig)
    return bool(trend["simulated"].any())


def slide_latest(year: int) -> bool:
    latest = data.query("kiosk_latest_alliances", n=10)
    place = "province_name_en" if settings.lang == "en" else "province_name"
    st.markdown(
        "\n".join(
            f"- **{ui.plain(r['name'])}** · {ui.label('form', r['form'])} · {ui.plain(r[place])} · "
            f"{r['founded_on']:%Y-%m-%d}"
            for _, r in latest.iterrows()
        )
    )
    return bool(latest["simulated"].any())


SLIDES = {
    "overview": slide_overview,
    "province": slide_province,
    "links": slide_links,
    "attainment": slide_attainment,
    "latest": slide_latest,
}


@st.fragment(run_every=settings.interval_s)
def show_slide() -> None:
    # Every tick re-reads the data through the cache keyed by the file on disk, so a new file
    # shows at the next slide; the slide itself is chosen by the clock.
    slide = settings.slide_at()
    try:
        meta = data.query("meta").set_index("key")["value"]
        years = data.query("metric_years")["year"]  # none in a build without the simulation
        year = int(years.max()) if len(years) else dt.date.today().year
        title, clock = st.columns([4, 1])
        title.markdown(f"# {ui.t('kiosk.slide.' + slide, year=year)}")
        clock.markdown(f"## {dt.datetime.now():%H:%M}\n{ui.t('common.as_of', date=meta['as_of'])}")
        simulated = SLIDES[slide](year)
        if simulated:
            st.markdown(f"**{ui.t('common.simulated')} / simulated**")
    except Exception:
        # A lobby screen never shows an error: the next tick tries again, the log says why.
        logging.getLogger("dashboard.kiosk").exception("kiosk slide %s failed", slide)
        st.markdown(f"# {ui.t('kiosk.updating')}\n## {dt.datetime.now():%H:%M}")


show_slide()
