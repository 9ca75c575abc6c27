"""The monitoring set in briefings: one county's briefing (a page or two), and the scorecard
section of a province's briefing (the 5-area summary and the lowest counties per indicator),
from the same named queries as the /county and /scorecard pages."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import charts, fmt, i18n, scorecard
from dashboard.report.content import Briefing, Figure, Section, Table, Text
from dashboard.report.gather.common import (
    NotFound,
    _data_sources,
    _generated,
    _meta,
    _simulated,
    run,
)

LOWEST = 3  # counties named per indicator in a province's briefing


def _name(catalogue: pd.DataFrame, indicator: str, lang: str, short: bool = False) -> str:
    row = catalogue.loc[indicator]
    if short:
        return row["short_en"] if lang == "en" else row["short_zh"]
    return row["name_en"] if lang == "en" else row["name_zh"]


def _area(row, lang: str) -> str:
    return row["area_en"] if lang == "en" else row["area_zh"]


def county(con, adcode: int, lang: str = "zh", year: int | None = None) -> Briefing:
    """One county's scorecard as a briefing: the five areas, the indicators against province,
    nation and target, the qualitative judgements with their evidence, the trend of the county
    visit rate, the measures not reported."""
    t = lambda key, **v: i18n.text(key, lang, **v)  # noqa: E731
    detail = run(con, "county_detail", county=adcode)
    if detail.empty:
        raise NotFound(t("briefing.no_county", code=adcode))
    place = detail.iloc[0]
    name = place["name_en"] if lang == "en" and fmt.given(place["name_en"]) else place["name"]
    province = (
        place["province_name_en"]
        if lang == "en" and fmt.given(place["province_name_en"])
        else place["province_name"]
    )
    years = run(con, "metric_years")["year"].tolist()
    year = year if year in years else (years[0] if years else dt.date.today().year - 1)
    catalogue = run(con, "metric_catalogue").set_index("metric_id")
    card = run(con, "county_scorecard", county=adcode, year=year)
    trend = run(con, "county_trend", county=adcode)
    meta = _meta(con)
    info = catalogue.loc[card["indicator_id"]].reset_index(drop=True)
    card = card.reset_index(drop=True).join(
        info[["area", "area_zh", "area_en", "number", "kind", "unit", "direction", "target"]]
    )
    card["standing"] = [
        scorecard.status(r.value, r.target, r.direction, r.kind) for r in card.itertuples()
    ]
    card["position"] = 1 - (card["rank"] - 1) / (card["ranked"] - 1).clip(lower=1)
    simulated = _simulated(card) or _simulated(trend)

    summary = scorecard.area_summary(card.assign(adcode=adcode, is_province=False), catalogue)
    summary = summary.set_index("area")
    monitored = card[card["area"].isin(scorecard.MONITOR_AREAS)]
    judged = int(summary["judged"].sum()) if len(summary) else 0
    good = int(summary["good"].sum()) if len(summary) else 0
    visit = card.set_index("indicator_id").loc["county_visit_rate"]
    overview = Section(
        t("briefing.s_county_overview"),
        [
            Text(
                t(
                    "briefing.county_overview_text",
                    county=name,
                    year=year,
                    n=monitored["indicator_id"].nunique(),
                    judged=judged,
                    good=good,
                    visit=fmt.indicator_value(visit["value"], "%", lang),
                    province_visit=fmt.indicator_value(visit["province_value"], "%", lang),
                )
            ),
            Table(
                t("briefing.t_county_areas", county=name, year=year),
                pd.DataFrame(
                    {
                        t("indicator.area"): [
                            _area(r, lang)
                            for r in card.drop_duplicates("area").to_dict("records")
                            if r["area"] in scorecard.MONITOR_AREAS
                        ],
                        t("briefing.col_areas_good"): [
                            scorecard.fraction(
                                int(summary.at[a, "good"]), int(summary.at[a, "judged"])
                            )
                            if a in summary.index
                            else fmt.DASH
                            for a in card.drop_duplicates("area")["area"]
                            if a in scorecard.MONITOR_AREAS
                        ],
                    }
                ),
                simulated=simulated,
            ),
        ],
    )

    blocks: list = []
    for area_code, rows in card.groupby("area", sort=False):
        first = rows.iloc[0]
        table = pd.DataFrame(
            {
                t("common.metric"): [_name(catalogue, i, lang) for i in rows["indicator_id"]],
                t("county.here"): [
                    scorecard.shown(r.value, r.unit, r.kind, lang) for r in rows.itertuples()
                ],
                t("county.province"): [
                    fmt.indicator_value(v, "%" if k == "qualitative" else u, lang)
                    for v, u, k in zip(
                        rows["province_value"], rows["unit"], rows["kind"], strict=True
                    )
                ],
                t("county.nation"): [
                    fmt.indicator_value(v, "%" if k == "qualitative" else u, lang)
                    for v, u, k in zip(
                        rows["nation_value"], rows["unit"], rows["kind"], strict=True
                    )
                ],
                t("common.target"): [
                    fmt.indicator_value(v, u, lang) if pd.notna(v) else fmt.DASH
                    for v, u in zip(rows["target"], rows["unit"], strict=True)
                ],
                t("county.rank"): [
                    f"{int(r)}/{int(n)}" if pd.notna(r) else fmt.DASH
                    for r, n in zip(rows["rank"], rows["ranked"], strict=True)
                ],
                t("county.change"): [
                    fmt.change(c, u, lang) if k != "qualitative" else fmt.DASH
                    for c, u, k in zip(rows["change_1y"], rows["unit"], rows["kind"], strict=True)
                ],
            }
        )
        blocks.append(Table(_area(first, lang), table, simulated=simulated))
        if area_code == "closeness":
            evidence = rows[rows["met"].notna()]
            if len(evidence):
                blocks.append(
                    Table(
                        t("briefing.t_evidence"),
                        pd.DataFrame(
                            {
                                t("common.metric"): [
                                    _name(catalogue, i, lang) for i in evidence["indicator_id"]
                                ],
                                t("county.status"): [
                                    t("indicator.met" if m else "indicator.not_met")
                                    for m in evidence["met"]
                                ],
                                t("county.evidence"): evidence["evidence"].map(fmt.text),
                                t("county.judged_on"): fmt.dates(evidence["judged_on"], lang),
                                t("county.judged_by"): evidence["judged_by"].map(fmt.text),
                            }
                        ),
                        simulated=simulated,
                    )
                )
    indicators = Section(t("briefing.s_county_indicators"), blocks)

    visit_trend = trend[trend["indicator_id"] == "county_visit_rate"]
    figures: list = []
    if len(visit_trend):
        label = _name(catalogue, "county_visit_rate", lang)
        fig = charts.lines(
            visit_trend.assign(series=name),
            x="year",
            y="value",
            color="series",
            target=catalogue.at["county_visit_rate", "target"],
            labels={
                "year": t("common.year"),
                "value": f"{label}（%）" if lang == "zh" else f"{label} (%)",
            },
            unit="%",
            height=300,
        )
        figures.append(
            Figure(
                "county_trend",
                t("briefing.f_county_trend", county=name, metric=label),
                fig,
                simulated=_simulated(visit_trend),
                height_px=300,
            )
        )
    missing = card[card["missing_measures"].map(len) > 0]
    notes = [
        t(
            "briefing.county_missing",
            metric=_name(catalogue, r.indicator_id, lang),
            n=len(r.missing_measures),
        )
        for r in missing.itertuples()
    ]
    trend_section = Section(
        t("briefing.s_county_trend"),
        figures + [Text(n) for n in notes] or [Text(t("common.no_data"))],
    )
    sources = [t("indicator.provisional_help")] if catalogue["provisional"].any() else []
    sources += [t("indicator.aggregation")]
    sources += _data_sources(meta, lang, simulated)
    return Briefing(
        kind="county",
        key=str(adcode),
        lang=lang,
        title=t("briefing.county_title", county=name, year=year),
        facts=[
            (t("briefing.fact_scope"), t("briefing.scope_county", province=province, county=name)),
            (t("briefing.fact_date"), _generated(lang)),
            (t("briefing.fact_as_of"), meta.get("as_of", fmt.DASH)),
        ],
        sections=[
            overview,
            indicators,
            trend_section,
            Section(t("briefing.s_sources"), [Text(s) for s in sources]),
        ],
        simulated=simulated,
        filename=t("briefing.county_file", county=name, year=year),
    )


def province_scorecard(con, adcode: int, year: int, lang: str) -> tuple[Section, bool]:
    """The scorecard section of a province's briefing: each indicator of the monitoring set for
    the province as a whole, how many counties meet it, and its lowest counties."""
    t = lambda key, **v: i18n.text(key, lang, **v)  # noqa: E731
    catalogue = run(con, "metric_catalogue").set_index("metric_id")
    cells = run(con, "scorecard", province=adcode, year=year, districts=False)
    monitored = catalogue[catalogue["area"].isin(scorecard.MONITOR_AREAS)]
    cells = cells[cells["indicator_id"].isin(monitored.index)]
    whole = cells[cells["is_province"].astype(bool)].set_index("indicator_id")
    counties = cells[~cells["is_province"].astype(bool)]
    rows = []
    for indicator, row in monitored.iterrows():
        mine = counties[counties["indicator_id"] == indicator].dropna(subset=["value"])
        value = whole.at[indicator, "value"] if indicator in whole.index else None
        if row["kind"] == "qualitative":
            met = int(mine["on_target"].fillna(False).astype(bool).sum())
            shown = scorecard.fraction(met, len(mine))
            lowest = "、".join(mine.loc[~mine["on_target"].astype(bool), "name"].head(LOWEST))
        else:
            shown = fmt.indicator_value(value, row["unit"], lang)
            ranked = mine.dropna(subset=["rank"]).sort_values("rank", ascending=False)
            lowest = "、".join(
                f"{n}（{fmt.indicator_value(v, row['unit'], lang)}）"
                for n, v in zip(
                    ranked["name"].head(LOWEST), ranked["value"].head(LOWEST), strict=True
                )
            )
        rows.append(
            (
                _area(row, lang),
                _name(catalogue, indicator, lang, short=True),
                shown,
                lowest or fmt.DASH,
            )
        )
    table = pd.DataFrame(
        rows,
        columns=[
            t("indicator.area"),
            t("common.metric"),
            t("briefing.col_province_value"),
            t("briefing.col_lowest", n=LOWEST),
        ],
    )
    simulated = _simulated(cells)
    section = Section(
        t("briefing.s_scorecard"),
        [
            Text(t("briefing.scorecard_text", year=year)),
            Table(t("briefing.t_scorecard", year=year), table, simulated=simulated),
        ],
    )
    return section, simulated
