"""Figure builders: DataFrame in, Plotly figure out. No Streamlit, no SQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from dashboard import geo, i18n, safe

# Conic equal-area centred on China; the base map is hidden, only our own boundaries draw.
GEO = {
    "visible": False,
    "projection": {
        "type": "conic equal area",
        "rotation": {"lon": geo.CENTRE_LON},
        "parallels": list(geo.PARALLELS),
    },
    "fitbounds": "locations",
    "bgcolor": "rgba(0,0,0,0)",
}
# The mainland down to Hainan; the South China Sea islands go into the 南海诸岛 inset.
CHINA_GEO = GEO | {
    "fitbounds": False,
    "lonaxis": {"range": list(geo.CHINA_LON)},
    "lataxis": {"range": list(geo.CHINA_LAT)},
}
NATIONAL_COLORBAR = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "y": 0.07,
    "yanchor": "bottom",
    "len": 0.3,
    "thickness": 10,
}
DIVERGING = "RdYlBu"  # red below the target, blue above it
SEQUENTIAL = "Blues"
MISSING_GREY = "#d9d9d9"
BELOW_COLOUR, MEETING_COLOUR = "#d73027", "#4575b4"  # the two ends of DIVERGING
# Colours of what is not data: land around the units, islands, the dash line, the inset frame.
THEMES = {
    "light": {
        "context": "#eceff2",
        "plain": "#fbfcfd",
        "context_edge": "#a9b3bd",
        "edge": "#ffffff",
        "missing": MISSING_GREY,
        "island": "#1f3a5f",
        "dash": "#34495e",
        "frame": "#7f8c8d",
        "inset_bg": "#ffffff",
        "text": "#2c3e50",
        "lead": "#c0392b",
        "member": "#2c3e50",
        "link": "#7b241c",
    },
    "dark": {
        "context": "#1a2840",
        "plain": "#22324f",
        "context_edge": "#4d6382",
        "edge": "#0b1424",
        "missing": "#2a3a55",
        "island": "#f5d76e",
        "dash": "#c9d6e3",
        "frame": "#6f89a8",
        "inset_bg": "#0b1424",
        "text": "#e8eef7",
        "lead": "#ff6b5b",
        "member": "#e8eef7",
        "link": "#f5b041",
    },
}


class Shapes(NamedTuple):
    """What a choropleth draws: the URL of the boundaries, the ids to draw, their bounding box
    (lon0, lat0, lon1, lat1)."""

    url: str
    ids: list[str]
    box: tuple[float, float, float, float] | None
    sea: bool = False  # some units lie out in the South China Sea, outside box: draw the inset


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


def _map_layout(height: int, uirevision: str, geo_: dict) -> dict:
    return {
        "height": height,
        "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "uirevision": uirevision,
        "geo": geo_,
    }


def number_format(unit: str) -> str:
    """Plotly number format of a value in unit: one decimal for %, whole numbers otherwise."""
    return ".1f" if unit == "%" else ",.0f"


def with_unit(unit_label: str) -> str:
    """The unit as written after a number: "90.9 %", "1,200 人次"."""
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


def map_caption(lang: str = i18n.DEFAULT_LANG) -> str:
    """What every map says under it: a schematic map, and whose boundaries it draws (short
    enough for a phone's width; the Data page and data/boundaries/ATTRIBUTION.md say more)."""
    return i18n.text("maps.caption_short", lang)


def _caption(lang: str, theme: str) -> dict:
    return {
        "text": map_caption(lang),
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 0,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 11, "color": THEMES[theme]["frame"]},
    }


def _plain_units(
    shapes: Shapes, colour: str, edge: str, width: float, geo_name: str = "geo"
) -> dict:
    """The units of shapes in one colour, without hover: land under what a map shows."""
    return dict(
        type="choropleth",
        geojson=shapes.url,
        locations=shapes.ids,
        featureidkey="id",
        z=[0] * len(shapes.ids),
        colorscale=[[0, colour], [1, colour]],
        showscale=False,
        hoverinfo="skip",
        marker={"line": {"width": width, "color": edge}},
        geo=geo_name,
    )


