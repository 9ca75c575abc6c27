"""Many officials at once: concurrent Streamlit websocket sessions on loopback.

    python bench/load.py --sessions 10,25,50 --seconds 30 [--url http://127.0.0.1:8080]
                         [--swap-db-after 10 [--swap-by publish|build]] [--rss-every 30]

Each virtual official arrives at a random moment within the first --think seconds, opens a
view (its first view: a new session) and then keeps changing the selection on the province
and alliances pages (a new province, year or alliance each time, as the URL-bound widgets do;
now and then switching page), with about --think seconds between clicks, until the time is up.
Reruns (p50/p95) and first views are reported apart. Without --url a server is started on a
copy of data/dashboard.duckdb. --swap-db-after N replaces that database file with another build
N seconds into every level (the app must keep serving, and serve the new data afterwards:
at once to new sessions, within the replicas' 30-s spread to open ones):
--swap-by publish (default) copies in a file built before the run and renames it, as
deploy/publish.py does; --swap-by build runs the build on this machine during the load.
--rss-every S records the server's memory and CPU every S seconds (a soak). Loopback only;
every loop is bounded in time. Prints one JSON object on its last line: sessions -> reruns,
p50_s, p95_s, errors, server RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.kiosk_soak import _server_pid, rss_mb  # noqa: E402
from tests.browser import free_port, streamlit_server  # noqa: E402

PROVINCES = [110000, 330000, 510000, 620000, 440000, 650000, 340000, 530000]
ALLIANCES = ["R-A01", "R-A03", "R-A04", "R-A05", "R-A11", "A000001", "A000500", "A002000"]
EARLY_FOR_RERUN = 2  # ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


def selection(rng: random.Random) -> tuple[str, str]:
    """A page and the query string of a random selection on it."""
    if rng.random() < 0.5:
        return "province", (f"province={rng.choice(PROVINCES)}&year={rng.randint(2019, 2025)}")
    return "alliances", f"alliance={rng.choice(ALLIANCES)}"


async def rerun(ws, page: str, query: str) -> tuple[float, bool]:
    """One script run: seconds until it finished, and whether it showed an error."""
    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page
    start = time.perf_counter()
    await ws.send(msg.SerializeToString())
    failed = False
    while True:
        fm = ForwardMsg()
        fm.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=60))
        kind = fm.WhichOneof("type")
        if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
            element = fm.delta.new_element
            if element.WhichOneof("type") == "exception" or (
                element.WhichOneof("type") == "alert" and element.alert.format == 1
            ):
                failed = True  # an exception box, or st.error (format 1 = ERROR)
        if kind == "script_finished" and fm.script_finished != EARLY_FOR_RERUN:
            return time.perf_counter() - start, failed


def replica_cookie(ws_url: str) -> str:
    """As a browser does: load the page first and keep the cookie nginx sets (the replica that
    will hold this session); empty when served by Streamlit alone."""
    page = ws_url.replace("ws", "http", 1).removesuffix("/_stcore/stream") + "/"
    with urllib.request.urlopen(page, timeout=30) as answer:
        cookies = SimpleCookie()
        for header in answer.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
    return "; ".join(f"{k}={m.value}" for k, m in cookies.items())


async def official(
    url: str, deadline: float, seed: int, times: dict, errors: list, think_s: float
) -> None:
    """One virtual official: arrives at a random moment, opens a view, then keeps changing it."""
    rng = random.Random(seed)
    page, query = selection(rng)
    await asyncio.sleep(rng.uniform(0, think_s))  # officials do not all arrive in one instant
    cookie = await asyncio.to_thread(replica_cookie, url)
    times["cookies"].append(cookie)
    while time.monotonic() < deadline:
        try:
            async with websockets.connect(
                url,
                subprotocols=["streamlit"],
                max_size=None,
                open_timeout=30,
                additional_headers={"Cookie": cookie} if cookie else None,
            ) as ws:
                kind = "first_view"
                while time.monotonic() < deadline:
                    seconds, failed = await rerun(ws, page, query)
                    times[kind].append(seconds)
                    times["ends"].append((kind, time.monotonic(), seconds))
                    kind = "rerun"
                    if failed:
                        errors.append(f"{page}?{query}")
                    if think_s:
                        await asyncio.sleep(rng.uniform(0.5, 1.5) * think_s)
                    page, query = selection(rng)
        except (OSError, TimeoutError, websockets.WebSocketException) as exc:
            errors.append(f"{page}?{query}: {type(exc).__name__}")


def quantile(values: list[float], q: float) -> float | None:
    """The q-quantile (0-1) of values, None if there are none."""
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))], 3) if values else None


def after_swap(ends: list, at: float, window_s: float = 30) -> dict:
    """Reruns that finished within window_s after the new file was in place, and before it."""
    after = [s for kind, end, s in ends if kind == "rerun" and at <= end < at + window_s]
    before = [s for kind, end, s in ends if kind == "rerun" and end < at]
    return {
        "before_swap_p95_s": quantile(before, 0.95),
        "after_swap_reruns": len(after),
        f"after_swap_{window_s:g}s_p50_s": quantile(after, 0.5),
        f"after_swap_{window_s:g}s_p95_s": quantile(after, 0.95),
    }


def cpu_s(pid: int) -> float:
    """User and system CPU seconds a process has used so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def sample(pids: list[int], every: float, deadline: float, timeline: list) -> None:
    """Every `every` seconds until the deadline: elapsed s, server RSS MB and CPU s."""
    start = time.monotonic()
    while time.monotonic() < deadline:
        await asyncio.sleep(every)
        rss = round(sum(rss_mb(p) for p in pids), 1)
        timeline.append([round(time.monotonic() - start), rss, round(sum(map(cpu_s, pids)), 1)])


