"""An emptied table never shows the generic page error: a calm "no data" note instead."""

from __future__ import annotations

import pytest

from tests.conftest import run_app
from tests.helpers import msg, tiny_copy

PAGES = [
    None,  # the overview, the default page
    "pages/province.py",
    "pages/metrics.py",
    "pages/alliances.py",
    "pages/institutions.py",
    "pages/data.py",
]
COUNTY_DATA = ["county_metrics", "county_measures", "county_judgements"]
EMPTIED = {
    "county_metrics": COUNTY_DATA,
    "alliances": ["alliances", "memberships", "activities", "funding", "milestones", "figures"],
    "sites": ["sites", "memberships", "activities"],
    "everything": [*COUNTY_DATA, "alliances", "memberships", "sites", "activities"]
    + ["funding", "milestones", "figures"],
}


@pytest.fixture(scope="module", params=list(EMPTIED))
def emptied_db(request, tiny_db, tmp_path_factory):
    """A copy of the tiny database with some tables emptied (as a header-only import would)."""
    sql = "; ".join(f"delete from {t}" for t in EMPTIED[request.param])
    path = tmp_path_factory.mktemp("emptied") / f"{request.param}.duckdb"
    return request.param, tiny_copy(tiny_db, path, sql)


@pytest.mark.parametrize("page", ["overview", "province"])
def test_no_county_metrics_is_a_calm_note(tiny_db, tmp_path, monkeypatch, page):
    db = tiny_copy(
        tiny_db, tmp_path / "empty.duckdb", "; ".join(f"delete from {t}" for t in COUNTY_DATA)
    )
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = run_app(page=None if page == "overview" else "pages/province.py", province="330000")
    assert not at.exception and not at.error
    assert any(msg("common.no_data_title") in i.value for i in at.info)  # "暂无数据", calmly
    assert msg("common.page_error") not in [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES)
def test_no_page_fails_on_an_emptied_table(emptied_db, monkeypatch, page):
    _, db = emptied_db
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    for params in ({}, {"province": "330000", "alliance": "R-A01", "site": "R-S001"}):
        at = run_app(page=page, **params)
        assert not at.exception and not at.error, (page, params)
