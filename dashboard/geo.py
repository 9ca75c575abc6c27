"""Boundaries served to the browser as static files, so maps send only a URL and the values.

Plotly fetches a choropleth's GeoJSON from the URL once and the browser caches it; the figure
JSON of every rerun then holds no geometry. The files under static/geo/ are made from the
committed data/boundaries/ by `python -m dashboard.geo` (a test keeps them in step).
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

from dashboard import atomic
from dashboard.db import ROOT

BOUNDARIES = ROOT / "data" / "boundaries"
STATIC_GEO = ROOT / "static" / "geo"
URL_BASE = "./app/static/geo/"  # relative to the page, as Streamlit serves static/


def url(level: str, province: int | None = None) -> str:
    """URL of the provinces' boundaries, of one province's counties, ('inset') of the land in
    the 南海诸岛 inset, or ('outline') of China's outline."""
    if level == "inset":
        return f"{URL_BASE}{INSET_FILE}"
    if level == "outline":
        return f"{URL_BASE}{OUTLINE_FILE}"
    if level == "province" or province is None:
        return f"{URL_BASE}provinces.json"
    return f"{URL_BASE}{province}.json"


def static_files(boundaries: Path = BOUNDARIES) -> dict[str, str]:
    """File name -> compact GeoJSON text: provinces.json and <province adcode>.json each."""

    def collection(features: list[dict]) -> str:
        slim = [{"type": "Feature", "id": f["id"], "geometry": f["geometry"]} for f in features]
        return json.dumps({"type": "FeatureCollection", "features": slim}, separators=(",", ":"))

    provinces = json.loads((boundaries / "provinces.geojson").read_text(encoding="utf-8"))
    counties = json.loads((boundaries / "counties.geojson").read_text(encoding="utf-8"))
    files = {"provinces.json": collection([_without_sea_islands(f) for f in provinces["features"]])}
    by_province: dict[int, list[dict]] = {}
    for f in counties["features"]:
        by_province.setdefault(int(f["id"]) // 10000 * 10000, []).append(f)
    for code, features in sorted(by_province.items()):
        files[f"{code}.json"] = collection(features)
    files[INSET_FILE] = inset_collection(provinces)
    files[OUTLINE_FILE] = outline_collection(provinces)
    return files


def _without_sea_islands(feature: dict) -> dict:
    """A province without its islands south of the national map's window (西沙, 南沙): the
    inset draws them; left in, they would show as specks under the map."""
    geometry = feature["geometry"]
    if geometry["type"] != "MultiPolygon":
        return feature
    kept = [
        polygon
        for polygon in geometry["coordinates"]
        if not (
            max(p[1] for p in polygon[0]) < CHINA_LAT[0]
            and SOUTH_SEA["lon"][0] < polygon[0][0][0] < SOUTH_SEA["lon"][1]
        )
    ]
    return feature | {"geometry": {"type": "MultiPolygon", "coordinates": kept}}


def write_static(out: Path = STATIC_GEO, boundaries: Path = BOUNDARIES) -> None:
    """Write static/geo/ from data/boundaries/."""
    out.mkdir(parents=True, exist_ok=True)
    for name, text in static_files(boundaries).items():
        atomic.write_bytes(out / name, text.encode("utf-8"))  # served: never half a file


# The 南海诸岛 inset: what official national maps draw at the lower right. Its content is moved
# into the corner of the national map *in projected space*, so it is a true rectangle on screen
# and scales with the map at any width (a second geo subplot would float off to the side).
SOUTH_SEA = {"lon": (105.5, 123.0), "lat": (2.5, 24.5)}
SOUTH_SEA_MAIN_LAT = 17.5  # units whose box centre lies south of this are drawn in the inset
ISLAND_MAX_DEG2 = 0.05  # a polygon smaller than this in the South China Sea is an island
# The national map: conic equal-area as d3 draws it (Plotly's geo), and its lon/lat window.
CENTRE_LON, PARALLELS = 105.0, (25.0, 47.0)
CHINA_LON, CHINA_LAT = (73.0, 135.5), (17.6, 53.8)
INSET_WIDTH = 0.19  # of the national map's width
INSET_FILE = "south_sea.json"
INSET_BACKGROUND = "frame"  # the id of the inset's background in INSET_FILE
OUTLINE_FILE = "china.json"  # the national boundary: the provinces' land as one outline
OUTLINE_ID = "china"
_N = (math.sin(math.radians(PARALLELS[0])) + math.sin(math.radians(PARALLELS[1]))) / 2
_C = 1 + math.sin(math.radians(PARALLELS[0])) * (2 * _N - math.sin(math.radians(PARALLELS[0])))
_R0 = math.sqrt(_C) / _N


def project(lon: float, lat: float) -> tuple[float, float]:
    """d3.geoConicEqualArea (parallels 25°, 47°, centred on 105°E), y to the north."""
    lam = math.radians(lon - CENTRE_LON)
    r = math.sqrt(_C - 2 * _N * math.sin(math.radians(lat))) / _N
    return r * math.sin(_N * lam), _R0 - r * math.cos(_N * lam)


def unproject(x: float, y: float) -> tuple[float, float]:
    """The inverse of project()."""
    r0y = _R0 - y
    lam = math.atan2(x, abs(r0y)) * math.copysign(1, r0y) / _N
    phi = math.asin(max(-1.0, min(1.0, (_C - (x * x + r0y * r0y) * _N * _N) / (2 * _N))))
    return math.degrees(lam) + CENTRE_LON, math.degrees(phi)


@cache
def inset_box() -> tuple[float, float, float, float]:
    """The inset's rectangle (x0, y0, x1, y1) in projected units: the national map's lower
    right corner, as tall as the South China Sea window needs."""
    edge = [(lon, CHINA_LAT[0]) for lon in range(73, 136)] + [(CHINA_LON[1], CHINA_LAT[0])]
    edge += [(lon, CHINA_LAT[1]) for lon in range(73, 136)]
    edge += [(CHINA_LON[0], lat) for lat in range(18, 54)]
    edge += [(CHINA_LON[1], lat) for lat in range(18, 54)]
    xs, ys = zip(*(project(lon, lat) for lon, lat in edge), strict=True)
    width = (max(xs) - min(xs)) * INSET_WIDTH
    (lon0, lon1), (lat0, lat1) = SOUTH_SEA["lon"], SOUTH_SEA["lat"]
    aspect = (lat1 - lat0) / ((lon1 - lon0) * math.cos(math.radians((lat0 + lat1) / 2)))
    return max(xs) - width, min(ys), max(xs), min(ys) + width * aspect


def to_inset(lon: float, lat: float) -> tuple[float, float]:
    """Where a point of the South China Sea window is drawn inside the national map's inset."""
    (lon0, lon1), (lat0, lat1) = SOUTH_SEA["lon"], SOUTH_SEA["lat"]
    x0, y0, x1, y1 = inset_box()
    x = x0 + (lon - lon0) / (lon1 - lon0) * (x1 - x0)
    y = y0 + (lat - lat0) / (lat1 - lat0) * (y1 - y0)
    lon_, lat_ = unproject(x, y)
    return round(lon_, 4), round(lat_, 4)


def inset_frame(steps: int = 40) -> tuple[list[float], list[float]]:
    """The inset's border as lon/lat, dense enough to draw as straight lines."""
    x0, y0, x1, y1 = inset_box()
    # clockwise, as d3 wants an exterior ring: else a fill covers the whole globe but the frame
    corners = [(x0, y0), (x0, y1), (x1, y1), (x1, y0), (x0, y0)]
    points = []
    for (ax, ay), (bx, by) in zip(corners, corners[1:], strict=False):
        points += [(ax + (bx - ax) * i / steps, ay + (by - ay) * i / steps) for i in range(steps)]
    points.append(corners[-1])
    lons, lats = zip(*(unproject(x, y) for x, y in points), strict=True)
    return list(lons), list(lats)


@cache
def inset_ids(static: Path | None = None) -> list[str]:
    """The ids of the land features in the inset's file (not its background)."""
    path = (static or STATIC_GEO) / INSET_FILE
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except FileNotFoundError:
        return []
    return [f["id"] for f in features if f["id"] != INSET_BACKGROUND]


def in_south_china_sea(box: tuple[float, float, float, float]) -> bool:
    """A unit lying out in the South China Sea (西沙区, 南沙区): framed by the inset, not the map."""
    lon0, lat0, lon1, lat1 = box
    return (lat0 + lat1) / 2 < SOUTH_SEA_MAIN_LAT and 105 < (lon0 + lon1) / 2 < 125


def _lines(parts: list) -> tuple[list, list]:
    lons: list[float | None] = []
    lats: list[float | None] = []
    for part in parts:
        lons += [p[0] for p in part] + [None]
        lats += [p[1] for p in part] + [None]
    return lons, lats


@cache
def dashline(
    boundaries: Path = BOUNDARIES, inset: bool = False, main: bool = False
) -> tuple[list, list]:
    """The ten-dash line as Scattergeo lon/lat lists (None between dashes); inset: moved into
    the national map's inset; main: only the dashes inside the national map's window."""
    data = json.loads((boundaries / "dashline.geojson").read_text(encoding="utf-8"))
    parts = []
    for feature in data.get("features", [data]):
        geometry = feature.get("geometry", feature)
        coords = geometry["coordinates"]
        parts += [coords] if geometry["type"] == "LineString" else coords
    if inset:
        parts = [[to_inset(*p[:2]) for p in part] for part in parts]
    if main:
        parts = [part for part in parts if min(p[1] for p in part) > CHINA_LAT[0] + 2]
    return _lines(parts)


def _ring_area(ring: list) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False))) / 2


