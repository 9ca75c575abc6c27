"""Read-only access to the DuckDB file and the named queries in queries/."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
DEFAULT_DB = ROOT / "data" / "dashboard.duckdb"
_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)?$")
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
# Stored at build by dashboard/precompute.py; a file built by an earlier version lacks them.
DERIVED_TABLES = ("region_extents", "site_years", "member_years", "member_counties")
# The two institution counts, queries/member_institutions.sql (成员机构) and
# queries/institutions_on_record.sql (机构名录), unfiltered: every surface that shows one starts
# from these and narrows only what it says it narrows (a province, a city, the directory's filters).
ALL_INSTITUTIONS = {"province": 0, "city": 0, "kind": "", "tier": "", "ownership": "", "q": ""}


class QueryNotFound(LookupError):
    """A query name with no .sql file under queries/."""


class DatabaseUnavailable(RuntimeError):
    """The database file is missing or cannot be opened."""


def db_path() -> Path:
    """The database file: $DASHBOARD_DB, else data/dashboard.duckdb."""
    return Path(os.environ.get("DASHBOARD_DB") or DEFAULT_DB)


def file_stamp(path: Path) -> tuple[int, int, int]:
    """Identity of the file now on disk; changes when a new file is swapped in."""
    st = path.stat()
    return (st.st_ino, st.st_mtime_ns, st.st_size)


@cache
def load_sql(name: str) -> str:
    """The text of queries/<name>.sql; QueryNotFound if there is none."""
    path = QUERIES_DIR / f"{name}.sql"
    if not _NAME.match(name) or not path.is_file():
        raise QueryNotFound(f"no query named {name!r} in {QUERIES_DIR}")
    return path.read_text(encoding="utf-8")


def query_params(name: str) -> set[str]:
    """The $parameters a named query takes."""
    return set(_PARAM.findall(load_sql(name)))


def query_threads() -> dict:
    """DuckDB's threads per query: $DASHBOARD_QUERY_THREADS, else one per core. A replica
    (deploy/serve.py) uses one: its neighbours keep the other cores busy, and a query's
    threads would only wait on each other (a new alliance's queries cost a third more CPU
    on two threads than on one, and take no less time under load)."""
    threads = os.environ.get("DASHBOARD_QUERY_THREADS", "").strip()
    return {"threads": int(threads)} if threads.isdigit() and int(threads) > 0 else {}


def connect(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection; DatabaseUnavailable if the file is missing or not a database."""
    path = Path(path or db_path())
    if not path.is_file():
        raise DatabaseUnavailable(f"database file not found: {path}")
    try:
        # An in-memory instance that attaches the file read-only: unlike connect(path), this
        # does not reuse a cached instance of an older file that was swapped out at this path.
        con = duckdb.connect(config=query_threads())
        con.execute("attach $path as data (read_only)", {"path": str(path)})
        con.execute("use data")
        # Nothing but the attached file: no reading other files, no changing these settings.
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
        con.execute("select count(*) from meta").fetchall()
        tables = con.execute(
            "select table_name from duckdb_tables() where database_name = 'data'"
        ).fetchall()
    except duckdb.Error as exc:
        raise DatabaseUnavailable(f"cannot open {path}: {exc}") from exc
    missing = sorted(set(DERIVED_TABLES) - {name for (name,) in tables})
    if missing:
        con.close()
        raise DatabaseUnavailable(f"{path} was built by an earlier version (no {missing[0]})")
    return con


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pd.DataFrame:
    """Run a named query with bound parameters on its own cursor, fetched in full."""
    sql = load_sql(name)
    wanted = query_params(name)
    params = params or {}
    missing = wanted - params.keys()
    if missing:
        raise TypeError(f"query {name!r} needs parameters {sorted(missing)}")
    cur = con.cursor()
    try:
        cur.execute("use data")  # a cursor starts in the in-memory catalog
        return cur.execute(sql, {k: params[k] for k in wanted}).df()
    finally:
        cur.close()


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Append a DataFrame to a table of a writable connection, matching columns by name (absent
    ones are NULL); the relational API takes the table as a name, so no SQL is put together."""
    columns = con.table(table).columns
    empty = pd.Series([None] * len(frame), index=frame.index, dtype="object")
    aligned = pd.DataFrame({c: frame[c] if c in frame.columns else empty for c in columns})
    con.from_df(aligned).insert_into(table)
