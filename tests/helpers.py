"""Helpers shared by the page tests: messages, what a run showed, and the tiny database."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import duckdb
import numpy as np

from dashboard import i18n


def msg(key: str, lang: str = "zh", **values) -> str:
    """A message from the catalogue, in Chinese unless lang says otherwise."""
    return i18n.text(key, lang, **values)


def metrics(at) -> dict[str, str]:
    """The run's st.metric tiles, label -> value."""
    return {m.label: m.value for m in at.metric}


def rendered(at) -> str:
    """Every element's protobuf as text (non-ASCII is escaped there; ASCII stays readable)."""
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def open_tables(at):
    """Open every chart's "show table", as a reader clicks it: ui.chart sends a chart's table
    only then (a rerun)."""
    closed = [k for k in at.session_state if str(k).endswith("_table_open")]
    for key in closed:
        at.session_state[key] = True
    return at.run() if closed else at


def shown(table):
    """A table's DataFrame as the reader sees it: a column of dates shown as text (ui.table's
    dated columns: 2017年6月, 不晚于2017年9月5日, sorted by the dates underneath) reads as its
    text."""
    import datetime as dt

    import pandas as pd
    from streamlit import dataframe_util

    frame = table.value
    display = table.proto.arrow_data.styler.display_values
    if display:
        text = dataframe_util.convert_arrow_bytes_to_pandas_df(display)
        for i, column in enumerate(frame.columns):
            values = frame[column].dropna()
            dates = pd.api.types.is_datetime64_any_dtype(frame[column]) or (
                len(values) > 0 and values.map(lambda v: isinstance(v, dt.date)).all()
            )
            if dates:
                frame[column] = text.iloc[:, i].to_numpy()
    return frame


def table_with(at, column: str):
    """The first table shown that has this column (as the reader sees it: shown()), the charts'
    tables opened if need be."""
    found = [shown(d) for d in at.dataframe if column in d.value.columns]
    if not found:
        found = [shown(d) for d in open_tables(at).dataframe if column in d.value.columns]
    assert found, f"no table with a column {column!r}"
    return found[0]


def tiny_count(tiny_db, sql: str, params=None) -> int:
    """The single value sql returns on the tiny database, opened read-only."""
    con = duckdb.connect(str(tiny_db), read_only=True)
    try:
        return con.execute(sql, params or {}).fetchone()[0]
    finally:
        con.close()


def tiny_copy(tiny_db, path: Path, sql: str) -> Path:
    """A writable copy of the tiny database at path, changed by one SQL statement."""
    path.write_bytes(Path(tiny_db).read_bytes())
    writer = duckdb.connect(str(path))
    try:
        writer.execute(sql)
    finally:
        writer.close()
    return path


def figure(at, key: str) -> dict:
    """The Plotly spec of the chart drawn with this key."""
    charts = [n for n in at.main if n.type == "plotly_chart" and n.key == key]
    assert len(charts) == 1, f"no single chart {key!r}"
    return json.loads(charts[0].proto.spec)


def array(value) -> list:
    """A Plotly JSON array, plain or base64-typed ({"dtype", "bdata"})."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return list(value) if isinstance(value, list | tuple) else [value]
