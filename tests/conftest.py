"""Fixtures: a tiny data folder and the database built from it, in tmp_path."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from dashboard import access, build, db

ROOT = Path(__file__).resolve().parent.parent

# Three provinces, each with one city and two counties, drawn as unit squares.
REGIONS = [
    (310000, "上海市", "Shanghai", "province", None, 121.0, 31.0),
    (310100, "上海市", None, "city", 310000, 121.0, 31.0),
    (310101, "黄浦区", None, "county", 310100, 121.2, 31.2),
    (310115, "浦东新区", None, "county", 310100, 121.7, 31.2),
    (330000, "浙江省", "Zhejiang", "province", None, 119.0, 29.0),
    (330800, "衢州市", None, "city", 330000, 118.8, 28.9),
    (330802, "柯城区", None, "county", 330800, 118.7, 28.9),
    (330822, "常山县", None, "county", 330800, 118.3, 28.9),
    (620000, "甘肃省", "Gansu", "province", None, 103.8, 36.0),
    (620100, "兰州市", None, "city", 620000, 103.8, 36.0),
    (620102, "城关区", None, "county", 620100, 103.8, 36.0),
    (620103, "七里河区", None, "county", 620100, 103.4, 36.0),
]

REAL = {
    "articles.csv": [
        "article_id,title,publisher,published_on,file",
        "article:900,测试报道,测试报社,2017-06-04,900.txt",
    ],
    "sites.csv": [
        "site_id,name,kind,tier,ownership,county_adcode,lon,lat,beds,source",
        "R-S001,黄浦妇产科医院,maternal_child,3A,public,310101,,,,article:900",
        "R-S002,常山县妇幼保健院,maternal_child,2,public,330822,,,,article:900",
        "R-S003,兰州仁和医院,general,unrated,private,620102,103.85,36.05,,article:900",
    ],
    "alliances.csv": [
        "alliance_id,name,form,specialty,scope,model,founded_on,lead_site_id,parent_alliance_id,"
        "note,source",
        "R-A01,测试跨省妇产科联盟,specialist,妇产科,cross_province,X+1+9+X,2017-06-04,R-S001,,,"
        "article:900",
    ],
    "memberships.csv": [
        "alliance_id,site_id,role,joined_on,left_on,source",
        "R-A01,R-S001,lead,2017-06-04,,article:900",
        "R-A01,R-S002,member,2017-06-04,,article:900",
        "R-A01,R-S003,council,2018-01-01,,article:900",
    ],
    "funding.csv": [
        "alliance_id,year,source,amount_cny,reference",
        "R-A01,2023,central,200000000,article:900",
    ],
    "milestones.csv": [
        "alliance_id,date,title,detail,source",
        "R-A01,2017-06-04,联盟成立,测试,article:900",
    ],
    "figures.csv": [
        "alliance_id,figure,value,qualifier,unit,as_of,label_zh,label_en,source",
        "R-A01,operations,3000,+,台,2024-02-29,手术,Operations,article:900",
    ],
}


def _square(lon: float, lat: float, half: float = 0.2) -> dict:
    # Exterior ring clockwise, as the real boundaries are.
    ring = [
        [lon - half, lat - half],
        [lon - half, lat + half],
        [lon + half, lat + half],
        [lon + half, lat - half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def write_data_dir(path: Path) -> Path:
    """A complete, tiny data/ folder: boundaries, catalogue and one real alliance."""
    bdir = path / "boundaries"
    bdir.mkdir(parents=True)
    lines = ["adcode,name,name_en,level,parent_adcode,province_adcode,lon,lat"]
    for code, name, name_en, level, parent, lon, lat in REGIONS:
        lines.append(
            f"{code},{name},{name_en or ''},{level},{parent or ''},"
            f"{code // 10000 * 10000},{lon},{lat}"
        )
    (bdir / "regions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for level, file in (("province", "provinces.geojson"), ("county", "counties.geojson")):
        features = [
            {
                "type": "Feature",
                "id": str(code),
                "properties": {"adcode": code, "name": name},
                "geometry": _square(lon, lat, 1.5 if level == "province" else 0.2),
            }
            for code, name, _, lvl, _, lon, lat in REGIONS
            if lvl == level
        ]
        (bdir / file).write_text(
            json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
        )
    dash = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "LineString", "coordinates": [[110, 10], [111, 11]]},
            }
        ],
    }
    (bdir / "dashline.geojson").write_text(json.dumps(dash), encoding="utf-8")
    shutil.copytree(ROOT / "data" / "catalogue", path / "catalogue")
    (path / "real").mkdir()
    for name, rows in REAL.items():
        (path / "real" / name).write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory) -> Path:
    """A database built by the real build from the tiny data folder (shared, read-only)."""
    base = tmp_path_factory.mktemp("tiny")
    data_dir = write_data_dir(base / "data")
    return build.build(base / "tiny.duckdb", data_dir=data_dir)


@pytest.fixture(scope="session")
def bare_db(tmp_path_factory) -> Path:
    """The tiny database built with --no-simulation: geography, catalogue, the article only."""
    base = tmp_path_factory.mktemp("bare")
    data_dir = write_data_dir(base / "data")
    return build.build(base / "bare.duckdb", data_dir=data_dir, simulation=False)


@pytest.fixture
def tiny_env(tiny_db, monkeypatch) -> Path:
    """DASHBOARD_DB pointed at the tiny database for the duration of a test."""
    monkeypatch.setenv("DASHBOARD_DB", str(tiny_db))
    return tiny_db


APP = str(ROOT / "app.py")


@pytest.fixture(autouse=True)
def _audit_in_tmp(tmp_path_factory, monkeypatch):
    """Audit lines written by page tests go to a temporary file, not data/audit.jsonl."""
    if "DASHBOARD_AUDIT" not in os.environ:
        monkeypatch.setenv("DASHBOARD_AUDIT", str(tmp_path_factory.getbasetemp() / "audit.jsonl"))


@pytest.fixture(autouse=True)
def _national_scope_by_default(monkeypatch):
    """Query tests read as an official of the whole country unless they bind $regions
    themselves (tests/test_access_scope.py does); the app binds the session's, always."""
    run = db.run

    def national(con, name, params=None):
        params = dict(params or {})
        if "regions" in db.query_params(name):
            params.setdefault("regions", [access.NATIONAL])
        return run(con, name, params)

    monkeypatch.setattr(db, "run", national)


@pytest.fixture(autouse=True)
def _apptest_uses_the_router(monkeypatch):
    """Keep AppTest from resetting Streamlit's legacy pages/ mode before every run.

    AppTest forgets on each run that st.navigation is in use, so every page switch would run the
    page file on its own and then rerun through app.py (ui.through_router), which AppTest does
    not carry the URL across. A real server forgets nothing: see test_browser's deep links.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    monkeypatch.setattr(app_test, "PagesManager", type("PagesManager", (PagesManager,), {}))


def run_app(page: str | None = None, **params: str):
    """The whole app (router and sidebar) run by AppTest on page, with URL parameters."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)  # opened straight from a link, as a shared URL is
    return at.run()
