"""The five articles as an official reads them, on every surface: the built database, the alliance
page, the kiosk's 最新成立 slide and the briefing. One test per article checks its leads, parties,
members and tiers, kinds, dates as the article gives them, and every figure on its record; the
tests after them check the register's tags, search and places.

The page and the briefing read data/real/ built over the provinces it touches (the simulation
fills the rest, as in the shipped build); the kiosk reads one article's rows alone, so that its
twelve latest are that article's."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dashboard import db, export
from tests.articles import (
    assert_figures_on_their_record,
    briefing,
    briefing_facts,
    briefing_table,
    briefing_text,
    build_real,
    captions,
    facts_shown,
    kiosk_line,
    kiosk_lines,
    markdown,
    page,
    real,
)
from tests.conftest import run_app as run
from tests.helpers import figure, msg, table_with

PAGE = "pages/alliances.py"


@pytest.fixture(scope="module")
def real_db(tmp_path_factory):
    """data/real/ as shipped, over the real regions of the provinces its sites are in."""
    return build_real(tmp_path_factory.mktemp("articles"))


@pytest.fixture
def real_env(real_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(real_db))
    return real_db


@pytest.fixture(scope="module")
def article_db(tmp_path_factory):
    """article id -> a database of that article's rows alone, without the simulation."""
    made = {}

    def get(article: str):
        if article not in made:
            made[article] = build_real(tmp_path_factory.mktemp(article[-3:]), article, False)
        return made[article]

    return get


def rows(path, sql: str, params: dict | None = None) -> list[tuple]:
    con = db.connect(path)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def members_shown(at):
    return table_with(at, msg("alliances.col_joined")).set_index(msg("common.name"))


FOUNDED = msg("alliances.col_founded")
FORM = msg("common.form")
JOINED = msg("alliances.col_joined")
ROLE = msg("alliances.col_role")
LEADS_000 = [
    "复旦大学附属妇产科医院",
    "浙江大学医学院附属妇产科医院",
    "四川大学华西第二医院",
    "北京妇产医院",
]
PARTNERS_000 = {"株洲市妇幼保健院", "泰安市妇幼保健院", "新疆维吾尔自治区妇幼保健院"}
ZJU = [
    "浙江大学医学院附属第二医院",
    "浙江大学医学院附属第一医院",
    "浙江大学医学院附属妇产科医院",
    "浙江大学医学院附属邵逸夫医院",
    "浙江大学医学院附属口腔医院",
]


# ---------------------------------------------------------------- 000 澎湃新闻, 2017-06-04


