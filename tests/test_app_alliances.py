"""Alliances page (register and one alliance) and its queries, against the tiny database."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from dashboard import build, db, fmt
from tests.conftest import REAL, write_data_dir
from tests.conftest import run_app as run
from tests.helpers import metrics, msg, rendered, table_with, tiny_count

PAGE = "pages/alliances.py"
ACTIVITY_KINDS = (
    "referral_up",
    "referral_down",
    "remote_consult",
    "expert_days",
    "training",
    "new_technique",
    "surgery",
)


def register_frame(at):
    return table_with(at, msg("alliances.col_data"))


# ---- one alliance -------------------------------------------------------------------------------


def test_real_alliance_shows_members_funding_and_article(tiny_env):
    at = run(page=PAGE, alliance="R-A01", real="1")  # only real rows anywhere on the page
    assert not at.exception
    assert not at.error
    assert [h.value for h in at.header] == ["测试跨省妇产科联盟"]
    facts = metrics(at)
    # The fixture's R-A01 has three memberships, none ended; its funding is one central row.
    assert facts[msg("alliances.members_now")] == "3"
    assert facts[msg("common.form")] == "专科联盟"
    # a tile's value is Markdown: the data's + signs are escaped and show as they are
    assert facts[msg("alliances.model")] == r"X\+1\+9\+X"
    assert facts[msg("alliances.funding_total")] == "2亿元"
    members = table_with(at, msg("alliances.col_role"))
    assert sorted(members[msg("common.name")]) == sorted(
        ["黄浦妇产科医院", "常山县妇幼保健院", "兰州仁和医院"]
    )
    assert members[msg("alliances.col_role")].tolist()[0] == "牵头单位"  # lead listed first
    funding = table_with(at, msg("alliances.col_source"))
    assert funding[msg("alliances.col_source")].tolist() == ["中央预算内"]
    assert funding[msg("alliances.col_amount")].tolist() == ["2亿元"]
    infos = " ".join(i.value for i in at.info)
    assert "测试报道" in infos and "测试报社" in infos and "2017年6月4日" in infos
    # Real alliances have no monthly activity: said in words, not drawn as an empty chart.
    assert msg("alliances.no_activity_real") in infos
    assert not at.get("plotly_chart") or all(
        p.proto.id and "alliance_activity" not in p.proto.id for p in at.get("plotly_chart")
    )
    figures = table_with(at, msg("alliances.col_figure"))
    assert figures[msg("common.value")].tolist() == ["3,000+"]  # 3000 with qualifier '+'
    assert all(msg("common.simulated") not in c.value for c in at.caption)
    assert any(msg("alliances.register_hint") == c.value for c in at.caption)


def test_simulated_alliance_is_labelled_and_has_activity(tiny_env):
    at = run(page=PAGE, alliance="A000004")
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert msg("alliances.source_simulated") in infos
    assert any(msg("common.simulated") in c.value for c in at.caption)
    activity = table_with(at, msg("alliances.col_activity"))
    assert len(activity) > 0
    assert set(activity[msg("alliances.col_activity")]) <= {
        msg(f"activity.{k}") for k in ACTIVITY_KINDS
    }


def test_members_who_left_are_listed_but_not_counted_or_mapped(tiny_env):
    con = duckdb.connect(str(tiny_env), read_only=True)
    try:
        # an alliance of the fixture's simulation that one member left
        (aid,) = con.execute(
            "select alliance_id from memberships group by 1 "
            "having count(*) filter (left_on is not null) = 1 order by 1 limit 1"
        ).fetchone()
        left = con.execute(
            "select s.name, m.left_on from memberships m join sites s using (site_id) "
            "where m.alliance_id = $a and m.left_on is not null",
            {"a": aid},
        ).fetchall()
        now = con.execute(
            "select count(*) from memberships where alliance_id = $a and left_on is null",
            {"a": aid},
        ).fetchone()[0]
    finally:
        con.close()
    name, left_on = left[0]
    at = run(page=PAGE, alliance=aid)
    assert metrics(at)[msg("alliances.members_now")] == str(now)
    members = table_with(at, msg("alliances.col_left"))
    gone = members[members[msg("common.name")] == name]
    assert gone[msg("alliances.col_left")].tolist() == [fmt.dated(left_on, "day", "zh")]
    on_map = table_with(at, msg("alliances.col_lon"))
    assert name not in set(on_map[msg("common.name")]) and len(on_map) == now


def test_english_switch_translates_the_alliance(tiny_env):
    at = run(page=PAGE, alliance="R-A01", lang="en")
    assert not at.exception
    assert at.title[0].value == msg("alliances.title", "en") == "Alliance register"
    facts = metrics(at)
    assert facts["Form"] == "Specialist alliance"
    assert facts["Scope"] == "Cross-province"
    assert facts["Total funding"] == "CNY 200 million"
    assert "Source:" in " ".join(i.value for i in at.info)


def test_picking_an_alliance_writes_the_url(tiny_env):
    at = run(page=PAGE)
    assert not at.exception
    assert not at.header  # nothing chosen yet: the register only
    at.selectbox(key="alliance").set_value("R-A01").run()
    assert [h.value for h in at.header] == ["测试跨省妇产科联盟"]
    assert at.query_params["alliance"] == "R-A01"


def test_clicking_a_register_row_picks_that_alliance(tiny_env):
    at = run(page=PAGE)
    third = register_frame(at).iloc[2]
    at.session_state["register"] = {"selection": {"rows": [2], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert [h.value for h in at.header] == [third[msg("common.name")]]
    assert at.query_params["alliance"] == third[msg("alliances.col_id")]


@pytest.mark.parametrize(
    "bad", ["<script>alert(1)</script>", "nope", "A999999", "r-a01", "R-A01" + " " * 40]
)
def test_unknown_alliance_gives_a_notice_and_no_detail(tiny_env, bad):
    at = run(page=PAGE, alliance=bad)
    assert not at.exception
    assert not at.error
    warnings = " ".join(w.value for w in at.warning)
    assert "alliance" in warnings
    assert not at.header
    text = rendered(at)
    assert "alliance" in text  # the walk does see the notice …
    assert "<script>" not in text and "alert(1)" not in text  # … but never the value
    assert at.query_params.get("alliance", "") == ""


# ---- the register -------------------------------------------------------------------------------


def test_real_alliances_come_first_and_can_be_isolated(tiny_env):
    at = run(page=PAGE)
    frame = register_frame(at)
    assert frame[msg("alliances.col_id")].iloc[0] == "R-A01"
    everything = metrics(at)[msg("alliances.count")]
    at.toggle(key="real").set_value(True).run()
    assert not at.exception
    frame = register_frame(at)
    assert frame[msg("alliances.col_id")].tolist() == ["R-A01"]
    assert metrics(at)[msg("alliances.count")] == "1" != everything
    assert at.query_params["real"] == "1"


def test_form_filter_changes_the_count(tiny_env):
    at = run(page=PAGE)
    before = metrics(at)[msg("alliances.count")]
    assert before == str(tiny_count(tiny_env, "select count(*) from alliances"))
    at.selectbox(key="form").set_value("county_community").run()
    after = metrics(at)[msg("alliances.count")]
    expected = tiny_count(
        tiny_env, "select count(*) from alliances where form = 'county_community'"
    )
    assert after == str(expected) != before
    assert set(register_frame(at)[msg("common.form")]) == {"县域医共体"}


def test_province_filter_counts_alliances_with_any_member_there(tiny_env):
    at = run(page=PAGE)
    at.sidebar.selectbox(key="province").set_value(620000).run()
    assert not at.exception
    ids = set(register_frame(at)[msg("alliances.col_id")])
    # R-A01 is led from Shanghai but has a Gansu member (兰州仁和医院): it is in Gansu too.
    assert "R-A01" in ids
    shanghai_only = tiny_count(
        tiny_env,
        "select min(alliance_id) from alliances a where alliance_id like 'A%' and not exists ("
        "select 1 from memberships m join sites s using (site_id) "
        "where m.alliance_id = a.alliance_id and s.county_adcode // 10000 <> 31)",
    )
    assert shanghai_only and shanghai_only not in ids  # e.g. 上海第一医疗集团: Shanghai only
    assert metrics(at)[msg("alliances.count")] == str(len(ids))


def test_search_and_years_narrow_the_register(tiny_env):
    at = run(page=PAGE)
    at.text_input(key="q").input("妇产科").run()
    names = register_frame(at)[msg("common.name")]
    assert len(names) > 0 and all("妇产科" in n for n in names)
    assert at.query_params["q"] == "妇产科"
    at.text_input(key="q").input("%").run()  # a literal character, not a wildcard
    assert metrics(at)[msg("alliances.count")] == "0"
    assert msg("alliances.none_found") in [i.value for i in at.info]
    at.text_input(key="q").input("").run()
    at.slider(key="years").set_range(2016, 2017).run()
    founded = register_frame(at)[msg("alliances.col_founded")]
    assert len(founded) > 0 and all(2016 <= int(d[:4]) <= 2017 for d in founded)
    assert at.query_params["years"] == "2016-2017"


def test_filters_come_from_the_url(tiny_env):
    at = run(page=PAGE, form="specialist", years="2017-2018", q="联盟")
    assert not at.exception
    frame = register_frame(at)
    assert len(frame) > 0
    assert set(frame[msg("common.form")]) == {"专科联盟"}
    assert all(2017 <= int(d[:4]) <= 2018 for d in frame[msg("alliances.col_founded")])


# ---- parent and child alliances -----------------------------------------------------------------


@pytest.fixture(scope="module")
def family_db(tmp_path_factory):
    """The tiny data plus a real child alliance R-A02 under R-A01 (like Quzhou's 五纵 under R-A05)."""
    base = tmp_path_factory.mktemp("family")
    data_dir = write_data_dir(base / "data")
    with (data_dir / "real" / "alliances.csv").open("a", encoding="utf-8") as f:
        f.write(
            "R-A02,测试子联盟,specialist,妇产科,province,,2018-03-01,R-S002,R-A01,,article:900\n"
        )
    with (data_dir / "real" / "memberships.csv").open("a", encoding="utf-8") as f:
        f.write("R-A02,R-S002,lead,2018-03-01,,article:900\n")
    return build.build(base / "family.duckdb", data_dir=data_dir)


def test_parent_and_children_link_both_ways(family_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(family_db))
    at = run(page=PAGE, alliance="R-A02")
    assert not at.exception
    assert [h.value for h in at.header] == ["测试子联盟"]
    parent = at.button(key="go_R-A01")
    assert "测试跨省妇产科联盟" in parent.label
    parent.click().run()
    assert [h.value for h in at.header] == ["测试跨省妇产科联盟"]
    assert at.query_params["alliance"] == "R-A01"
    at.button(key="go_R-A02").click().run()
    assert [h.value for h in at.header] == ["测试子联盟"]


# ---- query contracts ----------------------------------------------------------------------------

ALL = {
    "province": 0,
    "form": "",
    "scope": "",
    "specialty": "",
    "tag": "",
    "year_from": 1900,
    "year_to": 2100,
    "q": "",
    "real_only": False,
    "limit": 10_000,
}


@pytest.fixture(scope="module")
def con(tiny_db):
    connection = db.connect(tiny_db)
    yield connection
    connection.close()


def test_register_contract(con):
    frame = db.run(con, "alliance_register", ALL)
    assert {
        "alliance_id",
        "name",
        "form",
        "scope",
        "founded_on",
        "lead_name",
        "members",
        "provinces",
        "simulated",
        "total",
        "total_real",
    } <= set(frame.columns)
    assert frame["alliance_id"].is_unique
    assert set(frame["form"]) <= {"city_group", "county_community", "specialist", "telemedicine"}
    assert set(frame["scope"]) <= {"cross_province", "province", "city", "county"}
    assert (frame["members"] >= 1).all()  # the lead is always a member
    assert (frame["total"] == len(frame)).all()
    assert (frame["total_real"] == (~frame["simulated"]).sum()).all()
    assert not frame["simulated"].iloc[0] and frame["simulated"].is_monotonic_increasing


def test_register_limit_keeps_the_full_count(con):
    frame = db.run(con, "alliance_register", ALL | {"limit": 5})
    full = db.run(con, "alliance_register", ALL)
    assert len(frame) == 5
    assert (frame["total"] == len(full)).all()


@pytest.mark.parametrize("province", [310000, 330000, 620000])
def test_register_province_means_lead_or_any_member(con, province):
    got = set(db.run(con, "alliance_register", ALL | {"province": province})["alliance_id"])
    members = db.run(con, "alliance_members", {"alliance": "R-A01"})
    assert ("R-A01" in got) == (province in set(members["province_adcode"]))
    # The same set from the raw tables, computed another way.
    expected = {
        row[0]
        for row in con.cursor()
        .execute(
            "select distinct m.alliance_id from data.memberships m "
            "join data.sites s using (site_id) where s.county_adcode // 10000 * 10000 = $p "
            "union select a.alliance_id from data.alliances a "
            "join data.sites s on s.site_id = a.lead_site_id "
            "where s.county_adcode // 10000 * 10000 = $p",
            {"p": province},
        )
        .fetchall()
    }
    assert got == expected


def test_specialty_filter_matches_each_listed_specialty(con):
    facets = db.run(con, "alliance_facets")
    specialties = facets.loc[facets["facet"] == "specialty", "value"].tolist()
    assert "妇产科" in specialties and all("、" not in s for s in specialties)
    frame = db.run(con, "alliance_register", ALL | {"specialty": "妇产科"})
    assert len(frame) > 0 and all("妇产科" in s for s in frame["specialty"])


@pytest.mark.parametrize("q", ["'; drop table alliances; --", "%", "_", "<script>"])
def test_search_text_is_data_not_sql(con, q):
    frame = db.run(con, "alliance_register", ALL | {"q": q})
    assert frame.empty


DETAIL_QUERIES = {
    "alliance_detail": {
        "alliance_id",
        "name",
        "form",
        "scope",
        "founded_on",
        "lead_name",
        "parent_alliance_id",
        "note",
        "simulated",
        "members",
        "article_title",
        "article_publisher",
        "article_date",
    },
    "alliance_children": {"alliance_id", "name", "simulated"},
    "alliance_members": {
        "site_id",
        "name",
        "role",
        "is_lead",
        "county_name",
        "province_adcode",
        "lon",
        "lat",
        "lead_lon",
        "lead_lat",
        "joined_on",
        "left_on",
        "simulated",
    },
    "alliance_areas": {"level", "adcode", "name", "members"},
    "alliance_growth": {"date", "joined", "departed", "members", "simulated"},
    "alliance_activity": {"month", "kind", "count", "simulated"},
    "alliance_funding": {"year", "source", "amount_cny", "simulated"},
    "alliance_milestones": {"date", "title", "detail", "simulated"},
    "alliance_figures": {"figure", "label_zh", "label_en", "value", "qualifier", "unit", "as_of"},
}
KEYS = {
    "alliance_detail": ["alliance_id"],
    "alliance_children": ["alliance_id"],
    "alliance_members": ["site_id"],
    "alliance_areas": ["adcode"],
    "alliance_growth": ["date"],
    "alliance_activity": ["month", "kind"],
    "alliance_funding": ["year", "source"],
    "alliance_figures": ["figure"],
}


@pytest.mark.parametrize("alliance", ["R-A01", "A000004", "A000035", "nope"])
@pytest.mark.parametrize("name", sorted(DETAIL_QUERIES))
def test_detail_query_contracts(con, name, alliance):
    frame = db.run(con, name, {"alliance": alliance})
    assert DETAIL_QUERIES[name] <= set(frame.columns)
    if name in KEYS:
        assert not frame.duplicated(KEYS[name]).any()
    if alliance == "nope":
        assert frame.empty
    if name == "alliance_members" and len(frame):
        assert set(frame["role"]) <= {"lead", "party", "chair", "standing", "council", "member"}
        assert frame["is_lead"].sum() == 1
    if name == "alliance_activity":
        assert set(frame["kind"]) <= set(ACTIVITY_KINDS)
        assert (frame["count"] >= 0).all()
    if name == "alliance_funding":
        assert set(frame["source"]) <= {"central", "provincial", "special_bond", "other"}


def test_growth_ends_at_the_current_member_count(con):
    # an alliance of the simulation that lost a member (left_on): the running total dips
    (left,) = con.execute(
        "select alliance_id from memberships where left_on is not null order by 1 limit 1"
    ).fetchone()
    for alliance in ("R-A01", left):
        growth = db.run(con, "alliance_growth", {"alliance": alliance})
        detail = db.run(con, "alliance_detail", {"alliance": alliance}).iloc[0]
        assert growth["members"].iloc[-1] == detail["members"]
        assert growth["date"].is_monotonic_increasing
    growth = db.run(con, "alliance_growth", {"alliance": left})
    assert (growth["departed"] > 0).any()


def test_map_areas_are_counties_for_a_one_province_alliance(con):
    cross = db.run(con, "alliance_areas", {"alliance": "R-A01"})
    assert set(cross["level"]) == {"province"}
    assert set(cross["adcode"]) == {310000, 330000, 620000}  # the fixture's three members
    # a simulated city group of Shanghai (the first alliance whose members are all there)
    (alliance,) = (
        con.cursor()
        .execute(
            "use data; select min(alliance_id) from alliances a where form = 'city_group' "
            "and not exists (select 1 from memberships m join sites s using (site_id) "
            "where m.alliance_id = a.alliance_id and s.county_adcode // 10000 <> 31) "
            "and exists (select 1 from sites s where s.site_id = a.lead_site_id "
            "and s.county_adcode // 10000 = 31)"
        )
        .fetchone()
    )
    shanghai_only = db.run(con, "alliance_areas", {"alliance": alliance})
    assert set(shanghai_only["level"]) == {"county"}
    assert set(shanghai_only["adcode"]) == {310101, 310115}  # every Shanghai county
    assert shanghai_only["members"].sum() == len(
        db.run(con, "alliance_members", {"alliance": alliance}).query("left_on.isna()")
    )


def test_figures_are_the_articles_own(con):
    figures = db.run(con, "alliance_figures", {"alliance": "R-A01"})
    row = REAL["figures.csv"][1].split(",")
    assert figures["figure"].tolist() == [row[1]]
    assert figures["value"].tolist() == [float(row[2])]
    assert figures["qualifier"].tolist() == [row[3]]
    assert figures["as_of"].dt.date.tolist() == [dt.date.fromisoformat(row[5])]
