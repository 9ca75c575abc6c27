"""Cached data access for the pages: one read-only connection per database file, cached results."""

from __future__ import annotations

import concurrent.futures
import threading

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from dashboard import access, charts, db, geo

RESULT_TTL_S = 600  # results are also keyed by the file's identity, so new data show at once


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(path: str, stamp: tuple[int, int, int]):
    # One connection per file version; a swapped-in file gets a new one, the old is dropped.
    return db.connect(path)


def current_stamp() -> tuple[str, tuple[int, int, int]]:
    """The database path and the identity of the file on disk now; DatabaseUnavailable if none."""
    path = db.db_path()
    try:
        return str(path), db.file_stamp(path)
    except FileNotFoundError as exc:
        raise db.DatabaseUnavailable(f"database file not found: {path}") from exc


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
    """Result of the named query for the database now on disk (cached per file version and per
    scope): a query that takes $regions always gets the session's, never the caller's."""
    path, stamp = current_stamp()
    return _run(name, path, stamp, _key(name, params)).copy(deep=False)


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
