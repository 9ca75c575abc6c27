"""指标: any catalogue metric by level and year — its definition and policy source, a ranking,
the distribution, the trend and the share of units meeting the target."""

import pandas as pd
import streamlit as st

from dashboard import charts, colours, data, fmt, ui

ui.through_router()

LEVELS = ["county", "city", "province"]
RANK_N = 10  # the ranking shows the top and the bottom RANK_N units


st.title(ui.t("metrics.title"))

catalogue = data.query("metric_catalogue").set_index("metric_id")
# Levels are built from county values: the metrics measured per county.
catalogue = catalogue[catalogue["level"] == "county"]
years = data.query("metric_years")["year"].tolist()
cols = st.columns([3, 1, 1])
metric = ui.choose_metric(cols[0].selectbox, catalogue)
level = ui.choose(
    cols[1].selectbox,
    ui.t("metrics.level"),
    LEVELS,
    key="level",
    default="county",
    format_func=lambda code: ui.label("level", code),
)
year = ui.choose_year(cols[2].selectbox, years)

info = catalogue.loc[metric]
metric_name = ui.metric_name(catalogue, metric)
target = None if pd.isna(info.target) else float(info.target)
unit = ui.label("metrics.units", info.unit)
province = ui.current_province()
provinces = data.query("provinces").set_index("adcode")
scope = (
    ui.province_name(provinces.loc[province])
    if province in provinces.index
    else ui.t("province.all")
)

# What the metric means, where it comes from: data values as plain text.
st.subheader(ui.plain(metric_name))
definition = info.definition_en if ui.lang() == "en" else info.definition_zh
rule = ""
if target is not None:
    rule = ui.t(
        "metrics.rule_lower" if info.direction == "lower" else "metrics.rule_higher",
        target=f"{target:g}",
        unit=info.unit,
    )
st.markdown(
    "  \n".join(
        [
            f"**{ui.t('metrics.definition')}**: {ui.plain(definition)}",
            f"**{ui.t('metrics.unit')}**: {ui.plain(unit)} · "
            f"**{ui.t('metrics.direction')}**: {ui.label('direction', info.direction)} · "
            f"**{ui.t('common.target')}**: {ui.plain(rule) if rule else ui.t('metrics.no_target')}",
            f"**{ui.t('metrics.policy')}**: {ui.plain(info.policy)}",
        ]
    )
)
st.caption(
    ui.t(
        "indicator.aggregation_qualitative"
        if info.kind == "qualitative"
        else "indicator.aggregation_count"
        if info.kind == "count"
        else "indicator.aggregation"
    )
)
if info.provisional:
    st.caption(f"**{ui.t('indicator.provisional')}** · {ui.t('indicator.provisional_help')}")

values = data.query("metric_values", metric=metric, year=year, level=level, province=province)
trend = data.query("metric_trend", metric=metric, level=level, province=province)
# 县域 in rankings and counts unless asked: 市辖区 are urban districts.
districts = level != "county" or ui.bind_flag(
    st.toggle, ui.t("scorecard.districts"), key="districts"
)
if not districts:
    values = values[~values["district"].astype(bool)].reset_index(drop=True)
values["label"] = fmt.unit_names(values, level, with_province=province == 0, lang=ui.lang())

scope_line = ui.t("metrics.scope", level=ui.label("level", level), scope=ui.plain(scope), year=year)
st.markdown(f"##### {scope_line}")
tiles = st.columns(4)
tiles[0].metric(ui.t("metrics.tile_units"), f"{len(values):,}")
# the whole area's value: Σ numerators ÷ Σ denominators over all its counties (not a mean)
whole = trend.set_index("year")["value"].get(year)
tiles[1].metric(
    ui.t("metrics.tile_mean"),
    fmt.indicator_value(whole, info.unit, ui.lang()),
    help=ui.t("indicator.aggregation"),
)
tiles[2].metric(ui.t("metrics.tile_median"), fmt.metric_value(values["value"].median(), info.unit))
meeting = int(values["on_target"].fillna(False).astype(bool).sum())
tiles[3].metric(
    ui.t("metrics.tile_on_target"),
    f"{100 * meeting / len(values):.1f}%" if target is not None and len(values) else "—",
    help=ui.t("metrics.tile_on_target_help", n=meeting, total=len(values), rule=rule)
    if target is not None
    else ui.t("metrics.share_none"),
)
ui.simulated_note(values)

if values.empty:
    st.info(ui.t("common.no_data"))
    st.stop()

