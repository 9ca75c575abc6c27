"""In Chromium: a download's header row is Chinese and its cells inert; a URL in the data is no
link anywhere on the page."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from dashboard import build
from tests.browser import chromium, require_chromium, streamlit_server
from tests.hostile import DDE, HYPERLINK, hostile_data_dir

pytestmark = pytest.mark.browser
TABLE = '[data-testid="stDataFrame"]'
SHOTS = Path("/work/shots/hostile")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real server on the tiny database with hostile names."""
    require_chromium()
    base = tmp_path_factory.mktemp("hostile_browser")
    db = build.build(base / "hostile.duckdb", data_dir=hostile_data_dir(base / "data"))
    with streamlit_server(db) as url:
        yield url


def open_page(page, url: str, selector: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(selector, state="attached", timeout=90_000)
    page.wait_for_function(
        '() => !document.querySelector(\'[data-testid="stStatusWidget"] '
        '[data-testid="stSpinner"]\')',
        timeout=60_000,
    )
    page.wait_for_timeout(800)


def download(page, button_text: str, index: int = 0):
    """Click a download button and return (file name, bytes)."""
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=button_text).nth(index).click()
    d = info.value
    return d.suggested_filename, Path(d.path()).read_bytes()


def test_data_page_downloads_read_in_chinese_and_never_run(server):
    with chromium() as page:
        open_page(page, f"{server}/data", TABLE)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "data_page.png"), full_page=True)
        # the whole-table download is the last pair of buttons on the page but the templates
        buttons = page.get_by_role("button", name="下载 CSV")
        name, raw = download(page, "下载 CSV", buttons.count() - 1)
        assert name == "医联体_全表.csv"
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert rows[0][:4] == ["联盟编号", "联盟名称", "联盟形式", "专科"]
        real = next(r for r in rows if r[0] == "R-A01")
        assert real[1] == "'" + HYPERLINK and real[2] == "专科联盟"
        name, raw = download(page, "下载 Excel", buttons.count() - 1)
        assert name == "医联体_全表.xlsx"
        sheet = openpyxl.load_workbook(io.BytesIO(raw)).active
        assert sheet.title == "医联体"
        assert [c.value for c in sheet[1]][:3] == ["联盟编号", "联盟名称", "联盟形式"]
        cell = next(r[1] for r in sheet.iter_rows(min_row=2) if r[0].value == "R-A01")
        assert (cell.value, cell.data_type) == (HYPERLINK, "s")


def test_a_page_table_download_is_named_and_labelled_in_chinese(server):
    with chromium() as page:
        open_page(page, f"{server}/institutions?q=R-S001", TABLE)
        name, raw = download(page, "下载 Excel")
        assert name == "机构名录.xlsx"
        sheet = openpyxl.load_workbook(io.BytesIO(raw)).active
        assert sheet.title == "机构名录"
        head = [c.value for c in sheet[1]]
        assert "名称" in head
        names = [r[head.index("名称")].value for r in sheet.iter_rows(min_row=2)]
        assert DDE in names


@pytest.mark.parametrize(
    ("path", "text"),
    [("alliances?alliance=R-A01", "www"), ("institutions?site=R-S002", "evil.example/phish")],
)
def test_a_url_in_the_data_is_no_link(server, path, text):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium() as page:
        open_page(page, f"{server}/{path}", '[data-testid="stHeading"]')
        expanders = page.locator('[data-testid="stExpander"] summary')
        for i in range(expanders.count()):  # the note and every table behind a chart
            expanders.nth(i).click()
        page.wait_for_timeout(500)
        page.screenshot(path=str(SHOTS / f"no_link_{path.split('?')[0]}.png"), full_page=True)
        assert text in page.locator("body").inner_text().replace("\u2060", "")
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        assert not [h for h in links if "evil" in h], links
        assert page.locator('[data-testid="stException"]').count() == 0
