"""How fast one browser tab can grow the audit log: a URL flood over the websocket.

    python bench/audit_flood.py [--seconds 20] [--value-kb 64] [--page data] [--db PATH]

One websocket session (one tab) on a `streamlit run app.py` started here (open mode, loopback)
asks for rerun after rerun, each with a new URL value of --value-kb KB (what nginx's URL limit
never sees: the query string travels inside the websocket message), waiting for each run to
finish, for --seconds. Every such run passes the door (dashboard/gate.py), which audits the
page view.

- after: the audit log's real growth, measured on the file (all its files, rotated ones too).
- before: the old code path (one unbounded JSON line per changed URL, no rate limit; the
  function is reproduced below from the code before issue 24) applied to the same runs:
  the runs the server completed times the old line's size.

Both are carried to one hour of the same flood: before, the run's rate times 3,600 s; after,
the burst plus the per-minute allowance for the rest of the hour, at the line size measured. Prints one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import auditlog  # noqa: E402
from tests.browser import streamlit_server  # noqa: E402

EARLY_FOR_RERUN = 2  # ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


def old_line(action: str, email: str | None, what: dict | str = "") -> bytes:
    """The line the audit log wrote before issue 24 (dashboard/access.py audit()): the whole
    `what`, unbounded, one line per change of the URL."""
    line = json.dumps(
        {
            "time": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "email": email or "-",
            "action": action,
            "what": what,
        },
        ensure_ascii=False,
    )
    return (line + "\n").encode("utf-8")


async def flood(url: str, page: str, value_kb: int, seconds: float) -> list[str]:
    """Reruns with a new URL value each, until the time is up; the values the server ran."""
    sent: list[str] = []
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None) as ws:
        deadline = time.monotonic() + seconds
        i = 0
        while time.monotonic() < deadline:
            value = f"{i:08d}" + "z" * (value_kb * 1024 - 8)
            msg = BackMsg()
            msg.rerun_script.query_string = f"x={value}"
            msg.rerun_script.page_name = page
            await ws.send(msg.SerializeToString())
            while True:
                fm = ForwardMsg()
                fm.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=60))
                if fm.WhichOneof("type") == "script_finished":
                    if fm.script_finished != EARLY_FOR_RERUN:
                        break
            sent.append(value)
            i += 1
    return sent


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in auditlog.files(path))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--value-kb", type=int, default=64)
    parser.add_argument("--page", default="data")
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "dashboard.duckdb")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="audit-flood-"))
    log_path = folder / "audit.jsonl"
    os.environ["DASHBOARD_AUDIT"] = str(log_path)
    with streamlit_server(args.db) as base:
        url = base.replace("http", "ws", 1) + "/_stcore/stream"
        # a first view, as a tab opening the page, is not part of the flood
        asyncio.run(flood(url, args.page, 0, 0.01))
        start_bytes = size(log_path)
        started = time.perf_counter()
        values = asyncio.run(flood(url, args.page, args.value_kb, args.seconds))
        elapsed = time.perf_counter() - started
        time.sleep(1)  # the last line written
        after_bytes = size(log_path) - start_bytes
    lines = [r for r in auditlog.read_audit(log_path) if r["action"] == "view"]
    before_bytes = sum(
        len(old_line("view", "-", {"page": args.page, "params": {"x": v}})) for v in values
    )
    per_hour = 3600 / elapsed
    written = lines[1:]  # the flood's view lines (the first view is not part of it)
    line_bytes = after_bytes / max(len(written), 1)
    # An hour of the same flood: the burst, then VIEW_PER_MINUTE lines a minute (or fewer, if
    # the server ran fewer reruns), each of the size measured here.
    hour_lines = min(len(values) * per_hour, auditlog.VIEW_BURST + auditlog.VIEW_PER_MINUTE * 60)
    result = {
        "seconds": round(elapsed, 1),
        "value_kb": args.value_kb,
        "reruns": len(values),
        "reruns_per_s": round(len(values) / elapsed, 1),
        "before_bytes": before_bytes,
        "before_mb_per_tab_hour": round(before_bytes * per_hour / 1e6, 1),
        "after_bytes": after_bytes,
        "after_view_lines": len(written),
        "after_line_bytes": round(line_bytes),
        "after_lines_per_tab_hour": round(hour_lines),
        "after_mb_per_tab_hour": round(hour_lines * line_bytes / 1e6, 3),
        "after_mb_per_tab_hour_bound": round(
            (auditlog.VIEW_BURST + auditlog.VIEW_PER_MINUTE * 60) * auditlog.LINE_MAX_BYTES / 1e6,
            2,
        ),
    }
    print(
        f"{len(values)} reruns in {elapsed:.1f} s with {args.value_kb} KB URL values: "
        f"before {result['before_mb_per_tab_hour']:,} MB per tab-hour, "
        f"after {result['after_mb_per_tab_hour']:,} MB per tab-hour "
        f"(at most {result['after_mb_per_tab_hour_bound']} MB whatever the flood)"
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
