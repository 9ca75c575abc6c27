"""Importing an office's files: every accepted form, every refusal, publishing and the Data page.

Each test imports into its own copy of the tiny fixture database (tests/conftest.py). A refusal
test names the row (as Excel shows it, header = row 1), the column and the rule it expects, and
checks that the database file keeps its bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dashboard import db, i18n, importer
from tests.conftest import run_app
from tests.helpers import metrics

TODAY = dt.date.today()


# ---------------------------------------------------------------- helpers


@pytest.fixture
def live(tiny_db, tmp_path) -> Path:
    """A copy of the tiny database that an import may replace."""
    path = tmp_path / "db" / "live.duckdb"
    path.parent.mkdir()
    shutil.copy(tiny_db, path)
    return path


def rows_of(path: Path, sql: str) -> list[tuple]:
    con = db.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def export(path: Path, table: str) -> pd.DataFrame:
    """A table of the database as an office would keep it (text cells, no provenance columns)."""
    con = db.connect(path)
    try:
        frame = con.execute(f"select * from {table}").df()
    finally:
        con.close()
    # the provenance columns, and the articles' own columns (a date's precision, the words of
    # the article): optional, and not in the files these tests write
    frame = frame.drop(
        columns=[
            "simulated",
            "origin",
            "batch_id",
            "founded_precision",
            "date_precision",
            "joined_precision",
            "form_basis",
            "quote",
        ],
        errors="ignore",
    )
    return frame.astype(object).where(frame.notna(), "").astype(str)


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_frame(path: Path, frame: pd.DataFrame, encoding: str = "utf-8") -> Path:
    return write_csv(path, list(frame.columns), frame.values.tolist(), encoding)


def write_xlsx(path: Path, header: list[str], rows: list[list], formats: dict | None = None):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    book.save(path)
    return path


def accepted(live: Path, *files: Path) -> importer.Checked:
    checked, published = importer.import_files(files, live)
    assert published, importer.report(checked)
    return checked


def refused(live: Path, *files: Path, **options) -> importer.Checked:
    """Import that must be refused: nothing published, the database keeps its bytes."""
    before = live.read_bytes()
    checked, published = importer.import_files(files, live, **options)
    assert not published
    assert not checked.ok
    assert live.read_bytes() == before
    assert not list(live.parent.glob(".live.duckdb.import-*"))
    assert not (live.parent / "backups").exists()
    return checked


def find(checked: importer.Checked, rule: str) -> list[importer.Problem]:
    return [p for p in checked.problems if p.rule == rule]


def one(checked: importer.Checked, rule: str, row: int | None, column: str) -> importer.Problem:
    """The problem of this rule, at this row and column (it must exist)."""
    hits = [p for p in find(checked, rule) if p.row == row and p.column == column]
    assert hits, f"no {rule} at row {row}, {column}:\n{importer.report(checked)}"
    problem = hits[0]
    assert problem.rule_zh and problem.rule_en and problem.rule_zh != problem.rule_en
    return problem


MILESTONES = ["alliance_id", "date", "title", "detail", "source"]
METRICS = ["county_adcode", "year", "metric", "value", "source"]
ACTIVITIES = ["alliance_id", "month", "kind", "from_site_id", "to_site_id", "count"]


# ---------------------------------------------------------------- accepted forms


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_every_text_encoding_reads_alike_with_traditional_names(live, tmp_path, encoding):
    title = "聯盟成立大會：醫療資源共享"  # traditional characters, as an article wrote them
    path = write_csv(
        tmp_path / "milestones.csv",
        MILESTONES,
        [["R-A01", "2017-06-04", title, "測試", "article:900"]],
        encoding,
    )
    accepted(live, path)
    office = "select alliance_id, date, title, detail from milestones where origin = 'office'"
    assert rows_of(live, office) == [("R-A01", dt.date(2017, 6, 4), title, "測試")]


def test_gb18030_characters_outside_gbk(live, tmp_path):
    title = "𠮷野家医院联盟成立"  # a 4-byte GB18030 character, not in GBK
    path = write_csv(
        tmp_path / "milestones.csv", MILESTONES, [["R-A01", "2017-06-04", title, "", ""]], "gb18030"
    )
    accepted(live, path)
    assert rows_of(live, "select title from milestones where origin = 'office'") == [(title,)]


def test_dates_in_every_written_form(live, tmp_path):
    path = write_csv(
        tmp_path / "milestones.csv",
        MILESTONES,
        [
            ["R-A01", "2017-06-04", "a", "", ""],
            ["R-A01", "2017/6/4", "b", "", ""],
            ["R-A01", "2017年6月4日", "c", "", ""],
            ["R-A01", "2017.6.4", "d", "", ""],
            ["R-A01", "2017/6/4 0:00:00", "e", "", ""],
        ],
    )
    accepted(live, path)
    dates = {d for (d,) in rows_of(live, "select date from milestones where origin = 'office'")}
    assert dates == {dt.date(2017, 6, 4)}


def test_excel_date_cells_and_month_forms(live, tmp_path):
    path = write_xlsx(
        tmp_path / "activities.xlsx",
        ACTIVITIES,
        [
            ["R-A01", "2024-03", "下转", "", "", 5],
            ["R-A01", "2024/4", "referral_down", None, None, 6],
            ["R-A01", "2024年5月", "Referrals down", None, None, 7.0],
            ["R-A01", dt.datetime(2024, 6, 1), "上转", "R-S002", "R-S001", "8"],
        ],
    )
    accepted(live, path)
    got = rows_of(
        live,
        "select month, kind, from_site_id, count from activities where origin = 'office' "
        "order by month",
    )
    assert got == [
        (dt.date(2024, 3, 1), "referral_down", None, 5),
        (dt.date(2024, 4, 1), "referral_down", None, 6),
        (dt.date(2024, 5, 1), "referral_down", None, 7),
        (dt.date(2024, 6, 1), "referral_up", "R-S002", 8),
    ]


def test_percentages_as_number_percent_sign_and_excel_percent_cell(live, tmp_path):
    path = write_xlsx(
        tmp_path / "county_metrics.xlsx",
        METRICS,
        [
            [330822, 2023, "county_visit_rate", 87.5, "县卫健局"],
            ["330822", "2022", "县域内就诊率", "87.5%", "县卫健局"],
            [330802, 2023, "County visit rate", 0.875, "县卫健局"],  # cell formatted as 0.0%
            [330802, 2023, "referral_down", "1,200", "县卫健局"],
        ],
        formats={"D4": "0.0%"},
    )
    accepted(live, path)
    got = rows_of(
        live,
        "select county_adcode, year, metric, value, simulated from county_metrics order by all",
    )
    assert got == [
        (330802, 2023, "county_visit_rate", 87.5, False),
        (330802, 2023, "referral_down", 1200.0, False),
        (330822, 2022, "county_visit_rate", 87.5, False),
        (330822, 2023, "county_visit_rate", 87.5, False),
    ]


def test_rates_written_as_fractions_are_read_as_percentages_with_a_warning(live, tmp_path):
    path = write_csv(
        tmp_path / "county_metrics.csv",
        METRICS,
        [
            ["330822", "2023", "county_visit_rate", "0.875", ""],
            ["330802", "2023", "county_visit_rate", "0.9", ""],
            ["330802", "2023", "referral_down", "0.5", ""],  # a count: left as written
        ],
    )
    checked = accepted(live, path)
    assert rows_of(live, "select value from county_metrics order by all") == [
        (0.5,),
        (87.5,),
        (90.0,),
    ]
    warning = one(checked, "fraction_rate", None, "value")
    assert warning.severity == "warning" and warning.value == "county_visit_rate"


def test_chinese_codes_english_codes_labels_and_stray_spaces(live, tmp_path):
    sites = export(live, "sites")
    original = sites[["site_id", "kind", "tier", "ownership"]].copy()
    # Every other row written the way a Chinese office writes it, with stray spaces.
    zh = sites.index % 2 == 0
    for col, group in (("kind", "kind"), ("tier", "tier"), ("ownership", "ownership")):
        sites.loc[zh, col] = [f" {i18n.code_label(group, c)}\u3000" for c in sites.loc[zh, col]]
    sites.loc[~zh, "kind"] = sites.loc[~zh, "kind"].str.upper()
    sites["site_id"] = "  " + sites["site_id"] + " "
    demo = sites.index[~sites["site_id"].str.contains("R-")][0]
    sites.loc[demo, "name"] = "黃浦婦產科醫院"
    accepted(live, write_frame(tmp_path / "sites.csv", sites, "gb18030"))
    got = pd.DataFrame(
        rows_of(live, "select site_id, kind, tier, ownership from sites"), columns=original.columns
    )
    pd.testing.assert_frame_equal(
        got.sort_values("site_id").reset_index(drop=True),
        original.sort_values("site_id").reset_index(drop=True),
        check_dtype=False,
    )
    renamed = sites.loc[demo, "site_id"].strip()
    assert rows_of(live, f"select name, origin from sites where site_id = '{renamed}'") == [
        ("黃浦婦產科醫院", "office")
    ]


@pytest.mark.parametrize(("table", "column"), sorted(importer.CODE_GROUPS))
def test_every_code_is_accepted_in_chinese_and_english(table, column):
    """The Chinese labels come from the message catalogue, the codes from the schema's CHECKs."""
    codes = importer.allowed_codes()[(table, column)]
    mapping = importer.code_map(table, column)
    group = importer.CODE_GROUPS[(table, column)]
    for code in codes:
        assert mapping[importer._fold(code)] == code
        assert mapping[importer._fold(i18n.code_label(group, code, "zh"))] == code
        assert i18n.code_label(group, code, "zh") != code  # every code has a Chinese label


