"""Cached data access for the pages: one read-only connection per database file, cached results."""

from __future__ import annotations

import concurrent.futures
import os
import threading
import time
import zlib
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from dashboard import access, charts, db, geo

RESULT_TTL_S = 600  # results are also keyed by the file's identity: a new file, new results


_open: dict[tuple[str, tuple[int, int, int]], object] = {}  # (path, stamp) -> connection
_open_lock = threading.Lock()
KEEP_OPEN = 2  # per process: the file now on disk and the one before it
_seen: dict[tuple[str, tuple[int, int, int]], float] = {}  # when this process first saw a file
PINNED = "_database_file"  # session state: the (path, stamp) this session reads


def _connection(path: str, stamp: tuple[int, int, int]):
    """One read-only connection per file version; a swapped-in file gets a new one, and the one
    before it stays open while sessions still read it."""
    with _open_lock:
        con = _open.get((path, stamp))
        if con is None:
            if db.file_stamp(Path(path)) != stamp:  # replaced in the meantime: never open the
                # new file under the old one's name (its results would be cached as the old's)
                raise db.DatabaseUnavailable(f"{path} was replaced while a page was reading it")
            con = _open[(path, stamp)] = db.connect(path)
            for older in list(_open)[:-KEEP_OPEN]:
                del _open[older]  # closed once the last cursor on it is gone
        return con


def switch_spread_s() -> float:
    """Seconds over which a process moves its sessions to a new file: $DASHBOARD_SWITCH_SPREAD_S
    (deploy/serve.py sets it), else 0: every session reads the new file at its next query."""
    try:
        return max(0.0, float(os.environ.get("DASHBOARD_SWITCH_SPREAD_S", "") or 0))
    except ValueError:
        return 0.0


def _session_due(session_id: str, first_seen: float, spread_s: float) -> bool:
    """Whether this session's turn to read the new file has come: each session has a fixed
    moment within the spread, from its id."""
    share = zlib.crc32(session_id.encode()) / 2**32
    return time.monotonic() >= first_seen + share * spread_s


def current_stamp() -> tuple[str, tuple[int, int, int]]:
    """The database path and the file version this session reads; DatabaseUnavailable if none.

    Normally the file on disk now. In a replica (deploy/serve.py) a session that was reading
    the previous file moves to a new one at its own moment within switch_spread_s(), so that
    a publish does not make every official's next click rebuild every figure at once (the
    caches are per file): the two files are open side by side meanwhile, and a new session
    reads the new file at once."""
    path = db.db_path()
    try:
        on_disk = db.file_stamp(path)
    except FileNotFoundError as exc:
        raise db.DatabaseUnavailable(f"database file not found: {path}") from exc
    path = str(path)
    spread = switch_spread_s()
    ctx = get_script_run_ctx(suppress_warning=True)
    if not spread or ctx is None:
        return path, on_disk
    state = ctx.session_state
    pinned = state[PINNED] if PINNED in state else None
    if pinned and pinned[0] == path and pinned[1] != on_disk and (path, pinned[1]) in _open:
        first_seen = _seen.get((path, on_disk))
        if first_seen is None:  # the first sight of this file: forget the files before it
            for older in [k for k in list(_seen) if k[0] == path]:
                _seen.pop(older, None)
            first_seen = _seen.setdefault((path, on_disk), time.monotonic())
        if not _session_due(ctx.session_id, first_seen, spread):
            return path, pinned[1]
    if pinned != (path, on_disk):
        state[PINNED] = (path, on_disk)
    return path, on_disk