@cache
def south_sea_islands(
    boundaries: Path = BOUNDARIES, inset: bool = False
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Lon/lat of every small island south of 21.5°N in the boundaries (西沙, 中沙, 南沙, 东沙…):
    marked as dots, since at any readable scale most are smaller than a pixel."""
    data = json.loads((boundaries / "provinces.geojson").read_text(encoding="utf-8"))
    points = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        for polygon in polygons:
            ring = polygon[0]
            lon = sum(p[0] for p in ring) / len(ring)
            lat = sum(p[1] for p in ring) / len(ring)
            if (
                lat < 21.5
                and SOUTH_SEA["lon"][0] < lon < SOUTH_SEA["lon"][1]
                and _ring_area(ring) < ISLAND_MAX_DEG2
                and (lat < SOUTH_SEA_MAIN_LAT or lon > 115)  # open sea, or 东沙
            ):
                points.append(to_inset(lon, lat) if inset else (round(lon, 3), round(lat, 3)))
    if not points:
        return (), ()
    lons, lats = zip(*points, strict=True)
    return tuple(lons), tuple(lats)


def inset_collection(provinces: dict) -> str:
    """The provinces' land inside the South China Sea window, moved into the inset (needs
    shapely, a dev dependency: run only when static/geo/ is made)."""
    import shapely
    from shapely.geometry import mapping, shape

    (lon0, lon1), (lat0, lat1) = SOUTH_SEA["lon"], SOUTH_SEA["lat"]
    features = []
    for f in provinces["features"]:
        clipped = shapely.clip_by_rect(shape(f["geometry"]), lon0, lat0, lon1, lat1)
        if clipped.is_empty or clipped.area < ISLAND_MAX_DEG2:
            continue  # the islands are drawn as dots
        moved = shapely.transform(clipped, lambda xy: [to_inset(float(x), float(y)) for x, y in xy])
        moved = shapely.orient_polygons(shapely.set_precision(moved, 0.0001), exterior_cw=True)
        features.append({"type": "Feature", "id": f["id"], "geometry": mapping(moved)})
    # The inset's own background, drawn first: the land of the main map does not show through.
    frame_lon, frame_lat = inset_frame()
    ring = [[round(lon, 4), round(lat, 4)] for lon, lat in zip(frame_lon, frame_lat, strict=True)]
    background = {"type": "Polygon", "coordinates": [ring]}
    features.insert(0, {"type": "Feature", "id": INSET_BACKGROUND, "geometry": background})
    return json.dumps(
        json.loads(json.dumps({"type": "FeatureCollection", "features": features})),
        separators=(",", ":"),
    )


def outline_collection(provinces: dict) -> str:
    """The outline of China on the national map: every province's land (less the islands the
    inset draws) as one shape, whose edge is the national boundary and the coast (needs shapely,
    a dev dependency: run only when static/geo/ is made)."""
    import shapely
    from shapely.geometry import mapping, shape

    land = shapely.union_all(
        [shape(_without_sea_islands(f)["geometry"]) for f in provinces["features"]]
    )
    land = shapely.orient_polygons(shapely.set_precision(land, 0.001), exterior_cw=True)
    feature = {"type": "Feature", "id": OUTLINE_ID, "geometry": mapping(land)}
    return json.dumps({"type": "FeatureCollection", "features": [feature]}, separators=(",", ":"))


if __name__ == "__main__":
    write_static()
