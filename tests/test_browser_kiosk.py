"""End to end: the kiosk rotates, hides every menu, shows new data and survives a restart."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from dashboard import build
from tests.browser import chromium, free_port, national_db, require_chromium, streamlit_server

SHOTS = Path(__file__).resolve().parent / "screenshots"
H1 = "[data-testid='stMain'] h1"

pytestmark = pytest.mark.browser


def titles_seen(page, seconds: float) -> list[str]:
    """The distinct slide titles shown over a period, in order of appearance."""
    seen: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        heading = page.locator(H1)
        if heading.count():
            text = heading.first.inner_text()
            if text and text not in seen:
                seen.append(text)
        page.wait_for_timeout(500)
    return seen


def big_number(page) -> str:
    """The alliance count on the overview slide."""
    text = page.locator("[data-testid='stMain']").inner_text()
    match = re.search(r"(医联体数量)\s*\n*\s*([\d,]+)", text)
    return match.group(2) if match else ""


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    require_chromium()
    return national_db(tmp_path_factory.mktemp("kiosk"))


def test_kiosk_rotates_without_menus_or_inputs(national):
    SHOTS.mkdir(exist_ok=True)
    with streamlit_server(national) as base, chromium(1920, 1080) as page:
        page.goto(f"{base}/kiosk?slides=overview,province,links,latest&interval=5")
        page.wait_for_selector(H1, timeout=60_000)
        seen = titles_seen(page, 24)
        assert len(seen) >= 3, seen
        for selector in (
            "header",
            "[data-testid='stToolbar']",
            "[data-testid='stSidebar']",
            "[data-testid='stMainMenu']",
            "[data-testid='stStatusWidget']",
            "[data-testid='stSidebarNav']",
            "input",
            "select",
            "textarea",
            "button",
            "[role='combobox']",
            "[role='slider']",
        ):
            visible = [e for e in page.locator(selector).all() if e.is_visible()]
            assert visible == [], selector
        assert page.outside_requests == []
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(SHOTS / "kiosk_1920.png"))


@pytest.mark.parametrize("width, scale", [(1920, 2), (3840, 1)])
def test_kiosk_at_4k(national, width, scale):
    """A 4K screen (3840x2160 pixels) at scale 2, as kiosks run, and at scale 1."""
    with streamlit_server(national) as base, chromium(width, 2160 * width // 3840, scale) as page:
        page.goto(f"{base}/kiosk?slides=province&interval=60&scale={3 - scale}")
        page.wait_for_selector(
            ".js-plotly-plot .choroplethlayer path", state="attached", timeout=60_000
        )
        page.wait_for_timeout(2500)
        # the title is at least 100 screen pixels tall either way
        size = page.locator(".kiosk-head h1").first.evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"
        )
        assert size * scale >= 100
        box = page.locator(".js-plotly-plot").first.bounding_box()
        assert box["height"] * scale >= 1500  # the map fills most of the 2160-pixel height
        page.screenshot(path=str(SHOTS / f"kiosk_4k_scale{scale}.png"))
        assert page.outside_requests == []


def test_kiosk_shows_new_data_within_a_minute(national, tmp_path):
    live = tmp_path / "live.duckdb"
    live.write_bytes(national.read_bytes())
    with streamlit_server(live) as base, chromium() as page:
        page.goto(f"{base}/kiosk?slides=overview&interval=5")
        page.wait_for_selector(H1, timeout=60_000)
        page.wait_for_timeout(2000)
        before = big_number(page)
        assert before
        build.build(live, seed=99)  # a different simulation: a different alliance count
        deadline = time.monotonic() + 60
        after = before
        while time.monotonic() < deadline and after == before:
            page.wait_for_timeout(1000)
            after = big_number(page) or after
        assert after != before, "new data did not show within 60 s"
        assert page.locator('[data-testid="stException"]').count() == 0


def test_kiosk_comes_back_after_a_server_restart(national):
    port = free_port()
    with chromium() as page:
        with streamlit_server(national, port=port) as base:
            page.goto(f"{base}/kiosk?slides=overview,latest&interval=5")
            page.wait_for_selector(H1, timeout=60_000)
        page.wait_for_timeout(3000)  # the server is gone
        with streamlit_server(national, port=port):
            seen = titles_seen(page, 30)
            assert len(seen) >= 2, seen
            assert page.locator('[data-testid="stException"]').count() == 0


@pytest.mark.parametrize("start", ["missing", "corrupt", "empty"])
def test_kiosk_heals_when_a_good_file_appears(national, tmp_path, start):
    """Started on no database, a corrupt or an empty one: a calm placeholder, never an error
    box, and the show starts by itself within one interval after a good file is put in place."""
    import os
    import shutil

    import duckdb

    live = tmp_path / "live.duckdb"
    if start == "corrupt":
        live.write_bytes(b"not a database" * 1000)
    elif start == "empty":
        duckdb.connect(str(live)).close()
    interval_s = 5
    with streamlit_server(live) as base, chromium(1920, 1080) as page:
        page.goto(f"{base}/kiosk?slides=overview,latest&interval={interval_s}")
        page.wait_for_selector("text=数据更新中", timeout=60_000)
        page.wait_for_timeout(interval_s * 1000 + 1000)  # a tick passes: still calm
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator('[data-testid="stAlertContentError"]').count() == 0
        staged = tmp_path / "staged.duckdb"
        shutil.copy(national, staged)
        os.replace(staged, live)  # as a build publishes: one atomic rename
        margin_s = 10
        page.wait_for_selector(".kiosk-head h1", timeout=(interval_s + margin_s) * 1000)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator('[data-testid="stAlertContentError"]').count() == 0
        assert page.outside_requests == []