def test_chinese_headers_and_file_name_do_not_matter(live, tmp_path):
    header = ["联盟编号", "日期", "事件", "详情", "来源"]
    path = write_csv(
        tmp_path / "大事记 2024.csv", header, [["R-A01", "2024-01-02", "年会", "", ""]]
    )
    checked = accepted(live, path)
    assert checked.files[0].table == "milestones"
    assert rows_of(live, "select title, source from milestones where origin = 'office'") == [
        ("年会", "import:大事记 2024.csv")
    ]
    assert one(checked, "default_source", None, "source").severity == "warning"


def test_county_name_instead_of_adcode_and_county_centre_for_missing_coordinates(live, tmp_path):
    sites = export(live, "sites")
    sites = sites[~sites["site_id"].str.startswith("R-")].reset_index(drop=True)
    sites.loc[1, "county_adcode"] = "常山县"
    sites = sites.drop(columns=["lon", "lat", "source"])
    checked = accepted(live, write_frame(tmp_path / "sites.csv", sites))
    sid = sites.loc[1, "site_id"]
    assert rows_of(
        live, f"select county_adcode, lon, lat, source from sites where site_id = '{sid}'"
    ) == [(330822, 118.3, 28.9, "import:sites.csv")]
    assert one(checked, "county_by_name", 3, "county_adcode").severity == "warning"
    assert find(checked, "centroid")


