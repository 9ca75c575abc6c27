"""Institutions page (directory and one institution) and its queries, against the tiny database."""

from __future__ import annotations

import pytest

from dashboard import db
from tests.conftest import run_app as run
from tests.helpers import metrics, msg, rendered, table_with, tiny_count

PAGE = "pages/institutions.py"


def directory_frame(at):
    return table_with(at, msg("institutions.col_beds"))


# ---- one institution ----------------------------------------------------------------------------


def test_real_institution_shows_place_alliances_and_article(tiny_env):
    at = run(page=PAGE, site="R-S003")
    assert not at.exception
    assert not at.error
    assert [h.value for h in at.header] == ["兰州仁和医院"]
    facts = metrics(at)
    # The fixture: R-S003 is a private, unrated general hospital in 城关区, Gansu, no beds given.
    assert facts[msg("institutions.kind")] == "综合医院"
    assert facts[msg("institutions.tier")] == "未定级"
    assert facts[msg("institutions.ownership")] == "民营"
    assert facts[msg("institutions.beds")] == "—"
    assert facts[msg("institutions.col_alliances")] == "1"
    place = " ".join(m.value for m in at.markdown)
    assert "城关区" in place and "甘肃省" in place
    alliances = table_with(at, msg("institutions.col_alliance"))
    assert alliances[msg("institutions.col_id")].tolist() == ["R-A01"]
    assert alliances[msg("institutions.col_role")].tolist() == ["理事单位"]  # council
    assert str(alliances[msg("institutions.col_joined")].iloc[0]) == "2018年1月1日"
    infos = " ".join(i.value for i in at.info)
    assert "测试报道" in infos and "测试报社" in infos
    assert msg("institutions.no_activity") in infos  # R-A01, a real alliance, has none


def test_simulated_institution_is_labelled_with_its_alliances_activity(tiny_env):
    at = run(page=PAGE, site="S0000006")  # 浙江省人民医院, lead of several simulated alliances
    assert not at.exception
    assert msg("institutions.source_simulated") in " ".join(i.value for i in at.info)
    alliances = table_with(at, msg("institutions.col_alliance"))
    expected = tiny_count(tiny_env, "select count(*) from memberships where site_id = 'S0000006'")
    assert len(alliances) == expected > 0
    activity = table_with(at, msg("institutions.col_activity"))
    total = tiny_count(
        tiny_env,
        "select sum(count) from activities where alliance_id in "
        "(select alliance_id from memberships where site_id = 'S0000006')",
    )
    assert activity[msg("common.count")].sum() == total
    assert any(msg("common.simulated") in c.value for c in at.caption)


def test_english_switch_translates_the_institution(tiny_env):
    at = run(page=PAGE, site="R-S003", lang="en")
    assert not at.exception
    assert (
        at.title[0].value == msg("institutions.title", "en") == "Institutions on record and members"
    )
    facts = metrics(at)
    assert facts["Kind"] == "General hospital"
    assert facts["Ownership"] == "Private"
    assert "Gansu" in " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("bad", ["nope", "<script>alert(1)</script>", "S9999999"])
def test_unknown_institution_gives_a_notice_and_no_detail(tiny_env, bad):
    at = run(page=PAGE, site=bad)
    assert not at.exception
    assert not at.error
    assert "site" in " ".join(w.value for w in at.warning)
    assert not at.header
    text = rendered(at)
    assert "site" in text
    assert "<script>" not in text and "alert(1)" not in text
    assert at.query_params.get("site", "") == ""


def test_picking_and_clicking_write_the_url(tiny_env):
    at = run(page=PAGE)
    assert not at.header
    at.selectbox(key="site").set_value("R-S001").run()
    assert [h.value for h in at.header] == ["黄浦妇产科医院"]
    assert at.query_params["site"] == "R-S001"
    fourth = directory_frame(at).iloc[3]
    at.session_state["directory"] = {"selection": {"rows": [3], "columns": [], "cells": []}}
    at.run()
    assert [h.value for h in at.header] == [fourth[msg("common.name")]]
    assert at.query_params["site"] == fourth[msg("institutions.col_id")]


# ---- the directory ------------------------------------------------------------------------------


def test_counts_match_the_database_and_follow_the_filters(tiny_env):
    at = run(page=PAGE)
    assert not at.exception
    facts = metrics(at)
    assert facts[msg("count.institutions_on_record")] == str(
        tiny_count(tiny_env, "select count(*) from sites")
    )
    assert facts[msg("institutions.count_real")] == "3"  # R-S001..R-S003
    at.selectbox(key="kind").set_value("primary").run()
    primary = tiny_count(tiny_env, "select count(*) from sites where kind = 'primary'")
    assert metrics(at)[msg("count.institutions_on_record")] == str(primary)
    frame = directory_frame(at)
    assert len(frame) == primary and set(frame[msg("institutions.kind")]) == {"基层医疗卫生机构"}
    at.selectbox(key="ownership").set_value("private").run()
    assert (
        metrics(at)[msg("count.institutions_on_record")] == "0"
    )  # no private primary care in the fixture
    assert msg("institutions.none_found") in [i.value for i in at.info]


