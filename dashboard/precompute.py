"""What the pages would otherwise work out on every view, stored at build.

`store(con)` runs once at the end of a build (dashboard/build.py), on the writable new file:

- `region_extents`: the bounding box of every province's and county's boundary, so framing a
  map reads four numbers per unit instead of parsing every county's GeoJSON (a cold province
  page spent 18 % of its time in json.loads for these boxes).
"""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from dashboard import charts


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