def test_tables_not_given_stay_as_they_are(live, tmp_path):
    before = {
        t: rows_of(live, f"select count(*) from {t}")[0][0]
        for t in ("sites", "alliances", "memberships", "activities", "regions")
    }
    accepted(
        live,
        write_csv(
            tmp_path / "milestones.csv", MILESTONES, [["R-A01", "2017-06-04", "成立", "", ""]]
        ),
    )
    after = {t: rows_of(live, f"select count(*) from {t}")[0][0] for t in before}
    assert after == before
    assert rows_of(live, "select count(*) from milestones where origin = 'office'") == [(1,)]


def test_whole_register_of_several_tables_is_checked_across_files(live, tmp_path):
    """New sites and a new alliance, referenced by memberships in another file of the set."""
    sites = export(live, "sites")
    sites.loc[len(sites)] = [
        "R-S101",
        "新成员医院",
        "general",
        "2",
        "public",
        "620103",
        "",
        "",
        "",
        "",
    ]
    alliances = export(live, "alliances")
    alliances.loc[len(alliances)] = [
        "R-A02",
        "新联盟",
        "专科联盟",
        "",
        "省级",
        "",
        "2020-01-01",
        "R-S101",
        "",
        "",
        "",
    ]
    members = export(live, "memberships")
    members.loc[len(members)] = ["R-A02", "R-S101", "牵头单位", "2020-01-01", "", ""]
    folder = tmp_path / "office"
    folder.mkdir()
    write_frame(folder / "sites.csv", sites, "gb18030")
    write_frame(folder / "alliances.csv", alliances)
    write_frame(folder / "memberships.csv", members, "utf-8-sig")
    accepted(live, folder)
    assert rows_of(
        live, "select form, scope, lead_site_id from alliances where alliance_id = 'R-A02'"
    ) == [("specialist", "province", "R-S101")]


