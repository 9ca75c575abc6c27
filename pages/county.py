"""县: one county's scorecard on the national monitoring set — each indicator in its area with
the county's value, the province's and the nation's, the target, the rank in the province, the
change on the year before and a small trend; the qualitative ones with their evidence; the
measures the county has not reported."""

import pandas as pd
import streamlit as st

from dashboard import colours, data, fmt, scorecard, ui
from dashboard.report import widget as briefing

ui.through_router()

DEFAULT_PROVINCE = 330000  # 浙江省, while the sidebar says "all of China"

heading = st.container()  # the title above the pickers, written once they are read
catalogue = data.query("metric_catalogue").set_index("metric_id")
years = data.query("metric_years")["year"].tolist()

# Which county: ?county=ADCODE (a link from the province map, the scorecard, a search), else
# one of the sidebar province's counties.
wanted = str(st.query_params.get("county", ""))
asked = data.query("county_detail", county=int(wanted)) if wanted.isdigit() else pd.DataFrame()
if wanted and asked.empty:
    ui.notice_bad_param("county")
province = int(asked["province_adcode"].iloc[0]) if len(asked) else ui.current_province()
provinces = data.query("provinces").set_index("adcode")
ui.stop_without_places(provinces)
if province not in provinces.index:
    province = DEFAULT_PROVINCE if DEFAULT_PROVINCE in provinces.index else int(provinces.index[0])
listed = data.query(
    "province_counties",
    province=province,
    metric="county_visit_rate",
    year=years[0] if years else 0,
)
names = dict(zip(listed["adcode"].astype(int), listed["name"], strict=True))
left, right = st.columns([3, 1])
county = ui.choose(
    left.selectbox,
    ui.t("county.choose"),
    list(names),
    key="county",
    default=next(iter(names), 0),  # left out of the URL: any other county stays in it
    format_func=lambda code: f"{ui.shown_name(names[code])} · {code}",
)
year = ui.choose_year(right.selectbox, years)
detail = data.query("county_detail", county=int(county or 0))
if detail.empty:
    st.info(ui.t("common.no_data"))
    st.stop()
place = detail.iloc[0]
province_name = ui.province_name(
    {"name": place["province_name"], "name_en": place["province_name_en"]}
)
heading.title(ui.t("county.title", county=ui.plain(place["name"]), year=year))
heading.caption(
    ui.t(
        "county.where",
        city=ui.plain(place["city_name"]),
        province=ui.plain(province_name),
        kind=ui.t("county.district" if place["district"] else "county.county_kind"),
    )
)

card, trend = data.queries(
    ("county_scorecard", {"county": int(county), "year": year}),
    ("county_trend", {"county": int(county)}),
)
ui.simulated_note(card)
if card["value"].isna().all():
    st.info(ui.t("county.nothing_reported", year=year))
briefing.button("county", int(county), year=year)

info = catalogue.loc[card["indicator_id"]].reset_index(drop=True)
card = card.reset_index(drop=True).join(
    info[["area", "area_zh", "area_en", "number", "kind", "unit", "direction", "target"]]
)
# where the county stands in its province, 1 the best (for indicators without a target)
card["position"] = 1 - (card["rank"] - 1) / (card["ranked"] - 1).clip(lower=1)
card["standing"] = [
    scorecard.status(r.value, r.target, r.direction, r.kind) for r in card.itertuples()
]
lang = ui.lang()

# The five areas at a glance: indicators on target (met) of those judged.
summary = scorecard.area_summary(
    card.assign(adcode=int(county), is_province=False), catalogue
).set_index("area")
areas = card.drop_duplicates("area")[["area", "area_zh", "area_en"]]
tiles = st.container(horizontal=True)  # side by side, wrapping on a phone
for row in areas[areas["area"].isin(scorecard.MONITOR_AREAS)].itertuples():
    got = summary.loc[row.area] if row.area in summary.index else None
    tiles.metric(
        row.area_en if lang == "en" else row.area_zh,
        scorecard.fraction(int(got["good"]), int(got["judged"])) if got is not None else fmt.DASH,
        help=ui.t("county.area_help"),
    )

series = trend.groupby("indicator_id")["value"].agg(list)
measure_catalogue = data.query("measure_catalogue")
measure_names = dict(
    zip(
        measure_catalogue["measure_id"],
        measure_catalogue["name_en" if ui.lang() == "en" else "name_zh"],
        strict=True,
    )
)


