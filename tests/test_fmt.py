"""dashboard.fmt: pure formatting of numbers, money, dates and names."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import fmt


@pytest.mark.parametrize(
    ("value", "text"), [(1.4, "1.4"), (2.0, "2"), (3000, "3,000"), (0.125, "0.12"), (0, "0")]
)
def test_number_drops_trailing_zeros(value, text):
    assert fmt.number(value) == text


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (87.26, "%", "87.3%"),
        (12345.6, "visits", "12,346 人次"),
        (1.964, "per_10k", "1.96 人/万人口"),
        (312.14, "per_100k", "312.1/10万"),
        (9375.4, "cny", "9,375 元"),
        (0.688, "ratio", "0.69"),
        (None, "%", "—"),
        (math.nan, "people", "—"),
    ],
)
def test_indicator_values_read_with_their_unit(value, unit, text):
    assert fmt.metric_value(value, unit) == text


@pytest.mark.parametrize(
    ("value", "unit", "lang", "text"),
    [
        (0.34, "%", "zh", "+0.3 个百分点"),
        (-1.26, "%", "en", "−1.3 pts"),
        (0.01, "%", "zh", "持平"),
        (600, "cny", "zh", "+600 元"),
    ],
)
def test_a_change_has_its_sign_and_unit(value, unit, lang, text):
    assert fmt.change(value, unit, lang) == text


@pytest.mark.parametrize(
    ("amount", "zh", "en"),
    [
        (2e8, "2亿元", "CNY 200 million"),
        (1.5e8, "1.5亿元", "CNY 150 million"),
        (3e6, "300万元", "CNY 3 million"),
    ],
)
def test_money_reads_as_officials_say_it(amount, zh, en):
    assert fmt.money(amount, "zh") == zh
    assert fmt.money(amount, "en") == en


def test_money_axis_follows_the_largest_amount():
    assert fmt.money_axis(2e8, "zh") == (1e8, "金额（亿元）")
    assert fmt.money_axis(3e6, "zh") == (1e4, "金额（万元）")
    assert fmt.money_axis(3e6, "en")[0] == 1e6


@pytest.mark.parametrize(
    ("qualifier", "zh", "en"),
    [("+", "110+", "110+"), ("~", "约110", "about 110"), (None, "110", "110")],
)
def test_stated_figure_keeps_its_qualifier(qualifier, zh, en):
    assert fmt.stated(110.0, qualifier, "zh") == zh
    assert fmt.stated(110.0, qualifier, "en") == en


@pytest.mark.parametrize(
    ("value", "has"), [("x", True), ("", False), (None, False), (math.nan, False), (0, True)]
)
def test_given(value, has):
    assert fmt.given(value) is has
    assert fmt.text(value) == (str(value) if has else fmt.DASH)


def test_dates_and_months():
    column = pd.Series(pd.to_datetime(["2017-06-04", None]))
    assert fmt.dates(column, "zh").tolist() == ["2017年6月4日", ""]
    assert fmt.dates(column, "en").tolist() == ["4 June 2017", ""]
    assert fmt.months(column.dropna()).tolist() == ["2017-06"]


@pytest.mark.parametrize(
    ("value", "precision", "zh", "en"),
    [
        ("2017-06-01", "month", "2017年6月", "June 2017"),
        ("2017-09-05", "by", "不晚于2017年9月5日", "by 5 Sep 2017"),
        ("2010-09-01", "month", "2010年9月", "Sep 2010"),
        ("1995-01-01", "year", "1995年", "1995"),
        ("2017-12-09", "day", "2017年12月9日", "9 Dec 2017"),
        ("2018-07-20", None, "2018年7月20日", "20 July 2018"),
        (None, "by", "", ""),
    ],
)
def test_a_date_reads_as_exactly_as_its_source(value, precision, zh, en):
    """The one way every surface writes a date: as exact as the article gives it."""
    day = pd.Timestamp(value) if value else None
    assert fmt.dated(day, precision, "zh") == zh
    assert fmt.dated(day, precision, "en") == en
    column = pd.Series([day], dtype="datetime64[ns]")
    assert fmt.dates_with(column, pd.Series([precision]), "en").tolist() == [en]


def test_in_language_falls_back_to_chinese():
    frame = pd.DataFrame({"name": ["浙江省", "某县"], "name_en": ["Zhejiang", None]})
    assert fmt.in_language(frame, "name", "zh").tolist() == ["浙江省", "某县"]
    assert fmt.in_language(frame, "name", "en").tolist() == ["Zhejiang", "某县"]


def test_unit_names_are_unique_across_china():
    frame = pd.DataFrame(
        {
            "adcode": [110105, 220104, 500101, 500102],
            "name": ["朝阳区", "朝阳区", "万州区", "万州区"],
            "name_en": [None, None, None, None],
            "province_name": ["北京市", "吉林省", "重庆市", "重庆市"],
            "province_name_en": ["Beijing", "Jilin", "Chongqing", "Chongqing"],
        }
    )
    names = fmt.unit_names(frame, "county", with_province=True, lang="zh").tolist()
    assert names[:2] == ["朝阳区（北京市）", "朝阳区（吉林省）"]
    assert names[2:] == ["万州区（重庆市） 500101", "万州区（重庆市） 500102"]
    assert fmt.unit_names(frame, "county", with_province=True, lang="en")[0] == "朝阳区 (Beijing)"
    assert fmt.unit_names(frame.head(2), "county", with_province=False, lang="zh").tolist() == [
        "朝阳区 110105",
        "朝阳区 220104",
    ]
