"""Boundaries served to the browser as static files, so maps send only a URL and the values.

Plotly fetches a choropleth's GeoJSON from the URL once and the browser caches it; the figure
JSON of every rerun then holds no geometry. The files under static/geo/ are made from the
committed data/boundaries/ by `python -m dashboard.geo` (a test keeps them in step).
"""

from __future__ import annotations

import json
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
