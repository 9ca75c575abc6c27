"""Login end to end: a real OpenID provider on loopback (oidc-provider-mock), `streamlit run` with
[auth] in its secrets, an access list and a kiosk token, and headless Chromium through the real
login. Nothing inside the app is replaced; the audit log is read at the end."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from dashboard import access, build
from tests.browser import chromium, free_port, require_chromium, streamlit_server
from tests.conftest import write_data_dir
from tests.helpers import msg

ZJ = "zj.viewer@wjw.example.cn"  # 浙江省, viewer
QZ = "qz.analyst@wjw.example.cn"  # 衢州市, analyst
ADMIN = "admin@wjw.example.cn"  # the whole country, admin
STRANGER = "nobody@wjw.example.cn"  # logs in, not on the list
MALLORY = "mallory-0001"  # an account whose provider says the admin's address, unverified
TOKEN = secrets.token_urlsafe(32)
GANSU = ("甘肃", "兰州", "城关区", "七里河区")
ACCESS_LIST = f"""email,regions,role
{ZJ},330000,viewer
{QZ.upper()},330800,analyst
{ADMIN},100000,admin
"""


def _db(base: Path) -> Path:
    """The tiny database with one more Zhejiang county outside 衢州 (杭州 上城区)."""
    data_dir = write_data_dir(base / "data")
    regions = data_dir / "boundaries" / "regions.csv"
    with regions.open("a", encoding="utf-8") as f:
        f.write("330100,杭州市,,city,330000,330000,120.2,30.3\n")
        f.write("330102,上城区,,county,330100,330000,120.2,30.3\n")
    counties = data_dir / "boundaries" / "counties.geojson"
    shapes = json.loads(counties.read_text(encoding="utf-8"))
    ring = [[120.0, 30.1], [120.0, 30.5], [120.4, 30.5], [120.4, 30.1], [120.0, 30.1]]
    shapes["features"].append(
        {
            "type": "Feature",
            "id": "330102",
            "properties": {"adcode": 330102, "name": "上城区"},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
    )
    counties.write_text(json.dumps(shapes), encoding="utf-8")
    return build.build(base / "access.duckdb", data_dir=data_dir)


def write_secrets(base: Path, port: int, issuer: str) -> Path:
    """Streamlit's [auth] settings for the app on `port`, signing in at the provider `issuer`."""
    path = base / "secrets.toml"
    path.write_text(
        f"""[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "dashboard"
client_secret = "{secrets.token_hex(16)}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The identity provider, one app server with login on, and where its audit log is."""
    require_chromium()
    from oidc_provider_mock import User, run_server_in_thread

    base = tmp_path_factory.mktemp("access")
    db = _db(base)
    (base / "access.csv").write_text(ACCESS_LIST, encoding="gbk")  # as Excel saves it in China
    kiosk_toml = (Path(__file__).parent.parent / "kiosk.toml").read_text(encoding="utf-8")
    (base / "kiosk.toml").write_text(
        kiosk_toml + f'\n[tokens.lobby]\ntoken = "{TOKEN}"\nregions = "330800"\n', encoding="utf-8"
    )
    users = [
        User(sub=e, claims={"email": e, "email_verified": True}) for e in (ZJ, QZ, ADMIN, STRANGER)
    ]
    users.append(User(sub=MALLORY, claims={"email": ADMIN, "email_verified": False}))
    port = free_port()
    with run_server_in_thread(user_claims=users) as idp:
        issuer = f"http://localhost:{idp.server_port}"
        write_secrets(base, port, issuer)
        env = {
            "STREAMLIT_SECRETS_FILES": str(base / "secrets.toml"),
            "DASHBOARD_ACCESS": str(base / "access.csv"),
            "DASHBOARD_AUDIT": str(base / "audit.jsonl"),
            "KIOSK_CONFIG": str(base / "kiosk.toml"),
        }
        with pytest.MonkeyPatch.context() as mp:
            for key, value in env.items():
                mp.setenv(key, value)
            with streamlit_server(db, port) as url:
                yield {
                    "url": url,
                    "issuer": issuer,
                    "audit": base / "audit.jsonl",
                    "access": base / "access.csv",
                }


def audit_lines(world, **match) -> list[dict]:
    rows = access.read_audit(world["audit"])
    return [r for r in rows if all(r.get(k) == v for k, v in match.items())]


def settle(page) -> None:
    """Wait until Streamlit has finished the run (no running indicator, app drawn)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=30_000)
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    page.wait_for_timeout(500)


def login(page, world, email: str) -> None:
    """Through the login screen, the provider's form and back (email: the account's sub)."""
    page.goto(world["url"] + "/")
    page.get_by_role("button", name=msg("access.login_button")).click()
    page.wait_for_url(world["issuer"] + "/**", timeout=30_000)
    page.get_by_placeholder("sub").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(world["url"] + "/**", timeout=30_000)


def data_download(page):
    """The CSV button of the Data page's "下载数据" section (the first after its heading): on a
    busy machine the page may still be drawing it when the other tables' buttons are there."""
    title, csv = msg("data.download_title"), msg("common.download_csv")
    button = page.locator(
        f"xpath=//*[normalize-space(text())='{title}']/following::button[normalize-space()='{csv}'][1]"
    )
    button.wait_for(timeout=60_000)
    return button


