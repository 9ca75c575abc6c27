"""Province page through the real router on the tiny database, and its queries' contracts."""

import json

import pandas as pd
import pytest

from dashboard import colours, db
from tests.conftest import run_app
from tests.helpers import array, figure, rendered, tiny_copy

PAGE = "pages/province.py"
PROVINCES = [310000, 330000, 620000]  # the tiny fixture's provinces, two counties each


def run(**params):
    return run_app(page=PAGE, **params)


def map_counties(at) -> set[int]:
    """Counties coloured by value on the county map (the grey no-data layer left out)."""
    traces = [
        t
        for t in figure(at, "province_map")["data"]
        if t["type"] == "choropleth" and t.get("showscale") is not False
    ]
    return {int(code) for t in traces for code in t["locations"]}


def tile(at, starts: str) -> str:
    values = [m.value for m in at.metric if m.label.startswith(starts)]
    assert len(values) == 1, [m.label for m in at.metric]
    return values[0]


def alliance_names(at) -> set[str]:
    frames = [d.value for d in at.dataframe if "名称" in d.value.columns and "联盟形式" in d.value]
    assert len(frames) == 1
    return set(frames[0]["名称"])


@pytest.fixture
def con(tiny_db):
    connection = db.connect(tiny_db)
    yield connection
    connection.close()


def test_all_of_china_shows_zhejiang_with_a_hint(tiny_env):
    at = run()
    assert not at.exception and not at.error
    assert at.title[0].value.startswith("浙江省")
    assert len(at.info) == 1 and "侧边栏" in at.info[0].value
    assert at.selectbox(key="metric").value == "county_visit_rate"
    assert at.selectbox(key="year").value == 2025  # the newest year in the fixture
    assert at.toggle(key="province_show_sites").value is True
    assert map_counties(at) == {330802, 330822}


def test_map_diverges_at_the_target_and_shows_hospitals_by_grade(tiny_env):
    at = run(province="330000")
    spec = figure(at, "province_map")
    scale = [t for t in spec["data"] if t["type"] == "choropleth" and colours.scale_target(t)]
    # red below, blue above the catalogue's target for the metric, written out for plotly.js
    assert len(scale) == 1 and colours.scale_target(scale[0]) == pytest.approx(90)
    assert scale[0]["zmin"] < 90 < scale[0]["zmax"] and not scale[0].get("reversescale")
    points = [t for t in spec["data"] if t["type"] == "scattergeo"]
    assert {t["name"] for t in points} <= {"三级甲等", "三级", "二级"}
    sizes = {t["name"]: array(t["marker"]["size"])[0] for t in points}
    grades = [g for g in ("三级甲等", "三级", "二级") if g in sizes]  # the fixture's members
    assert len(grades) >= 2
    assert all(sizes[a] > sizes[b] for a, b in zip(grades, grades[1:], strict=False))
    # Grade 1 and unrated members (e.g. township centres) are counted but not drawn.
    assert "乡镇卫生院" not in json.dumps(points, ensure_ascii=False)
    assert len(at.info) == 0  # a province was chosen: no hint


def test_hiding_hospitals_leaves_only_the_counties(tiny_env):
    at = run(province="330000")
    at.toggle(key="province_show_sites").set_value(False).run()
    assert not at.exception
    assert not [t for t in figure(at, "province_map")["data"] if t["type"] == "scattergeo"]


def test_changing_province_changes_title_map_and_table(tiny_env):
    zhejiang, gansu = run(province="330000"), run(province="620000")
    assert not gansu.exception and not gansu.error
    assert gansu.title[0].value.startswith("甘肃省")
    assert map_counties(gansu) == {620102, 620103}
    names = alliance_names(gansu)
    assert "测试跨省妇产科联盟" in names  # the real alliance has 兰州仁和医院 as a member
    # County communities belong to one county: Gansu's own are listed, not Zhejiang's.
    assert any(n.startswith(("七里河区", "城关区", "甘肃", "兰州")) for n in names)
    assert not any(n.startswith("常山县") for n in names)
    assert names != alliance_names(zhejiang)


def test_sidebar_province_widget_drives_the_page(tiny_env):
    at = run(province="330000")
    at.selectbox(key="province").set_value(620000).run()
    assert not at.exception
    assert at.title[0].value.startswith("甘肃省")
    assert map_counties(at) == {620102, 620103}


