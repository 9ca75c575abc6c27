"""全国总览: headline tiles, a province map of any metric, cross-province links, alliances per year."""

import streamlit as st

from dashboard import charts, colours, data, ui

ui.through_router()

st.title(ui.t("overview.title"))

catalogue = data.query("metric_catalogue").set_index("metric_id")
years = data.query("metric_years")["year"].tolist()
left, right = st.columns([3, 1])
metric = ui.choose_metric(left.selectbox, catalogue)
year = ui.choose_year(right.selectbox, years)
info = catalogue.loc[metric]

tiles = data.query("overview_tiles", year=year).iloc[0]
members = data.member_institutions(year)
on_record = int(data.institutions_on_record()["institutions"].sum())
cols = st.columns(6)
cols[0].metric(
    ui.t("overview.tile_alliances"),
    f"{tiles.alliances:,}",
    help=ui.t("overview.tile_alliances_help", real=tiles.real_alliances),
)
cols[1].metric(
    ui.t("count.member_institutions"),
    f"{members.member_institutions:,}",
    help=ui.t("count.member_institutions_help", year=year, on_record=f"{on_record:,}"),
)
cols[2].metric(
    ui.t("overview.tile_provinces"),
    f"{members.provinces}",
    help=ui.t("count.provinces_help", year=year),
)
cols[3].metric(
    ui.t("overview.tile_cross"),
    f"{tiles.cross_province:,}",
    help=ui.t("count.cross_help", year=year),
)
cols[4].metric(
    ui.t("overview.tile_other_kinds"),
    f"{tiles.other_kinds:,}",
    help=ui.t("overview.tile_other_kinds_help", real=tiles.other_kinds_real),
)
cols[5].metric(
    ui.t("overview.tile_on_target", year=year),
    f"{tiles.pct_on_target:.1f}%" if tiles.counties else "—",
    help=ui.t("overview.tile_on_target_help", n=tiles.counties_on_target, total=tiles.counties),
)
ui.simulated_note(bool(tiles.simulated or members.simulated))

by_province = data.query("province_metric", metric=metric, year=year)
by_province["label"] = by_province.apply(ui.province_name, axis=1)
links = data.query("cross_province_links", year=year)
# Off at first: drawn on the map, dozens of straight lines hide the colours beneath them.
show_links = st.toggle(ui.t("overview.show_links"), value=False, key="links")

st.subheader(ui.t("overview.map_title", metric=ui.metric_name(catalogue, metric), year=year))


def china_map():
    fig = charts.choropleth(
        by_province,
        data.map_shapes("province"),
        value_label=ui.metric_name(catalogue, metric),
        hover_name="label",
        uirevision="china",
        height=620,
        national=True,
        lang=ui.lang(),
        on_top=charts.lines_between(
            links.head(ui.MAX_LINKS),
            name=ui.t("overview.links"),
            from_name=ui.t("overview.links_from"),
        )
        if show_links
        else (),
        **charts.metric_scale(info, ui.lang()),
    )
    # the links' legend above the map, clear of the colour bar and the inset
    return fig.update_layout(legend={"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom"})


event = ui.chart(
    china_map,
    "china_map",
    ui.columns(
        by_province,
        {
            "adcode": "common.adcode",
            "label": "common.province",
            "value": "common.value",
            "counties": "overview.counties",
            "counties_on_target": "overview.counties_on_target",
        },
    ),
    filename=f"province_{metric}_{year}",
    on_select="rerun",
    selection_mode="points",
    view=(metric, year, show_links),
)
st.caption(ui.t("overview.click_hint"))
clicked = [p.get("location") for p in (event.selection.points if event else [])]
if ui.fresh_click("overview_map", clicked[0] if clicked else None):
    st.switch_page(
        "pages/province.py", query_params=ui.url_with(province=str(clicked[0]), lang=ui.lang())
    )

left, right = st.columns(2)
with left:
    st.subheader(ui.t("overview.links_title", year=year))
    links["from"] = ui.localized(links, "from_name")
    links["to"] = ui.localized(links, "to_name")
    # reversed: Plotly draws the first bar of a horizontal chart at the bottom
    top = links.head(15).assign(pair=lambda f: f["from"] + " → " + f["to"]).iloc[::-1]
    ui.chart(
        lambda: charts.bars(
            top,
            x="alliances",
            y="pair",
            orientation="h",
            labels={"alliances": ui.t("overview.alliance_count"), "pair": ""},
            integer=True,
        ),
        "links_bar",
        ui.columns(
            links,
            {
                "from": "overview.from",
                "to": "overview.to",
                "alliances": "overview.alliance_count",
                "real_alliances": "overview.real_alliances",
            },
        ),
        filename=f"cross_province_links_{year}",
        view=(year,),
    )
    ui.simulated_note(links)
with right:
    st.subheader(ui.t("overview.per_year_title"))
    per_year = data.query("alliances_per_year", province=0)
    per_year["form_label"] = ui.labels("form", per_year["form"])
    # Each kind of cooperation its own stack in its fixed colour: the four forms of 2017 and the
    # other kinds (院府合作, 院院合作…) apart.
    form_colour = {
        ui.label("form", code): colour
        for code, colour in colours.form_colours(per_year["form"].unique()).items()
    }
    ui.chart(
        lambda: (
            charts.bars(
                # legend in the fixed order of the kinds (the four forms first), not by first year
                per_year.sort_values(
                    "form", key=lambda f: f.map(list(colours.FORM).index), kind="stable"
                ).assign(year=per_year["year"].astype(str)),  # the years there are: 1995, 2015…
                x="year",
                y="alliances",
                color="form_label",
                labels={"year": ui.t("common.year"), "alliances": ui.t("overview.alliance_count")},
                integer=True,
                colours=form_colour,
            )
            # every year labelled (turned upright where the width is short)
            .update_xaxes(type="category", categoryorder="category ascending", dtick=1)
            # the kinds above the plot, which keeps the page's width for the years
            .update_layout(legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"})
        ),
        "per_year",
        ui.columns(
            per_year,
            {
                "year": "common.year",
                "form_label": "common.form",
                "alliances": "overview.alliance_count",
            },
        ),
        filename="alliances_per_year",
        view=(),
    )
    ui.simulated_note(per_year)