def test_article_000_the_alliance_is_its_four_cofounders_and_the_partners_are_fudans(
    real_env, article_db, monkeypatch
):
    """The June 2017 alliance has its four co-founders; 株洲, 泰安 and 新疆 are 协作单位 of the
    Fudan hospital in its own network since 1995, linked to the alliance."""
    # the database
    assert rows(real_env, "select form, founded_on, founded_precision from alliances "
                "where alliance_id = 'R-A01'")[0][::2] == ("specialist", "month")  # fmt: skip
    assert rows(
        real_env,
        "select s.name, m.role from memberships m join sites s using (site_id) "
        "where alliance_id = 'R-A01' order by s.site_id",
    ) == [(name, "lead") for name in LEADS_000]
    network = rows(
        real_env,
        "select s.name, m.role, m.joined_on, m.joined_precision from memberships m "
        "join sites s using (site_id) where alliance_id = 'R-A16' order by s.site_id",
    )
    assert {r[0] for r in network if r[1] == "member"} == PARTNERS_000
    assert {(str(r[2]), r[3]) for r in network if r[1] == "member"} == {("2017-06-04", "by")}

    # the alliance's page: four co-leads, nobody else, founded in June 2017
    at = page("R-A01")
    facts = facts_shown(at)
    assert (facts[FORM], facts[FOUNDED], facts[msg("alliances.members_now")]) == (
        "专科联盟",
        "2017年6月",
        "4",
    )
    header = next(m for m in markdown(at).splitlines() if "牵头单位" in m)
    assert "4家共同牵头" in header and all(name in header for name in LEADS_000)
    members = members_shown(at)
    assert sorted(members.index) == sorted(LEADS_000)
    assert set(members[ROLE]) == {"牵头单位"} and set(members[JOINED]) == {"2017年6月"}
    assert not PARTNERS_000 & set(markdown(at).split())
    assert at.button(key="go_R-A16")  # the partners' own record, one click away
    assert any("全部 4 家成员单位同时加入（2017年6月）" in i.value for i in at.info)
    assert_figures_on_their_record(at, "R-A01")

    # the partners' network: since 1995, its partners "not later than" the article's day
    at = page("R-A16")
    facts = facts_shown(at)
    assert (facts[FORM], facts[FOUNDED]) == ("协作单位网络", "1995年")
    members = members_shown(at)
    assert members.loc["复旦大学附属妇产科医院", JOINED] == "1995年"
    partners = members.loc[sorted(PARTNERS_000)]
    assert set(partners[JOINED]) == {"不晚于2017年6月4日"}
    assert set(partners[msg("alliances.col_alliance_tier")]) == {"协作单位（文章举例）"}
    hover = [t for d in figure(at, "alliance_growth")["data"] for t in d.get("text", [])]
    assert hover == ["1995年", "不晚于2017年6月4日"]
    assert_figures_on_their_record(at, "R-A16")
    at = page("R-A02")
    assert facts_shown(at)[FOUNDED] == "2015年10月"

    # the kiosk: name · kind · province of the lead · the date as the article gives it
    assert kiosk_lines(article_db("article:000"), monkeypatch) == [
        kiosk_line("省会城市三级妇幼保健院(妇产科医院)联盟", "specialist", "上海市", "2017年6月"),
        kiosk_line("复旦大学妇产科医疗联合体", "specialist", "上海市", "2015年10月"),
        kiosk_line("复旦大学附属妇产科医院协作单位网络（“红会”）", "partner_network", "上海市", "1995年"),
    ]  # fmt: skip

    # the briefings
    b = briefing(real_env, "R-A01")
    facts = briefing_facts(b)
    assert facts[FOUNDED] == "2017年6月" and facts[FORM] == "专科联盟"
    assert facts["牵头单位（4家共同牵头）"] == "、".join(LEADS_000)
    listed = briefing_table(b, msg("alliances.members_title"))
    assert sorted(listed[msg("common.name")]) == sorted(LEADS_000)
    text = briefing_text(b)
    assert "新闻报道 1 条" in text and not any(name in text for name in PARTNERS_000)
    text = briefing_text(briefing(real_env, "R-A16"))
    assert "1995年" in text and "不晚于2017年6月4日" in text
    assert real("figures").query("alliance_id == 'R-A16'")["quote"].iloc[0] in text


# ---------------------------------------------------------------- 001 兰州日报, 2017-09-05


def test_article_001_gansu_council_founded_not_later_than_the_article(
    real_env, article_db, monkeypatch
):
    assert rows(real_env, "select form, founded_on, founded_precision from alliances "
                "where alliance_id = 'R-A03'")[0][::2] == ("specialist", "by")  # fmt: skip
    at = page("R-A03")
    facts = facts_shown(at)
    assert (facts[FORM], facts[FOUNDED]) == ("专科联盟", "不晚于2017年9月5日")
    members = members_shown(at)
    assert members[ROLE].to_dict() == {"甘肃省妇幼保健院": "理事长单位", "兰州仁和医院": "理事单位"}
    assert members.loc["兰州仁和医院", msg("alliances.col_ownership")] == "民营"
    assert set(members[JOINED]) == {"不晚于2017年9月5日"}
    badges = [m for m in markdown(at).splitlines() if "badge[" in m]
    assert sum(tag in m for m in badges for tag in ("技术支持", "双向转诊", "远程会诊")) == 3
    assert_figures_on_their_record(at, "R-A03")
    at = page("R-A03", lang="en")
    assert facts_shown(at)["Founded"] == "by 5 Sep 2017"

    assert kiosk_lines(article_db("article:001"), monkeypatch) == [
        kiosk_line("甘肃妇产科、儿科专科联盟", "specialist", "甘肃省", "不晚于2017年9月5日")
    ]
    assert kiosk_lines(article_db("article:001"), monkeypatch, "en") == [
        kiosk_line("甘肃妇产科、儿科专科联盟", "specialist", "Gansu", "by 5 Sep 2017", "en")
    ]
    b = briefing(real_env, "R-A03")
    assert briefing_facts(b)[FOUNDED] == "不晚于2017年9月5日"
    listed = briefing_table(b, msg("alliances.members_title"))
    assert set(listed[JOINED]) == {"不晚于2017年9月5日"}
    assert set(listed[ROLE]) == {"理事长单位", "理事单位"}
    assert "新闻报道 1 条" in briefing_text(b)
    b = briefing(real_env, "R-A03", "en")
    assert briefing_facts(b)["Founded"] == "by 5 Sep 2017"


# ---------------------------------------------------------------- 002 温医大附二院, 2017-12-12


