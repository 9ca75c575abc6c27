"""The data office's ordinary mistakes on the command line (issue 23): each leaves every row
outside the file's keys as it was, or is refused with a message naming the cause and the
database unchanged. Updates by key; deletions only with --replace, a declared scope, a count
printed first and a confirmation."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from dashboard import db, provenance
from dashboard.__main__ import main

SITES = ["site_id", "name", "kind", "tier", "ownership", "county_adcode"]
MEASURES = ["county_adcode", "year", "measure", "value", "source"]


@pytest.fixture
def live(tiny_db, tmp_path) -> Path:
    path = tmp_path / "db" / "live.duckdb"
    path.parent.mkdir()
    shutil.copy(tiny_db, path)
    return path


def write(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def q(path: Path, sql: str, params: dict | None = None) -> list[tuple]:
    con = db.connect(path)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def rows_by_origin(path: Path) -> dict[tuple[str, str, int], int]:
    """(table, origin, province) -> rows, for every data table."""
    out = {}
    for table in provenance.CLEAR_ORDER:
        sql = f"select origin, {provenance.province_sql(table)} as p, count(*) from {table} group by all"  # noqa: S608
        for origin, p, n in q(path, sql):
            out[(table, origin, p)] = n
    return out


def zhejiang_sites(tmp_path: Path) -> Path:
    return write(
        tmp_path / "zj" / "sites.csv",
        SITES,
        [
            ["ZJ-1", "柯城区人民医院", "综合医院", "三级", "公立", "330802"],
            ["ZJ-2", "常山县人民医院", "综合医院", "二级", "公立", "330822"],
        ],
    )


def test_a_forgotten_province_touches_no_other_province(live, tmp_path, capsys):
    """Zhejiang publishes its sites; a Gansu clerk then imports one row without --province:
    Zhejiang's rows and every other province's rows stay, the demo gives way only in Gansu."""
    assert main(["import", str(zhejiang_sites(tmp_path)), "--db", str(live)]) == 0
    before = rows_by_origin(live)
    gansu = write(
        tmp_path / "gs" / "sites.csv",
        SITES,
        [["GS-1", "兰州示范医院", "综合医院", "三级甲等", "公立", "620102"]],
    )
    capsys.readouterr()
    assert main(["import", str(gansu), "--db", str(live)]) == 0
    out = capsys.readouterr().out
    after = rows_by_origin(live)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    # only Gansu moved: one office site in, Gansu's demo sites out; elsewhere the article and
    # office rows, and the demo's institutions and alliances, are as they were (demo links
    # to a Gansu demo institution went with it: the demo never points at nothing)
    assert changed
    assert all(p == 620000 for t, o, p in changed if o != "demo" or t in ("sites", "alliances"))
    assert all(t in ("memberships", "activities") for t, o, p in changed if p != 620000)
    assert after[("sites", "office", 620000)] == 1
    assert after[("sites", "office", 330000)] == 2
    assert (
        q(live, "select count(*) from sites where origin = 'demo' and county_adcode // 10000 = 62")[
            0
        ][0]
        == 0
    )
    # the report says so, per table and province
    assert "甘肃省 620000" in out and "added" in out
    assert "浙江省" not in out.split("What changed")[-1]


def test_a_partial_update_keeps_the_other_counties_and_years(live, tmp_path):
    """Rows for 2022–23, then a one-row 2024 update with --province: the earlier rows stay."""
    first = write(
        tmp_path / "a" / "county_measures.csv",
        MEASURES,
        [
            ["330802", "2022", "population", "450000", "柯城区卫健局"],
            ["330802", "2023", "population", "451000", "柯城区卫健局"],
            ["330822", "2022", "population", "320000", "常山县卫健局"],
            ["330822", "2023", "population", "321000", "常山县卫健局"],
        ],
    )
    assert main(["import", str(first), "--province", "330000", "--db", str(live)]) == 0
    update = write(
        tmp_path / "b" / "county_measures.csv",
        MEASURES,
        [["330802", "2024", "population", "452000", "柯城区卫健局"]],
    )
    assert main(["import", str(update), "--province", "330000", "--db", str(live)]) == 0
    got = q(
        live,
        "select county_adcode, year, value from county_measures where origin = 'office' "
        "and measure = 'population' order by 1, 2",
    )
    assert got == [
        (330802, 2022, 450000.0),
        (330802, 2023, 451000.0),
        (330802, 2024, 452000.0),
        (330822, 2022, 320000.0),
        (330822, 2023, 321000.0),
    ]


def test_a_row_with_a_known_key_is_a_change_with_its_before_and_after(live, tmp_path, capsys):
    assert main(["import", str(zhejiang_sites(tmp_path)), "--db", str(live)]) == 0
    renamed = write(
        tmp_path / "c" / "sites.csv",
        SITES,
        [["ZJ-2", "常山县人民医院（新院区）", "综合医院", "二级", "公立", "330822"]],
    )
    capsys.readouterr()
    assert main(["import", str(renamed), "--db", str(live)]) == 0
    out = capsys.readouterr().out
    assert "常山县人民医院 → 常山县人民医院（新院区）" in out
    assert q(live, "select count(*) from sites where origin = 'office'") == [(2,)]


def test_dry_run_shows_what_would_change_and_imports_shows_the_same_numbers(live, tmp_path, capsys):
    path = zhejiang_sites(tmp_path)
    before = live.read_bytes()
    assert main(["import", str(path), "--dry-run", "--db", str(live)]) == 0
    preview = capsys.readouterr().out
    assert live.read_bytes() == before and not (live.parent / "backups").exists()
    assert "预览" in preview and "Preview" in preview
    demo = q(
        live, "select count(*) from sites where origin = 'demo' and county_adcode // 10000 = 33"
    )[0][0]
    line = next(x for x in preview.splitlines() if x.strip().startswith("机构") and "330000" in x)
    assert line.split()[-4:] == ["2", "0", "0", f"{demo:,}"]
    assert main(["import", str(path), "--db", str(live)]) == 0
    published = capsys.readouterr().out
    assert line in published  # the same numbers, told as done
    assert main(["imports", "--db", str(live)]) == 0
    listed = capsys.readouterr().out
    assert line in listed


def test_replace_needs_a_declared_scope(live, tmp_path, capsys):
    before = live.read_bytes()
    assert (
        main(["import", str(zhejiang_sites(tmp_path)), "--replace", "--yes", "--db", str(live)])
        == 1
    )
    err = capsys.readouterr().out
    assert "--replace" in err and "--province" in err and live.read_bytes() == before


def test_replace_prints_what_goes_and_without_a_terminal_needs_yes(
    live, tmp_path, capsys, monkeypatch
):
    assert main(["import", str(zhejiang_sites(tmp_path)), "--db", str(live)]) == 0
    one = write(
        tmp_path / "d" / "sites.csv",
        SITES,
        [["ZJ-1", "柯城区人民医院", "综合医院", "三级", "公立", "330802"]],
    )
    before = live.read_bytes()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal
    capsys.readouterr()
    args = ["import", str(one), "--replace", "--province", "330000", "--db", str(live)]
    assert main(args) == 1
    captured = capsys.readouterr()
    assert live.read_bytes() == before
    assert "--replace 将删除" in captured.out and "浙江省 330000" in captured.out
    assert "共删除 1 行" in captured.out and "1 rows in all" in captured.out
    assert "--yes" in captured.err
    assert main([*args, "--yes"]) == 0
    assert q(live, "select site_id from sites where origin = 'office'") == [("ZJ-1",)]
    assert q(
        live, "select replace, period, scope from imports order by imported_at desc limit 1"
    ) == [(True, None, 330000)]


def test_replace_asks_at_a_terminal_and_no_keeps_everything(live, tmp_path, capsys, monkeypatch):
    assert main(["import", str(zhejiang_sites(tmp_path)), "--db", str(live)]) == 0
    one = write(
        tmp_path / "e" / "sites.csv",
        SITES,
        [["ZJ-1", "柯城区人民医院", "综合医院", "三级", "公立", "330802"]],
    )
    before = live.read_bytes()

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stdin", Terminal("no\n"))
    assert main(["import", str(one), "--replace", "--province", "330000", "--db", str(live)]) == 1
    assert live.read_bytes() == before
    assert "未确认" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", Terminal("yes\n"))
    assert main(["import", str(one), "--replace", "--province", "330000", "--db", str(live)]) == 0
    assert q(live, "select count(*) from sites where origin = 'office'") == [(1,)]


def test_replace_of_a_period_deletes_that_period_only(live, tmp_path):
    rows = [
        [c, y, "population", "1000", ""] for c in ("330802", "330822") for y in ("2022", "2023")
    ]
    assert (
        main(
            [
                "import",
                str(write(tmp_path / "f" / "county_measures.csv", MEASURES, rows)),
                "--db",
                str(live),
            ]
        )
        == 0
    )
    again = write(
        tmp_path / "g" / "county_measures.csv",
        MEASURES,
        [["330802", "2023", "population", "2000", ""]],
    )
    args = [
        "import",
        str(again),
        "--replace",
        "--province",
        "330000",
        "--period",
        "2023",
        "--yes",
        "--db",
        str(live),
    ]
    assert main(args) == 0
    got = q(
        live,
        "select county_adcode, year, value from county_measures where origin = 'office' order by 1, 2",
    )
    assert got == [(330802, 2022, 1000.0), (330802, 2023, 2000.0), (330822, 2022, 1000.0)]


def test_a_row_outside_the_declared_period_is_refused(live, tmp_path, capsys):
    path = write(
        tmp_path / "h" / "county_measures.csv",
        MEASURES,
        [["330802", "2022", "population", "1", ""]],
    )
    before = live.read_bytes()
    assert main(["import", str(path), "--period", "2023", "--db", str(live)]) == 1
    assert live.read_bytes() == before
    out = capsys.readouterr().out
    assert "2023" in out and "outside the period" in out


def test_a_province_admin_cannot_publish_outside_the_province(live, tmp_path, capsys):
    """--province 330000 with a Gansu row: refused, the row named, nothing written."""
    path = write(
        tmp_path / "i" / "sites.csv",
        SITES,
        [
            ["ZJ-1", "柯城区人民医院", "综合医院", "三级", "公立", "330802"],
            ["GS-1", "兰州示范医院", "综合医院", "三级甲等", "公立", "620102"],
        ],
    )
    before = live.read_bytes()
    assert main(["import", str(path), "--province", "330000", "--db", str(live)]) == 1
    out = capsys.readouterr().out
    assert live.read_bytes() == before
    assert "GS-1" in out and "第 3 行" in out and "another province" in out


def test_the_json_result_carries_findings_changes_and_the_fingerprint(live, tmp_path):
    result = tmp_path / "result.json"
    path = zhejiang_sites(tmp_path)
    assert main(["import", str(path), "--dry-run", "--json", str(result), "--db", str(live)]) == 0
    preview = json.loads(result.read_text(encoding="utf-8"))
    assert preview["ok"] and not preview["published"] and preview["fingerprint"]
    added = sum(r["added"] for r in preview["changes"]["rows"])
    assert added == 2
    # a publish made of that preview goes through; made of an older one, it is refused
    args = ["import", str(path), "--expect", preview["fingerprint"], "--db", str(live)]
    assert main([*args, "--json", str(result)]) == 0
    assert json.loads(result.read_text(encoding="utf-8"))["published"]
    before = live.read_bytes()
    assert main(args) == 1
    assert live.read_bytes() == before


# ---------------------------------------------------------------- workbooks as a person sees them

METRICS = ["county_adcode", "year", "metric", "value", "source"]


def workbook(path: Path, sheets: list[tuple[str, list[list], str]], active: int = 0) -> Path:
    """An .xlsx with sheets (title, rows, state); active: the sheet shown when opened."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows, state in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = state
    book.active = active
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def test_a_hidden_stale_sheet_is_never_read_and_is_named(live, tmp_path, capsys):
    """The first sheet hidden and stale, the visible one current: the visible one is read, and
    the report names the hidden sheet it left unread."""
    path = workbook(
        tmp_path / "w" / "county_measures.xlsx",
        [
            ("旧数据", [MEASURES, ["330802", "2020", "population", "1", ""]], "hidden"),
            ("2024年报", [MEASURES, ["330802", "2024", "population", "452000", ""]], "visible"),
        ],
        active=1,
    )
    assert main(["import", str(path), "--db", str(live)]) == 0
    out = capsys.readouterr().out
    got = q(live, "select year, value from county_measures where origin = 'office'")
    assert got == [(2024, 452000.0)]
    assert "旧数据" in out and "hidden sheets not read" in out