def test_the_province_tile_is_its_summed_visits_in_the_year_chosen(tiny_env, tiny_db):
    at = run(province="620000")
    latest = tile(at, "2025年全省")
    at.selectbox(key="year").set_value(2015).run()
    assert not at.exception
    earlier = tile(at, "2015年全省")
    con = db.connect(tiny_db)
    try:
        expected = con.execute(
            "select 100 * sum(value) filter (where measure = 'visits_residents_in_county') "
            "/ sum(value) filter (where measure = 'visits_residents') from county_measures "
            "where year = 2015 and county_adcode // 10000 = 62"
        ).fetchone()[0]
    finally:
        con.close()
    assert earlier.endswith("%") and earlier != latest
    assert float(earlier.removesuffix("%")) == round(expected, 1)  # Σ ÷ Σ, not a mean


def test_changing_metric_changes_numbers_and_scale(tiny_env):
    at = run(province="620000")
    visit = tile(at, "2025年全省")
    at.selectbox(key="metric").set_value("primary_visit_share").run()
    assert not at.exception
    assert tile(at, "2025年全省") != visit
    targets = [colours.scale_target(t) for t in figure(at, "province_map")["data"]]
    assert [round(t, 6) for t in targets if t is not None] == [65]  # its own target
    # A metric without a target: a sequential scale and a ranking by value instead of the gap.
    at.selectbox(key="metric").set_value("referral_down").run()
    assert not at.exception
    assert not [t for t in figure(at, "province_map")["data"] if colours.scale_target(t)]
    assert tile(at, "达标县数") == "—"
    assert any("排名靠后" in s.value for s in at.subheader)


def test_counties_below_target_are_ranked_by_gap(tiny_env, con):
    at = run(province="620000", year="2015", districts="1")  # Gansu's two are 市辖区
    counties = db.run(
        con, "province_counties", {"province": 620000, "metric": "county_visit_rate", "year": 2015}
    )
    below = counties[counties["value"] < 90]
    assert len(below)  # Gansu starts well under the target in the simulation
    bars = figure(at, "province_below")["data"][0]
    assert array(bars["y"]) == below.sort_values("gap", ascending=False)["name"].tolist()
    assert any(f"{len(below)} 个低于目标" in c.value for c in at.caption)


def test_english_title(tiny_env):
    at = run(lang="en", province="620000")
    assert not at.exception
    assert at.title[0].value == "Gansu: alliances and county care"
    assert "County visit rate" in at.selectbox(key="metric").options
    assert "Counties below target (2025)" in [s.value for s in at.subheader]


def test_simulated_rows_are_labelled(tiny_env):
    at = run(province="620000")
    assert sum("示例数据" in c.value for c in at.caption) >= 4


@pytest.mark.parametrize(
    "params",
    [
        {"province": "999999"},
        {"metric": "<script>alert(1)</script>"},
        {"province": "999999", "metric": "<script>alert(1)</script>", "year": "1899"},
    ],
)
def test_bad_url_values_fall_back_with_a_notice(tiny_env, params):
    at = run(**params)
    assert not at.exception and not at.error
    warnings = " ".join(w.value for w in at.warning)
    for key in params:
        assert f"“{key}”" in warnings
    assert at.title[0].value.startswith("浙江省")
    assert at.selectbox(key="metric").value == "county_visit_rate"
    assert "<script" not in rendered(at)


# Contracts of the page's queries, on the tiny database.


