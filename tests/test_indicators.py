"""Indicators from measures (DESIGN.md §5): numbers worked out by hand on two counties with
different denominators. A region's value is Σ numerators ÷ Σ denominators, never the mean of
its counties' rates; every kind of indicator from its measures to the scorecard."""

from __future__ import annotations

import pytest

from dashboard import db
from tests.helpers import tiny_copy

KECHENG, CHANGSHAN, ZHEJIANG = 330802, 330822, 330000
# (county, year, measure, value): 柯城区 has ten times 常山县's visits.
MEASURES = [
    (KECHENG, 2025, "visits_residents_in_county", 900),
    (KECHENG, 2025, "visits_residents", 1000),  # 90.0 %
    (CHANGSHAN, 2025, "visits_residents_in_county", 40),
    (CHANGSHAN, 2025, "visits_residents", 100),  # 40.0 %
    (KECHENG, 2025, "posted_doctors", 10),
    (KECHENG, 2025, "population", 50000),  # 2.0 per 10,000
    (CHANGSHAN, 2025, "posted_doctors", 3),
    (CHANGSHAN, 2025, "population", 10000),  # 3.0 per 10,000
    (KECHENG, 2024, "insured_inpatient_cost_in_county", 6_000_000),
    (KECHENG, 2024, "insured_stays_in_county", 1000),  # 6,000 yuan a stay
    (KECHENG, 2025, "insured_inpatient_cost_in_county", 6_600_000),
    (KECHENG, 2025, "insured_stays_in_county", 1000),  # 6,600: +10 %
    (KECHENG, 2025, "primary_income", 600_000),
    (KECHENG, 2025, "primary_staff", 10),  # 60,000 a head
    (KECHENG, 2025, "lead_income", 1_000_000),
    (KECHENG, 2025, "lead_staff", 10),  # 100,000 a head: 0.6
    (CHANGSHAN, 2025, "primary_income", 300_000),
    (CHANGSHAN, 2025, "primary_staff", 5),  # 60,000
    (CHANGSHAN, 2025, "lead_income", 2_400_000),
    (CHANGSHAN, 2025, "lead_staff", 20),  # 120,000: 0.5
    (KECHENG, 2025, "referrals_down", 100),
    (CHANGSHAN, 2025, "referrals_down", 50),
]


@pytest.fixture(scope="module")
def two_counties(tiny_db, tmp_path_factory):
    """The tiny database with Zhejiang's two counties holding only the measures above, and one
    qualitative judgement each (柯城区 met, 常山县 not)."""
    rows = ", ".join(
        f"({c}, {y}, '{m}', {v}, 'test', false, 'office', null)" for c, y, m, v in MEASURES
    )
    return tiny_copy(
        tiny_db,
        tmp_path_factory.mktemp("two") / "two.duckdb",
        f"delete from county_measures where county_adcode // 10000 = 33;"
        f"delete from county_judgements where county_adcode // 10000 = 33;"
        f"insert into county_measures values {rows};"
        f"insert into county_judgements values "
        f"({KECHENG}, 2025, 'resources_unified', true, '章程', date '2025-12-01', '省卫健委', 'test',"
        f" false, 'office', null),"
        f"({CHANGSHAN}, 2025, 'resources_unified', false, null, date '2025-12-01', '省卫健委',"
        f" 'test', false, 'office', null)",
    )


def values(path, indicator: str, level: str, year: int = 2025, province: int = ZHEJIANG):
    """adcode -> the row of indicator_values through the named query metric_values."""
    con = db.connect(path)
    try:
        frame = db.run(
            con,
            "metric_values",
            {"metric": indicator, "year": year, "level": level, "province": province},
        )
    finally:
        con.close()
    return frame.set_index("adcode")


def test_a_province_rate_is_the_sum_of_numerators_over_the_sum_of_denominators(two_counties):
    counties = values(two_counties, "county_visit_rate", "county")
    assert counties.loc[KECHENG, "value"] == 90.0 and counties.loc[CHANGSHAN, "value"] == 40.0
    province = values(two_counties, "county_visit_rate", "province").loc[ZHEJIANG]
    # (900 + 40) / (1000 + 100) × 100 = 85.45… → 85.5, not (90 + 40) / 2 = 65
    assert province["value"] == 85.5
    assert (province["numerator"], province["denominator"]) == (940, 1100)
    assert bool(province["weighted"])


def test_the_mean_of_the_two_rates_is_not_the_province_value(two_counties):
    counties = values(two_counties, "county_visit_rate", "county")
    mean_of_rates = counties.loc[[KECHENG, CHANGSHAN], "value"].mean()
    province = values(two_counties, "county_visit_rate", "province").loc[ZHEJIANG, "value"]
    assert mean_of_rates == 65.0 and province != mean_of_rates


def test_per_10000_residents_sums_doctors_and_residents(two_counties):
    counties = values(two_counties, "posted_doctors_per_10k", "county")
    assert counties.loc[KECHENG, "value"] == 2.0 and counties.loc[CHANGSHAN, "value"] == 3.0
    # 13 doctors for 60,000 residents: 2.17 per 10,000, not the mean 2.5
    assert values(two_counties, "posted_doctors_per_10k", "province").loc[ZHEJIANG, "value"] == 2.17


def test_a_level_with_its_growth_on_the_year_before(two_counties):
    con = db.connect(two_counties)
    try:
        card = db.run(con, "county_scorecard", {"county": KECHENG, "year": 2025})
    finally:
        con.close()
    cost = card.set_index("indicator_id").loc["inpatient_cost_per_stay"]
    assert (cost["value"], cost["previous_value"], cost["growth_pct"]) == (6600, 6000, 10.0)


