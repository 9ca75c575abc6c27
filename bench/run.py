"""All benchmarks in one command, at national (1x) and 10x scale.

    python bench/run.py            # everything: build, queries, pages, maps, browser, load
    python bench/run.py --skip-browser --skip-load

Builds data/dashboard.duckdb and data/dashboard_10x.duckdb (timed), then measures
every named query (p50/p95), every page's script time (cold and warm, via AppTest), the bytes of
every map's figure JSON, and, unless skipped, browser time-to-chart against a bare Streamlit page
(bench/browser_ttc.py) and concurrent sessions (bench/load.py). Writes bench/results.json and
prints the tables that bench/README.md keeps.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import db  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
DATABASES = {
    "1x": ROOT / "data" / "dashboard.duckdb",
    "10x": ROOT / "data" / "dashboard_10x.duckdb",
}
TARGETS = {
    "warm_page_s": {"1x": 0.3, "10x": 1.0},
    "national_map_bytes": 600_000,
    "county_map_bytes": 400_000,
    "build_1x_s": 60,
    "ttc_ratio": 2.0,
    "load_p95_s": 2.0,
}
# One value for every $parameter a named query may take: the heavy cases (all of China,
# the biggest province, the real alliance with the most sub-alliances).
PARAMS = {
    "province": 0,
    "regions": [100000],  # the whole country, as an official of the national commission
    "metric": "county_visit_rate",
    "year": 2025,
    "level": "county",
    "alliance": "R-A05",
    "site": "R-S001",
    "form": "",
    "scope": "",
    "specialty": "",
    "tag": "",
    "city": 0,
    "q": "",
    "kind": "",
    "tier": "",
    "ownership": "",
    "real_only": False,
    "limit": 500,
    "year_from": 2000,
    "year_to": 2025,
    "n": 10,
    "today": dt.date.today(),
    "county": 511623,  # 邻水县, Sichuan
    "districts": True,
}
BIG_PROVINCE = 510000  # Sichuan: the most counties
# page file -> URL parameters of the view timed
PAGES = {
    "overview": {},
    "province": {"province": str(BIG_PROVINCE)},
    "alliances": {"alliance": "R-A05"},
    "institutions": {"site": "R-S001"},
    "metrics": {"level": "county"},
    "scorecard": {"province": str(BIG_PROVINCE), "districts": "1"},
    "county": {"county": "511623"},
    "data": {},
    "kiosk": {"slides": "province"},
}


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def bench_build(scale: str, path: Path) -> dict:
    """Build one database in a child process: wall time and peak memory."""
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "build",
            "--scale",
            scale.rstrip("x"),
            "--out",
            str(path),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "seconds": round(time.perf_counter() - start, 1),
        "peak_mb": round(peak_mb),
        "size_mb": round(path.stat().st_size / 1e6, 1),
    }


def query_names() -> list[str]:
    """Every named query under queries/."""
    return sorted(
        str(p.relative_to(db.QUERIES_DIR).with_suffix("")) for p in db.QUERIES_DIR.rglob("*.sql")
    )


def bench_queries(path: Path, repeats: int) -> dict:
    """p50/p95 milliseconds of every named query, uncached."""
    con = db.connect(path)
    out = {}
    for name in query_names():
        params = {k: PARAMS[k] for k in db.query_params(name)}
        if "province" in params and name.startswith(("province_", "kiosk_", "scorecard")):
            params["province"] = BIG_PROVINCE
        if name.startswith("export_"):
            continue  # whole-table downloads, made only on click
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            db.run(con, name, params)
            times.append((time.perf_counter() - start) * 1000)
        out[name] = {
            "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1),
        }
    con.close()
    return out


def time_page(page: str, params: dict, warm_runs: int, timeout: int = 120):
    """One page in AppTest on $DASHBOARD_DB: its first run with empty caches (cold) and the median
    of warm_runs reruns (warm). Returns the AppTest (for what it drew) and the times."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(f"pages/{page}.py")
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    warm = []
    for _ in range(warm_runs):
        start = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - start)
    return at, {
        "cold_s": round(cold, 3),
        "warm_s": round(statistics.median(warm), 3),
        "error": bool(at.exception) or bool(at.error),
    }


def bench_pages(path: Path, warm_runs: int) -> tuple[dict, dict]:
    """Script time of every page (cold: empty caches; warm: median rerun) and map JSON bytes."""
    os.environ["DASHBOARD_DB"] = str(path)
    pages, maps = {}, {}
    for page, params in PAGES.items():
        at, pages[page] = time_page(page, params, warm_runs)
        for i, chart in enumerate(at.get("plotly_chart")):
            spec = chart.proto.spec
            if '"geo"' in spec:
                maps[f"{page}#{i}"] = len(spec.encode("utf-8"))
    return pages, maps


