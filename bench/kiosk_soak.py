"""Soak the kiosk: rotate many slides in headless Chromium, report server RSS and tab JS heap.

    python bench/kiosk_soak.py --rotations 500 --interval 2

Writes bench/results/kiosk_soak.json and prints a table. Loopback only; stops by itself.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import chromium, national_db, streamlit_server  # noqa: E402

H1 = "[data-testid='stMain'] h1"


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def heap_mb(page) -> float:
    """Used JS heap of the tab after a garbage collection, in MB."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("HeapProfiler.collectGarbage")
    used = page.evaluate("performance.memory.usedJSHeapSize")
    cdp.detach()
    return used / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rotations", type=int, default=500)
    parser.add_argument("--interval", type=int, default=2)
    parser.add_argument("--every", type=int, default=50, help="sample memory every N rotations")
    parser.add_argument("--max-minutes", type=float, default=60)
    args = parser.parse_args()

    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    db = national_db(Path("/tmp"))
    samples = []
    deadline = time.monotonic() + args.max_minutes * 60
    with streamlit_server(db) as base, chromium(1920, 1080) as page:
        server_pid = _server_pid(base)
        page.goto(f"{base}/kiosk?interval={args.interval}")
        page.wait_for_selector(H1, timeout=90_000)
        rotations, last = 0, page.locator(H1).first.inner_text()
        start = time.monotonic()
        while rotations < args.rotations and time.monotonic() < deadline:
            page.wait_for_timeout(250)
            heading = page.locator(H1)
            title = heading.first.inner_text() if heading.count() else last
            if title != last:
                rotations += 1
                last = title
                if rotations % args.every == 0 or rotations in (10, args.rotations):
                    samples.append(
                        {
                            "rotations": rotations,
                            "minutes": round((time.monotonic() - start) / 60, 1),
                            "server_rss_mb": round(rss_mb(server_pid), 1),
                            "tab_js_heap_mb": round(heap_mb(page), 1),
                        }
                    )
                    print(samples[-1], flush=True)
        errors = page.locator('[data-testid="stException"]').count()
        outside = list(page.outside_requests)
    result = {
        "interval_s": args.interval,
        "rotations": rotations,
        "samples": samples,
        "exceptions_on_screen": errors,
        "requests_leaving_localhost": outside,
    }
    (out_dir / "kiosk_soak.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    first, last_sample = samples[0], samples[-1]
    print(
        f"\nrotations {rotations}: server RSS {first['server_rss_mb']} → "
        f"{last_sample['server_rss_mb']} MB, tab JS heap {first['tab_js_heap_mb']} → "
        f"{last_sample['tab_js_heap_mb']} MB, exceptions {errors}, outside requests {len(outside)}"
    )
    return 0 if rotations >= args.rotations and not errors and not outside else 1


def _server_pid(base: str) -> int:
    """The pid of the streamlit process listening on the base URL's port."""
    port = int(base.rsplit(":", 1)[1])
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "0A":
            inode = fields[9]
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if fd.readlink().name == f"socket:[{inode}]":
                    return int(proc.name)
        except OSError:
            continue
    raise RuntimeError(f"no process listens on port {port}")


if __name__ == "__main__":
    sys.exit(main())
