"""What goes on a map: markers at places, lines between them, and the colour scale of a metric."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n, safe
from dashboard.charts.common import safe_text
from dashboard.colours import MARKS

HOVER_MAX_CHARS = 60  # a point's hover label; a longer name would run off the map


def metric_scale(info: pd.Series, lang: str = i18n.DEFAULT_LANG) -> dict:
    """choropleth() colour settings for a catalogue row: target, direction, unit."""
    target = info["target"]
    unit = i18n.code_label("metrics.units", info["unit"], lang)
    return {
        "target": None if pd.isna(target) else float(target),
        "higher_is_better": info["direction"] != "lower",
        "colorbar_title": unit,
        "percent": info["unit"] == "%",
        "unit_label": unit,
        "integer": info["unit"] != "%",
    }


def add_links(fig: go.Figure, links: pd.DataFrame, **kwargs) -> go.Figure:
    """lines_between() added to a figure made elsewhere."""
    return fig.add_traces(lines_between(links, **kwargs)) if len(links) else fig


def lines_between(
    links: pd.DataFrame,
    name: str,
    color: str = MARKS["light"]["link"],
    max_width: float = 4.0,
    from_name: str = "",
) -> list[dict]:
    """Lines between places, thicker for more alliances (links: from_/to_ lon, lat; alliances).
    from_name: the lines get a legend entry (name) and their starting places a marker with this
    legend entry (e.g. the lead's province), so a reader sees which way a line runs."""
    data: list[dict] = []
    if links.empty:
        return data
    top = float(links["alliances"].max())
    # One trace per width band keeps the figure small even with hundreds of links.
    bands = pd.cut(
        links["alliances"],
        bins=[0, top * 0.25, top * 0.5, top * 0.75, top],
        include_lowest=True,
        duplicates="drop",
    )
    for band, rows in links.groupby(bands, observed=True):
        lons: list[float | None] = []
        lats: list[float | None] = []
        for r in rows.itertuples():
            lons += [r.from_lon, r.to_lon, None]
            lats += [r.from_lat, r.to_lat, None]
        share = float(band.right) / top
        data.append(
            dict(
                type="scattergeo",
                lon=lons,
                lat=lats,
                mode="lines",
                name=name,
                hoverinfo="skip",
                showlegend=bool(from_name) and not data,
                legendgroup="links",
                line={"width": max(0.5, max_width * share), "color": color},
                opacity=0.25 + 0.5 * share,
            ),
        )
    if from_name:
        starts = links.drop_duplicates(["from_lon", "from_lat"])
        data.append(
            dict(
                type="scattergeo",
                lon=starts["from_lon"],
                lat=starts["from_lat"],
                mode="markers",
                name=from_name,
                hoverinfo="skip",
                marker={"size": 8, "color": color, "line": {"width": 1, "color": "white"}},
            )
        )
    return data


def add_points(fig: go.Figure, rows: pd.DataFrame, **kwargs) -> go.Figure:
    """points() added to a figure made elsewhere."""
    return fig.add_trace(points(rows, **kwargs))


def points(
    rows: pd.DataFrame,
    text: str = "name",
    size: str | float | None = None,
    color: str = "#2c3e50",
    name: str = "",
    detail: str = "",
    symbol: str = "circle",
) -> dict:
    """Markers at lon/lat with hover text, and `detail` (the same for every marker: sent once,
    not once per marker) after it; size: a column (pixels) or one size for all."""
    suffix = " · " + safe_text(pd.Series([detail])).iloc[0] if detail else ""
    return dict(
        type="scattergeo",
        # float32: a metre's precision, half the bytes of a province's thousand markers
        lon=rows["lon"].astype("float32"),
        lat=rows["lat"].astype("float32"),
        text=safe_text(
            rows[text].map(lambda v: safe.short(v, HOVER_MAX_CHARS), na_action="ignore")
        ),
        mode="markers",
        name=name,
        marker={
            "size": rows[size] if isinstance(size, str) else (size or 6),
            "color": color,
            "symbol": symbol,
            "opacity": 0.8,
            "line": {"width": 0.5, "color": "white"},
        },
        hovertemplate="%{text}" + suffix + "<extra></extra>",
        showlegend=bool(name),
    )
