"""An official whose regions hold nothing in the data (a code the database no longer has, or a
county with no rows) gets a message on every page, never a traceback or the generic error."""

from __future__ import annotations

import pytest

from dashboard import access
from tests.conftest import run_app
from tests.helpers import msg

PAGES = ["province", "overview", "scorecard", "county", "alliances", "institutions", "metrics"]


@pytest.mark.parametrize("region", [339999, 310101])
@pytest.mark.parametrize("page", PAGES)
def test_a_page_for_regions_without_data_says_so(tiny_env, monkeypatch, region, page):
    monkeypatch.setattr(access, "OPEN", access.Grant("x@example.org", (region,), "analyst"))
    at = run_app(f"pages/{page}.py", province=str(region // 10000 * 10000))
    assert not at.exception
    assert msg("common.page_error") not in [e.value for e in at.error]
    if region == 339999 and page in ("province", "scorecard", "county"):
        assert msg("access.no_region_data") in [i.value for i in at.info]
