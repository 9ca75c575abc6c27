"""联盟: a filterable register of alliances; one alliance's members, roles, activity, funding, source."""

import io

import pandas as pd
import streamlit as st

from dashboard import charts, data, ui

ui.through_router()

REGISTER_LIMIT = 500  # rows listed; the counts cover every match
SEARCH_MAX_CHARS = 40
ID_MAX_CHARS = 32
NONE = ""  # "all" in a filter, "none chosen" in the alliance picker
ROLES = ["lead", "chair", "standing", "council", "member"]


def seed_from_url(key: str, parse, default) -> None:
    """Start a widget from the URL once; a value that does not parse falls back, with a notice."""
    if key in st.session_state:
        return
    raw = st.query_params.get(key)
    value = default
    if raw is not None:
        try:
            value = parse(raw)
        except ValueError:
            ui.notice_bad_param(key)
    st.session_state[key] = value


def write_to_url(key: str, text: str, default_text: str) -> None:
    """Keep a widget's value in the URL (left out while it is the default)."""
    if text == default_text:
        if key in st.query_params:
            del st.query_params[key]
    else:
        st.query_params[key] = text


def parse_search(raw: str) -> str:
    if len(raw) > SEARCH_MAX_CHARS:
        raise ValueError("search text too long")
    return raw


def parse_years(raw: str, first: int, last: int) -> tuple[int, int]:
    low, high = (int(part) for part in raw.split("-"))
    if not first <= low <= high <= last:
        raise ValueError("years out of range")
    return low, high


def parse_flag(raw: str) -> bool:
    if raw not in ("0", "1"):
        raise ValueError("not a flag")
    return raw == "1"


def newly_picked(event, ids: list[str], seen_key: str) -> str | None:
    """The id of a row the user has just clicked (None if the selection did not change)."""
    rows = list(event.selection.rows)
    if rows == st.session_state.get(seen_key):
        return None
    st.session_state[seen_key] = rows
    return ids[rows[0]] if rows and rows[0] < len(ids) else None


def go_to(alliance_id: str) -> None:
    st.session_state["alliance"] = alliance_id


def pickable_table(frame: pd.DataFrame, key: str, filename: str):
    """Like ui.table (CSV and Excel beside it), but rows can be clicked; returns the selection."""
    event = st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        key=key,
        on_select="rerun",
        selection_mode="single-row",
    )
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        ui.t("common.download_csv"),
        lambda: frame.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"{filename}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )

    def xlsx() -> bytes:
        buffer = io.BytesIO()
        frame.to_excel(buffer, index=False, engine="openpyxl")
        return buffer.getvalue()

    right.download_button(
        ui.t("common.download_xlsx"),
        xlsx,
        file_name=f"{filename}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click="ignore",
    )
    return event