def body(page) -> str:
    return page.inner_text("body")


def test_anonymous_sees_the_login_screen_and_no_data(world):
    with chromium() as page:
        page.goto(world["url"] + "/province?province=330000")
        page.get_by_role("button", name=msg("access.login_button")).wait_for(timeout=60_000)
        settle(page)
        text = body(page)
        assert "浙江" not in text and "衢州" not in text
        assert page.locator(".js-plotly-plot").count() == 0
        assert page.locator("[data-testid='stDataFrame']").count() == 0
        assert not page.outside_requests


def test_a_province_official_sees_only_the_province(world):
    with chromium() as page:
        login(page, world, ZJ)
        page.goto(world["url"] + "/province?province=330000")
        settle(page)
        page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        assert "浙江省" in body(page)
        # the province picker offers Zhejiang only (and "all", which is all of one's regions)
        page.get_by_test_id("stSidebar").get_by_role("combobox").first.click()
        options = page.get_by_role("option").all_inner_texts()
        page.keyboard.press("Escape")
        assert sorted(options) == sorted([msg("province.all"), "浙江省"])
        # a viewer has no download buttons, here or on the Data page
        assert page.get_by_role("button", name=msg("common.download_csv")).count() == 0
        page.goto(world["url"] + "/data")
        page.get_by_text(msg("data.sources_title")).wait_for(timeout=60_000)
        settle(page)
        assert page.get_by_role("button", name=msg("common.download_csv")).count() == 0
        # a link to Gansu: the notice, nothing of Gansu
        page.goto(world["url"] + "/province?province=620000")
        page.get_by_text(msg("access.outside")).wait_for(timeout=60_000)
        settle(page)
        text = body(page)
        assert not [name for name in GANSU if name in text], text
    assert audit_lines(world, email=ZJ, action="login")
    assert audit_lines(world, email=ZJ, action="denied", what={"province": 620000})
    views = audit_lines(world, email=ZJ, action="view")
    assert any(
        v["what"]["page"] == "province" and v["what"]["params"].get("province") == "330000"
        for v in views
    )


def _map_locations(page) -> set[str]:
    """The places the maps show data for (the grey outline of China below carries none)."""
    return set(
        page.evaluate(
            """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(
                   el => (el.data || []).filter(trace => trace.hoverinfo !== 'skip')
                                       .flatMap(trace => trace.locations || []))"""
        )
    )


def test_a_city_official_sees_its_counties_and_may_download(world):
    with chromium() as page:
        login(page, world, QZ)  # listed in capitals: emails compare without case
        page.goto(world["url"] + "/province?province=330000")
        settle(page)
        page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        settle(page)
        assert _map_locations(page) == {"330802", "330822"}  # not Hangzhou's 330102
        assert "上城区" not in body(page)
        page.goto(world["url"] + "/data")
        page.get_by_text(msg("data.download_title")).wait_for(timeout=60_000)
        settle(page)
        button = data_download(page)
        with page.expect_download(timeout=30_000) as download:
            button.click()
        csv_text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert "R-A01" in csv_text  # the alliance with a member in 常山县
        # logout: through the provider's end-session form, back to the login screen
        page.get_by_role("button", name=msg("access.logout")).click()
        page.wait_for_url(world["issuer"] + "/**", timeout=30_000)
        page.get_by_role("button", name="End session").click()
        page.get_by_role("button", name=msg("access.login_button")).wait_for(timeout=60_000)
    assert audit_lines(world, email=QZ, action="download")
    assert audit_lines(world, email=QZ, action="logout")


def test_someone_not_on_the_list_is_told_to_ask_until_added(world):
    path = world["access"]
    text = path.read_text(encoding="gbk")
    try:
        with chromium() as page:
            login(page, world, STRANGER)
            page.get_by_text(msg("access.denied_title")).wait_for(timeout=60_000)
            page.get_by_text(STRANGER).wait_for(timeout=60_000)  # in the notice below it
            settle(page)
            shown = body(page)
            assert page.locator("a[href^='mailto:']").count() == 0  # data text is never a link
            assert page.locator(".js-plotly-plot").count() == 0
            assert "浙江" not in shown
            # added as a Gansu admin: the list is read again, no restart
            path.write_text(text + f"{STRANGER},620000,admin\n", encoding="gbk")
            page.goto(world["url"] + "/data")
            page.get_by_text(msg("access.audit_title", n=0)[:4]).first.wait_for(timeout=60_000)
            page.goto(world["url"] + "/province?province=620000")
            page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
            settle(page)
            assert "甘肃省" in body(page)
    finally:
        path.write_text(text, encoding="gbk")
    assert audit_lines(world, email=STRANGER, action="denied")


