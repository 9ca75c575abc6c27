"""End to end on a database built with --no-simulation: every page opens in Chromium with
no error box, and the maps and tables say there is no data yet instead of failing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import chromium, require_chromium, streamlit_server

pytestmark = pytest.mark.browser
SHOTS = Path("/work/shots/data")
PAGES = [
    "overview",
    "province?province=330000",
    "alliances",
    "alliances?alliance=R-A01",
    "institutions",
    "institutions?site=R-S001",
    "metrics",
    "data",
    "kiosk?interval=5",
]
MAIN = "[data-testid='stMain']"


@pytest.fixture(scope="module")
def server(bare_db):
    require_chromium()
    with streamlit_server(bare_db) as base:
        yield base


def test_every_page_opens_without_an_error_box(server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium() as page:
        for path in PAGES:
            page.goto(f"{server}/{path}", wait_until="domcontentloaded")
            page.wait_for_selector(f"{MAIN} h1", timeout=60_000)
            page.wait_for_function(  # the script has finished its run
                "() => !document.querySelector("
                '\'[data-testid="stStatusWidget"] [data-testid="stSpinner"]\')'
                " && !document.querySelector('[data-testid=\"stSkeleton\"]')",
                timeout=60_000,
            )
            page.wait_for_timeout(1500)
            name = path.split("?")[0]
            page.screenshot(path=str(SHOTS / f"bare-{name}-{len(path)}.png"), full_page=False)
            errors = page.locator("[data-testid='stAlertContentError']")
            assert errors.count() == 0, (path, errors.all_inner_texts())
            assert page.locator("[data-testid='stException']").count() == 0, path
            assert page.locator("[role=dialog]").count() == 0, path
        assert not page.outside_requests
