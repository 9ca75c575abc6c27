"""Import in the browser with login on (issue 23): a province's admin imports only into that
province (the scope comes from the access list), a viewer sees no import at all; through the
real login of a mock OpenID provider, as tests/test_browser_access.py does."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import chromium, free_port, require_chromium, streamlit_server
from tests.helpers import msg
from tests.test_browser_access import _db, login, write_secrets
from tests.test_browser_office import SITES, check, csv_file, open_choices, q, settle

ZJ_ADMIN = "zj.admin@wjw.example.cn"  # 浙江省, admin
ZJ_VIEWER = "zj.viewer@wjw.example.cn"  # 浙江省, viewer


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    require_chromium()
    from oidc_provider_mock import User, run_server_in_thread

    base = tmp_path_factory.mktemp("office_login")
    db = _db(base)
    (base / "access.csv").write_text(
        f"email,regions,role\n{ZJ_ADMIN},330000,admin\n{ZJ_VIEWER},330000,viewer\n",
        encoding="gbk",
    )
    users = [
        User(sub=e, claims={"email": e, "email_verified": True}) for e in (ZJ_ADMIN, ZJ_VIEWER)
    ]
    port = free_port()
    with run_server_in_thread(user_claims=users) as idp:
        issuer = f"http://localhost:{idp.server_port}"
        write_secrets(base, port, issuer)
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("STREAMLIT_SECRETS_FILES", str(base / "secrets.toml"))
            mp.setenv("DASHBOARD_ACCESS", str(base / "access.csv"))
            mp.setenv("DASHBOARD_AUDIT", str(base / "audit.jsonl"))
            mp.delenv("DASHBOARD_OPEN_IMPORT", raising=False)
            with streamlit_server(db, port) as url:
                yield {"url": url, "issuer": issuer, "db": db, "audit": base / "audit.jsonl"}


def test_a_province_admin_cannot_publish_outside_the_province(world, tmp_path):
    path = csv_file(
        tmp_path / "sites.csv",
        SITES,
        [
            ["ZJL-1", "柯城区人民医院", "综合医院", "三级", "公立", "330802"],
            ["GSL-1", "兰州示范医院", "综合医院", "三级甲等", "公立", "620102"],
        ],
    )
    before = Path(world["db"]).read_bytes()
    with chromium() as page:
        login(page, world, ZJ_ADMIN)
        page.goto(world["url"] + "/data")
        page.get_by_text(msg("office.title"), exact=True).wait_for(timeout=120_000)
        settle(page)
        assert msg("office.scope_provinces", names="浙江省") in page.inner_text("body")
        # the province is the admin's: 浙江省 only, no "the provinces of the file's rows"
        open_choices(page, msg("office.province"), page.get_by_role("option").first)
        assert page.get_by_role("option").all_inner_texts() == ["浙江省"]
        page.keyboard.press("Escape")
        text = check(page, [path])
        assert "GSL-1" in text and msg("import.rule.outside_province", scope="330000") in text
        assert page.get_by_role("button", name=msg("office.publish"), exact=True).count() == 0
    assert Path(world["db"]).read_bytes() == before
    assert q(world["db"], "select count(*) from sites where origin = 'office'") == [(0,)]
    lines = world["audit"].read_text(encoding="utf-8")
    assert "import_check" in lines and ZJ_ADMIN in lines


def test_a_viewer_has_no_import(world):
    with chromium() as page:
        login(page, world, ZJ_VIEWER)
        page.goto(world["url"] + "/data")
        page.get_by_text(msg("data.sources_title")).wait_for(timeout=120_000)
        settle(page)
        assert msg("office.title") not in page.inner_text("[data-testid='stMain']")
        assert page.locator("[data-testid='stFileUploaderDropzoneInput']").count() == 0