def test_the_kiosk_opens_with_its_token_only(world):
    with chromium() as page:
        for query in ("", "?token=" + "x" * 43):
            page.goto(world["url"] + "/kiosk" + query)
            page.get_by_text(msg("access.kiosk_denied")).wait_for(timeout=60_000)
            assert page.locator(".js-plotly-plot").count() == 0
        page.goto(world["url"] + f"/kiosk?token={TOKEN}&slides=province&interval=300")
        page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        settle(page)
        assert msg("access.kiosk_denied") not in body(page)
        assert _map_locations(page) <= {"330802", "330822"}
    denied = [r["what"]["reason"] for r in audit_lines(world, action="denied", email="-")]
    assert {"no token", "bad token"} <= set(denied)
    assert audit_lines(world, email="kiosk:lobby", action="login")
    assert all(TOKEN not in json.dumps(r) for r in access.read_audit(world["audit"]))


def put_list(world, text: str) -> None:
    """Save the access list as Excel would (GBK), with a new mtime."""
    world["access"].write_text(text, encoding="gbk")


def test_an_unverified_email_with_the_admins_address_is_not_admin(world):
    with chromium() as page:
        login(page, world, MALLORY)
        page.get_by_text(msg("access.denied_title")).wait_for(timeout=60_000)
        settle(page)
        text = body(page)
        assert msg("access.unverified_text", email=ADMIN) in text
        assert page.locator(".js-plotly-plot").count() == 0
        page.goto(world["url"] + "/data")
        page.get_by_text(msg("access.denied_title")).wait_for(timeout=60_000)
        assert msg("access.audit_title", n=0)[:4] not in body(page)
    denied = audit_lines(world, email=ADMIN, action="denied")
    assert denied  # once per browser session
    assert all(d["what"] == {"reason": "email not verified"} for d in denied)
    assert all(d["sub"] == MALLORY for d in denied)  # the account that signed in, beside its email
    assert not audit_lines(world, action="login", sub=MALLORY)


BAD_LIST = f"""邮箱,地区,角色,姓名
{ZJ},330000,viewer,张
{ZJ.upper()},620000,admin,张（又一行）
{QZ},３３０８００.0,分析,钱
{ADMIN},100000,admin,管理员
typo@wjw.example.cn,330820,viewer,笔误
nul@wjw.example.cn\x00,330000,viewer,控制字符
"""


def test_a_bad_row_refuses_only_itself_and_the_admin_sees_why(world):
    try:
        put_list(world, BAD_LIST)
        with chromium() as page:
            login(page, world, ADMIN)  # a list with four bad rows still lets the admin in
            page.goto(world["url"] + "/data")
            page.get_by_text(msg("access.list_refused_title", n=4)).wait_for(timeout=60_000)
            settle(page)
            # the word joiner that keeps an address from being made a link is not part of it
            table = page.get_by_test_id("stTable").first.inner_text().replace("\u2060", "")
            for line in ("2", "3", "6", "7"):
                assert line in table
            for needle in ("330820", ZJ, "\\x00"):
                assert needle in table, needle
            assert page.locator("a[href^='mailto:']").count() == 0  # data text is never a link
            page.get_by_test_id("stTable").first.scroll_into_view_if_needed()
            page.screenshot(path=str(world["audit"].parent / "refused_rows.png"))
        with chromium() as page:
            login(page, world, ZJ)  # listed twice: refused, as the admin was shown
            page.get_by_text(msg("access.denied_title")).wait_for(timeout=60_000)
        with chromium() as page:
            login(page, world, QZ)  # ３３０８００.0 as Excel left it: 衢州
            page.goto(world["url"] + "/province?province=330000")
            page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
            settle(page)
            assert _map_locations(page) == {"330802", "330822"}
    finally:
        put_list(world, ACCESS_LIST)
    logins = audit_lines(world, email=ADMIN, action="login")
    assert logins and logins[-1]["sub"] == ADMIN  # who signed in: sub and email


def _lead_points(page) -> set[tuple[float, float]]:
    return {
        (round(x, 3), round(y, 3))
        for x, y in page.evaluate(
            """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(
                   el => (el._fullData || []).flatMap(t => Array.from(t.lon || []).map(
                       (x, i) => [x, t.lat[i]]))).filter(p => p[0] != null)"""
        )
    }


