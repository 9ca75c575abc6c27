"""Cold start: seconds from starting the server (built database on disk) until a browser that
was already open has drawn the national map, median of --repeats runs.

    python bench/cold_start.py [--repeats 3] [--db data/dashboard.duckdb]

The browser (headless Chromium, started before the clock) asks for the overview as soon as
the health check answers; each run is a new server process and a new browser profile.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.replicas import start_replica, stop  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402

MAP = ".js-plotly-plot .choroplethlayer path"


def once(db: Path, browser) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        proc = start_replica(port, db, Path(tmp))
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1):
                        break
                except OSError:
                    time.sleep(0.05)
            healthy = time.perf_counter() - start
            page.goto(base, wait_until="commit")
            page.wait_for_selector(MAP, state="attached", timeout=120_000)
            drawn = time.perf_counter() - start
        finally:
            stop([proc])
            context.close()
    return {"healthy_s": round(healthy, 2), "map_s": round(drawn, 2)}


def main() -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "dashboard.duckdb")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        runs = [once(args.db.resolve(), browser) for _ in range(args.repeats)]
        browser.close()
    result = {
        "runs": runs,
        "healthy_median_s": statistics.median(r["healthy_s"] for r in runs),
        "map_median_s": statistics.median(r["map_s"] for r in runs),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
