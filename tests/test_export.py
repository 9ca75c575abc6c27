"""Downloads and `python -m dashboard export`: what a spreadsheet shows when the file is opened."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dashboard import build, export, importer
from tests.hostile import DDE, HYPERLINK, hostile_data_dir

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    """The tiny database with formula-looking names on its real site and alliance."""
    base = tmp_path_factory.mktemp("hostile")
    return build.build(base / "hostile.duckdb", data_dir=hostile_data_dir(base / "data"))


def export_cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "export", *args, "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def read_csv(path_or_bytes) -> list[list]:
    """Rows as Excel reads them: quoted fields are text, bare ones numbers."""
    raw = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    text = raw.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), quoting=csv.QUOTE_NONNUMERIC))


SAMPLE = pd.DataFrame(
    {
        "名称": [HYPERLINK, DDE, "@SUM(A1:A9)", "+1+2", "-1+2", "\tTAB", "\rCR", "平常名称"],
        "数值": [1.5, 2, -3, 0, 4, 5, 6, 7],
        "日期": pd.to_datetime(["2017-06-04"] * 7 + [None]),
        "示例": [True, False, True, True, True, True, True, False],
        "限定": ["+", "-", "", "-3.5", "", "", "", ""],
    }
)


def test_csv_cells_that_would_run_get_an_apostrophe():
    rows = read_csv(export.csv_bytes(SAMPLE, "zh"))
    assert rows[0] == ["名称", "数值", "日期", "示例", "限定"]
    names = [r[0] for r in rows[1:]]
    assert names[:7] == ["'" + v for v in SAMPLE["名称"][:7]]
    assert names[7] == "平常名称"
    # numbers are bare (Excel reads numbers), dates ISO, 是/否, a lone sign or number stays
    assert [r[1] for r in rows[1:]] == [1.5, 2, -3, 0, 4, 5, 6, 7]
    assert rows[1][2] == "2017-06-04" and rows[8][2] == ""
    assert [r[3] for r in rows[1:3]] == ["是", "否"]
    assert [r[4] for r in rows[1:5]] == ["+", "-", "", "-3.5"]


def test_xlsx_text_is_text_numbers_numbers_dates_dates():
    data = export.xlsx_bytes({"县级指标": SAMPLE}, "zh")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # not one formula in the file
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["县级指标"]
    ws = wb["县级指标"]
    assert [c.value for c in ws[1]] == ["名称", "数值", "日期", "示例", "限定"]
    first = ws["A2"]
    assert (first.value, first.data_type, first.quotePrefix) == (HYPERLINK, "s", True)
    assert (ws["A3"].value, ws["A3"].data_type) == (DDE, "s")
    assert all(ws.cell(r, 1).data_type == "s" for r in range(2, 10))
    assert ws["A9"].quotePrefix is False  # an ordinary name is ordinary
    assert (ws["B2"].value, ws["B2"].data_type) == (1.5, "n")
    assert ws["C2"].is_date and ws["C2"].value == dt.datetime(2017, 6, 4)
    assert ws["C2"].number_format == "yyyy-mm-dd"
    assert ws["C9"].value is None
    assert ws["D2"].value == "是"
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width >= 20  # the widest name, not Excel's default 8.43


def test_dates_a_page_shows_as_text_are_dates_in_excel_and_the_same_text_in_csv():
    frame = pd.DataFrame({"加入日期": ["2017-06-04", ""], "月份": ["2024-03", "2024-04"]})
    ws = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes({"x": frame}))).active
    assert ws["A2"].is_date and ws["A2"].value == dt.datetime(2017, 6, 4)
    assert ws["A3"].value is None
    assert ws["B2"].is_date and ws["B2"].number_format == "yyyy-mm"
    rows = read_csv(export.csv_bytes(frame))
    assert rows[1:] == [["2017-06-04", "2024-03"], ["", "2024-04"]]


def test_unknown_sheet_characters_and_illegal_xml_characters_do_not_break_the_file():
    frame = pd.DataFrame({"a": ["x\x1by\x00z"]})
    wb = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes({"a/b:c" * 10: frame})))
    ws = wb.worksheets[0]
    assert ws.title == ("a_b_c" * 10)[:31]
    assert ws["A2"].value == "x\ufffdy\ufffdz"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cli_exports_every_table_as_the_data_page_does(hostile_db, tmp_path, lang):
    out = tmp_path / "all.xlsx"
    result = export_cli(hostile_db, "all", "--format", "xlsx", "--out", str(out), "--lang", lang)
    assert result.returncode == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    title = "医联体" if lang == "zh" else "Alliances"
    assert title in wb.sheetnames and len(wb.sheetnames) == len(export.EXPORTS)
    ws = wb[title]
    head = [c.value for c in ws[1]]
    row = {h: c for h, c in zip(head, ws[2], strict=True)}
    if lang == "zh":
        assert head[:3] == ["联盟编号", "联盟名称", "联盟形式"]
        assert (row["联盟名称"].value, row["联盟名称"].data_type) == (HYPERLINK, "s")
        assert row["联盟形式"].value == "专科联盟" and row["范围"].value == "跨省"
        assert row["示例数据"].value == "否"
        assert row["成立日期"].is_date
    else:
        assert row["Form"].value == "Specialist alliance" and row["Simulated"].value == "No"
    sites = wb["机构" if lang == "zh" else "Institutions"]
    assert sites["B2"].value == DDE and sites["B2"].data_type == "s"


def test_cli_csv_per_table_with_chinese_names(hostile_db, tmp_path):
    result = export_cli(hostile_db, "all", "--format", "csv", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "医联体_全表.csv" in names and "机构_全表.csv" in names
    assert len(names) == len(export.EXPORTS)  # distinct names, one per table
    rows = read_csv(tmp_path / "医联体_全表.csv")
    real = next(r for r in rows if r[0] == "R-A01")
    assert real[1] == "'" + HYPERLINK and real[2] == "专科联盟"
    sites = read_csv(tmp_path / "机构_全表.csv")
    assert next(r for r in sites if r[0] == "R-S001")[1] == "'" + DDE
    measures = read_csv(tmp_path / "县级报送数据（分子分母）_全表.csv")
    assert measures[0][:4] == ["县（区）行政区划代码", "年份", "报送项目", "数值"]
    assert isinstance(measures[1][0], float) and measures[1][2] == "常住人口"


def test_cli_one_table_to_a_file_and_a_missing_database(hostile_db, tmp_path):
    out = tmp_path / "x" / "sites.csv"
    assert export_cli(hostile_db, "sites", "--out", str(out), "--lang", "en").returncode == 0
    assert read_csv(out)[0][:3] == ["Site id", "Institution name", "Kind of institution"]
    missing = export_cli(tmp_path / "none.duckdb", "sites", "--out", str(out))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_chinese_download_imports_again(hostile_db, tmp_path, kind):
    """The headers and labels a download writes are the ones the importer reads: exported
    memberships go back in, the articles' rows left out with a warning, nothing refused."""
    live = tmp_path / "live.duckdb"
    shutil.copy(hostile_db, live)
    out = tmp_path / f"成员关系.{kind}"
    assert export_cli(live, "memberships", "--format", kind, "--out", str(out)).returncode == 0
    # as an office does: keep its own and the articles' rows, drop the simulated ones
    if kind == "csv":
        rows = read_csv(out)
        kept = [rows[0]] + [r for r in rows[1:] if r[rows[0].index("来源层")] != "示例数据"]
        with out.open("w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerows(kept)
    else:
        book = openpyxl.load_workbook(out)
        sheet = book.active
        origin = [c.value for c in sheet[1]].index("来源层")
        for r in range(sheet.max_row, 1, -1):
            if sheet.cell(r, origin + 1).value == "示例数据":
                sheet.delete_rows(r)
        book.save(out)
    checked = importer.check([out], live)
    refused = [p for p in checked.problems if p.severity == "error"]
    assert not refused, importer.report(checked)
    # the labels (牵头单位, dates, 来源层) were read; the articles' three rows are left out
    assert sum(p.rule == "built_in_kept" for p in checked.problems) == 3
