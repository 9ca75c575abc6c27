"""Regions are enforced where the data are read: every named query that returns rows tied to a
place takes $regions, and with a county's scope no row of another place comes back."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from dashboard import db

# Queries that take no scope, by decision (README, "Who may see what"): none of them returns a
# row of a region, an institution, an alliance or its activity. A new query is scoped unless it
# is added here.
UNSCOPED = {
    "boundaries": "geometry of every unit (adcode and outline, no name): the map's background",
    "region_extents": "bounding box of every unit (adcode and four numbers, no name): map frames",
    "map_lines": "the South China Sea dash line of the national map",
    "meta": "when the data were built and as of which date",
    "metric_catalogue": "the indicator catalogue",
    "export_indicators": "the indicator catalogue, for download",
    "measure_catalogue": "the measures counties report (names and units)",
    "export_measures": "the measure catalogue, for download",
    "reference_values": "published national reference values with their sources",
    "metric_years": "the years that have data",
    "import_available": "whether the file has an import log at all",
    "contract/violations": "the build's and the CLI's contract check, never run by the app",
    "contract/provenance": "the build's and the CLI's provenance check, never run by the app",
}

SCOPE = [330822]  # 常山县, in 衢州市 (330800), 浙江省 (330000)
ANCESTORS = {330822, 330800, 330000, 100000}
# columns naming a place; lead_* columns describe an alliance's lead, part of the alliance record
PLACE_COLUMNS = {"adcode", "county_adcode", "province_adcode", "to_adcode", "other_adcode"}
ID_COLUMNS = {"site_id": "sites", "alliance_id": "alliances"}
# columns that describe the lead of an alliance in scope under another name
LEAD_COLUMNS = {"kiosk_latest_alliances": {"province_adcode", "province_name", "province_name_en"}}
VALUES = {
    "province": [0, 330000, 620000, 310000],
    "site": ["R-S002", "R-S003", "R-S001"],
    "level": ["county", "city", "province"],
    "metric": ["county_visit_rate"],
    "year": [2025],
    "limit": [10_000],
    "n": [1_000],
    "form": [""],
    "scope": [""],
    "specialty": [""],
    "tag": [""],
    "city": [0, 330800],
    "q": ["", "衢州"],
    "kind": [""],
    "tier": [""],
    "ownership": [""],
    "real_only": [False],
    "year_from": [1900],
    "year_to": [2100],
    "county": [330822, 620102],
    "districts": [True, False],
}


def query_names() -> list[str]:
    return sorted(
        str(p.relative_to(db.QUERIES_DIR).with_suffix("")) for p in db.QUERIES_DIR.rglob("*.sql")
    )


SCOPED = [name for name in query_names() if name not in UNSCOPED]


@pytest.fixture(scope="module")
def con(tiny_db):
    """A read-only connection to the tiny database."""
    con = db.connect(tiny_db)
    yield con
    con.close()


@pytest.fixture(scope="module")
def truth(con) -> dict:
    """What a 330822 official may see, worked out here without the queries' macros."""

    def ids(sql: str) -> set[str]:
        return {row[0] for row in con.cursor().execute(f"use data; {sql}").fetchall()}

    sites_in = ids("select site_id from sites where county_adcode = 330822")
    alliances_in = ids(
        "select alliance_id from memberships join sites using (site_id) "
        "where county_adcode = 330822 union select alliance_id from alliances a "
        "join sites s on s.site_id = a.lead_site_id where s.county_adcode = 330822"
    )
    outside_names = ids(
        "select name from regions where adcode not in (330822, 330800, 330000) "
        "union select name from sites where county_adcode <> 330822"
    ) - {"上海市"} | {"甘肃省", "Gansu"}  # 上海市 is also the city's name: checked by adcode
    alliances_out = sorted(ids("select alliance_id from alliances") - alliances_in)
    return {
        "sites": sites_in,
        "alliances": alliances_in,
        "outside_names": outside_names,
        "alliance_values": ["R-A01", alliances_out[0]],
    }


def param_sets(name: str, truth: dict) -> list[dict]:
    wanted = sorted(db.query_params(name) - {"regions"})
    values = VALUES | {"alliance": truth["alliance_values"]}
    return [
        dict(zip(wanted, combo, strict=True))
        for combo in itertools.product(*(values[k] for k in wanted))
    ]


def outside_rows(name: str, frame: pd.DataFrame, truth: dict) -> list[str]:
    """Descriptions of the cells of frame that belong to a place outside the scope."""
    if name == "province_links":  # 'in' rows name the lead's province (part of the alliance)
        frame = frame[frame["direction"] == "out"]
    if name == "cross_province_links":  # from_* is the lead's province
        frame = frame.drop(columns=[c for c in frame.columns if c.startswith("from_")])
    lead = LEAD_COLUMNS.get(name, set())
    frame = frame.drop(columns=[c for c in frame.columns if c.startswith("lead_") or c in lead])
    bad = []
    for column in frame.columns:
        values = frame[column].dropna()
        if column in PLACE_COLUMNS:
            bad += [f"{column}={v}" for v in values if int(v) not in ANCESTORS]
        if column == "site_id":
            bad += [f"site_id={v}" for v in values if v not in truth["sites"]]
        if column == "alliance_id":
            bad += [f"alliance_id={v}" for v in values if v not in truth["alliances"]]
        bad += [
            f"{column}={v}" for v in values if isinstance(v, str) and v in truth["outside_names"]
        ]
    return bad


