"""A province's briefing, and the provinces that have one."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import charts, colours, db, fmt, i18n
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
    _num,
    _origins,
    _shapes,
    _simulated,
    _whole_numbers,
    run,
)
from dashboard.report.gather.county import province_scorecard

DEFAULT_METRIC = "county_visit_rate"
YEARS_BACK = 5  # headline figures and the counties' trend: change against this many years before
ALLIANCE_ROWS = 30  # alliances listed in a province briefing; the text gives the full count
RANKED_BARS = 20  # counties in the ranking chart; its table lists them all
TIER_MARKERS = {"3A": (11, "#1b2631"), "3": (8, "#6c3483"), "2": (5, "#566573")}


def provinces_with_data(con, metric: str = DEFAULT_METRIC) -> list[int]:
    """The provinces whose counties have values of metric in its newest year (the 31 of the
    mainland in the shipped data; Hong Kong, Macao and Taiwan have no county figures)."""
    years = run(con, "metric_years")["year"].tolist()
    if not years:
        return []
    codes = []
    for code in run(con, "provinces")["adcode"]:
        counties = run(con, "province_counties", province=int(code), metric=metric, year=years[0])
        if counties["value"].notna().any():
            codes.append(int(code))
    return codes


def province(
    con, adcode: int, lang: str = "zh", metric: str = DEFAULT_METRIC, year: int | None = None
) -> Briefing:
    """A province's briefing: headline figures, the county map against the target, the counties
    below it, the trend, the alliances active there and its links to other provinces."""
    t = lambda key, **v: i18n.text(key, lang, **v)  # noqa: E731
    provinces = run(con, "provinces").set_index("adcode")
    if adcode not in provinces.index:
        raise NotFound(t("briefing.no_province", code=adcode))
    row = provinces.loc[adcode]
    name = row["name_en"] if lang == "en" and fmt.given(row["name_en"]) else row["name"]
    catalogue = run(con, "metric_catalogue").set_index("metric_id")
    catalogue = catalogue[catalogue["level"] == "county"]
    if metric not in catalogue.index:
        metric = DEFAULT_METRIC
    info = catalogue.loc[metric]
    metric_name = info["name_en"] if lang == "en" else info["name_zh"]
    years = run(con, "metric_years")["year"].tolist()
    year = year if year in years else (years[0] if years else dt.date.today().year - 1)
    before = year - YEARS_BACK
    target = None if pd.isna(info["target"]) else float(info["target"])
    unit = info["unit"]
    meta = _meta(con)

    counties = run(con, "province_counties", province=adcode, metric=metric, year=year)
    trend = run(con, "province_trend", province=adcode, metric=metric)
    sites = run(con, "province_sites", province=adcode, city=0, year=year)
    # 成员机构: the same named query as the page's tile (queries/member_institutions.sql)
    members = run(
        con, "member_institutions", **(db.ALL_INSTITUTIONS | {"province": adcode}), year=year
    )
    members_before = run(
        con, "member_institutions", **(db.ALL_INSTITUTIONS | {"province": adcode}), year=before
    )
    alliances = run(con, "province_alliances", province=adcode, year=year, limit=ALLIANCE_ROWS)
    alliances_before = run(con, "province_alliances", province=adcode, year=before, limit=1)
    links = run(con, "province_links", province=adcode, year=year)
    links_before = run(con, "province_links", province=adcode, year=before)
    measured = counties.dropna(subset=["value"])

    # ---- headline figures against five years before
    here = trend[trend["area"] == "province"].set_index("year")
    now_mean, before_mean = here["value"].get(year), here["value"].get(before)

    def on_target(y):
        if target is None or y not in here.index:
            return None
        return int(here.loc[y, "counties_on_target"]), int(here.loc[y, "counties"])

    def first(frame, column):
        return int(frame[column].iloc[0]) if len(frame) else 0

    headline_rows = [
        (
            t("briefing.h_mean", metric=metric_name, unit=unit),
            _num(before_mean),
            _num(now_mean),
            _num(
                None if now_mean is None or before_mean is None else now_mean - before_mean, 1, True
            ),
        )
    ]
    if target is not None:
        a, b = on_target(before), on_target(year)
        headline_rows.append(
            (
                t("briefing.h_on_target", target=f"{target:g}", unit=unit),
                f"{a[0]} / {a[1]}" if a else fmt.DASH,
                f"{b[0]} / {b[1]}" if b else fmt.DASH,
                f"{b[0] - a[0]:+d}" if a and b else fmt.DASH,
            )
        )
    for label, now_value, then_value in (
        (t("province.tile_alliances"), first(alliances, "total"), first(alliances_before, "total")),
        (
            t("count.member_institutions"),
            first(members, "member_institutions"),
            first(members_before, "member_institutions"),
        ),
        (
            t("province.tile_partners"),
            links["other_adcode"].nunique(),
            links_before["other_adcode"].nunique(),
        ),
    ):
        headline_rows.append(
            (label, f"{then_value:,}", f"{now_value:,}", f"{now_value - then_value:+,}")
        )
    headline = pd.DataFrame(
        headline_rows,
        columns=[
            t("briefing.col_item"),
            t("briefing.col_year", year=before),
            t("briefing.col_year", year=year),
            t("briefing.col_change"),
        ],
    )
    any_simulated = any(_simulated(f) for f in (counties, trend, sites, alliances, links))
    overview = Section(
        t("briefing.s_overview"),
        [
            Text(
                t(
                    "briefing.overview_text",
                    province=name,
                    year=year,
                    metric=metric_name,
                    mean=fmt.metric_value(now_mean, unit),
                    n=len(measured),
                    on=int(measured["on_target"].fillna(False).astype(bool).sum()),
                    alliances=first(alliances, "total"),
                    sites=first(members, "member_institutions"),
                )
                if target is not None
                else t(
                    "briefing.overview_text_no_target",
                    province=name,
                    year=year,
                    metric=metric_name,
                    mean=fmt.metric_value(now_mean, unit),
                    n=len(measured),
                    alliances=first(alliances, "total"),
                    sites=first(members, "member_institutions"),
                )
            ),
            Table(
                t("briefing.t_headline", province=name, before=before, year=year),
                headline,
                simulated=any_simulated,
            ),
        ],
    )

    # ---- the county map
    shapes, geojson = _shapes(con, "county", counties["adcode"].tolist())
    fig = charts.choropleth(
        measured,
        shapes,
        value_label=metric_name,
        hover_name="name",
        height=380,
        lang=lang,
        **charts.metric_scale(info, lang),
    )
    shown_sites = sites
    for tier, (size, color) in TIER_MARKERS.items():
        rows = sites[sites["tier"] == tier]
        if len(rows):
            charts.add_points(
                fig,
                rows.assign(size=size),
                text="name",
                size="size",
                color=color,
                name=i18n.code_label("tier", tier, lang),
            )
    fig.update_layout(legend={"orientation": "h", "x": 0, "y": 0, "bgcolor": "rgba(0,0,0,0)"})
    _inline(fig, geojson)
    notes = [colours.caption(target, info["direction"], info["unit"], lang)]
    if len(shown_sites):
        notes.append(
            t(
                "province.sites_caption",
                shown=len(shown_sites),
                total=first(members, "member_institutions"),
                area=name,
            )
        )
    map_section = Section(
        t("briefing.s_map", metric=metric_name),
        [
            Figure(
                "map",
                t("province.map_title", province=name, metric=metric_name, year=year),
                fig,
                simulated=_simulated(counties) or _simulated(sites),
                note=" ".join(notes),
                height_px=380,
            )
        ],
    )

    # ---- counties below target (or the weakest without a target)
    if target is not None:
        ranked = measured[measured["gap"] > 0].sort_values(
            ["gap", "adcode"], ascending=[False, True]
        )
        bar_x, title = "gap", t("province.below_title", year=year)
    else:
        higher = info["direction"] != "lower"
        ranked = measured.sort_values(["value", "adcode"], ascending=[higher, True]).head(
            RANKED_BARS
        )
        bar_x, title = "value", t("province.weakest_title", metric=metric_name, year=year)
    below_blocks: list = []
    if ranked.empty:
        below_blocks.append(
            Text(t("province.below_none", year=year) if len(measured) else t("common.no_data"))
        )
    else:
        shown = ranked.head(RANKED_BARS)
        bars = charts.bars(
            shown,
            x=bar_x,
            y="name",
            orientation="h",
            height=max(260, 26 * len(shown) + 70),
            labels={
                bar_x: charts.gap_axis(
                    info["unit"], i18n.code_label("metrics.units", info["unit"], lang), lang
                )
                if target is not None
                else t("common.value"),
                "name": "",
            },
            # short of the target (or the weakest, without one): as on the map
            colours={
                None: colours.STATUS["light"][colours.BELOW if target is not None else colours.NONE]
            },
        )
        bars.update_yaxes(autorange="reversed")
        if target is not None:
            below_blocks.append(
                Text(
                    t(
                        "province.below_caption",
                        n=len(ranked),
                        total=len(measured),
                        target=f"{target:g}",
                        unit=unit,
                        before=before,
                    )
                )
            )
        below_blocks.append(
            Figure(
                "below",
                title
                if len(ranked) <= RANKED_BARS
                else t("briefing.f_below_top", title=title, n=RANKED_BARS),
                bars,
                simulated=_simulated(shown),
                height_px=max(260, 26 * len(shown) + 70),
            )
        )
        table = ranked.assign(
            value=ranked["value"].map(_num),
            gap=ranked["gap"].map(_num),
            change_5y=ranked["change_5y"].map(lambda v: _num(v, 1, True)),
        )
        below_blocks.append(
            Table(
                title,
                _columns(
                    table,
                    {
                        "name": "common.county",
                        "city_name": "common.city",
                        "value": "common.value",
                        "gap": "common.gap",
                        "change_5y": "province.change_5y",
                    },
                    lang,
                ),
                simulated=_simulated(ranked),
                note=t("briefing.unit_note", unit=unit) if unit else "",
            )
        )
    below = Section(t("briefing.s_below") if target is not None else title, below_blocks)

    # ---- trend, province against China
    trend_blocks: list = []
    if trend.empty:
        trend_blocks.append(Text(t("common.no_data")))
    else:
        labelled = trend.assign(
            area_label=trend["area"].map({"province": name, "china": t("province.all")})
        )
        trend_blocks.append(
            Figure(
                "trend",
                t("province.trend_title", metric=metric_name),
                charts.lines(
                    labelled,
                    x="year",
                    y="value",
                    color="area_label",
                    target=target,
                    labels={"year": t("common.year"), "value": metric_name},
                    unit=unit,  # 90%, not 90
                    target_label=charts.target_label(target, unit, lang) if target else "",
                ),
                simulated=_simulated(trend),
                note=t(
                    "province.trend_caption"
                    if target is not None
                    else "province.trend_caption_no_target"
                ),
                height_px=400,
            )
        )
        wide = trend.pivot_table(index="year", columns="area", values="value").reset_index()
        on = here["counties_on_target"].reindex(wide["year"]).to_numpy()
        n = here["counties"].reindex(wide["year"]).to_numpy()
        wide = wide.assign(
            province=wide.get("province", pd.Series(dtype=float)).map(_num),
            china=wide.get("china", pd.Series(dtype=float)).map(_num),
            on_target=[
                f"{int(a)} / {int(b)}" if pd.notna(a) and pd.notna(b) else fmt.DASH
                for a, b in zip(on, n, strict=True)
            ],
            year=wide["year"].astype(str),
        )
        columns = {
            "year": "common.year",
            "province": "briefing.col_province_mean",
            "china": "briefing.col_china_mean",
        }
        if target is not None:
            columns["on_target"] = "province.tile_on_target"
        trend_blocks.append(
            Table(
                t("province.trend_title", metric=metric_name),
                _columns(wide, columns, lang).rename(
                    columns={
                        t("briefing.col_province_mean"): t(
                            "briefing.col_province_mean_of", province=name
                        )
                    }
                ),
                simulated=_simulated(trend),
            )
        )
    trend_section = Section(t("briefing.s_trend"), trend_blocks)

    # ---- alliances active in the province
    alliance_blocks: list = []
    if alliances.empty:
        alliance_blocks.append(Text(t("common.no_data")))
    else:
        alliance_blocks.append(
            Text(
                t(
                    "province.alliances_caption",
                    total=first(alliances, "total"),
                    led=first(alliances, "led_total"),
                    shown=len(alliances),
                )
            )
        )
        listed = alliances.assign(
            form_label=_labels("form", alliances["form"], lang),
            scope_label=_labels("scope", alliances["scope"], lang),
            founded=fmt.dates_with(alliances["founded_on"], alliances["founded_precision"], lang),
            lead_where=fmt.in_language(alliances, "lead_province", lang),
            members=alliances["members"].map(_int),
            members_here=alliances["members_here"].map(_int),
            data=alliances["simulated"].map(
                lambda s: t("common.simulated") if s else t("briefing.real")
            ),
        )
        alliance_blocks.append(
            Table(
                t("province.alliances_title", province=name, year=year),
                _columns(
                    listed,
                    {
                        "name": "common.name",
                        "form_label": "common.form",
                        "scope_label": "province.scope",
                        "founded": "province.founded",
                        "members": "province.members",
                        "members_here": "province.members_here",
                        "lead_where": "province.lead_province",
                        "data": "alliances.col_data",
                    },
                    lang,
                ),
                simulated=_simulated(alliances),
            )
        )
    alliance_section = Section(t("briefing.s_alliances"), alliance_blocks)

    # ---- links to other provinces
    link_blocks: list = []
    if links.empty:
        link_blocks.append(Text(t("province.no_links")))
    else:
        links = links.assign(
            partner=fmt.in_language(links, "name", lang),
            direction_label=links["direction"].map(
                {"out": t("province.direction_out"), "in": t("province.direction_in")}
            ),
        )
        link_blocks.append(
            Text(
                t(
                    "province.links_caption",
                    n=int(links["cross_alliances"].iloc[0]),
                    partners=links["other_adcode"].nunique(),
                )
            )
        )
        height = max(260, 30 * links["partner"].nunique() + 110)  # a 16 px name per row
        fig = charts.bars(
            links,
            x="alliances",
            y="partner",
            color="direction_label",
            orientation="h",
            height=height,
            labels={"alliances": t("overview.alliance_count"), "partner": ""},
            colours={  # 本省牵头 / 外省牵头 in their fixed colours, as on the page
                t("province.direction_out"): colours.LEAD_PLACE["own"],
                t("province.direction_in"): colours.LEAD_PLACE["other"],
            },
        )
        fig.update_yaxes(categoryorder="total ascending")
        fig.update_layout(legend={"orientation": "h", "y": -0.12})
        _whole_numbers(fig, "x", links.groupby("partner")["alliances"].sum().max())
        link_blocks.append(
            Figure(
                "links",
                t("province.links_title", province=name, year=year),
                fig,
                simulated=_simulated(links),
                height_px=height,
            )
        )
        link_blocks.append(
            Table(
                t("province.links_title", province=name, year=year),
                _columns(
                    links,
                    {
                        "partner": "province.partner",
                        "direction_label": "province.direction",
                        "alliances": "overview.alliance_count",
                        "real_alliances": "overview.real_alliances",
                    },
                    lang,
                ),
                simulated=_simulated(links),
            )
        )
    link_section = Section(t("briefing.s_links"), link_blocks)

    # ---- sources
    real_ids = alliances.loc[~alliances["simulated"].astype(bool), "alliance_id"].tolist()
    source_lines = [
        t(
            "briefing.source_metric",
            metric=metric_name,
            definition=info[f"definition_{lang}"]
            if f"definition_{lang}" in info
            else info["definition_zh"],
            policy=info["policy"],
        )
    ]
    origins = run(con, "briefing_county_sources", province=adcode, metric=metric, year=year)
    if len(origins):
        source_lines.append(
            t("briefing.src_county", metric=metric_name, year=year, parts=_origins(origins, lang))
        )
    source_lines += _article_sources(con, real_ids, lang)
    source_lines += _data_sources(meta, lang, any_simulated)
    card_section, card_simulated = province_scorecard(con, adcode, year, lang)
    any_simulated = any_simulated or card_simulated
    sections = [
        overview,
        card_section,
        map_section,
        below,
        trend_section,
        alliance_section,
        link_section,
    ]
    sections.append(Section(t("briefing.s_sources"), [Text(line) for line in source_lines]))
    return Briefing(
        kind="province",
        key=str(adcode),
        lang=lang,
        title=t("briefing.province_title", province=name),
        facts=[
            (
                t("briefing.fact_scope"),
                t("briefing.scope_province", province=name, metric=metric_name, year=year),
            ),
            (t("briefing.fact_date"), _generated(lang)),
            (t("briefing.fact_as_of"), meta.get("as_of", fmt.DASH)),
        ],
        sections=sections,
        simulated=any_simulated,
        filename=t("briefing.province_file", province=name, year=year)
        if metric == DEFAULT_METRIC
        else t("briefing.province_metric_file", province=name, metric=metric_name, year=year),
    )


def _article_sources(con, alliance_ids: list[str], lang: str) -> list[str]:
    """One line per news article the listed real alliances come from."""
    lines: list[str] = []
    for aid in alliance_ids:
        detail = run(con, "alliance_detail", alliance=aid)
        if len(detail) and fmt.given(detail["article_title"].iloc[0]):
            line = _article_line(detail.iloc[0], lang)
            if line not in lines:
                lines.append(line)
    return lines