def _context(shapes: Shapes, theme: str, geo_name: str = "geo") -> dict:
    """Land drawn plain under the units: China's provinces around a part of it."""
    colours = THEMES[theme]
    return _plain_units(shapes, colours["context"], colours["context_edge"], 0.6, geo_name)


def south_sea_inset(lang: str = i18n.DEFAULT_LANG, theme: str = "light") -> list[dict]:
    """The 南海诸岛 inset at the lower right of the national map, as official maps draw it: the
    coast, every island as a dot, the ten-dash line, in a frame with its title. It is drawn in the
    map's own coordinates, so it stays in the corner at any width."""
    colours = THEMES[theme]
    frame_lon, frame_lat = geo.inset_frame()
    url = geo.url("inset")
    data: list[dict] = []
    data.append(  # the background, among the choropleths: nothing of the main map shows through
        dict(
            type="choropleth",
            geojson=url,
            locations=[geo.INSET_BACKGROUND],
            featureidkey="id",
            z=[0],
            colorscale=[[0, colours["inset_bg"]], [1, colours["inset_bg"]]],
            showscale=False,
            hoverinfo="skip",
            marker={"line": {"width": 0}},
        ),
    )
    ids = geo.inset_ids()
    data.append(
        dict(
            type="choropleth",
            geojson=url,
            locations=ids,
            featureidkey="id",
            z=[0] * len(ids),
            colorscale=[[0, colours["context"]], [1, colours["context"]]],
            showscale=False,
            hoverinfo="skip",
            marker={"line": {"width": 0.6, "color": colours["context_edge"]}},
        ),
    )
    data.append(
        dict(
            type="scattergeo",
            lon=frame_lon,
            lat=frame_lat,
            mode="lines",
            line={"width": 1.2, "color": colours["frame"]},
            hoverinfo="skip",
            showlegend=False,
        ),
    )
    lons, lats = geo.south_sea_islands(inset=True)
    data.append(
        dict(
            type="scattergeo",
            lon=list(lons),
            lat=list(lats),
            mode="markers",
            marker={"size": 3, "color": colours["island"]},
            hoverinfo="skip",
            showlegend=False,
        ),
    )
    dash_lon, dash_lat = geo.dashline(inset=True)
    data.append(
        dict(
            type="scattergeo",
            lon=dash_lon,
            lat=dash_lat,
            mode="lines",
            line={"width": 1.6, "color": colours["dash"]},
            hoverinfo="skip",
            showlegend=False,
        ),
    )
    title_lon, title_lat = geo.to_inset(
        geo.SOUTH_SEA["lon"][1] - 0.6, geo.SOUTH_SEA["lat"][0] + 0.6
    )
    data.append(
        dict(
            type="scattergeo",
            lon=[title_lon],
            lat=[title_lat],
            mode="text",
            text=[i18n.text("maps.south_sea", lang)],
            textposition="top left",
            textfont={"color": colours["text"]},  # the figure's font size: large on the kiosk
            hoverinfo="skip",
            showlegend=False,
        ),
    )
    return data