def test_sheets_of_unclear_purpose_are_refused_naming_them(live, tmp_path, capsys):
    rows = [MEASURES, ["330802", "2024", "population", "1", ""]]
    path = workbook(
        tmp_path / "w" / "county_measures.xlsx",
        [("Sheet1", rows, "hidden"), ("甲", rows, "visible"), ("乙", rows, "visible")],
        active=0,
    )
    before = live.read_bytes()
    assert main(["import", str(path), "--db", str(live)]) == 1
    out = capsys.readouterr().out
    assert live.read_bytes() == before
    assert "“甲”" in out and "“乙”" in out and "unclear which sheet" in out


def test_a_formula_without_a_saved_value_is_refused_naming_the_cell(live, tmp_path, capsys):
    path = workbook(
        tmp_path / "w" / "county_measures.xlsx",
        [
            (
                "county_measures",
                [
                    MEASURES,
                    ["330802", "2024", "population", 450000, ""],
                    ["330822", "2024", "population", "=D2*0.7", ""],
                ],
                "visible",
            )
        ],
    )
    before = live.read_bytes()
    assert main(["import", str(path), "--db", str(live)]) == 1
    out = capsys.readouterr().out
    assert live.read_bytes() == before
    assert "D3" in out and "第 3 行" in out and "formula without a saved value" in out


