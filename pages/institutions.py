"""机构: the directory of institutions on record (机构名录) and how many are members (成员机构); one institution's place, alliances and their activity."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import charts, colours, data, fmt, ui

ui.through_router()

SITE_PARTS = ["site_alliances", "site_area", "site_activity"]  # one institution's queries
DIRECTORY_LIMIT = 500  # rows listed (≈34,000 institutions nationally); the counts cover all

# ---- the directory -----------------------------------------------------------------------------

st.title(ui.t("institutions.title"))
facets = data.query("site_facets")
c1, c2, c3, c4 = st.columns([1, 1, 1, 2])
filters = {
    "province": ui.current_province(),
    "kind": ui.choose_facet(c1.selectbox, ui.t("institutions.kind"), facets, "kind"),
    "tier": ui.choose_facet(c2.selectbox, ui.t("institutions.tier"), facets, "tier"),
    "ownership": ui.choose_facet(c3.selectbox, ui.t("institutions.ownership"), facets, "ownership"),
    "q": ui.search(c4.text_input, ui.t("institutions.search_help")),
}

counts = data.institutions_on_record(**filters)
directory = data.query("site_directory", **filters, limit=DIRECTORY_LIMIT)
years = data.query("metric_years")["year"]
year = int(years.max()) if len(years) else dt.date.today().year  # the overview's default year
members = data.member_institutions(year, **filters)
total = int(counts["institutions"].sum())
by_ownership = counts.groupby("ownership")["institutions"].sum()
m1, m2, m3, m4, m5 = st.columns(5)
m1.metric(
    ui.t("count.institutions_on_record"),
    f"{total:,}",
    help=ui.t("count.institutions_on_record_help", year=year),
)
m2.metric(
    ui.t("count.member_institutions_year", year=year),
    f"{members.member_institutions:,}",
    help=ui.t("count.member_institutions_help", year=year, on_record=f"{total:,}"),
)
m3.metric(
    ui.t("institutions.count_public"),
    f"{int(by_ownership.get('public', 0)):,}",
    help=ui.t("count.public_help"),
)
m4.metric(
    ui.t("institutions.count_private"),
    f"{int(by_ownership.get('private', 0)):,}",
    help=ui.t("count.private_help"),
)
m5.metric(
    ui.t("institutions.count_real"),
    f"{int(counts['real_institutions'].sum()):,}",
    help=ui.t("count.real_help"),
)

if total == 0:
    st.info(ui.t("institutions.none_found"))
else:
    left, right = st.columns([2, 3])
    with left:
        st.subheader(ui.t("institutions.by_kind_title"))
        by_kind = counts.groupby(["kind", "tier"], sort=False, as_index=False).agg(
            institutions=("institutions", "sum"), simulated=("simulated", "any")
        )
        by_kind["kind_label"] = ui.labels("kind", by_kind["kind"])
        by_kind["tier_label"] = ui.labels("tier", by_kind["tier"])
        ui.chart(
            charts.bars(
                by_kind,
                x="institutions",
                y="kind_label",
                color="tier_label",
                orientation="h",
                height=340,
                labels={"institutions": ui.t("common.count"), "kind_label": ""},
                integer=True,
            ),
            "site_counts",
            ui.columns(
                by_kind,
                {
                    "kind_label": "institutions.kind",
                    "tier_label": "institutions.tier",
                    "institutions": "common.count",
                },
            ),
            filename="institutions_by_kind_tier",
        )
        ui.simulated_note(by_kind)
    with right:
        st.subheader(ui.t("institutions.directory_title"))
        st.caption(ui.t("institutions.directory_hint"))
        shown = directory.assign(
            kind=ui.labels("kind", directory["kind"]),
            tier=ui.labels("tier", directory["tier"]),
            ownership=ui.labels("ownership", directory["ownership"]),
            province=ui.localized(directory, "province_name"),
            data=ui.data_labels(directory, "institutions"),
        )
        event = ui.table(
            ui.columns(
                shown,
                {
                    "site_id": "institutions.col_id",
                    "name": "common.name",
                    "kind": "institutions.kind",
                    "tier": "institutions.tier",
                    "ownership": "institutions.ownership",
                    "county_name": "common.county",
                    "province": "common.province",
                    "beds": "institutions.col_beds",
                    "alliances": "institutions.col_alliances",
                    "data": "institutions.col_data",
                },
            ),
            key="directory",
            filename="institutions",
            on_select="rerun",
            selection_mode="single-row",
        )
        ui.follow_click(event, directory["site_id"].tolist(), "site")
        if total > len(directory):
            st.caption(ui.t("institutions.limited", shown=len(directory), total=f"{total:,}"))
        ui.simulated_note(directory)

# ---- the picker: the listed institutions, plus the one asked for if it exists ------------------

chosen, detail = ui.choose_record(
    ui.t("institutions.pick"),
    "site",
    directory,
    "site_id",
    "site_detail",
    ui.t("institutions.pick_none"),
)
if len(detail):  # one institution's queries, started side by side
    data.prefetch(*((name, {"site": chosen}) for name in SITE_PARTS))


# ---- one institution ---------------------------------------------------------------------------


def show_site(site: pd.Series) -> None:
    sid = site["site_id"]
    st.header(ui.plain(site["name"], ui.NAME_MAX_CHARS), anchor=False)
    alliances = data.query("site_alliances", site=sid)
    facts = st.columns(5)
    facts[0].metric(ui.t("institutions.kind"), ui.label("kind", site["kind"]))
    hospital = site["kind"] != "government"  # a 卫健委 has no grade and is no public hospital
    facts[1].metric(
        ui.t("institutions.tier"), ui.label("tier", site["tier"]) if hospital else fmt.DASH
    )
    facts[2].metric(
        ui.t("institutions.ownership"),
        ui.label("ownership", site["ownership"]) if hospital else fmt.DASH,
    )
    facts[3].metric(
        ui.t("institutions.beds"), f"{int(site['beds']):,}" if pd.notna(site["beds"]) else "—"
    )
    facts[4].metric(
        ui.t("institutions.col_alliances"), f"{int(alliances['left_on'].isna().sum()):,}"
    )
    place = ui.localized(pd.DataFrame([site]), "province_name").iloc[0]
    st.markdown(
        ui.t(
            "institutions.location", county=ui.plain(site["county_name"]), province=ui.plain(place)
        )
    )
    ui.source_note(site, "institutions")

    left, right = st.columns([2, 3])
    with left:
        st.subheader(ui.t("institutions.map_title"))
        area = data.query("site_area", site=sid)
        home = area[area["is_home"]].assign(value=1)
        point = pd.DataFrame([site])

        def site_map():
            fig = charts.choropleth(
                home,
                data.map_shapes("county", area["adcode"].tolist()),
                value_label=ui.t("common.county"),
                hover_name="name",
                uirevision=f"site-{sid}",
                height=320,
                lang=ui.lang(),
                context=data.map_shapes("province"),
            )
            fig.update_traces(  # one county marked: no colour scale, just its name on hover
                showscale=False,
                hovertemplate="%{text}<extra></extra>",
                selector={"type": "choropleth"},
            )
            return charts.add_points(
                fig, point, text="name", size=12, color=colours.MARKS["light"]["lead"]
            )

        ui.chart(
            site_map,
            "site_map",
            ui.columns(
                point.assign(province=place),
                {
                    "name": "common.name",
                    "county_name": "common.county",
                    "province": "common.province",
                    "lon": "institutions.col_lon",
                    "lat": "institutions.col_lat",
                },
            ),
            filename=f"institution_{sid}_location",
            view=(sid,),
        )
        ui.simulated_note(bool(site["simulated"]))
    with right:
        st.subheader(ui.t("institutions.alliances_title"))
        if alliances.empty:
            st.info(ui.t("institutions.no_alliances"))
        else:
            raw = alliances
            alliances = alliances.assign(
                role=ui.labels("role", alliances["role"]),
                form=ui.labels("form", alliances["form"]),
                scope=ui.labels("scope", alliances["scope"]),
                joined_on=fmt.dates_with(
                    alliances["joined_on"], alliances["joined_precision"], ui.lang()
                ),
                left_on=fmt.dates(alliances["left_on"], ui.lang()),
                data=ui.data_labels(alliances, "institutions"),
            )
            ui.table(
                ui.columns(
                    alliances,
                    {
                        "alliance_id": "institutions.col_id",
                        "name": "institutions.col_alliance",
                        "form": "common.form",
                        "scope": "institutions.col_scope",
                        "role": "institutions.col_role",
                        "joined_on": "institutions.col_joined",
                        "left_on": "institutions.col_left",
                        "data": "institutions.col_data",
                    },
                ),
                key="site_alliances",
                filename=f"institution_{sid}_alliances",
                dated={
                    ui.t("institutions.col_joined"): (raw["joined_on"], raw["joined_precision"])
                },
            )
            ui.simulated_note(alliances)

    st.subheader(ui.t("institutions.activity_title"))
    activity = data.query("site_activity", site=sid)
    if activity.empty:
        st.info(ui.t("institutions.no_activity"))
        return
    ui.activity_chart(
        activity,
        "site_activity",
        f"institution_{sid}_activity",
        {
            "month": "institutions.col_month",
            "activity": "institutions.col_activity",
            "count": "common.count",
            "alliances": "institutions.col_alliances_n",
        },
        view=(sid,),
    )


if len(detail):
    show_site(detail.iloc[0])