# ---------------------------------------------------------------- refusals


def test_duplicate_id_is_refused(live, tmp_path):
    sites = export(live, "sites")
    sites = pd.concat([sites, sites.iloc[[1]]], ignore_index=True)
    checked = refused(live, write_frame(tmp_path / "sites.csv", sites))
    problem = one(checked, "duplicate_id", len(sites) + 1, "site_id")
    assert problem.value == sites.iloc[1]["site_id"] and "3" in problem.rule_zh  # first on row 3


def test_duplicate_key_of_several_columns_is_refused(live, tmp_path):
    path = write_csv(
        tmp_path / "county_metrics.csv",
        METRICS,
        [
            ["330822", "2023", "county_visit_rate", "80", ""],
            ["330822", "2023", "县域内就诊率", "81", ""],
        ],
    )
    one(refused(live, path), "duplicate_key", 3, "metric")


def test_unknown_code_is_refused_with_the_allowed_codes(live, tmp_path):
    alliances = export(live, "alliances")
    alliances.loc[4, "form"] = "专科联明"
    checked = refused(live, write_frame(tmp_path / "alliances.csv", alliances))
    problem = one(checked, "unknown_code", 6, "form")
    assert problem.value == "专科联明"
    assert "专科联盟" in problem.rule_zh and "specialist" in problem.rule_en


def test_unknown_county_adcode_is_refused_with_the_nearest_names(live, tmp_path):
    path = write_csv(
        tmp_path / "county_metrics.csv",
        METRICS,
        [
            ["330822", "2023", "county_visit_rate", "80", ""],
            ["330899", "2023", "county_visit_rate", "80", ""],
            ["常山", "2023", "county_visit_rate", "80", ""],
        ],
    )
    checked = refused(live, path)
    problem = one(checked, "unknown_county", 3, "county_adcode")
    assert problem.value == "330899"
    assert "330822 常山县" in problem.rule_zh and "330802 柯城区" in problem.rule_en
    assert "330822 常山县" in one(checked, "unknown_county", 4, "county_adcode").rule_zh


def test_references_to_ids_that_do_not_exist_are_refused(live, tmp_path):
    members = export(live, "memberships")
    members.loc[len(members)] = ["R-A01", "R-S999", "member", "2018-01-01", "", ""]
    members.loc[len(members)] = ["A999999", "R-S001", "member", "2018-01-01", "", ""]
    checked = refused(live, write_frame(tmp_path / "memberships.csv", members))
    one(checked, "unknown_site", len(members), "site_id")
    one(checked, "unknown_alliance", len(members) + 1, "alliance_id")


def test_ids_still_used_by_tables_not_given_are_refused(live, tmp_path):
    """A later sites file without an office site keeps it (updates by key); replacing the
    province's sites cannot drop one an office membership still uses."""
    sites = export(live, "sites")
    sites.loc[len(sites)] = ["S-101", "新成员医院", "general", "2", "public", "620103"] + [""] * 4
    members = export(live, "memberships")
    members.loc[len(members)] = ["R-A01", "S-101", "member", "2020-01-01", "", ""]
    folder = tmp_path / "first"
    folder.mkdir()
    accepted(
        live,
        write_frame(folder / "sites.csv", sites),
        write_frame(folder / "memberships.csv", members),
    )
    sites = sites[sites["site_id"] != "S-101"]
    shutil.rmtree(live.parent / "backups")
    accepted(live, write_frame(tmp_path / "sites.csv", sites))
    assert rows_of(live, "select name from sites where site_id = 'S-101'") == [("新成员医院",)]
    shutil.rmtree(live.parent / "backups")
    gansu = sites[sites["county_adcode"].astype(str).str.startswith("62")]
    replace = importer.plan.Scope(620000, replace=True)
    checked = refused(live, write_frame(tmp_path / "sites.csv", gansu), scope=replace)
    problem = one(checked, "still_referenced", None, "site_id")
    assert problem.value == "S-101" and "memberships" in problem.rule_en


