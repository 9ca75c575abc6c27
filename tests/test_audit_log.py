"""The audit log (dashboard/auditlog.py) under its own failures and a flood: whole lines or
none, losses logged and counted, values bounded, view lines rate-limited per session, rotation
by size with the old files read back, and its disk use shown to admins."""

# ruff: noqa: F811 (the fixtures of tests/disks.py are imported by name)

from __future__ import annotations

import collections
import datetime as dt
import errno
import json
import logging
import multiprocessing
import os

import pytest

from dashboard import auditlog
from dashboard.__main__ import main
from tests.disks import full_disk  # noqa: F401
from tests.helpers import msg


@pytest.fixture
def log_at(tmp_path, monkeypatch):
    """The audit log in tmp_path (its own file for this test)."""
    path = tmp_path / "audit.jsonl"
    monkeypatch.setenv("DASHBOARD_AUDIT", str(path))
    return path


def whole_lines(path) -> list[dict]:
    """Every line of the file parsed; fails on a fragment or two lines glued together."""
    text = path.read_bytes().decode("utf-8")
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_a_full_disk_leaves_no_fragment_and_the_next_line_is_read(full_disk, caplog):
    path = full_disk / "audit.jsonl"
    os.environ["DASHBOARD_AUDIT"] = str(path)
    try:
        with caplog.at_level(logging.ERROR, logger="dashboard"):
            written = lost = 0
            for i in range(2000):  # until the disk is full, and on
                if auditlog.append(
                    "view", "a@b.cn", {"page": "province", "n": i, "pad": "x" * 150}
                ):
                    written += 1
                else:
                    lost += 1
        assert lost > 0 and written > 0
        rows = whole_lines(path)  # nothing half-written in between
        assert len(rows) == written
        assert caplog.text.count("audit line lost") == lost  # logged each time, with the count
        assert f"{lost} lost by this process so far" in caplog.text
        assert auditlog.losses(path).total == lost
        (full_disk / "filler").unlink()  # room again
        assert auditlog.append("download", "c@d.cn", "sites.csv")
        rows = auditlog.read_audit(path)
        assert [r["action"] for r in rows[-2:]] == ["audit_lost", "download"]
        assert rows[-2]["what"]["lines"] == lost  # the log itself says how many it lost
        assert rows[-1]["email"] == "c@d.cn"
    finally:
        del os.environ["DASHBOARD_AUDIT"]


