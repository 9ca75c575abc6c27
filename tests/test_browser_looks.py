"""Tests that look at what an official sees: on every page, kiosk slide and briefing figure, in
both themes and at the sizes screens have, the colours plotly.js resolved and drew mean what the
caption says, every label fits inside its figure, and one category keeps one colour
(tests/looks.py reads the page; one server for the module)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dashboard import db
from tests import looks
from tests.browser import chromium, national_db, require_chromium, streamlit_server

pytestmark = pytest.mark.browser

# Screenshots to look at, where asked for: LOOKS_SHOTS=/some/folder
SHOTS = Path(os.environ["LOOKS_SHOTS"]) if os.environ.get("LOOKS_SHOTS") else None
METRIC = "county_visit_rate"  # the kiosk's and the pages' default metric
PROVINCES = (330000, 460000, 620000)  # Zhejiang, Hainan (the sea), Gansu (a long province)
SIZES = {"desktop": (1600, 1000), "hd": (1920, 1080), "phone": (390, 844)}
KIOSK_SLIDES = ("overview", "province", "areas", "links", "attainment", "latest")


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    require_chromium()
    return national_db(tmp_path_factory.mktemp("looks"))


@pytest.fixture(scope="module")
def server(national):
    with streamlit_server(national) as base:
        yield base


@pytest.fixture(scope="module")
def target(national):
    """The metric's target and whether higher is better, as the catalogue says."""
    con = db.connect(national)
    try:
        row = db.run(con, "metric_catalogue").set_index("metric_id").loc[METRIC]
    finally:
        con.close()
    return float(row["target"]), row["direction"] != "lower"


def settle(page, selector: str = ".js-plotly-plot") -> None:
    """Wait until the script has finished and every Plotly figure is drawn."""
    page.wait_for_selector(selector, state="attached", timeout=90_000)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"] [data-testid="stSpinner"]')
              && [...document.querySelectorAll('.js-plotly-plot')].every(g => g._fullLayout)""",
        timeout=90_000,
    )
    page.wait_for_timeout(1500)


def open_page(page, url: str) -> list[dict]:
    page.goto(url, wait_until="domcontentloaded")
    settle(page)
    return looks.read(page)


def shot(page, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


MAP_PAGES = [f"province?province={p}" for p in PROVINCES] + ["overview?"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", MAP_PAGES)
def test_every_unit_is_drawn_on_its_side_of_the_target(server, target, path, scheme):
    """Below the target red, above it blue, on the page's map as the browser drew it."""
    with chromium(1600, 1000, color_scheme=scheme) as page:
        figures = open_page(page, f"{server}/{path}&metric={METRIC}")
        assert looks.colour_problems(figures, *target, where=path) == []


@pytest.mark.parametrize("province", PROVINCES)
@pytest.mark.parametrize("slide", ["overview", "province"])
def test_kiosk_maps_are_drawn_on_their_side_of_the_target(server, target, slide, province):
    if slide == "overview" and province != PROVINCES[0]:
        pytest.skip("one national screen")
    with chromium(1920, 1080) as page:
        page.goto(f"{server}/kiosk?slides={slide}&province={province}&interval=300")
        settle(page, ".js-plotly-plot .choroplethlayer path")
        figures = looks.read(page)
        assert looks.colour_problems(figures, *target, where=f"kiosk {slide}") == []


LAYOUT_PAGES = [f"province?province={p}" for p in PROVINCES] + [
    "overview?",
    "metrics?",
    "alliances?alliance=R-A05",
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("path", LAYOUT_PAGES)
def test_every_label_fits_its_figure(server, path, size, lang):
    width, height = SIZES[size]
    with chromium(width, height) as page:
        figures = open_page(page, f"{server}/{path}&lang={lang}")
        shot(page, f"page_{path.split('?')[0]}_{path.split('=')[-1] or 'all'}_{size}_{lang}")
        assert figures
        assert looks.layout_problems(figures, where=f"{path} {size} {lang}") == []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [1920, 3840])