def test_built_in_rows_of_a_file_are_kept_as_they_are(live, tmp_path):
    """A file that drops or changes an article's row leaves that row as the article has it."""
    sites = export(live, "sites")
    sites = sites[sites["site_id"] != "R-S003"]
    sites.loc[sites["site_id"] == "R-S001", "name"] = "改名医院"
    checked = accepted(live, write_frame(tmp_path / "sites.csv", sites))
    assert rows_of(live, "select name, origin from sites where site_id like 'R-%' order by 1") == [
        ("兰州仁和医院", "article"),
        ("常山县妇幼保健院", "article"),
        ("黄浦妇产科医院", "article"),
    ]
    kept = find(checked, "built_in_kept")
    assert {p.value for p in kept} == {"R-S001", "R-S002"} and kept[0].severity == "warning"


def test_lead_that_is_not_a_member_is_refused(live, tmp_path):
    alliances = export(live, "alliances")
    alliances.loc[len(alliances)] = [
        "A-1", "新联盟", "专科联盟", "", "省级", "", "2020-01-01", "R-S002", "", "", ""
    ]  # fmt: skip
    row = len(alliances) + 1  # as Excel numbers it, header = 1
    members = export(live, "memberships")
    members.loc[len(members)] = ["A-1", "R-S001", "lead", "2020-01-01", "", ""]
    checked = refused(
        live,
        write_frame(tmp_path / "alliances.csv", alliances),
        write_frame(tmp_path / "memberships.csv", members),
    )
    one(checked, "lead_not_member", row, "lead_site_id")


@pytest.mark.parametrize("value", ["120", "-5%", "100.5%"])
def test_rate_outside_0_to_100_is_refused(live, tmp_path, value):
    path = write_csv(
        tmp_path / "county_metrics.csv",
        METRICS,
        [
            ["330822", "2022", "county_visit_rate", "99", ""],
            ["330822", "2023", "county_visit_rate", value, ""],
        ],
    )
    assert one(refused(live, path), "rate_range", 3, "value").value == value


@pytest.mark.parametrize(
    ("name", "header", "row", "column"),
    [
        ("activities.csv", ACTIVITIES, ["R-A01", "2024-01", "training", "", "", "-3"], "count"),
        (
            "funding.csv",
            ["alliance_id", "year", "source", "amount_cny"],
            ["R-A01", "2023", "中央预算内", "-1亿"],
            "amount_cny",
        ),
        ("county_metrics.csv", METRICS, ["330822", "2023", "referral_down", "-1", ""], "value"),
    ],
)
def test_negative_counts_are_refused(live, tmp_path, name, header, row, column):
    checked = refused(live, write_csv(tmp_path / name, header, [row]))
    one(checked, "negative", 2, column)


@pytest.mark.parametrize(
    ("name", "header", "row", "column"),
    [
        ("milestones.csv", MILESTONES, ["R-A01", "2099年1月1日", "未来", "", ""], "date"),
        ("activities.csv", ACTIVITIES, ["R-A01", "2099-01", "training", "", "", "3"], "month"),
        ("county_metrics.csv", METRICS, ["330822", "2099", "county_visit_rate", "80", ""], "year"),
    ],
)
def test_future_dates_are_refused(live, tmp_path, name, header, row, column):
    problem = one(
        refused(live, write_csv(tmp_path / name, header, [row])), "future_date", 2, column
    )
    assert str(TODAY) in problem.rule_zh


def test_missing_required_values_are_refused(live, tmp_path):
    path = write_csv(
        tmp_path / "milestones.csv",
        MILESTONES,
        [
            ["R-A01", "2017-06-04", "成立", "", ""],
            ["R-A01", "2018-06-04", "  ", "", ""],
            ["", "2019-06-04", "年会", "", ""],
        ],
    )
    checked = refused(live, path)
    assert one(checked, "required", 3, "title").value == ""
    one(checked, "required", 4, "alliance_id")


def test_a_file_whose_columns_match_no_table_is_refused(live, tmp_path):
    path = write_csv(
        tmp_path / "会议纪要.csv", ["联盟编号", "会议", "人数"], [["R-A01", "年会", "30"]]
    )
    checked = refused(live, path)
    problem = one(checked, "no_table", 1, "")
    assert "milestones" in problem.rule_en or "funding" in problem.rule_en
    assert checked.files[0].table is None


def test_a_missing_required_column_names_the_table_and_the_column(live, tmp_path):
    path = write_csv(
        tmp_path / "sites.csv",
        ["site_id", "name", "kind", "ownership", "county_adcode"],
        [["R-S001", "甲", "其他", "公立", "310101"]],
    )
    problem = one(refused(live, path), "no_table", 1, "")
    assert "sites" in problem.rule_en and "tier" in problem.rule_en


