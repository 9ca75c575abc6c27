"""Stage 1: the briefing's content from the same named queries the province and alliance pages
run, through one function, run(); figures from the same builders (dashboard.charts).

Files: common (run(), REGIONS, formats, columns, shapes, sources), province, alliance, county
(one county's scorecard, and the scorecard section of a province's briefing)."""

from dashboard.report.gather.alliance import alliance
from dashboard.report.gather.common import REGIONS, NotFound, run
from dashboard.report.gather.county import county
from dashboard.report.gather.province import (
    ALLIANCE_ROWS,
    DEFAULT_METRIC,
    province,
    provinces_with_data,
)

__all__ = [
    "ALLIANCE_ROWS",
    "DEFAULT_METRIC",
    "REGIONS",
    "NotFound",
    "alliance",
    "county",
    "province",
    "provinces_with_data",
    "run",
]
