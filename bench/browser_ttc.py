"""Browser time-to-chart of every page against a bare Streamlit page with one chart of the
same kind (the framework's floor), both measured in the same run in headless Chromium.

Prints one JSON object: page -> {page_s, floor_s, ratio} (medians).

    python bench/browser_ttc.py --first-visit

measures instead the bytes a browser fetches, with its cache working (no request routing: the
browser only listens): a fresh browser's first visit to the overview, then the province page,
then the overview again in a new tab; served by Streamlit alone, and through deploy/ (nginx, 2
replicas) without and with compression. Bytes are as received on the wire (Chromium's
encodedDataLength: headers and compressed bodies). Requests leaving the machine are counted.
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


def visit_bytes(base: str) -> dict:
    """Bytes and requests of three visits in one fresh browser profile (cache on)."""
    from urllib.parse import urlparse

    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOSTS

    steps = [("first_overview", "", MAP), ("then_province", "province?province=510000", MAP)]
    steps.append(("overview_again", "", MAP))
    out: dict = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
        outside: list[str] = []
        context.on(
            "request",
            lambda r: (
                outside.append(r.url)
                if (urlparse(r.url).hostname or "") not in LOCAL_HOSTS
                and not r.url.startswith(("data:", "blob:"))
                else None
            ),
        )
        for name, path, selector in steps:
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            got = {"bytes": 0, "requests": 0, "cached": 0}

            def finished(event, got=got):
                got["bytes"] += int(event.get("encodedDataLength", 0))
                got["requests"] += 1

            def cached(event, got=got):
                got["cached"] += 1

            cdp.on("Network.loadingFinished", finished)
            cdp.on("Network.requestServedFromCache", cached)
            page.goto(f"{base}/{path}", wait_until="commit")
            page.wait_for_selector(selector, state="attached", timeout=120_000)
            page.wait_for_timeout(3000)  # late fetches (fonts, boundaries) finish
            out[name] = {
                "kb": round(got["bytes"] / 1024),
                **{k: got[k] for k in ("requests", "cached")},
            }
            page.close()
        out["outside_requests"] = len(outside)
        context.close()
        browser.close()
    return out


def first_visit() -> dict:
    """visit_bytes through Streamlit alone, and through deploy/ without and with gzip."""
    import tempfile

    from deploy.replicas import replicas

    db = ROOT / "data" / "dashboard.duckdb"
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "d.duckdb"
        copy.write_bytes(db.read_bytes())
        with streamlit_server(copy) as base:
            results["streamlit_alone"] = visit_bytes(base)
        for label, compress in [("nginx_no_gzip", False), ("nginx_gzip", True)]:
            ports = [free_port(), free_port()]
            with replicas(2, free_port(), copy, ports=ports, compress=compress) as (base, _):
                results[label] = visit_bytes(base)
            print(label, results[label], file=sys.stderr, flush=True)
    return results


def main() -> int:
    if "--first-visit" in sys.argv:
        print(json.dumps(first_visit()))
        return 0
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
