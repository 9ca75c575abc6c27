"""What every kind of figure shares: the figure made from plain dicts, colours, number formats,
the target line, and names made safe for Plotly."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard import colours, i18n, safe


def _drop_none(part: dict) -> dict:
    """A figure part without its unset (None) settings, as Plotly's checks used to leave it."""
    return {
        k: _drop_none(v) if isinstance(v, dict) else v for k, v in part.items() if v is not None
    }


def figure(data: Sequence[dict] = (), layout: dict | None = None) -> go.Figure:
    """A figure made from plain dicts, without Plotly checking every property on the way: a
    tenth of the cost of graph_objects, most of a new view's figure work. Nothing is lost:
    tests/test_charts.py checks each kind of figure against Plotly's schema, and later
    update_layout/update_traces calls still refuse a setting Plotly does not know."""
    return go.Figure(
        {"data": [_drop_none(t) for t in data], "layout": _drop_none(layout or {})},
        _validate=False,
    )


def number_format(unit: str) -> str:
    """Plotly number format of a value in unit: one decimal for %, whole numbers otherwise."""
    return ".1f" if unit == "%" else ",.0f"


def colon(label: str) -> str:
    """The colon after a label: full-width after Chinese (县域内就诊率：), ': ' after English."""
    return "：" if re.search(r"[\u2e80-\u9fff]", str(label)) else ": "


def with_unit(unit_label: str) -> str:
    """The unit as written after a number: "90.9%" (no space, as Chinese typography and the
    tiles write it), "1,200 人次"."""
    if unit_label == "%":
        return "%"
    return f" {unit_label}" if unit_label else ""


def gap_phrase(
    gap: float | None, unit: str, lang: str = i18n.DEFAULT_LANG, unit_label: str = ""
) -> str:
    """A unit's distance to the target in words: 低于目标 2.1 个百分点 / 高于目标 0.4 个百分点
    (gap as the queries give it: positive = still short of the target)."""
    if gap is None or pd.isna(gap):
        return ""
    if abs(gap) < 0.05:
        return i18n.text("maps.gap_at", lang)
    key = "maps.gap_short" if gap > 0 else "maps.gap_beyond"
    points = i18n.text("maps.points_pct", lang) if unit == "%" else unit_label
    amount = f"{abs(gap):.1f}" if unit == "%" else f"{abs(gap):,.0f}"
    return " ".join(i18n.text(key, lang, amount=amount, points=points).split())


def target_label(target: float, unit: str, lang: str = i18n.DEFAULT_LANG) -> str:
    """What the target line says: 目标 90%."""
    return i18n.text("maps.target_label", lang, target=f"{target:g}", unit=unit)


def gap_axis(unit: str, unit_label: str, lang: str = i18n.DEFAULT_LANG) -> str:
    """The title of an axis of gaps to the target, with its unit: 差距（百分点）, 差距（元）."""
    if unit == "%":
        return i18n.text("maps.gap_axis_pct", lang)
    return i18n.text("maps.gap_axis", lang, unit=unit_label) if unit_label else ""


def safe_text(values: pd.Series) -> pd.Series:
    """Names shown by Plotly, with < and > escaped: Plotly reads a few HTML tags in text."""
    escaped = (
        values.astype(str)
        .str.replace(safe.CONTROL, "", regex=True)  # no bidi override mirrors a label
        .str.replace("<", "&lt;", regex=False)
        .str.replace(">", "&gt;", regex=False)
    )
    return escaped.astype(object).where(values.notna(), None)  # blank stays blank, not "None"


# Groups without a colour of their own (dashboard/colours.py): neither red nor blue.
PALETTE = colours.PALETTE


def target_line_style(theme: str = "light") -> dict:
    """The target line: dark (light on the dark theme) and above the bars, so it shows over red
    and blue bars alike."""
    return {"dash": "dash", "color": colours.TARGET_LINE[theme], "width": 2}


def target_line(axis: str, value: float, theme: str = "light", label: str = "") -> dict:
    """The dashed target line across the plot at value on axis 'x' or 'y' (a layout shape, as
    Plotly's add_hline makes it, without its cost on every figure)."""
    other = "y" if axis == "x" else "x"
    return {
        "type": "line",
        "layer": "above",
        "line": target_line_style(theme),
        f"{axis}ref": axis,
        f"{axis}0": value,
        f"{axis}1": value,
        f"{other}ref": f"{other} domain",
        f"{other}0": 0,
        f"{other}1": 1,
    } | (
        # the line says what it is: 目标 90%, at its end
        {"label": {"text": label, "textposition": "end", "font": {"size": 12}}} if label else {}
    )
