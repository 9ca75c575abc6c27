"""Metrics page through the real router on the tiny database, and its queries' contracts."""

import pandas as pd
import pytest

from dashboard import db
from tests.conftest import run_app
from tests.helpers import figure, metrics, rendered, tiny_copy

PAGE = "pages/metrics.py"
# The tiny fixture: three provinces, each with one city of two counties; all but 常山县 are
# 市辖区 (urban districts), which the county level leaves out unless asked (?districts=1).
COUNTIES, CITIES, PROVINCES = 6, 3, 3
XIANYU = 1  # 常山县


def run(**params):
    return run_app(page=PAGE, **params)


def charts(at) -> set[str]:
    return {n.key for n in at.main if n.type == "plotly_chart"}


@pytest.fixture
def con(tiny_db):
    connection = db.connect(tiny_db)
    yield connection
    connection.close()


@pytest.fixture
def catalogue(con):
    return db.run(con, "metric_catalogue").set_index("metric_id")


def test_renders_definition_tiles_and_charts(tiny_env, catalogue):
    at = run()
    assert not at.exception and not at.error
    assert at.title[0].value == "指标分析"
    assert at.selectbox(key="metric").value == "county_visit_rate"
    assert at.selectbox(key="level").value == "county"
    assert at.selectbox(key="year").value == 2025
    text = " ".join(m.value for m in at.markdown)
    # Definition and policy come from the catalogue, escaped for Markdown: compare their words.
    info = catalogue.loc["county_visit_rate"]
    assert info.definition_zh.split("（")[0] in text.replace("\\", "")
    assert "国发〔2016〕78号" in text.replace("\\", "")
    assert "≥ 90%" in text and "越高越好" in text
    assert metrics(at)["地区数"] == str(XIANYU)  # 县域 only: the districts are not ranked
    assert metrics(run(districts="1"))["地区数"] == str(COUNTIES)
    assert charts(at) == {
        "metrics_ranking",
        "metrics_distribution",
        "metrics_trend",
        "metrics_share",
    }
    assert any("示例数据" in c.value for c in at.caption)


@pytest.mark.parametrize(
    "level, units", [("county", COUNTIES), ("city", CITIES), ("province", PROVINCES)]
)
def test_level_changes_the_units(tiny_env, level, units):
    at = run(districts="1")
    at.selectbox(key="level").set_value(level).run()
    assert not at.exception
    assert metrics(at)["地区数"] == str(units)
    ranked = figure(at, "metrics_ranking")["data"]
    assert sum(len(t["y"]) for t in ranked) == units  # fewer than 2 × 10: every unit is ranked


def test_the_whole_area_is_its_summed_visits_not_a_mean_of_rates(tiny_env, con):
    at = run()
    latest = metrics(at)["合计值"]
    at.selectbox(key="year").set_value(2015).run()
    earlier = metrics(at)["合计值"]
    summed, mean = con.execute(
        "select 100 * sum(value) filter (where measure = 'visits_residents_in_county')"
        " / sum(value) filter (where measure = 'visits_residents'), avg(rate) from ("
        " select *, 100 * max(value) filter (where measure = 'visits_residents_in_county')"
        " over (partition by county_adcode) / max(value) filter (where measure ="
        " 'visits_residents') over (partition by county_adcode) as rate"
        " from county_measures where year = 2015)"
    ).fetchone()
    assert earlier.endswith("%") and earlier != latest
    assert float(earlier.removesuffix("%")) == round(summed, 1) != round(mean, 1)
    at.selectbox(key="metric").set_value("referral_down").run()
    assert not at.exception
    assert metrics(at)["合计值"] not in (earlier, latest)
    # No target: no share meeting it, and the page says why.
    assert metrics(at)["达标占比"] == "—"
    assert "metrics_share" not in charts(at)
    assert any("没有政策目标" in i.value for i in at.info)


def test_province_from_sidebar_filters_the_units(tiny_env):
    at = run(province="620000", districts="1")
    assert not at.exception
    assert metrics(at)["地区数"] == "2"
    assert any("甘肃省" in m.value for m in at.markdown)
    ranked = figure(at, "metrics_ranking")["data"]
    assert sorted(y for t in ranked for y in t["y"]) == ["七里河区", "城关区"]


def test_all_of_china_names_the_province_of_each_county(tiny_env):
    at = run(districts="1")
    labels = {y for t in figure(at, "metrics_ranking")["data"] for y in t["y"]}
    assert "城关区（甘肃省）" in labels


def test_english(tiny_env, catalogue):
    at = run(lang="en", metric="primary_visit_share")
    assert not at.exception
    assert at.title[0].value == "Metrics"
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert catalogue.loc["primary_visit_share", "definition_en"].split(" (")[0] in text
    assert "≥ 65%" in text and "Higher is better" in text


