"""What the pages would otherwise work out on every view, stored at build.

`store(con)` runs once at the end of a build (dashboard/build.py), on the writable new file:

- `region_extents`: the bounding box of every province's and county's boundary, so framing a
  map reads four numbers per unit instead of parsing every county's GeoJSON (a cold province
  page spent 18 % of its time in json.loads for these boxes).
- `site_years`, `member_years`, `member_counties` (dashboard/precompute.sql): memberships by
  year, site and county, so a new year or province reads one year's rows instead of joining
  every membership with its site (at 10x, 1.8 M memberships: the overview's tiles 0.34 → 0.03
  CPU-s).

The importer runs it too (dashboard/importer/publish.py), on the file it publishes: these tables
are derived, never copied, so they always match the memberships beside them.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import charts

MEMBERSHIP_TABLES = Path(__file__).with_name("precompute.sql")


def store(con: duckdb.DuckDBPyConnection) -> None:
    """Add the precomputed tables to the database being built."""
    rows = con.execute(
        "select adcode, level, boundary from regions where boundary is not null"
    ).fetchall()
    boxes = [(code, level, *charts.extent(json.loads(shape))) for code, level, shape in rows]
    frame = pd.DataFrame(boxes, columns=["adcode", "level", "lon0", "lat0", "lon1", "lat1"])
    con.execute(
        "create or replace table region_extents (adcode integer primary key, level varchar not"
        " null, lon0 double not null, lat0 double not null, lon1 double not null,"
        " lat1 double not null)"
    )
    con.from_df(frame).insert_into("region_extents")
    con.execute(MEMBERSHIP_TABLES.read_text(encoding="utf-8"))