def test_province_counties_contract(con):
    for province in PROVINCES:
        frame = db.run(
            con,
            "province_counties",
            {"province": province, "metric": "county_visit_rate", "year": 2025},
        )
        assert {
            "adcode",
            "name",
            "city_name",
            "value",
            "change_5y",
            "gap",
            "on_target",
            "simulated",
        } <= set(frame.columns)
        assert frame["adcode"].is_unique
        assert set(frame["adcode"] // 10000 * 10000) == {province}
        assert len(frame) == 2 and frame["value"].notna().all()
        # Gap is what is still missing to 90; on target exactly when nothing is missing.
        assert ((90 - frame["value"]).round(1) == frame["gap"]).all()
        assert (frame["on_target"] == (frame["value"] >= 90)).all()
    early = db.run(
        con, "province_counties", {"province": 620000, "metric": "county_visit_rate", "year": 2017}
    )
    assert early["change_5y"].isna().all()  # 2012 is before the data start


def test_province_counties_lower_is_better(tiny_db, tmp_path):
    # No catalogue metric is "lower is better" yet; a copy of the database where one is.
    copy = tiny_copy(
        tiny_db,
        tmp_path / "lower.duckdb",
        "update indicators set direction = 'lower', target = 80"
        " where indicator_id = 'county_visit_rate'",
    )
    con = db.connect(copy)
    try:
        frame = db.run(
            con,
            "province_counties",
            {"province": 620000, "metric": "county_visit_rate", "year": 2025},
        )
    finally:
        con.close()
    assert ((frame["value"] - 80).round(1) == frame["gap"]).all()
    assert (frame["on_target"] == (frame["value"] <= 80)).all()


def test_province_trend_contract(con):
    frame = db.run(con, "province_trend", {"province": 620000, "metric": "county_visit_rate"})
    assert not frame.duplicated(["year", "area"]).any()
    assert set(frame["area"]) == {"province", "china"}
    wide = frame.pivot(index="year", columns="area", values="counties")
    assert (wide["province"] == 2).all() and (wide["china"] == 6).all()
    assert (frame["counties_on_target"] <= frame["counties"]).all()


def test_province_sites_contract(con):
    frame = db.run(con, "province_sites", {"province": 330000, "city": 0, "year": 2025})
    assert frame["site_id"].is_unique
    assert set(frame["tier"]) <= {"3A", "3", "2"}
    assert set(frame["county_adcode"] // 10000) == {33}
    members = db.run(
        con,
        "member_institutions",
        db.ALL_INSTITUTIONS | {"province": 330000, "year": 2025},
    )
    assert members["member_institutions"].iloc[0] >= len(frame)
    assert (frame["alliances"] >= 1).all()
    assert "R-S002" in set(frame["site_id"])  # the real grade-2 member in 常山县


def test_province_alliances_contract(con):
    for province in PROVINCES:
        frame = db.run(
            con, "province_alliances", {"province": province, "year": 2025, "limit": 500}
        )
        assert frame["alliance_id"].is_unique
        assert "R-A01" in set(frame["alliance_id"])  # it has a member in each tiny province
        assert frame.iloc[0]["alliance_id"] == "R-A01"  # real alliances first
        assert (frame["members_here"] >= 1).all()
        assert (frame["members"] >= frame["members_here"]).all()
        assert set(frame["form"]) <= {
            "city_group",
            "county_community",
            "specialist",
            "telemedicine",
        }
        assert set(frame["scope"]) <= {"cross_province", "province", "city", "county"}
        assert (frame["total"] == len(frame)).all()
        assert (frame["led_total"] == frame["led_here"].sum()).all()
    limited = db.run(con, "province_alliances", {"province": 330000, "year": 2025, "limit": 3})
    assert len(limited) == 3 and limited["total"].iloc[0] > 3
    # R-S003 (Gansu) joined R-A01 in 2018: in 2017 the alliance is not active in Gansu.
    before = db.run(con, "province_alliances", {"province": 620000, "year": 2017, "limit": 500})
    assert "R-A01" not in set(before["alliance_id"])


def test_province_links_contract(con):
    frame = db.run(con, "province_links", {"province": 620000, "year": 2025})
    assert not frame.duplicated(["other_adcode", "direction"]).any()
    assert set(frame["direction"]) <= {"in", "out"}
    assert 620000 not in set(frame["other_adcode"])
    assert (frame["alliances"] >= frame["real_alliances"]).all()
    shanghai = frame[(frame["other_adcode"] == 310000) & (frame["direction"] == "in")]
    assert len(shanghai) == 1 and shanghai["real_alliances"].iloc[0] >= 1  # R-A01, led from 黄浦
    assert (
        frame["cross_alliances"] >= frame.groupby("direction")["alliances"].transform("max")
    ).all()
    assert pd.api.types.is_float_dtype(frame["from_lon"])


def test_a_figure_made_for_one_official_is_never_shown_to_another(tiny_env, monkeypatch):
    """Figures are built once per view and shared (ui.chart's view=): the regions and the
    language are part of what is shared, so a county official gets a map of their county even
    right after a national official drew the same view, and English readers get English."""
    from dashboard import access

    national = run(province="330000", year="2024")
    counties = map_counties(national)
    assert len(counties) == 2
    one = min(counties)
    monkeypatch.setattr(access, "OPEN", access.Grant("county@example.org", (one,), "viewer"))
    county = run(province="330000", year="2024")
    assert map_counties(county) == {one}
    english = run(province="330000", year="2024", lang="en")
    assert map_counties(english) == {one}
    titles = [
        json.dumps(figure(at, "province_map")["data"][-1], ensure_ascii=False)
        for at in (county, english)
    ]
    assert titles[0] != titles[1]  # the same view in the other language is drawn again


def test_a_charts_table_is_sent_only_when_the_reader_opens_it(tiny_env):
    from dashboard import i18n
    from tests.helpers import open_tables

    adcode = i18n.text("common.adcode", "zh")
    at = run(province="330000", year="2024")
    assert not [d for d in at.dataframe if adcode in d.value.columns]  # closed: nothing sent
    opened = open_tables(at)
    tables = [d.value for d in opened.dataframe if adcode in d.value.columns]
    assert len(tables) == 1 and set(tables[0][adcode]) == map_counties(opened)
