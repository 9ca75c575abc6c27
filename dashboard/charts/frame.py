"""A map's frame: the projection, the extent of the units, the colours of what is not data, the
caption, and the 南海诸岛 inset with the dash line."""

from __future__ import annotations

from typing import NamedTuple

from dashboard import colours as meaning
from dashboard import geo, i18n

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


# Colours of what is not data: land around the units, islands, the dash line, the inset frame.
THEMES = {
    "light": {
        "context": "#eceff2",
        "plain": "#fbfcfd",
        "context_edge": "#a9b3bd",
        "edge": "#ffffff",
        "missing": meaning.MISSING["light"],
        "island": "#1f3a5f",
        "dash": "#34495e",
        "frame": "#7f8c8d",
        "inset_bg": "#ffffff",
        "text": "#2c3e50",
        **meaning.MARKS["light"],
    },
    "dark": {
        "context": "#1a2840",
        "plain": "#22324f",
        "context_edge": "#4d6382",
        "edge": "#0b1424",
        "missing": meaning.MISSING["dark"],
        "island": "#f5d76e",
        "dash": "#c9d6e3",
        "frame": "#6f89a8",
        "inset_bg": "#0b1424",
        "text": "#e8eef7",
        **meaning.MARKS["dark"],
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


def _map_layout(height: int, uirevision: str, geo_: dict) -> dict:
    return {
        "height": height,
        "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "uirevision": uirevision,
        "geo": geo_,
    }


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
    url = geo.url("inset")
    islands_lon, islands_lat = geo.south_sea_islands(inset=True)
    # the title just above the frame's upper right corner: inside, at any width and in either
    # language, it would lie over islands
    x0, y0, x1, y1 = geo.inset_box()
    title_lon, title_lat = geo.unproject(x1, y1)
    return [
        # the background, among the choropleths: nothing of the main map shows through
        _plain_units(
            Shapes(url, [geo.INSET_BACKGROUND], None), colours["inset_bg"], colours["inset_bg"], 0
        ),
        _plain_units(
            Shapes(url, geo.inset_ids(), None), colours["context"], colours["context_edge"], 0.6
        ),
        _path(*geo.inset_frame(), 1.2, colours["frame"]),
        dict(
            type="scattergeo",
            lon=list(islands_lon),
            lat=list(islands_lat),
            mode="markers",
            marker={"size": 3, "color": colours["island"]},
            hoverinfo="skip",
            showlegend=False,
        ),
        _path(*geo.dashline(inset=True), 1.6, colours["dash"]),
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
    ]


# A province's own 南海诸岛 inset (Hainan: 三沙 lies out at sea): a second map at the lower
# right of the figure, framed, with the land around the sea, every island and the dash line.
SEA_INSET_DOMAIN = {"x": [0.76, 1.0], "y": [0.0, 0.5]}


def sea_inset(
    lang: str = i18n.DEFAULT_LANG, theme: str = "light", land: Shapes | None = None
) -> tuple[list[dict], dict]:
    """The traces and the layout (geo2) of a province map's 南海诸岛 inset; land: the
    provinces drawn plain in it (China's coast around the sea)."""
    colours = THEMES[theme]
    (lon0, lon1), (lat0, lat1) = geo.SOUTH_SEA["lon"], geo.SOUTH_SEA["lat"]
    islands_lon, islands_lat = geo.south_sea_islands()
    dash_lon, dash_lat = geo.dashline()
    e = 0.12  # the frame just inside the window, so that no side is clipped
    frame_lon = [lon0 + e, lon0 + e, lon1 - e, lon1 - e, lon0 + e]
    frame_lat = [lat0 + e, lat1 - e, lat1 - e, lat0 + e, lat0 + e]
    traces = (
        [_plain_units(land, colours["context"], colours["context_edge"], 0.4, "geo2")]
        if land
        else []
    )
    traces += [
        dict(
            type="scattergeo",
            lon=list(islands_lon),
            lat=list(islands_lat),
            mode="markers",
            marker={"size": 3, "color": colours["island"]},
            hoverinfo="skip",
            showlegend=False,
            geo="geo2",
        ),
        _path(dash_lon, dash_lat, 1.4, colours["dash"]) | {"geo": "geo2"},
        _path(frame_lon, frame_lat, 1.2, colours["frame"]) | {"geo": "geo2"},
    ]
    layout = GEO | {
        "fitbounds": False,
        "projection": {"type": "mercator"},
        "lonaxis": {"range": [lon0, lon1]},
        "lataxis": {"range": [lat0, lat1]},
        "domain": SEA_INSET_DOMAIN,
        "bgcolor": colours["inset_bg"],
    }
    return traces, layout


def sea_inset_title(lang: str = i18n.DEFAULT_LANG, theme: str = "light") -> dict:
    """The title of a province map's 南海诸岛 inset, above it (inside it would cover islands)."""
    return {
        "text": i18n.text("maps.south_sea", lang).replace("<br>", " "),
        "xref": "paper",
        "yref": "paper",
        "x": sum(SEA_INSET_DOMAIN["x"]) / 2,
        "y": SEA_INSET_DOMAIN["y"][1],
        "xanchor": "center",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"color": THEMES[theme]["text"]},  # the figure's size: large on the kiosk
    }


def no_data_note(key: str, lang: str, theme: str = "light") -> dict:
    """A note in the map's upper left corner about a unit without data, as official statistical
    maps write 台湾省资料暂缺 (its grey is then no gap in the data)."""
    return {
        "text": i18n.text(key, lang),
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 1,
        "xanchor": "left",
        "yanchor": "top",
        "showarrow": False,
        "font": {"color": THEMES[theme]["text"]},  # the figure's size: large on the kiosk
    }


TAIWAN = "710000"


def national_boundary(theme: str = "light") -> dict:
    """China's outline drawn over the provinces: the national boundary and the coast, as
    official maps draw it, stronger than the lines between provinces."""
    colours = THEMES[theme]
    return dict(
        type="choropleth",
        geojson=geo.url("outline"),
        locations=[geo.OUTLINE_ID],
        featureidkey="id",
        z=[0],
        colorscale=meaning.flat("rgba(0,0,0,0)"),
        showscale=False,
        hoverinfo="skip",
        marker={"line": {"width": 1.2, "color": colours["dash"]}},
    )


def _path(lons, lats, width: float, colour: str) -> dict:
    """A line through lon/lat points that is only drawing: no hover, no legend entry."""
    return dict(
        type="scattergeo",
        lon=lons,
        lat=lats,
        mode="lines",
        line={"width": width, "color": colour},
        hoverinfo="skip",
        showlegend=False,
    )


def _dash_on_main(theme: str) -> dict:
    # Only the dashes inside the main window (east of Taiwan); the rest is in the inset.
    return _path(*geo.dashline(main=True), 1.2, THEMES[theme]["dash"])