def test_a_fraction_among_percentages_is_refused_naming_file_row_and_column(live, tmp_path, capsys):
    path = write(
        tmp_path / "m" / "county_metrics.csv",
        METRICS,
        [
            ["330802", "2024", "county_visit_rate", "95", ""],
            ["330822", "2024", "county_visit_rate", "0.95", ""],
        ],
    )
    before = live.read_bytes()
    assert main(["import", str(path), "--db", str(live)]) == 1
    out = capsys.readouterr().out
    assert live.read_bytes() == before
    line = next(x for x in out.splitlines() if "0.95" in x and "county_metrics.csv" in x)
    assert "第 3 行" in line and "value" in line
    assert "0.95%" in out


def test_percent_formatted_cells_are_read_as_percent(live, tmp_path):
    import openpyxl

    path = tmp_path / "p" / "county_metrics.xlsx"
    workbook(
        path,
        [
            (
                "county_metrics",
                [
                    METRICS,
                    ["330802", "2024", "county_visit_rate", 0.95, ""],
                    ["330822", "2024", "county_visit_rate", 0.875, ""],
                ],
                "visible",
            )
        ],
    )
    book = openpyxl.load_workbook(path)
    for row in (2, 3):
        book.active.cell(row, 4).number_format = "0.0%"
    book.save(path)
    assert main(["import", str(path), "--db", str(live)]) == 0
    got = q(live, "select value from county_metrics where origin = 'office' order by 1")
    assert got == [(87.5,), (95.0,)]