def test_article_002_lishui_x_1_9_x_on_its_day(real_env, article_db, monkeypatch):
    assert rows(real_env, "select count(*) from memberships where alliance_id = 'R-A04'") == [(15,)]
    at = page("R-A04")
    facts = facts_shown(at)
    assert (facts[FORM], facts[FOUNDED], facts[msg("alliances.model")]) == (
        "专科联盟",
        "2017年12月9日",
        "X+1+9+X",
    )
    tiers = table_with(at, msg("alliances.col_stated_count"))
    names = tiers[msg("alliances.col_alliance_tier")].tolist()
    assert [n.split("（")[0] for n in names] == ["上联", "龙头", "下联", "底联"]
    assert tiers[msg("alliances.col_members")].tolist() == [5, 1, 9, 0]
    members = members_shown(at)
    assert members.loc["丽水市妇幼保健院", ROLE] == "牵头单位"
    counts = members[msg("alliances.col_alliance_tier")].str.split("（").str[0].value_counts()
    assert counts.to_dict() == {"下联": 9, "上联": 5, "龙头": 1}
    assert set(members[JOINED]) == {"2017年12月9日"}
    assert sum("专家工作站" in m for m in markdown(at).splitlines() if "badge[" in m) == 4
    assert_figures_on_their_record(at, "R-A04")

    assert kiosk_lines(article_db("article:002"), monkeypatch) == [
        kiosk_line("丽水市妇幼保健与计划生育服务联盟(医联体)", "specialist", "浙江省", "2017年12月9日")
    ]  # fmt: skip
    b = briefing(real_env, "R-A04")
    assert briefing_facts(b)[FOUNDED] == "2017年12月9日"
    text = briefing_text(b)
    assert "新闻报道 1 条" in text
    assert all(q in text for q in real("figures").query("alliance_id == 'R-A04'")["quote"])


# ---------------------------------------------------------------- 003 中新网, 2018-04-20


def test_article_003_quzhou_is_a_reform_zone_led_by_the_zju_hospitals(
    real_env, article_db, monkeypatch
):
    children = dict(rows(real_env, "select alliance_id, form from alliances "
                         "where parent_alliance_id = 'R-A05' order by 1"))  # fmt: skip
    assert children == {
        "R-A06": "hospital_pair",
        "R-A07": "hospital_pair",
        "R-A08": "hospital_pair",
        "R-A09": "specialist",
        "R-A10": "specialist",
    }
    at = page("R-A05")
    facts = facts_shown(at)
    assert (facts[FORM], facts[FOUNDED]) == ("改革示范区", "2018年4月20日")
    header = next(m for m in markdown(at).splitlines() if "牵头单位" in m)
    assert "5家共同牵头" in header and all(name in header for name in ZJU)
    assert "浙江大学衢州医联体改革示范区" in captions(at)  # the article's words for the kind
    for child in children:
        assert at.button(key=f"go_{child}")
    milestones = table_with(at, msg("alliances.col_event"))
    dates = dict(
        zip(
            milestones[msg("alliances.col_event")],
            milestones[msg("alliances.col_date")],
            strict=True,
        )
    )
    assert dates["浙医二院与衢州市第二人民医院缔结分院关系"] == "2010年9月"
    assert_figures_on_their_record(at, "R-A05")
    for child, label in (("R-A06", "院院合作（对口帮扶）"), ("R-A10", "专科联盟")):
        at = page(child)
        assert facts_shown(at)[FORM] == label and facts_shown(at)[FOUNDED] == "2018年4月20日"
        assert_figures_on_their_record(at, child)

    lines = kiosk_lines(article_db("article:003"), monkeypatch)
    assert sorted(lines) == sorted(
        kiosk_line(name, form, "浙江省", "2018年4月20日")
        for name, form in [
            ("浙江大学衢州医联体改革示范区", "reform_zone"),
            ("浙医一院衢州医联体", "hospital_pair"),
            ("浙医二院衢州医联体", "hospital_pair"),
            ("浙医邵院衢州医联体", "hospital_pair"),
            ("浙江大学-衢州妇幼医联体", "specialist"),
            ("浙医口院衢州口腔医联体", "specialist"),
        ]
    )
    b = briefing(real_env, "R-A05")
    facts = briefing_facts(b)
    assert facts[FORM] == "改革示范区" and facts[FOUNDED] == "2018年4月20日"
    named = facts["牵头单位（5家共同牵头）"].split("、")
    assert set(named) == set(ZJU) and named[0] == "浙江大学医学院附属第二医院"  # as the page
    text = briefing_text(b)
    assert "新闻报道 1 条" in text and "新闻报道 12 条" not in text
    milestones = briefing_table(b, msg("alliances.milestones_title"))
    assert "2010年9月" in set(milestones[msg("alliances.col_date")])
    assert "2010-09-01" not in text


