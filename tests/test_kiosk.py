"""Kiosk: settings from kiosk.toml and the URL, and a slide page with no input widget."""

import pytest

from dashboard import kiosk
from tests.conftest import run_app

PROVINCES = {310000, 330000, 620000}
METRICS = {"county_visit_rate", "primary_visit_share"}


def settings(**params):
    return kiosk.settings(params, PROVINCES, METRICS)


def test_defaults_come_from_the_config_file(tmp_path, monkeypatch):
    config = tmp_path / "kiosk.toml"
    config.write_text(
        'slides = ["links", "latest"]\ninterval_s = 30\nprovince = 620000\n', encoding="utf-8"
    )
    monkeypatch.setenv("KIOSK_CONFIG", str(config))
    s = settings()
    assert s.slides == ("links", "latest") and s.interval_s == 30 and s.province == 620000


def test_url_overrides_the_config_file(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_CONFIG", str(tmp_path / "missing.toml"))
    s = settings(
        slides="province,attainment",
        interval="8",
        province="310000",
        lang="en",
        metric="primary_visit_share",
    )
    assert s == kiosk.Settings(
        ("province", "attainment"), 8, 310000, "primary_visit_share", "en", 1, (310000,)
    )


@pytest.mark.parametrize(
    "params",
    [
        {"slides": "overview,<script>"},
        {"interval": "0"},
        {"interval": "abc"},
        {"province": "999999"},
        {"metric": "drop table"},
        {"lang": "fr"},
        {"slides": ""},
        {"scale": "9"},
    ],
)
def test_bad_values_fall_back_and_are_logged(params, caplog, tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_CONFIG", str(tmp_path / "missing.toml"))
    s = settings(**params)
    assert s.slides and all(slide in kiosk.SLIDES for slide in s.slides)
    assert kiosk.MIN_INTERVAL_S <= s.interval_s <= kiosk.MAX_INTERVAL_S
    assert s.province in PROVINCES | {kiosk.DEFAULTS["province"]}
    assert "kiosk: invalid" in caplog.text


def test_the_clock_rotates_the_playlist():
    s = kiosk.Settings(("overview", "province", "links"), 10, 330000, "county_visit_rate", "zh")
    assert [s.slide_at(t) for t in (0, 9.9, 10, 25, 30)] == [
        "overview",
        "overview",
        "province",
        "links",
        "overview",
    ]


@pytest.mark.parametrize("slide", kiosk.SLIDES)
def test_each_slide_renders_without_input_widgets(tiny_env, slide):
    at = run_app(page="pages/kiosk.py", slides=slide)
    assert not at.exception and not at.error
    main = at.main
    for kind in (
        "selectbox",
        "radio",
        "multiselect",
        "text_input",
        "button",
        "slider",
        "checkbox",
        "toggle",
        "number_input",
        "date_input",
    ):
        assert len(getattr(main, kind)) == 0, kind
    shown = " ".join(h.value for h in at.html)
    assert "数据截至" in shown


def test_a_failing_slide_shows_a_calm_message_not_an_error(tiny_env, monkeypatch):
    from dashboard import data

    real_query = data.query

    def broken(name, **params):
        if name == "meta":
            raise RuntimeError("disk trouble")
        return real_query(name, **params)

    monkeypatch.setattr(data, "query", broken)
    at = run_app(page="pages/kiosk.py", slides="overview")
    assert not at.exception and not at.error
    assert any("数据更新中" in m.value for m in at.main.markdown)


def test_the_areas_slide_shows_the_five_areas_of_the_monitoring_set(tiny_env):
    at = run_app(page="pages/kiosk.py", slides="areas", province="330000")
    assert not at.exception and not at.error
    shown = " ".join(h.value for h in at.html)
    for area in ("紧密型", "同质化", "促分工", "提效能", "保健康"):
        assert area in shown
    assert "浙江省县域医共体监测" in shown
    assert "基层诊疗人次占比" in shown and "示例数据" in shown


def test_a_new_show_starts_on_the_national_screen_whatever_the_clock():
    s = kiosk.Settings(("overview", "province", "links"), 10, 330000, "county_visit_rate", "zh")
    for started in (0, 13, 1_764_000_017.5):  # whenever the screen is switched on
        assert s.slide_at(started, started_s=started) == "overview"
        assert s.slide_at(started + 10, started_s=started) == "province"
        assert s.slide_at(started + 25, started_s=started) == "links"


def test_the_clock_reads_beijing_time_not_the_servers_zone(tiny_env, monkeypatch):
    import datetime as dt
    import re
    import time
    import zoneinfo

    monkeypatch.setenv("TZ", "UTC")  # a server on UTC, as most are
    time.tzset()
    try:
        at = run_app(page="pages/kiosk.py", slides="links")
        shown = " ".join(h.value for h in at.html)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert not at.exception
    clock = re.search(r'kiosk-clock">([^<]*)<b>(\d\d):(\d\d)</b>', shown)
    assert clock and clock.group(1).strip() == "北京时间"
    beijing = dt.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai"))
    shown_min = int(clock.group(2)) * 60 + int(clock.group(3))
    now_min = beijing.hour * 60 + beijing.minute
    assert min((shown_min - now_min) % 1440, (now_min - shown_min) % 1440) <= 1


def test_a_configured_zone_is_named_on_the_clock(tmp_path, monkeypatch):
    config = tmp_path / "kiosk.toml"
    config.write_text('timezone = "Asia/Urumqi"\n', encoding="utf-8")
    monkeypatch.setenv("KIOSK_CONFIG", str(config))
    s = settings()
    assert s.timezone == "Asia/Urumqi"
    assert s.now().utcoffset().total_seconds() == 6 * 3600
    assert settings(tz="../../etc/passwd").timezone == "Asia/Shanghai"


def test_the_kiosk_opens_on_the_national_screen(tiny_env):
    at = run_app(page="pages/kiosk.py")  # the shipped playlist: overview first
    assert not at.exception
    shown = " ".join(h.value for h in at.html)
    assert "全国医联体建设总览" in shown.split("kiosk-clock")[0]
