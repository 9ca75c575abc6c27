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
    "alliances.csv": "alliance_id,name,form,specialty,scope,model,founded_on,founded_precision,"
    "lead_site_id,parent_alliance_id,note,form_basis,source",
    "memberships.csv": "alliance_id,site_id,role,joined_on,joined_precision,left_on,source",
    "funding.csv": "alliance_id,year,source,amount_cny,quote,reference",
    "milestones.csv": "alliance_id,date,date_precision,title,detail,source",
    "figures.csv": "alliance_id,figure,value,qualifier,unit,as_of,label_zh,label_en,quote,source",
    "articles.csv": "article_id,title,publisher,published_on,file",
    "alliance_tags.csv": "alliance_id,kind,tag_zh,tag_en,source",
    "alliance_tiers.csv": "alliance_id,tier,position,name_zh,name_en,stated_count,detail_zh,"
    "detail_en,source",
    "member_tiers.csv": "alliance_id,site_id,tier,source",
    "alliance_areas.csv": "alliance_id,adcode,basis,note_zh,note_en,source",
    "alliance_links.csv": "alliance_id,related_id,relation,note_zh,note_en,source",
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
        "government",
    }
    assert set(sites["tier"]) <= {"3A", "3", "2", "1", "unrated"}
    assert set(sites["ownership"]) <= {"public", "private"}
    assert set(alliances["form"]) <= {
        "city_group",
        "county_community",
        "specialist",
        "telemedicine",
        "hospital_government",
        "hospital_pair",
        "regional_centre",
        "reform_zone",
        "partner_network",
        "area_programme",
    }
    assert set(alliances["scope"]) <= {"cross_province", "province", "city", "county"}
    assert set(memberships["role"]) <= {
        "lead",
        "chair",
        "standing",
        "council",
        "member",
        "party",
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
    level = dict(zip(regions["adcode"], regions["level"], strict=True))
    for code, kind in zip(sites["county_adcode"], sites["kind"], strict=True):
        # a hospital sits in a county; a government party's region may be a city or province
        assert level.get(code) in (
            {"county"} if kind != "government" else {"county", "city", "province"}
        )


# ------------------------------------------------ 000 cross-province OB/GYN


def test_cross_province_alliance(sites, alliances, memberships):
    aid = alliance_id(alliances, "省会城市三级妇幼保健院(妇产科医院)联盟")
    row = alliances.set_index("alliance_id").loc[aid]
    assert row["scope"] == "cross_province"
    assert row["form"] == "specialist"
    assert (row["founded_on"], row["founded_precision"]) == ("2017-06-01", "month")
    assert row["lead_site_id"] == site_id(sites, "复旦大学附属妇产科医院")

    # Its four co-founders, and no one else: the article names no other member.
    m = members_of(memberships, sites, aid)
    assert set(m["role"]) == {"lead"}
    assert set(m["name"]) == {
        "复旦大学附属妇产科医院",
        "浙江大学医学院附属妇产科医院",
        "四川大学华西第二医院",
        "北京妇产医院",
    }
    assert set(m["county_adcode"].str[:2]) == {"31", "33", "51", "11"}


def test_fudan_partners_are_its_own_network_since_1995(sites, alliances, memberships):
    """株洲, 泰安 and 新疆 are 协作单位 of the Fudan hospital (its 红会, since 1995), not members
    of the 2017 alliance; the network is its own record, linked to the alliance."""
    network = alliances[alliances["form"] == "partner_network"]
    assert len(network) == 1
    row = network.iloc[0]
    assert row["lead_site_id"] == site_id(sites, "复旦大学附属妇产科医院")
    assert (row["founded_on"], row["founded_precision"]) == ("1995-01-01", "year")
    m = members_of(memberships, sites, row["alliance_id"])
    partners = m[m["role"] == "member"]
    assert set(partners["name"]) == {
        "株洲市妇幼保健院",
        "泰安市妇幼保健院",
        "新疆维吾尔自治区妇幼保健院",
    }
    assert set(partners["county_adcode"].str[:2]) == {"43", "37", "65"}
    # when each became a partner the article does not say: not later than its date
    assert set(zip(partners["joined_on"], partners["joined_precision"], strict=True)) == {
        ("2017-06-04", "by")
    }
    links = read("alliance_links.csv")
    cross = alliance_id(alliances, "省会城市三级妇幼保健院(妇产科医院)联盟")
    pairs = set(zip(links["alliance_id"], links["related_id"], strict=True))
    assert (cross, row["alliance_id"]) in pairs or (row["alliance_id"], cross) in pairs


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


# ------------------------------------------------------------ 002 Lishui


def test_lishui_x_1_9_x(sites, alliances, memberships):
    aid = alliance_id(alliances, "丽水市妇幼保健与计划生育服务联盟(医联体)")
    row = alliances.set_index("alliance_id").loc[aid]
    assert row["model"] == "X+1+9+X"
    assert row["scope"] == "city"
    assert row["founded_on"] == "2017-12-09"
    assert row["lead_site_id"] == site_id(sites, "丽水市妇幼保健院")

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


def test_bengbu_figures_sit_on_their_records(alliances, figures):
    """The 1+1+N cooperation holds what the article says of it (37 departments, 18 directors,
    9 key specialties); the city's talent figures sit on the city's programme."""
    aid = alliances.loc[alliances["model"] == "1+1+N", "alliance_id"]
    assert len(aid) == 1
    f = figures[figures["alliance_id"] == aid.iloc[0]].set_index("figure")
    assert f["value"].to_dict() == {
        "cooperating_departments": "37",
        "executive_directors": "18",
        "provincial_key_specialties": "9",
    }
    city = alliances[alliances["form"] == "area_programme"]
    assert len(city) == 1
    f = figures[figures["alliance_id"] == city["alliance_id"].iloc[0]].set_index("figure")
    assert f.loc["experts_signed", ["value", "qualifier"]].tolist() == ["110", "+"]
    assert f.loc["experts_signed_shanghai_tenth", "value"] == "51"
    assert f.loc["graduates_recruited", ["value", "qualifier"]].tolist() == ["280", "+"]


def test_bengbu_parties_and_members(sites, alliances, memberships):
    aid = alliances.loc[alliances["model"] == "1+1+N", "alliance_id"].iloc[0]
    row = alliances.set_index("alliance_id").loc[aid]
    assert (row["form"], row["scope"]) == ("hospital_government", "cross_province")
    assert row["lead_site_id"] == site_id(sites, "上海市第十人民医院")
    m = members_of(memberships, sites, aid)
    parties = m[m["role"] == "party"]
    assert set(parties["name"]) == {"蚌埠市卫健委", "上海市第十人民医院"}
    commission = parties[parties["name"] == "蚌埠市卫健委"].iloc[0]
    assert (commission["kind"], commission["county_adcode"]) == ("government", "340300")
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


# ------------------------------------- the structure the articles tell, against their text

SOURCES = ROOT.parent / "shared" / "sources"
PRECISIONS = {"day", "month", "year", "by"}
# The few traditional characters of articles 002 and 004 that the structured rows quote.
T2S = str.maketrans(
    "兒專陳醫術務學設養長療項辦執億臺個縣級餘冊點發門診轉區劃內為與會聯體計劃婦產幼師員"
    "區與國際們協進開當關係時間問題應實現歷後機構規範寧鼓樓東預統籌資債"
    "還舉儀麗幹職參啓動亞業達請擔來膚獲臨國爾濱連優碩簽約過駐補這鏈屬階隊帶頭懷遠",
    "儿专陈医术务学设养长疗项办执亿台个县级余册点发门诊转区划内为与会联体计划妇产幼师员"
    "区与国际们协进开当关系时间问题应实现历后机构规范宁鼓楼东预统筹资债"
    "还举仪丽干职参启动亚业达请担来肤获临国尔滨连优硕签约过驻补这链属阶队带头怀远",
)
PINYIN = r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü ]+\)"
# Article 004 came through a wrong encoding in two words: 專科建設 and 專科 read as these.
REPAIRS = {"??平ㄔO": "专科建设", "???": "专科"}


