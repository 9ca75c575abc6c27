"""Stage 1: the briefing's content from the same named queries the province and alliance pages
run, through one function, run(); figures from the same builders (dashboard.charts)."""

from __future__ import annotations

import datetime as dt
import json
from contextvars import ContextVar

import duckdb
import pandas as pd

from dashboard import access, charts, db, fmt, i18n
from dashboard.report.content import Briefing, Figure, Section, Table, Text

DEFAULT_METRIC = "county_visit_rate"
YEARS_BACK = 5  # headline figures and the counties' trend: change against this many years before
ALLIANCE_ROWS = 30  # alliances listed in a province briefing; the text gives the full count
RANKED_BARS = 20  # counties in the ranking chart; its table lists them all
MEMBER_ROWS = 80  # members listed in an alliance briefing; the text gives the full count
TIER_MARKERS = {"3A": (11, "#1b2631"), "3": (8, "#6c3483"), "2": (5, "#566573")}
ROLES = ["lead", "chair", "standing", "council", "member"]


class NotFound(LookupError):
    """No province or alliance with that code."""


# The regions a briefing may read (access.scope() of the session that asks for it); the command
# line, run by whoever runs the server, reads the whole country.
REGIONS: ContextVar[tuple[int, ...]] = ContextVar("briefing_regions", default=(access.NATIONAL,))


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """The one door to the data for briefings: a named query with bound parameters; a query
    that takes $regions always gets REGIONS, as the pages' queries get the session's."""
    if "regions" in db.query_params(name):
        params["regions"] = list(REGIONS.get())
    return db.run(con, name, params)


def _simulated(frame: pd.DataFrame) -> bool:
    """Any simulated row; a table with an `origin` column counts its 'demo' rows."""
    if "origin" in frame.columns:
        return bool((frame["origin"] == "demo").any())
    return bool("simulated" in frame and frame["simulated"].fillna(False).astype(bool).any())


def _num(value, digits: int = 1, sign: bool = False) -> str:
    if value is None or pd.isna(value):
        return fmt.DASH
    value = round(float(value), digits) + 0.0  # no "-0.0"
    return f"{value:{'+' if sign and value else ''},.{digits}f}"  # no "+0.0" either


def _int(value) -> str:
    return fmt.DASH if value is None or pd.isna(value) else f"{int(value):,}"


def _meta(con) -> dict[str, str]:
    frame = run(con, "meta")
    return dict(zip(frame["key"], frame["value"], strict=True))


