"""Checks that the hand-entered data in data/real/ say what the source articles say.

The CSV files are read directly with pandas, not through the import pipeline,
so that a bug in the pipeline cannot hide a mistake in the data.
"""

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "data" / "real"
REGIONS = ROOT / "data" / "boundaries" / "regions.csv"
ARTICLES = {f"article:00{i}" for i in range(5)}

HEADERS = {
    "sites.csv": "site_id,name,kind,tier,ownership,county_adcode,lon,lat,beds,source",
    "alliances.csv": "alliance_id,name,form,specialty,scope,model,founded_on,lead_site_id,"
    "parent_alliance_id,note,source",
    "memberships.csv": "alliance_id,site_id,role,joined_on,left_on,source",
    "funding.csv": "alliance_id,year,source,amount_cny,reference",
    "milestones.csv": "alliance_id,date,title,detail,source",
    "figures.csv": "alliance_id,figure,value,qualifier,unit,as_of,label_zh,label_en,source",
    "articles.csv": "article_id,title,publisher,published_on,file",
}


def read(name):
    return pd.read_csv(REAL / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def sites():
    return read("sites.csv")


@pytest.fixture(scope="module")
def alliances():
    return read("alliances.csv")


@pytest.fixture(scope="module")
def memberships():
    return read("memberships.csv")


@pytest.fixture(scope="module")
def figures():
    return read("figures.csv")


@pytest.fixture(scope="module")
def funding():
    return read("funding.csv")


def alliance_id(alliances, name):
    rows = alliances[alliances["name"] == name]
    assert len(rows) == 1, name
    return rows["alliance_id"].iloc[0]


def site_id(sites, name):
    rows = sites[sites["name"] == name]
    assert len(rows) == 1, name
    return rows["site_id"].iloc[0]


def members_of(memberships, sites, aid):
    rows = memberships[memberships["alliance_id"] == aid]
    return rows.merge(sites, on="site_id", suffixes=("", "_site"))


# ---------------------------------------------------------------- format


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_header_and_encoding(name):
    raw = (REAL / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    first_line = raw.decode("utf-8").splitlines()[0]
    assert first_line == HEADERS[name]


@pytest.mark.parametrize("name", sorted(set(HEADERS) - {"articles.csv", "funding.csv"}))
def test_every_row_names_its_article(name):
    df = read(name)
    assert len(df) > 0
    assert set(df["source"]) <= ARTICLES


def test_funding_reference_names_its_article(funding):
    assert set(funding["reference"]) <= ARTICLES


def test_articles_table():
    articles = read("articles.csv")
    assert set(articles["article_id"]) == ARTICLES
    for article_id, file in zip(articles["article_id"], articles["file"], strict=False):
        assert file.startswith(article_id[-3:] + "_")
    sources = ROOT.parent / "shared" / "sources"
    if sources.is_dir():
        assert all((sources / file).exists() for file in articles["file"])


def test_ids_unique(sites, alliances):
    assert sites["site_id"].is_unique
    assert alliances["alliance_id"].is_unique
    assert sites["name"].is_unique


def test_membership_pairs_unique(memberships):
    assert not memberships.duplicated(["alliance_id", "site_id"]).any()


def test_references_exist(sites, alliances, memberships, figures, funding):
    site_ids = set(sites["site_id"])
    alliance_ids = set(alliances["alliance_id"])
    assert set(alliances["lead_site_id"]) <= site_ids
    parents = set(alliances["parent_alliance_id"]) - {""}
    assert parents <= alliance_ids
    assert set(memberships["site_id"]) <= site_ids
    assert set(memberships["alliance_id"]) <= alliance_ids
    assert set(figures["alliance_id"]) <= alliance_ids
    assert set(funding["alliance_id"]) <= alliance_ids
    assert set(read("milestones.csv")["alliance_id"]) <= alliance_ids


def test_every_alliance_has_its_lead_as_member(alliances, memberships):
    pairs = set(zip(memberships["alliance_id"], memberships["site_id"], strict=False))
    for aid, lead in zip(alliances["alliance_id"], alliances["lead_site_id"], strict=False):
        assert (aid, lead) in pairs, aid


def test_codes_are_known(sites, alliances, memberships, funding):
    assert set(sites["kind"]) <= {
        "general",
        "maternal_child",
        "tcm",
        "specialist",
        "primary",
        "other",
    }
    assert set(sites["tier"]) <= {"3A", "3", "2", "1", "unrated"}
    assert set(sites["ownership"]) <= {"public", "private"}
    assert set(alliances["form"]) <= {
        "city_group",
        "county_community",
        "specialist",
        "telemedicine",
    }
    assert set(alliances["scope"]) <= {"cross_province", "province", "city", "county"}
    assert set(memberships["role"]) <= {
        "lead",
        "chair",
        "standing",
        "council",
        "member",
    }
    assert set(funding["source"]) <= {"central", "provincial", "special_bond", "other"}


def test_dates_parse(alliances, memberships, figures):
    for column in (
        alliances["founded_on"],
        memberships["joined_on"],
        figures["as_of"],
        read("milestones.csv")["date"],
    ):
        parsed = pd.to_datetime(column, format="%Y-%m-%d")
        assert parsed.max() <= pd.Timestamp("2024-12-31")


def test_adcodes_are_six_digits(sites):
    assert sites["county_adcode"].str.fullmatch(r"\d{6}").all()


def test_adcodes_exist_in_regions(sites):
    if not REGIONS.exists():
        pytest.skip("data/boundaries/regions.csv not built yet")
    regions = pd.read_csv(REGIONS, dtype=str, keep_default_na=False)
    column = "adcode" if "adcode" in regions.columns else regions.columns[0]
    missing = set(sites["county_adcode"]) - set(regions[column])
    assert not missing


# ------------------------------------------------ 000 cross-province OB/GYN


def test_cross_province_alliance(sites, alliances, memberships):
    aid = alliance_id(alliances, "省会城市三级妇幼保健院(妇产科医院)联盟")
    row = alliances.set_index("alliance_id").loc[aid]
    assert row["scope"] == "cross_province"
    assert row["form"] == "specialist"
    assert row["founded_on"] == "2017-06-04"
    assert row["lead_site_id"] == site_id(sites, "复旦大学附属妇产科医院")
    assert "四个共享" in row["note"] and "平台" in row["note"]

    m = members_of(memberships, sites, aid)
    leads = set(m.loc[m["role"] == "lead", "name"])
    assert leads == {
        "复旦大学附属妇产科医院",
        "浙江大学医学院附属妇产科医院",
        "四川大学华西第二医院",
        "北京妇产医院",
    }
    lead_provinces = set(m.loc[m["role"] == "lead", "county_adcode"].str[:2])
    assert lead_provinces == {"31", "33", "51", "11"}

    members = m[m["role"] == "member"]
    assert set(members["county_adcode"].str[:2]) == {"43", "37", "65"}
    assert set(members["name"]) == {
        "株洲市妇幼保健院",
        "泰安市妇幼保健院",
        "新疆维吾尔自治区妇幼保健院",
    }


def test_fudan_city_alliance(alliances):
    aid = alliance_id(alliances, "复旦大学妇产科医疗联合体")
    row = alliances.set_index("alliance_id").loc[aid]
    assert row["founded_on"] == "2015-10-01"
    assert row["scope"] == "city"


# ------------------------------------------------------------- 001 Gansu


def test_gansu_council(sites, alliances, memberships):
    aid = alliance_id(alliances, "甘肃妇产科、儿科专科联盟")
    row = alliances.set_index("alliance_id").loc[aid]
    assert row["scope"] == "province"
    assert row["specialty"] == "妇产科、儿科"
    chair = site_id(sites, "甘肃省妇幼保健院")
    renhe = site_id(sites, "兰州仁和医院")
    assert row["lead_site_id"] == chair
    m = members_of(memberships, sites, aid)
    roles = dict(zip(m["site_id"], m["role"], strict=False))
    assert roles == {chair: "chair", renhe: "council"}
    assert sites.set_index("site_id").loc[renhe, "ownership"] == "private"
    assert sites.set_index("site_id").loc[chair, "county_adcode"] == "620103"
    for form in (
        "技术支持",
        "学科共建",
        "资源共享",
        "信息互通",
        "人员培训",
        "学术交流",
        "双向转诊",
        "远程会诊",
    ):
        assert form in row["note"]


# ------------------------------------------------------------ 002 Lishui


def test_lishui_x_1_9_x(sites, alliances, memberships):
    aid = alliance_id(alliances, "丽水市妇幼保健与计划生育服务联盟(医联体)")
    row = alliances.set_index("alliance_id").loc[aid]
    assert row["model"] == "X+1+9+X"
    assert row["scope"] == "city"
    assert row["founded_on"] == "2017-12-09"
    assert row["lead_site_id"] == site_id(sites, "丽水市妇幼保健院")
    assert "母子健康手册APP" in row["note"]

    m = members_of(memberships, sites, aid)
    others = m[m["site_id"] != row["lead_site_id"]]
    assert (others["role"] == "member").all()
    in_lishui = others[others["county_adcode"].str.startswith("3311")]
    upper = others[~others["county_adcode"].str.startswith("3311")]
    assert len(upper) == 5
    assert len(in_lishui) == 9
    assert in_lishui["county_adcode"].nunique() == 9
    assert (in_lishui["kind"] == "maternal_child").all()
    assert "浙江省医学学术交流管理中心" in set(upper["name"])


def test_zju_ob_hospital_is_one_site(sites, alliances, memberships):
    zju_ob = site_id(sites, "浙江大学医学院附属妇产科医院")
    lishui = alliance_id(alliances, "丽水市妇幼保健与计划生育服务联盟(医联体)")
    cross = alliance_id(alliances, "省会城市三级妇幼保健院(妇产科医院)联盟")
    with_it = set(memberships.loc[memberships["site_id"] == zju_ob, "alliance_id"])
    assert {lishui, cross} <= with_it


def test_lishui_expert_workstations():
    milestones = read("milestones.csv")
    text = " ".join(milestones["title"] + milestones["detail"])
    for expert in ("林振浪", "陈益平", "留佩甯", "董琳"):
        assert expert in text


# ------------------------------------------------------------ 003 Quzhou


def test_quzhou_five_verticals(sites, alliances):
    aid = alliance_id(alliances, "浙江大学衢州医联体改革示范区")
    row = alliances.set_index("alliance_id").loc[aid]
    assert row["founded_on"] == "2018-04-20"
    assert row["lead_site_id"] == site_id(sites, "浙江大学医学院附属第二医院")
    children = alliances[alliances["parent_alliance_id"] == aid]
    assert len(children) == 5
    assert set(children["name"]) == {
        "浙医一院衢州医联体",
        "浙医二院衢州医联体",
        "浙医邵院衢州医联体",
        "浙江大学-衢州妇幼医联体",
        "浙医口院衢州口腔医联体",
    }
    assert children["lead_site_id"].nunique() == 5


def test_quzhou_target_and_platforms(alliances, figures):
    aid = alliance_id(alliances, "浙江大学衢州医联体改革示范区")
    target = figures[
        (figures["alliance_id"] == aid) & (figures["figure"] == "county_visit_rate_target")
    ]
    assert target["value"].tolist() == ["90"]
    milestones = read("milestones.csv")
    detail = " ".join(milestones.loc[milestones["alliance_id"] == aid, "detail"])
    for platform in (
        "医改政策研究会",
        "培训教育基地",
        "公共健康管理中心",
        "大数据云平台",
        "优势医疗技术转化平台",
    ):
        assert platform in detail


# ------------------------------------------------------------ 004 Bengbu


def test_bengbu_figures(alliances, figures):
    aid = alliances.loc[alliances["model"] == "1+1+N", "alliance_id"]
    assert len(aid) == 1
    f = figures[figures["alliance_id"] == aid.iloc[0]].set_index("figure")
    assert f.loc["cooperating_departments", "value"] == "37"
    assert f.loc["executive_directors", "value"] == "18"
    assert f.loc["experts_signed", "value"] == "110"
    assert f.loc["experts_signed", "qualifier"] == "+"
    assert f.loc["experts_signed_from_lead", "value"] == "51"
    assert f.loc["graduates_recruited", "value"] == "280"
    assert f.loc["graduates_recruited", "qualifier"] == "+"
    assert f.loc["provincial_key_specialties", "value"] == "9"


def test_bengbu_lead_and_members(sites, alliances, memberships):
    aid = alliances.loc[alliances["model"] == "1+1+N", "alliance_id"].iloc[0]
    row = alliances.set_index("alliance_id").loc[aid]
    assert row["scope"] == "cross_province"
    assert row["lead_site_id"] == site_id(sites, "上海市第十人民医院")
    m = members_of(memberships, sites, aid)
    members = m[m["role"] == "member"]
    assert set(members["name"]) == {
        "蚌埠市第一人民医院",
        "蚌埠市第二人民医院",
        "蚌埠市第三人民医院",
    }
    assert members["county_adcode"].str.startswith("3403").all()


def test_bengbu_regional_centre_funding(sites, alliances, funding, figures):
    zju2 = site_id(sites, "浙江大学医学院附属第二医院")
    centre = alliances[
        (alliances["lead_site_id"] == zju2) & (alliances["scope"] == "cross_province")
    ]
    assert len(centre) == 1
    aid = centre["alliance_id"].iloc[0]
    money = funding[funding["alliance_id"] == aid]
    amounts = dict(zip(money["source"], money["amount_cny"].astype(int), strict=False))
    assert amounts == {
        "central": 200_000_000,
        "provincial": 140_000_000,
        "special_bond": 110_000_000,
    }
    assert set(money["year"]) == {"2023"}
    f = figures[figures["alliance_id"] == aid].set_index("figure")
    assert f.loc["staff_sent", "value"] == "50"
    assert f.loc["new_techniques", "value"] == "30"
    assert f.loc["operations", "value"] == "3000"
    assert set(f["qualifier"]) <= {"+", "~"}


def test_qualifiers_and_values(figures):
    assert set(figures["qualifier"]) <= {"", "+", "~"}
    assert (pd.to_numeric(figures["value"]) >= 0).all()
    assert not figures.duplicated(["alliance_id", "figure"]).any()