def test_a_file_name_with_control_characters_is_printed_escaped(live, tmp_path, capsys):
    name = "sites\x1b[2J\u202e.csv"
    path = write(
        tmp_path / "n" / name,
        SITES,
        [["ZJ-9", "柯城区人民医院", "综合医院", "三级", "公立", "330802"]],
    )
    assert main(["import", str(path), "--db", str(live)]) == 0
    assert main(["imports", "--db", str(live)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert "sites\\x1b[2J\\u202e.csv" in out
    # stored as the office wrote it, escaped where it is printed


def test_the_data_page_shows_who_has_reported(live, tmp_path, monkeypatch):
    """报送进度: one Zhejiang county reports 2024, the other does not: the province has 1 of 2
    reported, the missing county is listed first, the reporter's date is today's."""
    import datetime as dt

    from tests.test_importer import run_app

    rows = [["330802", "2024", m, "1000", ""] for m in ("population", "visits_residents")]
    assert (
        main(
            [
                "import",
                str(write(tmp_path / "p" / "county_measures.csv", MEASURES, rows)),
                "--db",
                str(live),
            ]
        )
        == 0
    )
    monkeypatch.setenv("DASHBOARD_DB", str(live))
    at = run_app(page="pages/data.py")
    assert not at.exception
    assert "报送进度" in [s.value for s in at.subheader]
    assert at.selectbox(key="progress_year").value == 2024
    per = next(t.value for t in at.table if "未报送" in t.value.columns)
    zhejiang = per.loc["浙江省"]
    assert (zhejiang["县数"], zhejiang["已报送"], zhejiang["未报送"]) == ("2", "1", "1")
    assert zhejiang["最近报送"] == f"{dt.date.today():%Y-%m-%d}"
    counties = next(d.value for d in at.dataframe if "报送项目" in d.value.columns)
    zj = counties[counties["省份"] == "浙江省"]
    assert zj.iloc[0]["县（区）"] == "常山县" and zj.iloc[0]["本期报送日期"] == "—"
    reported = zj[zj["县（区）"] == "柯城区"].iloc[0]
    assert reported["报送项目"].startswith("2 / ")