# ---------------------------------------------------------------- 004 蚌埠市卫健委, 2024-02-29


def test_article_004_bengbu_kinds_parties_and_figures_on_their_records(
    real_env, article_db, monkeypatch
):
    forms = dict(rows(real_env, "select alliance_id, form from alliances where source = "
                      "'article:004' order by 1"))  # fmt: skip
    assert forms == {
        "R-A11": "hospital_government",
        "R-A12": "hospital_pair",
        "R-A13": "hospital_pair",
        "R-A14": "hospital_pair",
        "R-A15": "regional_centre",
        "R-A17": "area_programme",
        "R-A18": "regional_centre",
        "R-A19": "regional_centre",
    }
    assert rows(real_env, "select kind, county_adcode from sites where name = '蚌埠市卫健委'") == [
        ("government", 340300)
    ]
    # 1+1+N: 蚌埠市卫健委 with 上海十院, both parties; its own figures, none of the city's
    at = page("R-A11")
    facts = facts_shown(at)
    assert (facts[FORM], facts[FOUNDED]) == ("院府合作", "不晚于2024年2月29日")
    assert "合作各方（2方）**：蚌埠市卫健委、上海市第十人民医院" in markdown(at)
    members = members_shown(at)
    commission = members.loc["蚌埠市卫健委"]
    assert (commission[ROLE], commission[msg("alliances.col_kind")]) == ("合作方", "政府/卫健委")
    assert commission[msg("common.county")] == "蚌埠市"
    assert members.loc["上海市第十人民医院", ROLE] == "合作方"
    assert set(members[JOINED]) == {"不晚于2024年2月29日"}
    drawn = figure(at, "alliance_map")["data"]
    square = [d for d in drawn if d.get("marker", {}).get("symbol") == "square"]
    assert len(square) == 1 and square[0]["name"] == "政府/卫健委"
    assert "蚌埠市卫健委" in square[0]["text"][0]
    assert at.button(key="go_R-A17")
    assert_figures_on_their_record(at, "R-A11")
    # the city's programme holds the city-wide figures (280+ graduates, 110+ experts)
    at = page("R-A17")
    assert facts_shown(at)[FORM] == "区域合作（地方统筹）"
    assert_figures_on_their_record(at, "R-A17")
    for child in ("R-A11", "R-A12", "R-A13", "R-A14", "R-A15", "R-A18", "R-A19"):
        assert at.button(key=f"go_{child}")
    # the regional medical centres: 浙大二院安徽医院 with its money, 上海一院's approval
    at = page("R-A15")
    assert facts_shown(at)[FORM] == "区域医疗中心（项目）"
    assert facts_shown(at)[msg("alliances.funding_total")] == "4.5亿元"
    assert_figures_on_their_record(at, "R-A15")
    at = page("R-A18")
    milestones = table_with(at, msg("alliances.col_event"))
    assert milestones[msg("alliances.col_date")].tolist() == ["不晚于2024年2月29日"]
    assert "第五批国家区域医疗中心" in milestones[msg("alliances.col_event")].iloc[0]
    at = page("R-A13")
    assert facts_shown(at)[FORM] == "院院合作（对口帮扶）"
    assert set(members_shown(at)[ROLE]) == {"合作方"}

    lines = kiosk_lines(article_db("article:004"), monkeypatch)
    alliances = real("alliances").query("source == 'article:004'")
    leads = dict(zip(real("sites")["site_id"], real("sites")["county_adcode"], strict=True))
    province = {"31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省"}
    assert sorted(lines) == sorted(
        kiosk_line(a.name, a.form, province[leads[a.lead_site_id][:2]], "不晚于2024年2月29日")
        for a in alliances.itertuples()
    )
    b = briefing(real_env, "R-A11")
    facts = briefing_facts(b)
    assert facts["合作各方（2方）"] == "蚌埠市卫健委、上海市第十人民医院"
    assert facts[FOUNDED] == "不晚于2024年2月29日" and facts[FORM] == "院府合作"
    listed = briefing_table(b, msg("alliances.members_title")).set_index(msg("common.name"))
    assert listed.loc["蚌埠市卫健委", msg("alliances.col_kind")] == "政府/卫健委"
    text = briefing_text(b)
    assert "37" in text and "280" not in text and "新闻报道 1 条" in text
    text = briefing_text(briefing(real_env, "R-A17"))
    assert "280+" in text and "110+" in text


