"""Cached data access for the pages: one read-only connection per database file, cached results."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from dashboard import db

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


@st.cache_data(ttl=RESULT_TTL_S, max_entries=4000, show_spinner=False)
def _run(name: str, path: str, stamp: tuple[int, int, int], params: tuple) -> pd.DataFrame:
    return db.run(_connection(path, stamp), name, dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """Result of the named query for the database now on disk (cached per file version)."""
    path, stamp = current_stamp()
    return _run(name, path, stamp, tuple(sorted(params.items())))


@st.cache_resource(max_entries=4, show_spinner=False)
def _boundaries(path: str, stamp: tuple[int, int, int], level: str) -> dict[int, dict]:
    frame = db.run(_connection(path, stamp), "boundaries", {"level": level})
    return {
        int(code): {"type": "Feature", "id": str(code), "geometry": json.loads(geometry)}
        for code, geometry in zip(frame["adcode"], frame["boundary"], strict=True)
    }


def boundaries(level: str) -> dict[int, dict]:
    """adcode -> GeoJSON Feature for 'province' or 'county', loaded once per process and file."""
    path, stamp = current_stamp()
    return _boundaries(path, stamp, level)


def feature_collection(level: str, adcodes=None) -> dict:
    """A FeatureCollection of the given units, or of all at the level (unknown codes skipped)."""
    shapes = boundaries(level)
    codes = shapes if adcodes is None else adcodes
    return {"type": "FeatureCollection", "features": [shapes[c] for c in codes if c in shapes]}
