"""Command line: python -m dashboard build | check."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from dashboard import build, db, simulate


def bar(step: int, total: int, label: str) -> None:
    """A one-line text progress bar on stderr."""
    width = 30
    done = int(width * step / total)
    sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {step}/{total} {label:<20}")
    if step == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def cmd_build(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    try:
        path = build.build(args.out, seed=args.seed, scale=args.scale, progress=bar)
    except build.BuildError as exc:
        print(f"\n构建失败 / build refused: {exc}", file=sys.stderr)
        return 1
    size_mb = path.stat().st_size / 1e6
    print(f"built {path} ({size_mb:.1f} MB) in {time.perf_counter() - start:.1f} s")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    try:
        con = db.connect(args.db)
    except db.DatabaseUnavailable as exc:
        print(f"数据库不可用 / database unavailable: {exc}", file=sys.stderr)
        return 2
    print(db.run(con, "table_counts").to_string(index=False))
    bad = db.run(con, "contract/violations", {"today": dt.date.today()})
    if len(bad):
        print(f"\n{len(bad)} 条数据违反约定 / contract violations:")
        print(bad.to_string(index=False))
        return 1
    print("\n数据约定检查通过 / contract checks passed")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="医联体协作看板")
    sub = parser.add_subparsers(dest="verb", required=True)
    p = sub.add_parser("build", help="build the database from data/")
    p.add_argument("--out", type=Path, default=None, help="database file (default: $DASHBOARD_DB)")
    p.add_argument("--seed", type=int, default=simulate.SEED)
    p.add_argument("--scale", type=int, default=1, help="simulation size multiplier")
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("check", help="table counts and contract violations of a database")
    p.add_argument("--db", type=Path, default=None)
    p.set_defaults(func=cmd_check)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