value_axis = f"{metric_name} ({info.unit})"
table = ui.columns(
    values.assign(rank=range(1, len(values) + 1)),
    {
        "rank": "common.rank",
        "adcode": "common.adcode",
        "label": "metrics.area",
        "value": "common.value",
        "counties": "overview.counties",
        "on_target": "metrics.on_target",
        "simulated": "common.simulated",
    },
)
left, right = st.columns(2)
with left:
    st.subheader(ui.t("metrics.ranking_title", n=RANK_N))
    # values come sorted from the highest: the top and the bottom RANK_N (all if few).
    ranked = pd.concat([values.head(RANK_N), values.iloc[max(RANK_N, len(values) - RANK_N) :]])
    # Coloured as the maps are: below the target warm (red), meeting it cool (blue).
    below, meeting = ui.t("maps.below_target"), ui.t("maps.meeting_target")
    if target is not None:
        ranked = ranked.assign(
            group=ranked["on_target"].fillna(False).astype(bool).map({True: meeting, False: below})
        )
    fig = lambda: charts.bars(  # noqa: E731 (built once per view: ui.chart)
        ranked,
        x="value",
        y="label",
        color="group" if target is not None else None,
        orientation="h",
        target=target,
        target_label=charts.target_label(target, info.unit, ui.lang())
        if target is not None
        else "",
        height=max(300, 24 * len(ranked) + 80),
        labels={"value": value_axis, "label": "", "group": ""},
        unit=info.unit,
        unit_label=unit,
        integer=info.unit != "%",
        colours={
            below: colours.STATUS["light"][colours.BELOW],
            meeting: colours.STATUS["light"][colours.ABOVE],
        },
    ).update_yaxes(categoryorder="total ascending")
    view = (metric, level, province, year, districts)
    ui.chart(fig, "metrics_ranking", table, f"{metric}_{level}_{year}_ranking", view=view)
    ui.simulated_note(values)
with right:
    st.subheader(ui.t("metrics.distribution_title", level=ui.label("level", level)))
    ui.chart(
        lambda: charts.histogram(
            values, x="value", target=target, labels={"value": value_axis}, unit=unit
        ).update_yaxes(title_text=ui.t("metrics.tile_units")),
        "metrics_distribution",
        table,
        filename=f"{metric}_{level}_{year}",
        view=view,
    )
    ui.simulated_note(values)

left, right = st.columns(2)
with left:
    st.subheader(ui.t("metrics.trend_title", level=ui.label("level", level), scope=ui.plain(scope)))
    # published national values beside the national line (the 63.4 % of 2024)
    refs = ui.reference_values(metric) if province == 0 else ui.reference_values("")
    ui.chart(
        lambda: charts.reference_points(
            charts.lines(
                trend,
                x="year",
                y="value",
                target=target,
                target_label=charts.target_label(target, info.unit, ui.lang())
                if target is not None
                else "",
                labels={"year": ui.t("common.year"), "value": value_axis},
                unit=info.unit,
                unit_label=unit,
            ),
            refs,
            ui.t("indicator.reference_label"),
            unit=info.unit,
        ),
        "metrics_trend",
        ui.columns(
            trend,
            {
                "year": "common.year",
                "value": "common.value",
                "units": "metrics.tile_units",
                "simulated": "common.simulated",
            },
        ),
        filename=f"{metric}_{level}_trend",
        view=(metric, level, province),
    )
    for ref in refs.itertuples():
        label = ref.label_en if ui.lang() == "en" else ref.label_zh
        st.caption(f"◇ {ui.plain(label)}: {ref.value:g} · {ui.plain(ref.source)}")
    ui.simulated_note(trend)
    ui.unweighted_note(trend)
with right:
    st.subheader(ui.t("metrics.share_title", level=ui.label("level", level)))
    if target is None:
        st.info(ui.t("metrics.share_none"))
    else:
        ui.chart(
            lambda: charts.bars(
                trend,
                x="year",
                y="pct_on_target",
                labels={
                    "year": ui.t("common.year"),
                    "pct_on_target": ui.t("metrics.pct_on_target"),
                },
                unit="%",
            ).update_yaxes(range=[0, 100]),
            "metrics_share",
            ui.columns(
                trend,
                {
                    "year": "common.year",
                    "units": "metrics.tile_units",
                    "units_on_target": "metrics.units_on_target",
                    "pct_on_target": "metrics.pct_on_target",
                    "simulated": "common.simulated",
                },
            ),
            filename=f"{metric}_{level}_share_on_target",
            view=(metric, level, province),
        )
        st.caption(ui.t("metrics.share_caption", rule=rule))
        ui.simulated_note(trend)
