"""联盟: a filterable register of alliances; one alliance's members, roles, activity, funding, source."""

import pandas as pd
import streamlit as st

from dashboard import charts, data, fmt, ui

ui.through_router()

REGISTER_LIMIT = 500  # rows listed; the counts cover every match
ROLES = ["lead", "chair", "standing", "council", "member"]


def go_to(alliance_id: str) -> None:
    st.session_state["alliance"] = alliance_id


# ---- the register ------------------------------------------------------------------------------

st.title(ui.t("alliances.title"))
province = ui.current_province()
facets = data.query("alliance_facets")
years = [int(y) for y in ui.facet(facets, "year")] or [2017]

c1, c2, c3 = st.columns(3)
form = ui.choose_facet(c1.selectbox, ui.t("common.form"), facets, "form")
scope = ui.choose_facet(c2.selectbox, ui.t("alliances.scope"), facets, "scope")
specialty = ui.choose_facet(
    c3.selectbox, ui.t("alliances.specialty"), facets, "specialty", labelled=False
)
c4, c5, c6 = st.columns([2, 2, 1.4], vertical_alignment="bottom")
q = ui.search(c4.text_input, ui.t("alliances.search_help"))
year_from, year_to = ui.bind_range(
    c5.slider, ui.t("alliances.years"), "years", min(years), max(years)
)
real_only = ui.bind_flag(c6.toggle, ui.t("alliances.real_only"), "real")

register = data.query(
    "alliance_register",
    province=province,
    form=form,
    scope=scope,
    specialty=specialty,
    year_from=year_from,
    year_to=year_to,
    q=q,
    real_only=real_only,
    limit=REGISTER_LIMIT,
)
total = int(register["total"].iloc[0]) if len(register) else 0
total_real = int(register["total_real"].iloc[0]) if len(register) else 0
m1, m2, _ = st.columns([1, 1, 2])
m1.metric(ui.t("alliances.count"), f"{total:,}")
m2.metric(ui.t("alliances.count_real"), f"{total_real:,}")

st.subheader(ui.t("alliances.register_title"))
if register.empty:
    st.info(ui.t("alliances.none_found"))
else:
    st.caption(ui.t("alliances.register_hint"))
    shown = register.assign(
        specialty=register["specialty"].fillna(""),
        model=register["model"].fillna(""),
        form=ui.labels("form", register["form"]),
        scope=ui.labels("scope", register["scope"]),
        founded_on=fmt.dates(register["founded_on"]),
        data=ui.data_labels(register, "alliances"),
    )
    event = ui.table(
        ui.columns(
            shown,
            {
                "alliance_id": "alliances.col_id",
                "name": "common.name",
                "form": "common.form",
                "specialty": "alliances.specialty",
                "scope": "alliances.scope",
                "model": "alliances.model",
                "founded_on": "alliances.col_founded",
                "lead_name": "alliances.col_lead",
                "members": "alliances.col_members",
                "provinces": "alliances.col_provinces",
                "data": "alliances.col_data",
            },
        ),
        key="register",
        filename="alliances",
        on_select="rerun",
        selection_mode="single-row",
    )
    ui.follow_click(event, register["alliance_id"].tolist(), "alliance")
    if total > len(register):
        st.caption(ui.t("alliances.register_limited", shown=len(register), total=f"{total:,}"))
    ui.simulated_note(register)

# ---- the picker: the listed alliances, plus the one asked for if it exists ----------------------

chosen, detail = ui.choose_record(
    ui.t("alliances.pick"),
    "alliance",
    register,
    "alliance_id",
    "alliance_detail",
    ui.t("alliances.pick_none"),
)


# ---- one alliance -------------------------------------------------------------------------------


def show_header(a: pd.Series) -> None:
    st.header(ui.plain(a["name"]))
    facts = st.columns(3) + st.columns(3)
    facts[0].metric(ui.t("common.form"), ui.label("form", a["form"]))
    facts[1].metric(ui.t("alliances.scope"), ui.label("scope", a["scope"]))
    facts[2].metric(ui.t("alliances.specialty"), fmt.text(a["specialty"]))
    facts[3].metric(ui.t("alliances.model"), fmt.text(a["model"]))
    facts[4].metric(ui.t("alliances.col_founded"), str(a["founded_on"].date()))
    facts[5].metric(ui.t("alliances.members_now"), f"{int(a['members']):,}")
    st.markdown(ui.t("alliances.lead_line", name=ui.plain(a["lead_name"])))
    if fmt.given(a["parent_alliance_id"]):
        st.markdown(f"**{ui.t('alliances.parent')}**")
        st.button(
            f"↑ {ui.plain(a['parent_name'])}",
            key=f"go_{a['parent_alliance_id']}",
            on_click=go_to,
            args=(a["parent_alliance_id"],),
        )
    children = data.query("alliance_children", alliance=a["alliance_id"])
    if len(children):
        st.markdown(f"**{ui.t('alliances.children')}**")
        cols = st.columns(min(len(children), 5))
        for i, child in enumerate(children.itertuples()):
            cols[i % len(cols)].button(
                f"↓ {ui.plain(child.name)}",
                key=f"go_{child.alliance_id}",
                on_click=go_to,
                args=(child.alliance_id,),
            )
    if fmt.given(a["note"]):
        with st.expander(ui.t("alliances.note")):
            st.markdown(ui.plain(a["note"]))
    ui.source_note(a, "alliances")


