"""省份: one province's county map against the target, its institutions, the counties below
target with their trend, the alliances active there and its links to other provinces."""

import pandas as pd
import streamlit as st

from dashboard import charts, colours, data, fmt, ui
from dashboard.report import widget as briefing

ui.through_router()

DEFAULT_PROVINCE = 330000  # 浙江省, shown while the sidebar says "all of China"
ALLIANCE_ROWS = 200  # rows of the alliance table; the caption gives the full count
RANKED_BARS = 20  # counties in the ranking chart; its table lists them all
YEARS_BACK = 5  # the counties' trend: change against this many years before
# Member institutions on the map, grade 2 and above only: marker size (px) and colour by grade.
TIER_MARKERS = {"3A": (13, "#1b2631"), "3": (9, "#6c3483"), "2": (6, "#566573")}
# The counties' table columns (column -> message key), on the map and in the ranking.
COUNTY_COLUMNS = {
    "name": "common.county",
    "city_name": "common.city",
    "value": "common.value",
    "gap": "common.gap",
    "change_5y": "province.change_5y",
    "weighted": "common.weighted",
    "simulated": "common.simulated",
}


provinces = data.query("provinces").set_index("adcode")
ui.stop_without_places(provinces)
province = ui.current_province()
if province not in provinces.index:
    province = DEFAULT_PROVINCE if DEFAULT_PROVINCE in provinces.index else int(provinces.index[0])
name = ui.province_name(provinces.loc[province])

st.title(ui.t("province.title", name=ui.plain(name)))
if ui.current_province() == 0:
    st.info(ui.t("province.choose_hint", name=ui.plain(name)))

catalogue = data.query("metric_catalogue").set_index("metric_id")
catalogue = catalogue[catalogue["level"] == "county"]
years = data.query("metric_years")["year"].tolist()
left, middle, right = st.columns([3, 2, 1])
metric = ui.choose_metric(left.selectbox, catalogue)
city = ui.choose_city(middle.selectbox, data.query("province_cities", province=province))
year = ui.choose_year(right.selectbox, years)
info = catalogue.loc[metric]
metric_name = ui.metric_name(catalogue, metric)
target = None if pd.isna(info.target) else float(info.target)
higher_is_better = info.direction != "lower"

counties, trend, sites, alliances, links, cities = data.queries(  # run side by side
    ("province_counties", {"province": province, "metric": metric, "year": year}),
    ("province_trend", {"province": province, "metric": metric}),
    ("province_sites", {"province": province, "city": city, "year": year}),
    ("province_alliances", {"province": province, "year": year, "limit": ALLIANCE_ROWS}),
    ("province_links", {"province": province, "year": year}),
    (
        "metric_values",
        {"metric": metric, "year": year, "level": "city", "province": province},
    ),
)
city_name = ""
if city:  # one city's counties: the map, tiles, ranking and institutions narrow to it
    counties = counties[counties["city_adcode"] == city].reset_index(drop=True)
    city_name = str(counties["city_name"].iloc[0]) if len(counties) else ""

# Headline tiles.
measured = counties.dropna(subset=["value"])
here = trend[trend["area"] == "province"].set_index("year")["value"]
now, before = here.get(year), here.get(year - YEARS_BACK)
if city:  # the city as a whole (Σ its counties' terms); their change is in the table
    here_city = cities.loc[cities["adcode"] == city, "value"]
    now = here_city.iloc[0] if len(here_city) else None
    before = None
members = data.member_institutions(year, province=province, city=city)
# With a city chosen, each tile is the city's or says it is the whole province's.
area = city_name if city else name


def whole_province(key: str) -> tuple[str, str | None]:
    """A tile's label, and help saying it is the province's when a city is chosen."""
    if not city:
        return ui.t(key), None
    return ui.t("count.province_tile", label=ui.t(key)), ui.t("count.province_tile_help")


