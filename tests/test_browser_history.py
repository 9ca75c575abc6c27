"""End to end: one browser-history entry per user action, Back and Forward restore each view
(metric, year, province, page), and a place search finds the alliances there."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser import chromium, national_db, require_chromium, streamlit_server
from tests.test_browser import INSIDE_A_PROVINCE, MAP, TABLE, assert_clean, open_page

pytestmark = pytest.mark.browser
IDLE = '() => !document.querySelector(\'[data-testid="stStatusWidget"] [data-testid="stSpinner"]\')'


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    db = national_db(tmp_path_factory.mktemp("history"))
    with streamlit_server(db) as base:
        yield base


def settle(page) -> None:
    page.wait_for_timeout(700)
    page.wait_for_function(IDLE, timeout=60_000)
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_timeout(1200)


def picked(page, label: str) -> str:
    """What a selectbox shows now."""
    return page.locator(f'input[role="combobox"][aria-label="{label}"]').first.input_value()


def pick(page, label: str, index: int) -> None:
    page.locator(f'input[role="combobox"][aria-label="{label}"]').first.click()
    page.locator('[role="option"]').nth(index).click()
    settle(page)


def view(page) -> tuple:
    """What the user sees: page, heading, the province in the sidebar, and metric and year
    where the page has them."""
    url = urlparse(page.url)
    here = {"path": url.path, "h1": page.locator("h1").first.inner_text()}
    here["province"] = picked(page, "省份")
    for label in ("指标", "年份"):
        box = page.locator(f'input[role="combobox"][aria-label="{label}"]')
        here[label] = box.first.input_value() if box.count() else None
    here["query"] = {k: v[0] for k, v in parse_qs(url.query).items()}
    return here


def test_back_and_forward_restore_each_view(server):
    with chromium() as page:
        open_page(page, f"{server}/", MAP)
        start_length = page.evaluate("history.length")
        views = [view(page)]
        pick(page, "指标", 2)
        views.append(view(page))
        pick(page, "年份", 3)
        views.append(view(page))
        page.get_by_text("显示跨省联盟连线").click()  # lines off, so the click meets the area
        settle(page)
        x, y = page.evaluate(INSIDE_A_PROVINCE)
        page.mouse.move(x - 4, y)
        page.mouse.move(x, y)
        page.mouse.click(x, y)
        page.wait_for_url("**/province?*province=*", timeout=30_000)
        settle(page)
        views.append(view(page))
        page.locator('[data-testid="stSidebarNav"] a').filter(has_text="联盟").first.click()
        page.wait_for_url("**/alliances*", timeout=30_000)
        settle(page)
        views.append(view(page))
        # One entry per action (the toggle is no selection of the URL, so it makes none).
        assert page.evaluate("history.length") == start_length + 4
        # What each action chose is what the views differ by.
        assert views[1]["指标"] != views[0]["指标"] and views[1]["年份"] == views[0]["年份"]
        assert views[2]["年份"] != views[1]["年份"]
        assert views[3]["path"] == "/province" and views[3]["province"] != views[2]["province"]
        assert views[3]["指标"] == views[2]["指标"] and views[3]["年份"] == views[2]["年份"]
        assert views[4]["path"] == "/alliances" and views[4]["province"] == views[3]["province"]
        for expected in reversed(views[:-1]):
            page.go_back()
            settle(page)
            assert view(page) == expected
        for expected in views[1:]:
            page.go_forward()
            settle(page)
            assert view(page) == expected
        assert_clean(page)


def test_searching_bengbu_lists_the_regional_medical_centre(server):
    with chromium() as page:
        open_page(page, f"{server}/alliances", TABLE)
        box = page.locator('input[aria-label="搜索名称"]').first
        box.fill("蚌埠")
        box.press("Enter")
        page.wait_for_url("**q=*", timeout=30_000)
        settle(page)
        page.wait_for_selector(TABLE)
        grid = page.locator(TABLE).first
        # The grid is drawn on a canvas; its accessible table carries the cell text.
        text = grid.inner_text() + " ".join(grid.locator("[role=gridcell]").all_inner_texts())
        assert "R-A15" in text and "浙大二院安徽医院" in text
        assert_clean(page)


def test_quzhou_alliance_links_to_zhejiang_showing_quzhou_and_back(server):
    with chromium() as page:
        open_page(page, f"{server}/alliances?alliance=R-A05", MAP)
        page.get_by_text("衢州市的各县").first.click()
        page.wait_for_url("**/province?*city=330800*", timeout=30_000)
        settle(page)
        assert picked(page, "城市") == "衢州市"
        assert "衢州市" in page.locator("h2, h3").filter(has_text="各县").first.inner_text()
        page.go_back()
        settle(page)
        assert urlparse(page.url).path == "/alliances"
        assert page.locator("h2").filter(has_text="浙江大学衢州医联体改革示范区").count() == 1
        assert_clean(page)