def show_map_and_roles(a: pd.Series, members: pd.DataFrame) -> None:
    aid = a["alliance_id"]
    members = members.assign(
        role_label=ui.labels("role", members["role"]),
        province=ui.localized(members, "province_name"),
        kind=ui.labels("kind", members["kind"]),
        tier=ui.labels("tier", members["tier"]),
        ownership=ui.labels("ownership", members["ownership"]),
        joined_on=fmt.dates(members["joined_on"]),
        left_on=fmt.dates(members["left_on"]),
    )
    current = members[members["left_on"] == ""]  # fmt.dates left blanks where none
    current = current.assign(hover=current["name"] + " · " + current["role_label"])
    left, right = st.columns([3, 2])
    with left:
        st.subheader(ui.t("alliances.map_title"))
        areas = data.query("alliance_areas", alliance=aid)
        level = areas["level"].iloc[0] if len(areas) else "province"
        areas["label"] = ui.localized(areas, "name")  # counties have no English names
        shaded = areas[areas["members"] > 0].rename(columns={"members": "value"})
        fig = charts.choropleth(
            shaded,
            data.map_shapes(level, areas["adcode"].tolist()),
            value_label=ui.t("alliances.map_value"),
            hover_name="label",
            uirevision=f"alliance-{aid}",
            height=460,
            colorbar_title=ui.t("alliances.map_value"),
        )
        others = current[~current["is_lead"]]
        links = others.rename(
            columns={
                "lead_lon": "from_lon",
                "lead_lat": "from_lat",
                "lon": "to_lon",
                "lat": "to_lat",
            }
        ).assign(alliances=1)
        charts.add_links(fig, links, name=ui.t("alliances.map_links"), max_width=1.5)
        charts.add_points(fig, others, text="hover", name=ui.t("alliances.map_members"))
        charts.add_points(
            fig,
            current[current["is_lead"]].assign(size=13),
            text="hover",
            size="size",
            color="#c0392b",
            name=ui.t("alliances.map_lead"),
        )
        fig.update_layout(legend={"orientation": "h", "y": 0})
        if shaded["value"].nunique() <= 1:  # one member per area: a colour scale says nothing
            fig.update_traces(showscale=False, selector={"type": "choropleth"})
        ui.chart(
            fig,
            "alliance_map",
            ui.columns(
                current,
                {
                    "name": "common.name",
                    "role_label": "alliances.col_role",
                    "county_name": "common.county",
                    "province": "common.province",
                    "lon": "alliances.col_lon",
                    "lat": "alliances.col_lat",
                },
            ),
            filename=f"alliance_{aid}_map",
        )
        ui.simulated_note(members)
    with right:
        st.subheader(ui.t("alliances.roles_title"))
        roles = (
            current.groupby("role")
            .size()
            .reindex(ROLES)
            .dropna()
            .astype(int)
            .rename("members")
            .reset_index()
        )
        roles["role_label"] = ui.labels("role", roles["role"])
        fig = charts.bars(
            roles,
            x="members",
            y="role_label",
            orientation="h",
            height=300,
            labels={"members": ui.t("alliances.col_members"), "role_label": ""},
        )
        fig.update_yaxes(autorange="reversed")  # the lead on top, as in the council's own order
        ui.chart(
            fig,
            "alliance_roles",
            ui.columns(
                roles, {"role_label": "alliances.col_role", "members": "alliances.col_members"}
            ),
            filename=f"alliance_{aid}_roles",
        )
        ui.simulated_note(members)
    st.subheader(ui.t("alliances.members_title"))
    ui.table(
        ui.columns(
            members,
            {
                "role_label": "alliances.col_role",
                "name": "common.name",
                "kind": "alliances.col_kind",
                "tier": "alliances.col_tier",
                "ownership": "alliances.col_ownership",
                "county_name": "common.county",
                "province": "common.province",
                "joined_on": "alliances.col_joined",
                "left_on": "alliances.col_left",
            },
        ),
        key="alliance_members",
        filename=f"alliance_{aid}_members",
    )
    ui.simulated_note(members)