def test_a_lead_outside_the_regions_is_drawn_at_its_provinces_centroid(world):
    with chromium() as page:
        login(page, world, QZ)
        page.goto(world["url"] + "/alliances?alliance=R-A01")
        page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        settle(page)
        points = _lead_points(page)
    # the lead 黄浦妇产科医院 sits at its county's centre (121.2, 31.2); 上海市's is (121.0, 31.0)
    assert (121.0, 31.0) in points
    assert (121.2, 31.2) not in points


def _status(url: str) -> int:
    """The HTTP status of a plain request with no cookie, as a link pasted elsewhere gets."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _without(email: str) -> str:
    return "".join(
        line + "\n" for line in ACCESS_LIST.splitlines() if email.lower() not in line.lower()
    )


def _wait_for_refusal(world, email: str, seen: int, timeout_s: float = 30) -> None:
    import time

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        denied = [
            d
            for d in audit_lines(world, email=email, action="denied")
            if isinstance(d["what"], dict) and d["what"].get("reason") == "withdrawn"
        ]
        if len(denied) > seen:
            return
        time.sleep(0.02)
    raise AssertionError("no refusal in the audit log")


def test_a_withdrawn_grant_refuses_the_buttons_on_screen_and_their_files(world, capsys):
    import time

    def refusals() -> int:
        return len(
            [
                d
                for d in audit_lines(world, email=QZ, action="denied")
                if isinstance(d["what"], dict) and d["what"].get("reason") == "withdrawn"
            ]
        )

    try:
        with chromium() as page:
            login(page, world, QZ)
            page.goto(world["url"] + "/data")
            page.get_by_text(msg("data.download_title")).wait_for(timeout=60_000)
            settle(page)
            button = data_download(page)
            with page.expect_download(timeout=30_000) as download:
                button.click()
            url = download.value.url
            assert "/media/" in url
            assert _status(url) == 403  # the file's URL without the login's cookie
            assert page.request.get(url).status == 200  # this login, still granted
            downloads = []
            page.on("download", lambda d: downloads.append(d))
            settle(page)  # the run a click starts (download_clicked) has drawn the buttons again
            # lowered to viewer while the page is open: the button on screen refuses the file
            put_list(world, _without(QZ) + f"{QZ},330800,viewer\n")
            before = refusals()
            button.click()
            _wait_for_refusal(world, QZ, before)
            page.get_by_text(msg("access.withdrawn")).wait_for(timeout=30_000)
            settle(page)
            assert page.get_by_role("button", name=msg("common.download_csv")).count() == 0
            assert page.request.get(url).status in (403, 404)  # nor the file already made
            page.screenshot(path=str(world["audit"].parent / "withdrawn.png"))
            # an analyst again, the page drawn anew; then removed: the next click is refused
            put_list(world, ACCESS_LIST)
            page.goto(world["url"] + "/data")
            page.get_by_text(msg("data.download_title")).wait_for(timeout=60_000)
            settle(page)
            button = data_download(page)
            button.wait_for(timeout=60_000)
            before = refusals()
            put_list(world, _without(QZ))
            removed = time.monotonic()
            button.click()
            _wait_for_refusal(world, QZ, before)
            elapsed_ms = (time.monotonic() - removed) * 1000
            page.get_by_text(msg("access.denied_title")).wait_for(timeout=30_000)
            shown_ms = (time.monotonic() - removed) * 1000
            page.wait_for_timeout(500)
            assert not downloads
            page.screenshot(path=str(world["audit"].parent / "removed.png"))
    finally:
        put_list(world, ACCESS_LIST)
    with capsys.disabled():
        print(
            f"\nrevocation: download refused {elapsed_ms:.0f} ms after the row was removed; "
            f"no-access page on screen after {shown_ms:.0f} ms"
        )
    assert elapsed_ms < 5_000  # one round trip, not the next page load


def test_a_briefing_is_served_only_to_the_login_that_made_it(world):
    with chromium() as page:
        login(page, world, QZ)
        page.goto(world["url"] + "/province?province=330000")
        page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        settle(page)
        page.get_by_role("button", name=msg("briefing.button")).click()
        docx = page.get_by_role("button", name=msg("briefing.download_docx"))
        docx.wait_for(timeout=180_000)
        with page.expect_download(timeout=60_000) as download:
            docx.click()
        url = download.value.url
        assert "/media/" in url and Path(download.value.path()).stat().st_size > 1000
        assert _status(url) == 403  # no cookie: refused
        assert page.request.get(url).status == 200
        second = page.context.browser.new_context()  # another browser, another login
        try:
            other = second.new_page()
            login(other, world, ADMIN)  # even an admin's: refused (or already pruned)
            settle(other)
            assert other.request.get(url).status in (403, 404)
        finally:
            second.close()
    briefings = [
        r for r in audit_lines(world, email=QZ, action="download") if ".docx" in json.dumps(r)
    ]
    assert briefings
