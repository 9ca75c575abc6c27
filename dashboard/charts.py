"""Figure builders: DataFrame in, Plotly figure out. No Streamlit, no SQL."""

from __future__ import annotations

import json
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from dashboard import safe

# Conic equal-area centred on China; the base map is hidden, only our own boundaries draw.
GEO = {
    "visible": False,
    "projection": {"type": "conic equal area", "rotation": {"lon": 105}, "parallels": [25, 47]},
    "fitbounds": "locations",
    "bgcolor": "rgba(0,0,0,0)",
}
# The whole country, South China Sea islands included; fitbounds draws it far too small.
CHINA_GEO = GEO | {
    "fitbounds": False,
    "lonaxis": {"range": [73, 136]},
    "lataxis": {"range": [3, 54]},
}
DIVERGING = "RdYlBu"  # red below the target, blue above it
SEQUENTIAL = "Blues"
MISSING_GREY = "#d9d9d9"


class Shapes(NamedTuple):
    """What a choropleth draws: the URL of the boundaries, the ids to draw, their bounding box
    (lon0, lat0, lon1, lat1)."""

    url: str
    ids: list[str]
    box: tuple[float, float, float, float] | None


def extent(geometry: dict) -> tuple[float, float, float, float]:
    """Bounding box (lon0, lat0, lon1, lat1) of a GeoJSON geometry."""
    lons: list[float] = []
    lats: list[float] = []

    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            lons.append(coords[0])
            lats.append(coords[1])
        else:
            for c in coords:
                walk(c)

    walk(geometry["coordinates"])
    return min(lons), min(lats), max(lons), max(lats)


def bounds(box: tuple[float, float, float, float] | None, pad: float = 0.04) -> dict:
    """Explicit lon/lat ranges around a box (fitbounds misjudges the conic projection)."""
    if box is None:
        return CHINA_GEO
    lon0, lat0, lon1, lat1 = box
    dx, dy = (lon1 - lon0) * pad + 0.05, (lat1 - lat0) * pad + 0.05
    return GEO | {
        "fitbounds": False,
        "projection": GEO["projection"] | {"rotation": {"lon": (lon0 + lon1) / 2}},
        "lonaxis": {"range": [lon0 - dx, lon1 + dx]},
        "lataxis": {"range": [lat0 - dy, lat1 + dy]},
    }


def _layout(fig: go.Figure, height: int, uirevision: str, geo: dict) -> go.Figure:
    fig.update_layout(
        height=height, margin={"l": 0, "r": 0, "t": 10, "b": 0}, uirevision=uirevision, geo=geo
    )
    return fig


def choropleth(
    frame: pd.DataFrame,
    shapes: Shapes,
    value_label: str,
    hover_name: str = "name",
    target: float | None = None,
    higher_is_better: bool = True,
    uirevision: str = "map",
    height: int = 560,
    colorbar_title: str = "",
    national: bool = False,
    percent: bool = False,
) -> go.Figure:
    """Areas coloured by value; with a target, the scale diverges at the target (and a
    percentage scale stops at 0 and 100). The boundaries come from shapes.url, so the figure
    carries only ids and values."""
    frame = frame[frame["adcode"].astype(str).isin(set(shapes.ids))]
    z = frame["value"]
    line = {"width": 0.4, "color": "white"}
    trace = {
        "geojson": shapes.url,
        "locations": frame["adcode"].astype(str),
        "featureidkey": "id",
        "z": z,
        "text": safe_text(frame[hover_name]),
        "hovertemplate": "%{text}<br>" + value_label + ": %{z}<extra></extra>",
        "marker": {"line": line},
        "colorbar": {"title": {"text": colorbar_title}, "thickness": 12},
    }
    if target is not None and len(z):
        spread = max(abs(float(z.max()) - target), abs(target - float(z.min())), 1.0)
        low, high = target - spread, target + spread
        if percent:
            low, high = max(low, 0.0), min(high, 100.0)
        trace.update(
            colorscale=DIVERGING,
            zmid=target,
            zmin=low,
            zmax=high,
            reversescale=not higher_is_better,
        )
    else:
        trace.update(colorscale=SEQUENTIAL)
    fig = go.Figure()
    # Regions without a value still show, in grey, underneath, so the map never has holes.
    missing = sorted(set(shapes.ids) - set(trace["locations"]))
    if missing:
        fig.add_trace(
            go.Choropleth(
                geojson=shapes.url,
                locations=missing,
                featureidkey="id",
                z=[0] * len(missing),
                colorscale=[[0, MISSING_GREY], [1, MISSING_GREY]],
                showscale=False,
                hoverinfo="skip",
                marker={"line": line},
            )
        )
    fig.add_trace(go.Choropleth(**trace))
    return _layout(fig, height, uirevision, CHINA_GEO if national else bounds(shapes.box))


def safe_text(values: pd.Series) -> pd.Series:
    """Names shown by Plotly, with < and > escaped: Plotly reads a few HTML tags in text."""
    escaped = (
        values.astype(str)
        .str.replace(safe.CONTROL, "", regex=True)  # no bidi override mirrors a label
        .str.replace("<", "&lt;", regex=False)
        .str.replace(">", "&gt;", regex=False)
    )
    return escaped.astype(object).where(values.notna(), None)  # blank stays blank, not "None"


def metric_scale(info: pd.Series) -> dict:
    """choropleth() colour settings for a catalogue row: target, direction, unit."""
    target = info["target"]
    return {
        "target": None if pd.isna(target) else float(target),
        "higher_is_better": info["direction"] != "lower",
        "colorbar_title": info["unit"],
        "percent": info["unit"] == "%",
    }