def area_table(rows: pd.DataFrame) -> pd.DataFrame:
    """One area's indicators as the table shows them (display text, the trend as a list)."""
    name = rows["indicator_id"].map(lambda i: ui.metric_name(catalogue, i))
    provisional = catalogue.loc[rows["indicator_id"], "provisional"].to_numpy()
    return pd.DataFrame(
        {
            ui.t("county.number"): rows["number"].astype(str),
            ui.t("common.metric"): name.to_numpy(),
            ui.t("county.here"): [
                scorecard.shown(r.value, r.unit, r.kind, lang)
                + ("" if r.weighted is not False else f" ({ui.t('indicator.unweighted')})")
                for r in rows.itertuples()
            ],
            ui.t("county.province"): [
                scorecard.shown(v, u, k, lang)
                if k != "qualitative"
                else fmt.indicator_value(v, "%", lang)
                for v, u, k in zip(rows["province_value"], rows["unit"], rows["kind"], strict=True)
            ],
            ui.t("county.nation"): [
                scorecard.shown(v, u, k, lang)
                if k != "qualitative"
                else fmt.indicator_value(v, "%", lang)
                for v, u, k in zip(rows["nation_value"], rows["unit"], rows["kind"], strict=True)
            ],
            ui.t("common.target"): [
                fmt.indicator_value(t, u, lang) if pd.notna(t) else fmt.DASH
                for t, u in zip(rows["target"], rows["unit"], strict=True)
            ],
            ui.t("county.rank"): [
                f"{int(r)}/{int(n)}" if pd.notna(r) else fmt.DASH
                for r, n in zip(rows["rank"], rows["ranked"], strict=True)
            ],
            ui.t("county.change"): [
                fmt.change(c, u, lang) if k != "qualitative" else fmt.DASH
                for c, u, k in zip(rows["change_1y"], rows["unit"], rows["kind"], strict=True)
            ],
            ui.t("common.trend"): [list(series.get(i, [])) for i in rows["indicator_id"]],
            ui.t("county.basis"): [
                ui.t("indicator.provisional") if p else ui.t("county.official") for p in provisional
            ],
        }
    )


for area in areas.itertuples():
    rows = card[card["area"] == area.area]
    st.subheader(area.area_en if lang == "en" else area.area_zh)
    shown = area_table(rows)
    styles = pd.DataFrame("", index=shown.index, columns=shown.columns)
    styles[ui.t("county.here")] = [scorecard.cell_style(s) for s in rows["standing"]]
    ui.table(
        shown,
        key=f"county_{area.area}",
        filename=f"county_{county}_{area.area}_{year}",
        styles=styles,
        column_config={
            ui.t("common.trend"): st.column_config.LineChartColumn(
                width="small",
                color=colours.SERIES[0],  # a neutral line: red means short
            )
        },
    )
    qualitative = rows[rows["kind"] == "qualitative"]
    if len(qualitative):
        ui.table(
            pd.DataFrame(
                {
                    ui.t("common.metric"): qualitative["indicator_id"].map(
                        lambda i: ui.metric_name(catalogue, i)
                    ),
                    ui.t("county.status"): [
                        ui.t("indicator.not_judged")
                        if pd.isna(m)
                        else ui.t("indicator.met" if m else "indicator.not_met")
                        for m in qualitative["met"]
                    ],
                    ui.t("county.evidence"): qualitative["evidence"].map(fmt.text),
                    ui.t("county.judged_on"): fmt.dates(
                        qualitative["judged_on"], ui.lang()
                    ).replace("", fmt.DASH),
                    ui.t("county.judged_by"): qualitative["judged_by"].map(fmt.text),
                }
            ),
            key=f"county_{area.area}_evidence",
            filename=f"county_{county}_{area.area}_evidence_{year}",
        )
    missing = rows[rows["missing_measures"].map(len) > 0]
    for row in missing.itertuples():
        measures = "、".join(measure_names.get(m, m) for m in row.missing_measures)
        st.caption(
            ui.t(
                "county.missing",
                metric=ui.plain(ui.metric_name(catalogue, row.indicator_id)),
                measures=ui.plain(measures),
            )
        )
st.caption(ui.t("county.caption", colours=ui.t("county.colours")))
if catalogue["provisional"].any():
    st.caption(f"**{ui.t('indicator.provisional')}** · {ui.t('indicator.provisional_help')}")
