"""The access list, kiosk tokens and the audit log (dashboard/access.py), without a server."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os

import pytest

from dashboard import access
from dashboard.__main__ import main

# an extra column (姓名, a note) is kept in Excel and ignored here
LIST = (
    "email,regions,role,姓名\n"
    "Zhang.San@wjw.example.cn,330800 330100,analyst,张三\n"
    "li@wjw.example.cn,100000,viewer,李四\n"
)


def test_the_list_reads_from_excel_in_utf8_or_gbk():
    for encoding in ("utf-8-sig", "gbk"):
        grants = access.parse_access_list(LIST.encode(encoding))
        zhang = grants["zhang.san@wjw.example.cn"]  # emails compare without case
        assert zhang.regions == (330100, 330800) and zhang.may_download
        assert grants["li@wjw.example.cn"].regions == (access.NATIONAL,)
        assert not grants["li@wjw.example.cn"].may_download


def test_headers_in_any_case_and_blank_lines_are_fine():
    raw = b" Email ,REGIONS,Role\n\n,,\na@b.cn,330000,Admin\n"
    assert access.parse_access_list(raw)["a@b.cn"].is_admin


@pytest.mark.parametrize(
    "body",
    [
        "email,regions\na@b.cn,330000\n",  # no role column
        "email,regions,role\na@b.cn,330000,boss\n",  # unknown role
        "email,regions,role\na@b.cn,浙江,viewer\n",  # a name, not a code
        "email,regions,role\na@b.cn,3300,viewer\n",  # not six digits
        "email,regions,role\na@b.cn,,viewer\n",  # no region
        "email,regions,role\nnot-an-email,330000,viewer\n",
        "email,regions,role\na@b.cn,330000,viewer\nA@b.cn,620000,admin\n",  # twice
    ],
)
def test_a_malformed_list_is_refused_whole(body):
    with pytest.raises(access.AccessListError):
        access.parse_access_list(body.encode())


def test_the_list_is_read_again_when_it_changes_and_a_bad_one_grants_nothing(
    tmp_path, monkeypatch, caplog
):
    path = tmp_path / "access.csv"
    path.write_text(LIST, encoding="gbk")
    monkeypatch.setenv("DASHBOARD_ACCESS", str(path))
    assert access.grant_for("LI@wjw.example.cn").regions == (access.NATIONAL,)
    assert access.grant_for("wang@wjw.example.cn") is None
    path.write_text(LIST + "wang@wjw.example.cn,620000,viewer\n", encoding="gbk")
    os.utime(path, ns=(1, 2))  # a different mtime, as a save in Excel gives
    assert access.grant_for("wang@wjw.example.cn").regions == (620000,)
    with caplog.at_level(logging.ERROR, logger="dashboard"):
        path.write_text(LIST + "wang@wjw.example.cn,甘肃,viewer\n", encoding="utf-8")
        assert access.grant_for("li@wjw.example.cn") is None  # nobody, not the old list
    assert "refused" in caplog.text and "line 4" in caplog.text
    path.unlink()
    assert access.access_list() == {}
    monkeypatch.delenv("DASHBOARD_ACCESS")
    assert access.access_list() == {}


def test_kiosk_tokens_from_the_config_and_the_environment(tmp_path, monkeypatch, caplog):
    good, short = "k" * 40, "s" * 10
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'slides = ["overview"]\n[tokens.lobby]\ntoken = "{good}"\nregions = "330800"\n'
        f'[tokens.weak]\ntoken = "{short}"\nregions = "330000"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("KIOSK_CONFIG", str(config))
    monkeypatch.setenv("DASHBOARD_KIOSK_TOKEN", "e" * 48)
    monkeypatch.setenv("DASHBOARD_KIOSK_REGIONS", "100000")
    with caplog.at_level(logging.ERROR, logger="dashboard"):
        assert access.kiosk_grant(good) == access.Grant("kiosk:lobby", (330800,), "viewer")
        assert access.kiosk_grant("e" * 48).regions == (access.NATIONAL,)
        assert access.kiosk_grant(short) is None  # too short to be safe: refused
        assert access.kiosk_grant(good[:-1] + "x") is None
        assert access.kiosk_grant("") is None
    assert "kiosk token weak refused" in caplog.text
    assert not access.kiosk_grant(good).may_download


def test_provinces_in_scope():
    assert access.province_in_scope(330000, (330822,))
    assert access.province_in_scope(620000, (access.NATIONAL,))
    assert not access.province_in_scope(620000, (330800, 310000))


def test_audit_lines_are_appended_and_read_back(tmp_path, monkeypatch):
    path = tmp_path / "logs" / "audit.jsonl"
    monkeypatch.setenv("DASHBOARD_AUDIT", str(path))
    access.audit("login", "a@b.cn", {"role": "viewer"})
    access.audit("download", "c@d.cn", "sites.csv")
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    assert [x["action"] for x in lines] == ["login", "download"]
    assert set(lines[0]) == {"time", "email", "action", "what"}
    assert [r["email"] for r in access.read_audit(email="C@D.cn")] == ["c@d.cn"]
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    assert access.read_audit(since=tomorrow) == []


def test_a_lost_disk_loses_the_line_not_the_page(tmp_path, monkeypatch, caplog):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("DASHBOARD_AUDIT", str(blocker / "audit.jsonl"))
    with caplog.at_level(logging.ERROR, logger="dashboard"):
        access.audit("view", "a@b.cn", {"page": "province"})  # no exception
    assert "audit line lost" in caplog.text
    monkeypatch.setenv("DASHBOARD_AUDIT", "/dev/full")
    access.audit("view", "a@b.cn", {"page": "province"})  # ENOSPC: no exception either


def test_the_audit_command_prints_a_table(tmp_path, monkeypatch, capsys):
    path = tmp_path / "audit.jsonl"
    monkeypatch.setenv("DASHBOARD_AUDIT", str(path))
    access.audit("login", "张三@wjw.example.cn", {"role": "viewer"})
    access.audit("download", "li@wjw.example.cn", "sites\x1b[31m.csv")
    with path.open("a", encoding="utf-8") as f:
        f.write("not json\n")
    assert main(["audit", "--email", "li@wjw.example.cn"]) == 0
    out = capsys.readouterr().out
    assert "download" in out and "sites?[31m.csv" in out and "张三" not in out
    assert "\x1b" not in out  # no escape sequence reaches the terminal
    assert main(["audit", "--since", dt.date.today().isoformat()]) == 0
    out = capsys.readouterr().out
    assert "张三@wjw.example.cn" in out and "(2 lines)" in out


def test_open_mode_is_said_on_the_data_page_and_audited(tiny_env, tmp_path, monkeypatch):
    from tests.conftest import run_app
    from tests.helpers import msg

    monkeypatch.setenv("DASHBOARD_AUDIT", str(tmp_path / "audit.jsonl"))
    at = run_app("pages/data.py")
    assert not at.exception
    assert msg("access.open_mode") in [i.value for i in at.info]
    assert at.get("download_button")  # anyone downloads in open mode, as on a laptop
    views = access.read_audit(tmp_path / "audit.jsonl")
    assert [(v["email"], v["action"], v["what"]["page"]) for v in views] == [("-", "view", "data")]
