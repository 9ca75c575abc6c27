"""Browser time-to-chart of every page against a bare Streamlit page with one chart of the
same kind (the framework's floor), both measured in the same run in headless Chromium.

Prints one JSON object: page -> {page_s, floor_s, ratio} (medians).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import chromium, free_port, streamlit_server, wait_healthy  # noqa: E402

MAP = ".js-plotly-plot .choroplethlayer path"
PLOT = ".js-plotly-plot .main-svg"
TABLE = '[data-testid="stDataFrame"]'
# page URL -> (what must have drawn, the bare page's kind of chart)
PAGES = {
    "": (MAP, "map"),  # the overview: the default page, at "/"
    "province?province=510000": (MAP, "county_map"),
    "alliances?alliance=R-A05": (MAP, "county_map"),
    "institutions": (TABLE, "table"),
    "metrics": (PLOT, "bars"),
    "data": (TABLE, "table"),
}
REPEATS = 5


def time_to(page, url: str, selector: str) -> float:
    """Seconds from navigation until the selector is in the page."""
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(selector, state="attached", timeout=120_000)
    return time.perf_counter() - start


def main() -> int:
    db = ROOT / "data" / "dashboard.duckdb"
    port = free_port()
    bare = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "bench" / "bare_page.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env=os.environ | {"DASHBOARD_DB": str(db)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    floor_base = f"http://127.0.0.1:{port}"
    results = {}
    try:
        wait_healthy(floor_base)
        with streamlit_server(db) as base, chromium() as page:
            for path, (selector, kind) in PAGES.items():
                time_to(page, f"{base}/{path}", selector)  # warm the server caches once
                time_to(
                    page,
                    f"{floor_base}/?kind={kind}",
                    MAP if "map" in kind else TABLE if kind == "table" else PLOT,
                )
                ours, floor = [], []
                for _ in range(REPEATS):
                    ours.append(time_to(page, f"{base}/{path}", selector))
                    floor.append(
                        time_to(
                            page,
                            f"{floor_base}/?kind={kind}",
                            MAP if "map" in kind else TABLE if kind == "table" else PLOT,
                        )
                    )
                p, f = statistics.median(ours), statistics.median(floor)
                results[path.split("?")[0] or "overview"] = {
                    "page_s": round(p, 2),
                    "floor_s": round(f, 2),
                    "ratio": round(p / f, 2),
                }
                print(path, results[path.split("?")[0] or "overview"], file=sys.stderr, flush=True)
    finally:
        bare.terminate()
        bare.wait(timeout=10)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