def plain_text(text: str) -> str:
    """An article's text as the rows quote it: pinyin annotations dropped, the garbled words
    repaired, quoted characters simplified, full-width punctuation as ASCII (NFKC)."""
    import re
    import unicodedata

    text = re.sub(PINYIN, "", text)
    for garbled, word in REPAIRS.items():
        text = text.replace(garbled, word)
    return unicodedata.normalize("NFKC", text.translate(T2S))


@pytest.fixture(scope="module")
def article_text():
    """article_id -> its text as plain_text makes it."""
    if not SOURCES.is_dir():
        pytest.skip("the source articles are not beside the project")
    articles = read("articles.csv")
    return {
        aid: plain_text((SOURCES / file).read_text(encoding="utf-8"))
        for aid, file in zip(articles["article_id"], articles["file"], strict=True)
    }


def quoted(quote: str, text: str) -> bool:
    """The quote is in the text, word for word (…… marks words left out)."""
    parts = plain_text(quote).split("......")
    return all(part and part in text for part in parts)


# The words of the articles that make a record one kind of cooperation or another. A record's
# form_basis (the article's words it is labelled by) must hold one of its form's words.
FORM_WORDS = {
    "city_group": ("城市医疗集团", "医疗集团"),
    "county_community": ("县域医共体", "医共体", "医疗共同体"),
    # an alliance of one specialty (the 2017 专科联盟), named by it: 妇产科, 妇幼, 口腔
    "specialist": ("专科联盟", "妇产科", "妇幼", "口腔"),
    "telemedicine": ("远程医疗协作网",),
    "hospital_government": ("院府合作",),
    # a hospital with hospitals: 院院合作, 对口帮扶, a branch (分院), or a 纵向医联体 that one
    # university hospital leads with the local hospitals (衢州's 五纵)
    "hospital_pair": ("院院合作", "对口帮扶", "分院", "纵向医联体"),
    "regional_centre": ("区域医疗中心",),
    "reform_zone": ("改革示范区",),
    "partner_network": ("协作单位",),
    "area_programme": ("区域医疗全面合作",),
}


