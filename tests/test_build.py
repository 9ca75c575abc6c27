"""The build: a tiny fixture set builds, satisfies the contract, and the file is read-only to the app."""

import datetime as dt

import duckdb
import pytest

from dashboard import build, db
from tests.conftest import write_data_dir


def test_tiny_build_has_every_table(tiny_db):
    con = db.connect(tiny_db)
    counts = db.run(con, "table_counts", {"regions": [100000]}).set_index("table_name")["rows"]
    assert counts["regions"] == 12
    assert counts["indicators"] == 20 and counts["measures"] == 28
    # The simulation covers every county of the fixture: 6 counties x 11 years x 28 measures.
    assert counts["county_measures"] == 6 * 11 * 28
    assert counts["alliances"] > 1 and counts["sites"] > 3


def test_tiny_build_satisfies_the_contract(tiny_db):
    con = db.connect(tiny_db)
    assert db.run(con, "contract/violations", {"today": dt.date.today()}).empty


def test_sites_without_coordinates_sit_at_their_county(tiny_db):
    con = db.connect(tiny_db)
    rows = dict(con.execute("select site_id, lon from sites where not simulated").fetchall())
    assert rows["R-S001"] == pytest.approx(121.2)  # empty lon -> 黄浦区's point
    assert rows["R-S003"] == pytest.approx(103.85)  # given lon kept


def test_read_only_connection_refuses_writes(tiny_db):
    con = db.connect(tiny_db)
    with pytest.raises(duckdb.Error):
        con.execute("delete from alliances")
    assert con.execute("select count(*) from alliances").fetchone()[0] > 0


def test_unknown_query_name_is_a_clear_error(tiny_db):
    con = db.connect(tiny_db)
    with pytest.raises(db.QueryNotFound):
        db.run(con, "no_such_query")
    with pytest.raises(db.QueryNotFound):
        db.run(con, "../etc/passwd")


def test_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(db.DatabaseUnavailable):
        db.connect(tmp_path / "nope.duckdb")
    corrupt = tmp_path / "corrupt.duckdb"
    corrupt.write_bytes(b"not a database" * 100)
    with pytest.raises(db.DatabaseUnavailable):
        db.connect(corrupt)


def test_broken_reference_refuses_the_build_and_keeps_the_old_file(tmp_path, tiny_db):
    data_dir = write_data_dir(tmp_path / "data")
    out = tmp_path / "live.duckdb"
    build.build(out, data_dir=data_dir)
    before = out.read_bytes()
    with open(data_dir / "real" / "memberships.csv", "a", encoding="utf-8") as f:
        f.write("R-A01,R-S999,member,2018-01-01,,article:900\n")
    with pytest.raises(build.BuildError, match="unknown site"):
        build.build(out, data_dir=data_dir)
    assert out.read_bytes() == before
    assert not list(tmp_path.glob(".live.duckdb.*.tmp"))


def test_rebuild_keeps_a_backup_and_swaps_atomically(tmp_path):
    data_dir = write_data_dir(tmp_path / "data")
    out = tmp_path / "live.duckdb"
    build.build(out, data_dir=data_dir)
    reader = db.connect(out)  # a reader holding the old file keeps reading it
    build.build(out, data_dir=data_dir, seed=7)
    assert reader.execute("select value from meta where key = 'seed'").fetchone()[0] != "7"
    assert db.connect(out).execute("select value from meta where key = 'seed'").fetchone()[0] == "7"
    assert len(list((tmp_path / "backups").glob("live-*.duckdb"))) == 1


def test_ten_times_scale_has_monthly_county_measures_behind_the_yearly_table(tmp_path):
    data_dir = write_data_dir(tmp_path / "data")
    out = build.build(tmp_path / "x10.duckdb", data_dir=data_dir, scale=10)
    con = db.connect(out)
    monthly = con.execute("select count(*) from county_measures_monthly").fetchone()[0]
    yearly = con.execute("select count(*) from county_measures").fetchone()[0]
    assert (monthly, yearly) == (6 * 11 * 28 * 12, 6 * 11 * 28)
    # a flow is the sum of its months, a stock (population) its December value
    visits, months = con.execute(
        "select y.value, sum(m.value) from county_measures y "
        "join county_measures_monthly m on m.county_adcode = y.county_adcode "
        "and year(m.month) = y.year and m.measure = y.measure "
        "where y.measure = 'visits_residents' and y.year = 2020 group by all limit 1"
    ).fetchone()
    assert visits == months
    population, december = con.execute(
        "select y.value, m.value from county_measures y "
        "join county_measures_monthly m on m.county_adcode = y.county_adcode "
        "and m.month = make_date(y.year, 12, 1) and m.measure = y.measure "
        "where y.measure = 'population' and y.year = 2020 limit 1"
    ).fetchone()
    assert population == december
    assert db.run(con, "contract/violations", {"today": dt.date.today()}).empty
