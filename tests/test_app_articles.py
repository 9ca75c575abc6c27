"""The five articles' alliances as an official reads them: co-leads, tiers, tags, areas, related
records, dates with their precision, place search. Built from the real data/real/ tables over the
provinces they touch (the simulation fills the rest, as in the shipped build)."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from dashboard import build, db
from tests.conftest import ROOT
from tests.conftest import run_app as run
from tests.helpers import metrics, msg, table_with

PAGE = "pages/alliances.py"
BOUNDARIES = ROOT / "data" / "boundaries"


@pytest.fixture(scope="module")
def real_db(tmp_path_factory):
    """data/real/ as shipped, over the real regions of the provinces its sites are in."""
    base = tmp_path_factory.mktemp("articles")
    data_dir = base / "data"
    shutil.copytree(ROOT / "data" / "real", data_dir / "real")
    shutil.copytree(ROOT / "data" / "catalogue", data_dir / "catalogue")
    sites = pd.read_csv(data_dir / "real" / "sites.csv", dtype=str)
    provinces = {int(c) // 10000 * 10000 for c in sites["county_adcode"]}
    regions = pd.read_csv(BOUNDARIES / "regions.csv", dtype={"name_en": "string"})
    regions = regions[regions["province_adcode"].isin(provinces)]
    (data_dir / "boundaries").mkdir()
    regions.to_csv(data_dir / "boundaries" / "regions.csv", index=False)
    keep = set(regions["adcode"])
    for name in ("provinces.geojson", "counties.geojson"):
        shapes = json.loads((BOUNDARIES / name).read_text(encoding="utf-8"))
        shapes["features"] = [f for f in shapes["features"] if int(f["id"]) in keep]
        (data_dir / "boundaries" / name).write_text(json.dumps(shapes), encoding="utf-8")
    shutil.copy(BOUNDARIES / "dashline.geojson", data_dir / "boundaries" / "dashline.geojson")
    return build.build(base / "articles.duckdb", data_dir=data_dir)


@pytest.fixture
def real_env(real_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(real_db))
    return real_db


def register_ids(at) -> list[str]:
    return table_with(at, msg("alliances.col_data"))[msg("alliances.col_id")].tolist()


def markdown(at) -> list[str]:
    return [m.value for m in at.markdown]


def test_r_a01_shows_its_four_leads(real_env):
    at = run(page=PAGE, alliance="R-A01")
    assert not at.exception
    leads = [
        "复旦大学附属妇产科医院",
        "浙江大学医学院附属妇产科医院",
        "四川大学华西第二医院",
        "北京妇产医院",
    ]
    header = next(m for m in markdown(at) if "牵头单位" in m)
    assert "4家共同牵头" in header and all(name in header for name in leads)
    members = table_with(at, msg("alliances.col_joined"))
    role = members.set_index(msg("common.name"))[msg("alliances.col_role")]
    assert all(role[name] == "牵头单位" for name in leads)
    # On the map every co-lead is a lead marker, not a member point.
    on_map = table_with(at, msg("alliances.col_lon"))
    assert (on_map[msg("alliances.col_role")] == "牵头单位").sum() == 4
    # The four platforms and four shares are tags, not prose.
    badges = [m for m in markdown(at) if "badge[" in m]
    assert sum("共享" in b for b in badges) == 4 and sum("平台" in b for b in badges) == 4
    assert metrics(at)[msg("alliances.col_founded")] == "2017年6月"


def test_lishui_tiers_tell_the_upper_partners_county_centres_and_app_apart(real_env):
    at = run(page=PAGE, alliance="R-A04")
    assert not at.exception
    tiers = table_with(at, msg("alliances.col_stated_count"))
    names = tiers[msg("alliances.col_alliance_tier")].tolist()
    assert [n.split("（")[0] for n in names] == ["上联", "龙头", "下联", "底联"]
    assert tiers[msg("alliances.col_members")].tolist() == [5, 1, 9, 0]
    assert "APP" in names[3]
    members = table_with(at, msg("alliances.col_joined"))
    counts = members[msg("alliances.col_alliance_tier")].str.split("（").str[0].value_counts()
    assert counts.to_dict() == {"下联": 9, "上联": 5, "龙头": 1}
    assert sum("专家工作站" in m for m in markdown(at) if "badge[" in m) == 4


def test_tag_filter_in_the_register(real_env):
    at = run(page=PAGE, tag="远程会诊")
    assert not at.exception
    assert register_ids(at) == ["R-A03"]
    assert at.selectbox(key="tag").value == "远程会诊"
    at = run(page=PAGE, tag="专家共享")
    assert sorted(register_ids(at)) == ["R-A01", "R-A03"]
    at.selectbox(key="tag").set_value("").run()
    assert len(register_ids(at)) > 2 and at.query_params.get("tag", "") == ""


def test_year_only_and_month_only_dates_read_as_such(real_env):
    at = run(page=PAGE, alliance="R-A05")
    milestones = table_with(at, msg("alliances.col_event"))
    dates = dict(
        zip(
            milestones[msg("alliances.col_event")],
            milestones[msg("alliances.col_date")],
            strict=True,
        )
    )
    assert dates["浙医二院与衢州市第二人民医院缔结分院关系"] == "2010年9月"
    assert metrics(at)[msg("alliances.col_founded")] == "2018-04-20"
    at = run(page=PAGE, alliance="R-A01")
    milestones = table_with(at, msg("alliances.col_event"))
    assert "1995年" in milestones[msg("alliances.col_date")].tolist()
    at = run(page=PAGE, alliance="R-A15", lang="en")
    assert metrics(at)["Founded"] == "by 2024-02-29"


@pytest.mark.parametrize(
    ("q", "expected"),
    [("蚌埠", {"R-A11", "R-A12", "R-A13", "R-A14", "R-A15"}), ("衢州", {"R-A05", "R-A07"})],
)
def test_a_place_name_finds_every_alliance_there(real_env, q, expected):
    at = run(page=PAGE, q=q, real="1")
    assert not at.exception
    assert expected <= set(register_ids(at))


def test_bengbu_cooperation_and_regional_centre_link_both_ways(real_env):
    at = run(page=PAGE, alliance="R-A11")
    infos = [i.value for i in at.info]
    assert msg("alliances.no_funding") not in infos
    assert any("浙大二院安徽医院" in i for i in infos)
    at.button(key="funding_go_R-A15").click().run()
    assert at.query_params["alliance"] == "R-A15"
    assert metrics(at)[msg("alliances.funding_total")] == "4.5亿元"
    at.button(key="go_R-A11").click().run()  # and back, from the centre's related records
    assert at.query_params["alliance"] == "R-A11"


def test_quzhou_areas_are_shaded_and_link_to_the_province_page(real_env):
    at = run(page=PAGE, alliance="R-A05")
    areas = table_with(at, msg("alliances.col_basis"))
    assert len(areas) == 6 and set(areas[msg("common.name")]) >= {"柯城区", "江山市"}
    links = [p for p in at.get("page_link")]
    assert any("衢州市" in p.proto.label and "city=330800" in str(p.proto) for p in links)
    chart = next(c for c in at.get("plotly_chart") if c.proto.id and "alliance_map" in c.proto.id)
    spec = json.loads(chart.proto.spec)
    shaded = {
        loc for t in spec["data"] if t["type"] == "choropleth" for loc in t.get("locations", [])
    }
    assert {"330802", "330881", "330824"} <= shaded


def test_province_page_shows_one_city(real_env):
    at = run(page="pages/province.py", province="330000", city="330800")
    assert not at.exception
    counties = table_with(at, msg("common.adcode"))
    assert sorted(counties[msg("common.adcode")].astype(str)) == [
        "330802",
        "330803",
        "330822",
        "330824",
        "330825",
        "330881",
    ]
    assert at.selectbox(key="city").value == 330800
    at.selectbox(key="city").set_value(0).run()
    assert "city" not in at.query_params or at.query_params["city"] == "0"


def test_register_query_finds_places_without_sql(real_db):
    con = db.connect(real_db)
    try:
        params = {
            "province": 0,
            "form": "",
            "scope": "",
            "specialty": "",
            "tag": "",
            "year_from": 1900,
            "year_to": 2100,
            "real_only": True,
            "limit": 100,
        }
        found = set(db.run(con, "alliance_register", params | {"q": "怀远"})["alliance_id"])
        assert {"R-A14", "R-A11"} <= found  # a member there; an area (蚌埠市) holding it
        assert db.run(con, "alliance_register", params | {"q": "%"}).empty
    finally:
        con.close()