@pytest.mark.parametrize(
    ("value", "rule"),
    [("2017-13-45", "not_a_date"), ("六月四日", "not_a_date"), ("2017-02-30", "not_a_date")],
)
def test_dates_that_are_not_dates_are_refused(live, tmp_path, value, rule):
    path = write_csv(tmp_path / "milestones.csv", MILESTONES, [["R-A01", value, "x", "", ""]])
    assert one(refused(live, path), rule, 2, "date").value == value


def test_unknown_metric_and_wrong_numbers_are_refused(live, tmp_path):
    path = write_csv(
        tmp_path / "county_metrics.csv",
        METRICS,
        [
            ["330822", "2023", "门诊量", "80", ""],
            ["330822", "2022", "county_visit_rate", "八十", ""],
            ["330822", "二〇二一", "county_visit_rate", "80", ""],
            ["330822", "2021", "referral_down", "5%", ""],
        ],
    )
    checked = refused(live, path)
    assert "county_visit_rate" in one(checked, "unknown_metric", 2, "metric").rule_zh
    one(checked, "not_a_number", 3, "value")
    one(checked, "not_a_year", 4, "year")
    one(checked, "percent_not_allowed", 5, "value")


def test_every_problem_in_one_report(live, tmp_path):
    path = write_csv(
        tmp_path / "milestones.csv",
        MILESTONES,
        [
            ["R-A01", "2017-06-04", "ok", "", ""],
            ["R-A99", "2017-06-04", "unknown alliance", "", ""],
            ["R-A01", "2099-01-01", "future", "", ""],
            ["R-A01", "2017-06-04", "", "", ""],
            ["R-A01", "2017-06-04", "unknown article", "", "article:999"],
        ],
    )
    bad_csv = write_csv(
        tmp_path / "county_metrics.csv",
        METRICS,
        [["330822", "2023", "county_visit_rate", "150", ""]],
        "gb18030",
    )
    checked = refused(live, path, bad_csv)
    assert checked.errors == 5
    one(checked, "unknown_alliance", 3, "alliance_id")
    one(checked, "future_date", 4, "date")
    one(checked, "required", 5, "title")
    one(checked, "unknown_article", 6, "source")
    one(checked, "rate_range", 2, "value")
    text = importer.report(checked)
    for needle in (
        "milestones.csv",
        "county_metrics.csv",
        "第 3 行 row 3",
        "第 6 行 row 6",
        "“R-A99”",
        "“150”",
        "5 个错误",
        "数据库未改动",
        "database was not changed",
    ):
        assert needle in text


def test_long_lists_of_one_problem_are_counted_not_all_listed(live, tmp_path):
    rows = [["R-A01", f"2024-{m:02d}", "培训人次", "", "", "-1"] for m in range(1, 13)]
    rows += [
        ["R-A01", f"{y}-{m:02d}", "培训人次", "", "", "-1"]
        for y in range(2018, 2023)
        for m in range(1, 13)
    ]
    checked = refused(live, write_csv(tmp_path / "activities.csv", ACTIVITIES, rows))
    assert checked.errors == len(rows)
    assert len(find(checked, "negative")) == importer.MAX_LISTED
    more = one(checked, "more", None, "count")
    assert str(len(rows) - importer.MAX_LISTED) in more.rule_zh


def test_more_cells_than_the_header_is_refused(live, tmp_path):
    path = tmp_path / "milestones.csv"
    path.write_text(
        "alliance_id,date,title,detail,source\nR-A01,2017-06-04,a,,\nR-A01,2017-06-04,b,,,多余\n",
        encoding="utf-8",
    )
    one(refused(live, path), "ragged", 3, "")


@pytest.mark.parametrize(
    ("name", "content", "rule"),
    [
        ("sites.csv", b"\x80\x81\xff\xfe\x00garbage\xff", "encoding"),
        ("sites.xls", b"\xd0\xcf\x11\xe0 old excel", "format"),
        ("sites.xlsx", b"PK\x03\x04 not really a zip", "unreadable"),
    ],
)
def test_unreadable_files_are_refused(live, tmp_path, name, content, rule):
    path = tmp_path / name
    path.write_bytes(content)
    checked = refused(live, path)
    one(checked, rule, None, "")
    assert checked.unreadable


