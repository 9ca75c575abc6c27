"""Rankings of counties on the shipped national data rank 县域 (counties, county-level cities,
旗) by default: 市辖区 are urban districts, shown when asked."""

from __future__ import annotations

import pytest

from dashboard import db
from tests.browser import national_db
from tests.conftest import run_app
from tests.helpers import figure


@pytest.fixture(scope="module")
def national(tmp_path_factory, monkeypatch_module):
    """The national database, and DASHBOARD_DB pointed at it."""
    path = national_db(tmp_path_factory.mktemp("rankings"))
    monkeypatch_module.setenv("DASHBOARD_DB", str(path))
    return path


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def districts(national) -> set[str]:
    con = db.connect(national)
    try:
        rows = con.execute("select name from regions where district").fetchall()
    finally:
        con.close()
    return {name for (name,) in rows}


def ranked_names(at) -> list[str]:
    return [str(y).split("（")[0] for t in figure(at, "metrics_ranking")["data"] for y in t["y"]]


def test_the_national_county_ranking_holds_no_urban_district(national, districts):
    at = run_app(page="pages/metrics.py", level="county")
    assert not at.exception and not at.error
    names = ranked_names(at)
    assert len(names) == 20 and not set(names) & districts
    with_districts = ranked_names(run_app(page="pages/metrics.py", level="county", districts="1"))
    assert set(with_districts) & districts  # asked for, they are there


def test_the_province_below_target_ranking_holds_no_urban_district(national, districts):
    at = run_app(page="pages/province.py", province="330000", year="2015")
    assert not at.exception and not at.error
    bars = figure(at, "province_below")["data"][0]
    assert len(bars["y"]) and not {str(y) for y in bars["y"]} & districts