def add_lines(fig: go.Figure, geojson_text: str, color: str = "#555555") -> go.Figure:
    """Draw (Multi)LineString features, e.g. the South China Sea dash line."""
    data = json.loads(geojson_text)
    features = data.get("features", [data])
    lons: list[float | None] = []
    lats: list[float | None] = []
    for feature in features:
        geometry = feature.get("geometry", feature)
        parts = geometry["coordinates"]
        if geometry["type"] == "LineString":
            parts = [parts]
        for part in parts:
            lons += [p[0] for p in part] + [None]
            lats += [p[1] for p in part] + [None]
    fig.add_trace(
        go.Scattergeo(
            lon=lons,
            lat=lats,
            mode="lines",
            hoverinfo="skip",
            line={"width": 1, "color": color},
            showlegend=False,
        )
    )
    return fig


def add_links(
    fig: go.Figure, links: pd.DataFrame, name: str, color: str = "#7b241c", max_width: float = 4.0
) -> go.Figure:
    """Lines between places, thicker for more alliances (links: from_/to_ lon, lat; alliances)."""
    if links.empty:
        return fig
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
        fig.add_trace(
            go.Scattergeo(
                lon=lons,
                lat=lats,
                mode="lines",
                name=name,
                hoverinfo="skip",
                showlegend=False,
                line={"width": max(0.5, max_width * share), "color": color},
                opacity=0.25 + 0.5 * share,
            )
        )
    return fig


def add_points(
    fig: go.Figure,
    points: pd.DataFrame,
    text: str = "name",
    size: str | None = None,
    color: str = "#2c3e50",
    name: str = "",
) -> go.Figure:
    """Markers at lon/lat with hover text; optional size column (pixels)."""
    fig.add_trace(
        go.Scattergeo(
            lon=points["lon"],
            lat=points["lat"],
            text=safe_text(
                points[text].map(lambda v: safe.short(v, HOVER_MAX_CHARS), na_action="ignore")
            ),
            mode="markers",
            name=name,
            marker={
                "size": points[size] if size else 6,
                "color": color,
                "opacity": 0.8,
                "line": {"width": 0.5, "color": "white"},
            },
            hovertemplate="%{text}<extra></extra>",
            showlegend=bool(name),
        )
    )
    return fig


PALETTE = [
    "#c0392b",
    "#2e86c1",
    "#27ae60",
    "#f39c12",
    "#8e44ad",
    "#16a085",
    "#7f8c8d",
    "#d35400",
    "#2c3e50",
    "#e84393",
    "#00b894",
    "#6c5ce7",
]
HOVER_MAX_CHARS = 60  # a point's hover label; a longer name would run off the map
TARGET_LINE = {"line_dash": "dash", "line_color": "#c0392b"}


def _groups(frame: pd.DataFrame, color: str | None):
    """(name, rows, colour) per colour group in order of first appearance (one group if none);
    text columns escaped, since Plotly reads a few HTML tags in axis labels and legends."""
    texts = [
        c
        for c in frame.columns
        if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])
    ]
    frame = frame.assign(**{c: safe_text(frame[c]) for c in texts})
    if color is None:
        return [("", frame, PALETTE[1])]
    names = list(dict.fromkeys(frame[color]))
    return [
        (str(n), frame[frame[color] == n], PALETTE[i % len(PALETTE)]) for i, n in enumerate(names)
    ]


def _axes(fig: go.Figure, x: str, y: str, labels: dict | None, height: int) -> go.Figure:
    labels = labels or {}
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend_title_text="",
        xaxis_title=labels.get(x, x),
        yaxis_title=labels.get(y, y),
    )
    return fig


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
) -> go.Figure:
    """Bar chart (stacked by color) with an optional target line."""
    # Plain graph_objects: plotly.express costs ~20x more per figure on every rerun.
    fig = go.Figure()
    for name, rows, colour in _groups(frame, color):
        fig.add_trace(
            go.Bar(
                x=rows[x],
                y=rows[y],
                name=name,
                orientation=orientation,
                marker_color=colour,
                text=rows[text] if text else None,
                showlegend=color is not None,
            )
        )
    if target is not None:
        if orientation == "h":
            fig.add_vline(x=target, **TARGET_LINE)
        else:
            fig.add_hline(y=target, **TARGET_LINE)
    fig.update_layout(barmode="stack")
    return _axes(fig, x, y, labels, height)


def lines(
    frame: pd.DataFrame,
    x: str,
    y: str,
    color: str | None = None,
    height: int = 360,
    labels: dict | None = None,
    target: float | None = None,
) -> go.Figure:
    """Line chart over time with an optional target line."""
    fig = go.Figure()
    for name, rows, colour in _groups(frame, color):
        fig.add_trace(
            go.Scatter(
                x=rows[x],
                y=rows[y],
                name=name,
                mode="lines+markers",
                line_color=colour,
                showlegend=color is not None,
            )
        )
    if target is not None:
        fig.add_hline(y=target, **TARGET_LINE)
    return _axes(fig, x, y, labels, height)


def histogram(
    frame: pd.DataFrame,
    x: str,
    height: int = 360,
    labels: dict | None = None,
    target: float | None = None,
) -> go.Figure:
    """Distribution of one value with an optional target line."""
    fig = go.Figure(go.Histogram(x=frame[x], nbinsx=40, marker_color=PALETTE[1]))
    if target is not None:
        fig.add_vline(x=target, **TARGET_LINE)
    return _axes(fig, x, "count", labels, height)