cols = st.columns(6)
cols[0].metric(
    ui.t("province.tile_counties"),
    f"{len(measured):,}",
    help=ui.t("count.counties_help", area=area),
)
cols[1].metric(
    ui.t("province.tile_mean_city", year=year, city=city_name)
    if city
    else ui.t("province.tile_mean", year=year),
    fmt.metric_value(now, info.unit),
    delta=None  # with its unit: +2.6 个百分点 (an ASCII minus: Streamlit's arrow reads it)
    if now is None or before is None
    else fmt.change(float(now - before), info.unit, ui.lang()).replace("−", "-"),
    delta_color="normal"
    if info.direction == "higher"
    else "inverse"
    if info.direction == "lower"
    else "off",
    help=ui.t("province.tile_mean_city_help", city=city_name)
    if city
    else ui.t("province.tile_mean_help", before=year - YEARS_BACK),
)
on_target = int(measured["on_target"].fillna(False).astype(bool).sum())
cols[2].metric(
    ui.t("province.tile_on_target"),
    f"{on_target} / {len(measured)}" if target is not None and len(measured) else "—",
    help=ui.t("province.tile_on_target_help", target=f"{target:g}")
    if target is not None
    else ui.t("province.no_target"),
)
label, note = whole_province("province.tile_alliances")
cols[3].metric(
    label,
    f"{int(alliances['total'].iloc[0]) if len(alliances) else 0:,}",
    help=note or ui.t("count.alliances_here_help", year=year, area=name),
)
cols[4].metric(
    ui.t("count.member_institutions"),
    f"{members.member_institutions:,}",
    help=ui.t("count.member_institutions_help_here", year=year, area=area),
)
label, note = whole_province("province.tile_partners")
cols[5].metric(
    label,
    f"{links['other_adcode'].nunique():,}",
    help=note or ui.t("count.partners_help", year=year, area=name),
)
ui.simulated_note(bool(measured["simulated"].any() or alliances["simulated"].any()))
if city:
    st.caption(ui.t("province.city_note", city=ui.plain(city_name), n=len(counties)))
briefing.button("province", province, metric=metric, year=year)

# The county map, diverging at the target when the metric has one.
st.subheader(
    ui.t(
        "province.map_title",
        province=ui.plain(name + (city_name if ui.lang() == "zh" else f" · {city_name}")),
        metric=ui.plain(metric_name),
        year=year,
    )
)
show_sites = st.toggle(ui.t("province.show_sites"), value=True, key="province_show_sites")


def site_markers() -> list[dict]:
    """The member institutions of grade 2 and above, one trace per grade."""
    markers = []
    for tier, (size, color) in TIER_MARKERS.items():
        rows = sites[sites["tier"] == tier]
        if len(rows):
            # Grade 2 is most of the markers (thousands at 10x): its hover names the hospital
            # only; the tier is said once per trace.
            hover = rows["name"] if tier == "2" else rows["name"] + " · " + rows["county_name"]
            tier_name = ui.label("tier", tier)
            markers.append(
                charts.points(
                    rows.assign(hover=hover),
                    text="hover",
                    size=size,
                    color=color,
                    name=tier_name,
                    detail=tier_name,
                )
            )
    return markers


def county_map():
    fig = charts.choropleth(
        measured,
        data.map_shapes("county", counties["adcode"].tolist()),
        value_label=metric_name,
        hover_name="name",
        uirevision=f"province-{province}",
        height=600,
        lang=ui.lang(),
        context=data.map_shapes("province"),
        on_top=site_markers() if show_sites else (),
        **charts.metric_scale(info, ui.lang()),
    )
    if not show_sites:
        return fig
    return fig.update_layout(
        legend={"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom", "bgcolor": "rgba(0,0,0,0)"}
    )