@pytest.mark.parametrize(
    "params",
    [
        {"metric": "<script>alert(1)</script>"},
        {"level": "<script>x</script>", "province": "999999"},
        {"metric": "<script>alert(1)</script>", "year": "1899", "level": "town"},
    ],
)
def test_bad_url_values_fall_back_with_a_notice(tiny_env, params):
    at = run(**params)
    assert not at.exception and not at.error
    warnings = " ".join(w.value for w in at.warning)
    for key in params:
        assert f"“{key}”" in warnings
    assert at.selectbox(key="metric").value == "county_visit_rate"
    assert at.selectbox(key="level").value == "county"
    assert "<script" not in rendered(at)


# Contracts of the page's queries, on the tiny database.


def _values(con, level, metric="county_visit_rate", year=2025, province=0):
    return db.run(
        con, "metric_values", {"metric": metric, "year": year, "level": level, "province": province}
    )


@pytest.mark.parametrize(
    "level, units", [("county", COUNTIES), ("city", CITIES), ("province", PROVINCES)]
)
def test_metric_values_contract(con, level, units):
    frame = _values(con, level)
    assert {
        "adcode",
        "name",
        "name_en",
        "province_name",
        "province_name_en",
        "value",
        "counties",
        "on_target",
        "simulated",
    } <= set(frame.columns)
    assert frame["adcode"].is_unique and len(frame) == units
    assert frame["counties"].sum() == COUNTIES
    assert frame["value"].is_monotonic_decreasing
    assert (frame["on_target"] == (frame["value"] >= 90)).all()
    assert frame["value"].between(0, 100).all()


@pytest.mark.parametrize("metric", ["county_visit_rate", "referral_down"])
def test_city_and_province_values_combine_their_counties(con, metric):
    counties = _values(con, "county", metric)
    regions = con.execute("select adcode, parent_adcode from regions").df()
    counties = counties.merge(regions, on="adcode")
    for level, key in (
        ("city", counties["parent_adcode"]),
        ("province", counties["adcode"] // 10000 * 10000),
    ):
        sums = counties.groupby(key)[["numerator", "denominator"]].sum()
        # a rate: Σ numerators ÷ Σ denominators; a count: Σ counts
        expected = (
            (100 * sums["numerator"] / sums["denominator"]).round(1)
            if metric == "county_visit_rate"
            else sums["numerator"]
        )
        got = _values(con, level, metric).set_index("adcode")["value"]
        pd.testing.assert_series_equal(
            got.sort_index(),
            expected.sort_index(),
            check_names=False,
            check_index_type=False,
            atol=0.11,
        )


def test_county_directly_under_a_province_counts_with_it_at_city_level(tiny_db, tmp_path):
    # 省直辖 counties (仙桃市, 济源市…): a copy of the database where 七里河区 hangs off 甘肃省.
    copy = tiny_copy(
        tiny_db,
        tmp_path / "direct.duckdb",
        "update regions set parent_adcode = 620000 where adcode = 620103",
    )
    con = db.connect(copy)
    try:
        frame = _values(con, "city")
    finally:
        con.close()
    assert set(frame["adcode"]) == {310100, 330800, 620100, 620000}
    assert frame.set_index("adcode").loc[620000, "counties"] == 1


def test_lower_is_better_meets_the_target_below_it(tiny_db, tmp_path):
    copy = tiny_copy(
        tiny_db,
        tmp_path / "lower.duckdb",
        "update indicators set direction = 'lower', target = 90"
        " where indicator_id = 'county_visit_rate'",
    )
    con = db.connect(copy)
    try:
        frame = _values(con, "county")
        trend = db.run(
            con, "metric_trend", {"metric": "county_visit_rate", "level": "county", "province": 0}
        )
    finally:
        con.close()
    assert (frame["on_target"] == (frame["value"] <= 90)).all()
    last = trend.set_index("year").loc[2025]
    assert last["units_on_target"] == (frame["value"] <= 90).sum()


@pytest.mark.parametrize("level", ["county", "city", "province"])
def test_metric_trend_contract(con, level):
    trend = db.run(
        con, "metric_trend", {"metric": "county_visit_rate", "level": level, "province": 0}
    )
    assert trend["year"].is_unique and trend["year"].is_monotonic_increasing
    assert (trend["units_on_target"] <= trend["units"]).all()
    assert (
        (100 * trend["units_on_target"] / trend["units"]).round(1) == trend["pct_on_target"]
    ).all()
    # The trend's year agrees with the values of that year.
    values = _values(con, level, year=2020)
    row = trend.set_index("year").loc[2020]
    assert row["units"] == len(values)
    assert row["units_on_target"] == values["on_target"].sum()
    # the whole country's value: Σ numerators ÷ Σ denominators over all its units
    whole = 100 * values["numerator"].sum() / values["denominator"].sum()
    assert row["value"] == round(whole, 1)


def test_metric_trend_without_a_target_counts_none(con):
    trend = db.run(
        con, "metric_trend", {"metric": "referral_up", "level": "city", "province": 330000}
    )
    assert (trend["units"] == 1).all() and (trend["units_on_target"] == 0).all()