def test_sidebar_province_and_search_narrow_the_directory(tiny_env):
    at = run(page=PAGE, province="620000")
    gansu = tiny_count(tiny_env, "select count(*) from sites where county_adcode // 10000 = 62")
    assert metrics(at)[msg("count.institutions_on_record")] == str(gansu)
    assert set(directory_frame(at)[msg("common.province")]) == {"甘肃省"}
    at.text_input(key="q").input("仁和").run()
    frame = directory_frame(at)
    assert frame[msg("institutions.col_id")].tolist() == ["R-S003"]
    assert at.query_params["q"] == "仁和"


def test_real_institutions_come_first(tiny_env):
    at = run(page=PAGE)
    data = directory_frame(at)[msg("institutions.col_data")].tolist()
    real = msg("institutions.data_real")
    assert data[:3] == [real] * 3 and real not in data[3:]


# ---- query contracts ----------------------------------------------------------------------------

ALL = {"province": 0, "kind": "", "tier": "", "ownership": "", "q": ""}


@pytest.fixture(scope="module")
def con(tiny_db):
    connection = db.connect(tiny_db)
    yield connection
    connection.close()


def test_facets_contract(con):
    facets = db.run(con, "site_facets")
    assert {"facet", "value"} <= set(facets.columns)
    assert not facets.duplicated(["facet", "value"]).any()
    allowed = {
        "kind": {"general", "maternal_child", "tcm", "specialist", "primary", "other"},
        "tier": {"3A", "3", "2", "1", "unrated"},
        "ownership": {"public", "private"},
    }
    for name, values in allowed.items():
        assert set(facets.loc[facets["facet"] == name, "value"]) <= values
    tiers = facets.loc[facets["facet"] == "tier", "value"].tolist()
    assert tiers == sorted(tiers, key=["3A", "3", "2", "1", "unrated"].index)


def test_counts_and_directory_agree(con):
    counts = db.run(con, "institutions_on_record", ALL)
    assert {"kind", "tier", "ownership", "institutions", "real_institutions", "simulated"} <= set(
        counts.columns
    )
    assert not counts.duplicated(["kind", "tier", "ownership"]).any()
    directory = db.run(con, "site_directory", ALL | {"limit": 100_000})
    assert directory["site_id"].is_unique
    assert counts["institutions"].sum() == len(directory)
    assert counts["real_institutions"].sum() == (~directory["simulated"]).sum()
    assert {
        "site_id",
        "name",
        "kind",
        "tier",
        "ownership",
        "county_name",
        "province_name",
        "beds",
        "alliances",
        "simulated",
    } <= set(directory.columns)


def test_directory_limit(con):
    assert len(db.run(con, "site_directory", ALL | {"limit": 7})) == 7


@pytest.mark.parametrize("q", ["'; drop table sites; --", "%", "_", "<script>"])
def test_search_text_is_data_not_sql(con, q):
    assert db.run(con, "site_directory", ALL | {"q": q, "limit": 10}).empty
    assert db.run(con, "institutions_on_record", ALL | {"q": q}).empty


DETAIL_QUERIES = {
    "site_detail": (
        {
            "site_id",
            "name",
            "kind",
            "tier",
            "ownership",
            "county_name",
            "province_name",
            "province_name_en",
            "lon",
            "lat",
            "beds",
            "simulated",
            "article_title",
        },
        ["site_id"],
    ),
    "site_alliances": (
        {
            "alliance_id",
            "name",
            "form",
            "scope",
            "role",
            "is_lead",
            "joined_on",
            "left_on",
            "simulated",
        },
        ["alliance_id"],
    ),
    "site_activity": ({"month", "kind", "count", "alliances", "simulated"}, ["month", "kind"]),
    "site_area": ({"adcode", "name", "is_home"}, ["adcode"]),
}


@pytest.mark.parametrize("site", ["R-S003", "S0000006", "S0000062", "nope"])
@pytest.mark.parametrize("name", sorted(DETAIL_QUERIES))
def test_detail_query_contracts(con, name, site):
    columns, keys = DETAIL_QUERIES[name]
    frame = db.run(con, name, {"site": site})
    assert columns <= set(frame.columns)
    assert not frame.duplicated(keys).any()
    if site == "nope":
        assert frame.empty
    if name == "site_area" and len(frame):
        assert frame["is_home"].sum() == 1  # its own county, among its province's counties
    if name == "site_alliances":
        assert set(frame["role"]) <= {"lead", "chair", "standing", "council", "member"}