def test_a_path_that_does_not_exist_is_refused(live, tmp_path):
    checked = refused(live, tmp_path / "nope")
    assert find(checked, "not_found") and checked.unreadable


def test_two_files_for_one_table_are_refused(live, tmp_path):
    a = write_csv(tmp_path / "a.csv", MILESTONES, [["R-A01", "2017-06-04", "a", "", ""]])
    b = write_xlsx(tmp_path / "b.xlsx", MILESTONES, [["R-A01", "2017-06-04", "b", "", ""]])
    problem = one(refused(live, a, b), "same_table", None, "")
    assert problem.file == "b.xlsx" and "a.csv" in problem.rule_zh


# ---------------------------------------------------------------- publishing


def test_import_keeps_a_dated_backup_and_records_itself(live, tmp_path):
    before = live.read_bytes()
    path = write_csv(
        tmp_path / "county_metrics.csv",
        METRICS,
        [["330822", "2023", "county_visit_rate", "0.875", ""]],
    )
    accepted(live, path)
    backups = list((live.parent / "backups").glob("live-*.duckdb"))
    assert len(backups) == 1 and backups[0].read_bytes() == before
    con = db.connect(live)
    last = db.run(con, "import_last", {"regions": [100000]}).iloc[0]
    assert last["files"] == "county_metrics.csv" and last["n_warnings"] >= 1
    tables = db.run(con, "import_last_tables", {"regions": [100000]})
    assert tables.to_dict("records") == [{"table_name": "county_metrics", "rows": 1}]
    warnings = db.run(con, "import_last_warnings", {"regions": [100000]})
    assert "fraction_rate" in set(warnings["rule"])
    assert set(warnings.columns) >= {"file", "row", "column_name", "value", "rule_zh", "rule_en"}
    # A second import keeps the first one's record.
    accepted(
        live,
        write_csv(
            tmp_path / "milestones.csv", MILESTONES, [["R-A01", "2017-06-04", "成立", "", ""]]
        ),
    )
    assert rows_of(live, "select count(*) from imports") == [(2,)]
    assert (
        db.connect(live)
        .execute("select files from imports order by imported_at desc, files limit 1")
        .fetchall()
    )
    assert len(list((live.parent / "backups").glob("live-*.duckdb"))) == 2


def test_imported_database_still_satisfies_the_contract(live, tmp_path):
    accepted(
        live,
        write_csv(
            tmp_path / "milestones.csv", MILESTONES, [["R-A01", "2017-06-04", "成立", "", ""]]
        ),
    )
    con = db.connect(live)
    assert db.run(con, "contract/violations", {"today": TODAY}).empty
    assert db.run(con, "import_available")["available"].iloc[0]


def test_a_fresh_build_has_an_empty_imports_table(tiny_db):
    con = db.connect(tiny_db)
    assert db.run(con, "import_available")["available"].iloc[0]
    assert db.run(con, "import_last", {"regions": [100000]}).empty
    assert db.run(con, "import_last_tables", {"regions": [100000]}).empty
    assert db.run(con, "import_last_warnings", {"regions": [100000]}).empty


def test_a_reader_of_the_old_file_keeps_reading_it(live, tmp_path):
    reader = db.connect(live)
    old = reader.execute("select count(*) from milestones").fetchall()
    accepted(
        live,
        write_csv(
            tmp_path / "milestones.csv", MILESTONES, [["R-A01", "2017-06-04", "成立", "", ""]]
        ),
    )
    assert reader.execute("select count(*) from milestones").fetchall() == old
    assert rows_of(live, "select count(*) from milestones where origin = 'office'") == [(1,)]


def test_running_app_sees_the_new_data_without_a_restart(live, tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(live))
    at = run_app(page="pages/data.py")
    assert not at.exception and not at.error
    counts = at.dataframe[1].value.set_index(at.dataframe[1].value.columns[0])
    assert counts.loc["县级报送数据（分子分母）"].iloc[0] == 6 * 11 * 28
    assert any("尚未导入" in c.value for c in at.caption)
    accepted(
        live,
        write_csv(
            tmp_path / "county_metrics.csv",
            METRICS,
            [
                ["330822", "2023", "county_visit_rate", "0.875", ""],
                ["330802", "2023", "county_visit_rate", "0.9", ""],
            ],
        ),
    )
    at.run()
    assert not at.exception and not at.error
    counts = at.dataframe[1].value.set_index(at.dataframe[1].value.columns[0])
    assert counts.loc["县级比率（无分母）"].iloc[0] == 2
    assert counts.loc["县级比率（无分母）"].iloc[-1] == 0.0  # imported rows are real
    # the demo's measures gave way in Zhejiang, where the rates are: no simulated term is
    # mixed under the real rates; the other provinces keep theirs
    assert counts.loc["县级报送数据（分子分母）"].iloc[0] == 4 * 11 * 28
    assert "最近一次导入" in [s.value for s in at.subheader]
    assert any("county\\_metrics\\.csv" in c.value for c in at.caption)
    rule = i18n.text("data.import_rule", "zh")
    warnings = next(d.value for d in at.dataframe if rule in d.value.columns)
    assert "value" in warnings.iloc[:, 2].tolist()


