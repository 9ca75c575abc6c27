"""Importing the kinds of cooperation beyond the four forms of 2017, parties that are no hospital
(a 卫健委 with its region), and dates with their precision: what an office writes, in Chinese or
English, is read as the articles' own rows are."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard import db, importer
from tests.test_importer import accepted, find, refused, rows_of, write_csv

SITES = ["site_id", "name", "kind", "tier", "ownership", "county_adcode", "lon", "lat"]
ALLIANCES = [
    "alliance_id", "name", "form", "specialty", "scope", "model", "founded_on", "lead_site_id",
    "parent_alliance_id", "note", "source", "founded_precision", "form_basis",
]  # fmt: skip
MEMBERS = ["alliance_id", "site_id", "role", "joined_on", "left_on", "source", "joined_precision"]


@pytest.fixture
def live(tiny_db, tmp_path) -> Path:
    path = tmp_path / "db" / "live.duckdb"
    path.parent.mkdir()
    shutil.copy(tiny_db, path)
    return path


def files(tmp_path: Path, sites: list, alliances: list, members: list) -> list[Path]:
    return [
        write_csv(tmp_path / "sites.csv", SITES, sites),
        write_csv(tmp_path / "alliances.csv", ALLIANCES, alliances),
        write_csv(tmp_path / "memberships.csv", MEMBERS, members),
    ]


def test_a_hospital_government_cooperation_with_its_commission_imports(live, tmp_path):
    """兰州市卫健委 (a party, its region the city 620100) with a hospital: 院府合作, its date
    not later than a day, the parties as 合作方; read back as codes, at the city's centre."""
    accepted(
        live,
        *files(
            tmp_path,
            [
                ["G-1", "兰州市卫健委", "卫健委", "未定级", "公立", "620100", "", ""],
                ["H-1", "兰州示范医院", "综合医院", "三级甲等", "公立", "620102", "", ""],
            ],
            [
                [
                    "C-1",
                    "兰州市卫健委—兰州示范医院院府合作",
                    "院府合作",
                    "",
                    "市级",
                    "1+1+N",
                    "2024-02-29",
                    "H-1",
                    "",
                    "",
                    "",
                    "不晚于",
                    "院府合作",
                ],
                [
                    "C-2",
                    "兰州两院对口帮扶",
                    "对口帮扶",
                    "",
                    "市级",
                    "",
                    "2023年5月1日",
                    "H-1",
                    "",
                    "",
                    "",
                    "到月",
                    "",
                ],
            ],  # fmt: skip
            [
                ["C-1", "G-1", "合作方", "2024-02-29", "", "", ""],
                ["C-1", "H-1", "party", "2024-02-29", "", "", ""],
                ["C-2", "H-1", "lead", "2023-05-01", "", "", "month"],
            ],
        ),
    )
    assert rows_of(live, "select alliance_id, form, founded_precision, form_basis from alliances "
                   "where alliance_id like 'C-%' order by 1") == [
        ("C-1", "hospital_government", "by", "院府合作"),
        ("C-2", "hospital_pair", "month", None),
    ]  # fmt: skip
    assert rows_of(live, "select role, joined_precision from memberships where alliance_id = "
                   "'C-1' order by site_id") == [("party", None), ("party", None)]  # fmt: skip
    ((kind, region, lon, lat),) = rows_of(
        live, "select kind, county_adcode, lon, lat from sites where site_id = 'G-1'"
    )
    centre = rows_of(live, "select lon, lat from regions where adcode = 620100")[0]
    assert (kind, region) == ("government", 620100)
    assert (lon, lat) == pytest.approx(centre)
    # the new kinds count apart from the four forms on the overview
    con = db.connect(live)
    try:
        tiles = db.run(con, "overview_tiles", {"year": 2025}).iloc[0]
    finally:
        con.close()
    assert tiles.other_kinds >= 2


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ("院院合作", "hospital_pair"),
        ("Hospital-to-hospital cooperation (pairing)", "hospital_pair"),
        ("国家区域医疗中心", "regional_centre"),
        ("regional_centre", "regional_centre"),
        ("改革示范区", "reform_zone"),
        ("协作单位网络", "partner_network"),
        ("专科联盟", "specialist"),  # the four old codes keep working
        ("city_group", "city_group"),
    ],
)
def test_every_kind_is_read_in_chinese_or_english(live, tmp_path, form, code):
    accepted(
        live,
        *files(
            tmp_path,
            [["H-1", "兰州示范医院", "general", "3A", "public", "620102", "", ""]],
            [["K-1", "示例合作", form, "", "city", "", "2020-01-01", "H-1", "", "", "", "", ""]],
            [["K-1", "H-1", "lead", "2020-01-01", "", "", ""]],
        ),
    )
    assert rows_of(live, "select form from alliances where alliance_id = 'K-1'") == [(code,)]


def test_a_hospital_is_placed_in_a_county_not_a_city(live, tmp_path):
    """Only a government party's region may be a city or a province."""
    checked = refused(
        live,
        write_csv(
            tmp_path / "sites.csv",
            SITES,
            [["H-9", "兰州某医院", "综合医院", "三级甲等", "公立", "620100", "", ""]],
        ),
    )
    assert [p.value for p in find(checked, "unknown_county")] == ["620100"]


def test_an_unknown_precision_is_refused(live, tmp_path):
    checked = refused(
        live,
        *files(
            tmp_path,
            [["H-1", "兰州示范医院", "general", "3A", "public", "620102", "", ""]],
            [
                [
                    "K-1",
                    "示例合作",
                    "专科联盟",
                    "",
                    "city",
                    "",
                    "2020-01-01",
                    "H-1",
                    "",
                    "",
                    "",
                    "大约",
                    "",
                ]
            ],  # fmt: skip
            [["K-1", "H-1", "lead", "2020-01-01", "", "", ""]],
        ),
    )
    assert [p.column for p in find(checked, "unknown_code")] == ["founded_precision"]


def test_the_template_offers_the_new_columns():
    assert {"founded_precision", "form_basis"} <= {c.name for c in importer.SPEC["alliances"]}
    assert "joined_precision" in {c.name for c in importer.SPEC["memberships"]}