def number(value: float) -> str:
    """1.4 → '1.4', 2.0 → '2', 3000 → '3,000'."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def money(amount_cny: float) -> str:
    """An amount read the way officials say it: 2亿元 / 300万元, or CNY 200 million."""
    key = "alliances.money_yi" if amount_cny >= 1e8 else "alliances.money_wan"
    return ui.t(
        key, yi=number(amount_cny / 1e8), wan=number(amount_cny / 1e4), m=number(amount_cny / 1e6)
    )


def figure_value(value: float, qualifier: str | None) -> str:
    """A stated figure with its qualifier: 110 and '+' → '110+', 50 and '~' → '约50'."""
    text = number(value)
    if qualifier == "+":
        return f"{text}+"
    if qualifier == "~":
        return ui.t("alliances.approx", v=text)
    return text


def given(value) -> bool:
    """A value the data actually has (not None, NaN or empty)."""
    return bool(value) if isinstance(value, str) else bool(pd.notna(value))


def data_label(simulated: bool) -> str:
    return ui.t("alliances.data_simulated" if simulated else "alliances.data_real")


def as_date(column: pd.Series) -> pd.Series:
    """Dates as YYYY-MM-DD text, blank where there is none (e.g. members who never left)."""
    return pd.to_datetime(column).dt.strftime("%Y-%m-%d").fillna("")


def province_label(frame: pd.DataFrame) -> pd.Series:
    if ui.lang() == "en":
        return frame["province_name_en"].fillna(frame["province_name"])
    return frame["province_name"]


# ---- the register ------------------------------------------------------------------------------

st.title(ui.t("alliances.title"))
province = ui.current_province()
facets = data.query("alliance_facets")


def facet(name: str) -> list[str]:
    return facets.loc[facets["facet"] == name, "value"].tolist()


years = [int(y) for y in facet("year")] or [2017]
first_year, last_year = min(years), max(years)

c1, c2, c3 = st.columns(3)
form = ui.choose(
    c1.selectbox,
    ui.t("common.form"),
    [NONE, *facet("form")],
    key="form",
    default=NONE,
    format_func=lambda c: ui.label("form", c) if c else ui.t("common.all"),
)
scope = ui.choose(
    c2.selectbox,
    ui.t("alliances.scope"),
    [NONE, *facet("scope")],
    key="scope",
    default=NONE,
    format_func=lambda c: ui.label("scope", c) if c else ui.t("common.all"),
)
specialty = ui.choose(
    c3.selectbox,
    ui.t("alliances.specialty"),
    [NONE, *facet("specialty")],
    key="specialty",
    default=NONE,
    format_func=lambda s: s or ui.t("common.all"),
)

c4, c5, c6 = st.columns([2, 2, 1.4], vertical_alignment="bottom")
seed_from_url("q", parse_search, "")
q = c4.text_input(
    ui.t("common.search"), key="q", max_chars=SEARCH_MAX_CHARS, help=ui.t("alliances.search_help")
)
write_to_url("q", q, "")
if first_year < last_year:
    seed_from_url(
        "years", lambda raw: parse_years(raw, first_year, last_year), (first_year, last_year)
    )
    low, high = st.session_state["years"]
    if not first_year <= low <= high <= last_year:  # a new data file with other years
        st.session_state["years"] = (first_year, last_year)
    year_from, year_to = c5.slider(
        ui.t("alliances.years"), min_value=first_year, max_value=last_year, key="years"
    )
    write_to_url("years", f"{year_from}-{year_to}", f"{first_year}-{last_year}")
else:
    year_from, year_to = first_year, last_year
seed_from_url("real", parse_flag, False)
real_only = c6.toggle(ui.t("alliances.real_only"), key="real")
write_to_url("real", "1" if real_only else "0", "0")

register = data.query(
    "alliance_register",
    province=province,
    form=form,
    scope=scope,
    specialty=specialty,
    year_from=year_from,
    year_to=year_to,
    q=q.strip(),
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
        form=register["form"].map(lambda c: ui.label("form", c)),
        scope=register["scope"].map(lambda c: ui.label("scope", c)),
        founded_on=as_date(register["founded_on"]),
        data=register["simulated"].map(data_label),
    )
    event = pickable_table(
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
    )
    clicked = newly_picked(event, register["alliance_id"].tolist(), "_register_rows")
    if clicked:
        st.session_state["alliance"] = clicked  # the picker below is drawn after this
    if total > len(register):
        st.caption(ui.t("alliances.register_limited", shown=len(register), total=f"{total:,}"))
    ui.simulated_note(register)

# ---- the picker: the listed alliances, plus the one asked for if it exists ----------------------

wanted = str(st.session_state.get("alliance", st.query_params.get("alliance", NONE)))
# An id is short; a long URL value is not looked up (and gets the notice below).
looked_up = wanted and len(wanted) <= ID_MAX_CHARS
detail = data.query("alliance_detail", alliance=wanted) if looked_up else pd.DataFrame()
names = dict(zip(register["alliance_id"], register["name"], strict=True))
options = [NONE, *names]
if len(detail) and wanted not in names:
    names[wanted] = detail["name"].iloc[0]
    options.insert(1, wanted)
chosen = ui.choose(
    st.selectbox,
    ui.t("alliances.pick"),
    options,
    key="alliance",
    default=NONE,
    format_func=lambda a: f"{names[a]} · {a}" if a else ui.t("alliances.pick_none"),
)
if chosen != wanted:
    detail = data.query("alliance_detail", alliance=chosen) if chosen else pd.DataFrame()


# ---- one alliance -------------------------------------------------------------------------------


def show_header(a: pd.Series) -> None:
    st.header(ui.plain(a["name"]))
    facts = st.columns(3) + st.columns(3)
    facts[0].metric(ui.t("common.form"), ui.label("form", a["form"]))
    facts[1].metric(ui.t("alliances.scope"), ui.label("scope", a["scope"]))
    facts[2].metric(ui.t("alliances.specialty"), a["specialty"] if given(a["specialty"]) else "—")
    facts[3].metric(ui.t("alliances.model"), a["model"] if given(a["model"]) else "—")
    facts[4].metric(ui.t("alliances.col_founded"), str(a["founded_on"].date()))
    facts[5].metric(ui.t("alliances.members_now"), f"{int(a['members']):,}")
    st.markdown(ui.t("alliances.lead_line", name=ui.plain(a["lead_name"])))
    if given(a["parent_alliance_id"]):
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
    if given(a["note"]):
        with st.expander(ui.t("alliances.note")):
            st.markdown(ui.plain(a["note"]))
    if a["simulated"]:
        st.info(f"🧪 **{ui.t('common.simulated')}** · {ui.t('alliances.source_simulated')}")
    elif given(a["article_title"]):
        st.info(
            ui.t(
                "alliances.source_article",
                title=ui.plain(a["article_title"]),
                publisher=ui.plain(a["article_publisher"]),
                date=str(a["article_date"].date()),
            )
        )


def show_map_and_roles(a: pd.Series, members: pd.DataFrame) -> None:
    aid = a["alliance_id"]
    members = members.assign(
        role_label=members["role"].map(lambda r: ui.label("role", r)),
        province=province_label(members),
        kind=members["kind"].map(lambda k: ui.label("kind", k)),
        tier=members["tier"].map(lambda k: ui.label("tier", k)),
        ownership=members["ownership"].map(lambda k: ui.label("ownership", k)),
        joined_on=as_date(members["joined_on"]),
        left_on=as_date(members["left_on"]),
    )
    current = members[members["left_on"] == ""]  # as_date left blanks where none
    current = current.assign(hover=current["name"] + " · " + current["role_label"])
    left, right = st.columns([3, 2])
    with left:
        st.subheader(ui.t("alliances.map_title"))
        areas = data.query("alliance_areas", alliance=aid)
        level = areas["level"].iloc[0] if len(areas) else "province"
        if level == "province" and ui.lang() == "en":
            areas["label"] = areas["name_en"].fillna(areas["name"])
        else:
            areas["label"] = areas["name"]
        shaded = areas[areas["members"] > 0].rename(columns={"members": "value"})
        fig = charts.choropleth(
            shaded,
            data.feature_collection(level, areas["adcode"].tolist()),
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
        roles["role_label"] = roles["role"].map(lambda r: ui.label("role", r))
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
    growth["date"] = as_date(growth["date"])
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
    activity["activity"] = activity["kind"].map(lambda k: ui.label("activity", k))
    ui.chart(
        charts.bars(
            activity,
            x="month",
            y="count",
            color="activity",
            height=380,
            labels={"month": ui.t("alliances.col_month"), "count": ui.t("common.count")},
        ),
        "alliance_activity",
        ui.columns(
            activity.assign(month=activity["month"].dt.strftime("%Y-%m")),
            {
                "month": "alliances.col_month",
                "activity": "alliances.col_activity",
                "count": "common.count",
            },
        ),
        filename=f"alliance_{aid}_activity",
    )
    ui.simulated_note(activity)


def show_funding(aid: str) -> None:
    funding = data.query("alliance_funding", alliance=aid)
    st.subheader(ui.t("alliances.funding_title"))
    if funding.empty:
        st.info(ui.t("alliances.no_funding"))
        return
    if ui.lang() == "en":
        divisor, axis = 1e6, "alliances.axis_yi"
    elif funding.groupby("year")["amount_cny"].sum().max() >= 1e8:
        divisor, axis = 1e8, "alliances.axis_yi"
    else:
        divisor, axis = 1e4, "alliances.axis_wan"
    funding = funding.assign(
        year=funding["year"].astype(str),
        source_label=funding["source"].map(lambda s: ui.label("funding", s)),
        amount=funding["amount_cny"].map(money),
        scaled=funding["amount_cny"] / divisor,
    )
    st.metric(ui.t("alliances.funding_total"), money(float(funding["amount_cny"].sum())))
    fig = charts.bars(
        funding,
        x="year",
        y="scaled",
        color="source_label",
        height=300,
        labels={"year": ui.t("common.year"), "scaled": ui.t(axis)},
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
        milestones["date"] = as_date(milestones["date"])
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
                figure_value(v, q)
                for v, q in zip(figures["value"], figures["qualifier"], strict=True)
            ],
            as_of=as_date(figures["as_of"]),
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
