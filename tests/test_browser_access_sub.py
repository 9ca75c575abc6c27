"""DASHBOARD_MATCH_BY=sub end to end, for an identity provider that does not say whether an
email is verified: the real OpenID provider on loopback, `streamlit run` with login on, an access
list naming accounts by `sub`, and headless Chromium through the real login."""

from __future__ import annotations

import pytest

from dashboard import access
from tests.browser import chromium, free_port, require_chromium, streamlit_server
from tests.helpers import msg
from tests.test_browser_access import _db, _map_locations, body, login, settle, write_secrets

LI = (
    "idp-0001",
    "li@wjw.example.cn",
)  # on the list by its sub; the provider sends no email_verified
OTHER = ("idp-0002", "admin@wjw.example.cn")  # the admin's address, another account: not listed


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The provider, one app server matching the list by sub, and where its audit log is."""
    require_chromium()
    from oidc_provider_mock import User, run_server_in_thread

    base = tmp_path_factory.mktemp("access_sub")
    db = _db(base)
    (base / "access.csv").write_text(
        f"sub,email,regions,role\n{LI[0]},{LI[1]},330800,analyst\n", encoding="utf-8"
    )
    users = [User(sub=sub, claims={"email": email}) for sub, email in (LI, OTHER)]
    port = free_port()
    with run_server_in_thread(user_claims=users) as idp:
        issuer = f"http://localhost:{idp.server_port}"
        write_secrets(base, port, issuer)
        env = {
            "STREAMLIT_SECRETS_FILES": str(base / "secrets.toml"),
            "DASHBOARD_ACCESS": str(base / "access.csv"),
            "DASHBOARD_AUDIT": str(base / "audit.jsonl"),
            "DASHBOARD_MATCH_BY": "sub",
        }
        with pytest.MonkeyPatch.context() as mp:
            for key, value in env.items():
                mp.setenv(key, value)
            with streamlit_server(db, port) as url:
                yield {"url": url, "issuer": issuer, "audit": base / "audit.jsonl"}


def test_matching_by_sub_lets_the_listed_account_in_and_no_other(world):
    with chromium() as page:
        login(page, world, LI[0])
        page.goto(world["url"] + "/province?province=330000")
        page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        settle(page)
        assert _map_locations(page) == {"330802", "330822"}
    with chromium() as page:
        login(page, world, OTHER[0])
        page.get_by_text(msg("access.denied_title")).wait_for(timeout=60_000)
        settle(page)
        assert page.locator(".js-plotly-plot").count() == 0
        assert "衢州" not in body(page)
    lines = access.read_audit(world["audit"])
    logins = [r for r in lines if r["action"] == "login"]
    assert logins and {(r["email"], r["sub"]) for r in logins} == {(LI[1], LI[0])}
    denied = [r for r in lines if r["action"] == "denied"]
    assert denied and {(r["email"], r["sub"]) for r in denied} == {(OTHER[1], OTHER[0])}
