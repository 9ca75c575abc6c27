"""Bars, lines and histograms over a DataFrame."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import colours as meaning
from dashboard.charts.common import (
    PALETTE,
    colon,
    figure,
    number_format,
    safe_text,
    target_line,
    with_unit,
)
from dashboard.charts.fitting import shortened

LABEL_EM = 12  # a bar's name on a horizontal chart: longer ones end in … (full in the hover)


def _groups(frame: pd.DataFrame, color: str | None, colours: dict | None = None):
    """(name, rows, colour) per colour group in order of first appearance (one group if none);
    text columns escaped, since Plotly reads a few HTML tags in axis labels and legends.
    colours: a fixed colour per group name (e.g. below target red, meeting it blue); the
    colour of all bars under None when there are no groups."""
    texts = [
        c
        for c in frame.columns
        if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])
    ]
    frame = frame.assign(**{c: safe_text(frame[c]) for c in texts})
    if color is None:
        return [("", frame, (colours or {}).get(None, meaning.PLAIN["light"]))]
    names = list(dict.fromkeys(frame[color]))
    colours = colours or {}
    return [
        (str(n), frame[frame[color] == n], colours.get(n, PALETTE[i % len(PALETTE)]))
        for i, n in enumerate(names)
    ]


def _axes(x: str, y: str, labels: dict | None, height: int) -> dict:
    """The layout every bar, line and histogram chart shares: height, margins, axis titles."""
    labels = labels or {}
    return {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "legend": {"title": {"text": ""}},
        "xaxis": {"title": {"text": labels.get(x, x)}},
        "yaxis": {"title": {"text": labels.get(y, y)}},
    }


def _value_hover(category: str, value: str, name: str, unit: str, unit_label: str) -> str:
    """Hover of one bar or point: the category, then the value with its unit."""
    number = "%{" + value + ":" + number_format(unit) + "}" + with_unit(unit_label or unit)
    head = "%{" + category + "}"
    return head + "<br>" + (name + colon(name) if name else "") + number + "<extra></extra>"


def _integer_ticks(top: float | None = None) -> dict:
    """Whole-number ticks on a count axis (no 0.5 members)."""
    settings = {"tickformat": ",d", "rangemode": "tozero"}
    if top is not None and top <= 8:
        settings |= {"dtick": 1, "tick0": 0}
    return settings


def bars(
    frame: pd.DataFrame,
    x: str,
    y: str,
    color: str | None = None,
    height: int = 360,
    orientation: str = "v",
    labels: dict | None = None,
    target: float | None = None,
    text: str | None = None,
    unit: str = "",
    unit_label: str = "",
    integer: bool = False,
    colours: dict | None = None,
    label_em: float = LABEL_EM,
    tick_suffix: str = "",
    target_label: str = "",
) -> go.Figure:
    """Bar chart (stacked by color) with an optional target line. unit "%" writes values with
    one decimal and a %, unit_label names another unit in hovers; integer: counts, whole ticks.
    A horizontal chart's names are cut to label_em ems (the full name in the hover);
    tick_suffix: the unit after the value axis's numbers ("%")."""
    # Plain graph_objects, and the layout made as one dict: plotly.express costs ~20x more per
    # figure, and every update_layout call about a millisecond.
    value, category = (x, y) if orientation == "h" else (y, x)
    value_label = (labels or {}).get(value, "")
    full = None
    if orientation == "h" and len(frame):
        short = shortened(frame[y], label_em)
        full = "_full_name"
        frame = frame.assign(**{full: frame[y].astype(str), y: frame[y].astype(str).map(short)})
    traces = [
        dict(
            type="bar",
            x=rows[x],
            y=rows[y],
            customdata=rows[full] if full else None,
            name=name,
            orientation=orientation,
            marker={"color": colour},
            text=rows[text] if text else None,
            showlegend=color is not None,
            hovertemplate=_value_hover(
                ("customdata" if full else "y") if orientation == "h" else "x",
                "x" if orientation == "h" else "y",
                value_label,
                unit if not integer else "",
                unit_label,
            ),
        )
        for name, rows, colour in _groups(frame, color, colours)
    ]
    layout = _axes(x, y, labels, height) | {"barmode": "stack"}
    value_axis = "x" if orientation == "h" else "y"
    if tick_suffix:
        layout[f"{value_axis}axis"]["ticksuffix"] = tick_suffix
    if target is not None:
        layout["shapes"] = [target_line(value_axis, target, label=target_label)]
        values = pd.to_numeric(frame[value], errors="coerce").dropna()
        if len(values) and float(values.min()) >= 0:  # the target inside the plot
            layout[f"{value_axis}axis"]["range"] = [0, max(float(values.max()), target) * 1.05]
    if integer and len(frame):
        totals = frame.groupby(category)[value].sum() if color else frame[value]
        layout[f"{value_axis}axis"] |= _integer_ticks(float(totals.max()))
    return figure(traces, layout)


