"""`python -m dashboard import`: check, preview (--dry-run), confirm deletions (--replace), publish.

Options beyond the files: --province ADCODE (the files must stay in it), --period YEAR (dated
rows must fall in it), --replace (delete the loaded tables' rows within that declared scope
that the files do not have: the count is printed, then confirmed with `yes` at a terminal or
--yes without one), --dry-run (print what would change, publish nothing), --json PATH (the
result for the Data page: findings, changes, fingerprint), --expect FINGERPRINT (publish only
the database a preview was made of).
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
import time
from pathlib import Path

from dashboard import atomic, db, i18n, importer, lock, safe
from dashboard.importer import plan, publish
from dashboard.importer.report import changes_text, deletions_text


def add_options(p: argparse.ArgumentParser) -> None:
    """The import verb's options for preview, period, replace and the Data page."""
    p.add_argument(
        "--period",
        type=int,
        default=None,
        help="a year: dated rows must fall in it (with --replace: the rows it deletes)",
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help="delete the loaded tables' rows within --province/--period that the files lack "
        "(asks first)",
    )
    p.add_argument(
        "--yes", action="store_true", help="confirm --replace's deletions without a terminal"
    )
    p.add_argument("--dry-run", action="store_true", help="show what would change; publish nothing")
    p.add_argument("--json", type=Path, default=None, help="write the result as JSON (Data page)")
    p.add_argument("--expect", default=None, help="publish only if the database is still this one")


def _both(key: str, **values) -> str:
    return f"{i18n.text(key, 'zh', **values)}\n{i18n.text(key, 'en', **values)}"


def province_names(path: Path) -> dict[int, str]:
    """Province adcode -> Chinese name, from the database at path."""
    try:
        con = db.connect(path)
    except db.DatabaseUnavailable:
        return {}
    try:
        rows = con.execute("select adcode, name from regions where level = 'province'").fetchall()
    finally:
        con.close()
    return {int(a): n for a, n in rows}


def _confirm(args: argparse.Namespace, names: dict[int, str]):
    """The question --replace asks before deleting office or article rows."""

    def ask(checked: importer.Checked) -> bool:
        # the whole report first, then what goes, then the question
        print(importer.report(checked))
        print()
        print(changes_text(checked.changes, names))
        print()
        print(deletions_text(checked.changes, names), flush=True)
        ask.told = True
        if args.yes:
            return True
        if not sys.stdin.isatty():
            n = f"{checked.changes.total('deleted'):,}"
            print(_both("import.replace.needs_yes", n=n), file=sys.stderr)
            return False
        answer = input(
            f"{i18n.text('import.replace.ask', 'zh')}\n{i18n.text('import.replace.ask', 'en')}"
        )
        return answer.strip().lower() in ("yes", "y", "是")

    ask.told = False
    return ask


def result_json(checked: importer.Checked, published: bool, out: Path, **extra) -> dict:
    """What the Data page shows of an import: findings, changes, the file it was made of."""
    changes = checked.changes
    return {
        "ok": checked.ok,
        "published": published,
        "declined": checked.declined,
        "errors": checked.errors,
        "warnings": checked.warnings,
        "files": [{"name": f.name, "table": f.table, "rows": f.rows} for f in checked.files],
        "problems": [p.as_dict() for p in checked.problems],
        "changes": None if changes is None else json.loads(changes.to_json()),
        "fingerprint": publish.fingerprint(out) if out.is_file() else None,
        **extra,
    }


def cmd_import(args: argparse.Namespace) -> int:
    from dashboard.__main__ import _batches, _busy, _exit_code, _scope_text, _storage, _waiting, bar

    start = time.perf_counter()
    out = Path(args.db or db.db_path())
    scope = plan.Scope(args.province or plan.NATIONAL, args.period, args.replace)
    names = province_names(out)
    extra: dict = {}
    confirm = _confirm(args, names)
    try:
        checked, published = importer.import_files(
            args.paths,
            out,
            progress=bar,
            scope=scope,
            wait=args.wait,
            on_wait=_waiting("import.report.wait"),
            limits=args.limits,
            dry_run=args.dry_run,
            confirm=confirm,
            expect=args.expect,
        )
    except db.DatabaseUnavailable as exc:
        print(_both("import.report.db_missing", detail=exc), file=sys.stderr)
        return 2
    except importer.ImportBusy:
        return _busy(args.wait)
    except lock.StorageError as exc:
        return _storage(exc)
    except publish.Stale:
        print(_both("import.report.stale"), file=sys.stderr)
        _write_json(args, {"ok": False, "published": False, "stale": True})
        return 1
    if not confirm.told:
        print(importer.report(checked))
    if checked.changes is not None and (published or not confirm.told):
        print()
        print(changes_text(checked.changes, names, done=published))
    if published:
        seconds = f"{time.perf_counter() - start:.1f}"
        print(
            _both(
                "import.report.published",
                path=out,
                seconds=seconds,
                backups=out.parent / "backups",
            )
        )
        batch = _batches(out)[-1]
        extra["batch"] = batch["batch_id"]
        print(_both("import.report.batch", batch=batch["batch_id"]))
        print(_scope_text(out, scope.province))
    elif args.dry_run and checked.ok:
        print(_both("import.report.dry_run"))
    elif checked.declined:
        print(_both("import.replace.declined"), file=sys.stderr)
    _write_json(args, result_json(checked, published, out, **extra))
    if published or (args.dry_run and checked.ok):
        return 0
    return _exit_code(checked) or 1


def _write_json(args: argparse.Namespace, result: dict) -> None:
    if args.json is not None:
        text = json.dumps(result, ensure_ascii=False, default=str)
        atomic.write_bytes(args.json, text.encode("utf-8"))  # whole or not at all


def escaped_files(files: list[str]) -> str:
    """File names as they are printed: control characters escaped."""
    return ", ".join(safe.for_terminal(f) for f in files)


def print_changes(path: Path, text: str | None) -> None:
    """A published batch's changes, as its report told them (`imports`)."""
    from dashboard.importer.changes import Changes

    changes = Changes.from_json(text)
    if changes is not None:
        print(textwrap.indent(changes_text(changes, province_names(path), done=True), "    "))
