"""Command line: python -m dashboard build [--no-simulation] | check [FILE|DIR…] |
import FILE|DIR… [--province ADCODE] | imports | rollback | template DIR |
export TABLE|all --format csv|xlsx --out PATH | audit [--since DATE] [--email E].

Exit codes: dashboard/exits.py (README "Exit codes"); every failure is a message, not a traceback."""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import os
import sys
import time
from pathlib import Path

from dashboard import (
    access,
    atomic,
    auditlog,
    build,
    db,
    exits,
    export,
    i18n,
    importer,
    lock,
    provenance,
    safe,
    simulate,
)
from dashboard.access import cli as access_cli
from dashboard.importer import cli as import_cli
from dashboard.report import cli as report_cli


def bar(step: int, total: int, label: str) -> None:
    """A one-line text progress bar on stderr."""
    width = 30
    done = int(width * step / total)
    sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {step}/{total} {label:<20}")
    if step == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


EXIT_BUSY, EXIT_STORAGE = exits.BUSY, exits.STORAGE


def _storage(exc: lock.StorageError) -> int:
    if exc.errno in (errno.EEXIST, errno.ENOTDIR):  # a file where the database's folder goes
        return exits.fail(exits.EXISTS, "cli.exists_file", path=exits.in_the_way(exc.path))
    key = "import.report.storage_full" if exc.full else "import.report.storage"
    print(_both(key, path=exc.path, reason=exc.reason), file=sys.stderr)
    return EXIT_STORAGE


def _busy(wait: float) -> int:
    print(_both("import.report.busy_wait", seconds=f"{wait:.0f}"), file=sys.stderr)
    return EXIT_BUSY


def _waiting(key: str):
    return lambda: print(_both(key), file=sys.stderr, flush=True)


