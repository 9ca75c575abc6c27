"""联盟: a filterable register of alliances; one alliance's members, roles, activity, funding, source."""

import pandas as pd
import streamlit as st

from dashboard import charts, data, fmt, ui
from dashboard.report import widget as briefing

ui.through_router()

REGISTER_LIMIT = 500  # rows listed; the counts cover every match
REGISTER_COLUMNS = {  # the register's columns (column -> message key)
    "alliance_id": "alliances.col_id",
    "name": "common.name",
    "form": "common.form",
    "specialty": "alliances.specialty",
    "scope": "alliances.scope",
    "model": "alliances.model",
    "founded_on": "alliances.col_founded",
    "lead_name": "alliances.col_lead_parties",
    "members": "alliances.col_members",
    "provinces": "alliances.col_provinces",
    "data": "alliances.col_data",
}
ROLES = ["lead", "party", "chair", "standing", "council", "member"]
# The queries of one alliance's page (queries/alliance_<part>.sql), started together when it opens.
ALLIANCE_PARTS = [
    "members",
    "areas",
    "growth",
    "activity",
    "related",
    "children",
    "tags",
    "tiers",
    "places",
    "funding",
    "milestones",
    "figures",
]
PROVINCE_PAGE = "pages/province.py"
TAG_COLOURS = {
    "form": "blue",
    "platform": "violet",
    "share": "green",
    "transfer": "orange",
    "workstation": "red",
    "vertical": "primary",
    "mechanism": "gray",
}


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
c4, c5, c6, c7 = st.columns([2, 2, 2, 1.4], vertical_alignment="bottom")
q = ui.search(c4.text_input, ui.t("alliances.search_help"))
tag = ui.choose_tag(c5.selectbox, facets)
year_from, year_to = ui.bind_range(
    c6.slider, ui.t("alliances.years"), "years", min(years), max(years)
)
real_only = ui.bind_flag(c7.toggle, ui.t("alliances.real_only"), "real")

