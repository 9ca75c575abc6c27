"""The admin meets the audit log in the browser, through the real login (the world of
tests/test_browser_access.py: a real OpenID provider and `streamlit run` with [auth]): lines
from rotated files are in the table, and the log's own disk use is said above it."""

# ruff: noqa: F811 (the world fixture is imported by name)

from __future__ import annotations

import os
import re

from dashboard import auditlog
from tests.browser import chromium
from tests.helpers import msg
from tests.test_browser_access import ADMIN, body, login, settle, world  # noqa: F401


def test_the_admin_sees_rotated_lines_and_the_logs_disk_use(world, monkeypatch):
    log = world["audit"]
    monkeypatch.setenv("DASHBOARD_AUDIT", str(log))
    monkeypatch.setenv("DASHBOARD_AUDIT_ROTATE_MB", "0.002")  # rotate here, beside the server
    for i in range(30):
        assert auditlog.append("download", "archived@old.example.cn", {"file": f"f{i}.csv"})
    monkeypatch.delenv("DASHBOARD_AUDIT_ROTATE_MB")
    assert auditlog.archives(log)
    with chromium() as page:
        login(page, world, ADMIN)
        page.goto(world["url"] + "/data")
        page.get_by_text(msg("access.audit_title", n=0)[:4]).first.wait_for(timeout=60_000)
        settle(page)
        shown = body(page)
        use = auditlog.usage(log)
        assert use.files >= 2
        # the caption: its files, their size and the room left (numbers move as lines come in)
        values = auditlog.usage_values(use) | {"size": "\x00"}
        head = msg("audit.usage", **values).split("\x00")[0]
        assert head in shown and f"（{use.files} 个文件" in shown
        page.screenshot(path=str(log.parent / "admin_audit.png"), full_page=True)
        # the table (drawn on a canvas) counts the rotated file's 30 lines with the current ones
        title = re.escape(msg("access.audit_title", n="\x00")).replace("\x00", r"(\d+)")
        counted = re.search(title, shown)
        assert counted and int(counted.group(1)) >= 30 + 2  # and the admin's login and view
    assert os.path.exists(log)