def test_every_record_is_the_kind_its_article_says(alliances, article_text):
    """A record labelled with a form its article does not support fails here: its basis must be
    the article's own words and hold a word of that form (院府合作 is no 城市医疗集团)."""
    assert set(FORM_WORDS) >= set(alliances["form"])
    for row in alliances.itertuples():
        assert row.form_basis, row.alliance_id
        assert quoted(row.form_basis, article_text[row.source]), row.alliance_id
        words = FORM_WORDS[row.form]
        assert any(w in plain_text(row.form_basis) for w in words), (row.alliance_id, row.form)


def test_every_figure_and_amount_has_its_sentence(article_text):
    """Every stated figure and every amount carries the article's sentence it comes from, and
    the number is in that sentence."""
    for row in read("figures.csv").itertuples():
        assert quoted(row.quote, article_text[row.source]), (row.alliance_id, row.figure)
        assert f"{float(row.value):g}" in plain_text(row.quote), (row.alliance_id, row.figure)
    for row in read("funding.csv").itertuples():
        assert quoted(row.quote, article_text[row.reference]), (row.alliance_id, row.source)
        yi = f"{int(row.amount_cny) / 1e8:g}亿元"
        assert yi in plain_text(row.quote), (row.alliance_id, row.source, yi)


def tags_of(aid, kind):
    tags = read("alliance_tags.csv")
    return tags.loc[(tags["alliance_id"] == aid) & (tags["kind"] == kind), "tag_zh"].tolist()