def lines(
    frame: pd.DataFrame,
    x: str,
    y: str,
    color: str | None = None,
    height: int = 360,
    labels: dict | None = None,
    target: float | None = None,
    unit: str = "",
    unit_label: str = "",
    integer: bool = False,
    hover_x: str | None = None,
    colours: dict | None = None,
    target_label: str = "",
) -> go.Figure:
    """Line chart over time with an optional target line; the time axis ends at the data's end.
    hover_x: a column of text the hover shows for x (a date as exact as its source); unit "%"
    puts a % after the value axis's numbers; colours: a fixed colour per line name."""
    value_label = (labels or {}).get(y, "")
    traces = [
        dict(
            type="scatter",
            x=rows[x],
            y=rows[y],
            text=rows[hover_x] if hover_x else None,
            name=name,
            mode="lines+markers",
            line={"color": colour},
            showlegend=color is not None,
            hovertemplate=_value_hover(
                "text" if hover_x else "x",
                "y",
                value_label,
                unit if not integer else "",
                unit_label,
            ).replace("<extra></extra>", "<extra>" + (name or "") + "</extra>"),
        )
        for name, rows, colour in _groups(frame, color, colours)
    ]
    layout = _axes(x, y, labels, height)
    if unit == "%" and not integer:
        layout["yaxis"]["ticksuffix"] = "%"
    if target is not None:
        layout["shapes"] = [target_line("y", target, label=target_label)]
        values = pd.to_numeric(frame[y], errors="coerce").dropna()
        if len(values):  # the target inside the plot, not drawn above it
            low, high = min(float(values.min()), target), max(float(values.max()), target)
            pad = max((high - low) * 0.08, 0.5)
            layout["yaxis"]["range"] = [low - pad, high + pad]
    if len(frame):
        first, last = frame[x].min(), frame[x].max()
        if pd.api.types.is_integer_dtype(frame[x]):  # years: one tick each, no 2019.5
            layout["xaxis"] |= {
                "tickformat": "d",
                "dtick": 1 if last - first <= 12 else 2,
                "range": [first - 0.3, last + 0.3],
            }
        elif pd.api.types.is_datetime64_any_dtype(frame[x]):
            layout["xaxis"]["range"] = [first, last]
    if integer and len(frame):
        layout["yaxis"] |= _integer_ticks(float(frame[y].max()))
    return figure(traces, layout)


def histogram(
    frame: pd.DataFrame,
    x: str,
    height: int = 360,
    labels: dict | None = None,
    target: float | None = None,
    unit: str = "",
) -> go.Figure:
    """Distribution of one value with an optional target line; the count axis in whole units."""
    trace = {
        "type": "histogram",
        "x": frame[x],
        "nbinsx": 40,
        "marker": {"color": meaning.PLAIN["light"]},
        "hovertemplate": "%{x}" + with_unit(unit) + "<br>%{y:,d}<extra></extra>",
    }
    layout = _axes(x, "count", labels, height)
    layout["yaxis"] |= _integer_ticks()
    if target is not None:
        layout["shapes"] = [target_line("x", target)]
    return figure([trace], layout)


def reference_points(fig: go.Figure, refs: pd.DataFrame, label: str, unit: str = "") -> go.Figure:
    """Published reference values (refs: year, value) on a line chart over years, as open
    diamonds with their label in the legend: what the statistics office said, beside our line."""
    if refs.empty:
        return fig
    return fig.add_trace(
        dict(
            type="scatter",
            x=refs["year"],
            y=refs["value"],
            mode="markers",
            name=label,
            marker={"symbol": "diamond-open", "size": 12, "line": {"width": 2}, "color": "#1b2631"},
            hovertemplate="%{x}: %{y}" + with_unit(unit) + "<extra>" + label + "</extra>",
            showlegend=True,
        )
    )