def test_data_page_shows_the_last_import_in_english(live, tmp_path, monkeypatch):
    accepted(
        live,
        write_csv(
            tmp_path / "county_metrics.csv",
            METRICS,
            [["330822", "2023", "county_visit_rate", "0.875", ""]],
        ),
    )
    monkeypatch.setenv("DASHBOARD_DB", str(live))
    at = run_app(page="pages/data.py", lang="en")
    assert not at.exception and not at.error
    assert "Last import" in [s.value for s in at.subheader]
    facts = metrics(at)
    assert facts["Files"] == "1" and facts["Warnings"] == "2"  # fraction, source
    rule = i18n.text("data.import_rule", "en")
    rules = next(d.value for d in at.dataframe if rule in d.value.columns)[rule].tolist()
    assert any("multiplied by 100" in r for r in rules)
    assert at.download_button(key="templates_zip")


def test_data_page_without_an_imports_table(tmp_path, live, monkeypatch):
    """A database built before imports existed still shows the page."""
    import duckdb

    old = tmp_path / "old.duckdb"
    shutil.copy(live, old)
    con = duckdb.connect(str(old))
    con.execute("drop table imports").fetchall()
    con.close()
    monkeypatch.setenv("DASHBOARD_DB", str(old))
    at = run_app(page="pages/data.py")
    assert not at.exception and not at.error
    assert any("尚未导入" in c.value for c in at.caption)


# ---------------------------------------------------------------- templates


def test_templates_for_every_table_read_back_as_their_table(tmp_path, live):
    written = importer.write_templates(tmp_path / "tpl")
    names = {p.name for p in written}
    for table in importer.TABLES:
        assert {f"{table}.csv", f"{table}.xlsx"} <= names
        raw = (tmp_path / "tpl" / f"{table}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
        assert raw[3:].decode().strip().split(",") == [c.name for c in importer.SPEC[table]]
        book = openpyxl.load_workbook(tmp_path / "tpl" / f"{table}.xlsx")
        assert [c.value for c in book.worksheets[0][1]] == [c.name for c in importer.SPEC[table]]
        readme = [[c.value for c in row] for row in book.worksheets[1].iter_rows()]
        zh_names = {row[1] for row in readme if row and len(row) > 1}
        for col in importer.SPEC[table]:
            assert i18n.text(f"import.col.{table}.{col.name}", "zh") in zh_names
        checked = importer.check([tmp_path / "tpl" / f"{table}.xlsx"], live)
        assert checked.files[0].table == table
    readme = (tmp_path / "tpl" / "README.txt").read_text(encoding="utf-8-sig")
    assert "县域内就诊率" not in readme or "county_visit_rate" in readme
    assert "专科联盟" in readme and "specialist" in readme


def test_a_filled_in_excel_template_imports(tmp_path, live):
    importer.write_templates(tmp_path / "tpl")
    path = tmp_path / "tpl" / "milestones.xlsx"
    book = openpyxl.load_workbook(path)
    book.worksheets[0].append(["R-A01", "2017年6月4日", "联盟年会", "", "article:900"])
    book.save(path)
    accepted(live, path)
    office = "select date, title, source from milestones where origin = 'office'"
    assert rows_of(live, office) == [(dt.date(2017, 6, 4), "联盟年会", "article:900")]


def test_templates_zip_has_every_file():
    with zipfile.ZipFile(io.BytesIO(importer.templates_zip())) as archive:
        names = {Path(n).name for n in archive.namelist()}
    assert "README.txt" in names
    assert {f"{t}.csv" for t in importer.TABLES} <= names
