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
ui.stop_without_places(provinces)
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
cells = cells[cells["indicator_id"].isin(wanted.index)]
place = ui.t("scorecard.unit")
shown_areas = {a: area_names[a] for a in scorecard.MONITOR_AREAS if area in (ALL, a)}
labels = {
    "unit": place,
    "city": ui.t("common.city"),
    "province_row": ui.t("scorecard.province_row"),
}


def build():
    prepared = scorecard.prepared(cells, catalogue)
    table, styles, order = scorecard.province_table(
        prepared, catalogue, list(wanted.index), shown_areas, labels, lang
    )
    return prepared, table, styles, order


# made once per view and shared: a province's 180 counties × 20 indicators
prepared, table, styles, order = ui.shared("scorecard", (province, year, districts, area), build)
units = {i: catalogue.at[i, "unit"] for i in wanted.index}
heads = {i: scorecard.heading(catalogue.loc[i], lang) for i in wanted.index}
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
missing = prepared[prepared["value"].isna() & ~prepared["is_province"].astype(bool)]
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
ui.downloads(
    lambda: scorecard.circular(prepared, catalogue, lang, order),  # made when clicked
    "scorecard_circular",
    ui.t("scorecard.circular_file", province=name, year=year),
    sheet=ui.t("scorecard.circular_title"),
)
st.caption(ui.t("scorecard.circular_caption"))
if catalogue["provisional"].any():
    st.caption(f"**{ui.t('indicator.provisional')}** · {ui.t('indicator.provisional_help')}")