event = ui.chart(
    county_map,
    "province_map",
    ui.columns(counties, {"adcode": "common.adcode"} | COUNTY_COLUMNS),
    filename=f"counties_{province}_{metric}_{year}",
    on_select="rerun",
    selection_mode="points",
    view=(province, city, metric, year, show_sites),
)
# A county clicked on the map opens its scorecard.
clicked = [
    p.get("location") for p in (event.selection.points if event else []) if p.get("location")
]
if ui.fresh_click("province_map", clicked[0] if clicked else None):
    st.switch_page(
        "pages/county.py",
        query_params=ui.url_with(county=str(clicked[0]), year=str(year), lang=ui.lang()),
    )
notes = [colours.caption(target, info.direction, info.unit, ui.lang())]
if show_sites and len(sites):
    notes.append(
        ui.t(
            "province.sites_caption",
            shown=len(sites),
            total=int(members.member_institutions),
            area=area,
        )
    )
notes.append(ui.t("province.click_hint"))
st.caption(" ".join(notes))
ui.simulated_note(counties)

left, right = st.columns(2)
with left:
    # The counties still short of the target, the widest gap first; without a target, the
    # weakest counties by value. 县域 only unless asked: 市辖区 are urban districts.
    with_districts = ui.bind_flag(st.toggle, ui.t("scorecard.districts"), key="districts")
    if not with_districts:
        measured = measured[~measured["district"].astype(bool)]
    if target is not None:
        ranked = measured[measured["gap"] > 0].sort_values(
            ["gap", "adcode"], ascending=[False, True]
        )
        st.subheader(ui.t("province.below_title", year=year))
        bar_x = "gap"
    else:
        ranked = measured.sort_values(["value", "adcode"], ascending=[higher_is_better, True])
        st.subheader(ui.t("province.weakest_title", metric=ui.plain(metric_name), year=year))
        bar_x = "value"
    table = ui.columns(ranked, COUNTY_COLUMNS)
    if ranked.empty and target is not None and len(measured):
        st.success(ui.t("province.below_none", year=year))
    elif ranked.empty:
        st.caption(ui.t("common.no_data"))
    else:
        shown = ranked.head(RANKED_BARS)
        ui.chart(
            lambda: charts.bars(
                shown,
                x=bar_x,
                y="name",
                orientation="h",
                height=max(260, 24 * len(shown) + 60),
                labels={
                    bar_x: charts.gap_axis(
                        info.unit, ui.label("metrics.units", info.unit), ui.lang()
                    )
                    if target is not None
                    else ui.t("common.value"),
                    "name": "",
                },
                unit=info.unit,
                unit_label=ui.label("metrics.units", info.unit),
                integer=info.unit != "%",
                # short of the target (or the weakest, without one): as on the map
                colours={
                    None: colours.STATUS["light"][
                        colours.BELOW if target is not None else colours.NONE
                    ]
                },
            ).update_yaxes(autorange="reversed"),  # the widest gap on top
            "province_below",
            table,
            filename=f"below_{province}_{metric}_{year}",
            view=(province, city, metric, year, with_districts),
        )
        if target is not None:
            st.caption(
                ui.t(
                    "province.below_caption",
                    n=len(ranked),
                    total=len(measured),
                    target=f"{target:g}",
                    unit=info.unit,
                    before=year - YEARS_BACK,
                )
            )
        else:
            st.caption(ui.t("province.no_target"))
        ui.simulated_note(ranked)
