"""The scorecards in headless Chromium on the national data: /county and /scorecard at a desk's
and a phone's size, in Chinese and English, offline; a row of the province scorecard opens its
county; a county clicked on the province map opens its scorecard."""

from __future__ import annotations

import pytest

from tests.browser import chromium, national_db, require_chromium, streamlit_server
from tests.test_browser import INSIDE_A_PROVINCE, MAP, SHOTS, TABLE, assert_clean, open_page

pytestmark = pytest.mark.browser
SIZES = {"desk": (1600, 1000), "phone": (390, 844)}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real `streamlit run app.py` on loopback, on the national database."""
    require_chromium()
    db = national_db(tmp_path_factory.mktemp("cards"))
    with streamlit_server(db) as base:
        yield base


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_county_scorecard_at_a_desk_and_on_a_phone(server, size, lang):
    width, height = SIZES[size]
    SHOTS.mkdir(exist_ok=True)
    with chromium(width, height) as page:
        open_page(page, f"{server}/county?county=330881&lang={lang}", TABLE)
        assert_clean(page)
        title = "江山市 · 2025年县域医共体监测评分卡" if lang == "zh" else "江山市 · county"
        assert page.get_by_text(title).count() >= 1
        for area in ("紧密型", "保健康") if lang == "zh" else ("Close integration", "Health"):
            assert page.get_by_text(area, exact=True).count() >= 1
        # every table is drawn inside the page: nothing cut off at the right on a phone
        for box in (t.bounding_box() for t in page.locator(TABLE).all()):
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 1
        page.screenshot(path=str(SHOTS / f"county_{lang}_{size}.png"), full_page=True)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_province_scorecard_at_a_desk_and_on_a_phone(server, size, lang):
    width, height = SIZES[size]
    with chromium(width, height) as page:
        open_page(page, f"{server}/scorecard?province=510000&lang={lang}", TABLE)
        assert_clean(page)
        title = "四川省 · 2025年县域医共体监测评分表" if lang == "zh" else "Sichuan · county"
        assert page.get_by_text(title).count() >= 1
        box = page.locator(TABLE).first.bounding_box()
        assert box and box["x"] + box["width"] <= width + 1
        page.screenshot(path=str(SHOTS / f"scorecard_{lang}_{size}.png"), full_page=True)


def test_a_row_of_the_province_scorecard_opens_its_county(server):
    with chromium(1600, 1000) as page:
        open_page(page, f"{server}/scorecard?province=330000", TABLE)
        grid = page.locator(TABLE).first
        box = grid.bounding_box()
        # the row-selection marker of the second data row (under the header and the province)
        grid.hover()
        page.mouse.click(box["x"] + 14, box["y"] + 35 * 2 + 18)
        page.wait_for_url("**/county?*", timeout=60_000)
        page.wait_for_selector(TABLE, state="attached", timeout=90_000)
        assert "county=" in page.url
        assert page.get_by_text("县域医共体监测评分卡").count() >= 1
        assert_clean(page)


def test_a_county_clicked_on_the_province_map_opens_its_scorecard(server):
    with chromium(1600, 1000) as page:
        open_page(page, f"{server}/province?province=330000", MAP)
        page.get_by_text("显示成员机构").click()  # hospitals off, so the click meets the county
        page.wait_for_timeout(1500)
        page.wait_for_function(INSIDE_A_PROVINCE, timeout=60_000)
        x, y = page.evaluate(INSIDE_A_PROVINCE)
        page.mouse.move(x - 4, y)
        page.mouse.move(x, y)  # Plotly finds the area under the pointer on hover
        page.wait_for_timeout(500)  # its hover label follows the pointer a moment later
        hovered = page.locator(".hoverlayer").first.text_content()
        page.mouse.click(x, y)
        page.wait_for_url("**/county?*county=*", timeout=60_000)
        page.wait_for_selector(TABLE, state="attached", timeout=90_000)
        title = page.locator("h1").first.inner_text()
        assert title.split(" · ")[0] in hovered  # the county clicked is the one opened
        assert_clean(page)
