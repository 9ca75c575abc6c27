"""The import command line: template, check, import, exit codes; an import killed mid-way."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard import db, importer
from dashboard.__main__ import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def live(tiny_db, tmp_path) -> Path:
    path = tmp_path / "db" / "live.duckdb"
    path.parent.mkdir()
    shutil.copy(tiny_db, path)
    return path


def q(path: Path, sql: str) -> list[tuple]:
    con = db.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def milestones(path: Path, *rows: str, encoding: str = "utf-8") -> Path:
    text = "alliance_id,date,title,detail,source\n" + "\n".join(rows) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def test_template_writes_every_table(tmp_path, live, capsys):
    assert main(["template", str(tmp_path / "tpl"), "--db", str(live)]) == 0
    names = {p.name for p in (tmp_path / "tpl").iterdir()}
    assert names == {f"{t}.{ext}" for t in importer.TABLES for ext in ("csv", "xlsx")} | {
        "README.txt"
    }
    out = capsys.readouterr().out
    assert str(2 * len(importer.TABLES) + 1) in out and "模板" in out
    readme = (tmp_path / "tpl" / "README.txt").read_text(encoding="utf-8-sig")
    assert "county_visit_rate 县域内就诊率" in readme  # the catalogue of the database


def test_check_files_prints_the_report_and_exits_1(tmp_path, live, capsys):
    before = live.read_bytes()
    path = milestones(
        tmp_path / "大事记.csv",
        "R-A01,2017/6/4,成立,,",
        "R-A01,2099年1月1日,未来,,",
        encoding="gb18030",
    )
    assert main(["check", str(path), "--db", str(live)]) == 1
    out = capsys.readouterr().out
    assert "大事记.csv" in out and "第 3 行 row 3" in out and "column date" in out
    assert "“2099年1月1日”" in out and "晚于今天" in out and "Later than today" in out
    assert live.read_bytes() == before


def test_check_files_that_pass_exits_0_and_writes_nothing(tmp_path, live, capsys):
    before = live.read_bytes()
    path = milestones(tmp_path / "milestones.csv", "R-A01,2017年6月4日,成立,,")
    assert main(["check", str(path), "--db", str(live)]) == 0
    assert "检查通过" in capsys.readouterr().out
    assert live.read_bytes() == before


def test_check_without_paths_still_checks_the_database(live, capsys):
    assert main(["check", "--db", str(live)]) == 0
    assert "contract checks passed" in capsys.readouterr().out


def test_import_publishes_and_exits_0(tmp_path, live, capsys):
    path = milestones(tmp_path / "milestones.csv", "R-A01,2017年6月4日,成立,,article:900")
    assert main(["import", str(tmp_path), "--db", str(live)]) == 0
    out = capsys.readouterr().out
    assert "已发布新数据库" in out and "Published the new database" in out
    con = db.connect(live)
    office = "select date, title from milestones where origin = 'office'"
    assert con.execute(office).fetchall() == [(dt.date(2017, 6, 4), "成立")]
    assert len(list((live.parent / "backups").glob("live-*.duckdb"))) == 1
    assert path.exists()


def test_refused_import_exits_1_and_keeps_the_bytes(tmp_path, live, capsys):
    before = live.read_bytes()
    milestones(tmp_path / "milestones.csv", "R-A99,2017-06-04,成立,,")
    assert main(["import", str(tmp_path), "--db", str(live)]) == 1
    out = capsys.readouterr().out
    assert "第 2 行 row 2" in out and "alliance_id" in out and "“R-A99”" in out
    assert "导入被拒绝" in out
    assert live.read_bytes() == before
    assert not (live.parent / "backups").exists()


def test_unreadable_input_exits_2(tmp_path, live, capsys):
    before = live.read_bytes()
    (tmp_path / "sites.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert main(["import", str(tmp_path / "sites.xls"), "--db", str(live)]) == 2
    assert main(["check", str(tmp_path / "missing.csv"), "--db", str(live)]) == 2
    assert ".xlsx" in capsys.readouterr().out
    assert live.read_bytes() == before


def test_missing_database_exits_2(tmp_path, capsys):
    path = milestones(tmp_path / "milestones.csv", "R-A01,2017-06-04,成立,,")
    assert main(["import", str(path), "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "python -m dashboard build" in capsys.readouterr().err


def test_the_command_runs_as_a_program(tmp_path, live):
    milestones(tmp_path / "milestones.csv", "R-A01,2017-6-4,成立,,")
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "import", str(tmp_path)],
        cwd=ROOT,
        env=os.environ | {"DASHBOARD_DB": str(live)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\b(\d+)/\1 publish", done.stderr)  # the progress bar reaches its end


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_an_import_killed_mid_way_leaves_the_old_database(tmp_path, live):
    before = live.read_bytes()
    # a million rows, each with its own key (alliance, month, kind, from, to)
    months = pd.date_range("1950-01-01", "2024-12-01", freq="MS").strftime("%Y-%m")
    sites = q(live, "select site_id from sites order by 1 limit 200")
    keys = pd.MultiIndex.from_product(
        [months, [s for (s,) in sites], ["下转", "上转", "培训人次"]], names=["month", "f", "k"]
    ).to_frame(index=False)
    n = min(len(keys), 1_000_000)
    rng = np.random.default_rng(1)
    pd.DataFrame(
        {
            "alliance_id": "R-A01",
            "month": keys["month"][:n],
            "kind": keys["k"][:n],
            "from_site_id": keys["f"][:n],
            "to_site_id": "",
            "count": rng.integers(0, 500, n),
        }
    ).to_csv(tmp_path / "activities.csv", index=False)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dashboard",
            "import",
            str(tmp_path / "activities.csv"),
            "--db",
            str(live),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    temp = []
    deadline = time.monotonic() + 180
    while proc.poll() is None and time.monotonic() < deadline:
        temp = [p for p in live.parent.glob(".live.duckdb.import-*.tmp") if p.stat().st_size]
        if temp:  # the new database has started to be written
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.001)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the import ended before it could be killed"
    assert temp and temp[0].exists()  # killed while writing: its half-written file is left
    assert live.read_bytes() == before
    con = db.connect(live)
    assert con.execute("select count(*) from activities").fetchall()[0][0] < n
    assert db.run(con, "contract/violations", {"today": dt.date.today()}).empty
    con.close()
    # The next import clears what the killed one left behind.
    milestones(tmp_path / "milestones.csv", "R-A01,2017-06-04,成立,,")
    checked, published = importer.import_files([tmp_path / "milestones.csv"], live)
    assert published, importer.report(checked)
    assert not list(live.parent.glob(".live.duckdb.import-*"))


@pytest.mark.skipif(sys.platform == "win32", reason="fcntl")
def test_a_second_import_at_the_same_time_is_turned_away(tmp_path, live, capsys):
    import fcntl

    before = live.read_bytes()
    path = milestones(tmp_path / "milestones.csv", "R-A01,2017-06-04,成立,,")
    with open(live.with_name(".build.lock"), "w") as held:  # as a running import holds it
        fcntl.flock(held, fcntl.LOCK_EX)
        assert main(["import", str(path), "--db", str(live), "--wait", "0.5"]) == 3
    err = capsys.readouterr().err
    assert "另一个构建或导入正在进行" in err and "Another build or import is running" in err
    assert "本次未执行" in err and "nothing was done" in err
    assert live.read_bytes() == before
    assert main(["import", str(path), "--db", str(live)]) == 0  # released: it goes through


def test_left_before_joining_is_refused(tmp_path, live):
    path = tmp_path / "memberships.csv"
    con = db.connect(live)
    frame = con.execute("select * exclude (simulated, origin, batch_id) from memberships").df()
    con.close()
    frame.loc[0, "left_on"] = pd.Timestamp(frame.loc[0, "joined_on"]) - pd.Timedelta(days=1)
    frame.to_csv(path, index=False)
    before = live.read_bytes()
    checked, published = importer.import_files([path], live)
    assert not published and live.read_bytes() == before
    problem = [p for p in checked.problems if p.rule == "left_before_joined"][0]
    assert (problem.row, problem.column) == (2, "left_on")
