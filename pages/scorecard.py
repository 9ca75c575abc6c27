"""评分: a province's counties × the monitoring set's indicators in one year, each cell coloured
against its target (or by its fifth within the province), sortable, a 5-area summary per county,
the counties not reporting, and the circular (通报) table to download."""

import pandas as pd
import streamlit as st

from dashboard import data, fmt, scorecard, ui

ui.through_router()

DEFAULT_PROVINCE = 330000  # 浙江省, while the sidebar says "all of China"
ALL = ""  # every area

heading = st.container()  # the title above the pickers, written once they are read
provinces = data.query("provinces").set_index("adcode")
province = ui.current_province()
if province not in provinces.index:
    province = DEFAULT_PROVINCE if DEFAULT_PROVINCE in provinces.index else int(provinces.index[0])
name = ui.province_name(provinces.loc[province])
catalogue = data.query("metric_catalogue").set_index("metric_id")
years = data.query("metric_years")["year"].tolist()
lang = ui.lang()

areas = catalogue.drop_duplicates("area").sort_values("area_position")
area_names = {ALL: ui.t("common.all")} | {
    a: (en if lang == "en" else zh)
    for a, zh, en in zip(areas["area"], areas["area_zh"], areas["area_en"], strict=True)
}
left, middle, right = st.columns([2, 1, 1])
area = ui.choose(
    left.selectbox,
    ui.t("indicator.area"),
    list(area_names),
    key="area",
    default=ALL,
    format_func=area_names.get,
)
year = ui.choose_year(middle.selectbox, years)
with right:
    districts = ui.bind_flag(st.toggle, ui.t("scorecard.districts"), key="districts")

heading.title(ui.t("scorecard.title", province=ui.plain(name), year=year))
cells = data.query("scorecard", province=province, year=year, districts=districts)
if cells.empty or cells["value"].isna().all():
    st.info(ui.t("common.no_data"))
    st.stop()
ui.simulated_note(cells)

wanted = catalogue if area == ALL else catalogue[catalogue["area"] == area]
cells = cells[cells["indicator_id"].isin(wanted.index)].reset_index(drop=True)
info = catalogue.loc[cells["indicator_id"]].reset_index(drop=True)
cells = cells.join(info[["kind", "unit", "direction", "target", "area"]])
cells["standing"] = [
    scorecard.status(r.value, r.target, r.direction, r.kind, r.position) for r in cells.itertuples()
]
summary = scorecard.area_summary(cells, catalogue)

# One row per county (the province's own first), one column per indicator.
short = {
    i: (catalogue.at[i, "short_en"] if lang == "en" else catalogue.at[i, "short_zh"])
    for i in wanted.index
}
units = {i: catalogue.at[i, "unit"] for i in wanted.index}
heads = {
    i: f"{short[i]}（{ui.label('metrics.units', units[i])}）"
    if units[i] not in ("met", "ratio", "count") and lang == "zh"
    else f"{short[i]} ({ui.label('metrics.units', units[i])})"
    if units[i] not in ("met", "ratio", "count")
    else short[i]
    for i in wanted.index
}
units_rows = cells.drop_duplicates("adcode").set_index("adcode")
order = [
    int(a) for a in units_rows.sort_values(["is_province", "adcode"], ascending=[False, True]).index
]
place = ui.t("scorecard.unit")
table = pd.DataFrame(
    {
        place: [
            ui.t("scorecard.province_row")
            if units_rows.at[a, "is_province"]
            else units_rows.at[a, "name_en"]
            if lang == "en" and pd.notna(units_rows.at[a, "name_en"])
            else units_rows.at[a, "name"]
            for a in order
        ],
        ui.t("common.city"): [fmt.text(units_rows.at[a, "city_name"]) for a in order],
    }
)
styles = pd.DataFrame("", index=table.index, columns=table.columns)
monitored = [a for a in scorecard.MONITOR_AREAS if area in (ALL, a)]
by_area = summary.set_index(["adcode", "area"])
for code in monitored:
    title = area_names[code]
    table[title] = [
        scorecard.fraction(int(by_area.at[(a, code), "good"]), int(by_area.at[(a, code), "judged"]))
        if (a, code) in by_area.index
        else fmt.DASH
        for a in order
    ]
    styles[title] = ""
pivot = cells.set_index(["adcode", "indicator_id"])
for indicator in wanted.index:
    kind = catalogue.at[indicator, "kind"]
    values, css = [], []
    for a in order:
        row = pivot.loc[(a, indicator)] if (a, indicator) in pivot.index else None
        value = None if row is None else row["value"]
        if kind == "qualitative" and row is not None and row["is_province"]:
            values.append(scorecard.fraction(int(row["numerator"]), int(row["denominator"])))
        elif kind == "qualitative":
            values.append(scorecard.shown(value, "met", kind, lang))
        else:
            values.append(None if value is None or pd.isna(value) else float(value))
        # the province's own row: coloured against a target, never by a share of its counties
        mine = row is not None and not (row["is_province"] and kind == "qualitative")
        css.append(scorecard.cell_style(row["standing"]) if mine else "")
    table[heads[indicator]] = values
    styles[heads[indicator]] = css

formats = {place: st.column_config.TextColumn(pinned=True)} | {
    heads[i]: st.column_config.NumberColumn(
        format=f"%.{fmt.UNIT_DECIMALS.get(units[i], 0)}f", help=ui.metric_name(catalogue, i)
    )
    for i in wanted.index
    if catalogue.at[i, "kind"] != "qualitative"
}
event = ui.table(
    table,
    key="scorecard",
    filename=f"scorecard_{province}_{year}",
    styles=styles,
    column_config=formats,
    on_select="rerun",
    selection_mode="single-row",
    height=min(38 * (len(table) + 1) + 3, 720),
)
st.caption(ui.t("scorecard.caption"))
st.caption(ui.t("scorecard.click_hint"))
rows = list(event.selection.rows) if event else []
if rows and ui.fresh_click("scorecard_row", order[rows[0]]) and order[rows[0]] != province:
    st.switch_page(
        "pages/county.py", query_params=ui.url_with(county=str(order[rows[0]]), lang=lang)
    )

# The counties that have not reported, per indicator.
missing = cells[cells["value"].isna() & ~cells["is_province"].astype(bool)]
if len(missing):
    st.subheader(ui.t("scorecard.missing_title", year=year))
    listing = missing.groupby("indicator_id")["name"].agg(lambda n: "、".join(n)).reset_index()
    ui.table(
        pd.DataFrame(
            {
                ui.t("common.metric"): listing["indicator_id"].map(
                    lambda i: ui.metric_name(catalogue, i)
                ),
                ui.t("scorecard.missing_counties"): listing["name"],
            }
        ),
        key="scorecard_missing",
        filename=f"scorecard_missing_{province}_{year}",
    )

# The circular: every indicator's value and rank, as a commission sends it out.
st.subheader(ui.t("scorecard.circular_title"))
circular = scorecard.circular(cells, catalogue, lang, order)
ui.downloads(
    lambda: circular,
    "scorecard_circular",
    ui.t("scorecard.circular_file", province=name, year=year),
    sheet=ui.t("scorecard.circular_title"),
)
st.caption(ui.t("scorecard.circular_caption"))
if catalogue["provisional"].any():
    st.caption(f"**{ui.t('indicator.provisional')}** · {ui.t('indicator.provisional_help')}")