def newer_file_waiting() -> bool:
    """Whether a newer file is on disk than the one this session still reads (during the
    spread): the page says so, so nobody takes the old figures for the new."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None or PINNED not in ctx.session_state:
        return False
    path, stamp = ctx.session_state[PINNED]
    try:
        return path == str(db.db_path()) and stamp != db.file_stamp(Path(path))
    except FileNotFoundError:
        return False


# Results are kept as live DataFrames (cache_resource), not pickled copies (cache_data): reading
# a pickled result back cost a warm rerun more CPU than anything the page did with it. Callers
# get a shallow copy: with pandas' copy-on-write, a page that adds or changes a column changes
# its own copy, never the cached frame another session reads.
@st.cache_resource(ttl=RESULT_TTL_S, max_entries=2000, show_spinner=False)
def _run(name: str, path: str, stamp: tuple[int, int, int], params: tuple) -> pd.DataFrame:
    return db.run(_connection(path, stamp), name, dict(params))


def _key(name: str, params: dict) -> tuple:
    if "regions" in db.query_params(name):
        params = {**params, "regions": access.scope()}  # the session's, never the caller's
    return tuple(sorted(params.items()))


def query(name: str, **params) -> pd.DataFrame:
    """Result of the named query on the file this session reads (current_stamp; cached per file
    version and per scope): a query that takes $regions always gets the session's, never the
    caller's."""
    path, stamp = current_stamp()
    return _run(name, path, stamp, _key(name, params)).copy(deep=False)


def member_institutions(year: int, **filters) -> pd.Series:
    """成员机构: institutions with at least one membership at the end of year (one row:
    member_institutions, real_member_institutions, provinces, simulated), narrowed by filters
    (province, city, kind, tier, ownership, q)."""
    return query("member_institutions", **(db.ALL_INSTITUTIONS | filters), year=year).iloc[0]


def institutions_on_record(**filters) -> pd.DataFrame:
    """机构名录: every institution on record by kind, tier and ownership (column institutions),
    narrowed by filters (province, kind, tier, ownership, q); its sum is the headline count."""
    return query("institutions_on_record", **(db.ALL_INSTITUTIONS | filters))


_prefetching = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="prefetch")


def prefetch(*calls: tuple[str, dict]) -> None:
    """Start these queries now, side by side on both cores (DuckDB runs outside the GIL), so the
    page's query() calls further down find them done or under way (the cache computes a key once
    and makes a second caller wait): a new alliance's dozen small queries overlap."""
    path, stamp = current_stamp()
    ctx = get_script_run_ctx()

    def run(name: str, key: tuple) -> None:
        add_script_run_ctx(threading.current_thread(), ctx)
        _run(name, path, stamp, key)

    for name, params in calls:
        _prefetching.submit(run, name, _key(name, params))


def queries(*calls: tuple[str, dict]) -> list[pd.DataFrame]:
    """query() of each (name, params), run side by side."""
    prefetch(*calls)
    return [query(name, **params) for name, params in calls]


@st.cache_resource(max_entries=4, show_spinner=False)
def _extents(path: str, stamp: tuple[int, int, int], level: str) -> dict[int, tuple]:
    # precomputed at build (dashboard/precompute.py)
    frame = db.run(_connection(path, stamp), "region_extents", {"level": level})
    return {int(row[0]): tuple(row[1:]) for row in frame.itertuples(index=False, name=None)}


def map_shapes(level: str, adcodes=None) -> charts.Shapes:
    """The units a choropleth draws ('province', or 'county' within one province): the URL of
    their boundaries (fetched and cached by the browser), their ids and their bounding box."""
    path, stamp = current_stamp()
    extents = _extents(path, stamp, level)
    codes = [int(c) for c in (extents if adcodes is None else adcodes) if int(c) in extents]
    provinces = sorted({c // 10000 * 10000 for c in codes})
    if level == "county" and len(provinces) > 1:
        raise ValueError(f"a county map takes the counties of one province, not {provinces}")
    # Units out in the South China Sea (西沙区, 南沙区) are left to the inset: Hainan's main island
    # fills the frame instead of a corner of the sea.
    at_sea = [c for c in codes if geo.in_south_china_sea(extents[c])]
    boxes = [extents[c] for c in codes if c not in at_sea] or [extents[c] for c in codes]
    box = (
        (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        if boxes
        else None
    )
    url = geo.url(level, provinces[0] if level == "county" and provinces else None)
    sea = bool(at_sea) and level == "county"
    return charts.Shapes(url=url, ids=[str(c) for c in codes], box=box, sea=sea)