# ---------------------------------------------------------------- the register and places


def register_ids(at) -> list[str]:
    return table_with(at, msg("alliances.col_data"))[msg("alliances.col_id")].tolist()


def test_the_register_offers_every_kind_and_shows_the_parties(real_env):
    at = run(page=PAGE, form="hospital_government", real="1")
    assert not at.exception
    assert register_ids(at) == ["R-A11"]
    table = table_with(at, msg("alliances.col_data"))
    assert table[msg("alliances.col_lead_parties")].tolist() == ["蚌埠市卫健委、上海市第十人民医院"]
    assert table[msg("alliances.col_founded")].tolist() == ["不晚于2024年2月29日"]
    offered = at.selectbox(key="form").options
    for label in (
        "院府合作",
        "院院合作（对口帮扶）",
        "区域医疗中心（项目）",
        "改革示范区",
        "协作单位网络",
    ):
        assert label in offered


def test_the_register_sorts_and_filters_by_the_dates_underneath(real_env):
    """The founding column shows 2017年6月 or 不晚于2017年9月5日, and is sorted, filtered and
    downloaded by the dates (a year filter finds the 1995 network)."""
    at = run(page=PAGE, real="1", years="1995-2016")
    assert sorted(register_ids(at)) == ["R-A02", "R-A16"]
    raw = next(d for d in at.dataframe if msg("alliances.col_id") in d.value.columns).value
    founded = raw[msg("alliances.col_founded")]  # dates underneath the text: sorted as dates
    assert founded.map(lambda d: isinstance(d, dt.date)).all()
    assert sorted(founded) == [dt.date(1995, 1, 1), dt.date(2015, 10, 1)]


def test_tag_filter_in_the_register(real_env):
    at = run(page=PAGE, tag="远程会诊")
    assert not at.exception
    assert register_ids(at) == ["R-A03"]
    assert at.selectbox(key="tag").value == "远程会诊"
    at = run(page=PAGE, tag="专家共享")
    assert sorted(register_ids(at)) == ["R-A01", "R-A03"]
    at.selectbox(key="tag").set_value("").run()
    assert len(register_ids(at)) > 2 and at.query_params.get("tag", "") == ""


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("蚌埠", {"R-A11", "R-A12", "R-A13", "R-A14", "R-A15", "R-A17", "R-A18", "R-A19"}),
        ("衢州", {"R-A05", "R-A07"}),
        ("株洲", {"R-A16"}),
    ],
)
def test_a_place_name_finds_every_alliance_there(real_env, q, expected):
    at = run(page=PAGE, q=q, real="1")
    assert not at.exception
    assert expected <= set(register_ids(at))
    if q == "株洲":  # the partner is Fudan's, not the 2017 alliance's
        assert "R-A01" not in register_ids(at)


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


def test_province_page_shows_one_city_and_its_alliances_dates(real_env):
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
    listed = table_with(at, msg("province.founded")).set_index(msg("common.name"))
    assert listed.loc["浙江大学衢州医联体改革示范区", msg("province.founded")] == "2018年4月20日"
    at.selectbox(key="city").set_value(0).run()
    assert "city" not in at.query_params or at.query_params["city"] == "0"


def test_a_government_party_is_in_its_provinces_scope(real_db):
    """An official of Anhui (or of 蚌埠市) sees 蚌埠市卫健委 as a party; one of Shanghai does not
    see it, though Shanghai's 十院 is in the same record."""
    con = db.connect(real_db)
    try:
        for regions, seen in (([340000], True), ([340300], True), ([310000], False)):
            members = db.run(con, "alliance_members", {"alliance": "R-A11", "regions": regions})
            assert ("蚌埠市卫健委" in set(members["name"])) is seen, regions
    finally:
        con.close()


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


def test_the_data_pages_download_carries_each_date_with_its_precision(real_db):
    """The whole alliances table as the Data page writes it: each date beside how exact it is,
    in words (到月, 不晚于…), so that a download read again keeps what the article gives."""
    con = db.connect(real_db)
    try:
        frame = export.table_frame(lambda name: db.run(con, name, {}), "alliances", "zh")
    finally:
        con.close()
    rows = frame.set_index(msg("import.col.alliances.alliance_id"))
    precision = rows[msg("import.col.alliances.founded_precision")]
    assert precision["R-A01"] == msg("precision.month")
    assert precision["R-A03"] == msg("precision.by")
    assert precision["R-A16"] == msg("precision.year")
    assert rows.loc["R-A11", msg("import.col.alliances.form")] == "院府合作"