def test_structured_rows_name_their_article_and_alliance(alliances, sites, memberships):
    ids = set(alliances["alliance_id"])
    for name in ("alliance_tags", "alliance_tiers", "member_tiers", "alliance_areas"):
        frame = read(f"{name}.csv")
        assert set(frame["source"]) <= ARTICLES, name
        assert set(frame["alliance_id"]) <= ids, name
        sources = dict(zip(alliances["alliance_id"], alliances["source"], strict=True))
        assert (frame["alliance_id"].map(sources) == frame["source"]).all(), name
    links = read("alliance_links.csv")
    assert set(links["related_id"]) <= ids and set(links["alliance_id"]) <= ids
    placed = read("member_tiers.csv")
    pairs = set(zip(memberships["alliance_id"], memberships["site_id"], strict=True))
    assert set(zip(placed["alliance_id"], placed["site_id"], strict=True)) <= pairs
    tiers = read("alliance_tiers.csv")
    declared = set(zip(tiers["alliance_id"], tiers["tier"], strict=True))
    assert set(zip(placed["alliance_id"], placed["tier"], strict=True)) <= declared
    tags = read("alliance_tags.csv")
    assert not tags.duplicated(["alliance_id", "tag_zh"]).any()
    assert (tags["tag_en"] != "").all() and (tiers["name_en"] != "").all()


def test_dates_carry_their_precision(alliances, memberships, article_text):
    articles = read("articles.csv").set_index("article_id")["published_on"]
    milestones = read("milestones.csv")
    # a membership's own precision, where it is not the founding's (the 红会 partners: "by")
    own = memberships[memberships["joined_precision"] != ""]
    assert len(own)
    for frame, date, precision in (
        (alliances, "founded_on", "founded_precision"),
        (milestones, "date", "date_precision"),
        (own, "joined_on", "joined_precision"),
    ):
        assert set(frame[precision]) <= PRECISIONS
        day = pd.to_datetime(frame[date])
        assert (day[frame[precision] == "year"].dt.strftime("%m-%d") == "01-01").all()
        assert (day[frame[precision] == "month"].dt.day == 1).all()
        # "by": the article gives no date, so its own publication date stands in.
        by = frame[frame[precision] == "by"]
        assert (by[date] == by["source"].map(articles)).all()
    # The year-only and month-only facts the issue named read as such.
    dated = dict(zip(milestones["date"], milestones["date_precision"], strict=True))
    assert dated["1995-01-01"] == "year" and dated["2010-09-01"] == "month"
    assert dated["2022-01-01"] == "year"
    assert "1995年" in article_text["article:000"] and "2010年9月" in article_text["article:003"]
    assert "2022年" in article_text["article:004"]
    # A member who joined at the founding joined when it was founded, as exactly as that.
    founded = alliances.set_index("alliance_id")["founded_on"]
    inherit = memberships[memberships["joined_precision"] == ""]
    assert (inherit["joined_on"] == inherit["alliance_id"].map(founded)).all()


def test_notes_speak_plain_language(alliances):
    import re

    field = re.compile(r"[a-z]+_[a-z_]+|\bfunding\b|founded|lead_site")
    texts = [*alliances["note"], *read("milestones.csv")["detail"]]
    for name in ("alliance_tiers", "alliance_areas", "alliance_links"):
        frame = read(f"{name}.csv")
        texts += [*frame.filter(regex="detail_zh|note_zh").fillna("").stack()]
    offenders = [t for t in texts if field.search(t)]
    assert not offenders


def test_every_stated_number_is_in_its_article(article_text):
    figures = read("figures.csv")
    for row in figures.itertuples():
        value = f"{float(row.value):g}"
        assert value in article_text[row.source], (row.alliance_id, row.figure, value)
    text = article_text["article:004"]
    for stated in ("2亿元中央预算内投资", "1.4亿元省统筹基建资金", "1.1亿元专项债"):
        assert stated in text.replace("和", "")