register = data.query(
    "alliance_register",
    province=province,
    form=form,
    scope=scope,
    specialty=specialty,
    tag=tag,
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

    def register_table() -> pd.DataFrame:  # the same for every alliance picked below it
        shown = register.assign(
            specialty=register["specialty"].fillna(""),
            model=register["model"].fillna(""),
            form=ui.labels("form", register["form"]),
            scope=ui.labels("scope", register["scope"]),
            founded_on=fmt.dates_with(
                register["founded_on"], register["founded_precision"], ui.lang()
            ),
            data=ui.data_labels(register, "alliances"),
        )
        return ui.columns(shown, REGISTER_COLUMNS)

    founded = ui.t(REGISTER_COLUMNS["founded_on"])

    filters = (province, form, scope, specialty, tag, year_from, year_to, q, real_only)
    event = ui.table(
        ui.shared("alliance_register", filters, register_table),
        key="register",
        filename="alliances",
        on_select="rerun",
        selection_mode="single-row",
        dated={founded: (register["founded_on"], register["founded_precision"])},
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
if chosen:  # the dozen small queries of one alliance, started side by side
    data.prefetch(*((f"alliance_{part}", {"alliance": chosen}) for part in ALLIANCE_PARTS))


# ---- one alliance -------------------------------------------------------------------------------


def show_header(a: pd.Series) -> None:
    st.header(ui.plain(a["name"], ui.NAME_MAX_CHARS), anchor=False)
    facts = st.columns(3) + st.columns(3)
    facts[0].metric(
        ui.t("common.form"),
        ui.label("form", a["form"]),
        # the article's words that make it this kind of cooperation
        help=ui.t("alliances.form_basis", quote=ui.plain(a["form_basis"]))
        if fmt.given(a["form_basis"])
        else None,
    )
    facts[1].metric(ui.t("alliances.scope"), ui.label("scope", a["scope"]))
    facts[2].metric(
        ui.t("alliances.specialty"), ui.plain(fmt.text(a["specialty"]), ui.FACT_MAX_CHARS)
    )
    facts[3].metric(ui.t("alliances.model"), ui.plain(fmt.text(a["model"]), ui.FACT_MAX_CHARS))
    facts[4].metric(
        ui.t("alliances.col_founded"), fmt.dated(a["founded_on"], a["founded_precision"], ui.lang())
    )
    facts[5].metric(ui.t("alliances.members_now"), f"{int(a['members']):,}")
    if fmt.given(a["party_names"]):  # the parties to an agreement (院府合作: 卫健委 and 十院)
        names = "、" if ui.lang() == "zh" else "; "
        st.markdown(
            ui.t(
                "alliances.parties_line",
                n=int(a["parties"]),
                names=ui.plain(names.join(a["party_names"].split("、"))),
            )
        )
    elif int(a["leads"]) > 1:  # co-founders: every one of them is a lead (R-A01 has four)
        names = "、" if ui.lang() == "zh" else "; "
        st.markdown(
            ui.t(
                "alliances.leads_line",
                n=int(a["leads"]),
                names=ui.plain(names.join(a["lead_names"].split("、"))),
            )
        )
    else:
        st.markdown(ui.t("alliances.lead_line", name=ui.plain(a["lead_name"], ui.NAME_MAX_CHARS)))
    if fmt.given(a["form_basis"]):
        st.caption(ui.t("alliances.form_basis", quote=ui.plain(a["form_basis"])))
    if fmt.given(a["parent_alliance_id"]):
        st.markdown(f"**{ui.t('alliances.parent')}**")
        st.button(
            f"↑ {ui.plain(a['parent_name'], ui.NAME_MAX_CHARS)}",
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
                f"↓ {ui.plain(child.name, ui.NAME_MAX_CHARS)}",
                key=f"go_{child.alliance_id}",
                on_click=go_to,
                args=(child.alliance_id,),
            )
    show_related(a["alliance_id"])
    show_tags(a["alliance_id"])
    if fmt.given(a["note"]):
        with st.expander(ui.t("alliances.note")):
            st.markdown(ui.plain(a["note"]))
    ui.source_note(a, "alliances")


def show_related(aid: str) -> None:
    """Related records, both ways (Bengbu's 1+1+N and the regional medical centre)."""
    related = data.query("alliance_related", alliance=aid)
    if related.empty:
        return
    st.markdown(f"**{ui.t('alliances.related')}**")
    note = "note_en" if ui.lang() == "en" else "note_zh"
    for row in related.itertuples():
        left, right = st.columns([2, 3], vertical_alignment="center")
        left.button(
            f"→ {ui.plain(row.name)}",
            key=f"go_{row.alliance_id}",
            on_click=go_to,
            args=(row.alliance_id,),
        )
        right.caption(
            f"{ui.label('relation', row.relation)} · {ui.plain(getattr(row, note) or '')}"
        )


def show_tags(aid: str) -> None:
    """The article's cooperation forms, platforms, shares, workstations… as tags, by kind."""
    tags = data.query("alliance_tags", alliance=aid)
    if tags.empty:
        return
    column = "tag_en" if ui.lang() == "en" else "tag_zh"
    for kind, group in tags.groupby("kind", sort=False):
        row = st.container(horizontal=True, vertical_alignment="center", gap="small")
        row.markdown(f"**{ui.label('tag_kind', kind)}**")
        for text in group[column]:
            row.badge(ui.plain(text), color=TAG_COLOURS.get(kind, "gray"))


def show_structure(aid: str) -> None:
    """The layers of the alliance's model (Lishui's X+1+9+X) and the places it covers."""
    tiers = data.query("alliance_tiers", alliance=aid)
    places = data.query("alliance_places", alliance=aid)
    if tiers.empty and places.empty:
        return
    en = ui.lang() == "en"
    if len(tiers):
        st.subheader(ui.t("alliances.tiers_title"))
        shown = lambda: ui.columns(  # noqa: E731 (made once per alliance: ui.shared)
            tiers.assign(
                tier_label=tiers["name_en" if en else "name_zh"],
                stated=tiers["stated_count"].map(
                    lambda v: fmt.text(None if pd.isna(v) else int(v))
                ),
                detail=tiers["detail_en" if en else "detail_zh"].fillna(""),
                member_names=tiers["member_names"].fillna(""),
            ),
            {
                "tier_label": "alliances.col_alliance_tier",
                "stated": "alliances.col_stated_count",
                "members": "alliances.col_members",
                "member_names": "alliances.col_member_names",
                "detail": "alliances.col_detail",
            },
        )
        ui.table(
            ui.shared("alliance_tiers", (aid,), shown),
            key="alliance_tiers",
            filename=f"alliance_{aid}_tiers",
        )
    if len(places):
        st.subheader(ui.t("alliances.places_title"))
        places = ui.shared(
            "alliance_places",
            (aid,),
            lambda: places.assign(
                basis_label=ui.labels("basis", places["basis"]),
                level_label=ui.labels("level", places["level"]),
                note=places["note_en" if en else "note_zh"].fillna(""),
                province=ui.localized(places, "province_name"),
            ),
        )
        ui.table(
            ui.columns(
                places,
                {
                    "name": "common.name",
                    "level_label": "alliances.col_level",
                    "province": "common.province",
                    "basis_label": "alliances.col_basis",
                    "note": "alliances.col_detail",
                },
            ),
            key="alliance_places",
            filename=f"alliance_{aid}_areas",
        )
        # A link to the province page showing each city the alliance covers (Quzhou).
        cities = places.dropna(subset=["city_adcode"]).drop_duplicates("city_adcode")
        for city in cities.itertuples():
            st.page_link(
                PROVINCE_PAGE,
                label=ui.t(
                    "alliances.city_link",
                    province=ui.plain(city.province),
                    city=ui.plain(city.city_name),
                ),
                icon=None,  # an emoji needs a font the screens may lack
                query_params={
                    "province": str(int(city.province_adcode)),
                    "city": str(int(city.city_adcode)),
                    "lang": ui.lang(),
                },
            )


def member_frames(members: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The members in the reader's words, the current ones (with their hover text) and the
    count per role: made once per alliance and language (ui.shared), not on every rerun."""
    members = members.assign(
        role_label=ui.labels("role", members["role"]),
        province=ui.localized(members, "province_name"),
        kind=ui.labels("kind", members["kind"]),
        # a 卫健委 has no hospital grade and is no public hospital
        tier=ui.labels("tier", members["tier"]).where(members["kind"] != "government", ""),
        ownership=ui.labels("ownership", members["ownership"]).where(
            members["kind"] != "government", ""
        ),
        joined_on=fmt.dates_with(members["joined_on"], members["joined_precision"], ui.lang()),
        left_on=fmt.dates(members["left_on"], ui.lang()),
        alliance_tier=members["tier_name_en" if ui.lang() == "en" else "tier_name"].fillna(""),
    )
    current = members[members["left_on"] == ""]  # fmt.dates left blanks where none
    current = current.assign(
        hover=current["name"] + " · " + current["role_label"] + " · " + current["joined_on"]
    )
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
    return members, current, roles


def show_map_and_roles(a: pd.Series, members: pd.DataFrame) -> None:
    aid = a["alliance_id"]
    raw = members
    members, current, roles = ui.shared("alliance_members", (aid,), lambda: member_frames(members))
    left, right = st.columns([3, 2])
    with left:
        st.subheader(ui.t("alliances.map_title"))
        areas = data.query("alliance_areas", alliance=aid)
        level = areas["level"].iloc[0] if len(areas) else "province"
        areas["label"] = ui.localized(areas, "name")  # counties have no English names
        fig = lambda: charts.alliance_map(  # noqa: E731 (built once per alliance: ui.chart)
            areas,
            data.map_shapes(level, areas["adcode"].tolist()),
            data.map_shapes("province"),
            current,
            labels={
                "value": ui.t("alliances.map_value"),
                "members": ui.t("alliances.map_members"),
                "lead": ui.t("alliances.map_lead"),
                "links": ui.t("alliances.map_links"),
                "area": ui.t("alliances.places_title"),
                "government": ui.t("alliances.map_government"),
            },
            # The places the alliance covers, in their own colour (Quzhou's six counties).
            highlight=areas.loc[areas["in_area"], "adcode"].tolist(),
            lang=ui.lang(),
            uirevision=f"alliance-{aid}",
        )
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
            view=(aid,),
        )
        ui.simulated_note(members)
    with right:
        st.subheader(ui.t("alliances.roles_title"))
        ui.chart(
            lambda: charts.bars(
                roles,
                x="members",
                y="role_label",
                orientation="h",
                height=300,
                labels={"members": ui.t("alliances.col_members"), "role_label": ""},
                integer=True,
            ).update_yaxes(autorange="reversed"),  # the lead on top, as in the council's order
            "alliance_roles",
            ui.columns(
                roles, {"role_label": "alliances.col_role", "members": "alliances.col_members"}
            ),
            filename=f"alliance_{aid}_roles",
            view=(aid,),
        )
        ui.simulated_note(members)
    st.subheader(ui.t("alliances.members_title"))
    has_tiers = bool((members["alliance_tier"] != "").any())
    ui.table(
        ui.columns(
            members,
            ({"alliance_tier": "alliances.col_alliance_tier"} if has_tiers else {})
            | {
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
        dated={ui.t("alliances.col_joined"): (raw["joined_on"], raw["joined_precision"])},
    )
    ui.simulated_note(members)


def show_growth(aid: str) -> None:
    growth = data.query("alliance_growth", alliance=aid)
    st.subheader(ui.t("alliances.growth_title"))
    if growth.empty:
        st.info(ui.t("common.no_data"))
        return
    # Each date as exact as its source, in the hover too (不晚于2017年6月4日, 1995年).
    growth["shown"] = fmt.dates_with(growth["date"], growth["date_precision"], ui.lang())
    changes = growth[(growth["joined"] > 0) | (growth["departed"] > 0)]
    if len(changes) == 1:  # everyone joined on one date (the founding): no line to draw
        only = changes.iloc[-1]
        st.info(ui.t("alliances.growth_one_date", n=int(only["members"]), date=only["shown"]))
        return
    ui.chart(
        lambda: charts.lines(
            growth,
            x="date",
            y="members",
            height=300,
            labels={"date": ui.t("alliances.col_date"), "members": ui.t("alliances.col_members")},
            integer=True,
            hover_x="shown",
        ).update_traces(line_shape="hv"),  # membership changes on the day, not gradually
        "alliance_growth",
        ui.columns(
            growth.assign(date=growth["shown"]),
            {
                "date": "alliances.col_date",
                "joined": "alliances.col_joined_n",
                "departed": "alliances.col_departed_n",
                "members": "alliances.col_members",
            },
        ),
        filename=f"alliance_{aid}_members_over_time",
        view=(aid,),
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
        view=(aid,),
    )


def show_funding(aid: str) -> None:
    funding = data.query("alliance_funding", alliance=aid)
    st.subheader(ui.t("alliances.funding_title"))
    if funding.empty:
        # The article's money may sit on a related record (1+1+N → 浙大二院安徽医院): say where.
        related = data.query("alliance_related", alliance=aid)
        holders = related[related["has_funding"]]
        if holders.empty:
            st.info(ui.t("alliances.no_funding"))
        for row in holders.itertuples():
            st.info(ui.t("alliances.funding_elsewhere", name=ui.plain(row.name)))
            st.button(
                f"→ {ui.plain(row.name)}",
                key=f"funding_go_{row.alliance_id}",
                on_click=go_to,
                args=(row.alliance_id,),
            )
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
    ui.chart(
        lambda: charts.bars(
            funding,
            x="year",
            y="scaled",
            color="source_label",
            height=300,
            labels={"year": ui.t("common.year"), "scaled": axis},
        ).update_xaxes(type="category"),  # whole years, also when there is only one
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
        view=(aid,),
    )
    for quote in funding["quote"].dropna().unique():
        st.caption(ui.t("alliances.quote_line", quote=ui.plain(quote)))
    ui.simulated_note(funding)


def show_milestones(aid: str) -> None:
    milestones = data.query("alliance_milestones", alliance=aid)
    st.subheader(ui.t("alliances.milestones_title"))
    if milestones.empty:
        st.info(ui.t("alliances.no_milestones"))
    else:
        ui.table(
            ui.shared(
                "alliance_milestones",
                (aid,),
                lambda: ui.columns(
                    milestones.assign(
                        date=fmt.dates_with(
                            milestones["date"], milestones["date_precision"], ui.lang()
                        )
                    ),
                    {
                        "date": "alliances.col_date",
                        "title": "alliances.col_event",
                        "detail": "alliances.col_detail",
                    },
                ),
            ),
            key="alliance_milestones",
            filename=f"alliance_{aid}_milestones",
            dated={ui.t("alliances.col_date"): (milestones["date"], milestones["date_precision"])},
        )
        ui.simulated_note(milestones)


def show_figures(aid: str) -> None:
    figures = data.query("alliance_figures", alliance=aid)
    if len(figures):  # only the articles state figures; they are never simulated
        st.subheader(ui.t("alliances.figures_title"))
        figures = figures.assign(
            label=figures["label_en" if ui.lang() == "en" else "label_zh"],
            stated=[
                fmt.stated(v, q, ui.lang())
                for v, q in zip(figures["value"], figures["qualifier"], strict=True)
            ],
            as_of=fmt.dates(figures["as_of"], ui.lang()),
            quote=figures["quote"].fillna(""),
        )
        ui.table(
            ui.columns(
                figures,
                {
                    "label": "alliances.col_figure",
                    "stated": "common.value",
                    "unit": "alliances.col_unit",
                    "as_of": "alliances.col_as_of",
                    "quote": "alliances.col_quote",
                },
            ),
            key="alliance_figures",
            filename=f"alliance_{aid}_figures",
        )
        # each sentence in full (a table cell cuts it short), once however many figures it gives
        for quote in figures["quote"].loc[lambda q: q != ""].unique():
            st.caption(ui.t("alliances.quote_line", quote=ui.plain(quote)))


if len(detail):
    alliance = detail.iloc[0]
    show_header(alliance)
    show_structure(chosen)
    briefing.button("alliance", chosen)
    show_map_and_roles(alliance, data.query("alliance_members", alliance=chosen))
    show_growth(chosen)
    show_activity(chosen, bool(alliance["simulated"]))
    left, right = st.columns(2)
    with left:
        show_funding(chosen)
    with right:
        show_milestones(chosen)
    show_figures(chosen)