def _dash_on_main(theme: str) -> dict:
    # Only the dashes inside the main window (east of Taiwan); the rest is in the inset.
    lons, lats = geo.dashline(main=True)
    return dict(
        type="scattergeo",
        lon=lons,
        lat=lats,
        mode="lines",
        hoverinfo="skip",
        line={"width": 1.2, "color": THEMES[theme]["dash"]},
        showlegend=False,
    )


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
    unit_label: str = "",
    lang: str = i18n.DEFAULT_LANG,
    theme: str = "light",
    context: Shapes | None = None,
    integer: bool = False,
    caption: bool = True,
    colorbar: dict | None = None,
    on_top: Sequence[dict] = (),
) -> go.Figure:
    """Areas coloured by value; with a target, the scale diverges at the target (and a
    percentage scale stops at 0 and 100). The boundaries come from shapes.url, so the figure
    carries only ids and values.

    national: all of China with the 南海诸岛 inset; context: land drawn plain underneath (the
    provinces around a part of China); integer: a colour bar of whole numbers (counts);
    on_top: more traces drawn over it (points(), links())."""
    colours = THEMES[theme]
    frame = frame[frame["adcode"].astype(str).isin(set(shapes.ids))]
    z = frame["value"]
    unit = "%" if percent else ""
    line = {"width": 0.4, "color": colours["edge"]}
    hover = "%{text}<br>" + value_label + ": %{z:" + number_format(unit) + "}"
    hover += with_unit(unit_label or unit)
    customdata = None
    if target is not None and "gap" in frame:
        customdata = [[gap_phrase(g, unit, lang, unit_label)] for g in frame["gap"]]
        hover += "<br>%{customdata[0]}"
    trace = {
        "geojson": shapes.url,
        "locations": frame["adcode"].astype(str),
        "featureidkey": "id",
        "z": z,
        "text": safe_text(frame[hover_name]),
        "customdata": customdata,
        "hovertemplate": hover + "<extra></extra>",
        "marker": {"line": line},
        "colorbar": {
            "title": {"text": colorbar_title, "side": "top" if national else None},
            "thickness": 12,
            "len": 0.8,
            "y": 0.5,
            "yanchor": "middle",
            "tickformat": ",d" if integer else None,
            "dtick": 1 if integer and len(z) and float(z.max()) - float(z.min()) <= 8 else None,
        }
        # National: a horizontal bar in the empty lower left, so the map gets the whole width
        # (on a phone, too) and the inset keeps the lower right.
        | (NATIONAL_COLORBAR if national else {})
        | (colorbar or {}),
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
    annotations = [_caption(lang, theme)] if caption else []
    if shapes.sea and not national:  # Hainan: the main island fills the frame, a note on the sea
        annotations.insert(
            0,
            {
                # two lines: on a phone one line would be cut before "the national map"
                "text": "<br>".join(i18n.text(f"maps.sea_note_{n}", lang) for n in (1, 2)),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 1,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "align": "left",
                "font": {"size": 12, "color": colours["text"]},
            },
        )
    geo_ = CHINA_GEO if national else bounds(shapes.box)
    data = [_context(context, theme)] if context is not None else []
    # Regions without a value still show, in grey, underneath, so the map never has holes.
    missing = sorted(set(shapes.ids) - set(trace["locations"]))
    if missing:
        data.append(
            dict(
                type="choropleth",
                geojson=shapes.url,
                locations=missing,
                featureidkey="id",
                z=[0] * len(missing),
                colorscale=[[0, colours["missing"]], [1, colours["missing"]]],
                showscale=False,
                hoverinfo="skip",
                marker={"line": line},
            ),
        )
    data.append(dict(type="choropleth", **trace))
    if national:
        data += [_dash_on_main(theme), *south_sea_inset(lang, theme)]
    data += on_top
    return figure(data, _map_layout(height, uirevision, geo_) | {"annotations": annotations})


def alliance_map(
    areas: pd.DataFrame,
    shapes: Shapes,
    china: Shapes,
    members: pd.DataFrame,
    labels: dict[str, str],
    highlight: Sequence[int | str] = (),
    lang: str = i18n.DEFAULT_LANG,
    theme: str = "light",
    height: int = 480,
    uirevision: str = "alliance",
) -> go.Figure:
    """One alliance on the outline of China (members in several provinces) or of its province
    (members in one): the areas with members shaded by how many, the counties it covers
    (highlight: county adcodes, e.g. Quzhou's six) outlined strongly, lines from each member to
    the lead, leads as large red points.

    areas: adcode, label, members (0 where none), as queries/alliance_areas.sql gives them;
    shapes: the areas' boundaries (data.map_shapes); china: the provinces' boundaries;
    members: current members with lon, lat, lead_lon, lead_lat, is_lead, hover;
    labels: texts "value", "members", "lead", "links" in the page's language, and optionally
    "area" (the highlighted places' legend and hover, e.g. 覆盖地区);
    highlight: county or province adcodes the alliance covers, outlined and tinted."""
    colours = THEMES[theme]
    national = len(shapes.ids) and all(int(i) % 10000 == 0 for i in shapes.ids)
    shaded = areas[areas["members"] > 0].rename(columns={"members": "value"})
    # China's provinces underneath: a cross-province alliance sits on the country's outline.
    data = [
        _context(china, theme),
        _plain_units(shapes, colours["plain"], colours["context_edge"], 0.4),
    ]
    if len(shaded):
        many = shaded["value"].nunique() > 1
        data.append(
            dict(
                type="choropleth",
                geojson=shapes.url,
                locations=shaded["adcode"].astype(str),
                featureidkey="id",
                z=shaded["value"],
                zmin=0,
                colorscale=[[0, "#c6dbef"], [1, "#08519c"]]
                if many
                else [[0, "#6baed6"], [1, "#6baed6"]],
                showscale=bool(many),
                colorbar={
                    "title": {"text": labels["value"]},
                    "thickness": 12,
                    "len": 0.6,
                    "tickformat": ",d",
                    "dtick": 1 if float(shaded["value"].max()) <= 8 else None,
                },
                text=safe_text(shaded["label"]),
                hovertemplate="%{text}<br>" + labels["value"] + ": %{z:,d}<extra></extra>",
                marker={"line": {"width": 0.6, "color": colours["edge"]}},
            ),
        )
    wanted = {str(c) for c in highlight}
    names = dict(zip(areas["adcode"].astype(str), areas["label"], strict=True))
    by_file: dict[str, list[str]] = {}
    for code in sorted(wanted):
        province = int(code) // 10000 * 10000
        url = geo.url("province") if int(code) == province else geo.url("county", province)
        by_file.setdefault(url, []).append(code)
    for i, (url, codes) in enumerate(by_file.items()):
        area = labels.get("area", "")
        data.append(
            dict(
                type="choropleth",
                geojson=url,
                locations=codes,
                featureidkey="id",
                z=[1] * len(codes),
                colorscale=[[0, "rgba(243,156,18,0.45)"], [1, "rgba(243,156,18,0.45)"]],
                showscale=False,
                text=safe_text(pd.Series([names.get(c, c) for c in codes])),
                hovertemplate="%{text}" + (f" · {area}" if area else "") + "<extra></extra>",
                marker={"line": {"width": 2, "color": "#d35400"}},
                name=area,
                showlegend=bool(area) and i == 0,
            ),
        )
    # Lines to the lead: from every member but the main lead (co-leads too, where there are)
    main_lead = "is_main_lead" if "is_main_lead" in members else "is_lead"
    others = members[~members["is_lead"].astype(bool)]
    links = (
        members[~members[main_lead].astype(bool)]
        .rename(
            columns={
                "lead_lon": "from_lon",
                "lead_lat": "from_lat",
                "lon": "to_lon",
                "lat": "to_lat",
            }
        )
        .assign(alliances=1)
    )
    data += lines_between(links, name=labels["links"], color=colours["link"], max_width=1.5)
    if len(others):
        data.append(points(others, text="hover", color=colours["member"], name=labels["members"]))
    leads = members[members["is_lead"].astype(bool)]
    if len(leads):
        data.append(
            points(
                leads.assign(size=14),
                text="hover",
                size="size",
                color=colours["lead"],
                name=labels["lead"],
            )
        )
    if national:
        data += [_dash_on_main(theme), *south_sea_inset(lang, theme)]
    layout = _map_layout(height, uirevision, CHINA_GEO if national else bounds(shapes.box))
    legend = {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"}
    return figure(data, layout | {"legend": legend, "annotations": [_caption(lang, theme)]})


def safe_text(values: pd.Series) -> pd.Series:
    """Names shown by Plotly, with < and > escaped: Plotly reads a few HTML tags in text."""
    escaped = (
        values.astype(str)
        .str.replace(safe.CONTROL, "", regex=True)  # no bidi override mirrors a label
        .str.replace("<", "&lt;", regex=False)
        .str.replace(">", "&gt;", regex=False)
    )
    return escaped.astype(object).where(values.notna(), None)  # blank stays blank, not "None"


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
    links: pd.DataFrame, name: str, color: str = "#7b241c", max_width: float = 4.0
) -> list[dict]:
    """Lines between places, thicker for more alliances (links: from_/to_ lon, lat; alliances)."""
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
                showlegend=False,
                line={"width": max(0.5, max_width * share), "color": color},
                opacity=0.25 + 0.5 * share,
            ),
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
            "opacity": 0.8,
            "line": {"width": 0.5, "color": "white"},
        },
        hovertemplate="%{text}" + suffix + "<extra></extra>",
        showlegend=bool(name),
    )


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
# Dark and above the bars, so it shows over red and blue bars alike.
TARGET_LINE = {"dash": "dash", "color": "#1b2631", "width": 2}