def test_a_short_write_is_cut_back_to_the_line_before(log_at, monkeypatch, caplog):
    """Faked: os.write writes half the line and reports it, as a disk filling up does."""
    auditlog.append("login", "a@b.cn", {"role": "viewer"})
    before = log_at.read_bytes()
    real_write = os.write

    def half(fd, data):
        return real_write(fd, data[: len(data) // 2])

    monkeypatch.setattr(os, "write", half)
    with caplog.at_level(logging.ERROR, logger="dashboard"):
        assert not auditlog.append("view", "a@b.cn", {"page": "data"})
    assert log_at.read_bytes() == before and "audit line lost" in caplog.text
    monkeypatch.setattr(os, "write", real_write)
    assert auditlog.append("view", "e@f.cn", {"page": "data"})
    assert [r["action"] for r in whole_lines(log_at)] == ["login", "audit_lost", "view"]


def test_a_failing_write_leaves_nothing(log_at, monkeypatch):
    auditlog.append("login", "a@b.cn")
    before = log_at.read_bytes()

    def no_space(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", no_space)
    assert not auditlog.append("view", "a@b.cn", {"page": "data"})
    assert log_at.read_bytes() == before


def test_a_fragment_a_killed_writer_left_does_not_swallow_the_next_line(log_at):
    auditlog.append("login", "a@b.cn")
    with open(log_at, "ab") as f:
        f.write(b'{"time": "2026-12-01T10:00:00+08:00", "email": "x@y.cn", "act')  # killed here
    auditlog.append("download", "c@d.cn", "sites.csv")
    reading = auditlog.read(log_at)
    assert [r["action"] for r in reading.rows] == ["login", "download"]
    assert reading.skipped == 1


def test_every_value_is_bounded_and_says_it_was_cut(log_at):
    url = "https://x/?" + "a" * 1_000_000
    params = {f"p{i}": "v" * 5000 for i in range(500)}
    auditlog.append("view", "a@b.cn" + "m" * 10_000, {"page": url, "params": params})
    data = log_at.read_bytes()
    assert len(data) <= auditlog.LINE_MAX_BYTES
    row = whole_lines(log_at)[0]
    assert "…[cut " in row["email"] and row["email"].startswith("a@b.cnmmm")
    assert "…[cut " in json.dumps(row["what"], ensure_ascii=False)


def test_the_bounds_keep_ordinary_lines_as_they_are(log_at):
    what = {"page": "province", "params": {"province": "330000", "metric": "county_visit_rate"}}
    auditlog.append("view", "张三@wjw.example.cn", what)
    row = whole_lines(log_at)[0]
    assert row["what"] == what and row["email"] == "张三@wjw.example.cn"


def test_view_lines_are_rate_limited_per_session_and_the_rest_counted():
    limiter = auditlog.Limiter()
    allowed = [limiter.take(now=100 + i * 0.01) for i in range(1000)]  # 1,000 URLs in 10 s
    n = sum(ok for ok, _ in allowed)
    assert auditlog.VIEW_BURST <= n <= auditlog.VIEW_BURST + 2  # the burst, then 12 a minute
    later = limiter.take(now=100 + 60)
    handed_over = sum(skipped for _, skipped in allowed) + later[1]
    assert later[0] and handed_over == 1000 - n  # each line left out is counted, once
    other = auditlog.Limiter()  # another session has its own
    assert other.take(now=100)[0]


def test_a_flooding_tab_writes_a_bounded_log(tiny_env, tmp_path, monkeypatch):
    """The whole app, one session, 200 reruns each with a new 100 KB URL value (as a tab sending
    URLs over the websocket does): the log grows by the burst's lines, each bounded."""
    from tests.conftest import run_app

    path = tmp_path / "audit.jsonl"
    monkeypatch.setenv("DASHBOARD_AUDIT", str(path))
    monkeypatch.setattr(auditlog, "clock", lambda: 1000.0)  # all at once: no refill meanwhile
    at = run_app("pages/data.py")
    for i in range(60):
        at.query_params["x"] = f"{i}" + "z" * 100_000
        at.run()
    assert not at.exception
    views = [r for r in auditlog.read_audit(path) if r["action"] == "view"]
    assert len(views) == auditlog.VIEW_BURST
    assert path.stat().st_size <= auditlog.VIEW_BURST * auditlog.LINE_MAX_BYTES
    assert all("…[cut " in r["what"]["params"]["x"] for r in views[1:])


def test_rotation_keeps_the_old_files_and_audit_reads_them_all(log_at, monkeypatch, capsys):
    monkeypatch.setenv("DASHBOARD_AUDIT_ROTATE_MB", "0.003")  # 3 KB
    for i in range(100):
        assert auditlog.append("view", f"u{i}@b.cn", {"page": "province", "n": i})
    old = auditlog.archives(log_at)
    assert len(old) >= 3 and all(p.name.endswith(".gz") for p in old)
    assert log_at.stat().st_size <= 3000
    assert not [p for p in log_at.parent.iterdir() if p.name.startswith(".")]  # no temp left
    rows = auditlog.read_audit(log_at)
    assert [r["what"]["n"] for r in rows] == list(range(100))  # all of them, oldest first
    assert [r["what"]["n"] for r in auditlog.read(log_at, last=7).rows] == list(range(93, 100))
    assert main(["audit", "--file", str(log_at), "--email", "u42@b.cn"]) == 0
    out = capsys.readouterr().out
    assert "u42@b.cn" in out and "(1 lines)" in out
    use = auditlog.usage(log_at)
    assert use.files == len(old) + 1
    said = msg("audit.usage", **auditlog.usage_values(use) | {"free": "\x00"}).split("\x00")[0]
    assert said in out  # its own disk use (free space compared apart: it moves)
    monkeypatch.setenv("DASHBOARD_AUDIT_KEEP", "2")
    for i in range(100, 140):
        auditlog.append("view", "a@b.cn", {"page": "province", "n": i})
    assert len(auditlog.archives(log_at)) == 2


def _writer(path: str, who: int, n: int) -> None:
    os.environ["DASHBOARD_AUDIT"] = path
    os.environ["DASHBOARD_AUDIT_ROTATE_MB"] = "0.02"
    for i in range(n):
        assert auditlog.append("view", f"w{who}@b.cn", {"page": "province", "n": i})


def test_replicas_writing_at_once_lose_and_glue_nothing(tmp_path):
    """Four processes (the replicas) append and rotate the same log at the same time."""
    path = tmp_path / "audit.jsonl"
    context = multiprocessing.get_context("spawn")
    procs = [context.Process(target=_writer, args=(str(path), w, 300)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    reading = auditlog.read(path)
    assert reading.skipped == 0
    for w in range(4):
        mine = [r["what"]["n"] for r in reading.rows if r["email"] == f"w{w}@b.cn"]
        assert mine == list(range(300))  # every line of each, once, in its order
    assert len(auditlog.archives(path)) >= 2


def test_since_skips_files_rotated_before_the_day(log_at, monkeypatch):
    monkeypatch.setenv("DASHBOARD_AUDIT_ROTATE_MB", "0.002")
    for i in range(40):
        auditlog.append("view", "a@b.cn", {"n": i})
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert auditlog.read_audit(log_at, since=tomorrow) == []
    assert len(auditlog.read_audit(log_at, since=dt.date.today())) == 40


def _admin_panel():
    from dashboard import gate

    gate.access_panel()


def test_admins_see_the_logs_disk_use_and_lines_from_rotated_files(log_at, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from dashboard import access, gate, ui
    from dashboard.access.grant import Grant

    monkeypatch.setenv("DASHBOARD_AUDIT_ROTATE_MB", "0.003")
    for i in range(60):
        auditlog.append("view", "a@b.cn", {"page": "province", "n": i})
    assert auditlog.archives(log_at)
    monkeypatch.setattr(access, "login_enabled", lambda: True)
    monkeypatch.setattr(access, "current", lambda: Grant("it@nhc.cn", (100000,), "admin"))
    monkeypatch.setattr(gate, "refused_rows", lambda: None)
    monkeypatch.setattr(ui, "downloads", lambda *a, **k: None)  # they need a signed-in user
    # the room left on the disk moves while other processes write: hold it still
    room = collections.namedtuple("usage", "total used free")(10**12, 0, 82 * 2**30)
    monkeypatch.setattr(auditlog.shutil, "disk_usage", lambda _: room)
    at = AppTest.from_function(_admin_panel, default_timeout=30).run()
    assert not at.exception
    use = auditlog.usage(log_at)
    assert use.files >= 2
    captions = [c.value for c in at.caption]
    # free space moves with whatever else writes to the disk: compared up to it
    said = msg("audit.usage", **auditlog.usage_values(use) | {"free": "\x00"}).split("\x00")[0]
    assert any(c.startswith(said) for c in captions), captions
    shown = at.dataframe[0].value
    assert len(shown) == 60  # the newest lines, across the rotated files, newest first
    assert json.loads(shown[msg("access.audit_what")].iloc[-1])["n"] == 0  # the oldest, rotated
