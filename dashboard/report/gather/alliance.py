"""An alliance's briefing."""

from __future__ import annotations

import pandas as pd

from dashboard import charts, colours, fmt, i18n, safe
from dashboard.report.content import Briefing, Figure, Section, Table, Text
from dashboard.report.gather.common import (
    NotFound,
    _article_line,
    _columns,
    _data_sources,
    _generated,
    _inline,
    _int,
    _labels,
    _meta,
    _origins,
    _shapes,
    _simulated,
    _whole_numbers,
    run,
)

MEMBER_ROWS = 80  # members listed in an alliance briefing; the text gives the full count
ROLES = ["lead", "party", "chair", "standing", "council", "member"]


def _leads(a: pd.Series, t, lang: str) -> tuple[str, str]:
    """The lead as the page names it: the parties to an agreement (a government first), every
    co-lead (the five ZJU hospitals of Quzhou), or the one lead."""
    sep = "、" if lang == "zh" else "; "
    if fmt.given(a["party_names"]):
        return t("briefing.parties", n=int(a["parties"])), a["party_names"].replace("、", sep)
    if int(a["leads"]) > 1:
        return t("briefing.leads", n=int(a["leads"])), a["lead_names"].replace("、", sep)
    return t("alliances.col_lead"), fmt.text(a["lead_name"])


