"""Boundaries served to the browser as static files, so maps send only a URL and the values.

Plotly fetches a choropleth's GeoJSON from the URL once and the browser caches it; the figure
JSON of every rerun then holds no geometry. The files under static/geo/ are made from the
committed data/boundaries/ by `python -m dashboard.geo` (a test keeps them in step).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from dashboard.db import ROOT

BOUNDARIES = ROOT / "data" / "boundaries"
STATIC_GEO = ROOT / "static" / "geo"
URL_BASE = "./app/static/geo/"  # relative to the page, as Streamlit serves static/


def url(level: str, province: int | None = None) -> str:
    """URL of the provinces' boundaries, or of one province's counties."""
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
    files = {"provinces.json": collection(provinces["features"])}
    by_province: dict[int, list[dict]] = {}
    for f in counties["features"]:
        by_province.setdefault(int(f["id"]) // 10000 * 10000, []).append(f)
    for code, features in sorted(by_province.items()):
        files[f"{code}.json"] = collection(features)
    return files


def write_static(out: Path = STATIC_GEO, boundaries: Path = BOUNDARIES) -> None:
    """Write static/geo/ from data/boundaries/."""
    out.mkdir(parents=True, exist_ok=True)
    for name, text in static_files(boundaries).items():
        (out / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write_static()


# The 南海诸岛 inset: what official national maps draw at the lower right.
SOUTH_SEA = {"lon": (105.5, 123.0), "lat": (2.5, 24.5)}
SOUTH_SEA_MAIN_LAT = 17.5  # units whose box centre lies south of this are drawn in the inset
ISLAND_MAX_DEG2 = 0.05  # a polygon smaller than this in the South China Sea is an island


def in_south_china_sea(box: tuple[float, float, float, float]) -> bool:
    """A unit lying out in the South China Sea (西沙区, 南沙区): framed by the inset, not the map."""
    lon0, lat0, lon1, lat1 = box
    return (lat0 + lat1) / 2 < SOUTH_SEA_MAIN_LAT and 105 < (lon0 + lon1) / 2 < 125


@cache
def dashline(boundaries: Path = BOUNDARIES) -> tuple[list, list]:
    """The ten-dash line as Scattergeo lon/lat lists (None between dashes)."""
    data = json.loads((boundaries / "dashline.geojson").read_text(encoding="utf-8"))
    lons: list[float | None] = []
    lats: list[float | None] = []
    for feature in data.get("features", [data]):
        geometry = feature.get("geometry", feature)
        parts = geometry["coordinates"]
        if geometry["type"] == "LineString":
            parts = [parts]
        for part in parts:
            lons += [p[0] for p in part] + [None]
            lats += [p[1] for p in part] + [None]
    return lons, lats


def _ring_area(ring: list) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False))) / 2


@cache
def south_sea_islands(boundaries: Path = BOUNDARIES) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Lon/lat of every small island south of 21.5°N in the boundaries (西沙, 中沙, 南沙, 东沙…):
    marked as dots in the inset, since at any readable scale most are smaller than a pixel."""
    data = json.loads((boundaries / "provinces.geojson").read_text(encoding="utf-8"))
    lons: list[float] = []
    lats: list[float] = []
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
                lons.append(round(lon, 3))
                lats.append(round(lat, 3))
    return tuple(lons), tuple(lats)
