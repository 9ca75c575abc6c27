"""Numbers, dates and Plotly's own words the reader's way (万, 2024年3月, a Chinese toolbar)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n

# Plotly's own words (toolbar tips, month names) in Chinese; plotly.js ships locales only as
# separate scripts, so the dictionary travels in each chart's config.
LOCALE_ZH = {
    "dictionary": {
        "Autoscale": "自动缩放",
        "Box Select": "框选",
        "Lasso Select": "套索选择",
        "Compare data on hover": "悬停时比较数据",
        "Show closest data on hover": "悬停时显示最近的数据",
        "Toggle show closest data on hover": "切换悬停显示最近的数据",
        "Toggle Spike Lines": "切换辅助线",
        "Double-click to zoom back out": "双击还原",
        "Double-click on legend to isolate one trace": "双击图例只看这一组",
        "Download plot as a png": "下载为 PNG 图片",
        "Download plot": "下载图片",
        "Pan": "平移",
        "Reset": "重置",
        "Reset axes": "重置坐标轴",
        "Reset view": "重置视图",
        "Reset views": "重置视图",
        "Snapshot succeeded": "图片已生成",
        "Sorry, there was a problem downloading your snapshot!": "抱歉，图片下载出错！",
        "Taking snapshot - this may take a few seconds": "正在生成图片，请稍候",
        "Zoom": "缩放",
        "Zoom in": "放大",
        "Zoom out": "缩小",
        "lat:": "纬度:",
        "lon:": "经度:",
        "trace": "数据组",
        "max:": "最大值:",
        "min:": "最小值:",
        "mean:": "平均值:",
        "median:": "中位数:",
    },
    "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "months": [f"{m}月" for m in range(1, 13)],
        "shortMonths": [f"{m}月" for m in range(1, 13)],
        "date": "%Y-%m-%d",
        "decimal": ".",
        "thousands": ",",
    },
}
# Date ticks by zoom level, in the reader's own order: 2024年3月, not "Mar 2024".
DATE_TICKS = {
    "zh": [
        {"dtickrange": [None, 86_400_000 * 27], "value": "%Y年%-m月%-d日"},
        {"dtickrange": [86_400_000 * 27, 86_400_000 * 360], "value": "%Y年%-m月"},
        {"dtickrange": [86_400_000 * 360, None], "value": "%Y年"},
    ],
    "en": [
        {"dtickrange": [None, 86_400_000 * 27], "value": "%Y-%m-%d"},
        {"dtickrange": [86_400_000 * 27, 86_400_000 * 360], "value": "%Y-%m"},
        {"dtickrange": [86_400_000 * 360, None], "value": "%Y"},
    ],
}


def plotly_config(base: dict, lang: str = i18n.DEFAULT_LANG) -> dict:
    """A chart's config in the reader's language: Plotly's toolbar and month names in Chinese."""
    if lang != "zh":
        return base | {"locale": "en"}
    return base | {"locale": "zh-CN", "locales": {"zh-CN": LOCALE_ZH}}


def _wan_ticks(top: float) -> tuple[list[float], list[str]]:
    """Ticks of an axis up to top counted in 万 (10,000): 0, 2万, 4万…"""
    steps = [1, 2, 5]
    magnitude = 1e4
    while True:
        for s in steps:
            step = s * magnitude
            if top / step <= 6:
                n = int(top // step) + 1
                values = [i * step for i in range(n + 1)]
                return values, ["0" if v == 0 else f"{v / 1e4:g}万" for v in values]
        magnitude *= 10


CARTESIAN = ("bar", "scatter", "histogram")


def localise(
    fig: go.Figure, lang: str = i18n.DEFAULT_LANG, layout: dict | None = None
) -> go.Figure:
    """Numbers and dates the reader's way: no SI letters (5k), 万 for large counts in Chinese,
    dates as 2024年3月; call after the figure is complete. layout: more settings for the same
    update (each update_layout call costs Plotly about a millisecond)."""
    changes: dict = {"separators": ".,", **(layout or {})}
    if not any(getattr(trace, "type", "") in CARTESIAN for trace in fig.data):
        return fig.update_layout(changes)  # a map: no axes to set
    for axis in ("xaxis", "yaxis"):
        layout_axis = fig.layout[axis]
        letter = axis[0]
        values = []
        dates = False
        for trace in fig.data:
            if getattr(trace, "type", "") not in CARTESIAN:
                continue
            column = getattr(trace, letter, None)
            if column is None:
                continue
            series = pd.Series(list(column))
            if (
                pd.api.types.is_datetime64_any_dtype(series)
                or series.map(lambda v: hasattr(v, "year") and hasattr(v, "month")).all()
            ):
                dates = True
            elif pd.api.types.is_numeric_dtype(series):
                values.append(series)
        years = bool(values) and all(
            s.dropna().between(1900, 2100).all() and (s.dropna() % 1 == 0).all() for s in values
        )
        if years and layout_axis.type != "category":  # whole years: 2024, never 2,024 or 2023.5
            changes[axis] = {"tickformat": "d", "separatethousands": False}
            if layout_axis.dtick is None:
                span = max(float(s.max()) for s in values) - min(float(s.min()) for s in values)
                changes[axis]["dtick"] = 1 if span <= 12 else 2
            continue
        if dates:
            changes[axis] = {"tickformatstops": DATE_TICKS[lang], "hoverformat": "%Y-%m-%d"}
            continue
        changes[axis] = {"exponentformat": "none", "separatethousands": True}
        if lang == "zh" and values and layout_axis.tickvals is None:
            stacked = fig.layout.barmode == "stack"
            frame = pd.concat(values, axis=1)
            top = float(frame.sum(axis=1).max() if stacked else frame.max().max())
            if top >= 20_000:
                tickvals, ticktext = _wan_ticks(top)
                changes[axis] |= {"tickvals": tickvals, "ticktext": ticktext}
    return fig.update_layout(changes)
