"""One count, one definition: 成员机构 (institutions with a membership at the end of the year) and
机构名录 (every institution on record) show the same number on every surface that shows them, and
a city chosen on the province page changes every tile or marks it as the whole province's."""

from __future__ import annotations

import json
import re

import pytest

from dashboard import build, db
from dashboard.report import prepare
from tests.conftest import run_app, write_data_dir
from tests.helpers import metrics, msg

YEAR = 2025  # the tiny fixture's newest year, every page's default


def count(frame, column: str) -> str:
    return f"{int(frame[column].iloc[0]):,}"


@pytest.fixture(scope="module")
def con(tiny_db):
    connection = db.connect(tiny_db)
    yield connection
    connection.close()


def members(con, **filters) -> str:
    return count(
        db.run(
            con,
            "member_institutions",
            db.ALL_INSTITUTIONS | filters | {"year": YEAR, "regions": [100000]},
        ),
        "member_institutions",
    )


def on_record(con) -> str:
    frame = db.run(con, "institutions_on_record", db.ALL_INSTITUTIONS | {"regions": [100000]})
    return f"{int(frame['institutions'].sum()):,}"


# ---- the two definitions -----------------------------------------------------------------------


def test_the_two_counts_are_what_their_names_say(con):
    sites = con.execute("select count(*) from sites").fetchone()[0]
    member_now = con.execute(
        "select count(distinct site_id) from memberships where joined_on <= make_date($y, 12, 31)"
        " and (left_on is null or left_on > make_date($y, 12, 31))",
        {"y": YEAR},
    ).fetchone()[0]
    assert on_record(con) == f"{sites:,}"
    assert members(con) == f"{member_now:,}"
    assert int(members(con).replace(",", "")) <= sites  # members are some of those on record
    by_province = sum(
        int(members(con, province=code).replace(",", "")) for code in (310000, 330000, 620000)
    )
    assert members(con) == f"{by_province:,}"


# ---- the same number on every surface ----------------------------------------------------------


def test_member_institutions_read_the_same_on_every_surface(tiny_env, con):
    national = members(con)
    overview = run_app(page="pages/overview.py")
    assert not overview.exception
    assert metrics(overview)[msg("count.member_institutions")] == national
    help_text = {m.label: m.proto.help for m in overview.metric}[msg("count.member_institutions")]
    assert on_record(con) in help_text and str(YEAR) in help_text  # the help says what it counts

    institutions = run_app(page="pages/institutions.py")
    assert not institutions.exception
    shown = metrics(institutions)
    assert shown[msg("count.member_institutions_year", year=YEAR)] == national
    assert shown[msg("count.institutions_on_record")] == on_record(con)

    kiosk = run_app(page="pages/kiosk.py", slides="overview")
    tiles = " ".join(h.value for h in kiosk.html)
    found = re.search(
        re.escape(msg("count.member_institutions")) + r'</div><div class="value">([\d,]+)<', tiles
    )
    assert found and found.group(1) == national

    zhejiang = members(con, province=330000)
    province = run_app(page="pages/province.py", province="330000")
    assert not province.exception
    assert metrics(province)[msg("count.member_institutions")] == zhejiang
    briefing = prepare(con, "province", 330000, "zh")
    headline = briefing.sections[0].blocks[1].frame.set_index(msg("briefing.col_item"))
    assert headline.loc[msg("count.member_institutions"), msg("briefing.col_year", year=YEAR)] == (
        zhejiang
    )


def test_every_tile_says_what_it_counts(tiny_env):
    for page, params in (
        ("pages/overview.py", {}),
        ("pages/province.py", {"province": "330000"}),
        ("pages/province.py", {"province": "330000", "city": "330800"}),
        ("pages/institutions.py", {}),
    ):
        at = run_app(page=page, **params)
        assert at.metric
        for tile in at.metric:
            assert tile.proto.help, f"{page}: {tile.label} has no help"


# ---- a city chosen ------------------------------------------------------------------------------

# A second city in Zhejiang, so that the province and Quzhou differ in every count.
HANGZHOU = [
    (330100, "杭州市", "city", 330000, 120.2, 30.3),
    (330102, "上城区", "county", 330100, 120.2, 30.3),
]


@pytest.fixture(scope="module")
def two_cities(tmp_path_factory):
    """The tiny database with a second Zhejiang city (杭州市 with one district)."""
    base = tmp_path_factory.mktemp("two_cities")
    data_dir = write_data_dir(base / "data")
    regions = data_dir / "boundaries" / "regions.csv"
    with regions.open("a", encoding="utf-8") as f:
        for code, name, level, parent, lon, lat in HANGZHOU:
            f.write(f"{code},{name},,{level},{parent},330000,{lon},{lat}\n")
    counties = data_dir / "boundaries" / "counties.geojson"
    shapes = json.loads(counties.read_text(encoding="utf-8"))
    shapes["features"].append(
        {
            "type": "Feature",
            "id": "330102",
            "properties": {"adcode": 330102, "name": "上城区"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[120.0, 30.1], [120.0, 30.5], [120.4, 30.5], [120.4, 30.1], [120.0, 30.1]]
                ],
            },
        }
    )
    counties.write_text(json.dumps(shapes), encoding="utf-8")
    return build.build(base / "two.duckdb", data_dir=data_dir)


def test_a_city_changes_every_tile_or_marks_it_as_the_province(two_cities, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(two_cities))
    whole = run_app(page="pages/province.py", province="330000")
    assert not whole.exception
    quzhou = run_app(page="pages/province.py", province="330000", city="330800")
    assert not quzhou.exception
    assert quzhou.selectbox(key="city").value == 330800
    before, after = metrics(whole), metrics(quzhou)
    assert len(before) == len(after) == 6
    for (label_before, value_before), (label_after, value_after) in zip(
        before.items(), after.items(), strict=True
    ):
        marked = label_after == msg("count.province_tile", label=label_before)
        assert marked or value_after != value_before, (label_after, value_after, value_before)
        if marked:
            assert value_after == value_before  # the province's figure, said to be so
    con = db.connect(two_cities)
    try:
        assert after[msg("count.member_institutions")] == members(con, province=330000, city=330800)
        assert before[msg("count.member_institutions")] == members(con, province=330000)
    finally:
        con.close()
    assert "衢州市" in " ".join(after)  # the city's value says whose it is