@pytest.mark.parametrize("slide", KIOSK_SLIDES)
def test_every_kiosk_label_fits_its_figure(server, slide, width, lang):
    """Each slide at 1080p and 4K (the 4K screen at scale factor 1 with ?scale=2)."""
    scale = width // 1920
    with chromium(width, width * 9 // 16) as page:
        page.goto(f"{server}/kiosk?slides={slide}&interval=300&lang={lang}&scale={scale}")
        page.wait_for_selector("[data-testid='stMain'] h1", timeout=90_000)
        if slide not in ("areas", "latest"):
            settle(page)
        else:
            page.wait_for_timeout(2500)
        shot(page, f"kiosk_{slide}_{width}_{lang}")
        figures = looks.read(page)
        assert looks.layout_problems(figures, where=f"kiosk {slide} {width}") == []
        fits = page.evaluate(
            """() => [document.documentElement, ...document.querySelectorAll(
                 '[data-testid=stMain], [data-testid=stAppViewContainer]')]
               .every(e => e.scrollHeight <= e.clientHeight + 2)"""
        )
        assert fits, f"the {slide} slide needs scrolling at {width}"


def test_one_category_keeps_one_colour_across_pages(server):
    """本省牵头 and 外省牵头 are drawn in the same colour on every province's page."""
    seen: dict[str, set[str]] = {}
    with chromium(1600, 1000) as page:
        for province in PROVINCES:
            figures = open_page(page, f"{server}/province?province={province}")
            for name, colours in looks.category_colours(figures).items():
                seen.setdefault(name, set()).update(colours)
    assert {"本省牵头", "外省牵头"} <= set(seen), seen
    assert {name: c for name, c in seen.items() if len(c) > 1} == {}
    assert seen["本省牵头"] != seen["外省牵头"]


# ---- briefings: the same builders, the same checks, then the picture ---------------------------

COLOURBAR = """() => { const fig = document.getElementById('figure').getBoundingClientRect();
  const bar = document.querySelector('#figure .colorbar');
  if (!bar) return null;
  const b = bar.getBoundingClientRect();
  return {x0: b.left - fig.left, x1: b.right - fig.left}; }"""


def drawn_briefing(national, kind: str, key, lang: str = "zh"):
    """A briefing's figures drawn by the briefing renderer, each read as drawn before its
    picture is taken: (briefing, pngs, name -> figures as looks.read gives them, colour bars)."""
    from dashboard import report
    from dashboard.report import figures
    from dashboard.report.chromium import Chromium

    con = db.connect(national)
    try:
        briefing = report.prepare(con, kind, key, lang)
    finally:
        con.close()
    seen: dict[str, list[dict]] = {}
    bars: dict[str, dict | None] = {}

    def inspect(name, page):
        seen[name] = looks.read(page)
        bars[name] = page.evaluate(COLOURBAR)

    with Chromium() as browser:
        pngs = figures.render(briefing, browser, inspect=inspect)
    if SHOTS is not None:
        figures.write(pngs, SHOTS / f"briefing_{key}_{lang}")
    return briefing, pngs, seen, bars


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind, key", [("province", 330000), ("alliance", "R-A05")])
def test_briefing_figures_fit_at_their_printed_size(national, kind, key, lang):
    briefing, pngs, seen, _ = drawn_briefing(national, kind, key, lang)
    assert set(seen) == {f.name for f in briefing.figures()} and pngs
    problems = [p for name, figs in seen.items() for p in looks.layout_problems(figs, name)]
    assert problems == []


def _area_km2(geometry: dict) -> float:
    """A county's area, near enough for shares (degrees² scaled by the latitude)."""
    import math

    from shapely.geometry import shape

    g = shape(geometry)
    return g.area * math.cos(math.radians(g.centroid.y)) * 111.32**2


def test_briefing_map_is_red_and_blue_as_its_counties_are(national, target):
    """The province briefing's map, as printed: counties below the target drawn red, above it
    blue, and the red and blue pixels in proportion to those counties' land."""
    import io

    import numpy as np
    from PIL import Image

    briefing, pngs, seen, bars = drawn_briefing(national, "province", 330000)
    assert looks.colour_problems(seen["map"], *target, where="briefing map") == []
    figure = next(f for f in briefing.figures() if f.name == "map")
    trace = next(t for t in figure.fig.data if t.type == "choropleth" and t.hovertemplate)
    shapes = {f["id"]: f["geometry"] for f in trace.geojson["features"]}
    below = above = 0.0
    for code, value in zip(trace.locations, trace.z, strict=True):
        side = looks.expected_family(float(value), *target)
        area = _area_km2(shapes[str(code)])
        below += area if side == "red" else 0
        above += area if side == "blue" else 0
    assert below > 0 and above > 0  # Zhejiang has both: the test can tell them apart
    pixels = np.asarray(Image.open(io.BytesIO(pngs["map"])).convert("RGB")).astype(int)
    scale = pixels.shape[1] / figure.width_px
    if bars["map"]:  # the colour bar has both colours: not counted
        pixels[:, int(bars["map"]["x0"] * scale) - 2 : int(bars["map"]["x1"] * scale) + 2] = 255
    r, b = pixels[..., 0], pixels[..., 2]
    red, blue = int((r - b > 40).sum()), int((b - r > 40).sum())
    assert red > 0 and blue > 0, (red, blue)
    share_drawn, share_land = red / (red + blue), below / (below + above)
    assert abs(share_drawn - share_land) < 0.1, (share_drawn, share_land)