def test_every_query_is_scoped_or_listed_as_public():
    for name in query_names():
        takes = "regions" in db.query_params(name)
        assert takes != (name in UNSCOPED), (
            f"{name}: {'listed as unscoped but takes' if takes else 'neither takes'} $regions"
            + ("" if takes else " nor is listed in UNSCOPED")
        )


@pytest.mark.parametrize("name", SCOPED)
def test_a_county_scope_returns_no_row_outside_it(con, truth, name):
    seen = 0
    for params in param_sets(name, truth):
        frame = db.run(con, name, params | {"regions": SCOPE})
        seen += len(frame)
        assert not outside_rows(name, frame, truth), (
            name,
            params,
            outside_rows(name, frame, truth),
        )
    national = sum(
        len(db.run(con, name, params | {"regions": [100000]})) for params in param_sets(name, truth)
    )
    assert national >= seen  # the national scope loses nothing the county sees


@pytest.mark.parametrize("name", SCOPED)
def test_an_empty_scope_returns_no_place(con, truth, name):
    nobody = {"sites": set(), "alliances": set(), "outside_names": truth["outside_names"]}
    for params in param_sets(name, truth):
        frame = db.run(con, name, params | {"regions": []})
        cells = [c for c in frame.columns if c in PLACE_COLUMNS | set(ID_COLUMNS)]
        assert frame[cells].dropna(how="all").empty, (name, params)
        assert not outside_rows(name, frame, nobody), name


def test_scopes_nest(con):
    """A city sees its counties, a province its cities' counties, 100000 every county."""

    def counties(regions):
        frame = db.run(
            con,
            "province_counties",
            {"regions": regions, "province": 330000, "metric": "county_visit_rate", "year": 2025},
        )
        return set(frame["adcode"])

    assert counties([330822]) == {330822}
    assert counties([330800]) == {330802, 330822}
    assert counties([330000]) == counties([100000]) == {330802, 330822}
    assert counties([620000]) == set()
    assert counties([330802, 330822]) == {330802, 330822}


def test_an_alliance_outside_the_scope_is_not_found(con, truth):
    inside, outside = truth["alliance_values"]
    assert len(db.run(con, "alliance_detail", {"regions": SCOPE, "alliance": inside})) == 1
    assert db.run(con, "alliance_detail", {"regions": SCOPE, "alliance": outside}).empty
    members = db.run(con, "alliance_members", {"regions": SCOPE, "alliance": inside})
    assert set(members["site_id"]) == {"R-S002"}  # not the Shanghai lead, not the Gansu member


def _lonlat(con, sql: str, params: dict) -> tuple[float, float]:
    return tuple(con.execute(sql, params).fetchone())


def test_a_lead_outside_the_scope_is_at_most_its_provinces_centroid(con):
    """A member map's lines end at the lead: outside the official's regions that end is the
    centroid of the lead's province, never the institution's own place."""
    site = "select s.lon, s.lat from sites s join alliances a on a.lead_site_id = s.site_id "
    exact = _lonlat(con, site + "where a.alliance_id = $a", {"a": "R-A01"})
    centroid = _lonlat(
        con,
        "select r.lon, r.lat from regions r join sites s on r.adcode = s.county_adcode "
        "// 10000 * 10000 join alliances a on a.lead_site_id = s.site_id where alliance_id = $a",
        {"a": "R-A01"},
    )
    assert exact != centroid
    county = db.run(con, "alliance_members", {"alliance": "R-A01", "regions": SCOPE})
    assert len(county) and "R-S001" not in set(county["site_id"])  # the lead is elsewhere
    assert set(zip(county["lead_lon"], county["lead_lat"], strict=True)) == {centroid}
    national = db.run(con, "alliance_members", {"alliance": "R-A01", "regions": [100000]})
    assert set(zip(national["lead_lon"], national["lead_lat"], strict=True)) == {exact}


def test_the_alliance_map_draws_no_point_outside_the_scope(tiny_env, monkeypatch):
    """The figure as the page sends it: every longitude/latitude pair is a member or a county in
    scope, or a province's centroid."""
    from dashboard import access
    from tests.conftest import run_app
    from tests.helpers import array, figure

    monkeypatch.setattr(access, "OPEN", access.Grant("county@example.org", tuple(SCOPE), "viewer"))
    at = run_app("pages/alliances.py", alliance="R-A01")
    assert not at.exception
    con = db.connect(tiny_env)
    try:
        lead = _lonlat(con, "select lon, lat from sites where site_id = 'R-S001'", {})
        allowed = set(
            con.execute(
                "select lon, lat from sites where county_adcode in (select county_adcode "
                "from scope_counties($r)) union select lon, lat from regions "
                "where level = 'province' or adcode in (select county_adcode "
                "from scope_counties($r))",
                {"r": SCOPE},
            ).fetchall()
        )
    finally:
        con.close()
    points = set()
    for trace in figure(at, "alliance_map")["data"]:
        if "lon" in trace:
            lons, lats = array(trace["lon"]), array(trace["lat"])
            points |= {(x, y) for x, y in zip(lons, lats, strict=True) if x is not None}

    def rounded(pairs):  # the figure may carry float32
        return {(round(x, 3), round(y, 3)) for x, y in pairs}

    assert points and rounded([lead]) - rounded(points)
    assert rounded(points) <= rounded(allowed), rounded(points) - rounded(allowed)