def test_a_ratio_of_per_capita_values_divides_each_sum_first(two_counties):
    counties = values(two_counties, "income_ratio_primary_lead", "county")
    assert counties.loc[KECHENG, "value"] == 0.6 and counties.loc[CHANGSHAN, "value"] == 0.5
    # (900,000 / 15) / (3,400,000 / 30) = 60,000 / 113,333 = 0.53, not the mean 0.55
    assert (
        values(two_counties, "income_ratio_primary_lead", "province").loc[ZHEJIANG, "value"] == 0.53
    )


def test_a_qualitative_indicator_is_met_or_not_and_a_share_above_the_county(two_counties):
    counties = values(two_counties, "resources_unified", "county")
    assert counties.loc[KECHENG, "on_target"] and not counties.loc[CHANGSHAN, "on_target"]
    province = values(two_counties, "resources_unified", "province").loc[ZHEJIANG]
    assert province["value"] == 50.0 and province["counties_on_target"] == 1


def test_a_count_is_the_sum(two_counties):
    assert values(two_counties, "referral_down", "province").loc[ZHEJIANG, "value"] == 150


def test_finished_rates_without_denominators_are_marked_unweighted(two_counties, tmp_path):
    mixed = tiny_copy(
        two_counties,
        tmp_path / "mixed.duckdb",
        f"delete from county_measures where county_adcode = {CHANGSHAN}"
        f" and measure like 'visits_residents%';"
        f"insert into county_metrics values ({CHANGSHAN}, 2025, 'county_visit_rate', 70.0, 'test',"
        f" false, 'office', null)",
    )
    counties = values(mixed, "county_visit_rate", "county")
    assert counties.loc[CHANGSHAN, "value"] == 70.0 and not counties.loc[CHANGSHAN, "weighted"]
    province = values(mixed, "county_visit_rate", "province").loc[ZHEJIANG]
    # no denominator for one county: the plain mean, and said so, never passed off as weighted
    assert province["value"] == 80.0 and not province["weighted"]
    assert province["numerator"] != province["numerator"]  # no sums are shown for it (NaN)


def test_a_county_missing_a_term_does_not_count(two_counties, tmp_path):
    partial = tiny_copy(
        two_counties,
        tmp_path / "partial.duckdb",
        f"delete from county_measures where county_adcode = {CHANGSHAN} and measure = 'population'",
    )
    province = values(partial, "posted_doctors_per_10k", "province").loc[ZHEJIANG]
    assert province["value"] == 2.0 and province["counties"] == 1  # 柯城区 alone
    con = db.connect(partial)
    try:
        card = db.run(con, "county_scorecard", {"county": CHANGSHAN, "year": 2025})
    finally:
        con.close()
    missing = card.set_index("indicator_id").loc["posted_doctors_per_10k", "missing_measures"]
    assert list(missing) == ["population"]


def test_the_scorecard_ranks_counties_and_carries_the_province_row(two_counties):
    con = db.connect(two_counties)
    try:
        card = db.run(con, "scorecard", {"province": ZHEJIANG, "year": 2025, "districts": True})
    finally:
        con.close()
    visit = card[card["indicator_id"] == "county_visit_rate"].set_index("adcode")
    assert visit.loc[KECHENG, "rank"] == 1 and visit.loc[CHANGSHAN, "rank"] == 2
    assert visit.loc[KECHENG, "ranked"] == 2
    assert visit.loc[ZHEJIANG, "value"] == 85.5 and visit.loc[ZHEJIANG, "is_province"]
    assert (visit.loc[ZHEJIANG, "numerator"], visit.loc[ZHEJIANG, "denominator"]) == (940, 1100)


def test_the_scorecard_leaves_urban_districts_out_unless_asked(two_counties):
    con = db.connect(two_counties)
    try:
        county_only = db.run(
            con, "scorecard", {"province": ZHEJIANG, "year": 2025, "districts": False}
        )
    finally:
        con.close()
    visit = county_only[county_only["indicator_id"] == "county_visit_rate"].set_index("adcode")
    # 柯城区 is a 市辖区: 常山县 alone is ranked, the province's own row still counts both
    assert KECHENG not in visit.index and visit.loc[CHANGSHAN, "rank"] == 1
    assert visit.loc[ZHEJIANG, "value"] == 85.5


@pytest.mark.parametrize(
    ("value", "target", "direction", "kind", "position"),
    [
        (None, 90, "higher", "ratio", None),
        (85.0, 90, "higher", "ratio", 0.9),
        (95.0, 90, "higher", "ratio", 0.1),
        (90.0, 90, "higher", "ratio", None),
        (12.0, 10, "lower", "ratio", None),
        (8.0, 10, "lower", "ratio", None),
        (100.0, None, "higher", "qualitative", None),
        (0.0, None, "higher", "qualitative", None),
        (2.3, None, "higher", "per_10k", 0.95),
        (2.3, None, "higher", "per_10k", 0.0),
        (0.6, None, "monitor", "per_capita_ratio", 0.5),
    ],
)
def test_a_cell_stands_as_status_says(value, target, direction, kind, position):
    import pandas as pd

    from dashboard import scorecard

    catalogue = pd.DataFrame(
        {"kind": [kind], "unit": ["%"], "direction": [direction], "target": [target]}
        | {"area": ["division"]},
        index=["x"],
    )
    cells = pd.DataFrame({"indicator_id": ["x"], "value": [value], "position": [position]})
    prepared = scorecard.prepared(cells, catalogue)
    assert prepared["standing"].iloc[0] == scorecard.status(
        value, target, direction, kind, position
    )