def run_script(script: str, *args: str) -> dict:
    """Run another bench script that prints one JSON object on its last line."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        check=False,  # load.py exits 1 when a rerun failed: that is a result, not a crash
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(rows: list[list], header: list[str]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def report(r: dict) -> str:
    """The readable tables of a results dict."""
    parts = [
        "### Build",
        table(
            [[s, b["seconds"], b["peak_mb"], b["size_mb"]] for s, b in r["build"].items()],
            ["scale", "seconds", "peak MB", "file MB"],
        ),
    ]
    parts += [
        "### Pages (server-side script, AppTest)",
        table(
            [
                [
                    p,
                    r["pages"]["1x"][p]["cold_s"],
                    r["pages"]["1x"][p]["warm_s"],
                    r["pages"]["10x"][p]["cold_s"],
                    r["pages"]["10x"][p]["warm_s"],
                ]
                for p in r["pages"]["1x"]
            ],
            ["page", "1x cold s", "1x warm s", "10x cold s", "10x warm s"],
        ),
    ]
    parts += [
        "### Maps (figure JSON bytes, 1x)",
        table([[m, f"{b:,}"] for m, b in r["maps"]["1x"].items()], ["map", "bytes"]),
    ]
    slow = sorted(r["queries"]["10x"].items(), key=lambda kv: -kv[1]["p95_ms"])
    parts += [
        "### Queries (ms; the 15 slowest at 10x)",
        table(
            [
                [
                    n,
                    r["queries"]["1x"][n]["p50_ms"],
                    r["queries"]["1x"][n]["p95_ms"],
                    q["p50_ms"],
                    q["p95_ms"],
                ]
                for n, q in slow[:15]
            ],
            ["query", "1x p50", "1x p95", "10x p50", "10x p95"],
        ),
    ]
    if "browser" in r:
        parts += [
            "### Browser time-to-chart (s, median)",
            table(
                [[p, v["page_s"], v["floor_s"], v["ratio"]] for p, v in r["browser"].items()],
                ["page", "page", "bare page (floor)", "ratio"],
            ),
        ]
    for key, title in (
        ("load", "one process"),
        ("load_replicas2", "2 replicas behind nginx"),
        ("load_db_swap", "one process, database file replaced 15 s in"),
    ):
        if key in r:
            rows = [
                [
                    k,
                    v["reruns"],
                    v["p50_s"],
                    v["p95_s"],
                    v.get("first_view_p95_s", "—"),
                    v["errors"],
                    v["server_rss_mb"],
                ]
                for k, v in r[key].items()
            ]
            header = [
                "sessions",
                "reruns",
                "rerun p50 s",
                "rerun p95 s",
                "first view p95 s",
                "errors",
                "server RSS MB",
            ]
            parts += [f"### Concurrent sessions, {title}", table(rows, header)]
    return "\n\n".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-build", action="store_true", help="reuse the built databases")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--warm-runs", type=int, default=5)
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--report", action="store_true", help="print the last results, run nothing")
    args = parser.parse_args()
    if args.report:
        print(report(json.loads(RESULTS.read_text(encoding="utf-8"))))
        return 0

    results: dict = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "targets": TARGETS,
        "build": {},
        "queries": {},
        "pages": {},
        "maps": {},
    }
    for scale, path in DATABASES.items():
        if not args.no_build or not path.exists():
            results["build"][scale] = bench_build(scale, path)
            print(f"build {scale}: {results['build'][scale]}", flush=True)
    for scale, path in DATABASES.items():
        results["queries"][scale] = bench_queries(path, args.repeats)
        results["pages"][scale], results["maps"][scale] = bench_pages(path, args.warm_runs)
        print(f"{scale}: pages {results['pages'][scale]}", flush=True)
    if not args.skip_browser:
        results["browser"] = run_script("browser_ttc.py")
    if not args.skip_load:
        # Officials look at a view for a few seconds (--think) before the next click.
        common = ["--sessions", "10,25,50", "--seconds", "30", "--think", "5"]
        results["load"] = run_script("load.py", *common)
        results["load_replicas2"] = run_script("load.py", *common, "--replicas", "2")
        results["load_db_swap"] = run_script(
            "load.py",
            "--sessions",
            "25",
            "--seconds",
            "40",
            "--think",
            "5",
            "--swap-db-after",
            "15",
        )
    if RESULTS.exists():  # parts not run this time keep their last measured results
        last = json.loads(RESULTS.read_text(encoding="utf-8"))
        for key, value in last.items():
            if not results.get(key):
                results[key] = value
    RESULTS.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
