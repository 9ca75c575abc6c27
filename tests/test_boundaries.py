"""The committed boundaries in data/boundaries/: keys, geometry validity, sizes, no gaps."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

BOUNDARIES = Path(__file__).resolve().parent.parent / "data" / "boundaries"
GEOJSON_FILES = ["provinces.geojson", "counties.geojson"]


@cache
def regions() -> pd.DataFrame:
    """regions.csv with adcodes as strings."""
    return pd.read_csv(BOUNDARIES / "regions.csv", dtype=str, keep_default_na=False)


@cache
def features(name: str) -> list[dict]:
    """The features of one committed GeoJSON file."""
    return json.loads((BOUNDARIES / name).read_text(encoding="utf-8"))["features"]


def by_level(level: str) -> pd.DataFrame:
    """The regions rows of one level."""
    return regions()[regions()["level"] == level]


def compact_size(feats: list[dict]) -> int:
    """Bytes of a compact FeatureCollection of these features."""
    text = json.dumps(
        {"type": "FeatureCollection", "features": feats}, ensure_ascii=False, separators=(",", ":")
    )
    return len(text.encode())


def test_regions_counts_and_keys():
    r = regions()
    assert list(r.columns) == [
        "adcode",
        "name",
        "name_en",
        "level",
        "parent_adcode",
        "province_adcode",
        "lon",
        "lat",
    ]
    assert r["adcode"].is_unique
    assert r["adcode"].str.fullmatch(r"\d{6}").all()
    assert set(r["level"]) == {"province", "city", "county"}
    assert len(by_level("province")) == 34
    assert 300 <= len(by_level("city")) <= 400
    assert 2800 <= len(by_level("county")) <= 2900
    assert (r["name"] != "").all()


def test_regions_hierarchy():
    r = regions().set_index("adcode")
    provinces = set(by_level("province")["adcode"])
    assert set(r["province_adcode"]) <= provinces
    assert (r["province_adcode"] == r.index.str[:2] + "0000").all()
    assert (by_level("province")["parent_adcode"] == "").all()
    assert set(by_level("city")["parent_adcode"]) <= provinces
    county_parents = r.loc[by_level("county")["parent_adcode"], "level"]
    assert set(county_parents) <= {"province", "city"}


def test_english_names_only_for_provinces():
    r = regions()
    assert (r.loc[r["level"] == "province", "name_en"] != "").all()
    assert (r.loc[r["level"] != "province", "name_en"] == "").all()
    assert "Inner Mongolia" in set(r["name_en"])


def test_points_inside_china():
    r = regions()
    lon, lat = r["lon"].astype(float), r["lat"].astype(float)
    assert lon.between(73, 136).all() and lat.between(3, 54).all()


@pytest.mark.parametrize(
    ("name", "level"), [("provinces.geojson", "province"), ("counties.geojson", "county")]
)
def test_features_match_regions(name, level):
    feats = features(name)
    ids = [f["id"] for f in feats]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(by_level(level)["adcode"])
    assert all(f["properties"]["adcode"] == int(f["id"]) for f in feats)
    if level == "county":
        assert all(f["properties"]["province_adcode"] == int(f["id"][:2] + "0000") for f in feats)


@pytest.mark.parametrize("name", GEOJSON_FILES)
def test_geometries_valid_and_clockwise(name):
    for f in features(name):
        geom = shape(f["geometry"])
        assert geom.geom_type in {"Polygon", "MultiPolygon"}, f["id"]
        assert geom.is_valid and not geom.is_empty, f["id"]
        for part in shapely.get_parts(geom):
            # Plotly (d3-geo) reads a counter-clockwise exterior as "everything but this".
            assert not part.exterior.is_ccw, f["id"]
            assert all(ring.is_ccw for ring in part.interiors), f["id"]


@pytest.mark.parametrize("name", GEOJSON_FILES)
def test_neighbours_share_exact_borders(name):
    geoms = [shape(f["geometry"]) for f in features(name)]
    assert shapely.coverage_is_valid(geoms)


def test_provinces_file_size():
    assert (BOUNDARIES / "provinces.geojson").stat().st_size <= 600 * 1024


def test_counties_of_any_province_stay_small():
    groups: dict[int, list[dict]] = {}
    for f in features("counties.geojson"):
        groups.setdefault(f["properties"]["province_adcode"], []).append(f)
    assert max(compact_size(feats) for feats in groups.values()) <= 400 * 1024


@pytest.mark.parametrize("province", ["110000", "330000", "440000", "460000", "510000", "650000"])
def test_counties_fill_their_province(province):
    province_geom = next(
        shape(f["geometry"]) for f in features("provinces.geojson") if f["id"] == province
    )
    counties = [
        shape(f["geometry"]) for f in features("counties.geojson") if f["id"][:2] == province[:2]
    ]
    union = shapely.coverage_union_all(counties)
    assert union.area == pytest.approx(province_geom.area, rel=0.005)
    assert union.symmetric_difference(province_geom).area <= 0.01 * province_geom.area


def test_south_china_sea_islands_and_dashline():
    hainan = next(
        shape(f["geometry"]) for f in features("provinces.geojson") if f["id"] == "460000"
    )
    assert sum(part.centroid.y < 17.5 for part in shapely.get_parts(hainan)) >= 50
    assert hainan.bounds[1] < 5
    lines = features("dashline.geojson")
    assert lines and all(f["geometry"]["type"] in {"LineString", "MultiLineString"} for f in lines)
    assert sum(len(shape(f["geometry"]).geoms) for f in lines) >= 9


def test_static_geo_files_match_the_boundaries():
    """static/geo/ (what browsers fetch) is exactly what data/boundaries/ makes."""
    from dashboard import geo

    for name, text in geo.static_files().items():
        assert (geo.STATIC_GEO / name).read_text(encoding="utf-8") == text, name