with right:
    st.subheader(ui.t("province.trend_title", metric=ui.plain(metric_name)))
    if trend.empty:
        st.caption(ui.t("common.no_data"))
    else:
        trend["area_label"] = trend["area"].map({"province": name, "china": ui.t("province.all")})
        refs = ui.reference_values(metric)
        ui.chart(
            lambda: charts.reference_points(
                charts.lines(
                    trend,
                    x="year",
                    y="value",
                    color="area_label",
                    target=target,
                    target_label=charts.target_label(target, info.unit, ui.lang())
                    if target is not None
                    else "",
                    labels={"year": ui.t("common.year"), "value": metric_name},
                    unit=info.unit,
                    unit_label=ui.label("metrics.units", info.unit),
                ),
                refs,
                ui.t("indicator.reference_label"),
                unit=info.unit,
            ),
            "province_trend",
            ui.columns(
                trend,
                {
                    "year": "common.year",
                    "area_label": "province.area",
                    "value": "common.value",
                    "counties": "overview.counties",
                    "counties_on_target": "overview.counties_on_target",
                    "simulated": "common.simulated",
                },
            ),
            filename=f"trend_{province}_{metric}",
            view=(province, metric),
        )
        st.caption(
            ui.t(
                "province.trend_caption"
                if target is not None
                else "province.trend_caption_no_target"
            )
        )
        for ref in refs.itertuples():
            label = ref.label_en if ui.lang() == "en" else ref.label_zh
            st.caption(f"◇ {ui.plain(label)}: {ref.value:g} · {ui.plain(ref.source)}")
        ui.simulated_note(trend)
        ui.unweighted_note(trend)

# The alliances active in the province.
st.subheader(ui.t("province.alliances_title", province=ui.plain(name), year=year))
if alliances.empty:
    st.caption(ui.t("common.no_data"))
else:
    listed = alliances.assign(
        form_label=ui.labels("form", alliances["form"]),
        scope_label=ui.labels("scope", alliances["scope"]),
        founded=fmt.dates_with(alliances["founded_on"], alliances["founded_precision"], ui.lang()),
        lead_where=ui.localized(alliances, "lead_province"),
    )
    st.caption(
        ui.t(
            "province.alliances_caption",
            total=int(alliances["total"].iloc[0]),
            led=int(alliances["led_total"].iloc[0]),
            shown=len(alliances),
        )
    )
    ui.table(
        ui.columns(
            listed,
            {
                "name": "common.name",
                "form_label": "common.form",
                "scope_label": "province.scope",
                "founded": "province.founded",
                "members": "province.members",
                "members_here": "province.members_here",
                "lead_where": "province.lead_province",
                "simulated": "common.simulated",
            },
        ),
        key="province_alliances",
        filename=f"alliances_{province}_{year}",
        height=400,
        dated={ui.t("province.founded"): (alliances["founded_on"], alliances["founded_precision"])},
    )
    ui.simulated_note(alliances)


def lead_colours() -> dict[str, str]:
    """本省牵头 / 外省牵头 in their fixed colours (dashboard/colours.py)."""
    return {
        ui.t("province.direction_out"): colours.LEAD_PLACE["own"],
        ui.t("province.direction_in"): colours.LEAD_PLACE["other"],
    }


# Links to other provinces through cross-province alliances.
st.subheader(ui.t("province.links_title", province=ui.plain(name), year=year))
if links.empty:
    st.caption(ui.t("province.no_links"))
else:
    links["partner"] = ui.localized(links, "name")
    links["direction_label"] = links["direction"].map(
        {"out": ui.t("province.direction_out"), "in": ui.t("province.direction_in")}
    )
    ui.chart(
        lambda: charts.bars(
            links,
            x="alliances",
            y="partner",
            color="direction_label",
            orientation="h",
            height=max(260, 26 * links["partner"].nunique() + 80),
            labels={"alliances": ui.t("overview.alliance_count"), "partner": ""},
            integer=True,
            colours=lead_colours(),  # 本省牵头 / 外省牵头 the same on every page
        ).update_yaxes(categoryorder="total ascending"),  # the strongest link on top
        "province_links",
        ui.columns(
            links,
            {
                "partner": "province.partner",
                "direction_label": "province.direction",
                "alliances": "overview.alliance_count",
                "real_alliances": "overview.real_alliances",
                "simulated": "common.simulated",
            },
        ),
        filename=f"links_{province}_{year}",
        view=(province, year),
    )
    st.caption(
        ui.t(
            "province.links_caption",
            n=int(links["cross_alliances"].iloc[0]),
            partners=links["other_adcode"].nunique(),
        )
    )
    ui.simulated_note(links)
