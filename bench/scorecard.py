"""The scorecards at national (1x) and ten times (10x) scale: the time to draw /scorecard for the
largest province (Sichuan, 183 county-level units) and /county for one of its counties.

For each database: the page script's time (AppTest: cold with empty caches, then the median of
warm reruns), the named queries behind it, and the time a headless Chromium takes from
navigation until the table has drawn (median of a few fresh page loads, each a new session).

    python bench/scorecard.py [--repeats 5]

Prints one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import time_page  # noqa: E402
from dashboard import db  # noqa: E402

DATABASES = {
    "1x": ROOT / "data" / "dashboard.duckdb",
    "10x": ROOT / "data" / "dashboard_10x.duckdb",
}
PROVINCE, COUNTY = 510000, 511623  # 四川省, 邻水县
PAGES = {
    "scorecard": {"province": str(PROVINCE), "districts": "1"},
    "county": {"county": str(COUNTY)},
}
QUERIES = {
    "scorecard": {"province": PROVINCE, "year": 2025, "districts": True},
    "county_scorecard": {"county": COUNTY, "year": 2025},
    "county_trend": {"county": COUNTY},
}
TABLE = '[data-testid="stDataFrame"]'


def page_times(path: Path, repeats: int) -> dict:
    os.environ["DASHBOARD_DB"] = str(path)
    return {
        page: time_page(page, params, repeats, timeout=300)[1] for page, params in PAGES.items()
    }


def query_times(path: Path, repeats: int) -> dict:
    con = db.connect(path)
    out = {}
    for name, params in QUERIES.items():
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            db.run(con, name, {"regions": [100000], **params})
            times.append(time.perf_counter() - start)
        out[name] = {"median_ms": round(1000 * statistics.median(times), 1)}
    con.close()
    return out


def browser_times(path: Path, repeats: int) -> dict:
    from tests.browser import chromium, streamlit_server

    out = {}
    with streamlit_server(path) as base:
        for page, params in PAGES.items():
            query = "&".join(f"{k}={v}" for k, v in params.items())
            times = []
            for _ in range(repeats):
                with chromium() as tab:
                    start = time.perf_counter()
                    tab.goto(f"{base}/{page}?{query}", wait_until="commit")
                    tab.wait_for_selector(TABLE, state="attached", timeout=300_000)
                    times.append(time.perf_counter() - start)
            out[page] = {"median_s": round(statistics.median(times), 2), "runs": len(times)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-browser", action="store_true")
    args = parser.parse_args()
    results = {}
    for scale, path in DATABASES.items():
        if not path.exists():
            print(f"{path} missing: python -m dashboard build --scale 10 --out {path}")
            continue
        results[scale] = {
            "queries": query_times(path, args.repeats),
            "pages": page_times(path, args.repeats),
        }
        if not args.skip_browser:
            results[scale]["browser"] = browser_times(path, args.repeats)
        print(scale, json.dumps(results[scale], ensure_ascii=False), flush=True)
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
