"""A fresh clone: the first start builds the missing database, with progress, then shows the app."""

from dashboard import db
from tests.conftest import run_app


def test_first_start_builds_the_database(tmp_path, monkeypatch):
    target = tmp_path / "data" / "dashboard.duckdb"
    monkeypatch.delenv("DASHBOARD_DB", raising=False)
    monkeypatch.setattr(db, "DEFAULT_DB", target)
    assert not target.exists()
    at = run_app()
    assert target.exists()
    assert not at.exception and not at.error
    assert at.title[0].value == "全国医联体建设总览"
    con = db.connect(target)
    assert con.execute("select count(*) from alliances where not simulated").fetchone()[0] >= 5


def test_a_named_missing_file_is_reported_not_built(tmp_path, monkeypatch):
    missing = tmp_path / "elsewhere.duckdb"
    monkeypatch.setenv("DASHBOARD_DB", str(missing))
    at = run_app()
    assert not at.exception
    assert not missing.exists()
    assert "数据库不可用" in at.error[0].value
