"""A publish under load: each open page moves to the new file at its own moment within the
spread that deploy/serve.py sets, never mixing the two files in one session; a page opened after
the publish reads the new file at once; without a spread (a laptop's `streamlit run`) every page
reads it at its next click."""

from __future__ import annotations

import os
import shutil

from tests.conftest import run_app
from tests.helpers import metrics, msg, tiny_copy, tiny_count

NEW_AS_OF = "2099-12-31"


def as_of(at) -> str:
    return metrics(at)[msg("data.as_of")]


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


def publish(tiny_db, tmp_path, live):
    staged = tiny_copy(
        tiny_db,
        tmp_path / "staged.duckdb",
        f"update meta set value = '{NEW_AS_OF}' where key = 'as_of'",
    )
    os.replace(staged, live)  # as deploy/publish.py and a build do: one atomic rename


def test_open_pages_move_to_a_published_file_within_the_spread(tiny_db, tmp_path, monkeypatch):
    live = tmp_path / "live.duckdb"
    shutil.copy(tiny_db, live)
    monkeypatch.setenv("DASHBOARD_DB", str(live))
    monkeypatch.setenv("DASHBOARD_SWITCH_SPREAD_S", "1e9")  # nobody's turn comes in this test
    before = tiny_count(tiny_db, "select value from meta where key = 'as_of'")
    assert before != NEW_AS_OF
    open_page = run_app("pages/data.py")
    assert as_of(open_page) == before

    notice = msg("common.newer_file")
    assert notice not in captions(open_page)
    publish(tiny_db, tmp_path, live)
    assert as_of(open_page.run()) == before  # still the file it was reading, not yet its turn
    assert not open_page.exception
    assert notice in captions(open_page)  # and the page says a newer file is coming
    opened_now = run_app("pages/data.py")  # a page opened now reads the new file
    assert as_of(opened_now) == NEW_AS_OF and notice not in captions(opened_now)

    monkeypatch.setenv("DASHBOARD_SWITCH_SPREAD_S", "0.001")  # the spread is over
    assert as_of(open_page.run()) == NEW_AS_OF
    assert notice not in captions(open_page)


def test_without_a_spread_every_page_reads_a_published_file_at_once(tiny_db, tmp_path, monkeypatch):
    live = tmp_path / "live.duckdb"
    shutil.copy(tiny_db, live)
    monkeypatch.setenv("DASHBOARD_DB", str(live))
    monkeypatch.delenv("DASHBOARD_SWITCH_SPREAD_S", raising=False)
    open_page = run_app("pages/data.py")
    assert as_of(open_page) != NEW_AS_OF
    publish(tiny_db, tmp_path, live)
    assert as_of(open_page.run()) == NEW_AS_OF