def _shapes(con, level: str, adcodes: list[int]) -> tuple[charts.Shapes, dict]:
    """Shapes for charts.choropleth and the GeoJSON itself: a briefing's map carries its
    boundaries inline, as there is no server to fetch them from."""
    wanted = {int(c) for c in adcodes}
    frame = run(con, "boundaries", level=level)
    geometries = {
        int(c): json.loads(g)
        for c, g in zip(frame["adcode"], frame["boundary"], strict=True)
        if int(c) in wanted
    }
    codes = [int(c) for c in adcodes if int(c) in geometries]
    features = [{"type": "Feature", "id": str(c), "geometry": geometries[c]} for c in codes]
    boxes = [charts.extent(geometries[c]) for c in codes]
    box = (
        (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        if boxes
        else None
    )
    geojson = {"type": "FeatureCollection", "features": features}
    return charts.Shapes(url="inline", ids=[str(c) for c in codes], box=box), geojson


def _inline(fig, geojson: dict):
    """Put the boundaries into the map's choropleth traces in place of the URL."""
    fig.update_traces(geojson=geojson, selector={"type": "choropleth"})
    return fig


def _whole_numbers(fig, axis: str, largest: float):
    """Counts on an axis: whole-number ticks (Plotly would put 0.5 between 0 and 1)."""
    if largest <= 10:
        getattr(fig, f"update_{axis}axes")(tick0=0, dtick=1)
    return fig


def _columns(frame: pd.DataFrame, mapping: dict[str, str], lang: str) -> pd.DataFrame:
    """The listed columns renamed to translated headers (mapping: column -> message key)."""
    return frame[list(mapping)].rename(columns={c: i18n.text(k, lang) for c, k in mapping.items()})


def _labels(group: str, codes: pd.Series, lang: str) -> pd.Series:
    return codes.map(lambda code: i18n.code_label(group, code, lang))


def _generated(lang: str, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    return today.strftime("%Y年%m月%d日" if lang == "zh" else "%d %B %Y").replace("年0", "年")


def _article_line(row: pd.Series, lang: str) -> str:
    return i18n.text(
        "alliances.source_article",
        lang,
        title=row["article_title"],
        publisher=row["article_publisher"],
        date=str(pd.Timestamp(row["article_date"]).date()),
    )


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


# ---- a province ------------------------------------------------------------------------------


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
    sites_before = run(con, "province_sites", province=adcode, city=0, year=before)
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
            t("province.tile_sites"),
            first(sites, "member_sites"),
            first(sites_before, "member_sites"),
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
                    sites=first(sites, "member_sites"),
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
                    sites=first(sites, "member_sites"),
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
        **charts.metric_scale(info),
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
    notes = [
        t("province.map_caption_target", target=f"{target:g}", unit=unit)
        if target is not None
        else t("province.map_caption_no_target")
    ]
    if len(shown_sites):
        notes.append(
            t(
                "province.sites_caption",
                shown=len(shown_sites),
                total=first(sites, "member_sites"),
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
            labels={bar_x: t("common.gap" if target is not None else "common.value"), "name": ""},
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
            founded=fmt.dates(alliances["founded_on"]),
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
        height = max(260, 22 * links["partner"].nunique() + 110)
        fig = charts.bars(
            links,
            x="alliances",
            y="partner",
            color="direction_label",
            orientation="h",
            height=height,
            labels={"alliances": t("overview.alliance_count"), "partner": ""},
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
    sections = [overview, map_section, below, trend_section, alliance_section, link_section]
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
        filename=f"briefing_{adcode}_{metric}_{year}_{lang}",
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


def _origins(frame: pd.DataFrame, lang: str) -> str:
    """Rows by origin and import batch (frame: origin, batch_id, n, imported_at, files) as text."""
    parts = []
    grouped = frame.groupby(["origin", "batch_id"], dropna=False, sort=False)
    for (origin, batch), rows in grouped:
        n = int(rows["n"].sum())
        if origin == "office":
            first = rows.iloc[0]
            files = json.loads(first["files"]) if fmt.given(first["files"]) else []
            when = first["imported_at"]
            parts.append(
                i18n.text(
                    "briefing.src_office",
                    lang,
                    batch=fmt.text(batch),
                    when=pd.Timestamp(when).strftime("%Y-%m-%d %H:%M") if fmt.given(when) else "—",
                    files=", ".join(files) or fmt.DASH,
                    n=f"{n:,}",
                )
            )
        elif origin in ("demo", "article"):
            parts.append(i18n.text(f"briefing.src_{origin}", lang, n=f"{n:,}"))
    return i18n.text("briefing.src_sep", lang).join(parts)


def _data_sources(meta: dict, lang: str, simulated: bool) -> list[str]:
    """What the simulated rows are and how fresh the data is."""
    lines = []
    if simulated:
        lines.append(i18n.text("briefing.source_simulated", lang, seed=meta.get("seed", fmt.DASH)))
    lines.append(i18n.text("briefing.source_as_of", lang, date=meta.get("as_of", fmt.DASH)))
    return lines


# ---- an alliance -----------------------------------------------------------------------------


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
        (t("alliances.scope"), i18n.code_label("scope", a["scope"], lang)),
        (t("alliances.specialty"), fmt.text(a["specialty"])),
        (t("alliances.model"), fmt.text(a["model"])),
        (t("alliances.col_founded"), str(pd.Timestamp(a["founded_on"]).date())),
        (t("alliances.col_lead"), fmt.text(a["lead_name"])),
        (t("alliances.members_now"), _int(a["members"])),
        (t("briefing.members_ever"), _int(a["members_ever"])),
    ]
    if fmt.given(a["parent_alliance_id"]):
        facts.append((t("alliances.parent"), f"{a['parent_name']}（{a['parent_alliance_id']}）"))
    if len(children):
        facts.append((t("alliances.children"), "；".join(children["name"])))
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
        )
        located = current.assign(hover=current["name"] + " · " + role_label).dropna(
            subset=["lon", "lat"]
        )
        others = located[~located["is_lead"].astype(bool)]
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
            located[located["is_lead"].astype(bool)].assign(size=13),
            text="hover",
            size="size",
            color="#c0392b",
            name=t("alliances.map_lead"),
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
        listed = listed.assign(
            role_label=_labels("role", listed["role"], lang),
            kind=_labels("kind", listed["kind"], lang),
            tier=_labels("tier", listed["tier"], lang),
            province=fmt.in_language(listed, "province_name", lang),
            county_name=listed["county_name"].fillna(fmt.DASH),
            joined_on=fmt.dates(listed["joined_on"]),
            left_on=fmt.dates(listed["left_on"]),
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
                        date=fmt.dates(milestones["date"]),
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
            as_of=fmt.dates(stated["as_of"]),
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
        filename=f"briefing_{alliance_id}_{lang}",
    )
