"""Values made readable: numbers, money, dates, names in a language. Pure; no Streamlit."""

from __future__ import annotations

import pandas as pd

from dashboard import i18n

DASH = "—"  # shown where the data has no value


def given(value) -> bool:
    """A value the data actually has (not None, NaN or empty)."""
    return bool(value) if isinstance(value, str) else bool(pd.notna(value))


def text(value) -> str:
    """The value as text, a dash where the data has none."""
    return str(value) if given(value) else DASH


def number(value: float) -> str:
    """1.4 → '1.4', 2.0 → '2', 3000 → '3,000'."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def metric_value(value, unit: str, lang: str = i18n.DEFAULT_LANG) -> str:
    """An indicator's value for a tile (indicator_value, with its unit)."""
    return indicator_value(value, unit, lang)


# Decimals of an indicator's value by its unit (the same as schema.sql's indicator_round).
UNIT_DECIMALS = {"%": 1, "per_100k": 1, "per_10k": 2, "ratio": 2}


def indicator_value(value, unit: str, lang: str = i18n.DEFAULT_LANG, with_unit: bool = True) -> str:
    """An indicator's value as officials read it: 88.4%, 1.96 人/万人口, 9,375 元, 0.62; a dash
    where there is none."""
    if value is None or pd.isna(value):
        return DASH
    decimals = UNIT_DECIMALS.get(unit, 0)
    number = f"{value:,.{decimals}f}"
    if unit == "%":
        return number + "%"
    if not with_unit or unit in ("ratio", "count"):
        return number
    label = i18n.code_label("metrics.units", unit, lang)
    return f"{number} {label}" if lang == "en" or unit != "per_100k" else f"{number}{label}"


def change(value, unit: str, lang: str = i18n.DEFAULT_LANG) -> str:
    """A change on the year before with its sign and unit: +0.3 个百分点 / +0.3 pts, −120 元."""
    if value is None or pd.isna(value):
        return DASH
    decimals = UNIT_DECIMALS.get(unit, 0)
    if round(float(value), decimals) == 0:
        return i18n.text("fmt.no_change", lang)
    sign = "+" if value > 0 else "−"
    number = f"{abs(value):,.{decimals}f}"
    if unit == "%":
        return sign + i18n.text("fmt.points", lang, n=number)
    if unit in ("ratio", "count"):
        return sign + number
    return sign + indicator_value(abs(value), unit, lang)


def money(amount_cny: float, lang: str) -> str:
    """An amount read the way officials say it: 2亿元 / 300万元, or CNY 200 million."""
    key = "alliances.money_yi" if amount_cny >= 1e8 else "alliances.money_wan"
    yi, wan, m = number(amount_cny / 1e8), number(amount_cny / 1e4), number(amount_cny / 1e6)
    return i18n.text(key, lang, yi=yi, wan=wan, m=m)


def money_axis(largest_cny: float, lang: str) -> tuple[float, str]:
    """Divisor and axis title for amounts up to largest_cny: 亿元 or 万元, CNY million in English."""
    if lang == "en":
        divisor, key = 1e6, "alliances.axis_yi"
    elif largest_cny >= 1e8:
        divisor, key = 1e8, "alliances.axis_yi"
    else:
        divisor, key = 1e4, "alliances.axis_wan"
    return divisor, i18n.text(key, lang)


def stated(value: float, qualifier: str | None, lang: str) -> str:
    """A stated figure with its qualifier: 110 and '+' → '110+', 50 and '~' → '约50'."""
    shown = number(value)
    if qualifier == "+":
        return f"{shown}+"
    if qualifier == "~":
        return i18n.text("alliances.approx", lang, v=shown)
    return shown


PRECISIONS = ("day", "month", "year", "by")
# English month names as officials' English briefings write them: short, but never "Jun" or "Jul".
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "June", "July", "Aug", "Sep", "Oct", "Nov", "Dec")


def dated(value, precision: str | None, lang: str) -> str:
    """A date exactly as its source gives it, the one way every surface writes a date:
    day 2017年12月9日 / 9 Dec 2017, month 2017年6月 / June 2017, year 1995年 / 1995, or by
    (not later than: the article's date stands in for a date it does not give)
    不晚于2017年9月5日 / by 5 Sep 2017. Blank where there is no date; None reads as day."""
    if not given(value):
        return ""
    day = pd.Timestamp(value)
    y, m, d = day.year, day.month, day.day
    month_en = MONTHS_EN[m - 1]
    if precision == "year":
        return i18n.text("date.year", lang, y=y)
    if precision == "month":
        return i18n.text("date.month", lang, y=y, m=m, month=month_en)
    shown = i18n.text("date.day", lang, y=y, m=m, d=d, month=month_en)
    return i18n.text("date.by", lang, date=shown) if precision == "by" else shown


def dates(column: pd.Series, lang: str) -> pd.Series:
    """A column of dates given to the day (e.g. when a member left), blank where there is none."""
    return dates_with(column, pd.Series("day", index=column.index), lang)


def dates_with(column: pd.Series, precision: pd.Series, lang: str) -> pd.Series:
    """A column of dates, each as exact as its precision (blank where there is no date)."""
    return pd.Series(
        [
            dated(v, p if isinstance(p, str) else None, lang)
            for v, p in zip(column, precision, strict=True)
        ],
        index=column.index,
        dtype=object,
    )


def months(column: pd.Series) -> pd.Series:
    """Months as YYYY-MM text."""
    return column.dt.strftime("%Y-%m")


def in_language(frame: pd.DataFrame, column: str, lang: str) -> pd.Series:
    """A name column in lang: in English its column_en twin, the Chinese name where it has none."""
    if lang == "en":
        return frame[f"{column}_en"].fillna(frame[column])
    return frame[column]


def unit_names(frame: pd.DataFrame, level: str, with_province: bool, lang: str) -> pd.Series:
    """Readable, unique names of units: a county or city gets its province when all of China
    is shown (朝阳区 is in Beijing and in Changchun), the adcode if still not unique."""
    own = in_language(frame, "name", lang)
    if level != "province" and with_province:
        province = in_language(frame, "province_name", lang)
        suffix = (" (" + province + ")") if lang == "en" else ("（" + province + "）")
        # A county directly under its province is counted with the province at city level.
        own = own.where(frame["adcode"] % 10000 == 0, own + suffix)
    duplicated = own.duplicated(keep=False)
    return own.where(~duplicated, own + " " + frame["adcode"].astype(str))
