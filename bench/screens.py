"""Screenshots of every page and every kiosk screen, for a person to look at.

    python -m bench.screens [--out /work/shots/maps] [--only overview,kiosk] [--sizes 1600x1000]

One `streamlit run` on the national database (data/dashboard.duckdb, built if missing), Debian's
headless Chromium; files are named <page>_<lang>_<width>x<height>.png.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import chromium, national_db, streamlit_server

SIZES = [(1600, 1000), (1920, 1080), (390, 844)]
LANGS = ["zh", "en"]
MAP = ".js-plotly-plot .choroplethlayer path"
PLOT = ".js-plotly-plot .main-svg"
TABLE = '[data-testid="stDataFrame"]'
# name -> (URL path and query, what must have drawn)
PAGES = {
    "overview": ("?", MAP),
    "province_zhejiang": ("province?province=330000", MAP),
    "province_hainan": ("province?province=460000", MAP),
    "province_gansu": ("province?province=620000", MAP),
    "alliances": ("alliances?", TABLE),
    "alliance_RA01": ("alliances?alliance=R-A01", MAP),
    "alliance_county": ("alliances?alliance=R-A05", MAP),
    "alliance_RA03": ("alliances?alliance=R-A03", MAP),
    "alliance_RA04": ("alliances?alliance=R-A04", MAP),
    "alliance_RA11": ("alliances?alliance=R-A11", MAP),
    "scorecard": ("scorecard?province=330000", TABLE),
    "county": ("county?county=330822", TABLE),
    "institutions": ("institutions?", TABLE),
    "metrics": ("metrics?", PLOT),
    "data": ("data?", TABLE),
}
KIOSK = ["overview", "province", "links", "attainment", "latest", "areas"]


def settle(page, selector: str) -> None:
    page.wait_for_selector(selector, state="attached", timeout=90_000)
    page.wait_for_function(
        '() => !document.querySelector(\'[data-testid="stStatusWidget"] [data-testid="stSpinner"]\')',
        timeout=60_000,
    )
    page.wait_for_timeout(1500)


def whole_page(page, width: int, height: int, file: Path) -> None:
    """The page top to bottom: Streamlit scrolls inside its own container, so the window is made
    as tall as the content for the shot (horizontal overflow, if any, shows too)."""
    tall = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
        "[data-testid=stAppViewContainer]')].map(e => e.scrollHeight), innerHeight)"
    )
    page.set_viewport_size({"width": width, "height": min(int(tall), 12000)})
    page.wait_for_timeout(1200)
    page.screenshot(path=str(file))
    page.set_viewport_size({"width": width, "height": height})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="/work/shots/maps")
    parser.add_argument("--only", default="")
    parser.add_argument("--sizes", default="")
    parser.add_argument("--langs", default="zh,en")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    only = set(filter(None, args.only.split(",")))
    sizes = (
        [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
        if args.sizes
        else SIZES
    )
    db = national_db(Path(tempfile.mkdtemp()))
    with streamlit_server(db) as base:
        for width, height in sizes:
            with chromium(width, height) as page:
                for lang in args.langs.split(","):
                    for name, (path, selector) in PAGES.items():
                        if only and name not in only and name.split("_")[0] not in only:
                            continue
                        sep = "&" if "?" in path and not path.endswith("?") else ""
                        page.goto(f"{base}/{path}{sep}lang={lang}")
                        file = out / f"{name}_{lang}_{width}x{height}.png"
                        try:
                            settle(page, selector)
                        except PlaywrightTimeout:
                            print(f"{file}: {selector} did not draw, shot taken anyway")
                        whole_page(page, width, height, file)
                        print(file)
                    if only and "kiosk" not in only:
                        continue
                    for slide in KIOSK:
                        page.goto(f"{base}/kiosk?slides={slide}&interval=300&lang={lang}")
                        try:
                            settle(page, "[data-testid='stMain'] h1")
                            if slide in ("overview", "province", "links"):
                                page.wait_for_selector(MAP, state="attached", timeout=60_000)
                        except PlaywrightTimeout:
                            print(f"kiosk {slide}: did not draw, shot taken anyway")
                        page.wait_for_timeout(2500)
                        file = out / f"kiosk_{slide}_{lang}_{width}x{height}.png"
                        page.screenshot(path=str(file))
                        print(file)


if __name__ == "__main__":
    main()