def show_growth(aid: str) -> None:
    growth = data.query("alliance_growth", alliance=aid)
    st.subheader(ui.t("alliances.growth_title"))
    if growth.empty:
        st.info(ui.t("common.no_data"))
        return
    fig = charts.lines(
        growth,
        x="date",
        y="members",
        height=300,
        labels={"date": ui.t("alliances.col_date"), "members": ui.t("alliances.col_members")},
    )
    fig.update_traces(line_shape="hv")  # membership changes on the day, not gradually
    growth["date"] = fmt.dates(growth["date"])
    ui.chart(
        fig,
        "alliance_growth",
        ui.columns(
            growth,
            {
                "date": "alliances.col_date",
                "joined": "alliances.col_joined_n",
                "departed": "alliances.col_departed_n",
                "members": "alliances.col_members",
            },
        ),
        filename=f"alliance_{aid}_members_over_time",
    )
    ui.simulated_note(growth)


def show_activity(aid: str, simulated: bool) -> None:
    activity = data.query("alliance_activity", alliance=aid)
    st.subheader(ui.t("alliances.activity_title"))
    if activity.empty:
        st.info(ui.t("alliances.no_activity" if simulated else "alliances.no_activity_real"))
        return
    ui.activity_chart(
        activity,
        "alliance_activity",
        f"alliance_{aid}_activity",
        {
            "month": "alliances.col_month",
            "activity": "alliances.col_activity",
            "count": "common.count",
        },
    )


def show_funding(aid: str) -> None:
    funding = data.query("alliance_funding", alliance=aid)
    st.subheader(ui.t("alliances.funding_title"))
    if funding.empty:
        st.info(ui.t("alliances.no_funding"))
        return
    lang = ui.lang()
    divisor, axis = fmt.money_axis(funding.groupby("year")["amount_cny"].sum().max(), lang)
    funding = funding.assign(
        year=funding["year"].astype(str),
        source_label=ui.labels("funding", funding["source"]),
        amount=funding["amount_cny"].map(lambda x: fmt.money(x, lang)),
        scaled=funding["amount_cny"] / divisor,
    )
    st.metric(ui.t("alliances.funding_total"), fmt.money(float(funding["amount_cny"].sum()), lang))
    fig = charts.bars(
        funding,
        x="year",
        y="scaled",
        color="source_label",
        height=300,
        labels={"year": ui.t("common.year"), "scaled": axis},
    )
    fig.update_xaxes(type="category")  # whole years, also when there is only one
    ui.chart(
        fig,
        "alliance_funding",
        ui.columns(
            funding,
            {
                "year": "common.year",
                "source_label": "alliances.col_source",
                "amount": "alliances.col_amount",
                "amount_cny": "alliances.col_amount_cny",
            },
        ),
        filename=f"alliance_{aid}_funding",
    )
    ui.simulated_note(funding)


def show_milestones_and_figures(aid: str) -> None:
    milestones = data.query("alliance_milestones", alliance=aid)
    st.subheader(ui.t("alliances.milestones_title"))
    if milestones.empty:
        st.info(ui.t("alliances.no_milestones"))
    else:
        milestones["date"] = fmt.dates(milestones["date"])
        ui.table(
            ui.columns(
                milestones,
                {
                    "date": "alliances.col_date",
                    "title": "alliances.col_event",
                    "detail": "alliances.col_detail",
                },
            ),
            key="alliance_milestones",
            filename=f"alliance_{aid}_milestones",
        )
        ui.simulated_note(milestones)
    figures = data.query("alliance_figures", alliance=aid)
    if len(figures):  # only the articles state figures; they are never simulated
        st.subheader(ui.t("alliances.figures_title"))
        figures = figures.assign(
            label=figures["label_en" if ui.lang() == "en" else "label_zh"],
            stated=[
                fmt.stated(v, q, ui.lang())
                for v, q in zip(figures["value"], figures["qualifier"], strict=True)
            ],
            as_of=fmt.dates(figures["as_of"]),
        )
        ui.table(
            ui.columns(
                figures,
                {
                    "label": "alliances.col_figure",
                    "stated": "common.value",
                    "unit": "alliances.col_unit",
                    "as_of": "alliances.col_as_of",
                },
            ),
            key="alliance_figures",
            filename=f"alliance_{aid}_figures",
        )


if len(detail):
    alliance = detail.iloc[0]
    show_header(alliance)
    show_map_and_roles(alliance, data.query("alliance_members", alliance=chosen))
    show_growth(chosen)
    show_activity(chosen, bool(alliance["simulated"]))
    left, right = st.columns(2)
    with left:
        show_funding(chosen)
    with right:
        show_milestones_and_figures(chosen)
