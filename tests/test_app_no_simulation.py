"""Every page on a database built with --no-simulation: sparse, never an error.

Geography, the metric catalogue and one article's alliance only: the maps are grey, the
charts and tables are short or empty, and where there is nothing to show the page says how to
import an office's data instead of the generic page error.
"""

from __future__ import annotations

import pytest

from tests.conftest import run_app
from tests.helpers import msg

PAGES = [
    ("pages/overview.py", {}),
    ("pages/province.py", {"province": "330000"}),
    ("pages/alliances.py", {}),
    ("pages/alliances.py", {"alliance": "R-A01"}),
    ("pages/institutions.py", {}),
    ("pages/institutions.py", {"site": "R-S001"}),
    ("pages/metrics.py", {}),
    ("pages/data.py", {}),
    ("pages/kiosk.py", {}),
]


@pytest.fixture
def bare_env(bare_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(bare_db))
    return bare_db


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("page", "params"), PAGES)
def test_every_page_renders_without_simulation(bare_env, page, params, lang):
    at = run_app(page, lang=lang, **params)
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert not errors, errors
    assert msg("common.page_error", lang) not in errors


def test_the_overview_says_how_to_import(bare_env):
    at = run_app("pages/overview.py")
    shown = " ".join(i.value for i in at.info) + " ".join(c.value for c in at.caption)
    assert "系统管理员" in shown and "模板" in shown  # whom to give the tables to
    assert "python -m" not in shown  # commands are for the administrator, on the Data page


def test_the_data_page_counts_no_simulated_rows(bare_env):
    at = run_app("pages/data.py")
    assert not at.exception and not at.error
    counts = at.dataframe[1].value.set_index(at.dataframe[1].value.columns[0])
    assert counts[msg("data.simulated_rows")].sum() == 0
    assert counts.loc[msg("data.table.alliances"), msg("data.article_rows")] == 1


@pytest.mark.parametrize("slide", ["overview", "province", "links", "attainment", "latest"])
def test_every_kiosk_slide_shows_on_sparse_data(bare_env, slide):
    at = run_app("pages/kiosk.py", slides=slide)
    assert not at.exception and not at.error
    shown = " ".join(m.value for m in at.markdown)
    assert msg("kiosk.updating") not in shown  # the slide itself, not the calm placeholder