def cmd_build(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    try:
        path = build.build(
            args.out,
            data_dir=args.data,
            seed=args.seed,
            scale=args.scale,
            progress=bar,
            simulation=not args.no_simulation,
            wait=args.wait,
            on_wait=_waiting("build.report.wait"),
        )
    except build.BuildError as exc:
        print(f"\n构建失败 / build refused: {exc}", file=sys.stderr)
        return 1
    except lock.Busy:
        return _busy(args.wait)
    except lock.StorageError as exc:
        return _storage(exc)
    size_mb = path.stat().st_size / 1e6
    batches = _batches(path)
    if batches:
        ids = ", ".join(b["batch_id"] for b in batches)
        print(_both("build.report.reapplied", n=len(batches), batches=ids))
    if args.no_simulation:
        print(_both("build.report.no_simulation"))
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
        return exits.db_missing(args.db or db.db_path(), exc)
    print(db.run(con, "table_counts", {"regions": [100000]}).to_string(index=False))
    bad = build.contract_violations(con)
    if len(bad):
        print(f"\n{len(bad)} 条数据违反约定 / contract violations:")
        print(bad.to_string(index=False))
        return 1
    print("\n数据约定检查通过 / contract checks passed")
    return 0


def _limits(args: argparse.Namespace) -> importer.Limits:
    """The import limits the command line set (README "Limits")."""
    return importer.Limits(
        max_file_mb=args.max_file_mb,
        max_rows=args.max_rows,
        max_cells=args.max_cells,
        max_unzipped_mb=args.max_unzipped_mb,
        max_shared_strings=args.max_shared_strings,
        allow_empty=args.allow_empty,
    )


def _limit_options(p: argparse.ArgumentParser) -> None:
    d = importer.Limits()
    p.add_argument(
        "--allow-empty",
        action="store_true",
        help="a file with no rows may empty its table (never county_metrics)",
    )
    p.add_argument("--max-file-mb", type=float, default=d.max_file_mb, help="largest file (MB)")
    p.add_argument("--max-rows", type=int, default=d.max_rows, help="most data rows per file")
    p.add_argument("--max-cells", type=int, default=d.max_cells, help="most cells per file")
    p.add_argument(
        "--max-unzipped-mb",
        type=float,
        default=d.max_unzipped_mb,
        help="largest .xlsx when unpacked (MB)",
    )
    p.add_argument(
        "--max-shared-strings",
        type=int,
        default=d.max_shared_strings,
        help="most distinct texts in an .xlsx",
    )


def cmd_check_files(args: argparse.Namespace) -> int:
    try:
        checked = importer.check(args.paths, args.db, progress=bar, limits=_limits(args))
    except db.DatabaseUnavailable as exc:
        print(_both("import.report.db_missing", detail=exc), file=sys.stderr)
        return 2
    print(importer.report(checked))
    return _exit_code(checked)


def cmd_import(args: argparse.Namespace) -> int:
    args.limits = _limits(args)
    return import_cli.cmd_import(args)  # preview, replace and confirmation: importer/cli.py


def _scope_text(path: Path, scope: int) -> str:
    if scope == provenance.NATIONAL:
        return _both("import.report.scope_national")
    con = db.connect(path)
    try:
        names = db.run(con, "provinces", {"regions": [access.NATIONAL]})
    finally:
        con.close()
    name = dict(zip(names["adcode"], names["name"], strict=True)).get(scope, str(scope))
    return _both("import.report.scope_province", name=name, scope=scope)


def _batches(path: Path) -> list[dict]:
    """The published import batches of the database at path, oldest first."""
    try:
        con = db.connect(path)
    except db.DatabaseUnavailable:
        return []
    try:
        return db.run(con, "import_batches", {"regions": [access.NATIONAL]}).to_dict("records")
    except Exception:  # a file from before batches: none to list  # noqa: BLE001
        return []
    finally:
        con.close()


def cmd_imports(args: argparse.Namespace) -> int:
    path = Path(args.db or db.db_path())
    if not path.is_file():
        print(_both("import.report.db_missing", detail=path), file=sys.stderr)
        return 2
    batches = _batches(path)
    if not batches:
        print(_both("import.report.no_batches"))
        return 0
    print(_both("import.report.batches_header"))
    for b in batches:
        scope = "全国 national" if b["scope"] == provenance.NATIONAL else str(b["scope"])
        values = {
            "batch": b["batch_id"],
            "when": f"{b['imported_at']:%Y-%m-%d %H:%M:%S}",
            "scope": scope,
            "rows": b["rows"],
            "files": safe.for_terminal(b["files"]),  # names from the office: no escapes
        }
        print("  " + i18n.text("import.report.batch_line", "zh", **values))
        print("  " + i18n.text("import.report.batch_line", "en", **values))
        print(f"    {b['tables']}")
        import_cli.print_changes(path, b.get("changes"))
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    path = Path(args.db or db.db_path())
    try:
        result = build.rollback(path, wait=args.wait, on_wait=_waiting("import.report.wait"))
    except lock.Busy:
        return _busy(args.wait)
    except lock.StorageError as exc:
        return _storage(exc)
    if result is None:
        print(_both("import.report.no_backup", dir=path.parent / "backups"), file=sys.stderr)
        return 2
    backup, moved, before, after = result
    print(_both("import.report.rolled_back", backup=backup.name, moved=moved))
    print(_both("import.report.rollback_changes"))
    for table in [*before, *(t for t in after if t not in before)]:
        b, a = before.get(table, 0), after.get(table, 0)
        mark = "" if a == b else "   *"
        print(f"  {table:<24} {b:>9,} → {a:>9,}{mark}")
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


def _whole(con, name: str):
    """A named query over the whole file (the command line reads everything it can open)."""
    wanted = db.query_params(name)
    return db.run(con, name, {"regions": [access.NATIONAL]} if "regions" in wanted else None)


def cmd_export(args: argparse.Namespace) -> int:
    try:
        con = db.connect(args.db)
    except db.DatabaseUnavailable as exc:
        return exits.db_missing(args.db or db.db_path(), exc, args.lang)
    tables = list(export.EXPORTS) if args.table == "all" else [args.table]
    if args.table == "scorecard":
        return _export_scorecard(con, args)
    try:
        written = export.write(
            lambda name: _whole(con, name), tables, args.format, args.out, args.lang, args.headers
        )
    except export.ExportTooLarge as exc:
        print(exc, file=sys.stderr)
        return exits.REFUSED
    except OSError as exc:
        return _export_failed(exc, args)
    finally:
        con.close()
    print(i18n.text("export.written", args.lang, n=len(written)))
    for path in written:
        print(f"  {path}")
    return 0


def _export_scorecard(con, args: argparse.Namespace) -> int:
    """export scorecard --province ADCODE [--year YYYY]: one row per county and indicator and the
    province's own row, with value, numerator, denominator, rank and number ranked."""
    try:
        if args.province is None:
            print(_both("export.scorecard_province"), file=sys.stderr)
            return 2
        provinces = set(_whole(con, "provinces")["adcode"].astype(int))
        if args.province not in provinces:
            print(_both("export.scorecard_unknown", code=args.province), file=sys.stderr)
            return 2
        years = _whole(con, "metric_years")["year"].tolist()
        year = args.year or (years[0] if years else None)
        if year not in years:
            print(_both("export.scorecard_no_year", year=year), file=sys.stderr)
            return 2
        cells = db.run(
            con,
            "scorecard",
            {
                "regions": [access.NATIONAL],
                "province": args.province,
                "year": year,
                "districts": True,
            },
        )
        catalogue = _whole(con, "metric_catalogue")
        frame = export.scorecard_frame(cells, catalogue, year)
        names = dict(zip(catalogue["area"], catalogue[f"area_{args.lang}"], strict=False))
        area_names = frame["area"].map(names)
    finally:
        con.close()
    if args.headers == "labels":
        frame = export.localise(frame.assign(area=area_names), "scorecard", args.lang)
    else:
        frame = export.keyed(frame)
    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        stem = i18n.text("export.scorecard_file", args.lang, province=args.province, year=year)
        out = out / export.file_name(stem, args.format)
    try:
        atomic.folder(out.parent)
        data = (
            export.xlsx_bytes({str(year): frame}, args.lang)
            if out.suffix.lower() == ".xlsx"
            else export.csv_bytes(frame, args.lang)
        )
        atomic.write_bytes(out, data)
    except OSError as exc:
        return _export_failed(exc, args)
    print(i18n.text("export.written", args.lang, n=1))
    print(f"  {out}")
    return 0


def _export_failed(exc: OSError, args: argparse.Namespace) -> int:
    code = exits.write_failed(exc, args.lang, args.out)
    done = getattr(exc, "written", None)
    if done:
        files = ", ".join(str(p) for p in done)
        print(exits.say("cli.written_before", args.lang, n=len(done), files=files), file=sys.stderr)
    return code


def cmd_audit(args: argparse.Namespace) -> int:
    log = Path(args.file or auditlog.path())
    if not auditlog.files(log):
        return exits.fail(exits.OK, "audit.no_log", path=log)
    reading = auditlog.read(log, since=args.since, email=args.email)
    print(auditlog.table(reading.rows))
    print(_both("audit.usage", **auditlog.usage_values(auditlog.usage(log))))
    if reading.skipped:
        print(_both("audit.skipped", n=reading.skipped))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="医联体协作看板")
    sub = parser.add_subparsers(dest="verb", required=True)
    p = sub.add_parser("build", help="build the database from data/")
    p.add_argument("--out", type=Path, default=None, help="database file (default: $DASHBOARD_DB)")
    p.add_argument("--data", type=Path, default=build.DATA_DIR, help="data folder (default: data/)")
    p.add_argument("--seed", type=int, default=simulate.SEED)
    p.add_argument("--scale", type=int, default=1, help="simulation size multiplier")
    p.add_argument(
        "--no-simulation",
        action="store_true",
        help="geography, catalogue and the articles only: no simulated (demo) rows",
    )
    p.add_argument(
        "--wait", type=float, default=lock.WAIT_SECONDS, help="seconds to wait for the lock"
    )
    p.set_defaults(func=cmd_build)
    p = sub.add_parser(
        "check",
        help="without paths: table counts and contract violations of "
        "the database; with paths: check office files (nothing is written)",
    )
    p.add_argument("paths", nargs="*", type=Path, help="CSV/.xlsx files or folders of them")
    p.add_argument("--db", type=Path, default=None)
    _limit_options(p)
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("import", help="check office files and, if all pass, publish them")
    p.add_argument("paths", nargs="+", type=Path, help="CSV/.xlsx files or folders of them")
    p.add_argument("--db", type=Path, default=None, help="database file (default: $DASHBOARD_DB)")
    p.add_argument(
        "--province",
        type=int,
        default=None,
        help="the province the files' rows must stay in (its adcode, e.g. 330000)",
    )
    import_cli.add_options(p)
    p.add_argument(
        "--wait", type=float, default=lock.WAIT_SECONDS, help="seconds to wait for the lock"
    )
    _limit_options(p)
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("imports", help="list the published import batches")
    p.add_argument("--db", type=Path, default=None)
    p.set_defaults(func=cmd_imports)
    p = sub.add_parser("rollback", help="go back to the state before the last publish")
    p.add_argument("--db", type=Path, default=None)
    p.add_argument("--wait", type=float, default=lock.WAIT_SECONDS)
    p.set_defaults(func=cmd_rollback)
    p = sub.add_parser("template", help="write empty import templates (CSV, .xlsx, README)")
    p.add_argument("folder", type=Path)
    p.add_argument("--db", type=Path, default=None)
    p.set_defaults(func=cmd_template)
    p = sub.add_parser("export", help="write tables as the Data page's downloads (inert cells)")
    p.add_argument("table", choices=[*export.EXPORTS, "scorecard", "all"])
    p.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    p.add_argument("--out", type=Path, required=True, help="file, or folder for several CSVs")
    p.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG)
    p.add_argument(
        "--headers",
        choices=("labels", "keys"),
        default="labels",
        help="labels: translated headers and codes (default); keys: the contract's column "
        "names and codes, for scripts",
    )
    p.add_argument("--province", type=int, default=None, help="scorecard: the province's adcode")
    p.add_argument("--year", type=int, default=None, help="scorecard: default the newest year")
    p.add_argument("--db", type=Path, default=None)
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("audit", help="print the audit log (logins, refusals, views, downloads)")
    p.add_argument("--since", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD")
    p.add_argument("--email", default=None)
    p.add_argument("--file", type=Path, default=None, help="default: $DASHBOARD_AUDIT")
    p.set_defaults(func=cmd_audit)
    report_cli.add_parser(sub, progress=bar)
    access_cli.add_parser(sub)
    args = parser.parse_args(argv)
    return run(args)


def run(args: argparse.Namespace) -> int:
    """The verb, with whatever escapes it turned into a message and an exit code (exits.py)."""
    lang = getattr(args, "lang", None)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return exits.fail(exits.INTERRUPTED, "cli.interrupted", lang)
    except lock.StorageError as exc:
        return _storage(exc)
    except db.DatabaseUnavailable as exc:
        return exits.db_missing(getattr(args, "db", None) or db.db_path(), exc, lang)
    except OSError as exc:
        return exits.os_failed(exc, lang)
    except Exception as exc:
        if os.environ.get("DASHBOARD_DEBUG"):
            raise
        detail = exits.one_line(str(exc))
        return exits.fail(
            exits.INTERNAL, "cli.internal", lang, kind=type(exc).__name__, detail=detail
        )


if __name__ == "__main__":
    sys.exit(main())
