"""Command line: python -m dashboard build | check [FILE|DIR…] | import FILE|DIR… | template DIR.

Exit codes of check and import: 0 passed (and, for import, published), 1 refused (the report
lists every problem; the database is untouched), 2 unreadable input or no database."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from dashboard import build, db, i18n, importer, simulate


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


def _both(key: str, **values: object) -> str:
    """A message in Chinese, then English."""
    return f"{i18n.text(key, 'zh', **values)}\n{i18n.text(key, 'en', **values)}"


def _exit_code(checked: importer.Checked) -> int:
    return 2 if checked.unreadable else (0 if checked.ok else 1)


def cmd_check(args: argparse.Namespace) -> int:
    if args.paths:
        return cmd_check_files(args)
    try:
        con = db.connect(args.db)
    except db.DatabaseUnavailable as exc:
        print(f"数据库不可用 / database unavailable: {exc}", file=sys.stderr)
        return 2
    print(db.run(con, "table_counts").to_string(index=False))
    bad = build.contract_violations(con)
    if len(bad):
        print(f"\n{len(bad)} 条数据违反约定 / contract violations:")
        print(bad.to_string(index=False))
        return 1
    print("\n数据约定检查通过 / contract checks passed")
    return 0


def cmd_check_files(args: argparse.Namespace) -> int:
    try:
        checked = importer.check(args.paths, args.db, progress=bar)
    except db.DatabaseUnavailable as exc:
        print(_both("import.report.db_missing", detail=exc), file=sys.stderr)
        return 2
    print(importer.report(checked))
    return _exit_code(checked)


def cmd_import(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    out = Path(args.db or db.db_path())
    try:
        checked, published = importer.import_files(args.paths, out, progress=bar)
    except db.DatabaseUnavailable as exc:
        print(_both("import.report.db_missing", detail=exc), file=sys.stderr)
        return 2
    except importer.ImportBusy:
        print(_both("import.report.busy"), file=sys.stderr)
        return 2
    print(importer.report(checked))
    if not published:
        return _exit_code(checked) or 1
    seconds = f"{time.perf_counter() - start:.1f}"
    print(
        _both("import.report.published", path=out, seconds=seconds, backups=out.parent / "backups")
    )
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    metrics = None
    try:  # the metric catalogue of the database, when there is one, lists the metric ids
        con = db.connect(args.db)
    except db.DatabaseUnavailable:
        pass
    else:
        metrics = db.run(con, "metric_catalogue")
        con.close()
    written = importer.write_templates(args.folder, metrics)
    print(_both("import.report.templates", n=len(written), dir=args.folder))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="医联体协作看板")
    sub = parser.add_subparsers(dest="verb", required=True)
    p = sub.add_parser("build", help="build the database from data/")
    p.add_argument("--out", type=Path, default=None, help="database file (default: $DASHBOARD_DB)")
    p.add_argument("--seed", type=int, default=simulate.SEED)
    p.add_argument("--scale", type=int, default=1, help="simulation size multiplier")
    p.set_defaults(func=cmd_build)
    p = sub.add_parser(
        "check",
        help="without paths: table counts and contract violations of "
        "the database; with paths: check office files (nothing is written)",
    )
    p.add_argument("paths", nargs="*", type=Path, help="CSV/.xlsx files or folders of them")
    p.add_argument("--db", type=Path, default=None)
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("import", help="check office files and, if all pass, publish them")
    p.add_argument("paths", nargs="+", type=Path, help="CSV/.xlsx files or folders of them")
    p.add_argument("--db", type=Path, default=None, help="database file (default: $DASHBOARD_DB)")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("template", help="write empty import templates (CSV, .xlsx, README)")
    p.add_argument("folder", type=Path)
    p.add_argument("--db", type=Path, default=None)
    p.set_defaults(func=cmd_template)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