def alliance(con, alliance_id: str, lang: str = "zh") -> Briefing:
    """An alliance's briefing: facts, members and roles, membership over time, activity,
    funding by source, milestones, figures stated in its article, sources."""
    t = lambda key, **v: i18n.text(key, lang, **v)  # noqa: E731
    detail = run(con, "alliance_detail", alliance=alliance_id)
    if detail.empty:
        raise NotFound(t("briefing.no_alliance", code=alliance_id))
    a = detail.iloc[0]
    meta = _meta(con)
    members = run(con, "alliance_members", alliance=alliance_id)
    children = run(con, "alliance_children", alliance=alliance_id)
    areas = run(con, "alliance_areas", alliance=alliance_id)
    growth = run(con, "alliance_growth", alliance=alliance_id)
    activity = run(con, "alliance_activity", alliance=alliance_id)
    funding = run(con, "alliance_funding", alliance=alliance_id)
    milestones = run(con, "alliance_milestones", alliance=alliance_id)
    stated = run(con, "alliance_figures", alliance=alliance_id)
    frames = (detail, members, growth, activity, funding, milestones)
    any_simulated = any(_simulated(f) for f in frames)

    # ---- facts
    facts = [
        (t("alliances.col_id"), a["alliance_id"]),
        (t("common.form"), i18n.code_label("form", a["form"], lang)),
        *(
            [(t("briefing.form_basis"), f"“{a['form_basis']}”")]
            if fmt.given(a["form_basis"])
            else []
        ),
        (t("alliances.scope"), i18n.code_label("scope", a["scope"], lang)),
        (t("alliances.specialty"), fmt.text(a["specialty"])),
        (t("alliances.model"), fmt.text(a["model"])),
        (t("alliances.col_founded"), fmt.dated(a["founded_on"], a["founded_precision"], lang)),
        _leads(a, t, lang),
        (t("alliances.members_now"), _int(a["members"])),
        (t("briefing.members_ever"), _int(a["members_ever"])),
    ]
    if fmt.given(a["parent_alliance_id"]):
        facts.append((t("alliances.parent"), f"{a['parent_name']}（{a['parent_alliance_id']}）"))
    if len(children):  # each with its kind: 浙医一院衢州医联体 · 院院合作（对口帮扶）
        facts.append(
            (
                t("alliances.children"),
                "；".join(
                    f"{name} · {i18n.code_label('form', form, lang)}"
                    for name, form in zip(children["name"], children["form"], strict=True)
                ),
            )
        )
    if a.get("origin") == "office":
        data_label = t("briefing.origin_office", batch=fmt.text(a.get("batch_id")))
    else:
        data_label = t("common.simulated") if a["simulated"] else t("briefing.real")
    facts.append((t("alliances.col_data"), data_label))
    overview_blocks: list = [
        Table(
            t("briefing.t_facts", name=a["name"]),
            pd.DataFrame(facts, columns=[t("briefing.col_item"), t("briefing.col_content")]),
            simulated=bool(a["simulated"]),
        )
    ]
    # The note is the data editors' working note (it names table columns): not for a briefing.
    sections = [Section(t("briefing.s_alliance_overview"), overview_blocks)]

    # ---- members: map, roles, list
    current = members[members["left_on"].isna()]
    member_blocks: list = []
    if members.empty:
        member_blocks.append(Text(t("common.no_data")))
    else:
        role_label = _labels("role", current["role"], lang)
        level = areas["level"].iloc[0] if len(areas) else "province"
        areas = areas.assign(label=fmt.in_language(areas, "name", lang))
        shaded = areas[areas["members"] > 0].rename(columns={"members": "value"})
        shapes, geojson = _shapes(con, level, areas["adcode"].tolist())
        fig = charts.choropleth(
            shaded,
            shapes,
            value_label=t("alliances.map_value"),
            hover_name="label",
            height=420,
            colorbar_title=t("alliances.map_value"),
            lang=lang,  # the caption in the briefing's language
        )
        located = current.assign(hover=current["name"] + " · " + role_label).dropna(
            subset=["lon", "lat"]
        )
        government = located["is_government"].astype(bool)
        others = located[~located["is_lead"].astype(bool) & ~government]
        links = others.rename(
            columns={
                "lead_lon": "from_lon",
                "lead_lat": "from_lat",
                "lon": "to_lon",
                "lat": "to_lat",
            }
        ).assign(alliances=1)
        charts.add_links(fig, links, name=t("alliances.map_links"), max_width=1.5)
        charts.add_points(fig, others, text="hover", name=t("alliances.map_members"))
        charts.add_points(
            fig,
            located[located["is_lead"].astype(bool) & ~government].assign(size=13),
            text="hover",
            size="size",
            color=colours.MARKS["light"]["lead"],
            name=t("alliances.map_lead"),
        )
        if government.any():  # a 卫健委 that is a party: its own colour and a square
            charts.add_points(
                fig,
                located[government].assign(size=13),
                text="hover",
                size="size",
                color=colours.GOVERNMENT,
                name=t("alliances.map_government"),
                symbol="square",
            )
        fig.update_layout(legend={"orientation": "h", "y": 0})
        if shaded["value"].nunique() <= 1:
            fig.update_traces(showscale=False, selector={"type": "choropleth"})
        elif shaded["value"].max() <= 10:  # whole members on the colour bar
            fig.update_traces(colorbar={"dtick": 1}, selector={"type": "choropleth"})
        _inline(fig, geojson)
        member_blocks.append(
            Figure(
                "alliance_map",
                t("alliances.map_title"),
                fig,
                simulated=_simulated(members),
                height_px=420,
            )
        )
        roles = (
            current.groupby("role").size().reindex(ROLES).dropna().astype(int).rename("members")
        ).reset_index()
        roles["role_label"] = _labels("role", roles["role"], lang)
        height = max(200, 40 * len(roles) + 80)
        fig = charts.bars(
            roles,
            x="members",
            y="role_label",
            orientation="h",
            height=height,
            labels={"members": t("alliances.col_members"), "role_label": ""},
        )
        fig.update_yaxes(autorange="reversed")
        _whole_numbers(fig, "x", roles["members"].max())
        member_blocks.append(
            Figure(
                "alliance_roles",
                t("alliances.roles_title"),
                fig,
                simulated=_simulated(members),
                height_px=height,
            )
        )
        member_blocks.append(
            Table(
                t("alliances.roles_title"),
                _columns(
                    roles.assign(members=roles["members"].map(_int)),
                    {"role_label": "alliances.col_role", "members": "alliances.col_members"},
                    lang,
                ),
                simulated=_simulated(members),
            )
        )
        listed = members.head(MEMBER_ROWS)
        if len(members) > MEMBER_ROWS:
            member_blocks.append(
                Text(t("briefing.members_limited", shown=MEMBER_ROWS, total=len(members)))
            )
        government = listed["kind"] == "government"  # no hospital grade
        listed = listed.assign(
            role_label=_labels("role", listed["role"], lang),
            kind=_labels("kind", listed["kind"], lang),
            tier=_labels("tier", listed["tier"], lang).where(~government, fmt.DASH),
            province=fmt.in_language(listed, "province_name", lang),
            county_name=listed["county_name"].fillna(fmt.DASH),
            joined_on=fmt.dates_with(listed["joined_on"], listed["joined_precision"], lang),
            left_on=fmt.dates(listed["left_on"], lang),
        )
        member_blocks.append(
            Table(
                t("alliances.members_title"),
                _columns(
                    listed,
                    {
                        "role_label": "alliances.col_role",
                        "name": "common.name",
                        "kind": "alliances.col_kind",
                        "tier": "alliances.col_tier",
                        "county_name": "common.county",
                        "province": "common.province",
                        "joined_on": "alliances.col_joined",
                        "left_on": "alliances.col_left",
                    },
                    lang,
                ),
                simulated=_simulated(members),
            )
        )
    sections.append(Section(t("briefing.s_members"), member_blocks))

    # ---- membership over time
    growth_blocks: list = []
    if growth.empty:
        growth_blocks.append(Text(t("common.no_data")))
    elif ((growth["joined"] > 0) | (growth["departed"] > 0)).sum() == 1:
        # everyone joined on one date (the founding): no line to draw
        only = growth[(growth["joined"] > 0) | (growth["departed"] > 0)].iloc[-1]
        growth_blocks.append(
            Text(
                t(
                    "alliances.growth_one_date",
                    n=int(only["members"]),
                    date=fmt.dated(only["date"], only["date_precision"], lang),
                )
            )
        )
    else:
        fig = charts.lines(
            growth,
            x="date",
            y="members",
            height=340,
            labels={"date": t("alliances.col_date"), "members": t("alliances.col_members")},
        )
        fig.update_traces(line_shape="hv")
        _whole_numbers(fig, "y", growth["members"].max())
        growth_blocks.append(
            Figure(
                "alliance_growth",
                t("alliances.growth_title"),
                fig,
                simulated=_simulated(growth),
                height_px=340,
            )
        )
        by_year = (
            growth.assign(year=pd.to_datetime(growth["date"]).dt.year)
            .groupby("year")
            .agg(
                joined=("joined", "sum"), departed=("departed", "sum"), members=("members", "last")
            )
            .reset_index()
        )
        by_year = by_year.assign(
            year=by_year["year"].astype(str),
            joined=by_year["joined"].map(_int),
            departed=by_year["departed"].map(_int),
            members=by_year["members"].map(_int),
        )
        growth_blocks.append(
            Table(
                t("briefing.t_growth"),
                _columns(
                    by_year,
                    {
                        "year": "common.year",
                        "joined": "alliances.col_joined_n",
                        "departed": "alliances.col_departed_n",
                        "members": "briefing.col_members_year_end",
                    },
                    lang,
                ),
                simulated=_simulated(growth),
            )
        )
    sections.append(Section(t("briefing.s_growth"), growth_blocks))

    # ---- activity
    activity_blocks: list = []
    if activity.empty:
        activity_blocks.append(
            Text(t("alliances.no_activity" if a["simulated"] else "alliances.no_activity_real"))
        )
    else:
        labelled = activity.assign(activity=_labels("activity", activity["kind"], lang))
        fig = charts.bars(
            labelled,
            x="month",
            y="count",
            color="activity",
            height=380,
            labels={"month": t("alliances.col_month"), "count": t("common.count")},
        )
        fig.update_layout(legend={"orientation": "h", "y": -0.2})
        activity_blocks.append(
            Figure(
                "alliance_activity",
                t("alliances.activity_title"),
                fig,
                simulated=_simulated(activity),
                height_px=380,
            )
        )
        yearly = (
            labelled.assign(year=pd.to_datetime(labelled["month"]).dt.year.astype(str))
            .pivot_table(
                index="year", columns="activity", values="count", aggfunc="sum", sort=False
            )
            .reset_index()
        )
        kinds = [c for c in yearly.columns if c != "year"]
        yearly[kinds] = yearly[kinds].apply(lambda col: col.map(_int))
        activity_blocks.append(
            Table(
                t("briefing.t_activity"),
                yearly.rename(columns={"year": t("common.year")}),
                simulated=_simulated(activity),
            )
        )
    sections.append(Section(t("briefing.s_activity"), activity_blocks))

    # ---- funding
    funding_blocks: list = []
    if funding.empty:
        funding_blocks.append(Text(t("alliances.no_funding")))
    else:
        divisor, axis = fmt.money_axis(funding.groupby("year")["amount_cny"].sum().max(), lang)
        funded = funding.assign(
            year=funding["year"].astype(str),
            source_label=_labels("funding", funding["source"], lang),
            amount=funding["amount_cny"].map(lambda x: fmt.money(x, lang)),
            scaled=funding["amount_cny"] / divisor,
        )
        funding_blocks.append(
            Text(
                t(
                    "briefing.funding_total",
                    total=fmt.money(float(funding["amount_cny"].sum()), lang),
                )
            )
        )
        fig = charts.bars(
            funded,
            x="year",
            y="scaled",
            color="source_label",
            height=360,
            labels={"year": t("common.year"), "scaled": axis},
        )
        fig.update_xaxes(type="category")
        funding_blocks.append(
            Figure(
                "alliance_funding",
                t("alliances.funding_title"),
                fig,
                simulated=_simulated(funding),
                height_px=360,
            )
        )
        funding_blocks.append(
            Table(
                t("alliances.funding_title"),
                _columns(
                    funded,
                    {
                        "year": "common.year",
                        "source_label": "alliances.col_source",
                        "amount": "alliances.col_amount",
                    },
                    lang,
                ),
                simulated=_simulated(funding),
            )
        )
        for quote in funding["quote"].dropna().unique():
            funding_blocks.append(Text(t("alliances.quote_line", quote=quote)))
    sections.append(Section(t("briefing.s_funding"), funding_blocks))

    # ---- milestones and stated figures
    milestone_blocks: list = []
    if milestones.empty:
        milestone_blocks.append(Text(t("alliances.no_milestones")))
    else:
        milestone_blocks.append(
            Table(
                t("alliances.milestones_title"),
                _columns(
                    milestones.assign(
                        date=fmt.dates_with(milestones["date"], milestones["date_precision"], lang),
                        detail=milestones["detail"].fillna(""),
                    ),
                    {
                        "date": "alliances.col_date",
                        "title": "alliances.col_event",
                        "detail": "alliances.col_detail",
                    },
                    lang,
                ),
                simulated=_simulated(milestones),
            )
        )
    if len(stated):
        shown = stated.assign(
            label=stated["label_en" if lang == "en" else "label_zh"],
            stated=[
                fmt.stated(v, q, lang)
                for v, q in zip(stated["value"], stated["qualifier"], strict=True)
            ],
            unit=stated["unit"].fillna(""),
            as_of=fmt.dates(stated["as_of"], lang),
            quote=stated["quote"].fillna(""),
        )
        milestone_blocks.append(
            Table(
                t("alliances.figures_title"),
                _columns(
                    shown,
                    {
                        "label": "alliances.col_figure",
                        "stated": "common.value",
                        "unit": "alliances.col_unit",
                        "as_of": "alliances.col_as_of",
                        "quote": "alliances.col_quote",
                    },
                    lang,
                ),
            )
        )
    sections.append(Section(t("briefing.s_milestones"), milestone_blocks))

    # ---- sources
    lines = []
    if a["simulated"]:
        lines.append(t("alliances.source_simulated"))
    elif fmt.given(a["article_title"]):
        lines.append(_article_line(a, lang))
    origins = run(con, "briefing_alliance_sources", alliance=alliance_id)
    if len(origins):
        lines.append(t("briefing.src_alliance", parts=_origins(origins, lang)))
    lines += _data_sources(meta, lang, any_simulated)
    sections.append(Section(t("briefing.s_sources"), [Text(line) for line in lines]))
    return Briefing(
        kind="alliance",
        key=alliance_id,
        lang=lang,
        title=t("briefing.alliance_title", name=a["name"]),
        facts=[
            (t("briefing.fact_scope"), f"{a['name']}（{alliance_id}）"),
            (t("briefing.fact_date"), _generated(lang)),
            (t("briefing.fact_as_of"), meta.get("as_of", fmt.DASH)),
        ],
        sections=sections,
        simulated=any_simulated,
        filename=t("briefing.alliance_file", name=safe.short(a["name"], 40), id=alliance_id),
    )
