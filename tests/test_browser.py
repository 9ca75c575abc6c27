"""End to end: the app on the shipped national data in headless Chromium, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import chromium, national_db, require_chromium, streamlit_server

SHOTS = Path(__file__).resolve().parent / "screenshots"
PLOT = ".js-plotly-plot .main-svg"
MAP = ".js-plotly-plot .choroplethlayer path"
TABLE = '[data-testid="stDataFrame"]'
# page URL path -> what must have drawn before the page counts as shown; the overview is the
# default page, served at "/" (and at /overview: tests/test_browser_words.py)
PAGES = {
    "": MAP,
    "province": MAP,
    "alliances": TABLE,
    "institutions": TABLE,
    "metrics": PLOT,
    "data": TABLE,
}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real `streamlit run app.py` on loopback, on the national database."""
    require_chromium()
    db = national_db(tmp_path_factory.mktemp("e2e"))
    with streamlit_server(db) as base:
        yield base


def open_page(page, url: str, selector: str) -> None:
    """Navigate and wait until the selector has drawn and the script has finished."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(selector, state="attached", timeout=90_000)
    page.wait_for_function(
        '() => !document.querySelector(\'[data-testid="stStatusWidget"] [data-testid="stSpinner"]\')'
        " && document.querySelector('[data-testid=\"stApp\"]')",
        timeout=60_000,
    )
    page.wait_for_timeout(800)


def assert_clean(page) -> None:
    """No exception box, no error message, nothing fetched from outside this machine."""
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    assert page.locator("[role=dialog]").count() == 0  # e.g. Streamlit's "page not found"
    assert page.outside_requests == []


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_draws_offline(server, path):
    SHOTS.mkdir(exist_ok=True)
    with chromium() as page:
        open_page(page, f"{server}/{path}", PAGES[path])
        assert_clean(page)
        assert page.locator(PAGES[path]).count() > 0
        page.screenshot(path=str(SHOTS / f"{path or 'overview'}.png"), full_page=True)


def test_overview_map_shows_chinese_names_and_dash_line(server):
    with chromium() as page:
        open_page(page, f"{server}/", MAP)
        assert page.get_by_text("全国医联体建设总览").count() == 1
        # 34 provinces are drawn, plus the grey ones without data
        assert page.locator(MAP).count() >= 34
        assert page.locator(".js-plotly-plot .scattergeo path.js-line").count() >= 1
        assert_clean(page)


@pytest.mark.parametrize(
    "query",
    [
        "province=999999",
        "province=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "metric=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&year=abc&lang=xx",
    ],
)
def test_bad_links_show_a_notice_not_a_traceback(server, query):
    dialogs: list[str] = []
    with chromium() as page:
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        open_page(page, f"{server}/province?{query}", MAP)
        assert_clean(page)
        assert page.locator('[data-testid="stAlertContentWarning"]').count() >= 1
        assert page.locator("text=<script>").count() == 0
        assert page.locator("img[src='x']").count() == 0
        assert dialogs == []


def test_english_switch_from_the_url(server):
    with chromium() as page:
        open_page(page, f"{server}/?lang=en", MAP)
        assert page.get_by_text("Medical alliances across China").count() == 1
        assert_clean(page)


def test_first_visit_by_deep_link_gets_the_router(tmp_path):
    """A fresh server's first visitor arrives at /data?lang=en: sidebar, language and page all work."""
    require_chromium()
    db = national_db(tmp_path)
    with streamlit_server(db) as base, chromium() as page:
        open_page(page, f"{base}/data?lang=en", TABLE)
        assert page.locator("h1").first.inner_text() == "Data sources and quality"
        assert page.get_by_text("语言 / Language").count() == 1
        assert_clean(page)


@pytest.mark.parametrize("state", ["missing", "corrupt"])
def test_missing_or_corrupt_database_shows_what_to_do(tmp_path, state):
    """A server started without a usable data file explains itself instead of a traceback."""
    require_chromium()
    db = tmp_path / "dashboard.duckdb"
    if state == "corrupt":
        db.write_bytes(b"this is not a database" * 1000)
    with streamlit_server(db) as base, chromium() as page:
        page.goto(f"{base}/")
        page.wait_for_selector('[data-testid="stAlertContentError"]', timeout=60_000)
        text = page.locator('[data-testid="stAlertContentError"]').inner_text()
        assert "数据库不可用" in text and "python -m dashboard build" in text
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.outside_requests == []


INSIDE_A_PROVINCE = """() => {
  // a screen point inside one province of the data trace: the choropleth that has hovers
  // (the grey outline below and the South China Sea inset above it have none)
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(
    el => el.querySelector('.choroplethlayer'));
  if (!gd) return null;
  const k = gd.data.filter(t => t.type === 'choropleth').findIndex(t => t.hoverinfo !== 'skip');
  const traces = gd.querySelectorAll('.choroplethlayer .trace');
  if (k < 0 || !traces[k]) return null;
  for (const p of traces[k].querySelectorAll('path')) {
    const b = p.getBBox();
    if (b.width < 40) continue;
    for (let k = 1; k < 10; k++) for (let j = 1; j < 10; j++) {
      const pt = new DOMPoint(b.x + b.width * k / 10, b.y + b.height * j / 10);
      if (p.isPointInFill(pt)) { const s = pt.matrixTransform(p.getScreenCTM()); return [s.x, s.y]; }
    }
  }
  return null;
}"""


def test_clicking_a_province_on_the_map_opens_it(server):
    with chromium() as page:
        open_page(page, f"{server}/", MAP)
        # the cross-province lines are off at first, so the click meets the area
        # the rerun redraws the map: wait until one map is left and a province can be hit
        page.wait_for_function(INSIDE_A_PROVINCE, timeout=60_000)
        x, y = page.evaluate(INSIDE_A_PROVINCE)
        page.mouse.move(x - 4, y)
        page.mouse.move(x, y)  # Plotly finds the area under the pointer on hover
        page.wait_for_timeout(500)  # its hover label follows the pointer a moment later
        hovered = page.locator(".hoverlayer").first.text_content()
        page.mouse.click(x, y)
        page.wait_for_url("**/province?*province=*", timeout=30_000)
        page.wait_for_selector(MAP, state="attached", timeout=60_000)
        title = page.locator("h1").first.inner_text()
        assert title.split("：")[0] in hovered  # the province clicked is the one opened
        assert_clean(page)