async def level(
    url: str, sessions: int, seconds: float, swap, think_s: float, sampler=None
) -> dict:
    """Run `sessions` officials at once for `seconds`: first views and reruns timed apart."""
    times: dict[str, list] = {"first_view": [], "rerun": [], "ends": [], "cookies": []}
    errors: list[str] = []
    timeline: list = []
    deadline = time.monotonic() + seconds
    tasks = [official(url, deadline, seed, times, errors, think_s) for seed in range(sessions)]
    swapped: list[float] = []
    if swap:
        tasks.append(swap(swapped))
    if sampler:
        tasks.append(sampler(deadline, timeline))
    await asyncio.gather(*tasks)
    return {
        "reruns": len(times["rerun"]),
        "p50_s": quantile(times["rerun"], 0.5),
        "p95_s": quantile(times["rerun"], 0.95),
        "first_views": len(times["first_view"]),
        "first_view_p95_s": quantile(times["first_view"], 0.95),
        "errors": len(errors),
        "error_samples": errors[:5],
        "sessions_per_replica": dict(Counter(times["cookies"])),
        **({"timeline_s_rss_mb_cpu_s": timeline} if sampler else {}),
        **(after_swap(times["ends"], swapped[0]) if swapped else {}),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", default="10,25,50")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--url", help="an already running server (e.g. nginx in front)")
    parser.add_argument(
        "--replicas",
        type=int,
        default=0,
        help="start this many replicas behind nginx (deploy/replicas.py)",
    )
    parser.add_argument("--swap-db-after", type=float, default=None)
    parser.add_argument(
        "--swap-by",
        choices=["publish", "build"],
        default="publish",
        help="publish: a file built before the run is copied in and renamed (deploy/publish.py);"
        " build: `nice -n 10 python -m dashboard build` writes it during the run",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds an official looks at a view before the next click",
    )
    parser.add_argument(
        "--rss-every",
        type=float,
        default=0,
        help="record server memory and CPU every this many seconds (a soak)",
    )
    args = parser.parse_args()
    levels = [int(n) for n in args.sessions.split(",")]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.duckdb"
        shutil.copy(ROOT / "data" / "dashboard.duckdb", db)

        seed = str(int(time.time()) % 1000)
        build_cmd = [sys.executable, "-m", "dashboard", "build", "--seed", seed, "--out"]
        ready = Path(tmp) / "ready.duckdb"
        if args.swap_db_after is not None and args.swap_by == "publish":
            subprocess.run([*build_cmd, str(ready)], cwd=ROOT, check=True, capture_output=True)

        async def swap(swapped: list):
            from deploy.publish import publish_copy

            await asyncio.sleep(args.swap_db_after)
            if args.swap_by == "publish":  # built before the run, copied in and renamed
                await asyncio.to_thread(publish_copy, ready, db)
            else:  # built on this machine during the run, as a separate low-priority process
                proc = await asyncio.create_subprocess_exec(
                    "nice",
                    "-n",
                    "10",
                    *build_cmd,
                    str(db),
                    cwd=ROOT,
                    stdout=asyncio.subprocess.DEVNULL,
                    stderr=asyncio.subprocess.DEVNULL,
                )
                await proc.wait()
            swapped.append(time.monotonic())
            print("database swapped", file=sys.stderr, flush=True)

        pids: list[int] = []
        if args.url:
            base, ctx = args.url, None
        elif args.replicas:
            from deploy.replicas import replicas

            ctx = replicas(
                args.replicas, free_port(), db, ports=[free_port() for _ in range(args.replicas)]
            )
            base, procs = ctx.__enter__()
            pids = [p.pid for p in procs.values()]
        else:
            ctx = streamlit_server(db)
            base = ctx.__enter__()
            pids = [_server_pid(base)]
        try:
            ws_url = base.replace("http", "ws", 1) + "/_stcore/stream"
            for n in levels:
                result = asyncio.run(
                    level(
                        ws_url,
                        n,
                        args.seconds,
                        swap if args.swap_db_after is not None else None,
                        args.think,
                        (lambda d, t: sample(pids, args.rss_every, d, t))
                        if args.rss_every and pids
                        else None,
                    )
                )
                result["server_rss_mb"] = round(sum(rss_mb(p) for p in pids), 1) if pids else None
                results[str(n)] = result
                print(n, result, file=sys.stderr, flush=True)
        finally:
            if ctx is not None:
                ctx.__exit__(None, None, None)
    print(json.dumps(results))
    return 0 if all(r["errors"] == 0 for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
