"""Stage 4, publish: a new database beside the current one, checked, swapped in by one rename."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb

from dashboard import build, db
from dashboard.importer import guard
from dashboard.importer.check import _check
from dashboard.importer.findings import Checked, _Findings
from dashboard.importer.spec import Progress, _quiet


class ImportBusy(RuntimeError):
    """Another import holds the lock of this database."""


# ---------------------------------------------------------------- publish


@contextlib.contextmanager
def _lock(out: Path) -> Iterator[None]:
    """One writer at a time in the database's folder (released by the OS if the process dies)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory lock, the rename is still atomic
        yield
        return
    path = out.with_name(".build.lock")  # the lock of firststart's build, in the same folder
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise ImportBusy(str(out)) from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _temp_name(out: Path, pid: int | str) -> Path:
    return out.with_name(f".{out.name}.import-{pid}.tmp")


def _remove_stale(out: Path) -> None:
    """Left-overs of an import that was killed mid-way (only called while holding the lock)."""
    for stale in out.parent.glob(f".{out.name}.import-*.tmp*"):
        with contextlib.suppress(OSError):
            stale.unlink()


def _write(checked: Checked, out: Path, tmp: Path, progress: Progress, now: dt.datetime) -> int:
    """A new database at tmp: the current one with the imported tables replaced; steps taken."""
    con = duckdb.connect(str(tmp))
    try:
        con.execute(build.SCHEMA.read_text(encoding="utf-8")).fetchall()
        con.execute("attach $path as old (read_only)", {"path": str(out)}).fetchall()
        here = con.execute("select current_database()").fetchall()[0][0]
        columns = con.execute(
            "select database_name, table_name, list(column_name order by column_index) "
            "from duckdb_columns() where database_name in ($here, 'old') group by all",
            {"here": here},
        ).fetchall()
        new = {t: cols for d, t, cols in columns if d == here}
        old = {t: cols for d, t, cols in columns if d == "old"}
        tables = sorted(new)
        for step, table in enumerate(tables, 1):
            progress(step, len(tables) + 2, table)
            if table in checked.frames:  # the imported table, with plain bound inserts
                db.insert_frame(con, table, checked.frames[table])
            elif table in old:  # every other table as it is now
                shared = ", ".join(f'"{c}"' for c in new[table] if c in old[table])
                con.execute(
                    f"insert into {table} ({shared}) "  # noqa: S608 (names from the schema)
                    f"select {shared} from old.{table}"
                ).fetchall()
        record = {
            "imported_at": now,
            "files": json.dumps([f.name for f in checked.files], ensure_ascii=False),
            "tables": json.dumps({t: len(f) for t, f in checked.frames.items()}),
            "warnings": json.dumps(
                [p.as_dict() for p in checked.problems if p.severity == "warning"],
                ensure_ascii=False,
            ),
        }
        con.execute(
            "insert into imports values ($imported_at, $files, $tables, $warnings)", record
        ).fetchall()
        con.execute("detach old").fetchall()
        con.execute("checkpoint").fetchall()
    finally:
        con.close()
    return len(tables)


def import_files(
    paths: Iterable[Path | str],
    db_path: Path | None = None,
    today: dt.date | None = None,
    progress: Progress = _quiet,
    limits: guard.Limits = guard.DEFAULT,
) -> tuple[Checked, bool]:
    """Check the files and, only if nothing is wrong, publish the new database at db_path.

    Returns the check and whether a new file was published. The database is replaced by one
    rename; on any problem, or if the process is killed, the file at db_path is untouched.
    """
    out = Path(db_path or db.db_path())
    if not out.is_file():
        raise db.DatabaseUnavailable(f"database file not found: {out}")
    with _lock(out):
        _remove_stale(out)
        con = db.connect(out)
        try:
            checked = _check(paths, con, today or dt.date.today(), progress, limits)
        finally:
            con.close()
        if not checked.ok:
            return checked, False
        tmp = _temp_name(out, os.getpid())
        try:
            try:
                steps = _write(
                    checked, out, tmp, progress, dt.datetime.now().replace(microsecond=0)
                )
                progress(steps + 1, steps + 2, "contract")
                build.check_contract(tmp)
            except (duckdb.Error, build.BuildError) as exc:
                rule = "contract" if isinstance(exc, build.BuildError) else "write_failed"
                _Findings(checked).add(
                    out.name, None, "", "", rule, detail=str(exc).splitlines()[0]
                )
                return checked, False
            progress(steps + 2, steps + 2, "publish")
            build.publish(tmp, out)
        finally:
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                leftover.unlink(missing_ok=True)
    return checked, True
