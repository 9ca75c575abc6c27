"""What the build precomputes for speed: map extents, and year rows at 10x stored, not derived."""

from __future__ import annotations

import json

import duckdb
import pytest

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


# ---------------------------------------------------------------- memberships by year

# Straight from the memberships, as the pages asked before these tables were stored: who was a
# member at the end of a year.
ACTIVE = """
    select m.alliance_id, m.site_id, m.role, s.county_adcode
    from memberships m join sites s using (site_id)
    where m.joined_on <= make_date($year, 12, 31)
        and (m.left_on is null or m.left_on > make_date($year, 12, 31))
"""


def assert_year_tables_match_memberships(path) -> None:
    """site_years, member_years and member_counties say what the memberships say, every year
    from before the first to after the last (later years read as the last one)."""
    con = db.connect(path)
    try:
        first, last = con.execute(
            "select min(year(joined_on)), greatest(max(year(joined_on)), max(year(left_on))) "
            "from memberships"
        ).fetchone()
        assert first is not None
        for year in range(first - 1, last + 3):
            stored = min(year, last)
            by_site = con.execute(
                f"select site_id, county_adcode, count(*), count(*) filter (role = 'lead') "
                f"from ({ACTIVE}) group by all order by all",
                {"year": year},
            ).fetchall()
            assert (
                by_site
                == con.execute(
                    "select site_id, county_adcode, alliances, alliances_led from site_years "
                    "where year = $year order by all",
                    {"year": stored},
                ).fetchall()
            ), year
            by_county = con.execute(
                f"select alliance_id, county_adcode, count(*) from ({ACTIVE}) "
                "group by all order by all",
                {"year": year},
            ).fetchall()
            assert (
                by_county
                == con.execute(
                    "select alliance_id, county_adcode, members from member_years "
                    "where year = $year order by all",
                    {"year": stored},
                ).fetchall()
            ), year
        everyone = (
            "select m.alliance_id, s.county_adcode, count(*), count(*) filter (m.left_on is null)"
            " from memberships m join sites s using (site_id) group by all order by all"
        )
        assert (
            con.execute(everyone).fetchall()
            == con.execute(
                "select alliance_id, county_adcode, members, members_now from member_counties "
                "order by all"
            ).fetchall()
        )
    finally:
        con.close()


def test_year_tables_say_what_the_memberships_say(tiny_db):
    con = db.connect(tiny_db)
    left = con.execute(
        "select count(*) from memberships where year(left_on) > year(joined_on)"
    ).fetchone()[0]
    con.close()
    assert left, "the tiny data has members that left in a later year"
    assert_year_tables_match_memberships(tiny_db)


def test_a_file_from_an_earlier_version_asks_for_a_build(tiny_db, tmp_path):
    old = tmp_path / "old.duckdb"
    old.write_bytes(tiny_db.read_bytes())
    con = duckdb.connect(str(old))
    con.execute("drop table site_years")
    con.close()
    with pytest.raises(db.DatabaseUnavailable, match="earlier version"):
        db.connect(old)


def test_alliances_in_scope_are_those_with_a_lead_or_member_there(tiny_db):
    con = db.connect(tiny_db)
    try:
        counties = [
            c
            for (c,) in con.execute("select adcode from regions where level = 'county'").fetchall()
        ]
        for regions in ([100000], [330000], [counties[0]], [counties[-1], 620000]):
            direct = con.execute(
                "select m.alliance_id from memberships m join sites s using (site_id) "
                "where s.county_adcode in (select county_adcode from scope_counties($r)) "
                "union select a.alliance_id from alliances a join sites s "
                "on s.site_id = a.lead_site_id "
                "where s.county_adcode in (select county_adcode from scope_counties($r))",
                {"r": regions},
            ).fetchall()
            macro = con.execute("select alliance_id from scope_alliances($r)", {"r": regions})
            assert set(macro.fetchall()) == set(direct), regions
    finally:
        con.close()
