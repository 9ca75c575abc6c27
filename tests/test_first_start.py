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


def test_build_progress_reads_in_the_readers_language(tmp_path):
    from dashboard import build
    from dashboard.firststart import step_text
    from tests.conftest import write_data_dir

    steps: list[tuple[int, int, str]] = []
    data_dir = write_data_dir(tmp_path / "data")
    build.build(tmp_path / "t.duckdb", data_dir=data_dir, progress=lambda *s: steps.append(s))
    build.build(  # again, over the first: the step that re-applies published imports
        tmp_path / "t.duckdb",
        data_dir=data_dir,
        simulation=False,
        progress=lambda *s: steps.append(s),
    )
    assert {"imports", "no simulation"} <= {step for _, _, step in steps}
    for i, n, step in steps:
        zh = step_text(i, n, step, "zh")
        assert zh.startswith(f"第 {i} 步（共 {n} 步）：")
        assert not any("a" <= c.lower() <= "z" for c in zh), zh  # no English word, e.g. "imports"
        assert step_text(i, n, step, "en").startswith(f"Step {i} of {n}: ")
