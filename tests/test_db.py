"""The read-only connection: how many threads a query may take."""

import os
import sys

import duckdb
import pytest

from dashboard import db


def threads(con) -> int:
    return con.execute("select current_setting('threads')").fetchone()[0]


@pytest.mark.parametrize(("asked", "expected"), [("1", 1), ("3", 3), ("", None), ("many", None)])
def test_queries_take_the_threads_asked_for(tiny_db, monkeypatch, asked, expected):
    """A replica (deploy/serve.py) asks for one thread per query; without a (valid) setting a
    query may use every core, as on a laptop."""
    monkeypatch.setenv("DASHBOARD_QUERY_THREADS", asked)
    con = db.connect(tiny_db)
    try:
        assert threads(con) == (expected or threads(duckdb.connect()))
    finally:
        con.close()


def test_a_replica_asks_for_one_thread_per_query_and_a_publish_spread(monkeypatch):
    import runpy

    from dashboard import data

    for name in ("DASHBOARD_QUERY_THREADS", "DASHBOARD_SWITCH_SPREAD_S"):
        monkeypatch.setenv(name, "")  # restored after the test, for the tests after it
        monkeypatch.delenv(name)
    monkeypatch.setattr(sys, "argv", ["serve.py"])
    started = []
    monkeypatch.setattr("streamlit.web.cli.main", lambda: started.append(sys.argv))
    runpy.run_path(str(db.ROOT / "deploy" / "serve.py"), run_name="__main__")
    assert started and os.environ["DASHBOARD_QUERY_THREADS"] == "1"
    assert data.switch_spread_s() == 30