def target_line(axis: str, value: float) -> dict:
    """The dashed target line across the plot at value on axis 'x' or 'y' (a layout shape, as
    Plotly's add_hline makes it, without its cost on every figure)."""
    other = "y" if axis == "x" else "x"
    return {
        "type": "line",
        "layer": "above",
        "line": TARGET_LINE,
        f"{axis}ref": axis,
        f"{axis}0": value,
        f"{axis}1": value,
        f"{other}ref": f"{other} domain",
        f"{other}0": 0,
        f"{other}1": 1,
    }


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
        return [("", frame, (colours or {}).get(None, PALETTE[1]))]
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
    return head + "<br>" + (f"{name}: " if name else "") + number + "<extra></extra>"


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
) -> go.Figure:
    """Bar chart (stacked by color) with an optional target line. unit "%" writes values with
    one decimal and a %, unit_label names another unit in hovers; integer: counts, whole ticks."""
    # Plain graph_objects, and the layout made as one dict: plotly.express costs ~20x more per
    # figure, and every update_layout call about a millisecond.
    value, category = (x, y) if orientation == "h" else (y, x)
    value_label = (labels or {}).get(value, "")
    traces = [
        dict(
            type="bar",
            x=rows[x],
            y=rows[y],
            name=name,
            orientation=orientation,
            marker={"color": colour},
            text=rows[text] if text else None,
            showlegend=color is not None,
            hovertemplate=_value_hover(
                "y" if orientation == "h" else "x",
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
    if target is not None:
        layout["shapes"] = [target_line(value_axis, target)]
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
) -> go.Figure:
    """Line chart over time with an optional target line; the time axis ends at the data's end."""
    value_label = (labels or {}).get(y, "")
    traces = [
        dict(
            type="scatter",
            x=rows[x],
            y=rows[y],
            name=name,
            mode="lines+markers",
            line={"color": colour},
            showlegend=color is not None,
            hovertemplate=_value_hover(
                "x", "y", value_label, unit if not integer else "", unit_label
            ).replace("<extra></extra>", "<extra>" + (name or "") + "</extra>"),
        )
        for name, rows, colour in _groups(frame, color)
    ]
    layout = _axes(x, y, labels, height)
    if target is not None:
        layout["shapes"] = [target_line("y", target)]
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
        "marker": {"color": PALETTE[1]},
        "hovertemplate": "%{x}" + with_unit(unit) + "<br>%{y:,d}<extra></extra>",
    }
    layout = _axes(x, "count", labels, height)
    layout["yaxis"] |= _integer_ticks()
    if target is not None:
        layout["shapes"] = [target_line("x", target)]
    return figure([trace], layout)
