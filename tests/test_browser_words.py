"""Chinese all the way, as Chromium shows it: a typed page path opens the page (no English
"Page not found"), pickers prompt in Chinese, empty cells read "—" (what the grid draws on its
canvas), Plotly's toolbar tips in Chinese, downloads named in Chinese."""

from __future__ import annotations

import pytest

from tests.browser import chromium, national_db, require_chromium, streamlit_server
from tests.helpers import msg

pytestmark = pytest.mark.browser
MAP = ".js-plotly-plot .choroplethlayer path"
TABLE = '[data-testid="stDataFrame"]'
# Records every string a canvas draws: the data grid paints its cells, "—" or "None", there.
RECORD_CANVAS_TEXT = """
window.__drawn = [];
const fill = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    window.__drawn.push(String(text));
    return fill.call(this, text, ...rest);
};
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A fresh `streamlit run app.py` on the national data: its first visitor types a path."""
    require_chromium()
    db = national_db(tmp_path_factory.mktemp("words"))
    with streamlit_server(db) as base:
        yield base


def settle(page, selector: str) -> None:
    page.wait_for_selector(selector, state="attached", timeout=90_000)
    page.wait_for_function(
        '() => !document.querySelector(\'[data-testid="stStatusWidget"] [data-testid="stSpinner"]\')',
        timeout=60_000,
    )
    page.wait_for_timeout(1_000)


def no_dialog(page) -> None:
    assert page.locator("[role=dialog]").count() == 0  # Streamlit's "Page not found"
    assert page.get_by_text("Page not found").count() == 0
    assert page.outside_requests == []


# The first test of the module is the server's first visit, as an official typing the address.
@pytest.mark.parametrize(
    ("path", "selector", "title"),
    [
        ("overview", MAP, "全国医联体建设总览"),
        ("home", MAP, "全国医联体建设总览"),
        ("province", MAP, "浙江省"),
        ("alliances", TABLE, None),
        ("data", TABLE, None),
        ("overview?lang=en", MAP, "Medical alliances across China"),
    ],
)
def test_a_typed_path_opens_its_page_without_a_dialog(server, path, selector, title):
    with chromium() as page:
        page.goto(f"{server}/{path}", wait_until="domcontentloaded")
        settle(page, selector)
        no_dialog(page)
        if title:
            assert title in page.locator("h1").first.inner_text()


def test_pickers_prompt_and_plotly_tips_in_chinese(server):
    with chromium() as page:
        page.goto(f"{server}/overview", wait_until="domcontentloaded")
        settle(page, MAP)
        prompts = page.eval_on_selector_all(
            '[data-testid="stSelectbox"] input', "els => els.map(e => e.placeholder)"
        )
        assert prompts and set(prompts) == {msg("common.choose_placeholder")}
        page.hover(".js-plotly-plot")
        page.wait_for_timeout(500)
        tips = page.eval_on_selector_all(
            ".js-plotly-plot .modebar-btn", "els => els.map(e => e.getAttribute('data-title'))"
        )
        assert "下载为 PNG 图片" in tips and "重置" in tips
        assert not [t for t in tips if t and t.startswith("Download plot")]


def test_empty_cells_are_drawn_as_a_dash(server):
    with chromium(width=1920, height=1080) as page:
        page.add_init_script(RECORD_CANVAS_TEXT)
        page.goto(f"{server}/institutions", wait_until="domcontentloaded")
        settle(page, TABLE)
        drawn = page.evaluate("window.__drawn")
        assert msg("institutions.col_beds") in drawn  # the directory's columns are drawn
        assert "—" in drawn  # the real hospitals' unknown bed counts
        assert not {"None", "nan", "NaN", "<NA>", "null"} & set(drawn)
        no_dialog(page)


def test_a_table_download_is_named_in_chinese(server):
    with chromium() as page:
        page.goto(f"{server}/overview", wait_until="domcontentloaded")
        settle(page, MAP)
        page.get_by_text(msg("common.show_table")).first.click()
        button = page.get_by_role("button", name=msg("common.download_csv")).first
        button.wait_for(timeout=60_000)
        with page.expect_download() as download:
            button.click()
        name = download.value.suggested_filename
        assert name.endswith(".csv") and any("\u4e00" <= c <= "\u9fff" for c in name), name
        page.goto(f"{server}/data", wait_until="domcontentloaded")
        settle(page, TABLE)
        with page.expect_download() as download:
            page.get_by_role("button", name=msg("data.template_download")).click()
        assert download.value.suggested_filename == "导入模板.zip"