def test_r_a01_four_leads_platforms_and_shares(article_text, memberships):
    text = article_text["article:000"]
    platforms = tags_of("R-A01", "platform")
    assert len(platforms) == 4 and all(p in text for p in platforms)
    assert tags_of("R-A01", "share") == ["专家共享", "临床共享", "科研共享", "教学共享"]
    assert all(s in text for s in tags_of("R-A01", "share"))
    founders = read("member_tiers.csv").query("alliance_id == 'R-A01' and tier == 'founder'")
    leads = memberships.query("alliance_id == 'R-A01' and role == 'lead'")
    assert set(founders["site_id"]) == set(leads["site_id"]) and len(leads) == 4
    assert "共同发起" in text


def test_gansu_eight_forms_are_tags(article_text):
    text = article_text["article:001"]
    forms = tags_of("R-A03", "form")
    assert forms == ["技术支持", "学科共建", "资源共享", "信息互通"] + [
        "人员培训",
        "学术交流",
        "双向转诊",
        "远程会诊",
    ]
    assert all(f in text for f in forms)
    assert len(tags_of("R-A03", "platform")) == 4 and len(tags_of("R-A03", "share")) == 4
    assert "三大平移" in text and len(tags_of("R-A03", "transfer")) == 3


def test_lishui_tiers_tell_x_1_9_x_apart(article_text, sites):
    text = article_text["article:002"]
    tiers = read("alliance_tiers.csv").query("alliance_id == 'R-A04'").set_index("tier")
    assert tiers.index.tolist() == ["upper", "lead", "county", "app"]
    assert tiers["stated_count"].tolist() == ["5", "1", "9", ""]
    assert "等5家省、市级" in text and "与9个县" in text
    assert "母子健康手册APP" in tiers.loc["app", "detail_zh"] and "母子健康手册APP" in text
    placed = read("member_tiers.csv").query("alliance_id == 'R-A04'")
    where = placed.merge(sites, on="site_id", suffixes=("", "_grade"))
    by_tier = where.groupby("tier")["county_adcode"].apply(list)
    assert len(by_tier["upper"]) == 5 and not any(c.startswith("3311") for c in by_tier["upper"])
    assert len(by_tier["county"]) == 9 and len(set(by_tier["county"])) == 9
    assert all(c.startswith("3311") for c in by_tier["county"])
    assert "app" not in by_tier  # the app is no institution
    workstations = tags_of("R-A04", "workstation")
    assert len(workstations) == 4 and all(w in text for w in workstations)


def test_quzhou_six_counties_and_five_plus_five(article_text, alliances):
    text = article_text["article:003"]
    areas = read("alliance_areas.csv").query("alliance_id == 'R-A05'")
    regions = pd.read_csv(REGIONS, dtype=str, keep_default_na=False)
    quzhou = set(regions.loc[regions["parent_adcode"] == "330800", "adcode"])
    assert set(areas["adcode"]) == quzhou and len(quzhou) == 6
    assert "6个县市区" in text
    verticals = tags_of("R-A05", "vertical")
    children = alliances.loc[alliances["parent_alliance_id"] == "R-A05", "name"]
    assert set(verticals) == set(children) and all(v in text for v in verticals)
    platforms = tags_of("R-A05", "platform")
    assert len(platforms) == 5 and all(p in text for p in platforms)


def test_bengbu_records_sit_under_the_city_programme_and_centres_hold_the_money(
    alliances, funding, article_text
):
    city = alliances.loc[alliances["form"] == "area_programme", "alliance_id"].iloc[0]
    under = alliances[alliances["parent_alliance_id"] == city]
    assert sorted(under["form"]) == [
        "hospital_government",
        "hospital_pair",
        "hospital_pair",
        "hospital_pair",
        "regional_centre",
        "regional_centre",
        "regional_centre",
    ]
    centres = set(under.loc[under["form"] == "regional_centre", "alliance_id"])
    assert set(funding["alliance_id"]) <= centres
    text = article_text["article:004"]
    assert (
        "浙大二院安徽医院" in text
        and "上海一院蚌埠医院" in text
        and "市三院省级区域医疗中心" in text
    )
    assert all(f in text for f in tags_of("R-A11", "form"))
