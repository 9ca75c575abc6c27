"""The access list, kiosk tokens and the audit log (dashboard/access.py), without a server."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os

import pytest

from dashboard import access
from dashboard.__main__ import main
from dashboard.access import grant

# an extra column (姓名, a note) is kept in Excel and ignored here
LIST = (
    "email,regions,role,姓名\n"
    "Zhang.San@wjw.example.cn,330800 330100,analyst,张三\n"
    "li@wjw.example.cn,100000,viewer,李四\n"
)


KNOWN = {330000, 330100, 330800, 330802, 330822, 620000}  # the regions table, for these tests


def parse(raw: bytes, by: str = "email"):
    return grant.parse(raw, KNOWN, by)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_the_list_reads_as_excel_saves_it(encoding):
    found = parse(LIST.encode(encoding))
    assert not found.refused and not found.unreadable
    zhang = found.grants["zhang.san@wjw.example.cn"]  # emails compare without case
    assert zhang.regions == (330100, 330800) and zhang.may_download
    assert found.grants["li@wjw.example.cn"].regions == (access.NATIONAL,)
    assert not found.grants["li@wjw.example.cn"].may_download


def test_excel_unicode_text_chinese_headers_full_width_digits_and_floats_are_read():
    # Excel's "Unicode text": UTF-16 with tabs; a Chinese header; codes as typed in Excel
    body = "邮箱\t地区\t角色\t姓名\nwang@wjw.example.cn\t３３０８０２\t查看\t王\nzhao@wjw.example.cn\t330802.0、330822\t管理员\t赵\n"
    found = parse(body.encode("utf-16"))
    assert not found.refused
    assert found.grants["wang@wjw.example.cn"].regions == (330802,)
    assert found.grants["zhao@wjw.example.cn"] == grant.Grant(
        "zhao@wjw.example.cn", (330802, 330822), "admin"
    )


def test_headers_in_any_case_and_blank_lines_are_fine():
    raw = b" Email ,REGIONS,Role\n\n,,\na@b.cn,330000,Admin\n"
    assert parse(raw).grants["a@b.cn"].is_admin


BAD_ROWS = [
    ("a@b.cn,330000,boss", "role_unknown"),
    ("a@b.cn,浙江,viewer", "region_malformed"),
    ("a@b.cn,3300,viewer", "region_malformed"),
    ("a@b.cn,,viewer", "regions_missing"),
    ("not-an-email,330000,viewer", "email_invalid"),
    ("a@b.cn\x00,330000,viewer", "email_invalid"),  # a NUL byte could never match
    ("a@b\x1b[31m.cn,330000,viewer", "email_invalid"),
    ("a@b.cn,330820,viewer", "region_unknown"),  # a typo of 330802
    ("a@b.cn,339999 330000,viewer", "region_unknown"),
]


@pytest.mark.parametrize("bad,reason", BAD_ROWS)
def test_a_bad_row_is_refused_alone_with_its_line_and_reason(bad, reason):
    body = f"email,regions,role\nadmin@b.cn,100000,admin\n{bad}\nli@b.cn,330800,viewer\n"
    found = parse(body.encode())
    assert [(r.line, r.reason) for r in found.refused] == [(3, reason)]
    assert set(found.grants) == {"admin@b.cn", "li@b.cn"}  # the others still grant
    text = grant.describe(found.refused[0], "zh")
    assert text.startswith("第 3 行") and "\x00" not in text and "\x1b" not in text


def test_the_same_email_twice_is_refused_on_both_rows_named():
    body = "email,regions,role\nA@b.cn,330000,viewer\nboss@b.cn,100000,admin\na@B.cn,620000,admin\n"
    found = parse(body.encode())
    assert [(r.line, r.reason) for r in found.refused] == [(2, "twice"), (4, "twice")]
    assert "a@b.cn" in grant.describe(found.refused[0], "en")
    assert "(also line 4)" in grant.describe(found.refused[0], "en")
    assert set(found.grants) == {"boss@b.cn"}


def test_a_file_that_is_not_a_list_grants_nothing_and_says_why():
    assert parse(b"name,phone\nx,y\n").unreadable[0] == "access.list.columns"
    assert parse(b"\x81\xff\xfe\x00" * 10 + b"\xff").unreadable[0] == "access.list.encoding"
    assert parse(b"").unreadable[0] == "access.list.empty"
    assert parse(b"PK\x03\x04" + b"\x00" * 40).unreadable[0] == "access.list.xlsx"


def test_matching_by_sub_needs_a_sub_on_each_row():
    body = "sub,email,regions,role\nidp-0001,a@b.cn,330000,admin\n,c@d.cn,330000,viewer\n"
    found = parse(body.encode(), by="sub")
    assert found.grants["idp-0001"] == grant.Grant("a@b.cn", (330000,), "admin", "idp-0001")
    assert [r.reason for r in found.refused] == ["sub_missing"]


def test_only_a_verified_email_or_a_sub_is_matched(monkeypatch):
    assert access.key_of({"email": "A@b.cn", "email_verified": True}) == "a@b.cn"
    assert access.key_of({"email": "a@b.cn", "email_verified": "true"}) == "a@b.cn"
    assert access.key_of({"email": "a@b.cn", "email_verified": False}) is None
    assert access.key_of({"email": "a@b.cn"}) is None  # the claim not sent: not verified
    monkeypatch.setenv("DASHBOARD_MATCH_BY", "sub")
    assert access.key_of({"email": "a@b.cn", "sub": "idp-0001"}) == "idp-0001"


def test_the_list_is_read_again_when_it_changes_and_a_bad_row_is_refused_alone(
    tmp_path, monkeypatch, caplog
):
    path = tmp_path / "access.csv"
    path.write_text(LIST, encoding="gbk")
    monkeypatch.setenv("DASHBOARD_ACCESS", str(path))
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "none.duckdb"))  # codes: form only
    assert access.grant_for("LI@wjw.example.cn").regions == (access.NATIONAL,)
    assert access.grant_for("wang@wjw.example.cn") is None
    path.write_text(LIST + "wang@wjw.example.cn,620000,viewer\n", encoding="gbk")
    os.utime(path, ns=(1, 2))  # a different mtime, as a save in Excel gives
    assert access.grant_for("wang@wjw.example.cn").regions == (620000,)
    with caplog.at_level(logging.ERROR, logger="dashboard"):
        path.write_text(LIST + "wang@wjw.example.cn,甘肃,viewer\n", encoding="utf-8")
        assert access.grant_for("li@wjw.example.cn").regions == (access.NATIONAL,)
        assert access.grant_for("wang@wjw.example.cn") is None
    assert "line 4" in caplog.text
    assert [r.line for r in access.list_report().refused] == [4]
    path.unlink()
    assert access.access_list() == {}
    monkeypatch.delenv("DASHBOARD_ACCESS")
    assert access.access_list() == {}


BAD_LISTS = {
    "dup.csv": (
        "email,regions,role\nzhang@b.cn,330800,analyst\nZHANG@b.cn,330000,viewer\n",
        "utf-8",
    ),
    "typo.csv": ("邮箱,地区,角色\nqian@b.cn,330820,查看\nsun@b.cn,339999 330000,查看\n", "gbk"),
    "nul.csv": (
        "email,regions,role\nzheng@b.cn\x00,330000,viewer\nok@b.cn,330000,admin\n",
        "utf-8",
    ),
}


def test_access_check_prints_each_refused_row_and_exits_nonzero(
    tiny_db, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("DASHBOARD_DB", str(tiny_db))
    for name, (body, encoding) in BAD_LISTS.items():
        (tmp_path / name).write_text(body, encoding=encoding)
        assert main(["access", "check", str(tmp_path / name)]) == 1
    out = capsys.readouterr().out
    assert "第 2 行" in out and "第 3 行" in out and "zhang@b.cn" in out
    assert "330820" in out and "339999" in out
    assert "\\x00" in out and "\x00" not in out  # shown, not sent to the terminal
    good = tmp_path / "good.csv"
    good.write_text("email,regions,role\nok@b.cn,330802.0,admin\n", encoding="utf-16")
    assert main(["access", "check", str(good), "--lang", "en"]) == 0
    assert "1 people granted, no row refused" in capsys.readouterr().out
    assert main(["access", "check", str(tmp_path / "missing.csv")]) == 2


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


def test_a_made_file_is_served_only_to_its_login_while_granted_and_not_after_expiry(
    tmp_path, monkeypatch
):
    from dashboard.access import files

    path = tmp_path / "access.csv"
    path.write_text(LIST, encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_ACCESS", str(path))
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "none.duckdb"))
    monkeypatch.setattr(access, "login_enabled", lambda: True)
    zhang = "zhang.san@wjw.example.cn"
    claims = {zhang: {"email": zhang, "email_verified": True, "sub": "s1"}}
    monkeypatch.setattr(files, "_cookie_claims", lambda c: claims.get(c.get("who"), {}))
    owner = files.Owner("user", key=zhang, email=zhang, cookie=files._digest("cookie-1"))
    files.made(b"table,1\n", owner)
    mine = {files.COOKIE: "cookie-1", "who": zhang}
    assert files.refusal(b"table,1\n", mine) is None
    assert files.refusal(b"table,1\n", {}) == "another login"  # no cookie at all
    assert files.refusal(b"table,1\n", mine | {files.COOKIE: "cookie-2"}) == "another login"
    assert files.refusal(b"other\n", mine) == "unknown or expired"
    path.write_text(LIST.replace("analyst", "viewer"), encoding="utf-8")
    os.utime(path, ns=(5, 6))
    assert files.refusal(b"table,1\n", mine) == "withdrawn"
    path.write_text(LIST, encoding="utf-8")
    os.utime(path, ns=(7, 8))
    assert files.refusal(b"table,1\n", mine) is None
    later = files.time.monotonic() + files.EXPIRE_S + 1
    monkeypatch.setattr(files.time, "monotonic", lambda: later)
    assert files.refusal(b"table,1\n", mine) == "expired"


def test_a_download_checks_the_grant_when_clicked_not_when_drawn(tmp_path, monkeypatch):
    from dashboard.access import files

    path = tmp_path / "access.csv"
    path.write_text(LIST, encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_ACCESS", str(path))
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "none.duckdb"))
    monkeypatch.setenv("DASHBOARD_AUDIT", str(tmp_path / "audit.jsonl"))
    zhang = "zhang.san@wjw.example.cn"
    owner = files.Owner("user", key=zhang, email=zhang, sub="s1")
    monkeypatch.setattr(files.Owner, "now", classmethod(lambda cls: owner))
    seen = []
    make = access.audited("sites.csv", lambda: seen.append(access.scope()) or b"x")
    assert make() == b"x" and seen == [(330100, 330800)]  # made under the grant as it is then
    path.write_text(LIST.replace("330800 330100", "330822"), encoding="utf-8")
    os.utime(path, ns=(3, 4))
    assert make() == b"x" and seen[-1] == (330822,)  # narrowed regions apply at the click
    path.write_text(LIST.replace("Zhang.San@wjw.example.cn,330800 330100,analyst,张三\n", ""))
    os.utime(path, ns=(5, 6))
    with pytest.raises(access.Withdrawn):
        make()
    lines = [
        (r["action"], r["what"], r.get("sub")) for r in access.read_audit(tmp_path / "audit.jsonl")
    ]
    assert lines[-1] == ("denied", {"download": "sites.csv", "reason": "withdrawn"}, "s1")
    assert lines[0] == ("download", "sites.csv", "s1")


def test_a_kiosk_token_for_a_region_that_does_not_exist_is_refused(
    tiny_db, tmp_path, monkeypatch, caplog
):
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[tokens.lobby]\ntoken = "{"k" * 40}"\nregions = "330822"\n'
        f'[tokens.typo]\ntoken = "{"t" * 40}"\nregions = "330820"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("KIOSK_CONFIG", str(config))
    monkeypatch.delenv("DASHBOARD_KIOSK_TOKEN", raising=False)
    monkeypatch.setenv("DASHBOARD_DB", str(tiny_db))
    with caplog.at_level(logging.ERROR, logger="dashboard"):
        assert access.kiosk_grant("k" * 40).regions == (330822,)
        assert access.kiosk_grant("t" * 40) is None
    assert "kiosk token typo refused: no such region 330820" in caplog.text
