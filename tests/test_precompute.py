"""What the build precomputes for speed: map extents, and year rows at 10x stored, not derived."""

from __future__ import annotations

import json

from dashboard import build, charts, db
from tests.conftest import write_data_dir


def test_map_extents_are_the_boxes_of_the_boundaries(tiny_db):
    con = db.connect(tiny_db)
    shapes = con.execute(
        "select adcode, boundary from regions where boundary is not null"
    ).fetchall()
    boxes = {
        row[0]: row[1:]
        for row in con.execute(
            "select adcode, lon0, lat0, lon1, lat1 from region_extents"
        ).fetchall()
    }
    assert shapes and set(boxes) == {code for code, _ in shapes}
    for code, shape in shapes:
        assert boxes[code] == charts.extent(json.loads(shape))


def test_ten_times_scale_stores_year_rows_instead_of_a_view(tmp_path):
    out = build.build(tmp_path / "x10.duckdb", data_dir=write_data_dir(tmp_path / "data"), scale=10)
    con = db.connect(out)
    kind = con.execute(
        "select table_type from information_schema.tables where table_name = 'county_metrics'"
    ).fetchone()[0]
    assert kind == "BASE TABLE"
