"""Briefings on the national database: one province, one alliance, all 31 provinces (Word and
PDF each), as the monthly job runs them (`python -m dashboard report …` in a child process):
wall time, CPU time and peak memory of the whole process tree (Python and its Chromium), sampled from /proc
as PSS (proportional set size: memory shared between Chromium's processes is counted once).

python bench/report_bench.py [--db FILE] [--skip-all]   → bench/results/report_bench.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    "province 330000 (浙江)": ["--province", "330000"],
    "alliance R-A05": ["--alliance", "R-A05"],
    "all 31 provinces": ["--all-provinces"],
}


TICKS = os.sysconf("SC_CLK_TCK")


def _pss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _tree(root: int) -> list[int]:
    """A process and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo += children.get(pid, [])
    return pids


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def measure(args: list[str], db: Path | None, out: Path) -> dict:
    cmd = [sys.executable, "-m", "dashboard", "report", *args, "--out", str(out)]
    if db:
        cmd += ["--db", str(db)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak = [0.0]
    cpu: dict[int, float] = {}  # pid -> CPU seconds at its last sample

    def sample() -> None:
        while proc.poll() is None:
            pids = _tree(proc.pid)
            peak[0] = max(peak[0], sum(_pss_mb(p) for p in pids))
            for pid in pids:
                cpu[pid] = max(cpu.get(pid, 0.0), _cpu_s(pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    if proc.returncode:
        raise RuntimeError(f"{cmd} exited {proc.returncode}: {stdout.decode()}")
    files = sorted(out.iterdir())
    return {
        "seconds": round(seconds, 1),
        # CPU of the tree, sampled: less at the mercy of other load than the wall time
        "cpu_s": round(sum(cpu.values()), 1),
        "peak_mb": round(peak[0]),
        "files": len(files),
        "mb_written": round(sum(f.stat().st_size for f in files) / 1e6, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--skip-all", action="store_true", help="leave out all 31 provinces")
    args = parser.parse_args()
    results = {}
    for name, case in CASES.items():
        if args.skip_all and "--all-provinces" in case:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            results[name] = measure(case, args.db, Path(tmp))
        r = results[name]
        print(
            f"{name:<24} {r['seconds']:>7.1f} s  {r['cpu_s']:>7.1f} s CPU  {r['peak_mb']:>6} MB peak  "
            f"{r['files']} files, {r['mb_written']} MB",
            flush=True,
        )
    target = ROOT / "bench" / "results" / "report_bench.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
