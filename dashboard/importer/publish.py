"""Stage 4, publish: a new database beside the current one, checked, swapped in by one rename.

The new file is the current one with the import applied as plan.py says: rows with a file
row's key replaced by it (origin 'office', the batch's id), the demo giving way in the
provinces the files' rows fall in, deletions only with --replace and its declared scope, the
articles' rows kept, demo rows that lost what they point at removed; the changes counted
(changes.py); and one row in `imports` for the batch, which every later `build` re-applies.
`build`, `import` and `rollback` hold the same lock (dashboard/lock.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb

from dashboard import build, db, lock, precompute, provenance
from dashboard.importer import changes, guard, plan
from dashboard.importer.check import _check
from dashboard.importer.findings import Checked, _Findings
from dashboard.importer.spec import Progress, _quiet

ImportBusy = lock.Busy  # another build, import or rollback holds the lock of this database


def _temp_name(out: Path, pid: int | str) -> Path:
    return out.with_name(f".{out.name}.import-{pid}.tmp")


def batch_id(now: dt.datetime, scope: int) -> str:
    """The id of a published import: when, to the millisecond (two imports in one second stay
    apart), and which scope (e.g. 20261130-114512.123-330000)."""
    return f"{now:%Y%m%d-%H%M%S}.{now.microsecond // 1000:03d}-{scope}"


def _columns(con: duckdb.DuckDBPyConnection, here: str) -> dict[tuple[str, str], list[str]]:
    rows = con.execute(
        "select database_name, table_name, list(column_name order by column_index) "
        "from duckdb_columns() where database_name in ($here, 'old') group by all",
        {"here": here},
    ).fetchall()
    return {(d, t): cols for d, t, cols in rows}


ALLIANCE_TABLES = ("alliances", "memberships", "activities", "funding", "milestones", "figures")


def _compared(checked: Checked) -> list[str]:
    """Tables the import may change: its own, those it clears, and what a cascade may reach."""
    tables = set(checked.frames) | {c.table for c in checked.cleared}
    if tables & {"sites", "alliances", "memberships"}:
        tables |= set(ALLIANCE_TABLES)
    return [t for t in provenance.CLEAR_ORDER if t in tables]


def _write(
    checked: Checked,
    out: Path,
    tmp: Path,
    progress: Progress,
    now: dt.datetime,
    scope: plan.Scope,
    dry_run: bool = False,
) -> int:
    """A new database at tmp: the current one with the import applied; steps taken. A dry run
    stops once the changes are counted (the derived tables are made only for a publish)."""
    con = duckdb.connect(str(tmp))
    batch = batch_id(now, scope.province)
    try:
        con.execute(build.SCHEMA.read_text(encoding="utf-8")).fetchall()
        con.execute("attach $path as old (read_only)", {"path": str(out)}).fetchall()
        here = con.execute("select current_database()").fetchall()[0][0]
        columns = _columns(con, here)
        tables = sorted(t for d, t in columns if d == here)
        steps = len(tables) + 4
        for step, table in enumerate(tables, 1):  # every table as it is now
            progress(step, steps, table)
            old = columns.get(("old", table))
            if old is None or table in db.DERIVED_TABLES:
                continue  # derived tables are made again below
            provenance.copy_table(con, table, columns[(here, table)], old)
        progress(len(tables) + 1, steps, "replace")
        plan.delete(con, checked.cleared)
        for table, frame in checked.frames.items():  # the files' rows, with plain bound inserts
            plan.replace_keys(con, table, frame)
            office = frame.assign(origin="office", batch_id=batch)
            if table != "figures":
                office = office.assign(simulated=False)
            db.insert_frame(con, table, office)
        provenance.cascade(con)
        progress(len(tables) + 2, steps, "compare")
        mine = {t: cols for (d, t), cols in columns.items() if d == here}
        checked.changes = changes.compare(
            con, _compared(checked), mine, {t: len(f) for t, f in checked.frames.items()}
        )
        if dry_run:
            return steps - 1
        progress(len(tables) + 3, steps, "derived")
        precompute.store(con)  # derived from the rows now in the file, never copied
        if ("old", "imports") in columns and "batch_id" not in columns[("old", "imports")]:
            con.execute("delete from imports").fetchall()  # the log of a file before batches
        record = {
            "batch_id": batch,
            "imported_at": now.replace(microsecond=0),
            "files": json.dumps([f.name for f in checked.files], ensure_ascii=False),
            "tables": json.dumps({t: len(f) for t, f in checked.frames.items()}),
            "scope": scope.province,
            "warnings": json.dumps(
                [p.as_dict() for p in checked.problems if p.severity == "warning"],
                ensure_ascii=False,
            ),
            "period": scope.period,
            "replace": scope.replace,
            "cleared": plan.to_json(checked.cleared),
            "changes": checked.changes.to_json(),
        }
        con.execute(
            "insert into imports (batch_id, imported_at, files, tables, scope, warnings, period, "
            "replace, cleared, changes) values ($batch_id, $imported_at, $files, $tables, "
            "$scope, $warnings, $period, $replace, $cleared, $changes)",
            record,
        ).fetchall()
        con.execute("detach old").fetchall()
        con.execute("checkpoint").fetchall()
    finally:
        con.close()
    return steps - 1


def fingerprint(path: Path) -> str:
    """Which file a preview was made of: a publish made after a preview refuses a database
    that has changed since (another import, a build, a rollback)."""
    st = Path(path).stat()
    return f"{st.st_mtime_ns}-{st.st_size}-{st.st_ino}"


class Stale(RuntimeError):
    """The database changed since the preview the publish was asked for."""


def import_files(
    paths: Iterable[Path | str],
    db_path: Path | None = None,
    today: dt.date | None = None,
    progress: Progress = _quiet,
    scope: int | plan.Scope = provenance.NATIONAL,
    wait: float = 0.0,
    on_wait: Callable[[], None] | None = None,
    limits: guard.Limits = guard.DEFAULT,
    dry_run: bool = False,
    confirm: Callable[[Checked], bool] | None = None,
    expect: str | None = None,
) -> tuple[Checked, bool]:
    """Check the files and, only if nothing is wrong, publish the new database at db_path.

    Returns the check and whether a new file was published; checked.changes says what changes
    (or would: dry_run writes the new file, compares and publishes nothing). The database is
    replaced by one rename; on any problem, or if the process is killed, the file at db_path
    is untouched. scope: 100000 (the whole country), a province adcode the files must stay in,
    or a plan.Scope (province, period, replace). confirm is asked, with the changes, before
    an office or article row is deleted; False leaves the database as it is. expect: the
    fingerprint of the database a preview was made of (Stale if it changed since).
    ImportBusy if a build or another import keeps the lock past `wait` seconds;
    lock.StorageError if the folder cannot be written.
    """
    if not isinstance(scope, plan.Scope):
        scope = plan.Scope(int(scope))
    out = Path(db_path or db.db_path())
    if not out.is_file():
        raise db.DatabaseUnavailable(f"database file not found: {out}")
    with lock.hold(out, wait=wait, on_wait=on_wait):
        if expect is not None and fingerprint(out) != expect:
            raise Stale(str(out))
        con = db.connect(out)
        try:
            checked = _check(paths, con, today or dt.date.today(), progress, scope, limits)
        finally:
            con.close()
        if not checked.ok:
            return checked, False
        lock.writable(out.parent)
        tmp = _temp_name(out, os.getpid())
        try:
            try:
                now = dt.datetime.now()
                steps = _write(checked, out, tmp, progress, now, scope, dry_run)
                if dry_run:
                    return checked, False
                progress(steps + 1, steps + 2, "contract")
                build.check_contract(tmp)
            except OSError as exc:
                raise lock.StorageError(out.parent, exc) from exc
            except (duckdb.Error, build.BuildError) as exc:
                if isinstance(exc, duckdb.IOException) or lock.is_storage(exc):
                    raise lock.from_duckdb(out.parent, exc) from exc
                rule = "contract" if isinstance(exc, build.BuildError) else "write_failed"
                detail = str(exc).splitlines()
                if isinstance(exc, build.BuildError) and len(detail) > 2:
                    detail = [detail[0] + ": " + " ".join(detail[2].split())]
                _Findings(checked).add(out.name, None, "", "", rule, detail=detail[0])
                return checked, False
            if confirm is not None and checked.changes.total("deleted") and not confirm(checked):
                checked.declined = True
                return checked, False
            progress(steps + 2, steps + 2, "publish")
            build.publish(tmp, out)
        finally:
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                with contextlib.suppress(OSError):
                    leftover.unlink(missing_ok=True)
    return checked, True
