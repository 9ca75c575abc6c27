"""What one rerun costs the server: CPU-seconds per warm rerun of each page, and the server time and
CPU-seconds of a new selection (a view nobody asked for yet, so every query misses the cache;
DuckDB runs a query on several threads, so its CPU-seconds can exceed the wall time).

    python bench/rerun_cpu.py [--db data/dashboard_10x.duckdb] [--reruns 20] [--new 6]
                              [-- --runner.postScriptGC false]

One real server (deploy/serve.py, as deploy/ runs it), one websocket client, one request at a
time: the CPU is the server process's user+system time (from /proc) over the reruns, so it
counts Streamlit's own work (serialising, sending, garbage collection) and not just the
script. Streamlit options after `--` go to the server. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import cpu_s, rerun  # noqa: E402
from deploy.replicas import start_replica, stop, wait_healthy  # noqa: E402
from tests.browser import free_port  # noqa: E402


def views(db: Path, n: int) -> dict[str, tuple[str, list[str]]]:
    """Per page: the warm view's query string, and n new selections (distinct views)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    provinces = [
        r[0]
        for r in con.execute(
            "select adcode from regions where level='province' order by adcode"
        ).fetchall()
    ]
    alliances = [
        r[0]
        for r in con.execute("select alliance_id from alliances order by alliance_id").fetchall()
    ]
    sites = [r[0] for r in con.execute("select site_id from sites order by site_id").fetchall()]
    metrics = [
        r[0] for r in con.execute("select metric_id from metrics order by metric_id").fetchall()
    ]
    con.close()
    step = max(1, len(alliances) // max(n, 1))
    return {
        "overview": (
            "",
            [f"year={2025 - i % 7}&metric={metrics[i % len(metrics)]}" for i in range(n)],
        ),
        "province": (
            "province=510000",
            [f"province={provinces[3 * i % len(provinces)]}&year={2025 - i % 5}" for i in range(n)],
        ),
        "alliances": ("alliance=R-A05", [f"alliance={alliances[i * step]}" for i in range(n)]),
        "institutions": (
            "site=R-S001",
            [f"site={sites[i * len(sites) // max(n, 1)]}" for i in range(n)],
        ),
        "metrics": (
            "level=county",
            [f"level=county&metric={metrics[i % len(metrics)]}" for i in range(n)],
        ),
        "data": ("", []),
    }


async def measure(port: int, pid: int, page: str, warm: str, new: list[str], reruns: int) -> dict:
    url = f"ws://127.0.0.1:{port}/_stcore/stream"
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None) as ws:
        await rerun(ws, page, warm)  # fill the caches for this view
        await rerun(ws, page, warm)
        walls, failed = [], 0
        before = cpu_s(pid)
        for _ in range(reruns):
            seconds, bad = await rerun(ws, page, warm)
            walls.append(seconds)
            failed += bad
        cpu = (cpu_s(pid) - before) / reruns
        fresh, fresh_cpu = [], []
        for query in new:
            before = cpu_s(pid)
            seconds, bad = await rerun(ws, page, query)
            fresh_cpu.append(cpu_s(pid) - before)
            fresh.append(seconds)
            failed += bad
    return {
        "warm_cpu_s": round(cpu, 4),
        "warm_wall_p50_s": round(statistics.median(walls), 4),
        "new_p50_s": round(statistics.median(fresh), 3) if fresh else None,
        "new_max_s": round(max(fresh), 3) if fresh else None,
        "new_cpu_p50_s": round(statistics.median(fresh_cpu), 3) if fresh else None,
        "errors": failed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "dashboard.duckdb")
    parser.add_argument("--reruns", type=int, default=20)
    parser.add_argument("--new", type=int, default=6)
    parser.add_argument("--pages", default="overview,province,alliances,institutions,metrics,data")
    parser.add_argument("streamlit_args", nargs="*")
    args = parser.parse_args()
    all_views = views(args.db, args.new)
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        proc = start_replica(port, args.db.resolve(), Path(tmp), extra=args.streamlit_args)
        try:
            wait_healthy(f"http://127.0.0.1:{port}")
            results = {}
            for page in args.pages.split(","):
                warm, new = all_views[page]
                results[page] = asyncio.run(measure(port, proc.pid, page, warm, new, args.reruns))
                print(page, results[page], file=sys.stderr, flush=True)
        finally:
            stop([proc])
    print(json.dumps({"db": args.db.name, "options": args.streamlit_args, "pages": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
