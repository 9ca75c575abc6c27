"""The data office in Chromium (issue 23): files chosen on the Data page (`set_input_files`), the
findings, the preview, one click to publish, rollback; each clerk mistake leaves every row
outside the file's keys as it was, or is refused with its cause named and the database
unchanged. The server runs with login off and DASHBOARD_OPEN_IMPORT=1, as README says."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from dashboard import db, provenance
from tests.browser import chromium, require_chromium, streamlit_server
from tests.helpers import msg

SHOTS = Path(os.environ.get("SHOTS23", "/work/shots23"))
SITES = ["site_id", "name", "kind", "tier", "ownership", "county_adcode"]
MEASURES = ["county_adcode", "year", "measure", "value", "source"]
METRICS = ["county_adcode", "year", "metric", "value", "source"]


@pytest.fixture(scope="module")
def server(tiny_db, tmp_path_factory):
    """One app server with uploads on, over a copy of the tiny database."""
    require_chromium()
    base = tmp_path_factory.mktemp("office")
    live = base / "db" / "live.duckdb"
    live.parent.mkdir()
    shutil.copy(tiny_db, live)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DASHBOARD_OPEN_IMPORT", "1")
        mp.setenv("DASHBOARD_AUDIT", str(base / "audit.jsonl"))
        with streamlit_server(live) as url:
            yield {"url": url, "db": live, "base": base, "audit": base / "audit.jsonl"}


def q(path: Path, sql: str) -> list[tuple]:
    con = db.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def outside(path: Path, province: int) -> dict:
    """Every article and office row, and the demo's institutions and alliances, of the other
    provinces: what an import into one province must leave as it is."""
    out = {}
    for table in provenance.CLEAR_ORDER:
        where = f"coalesce({provenance.province_sql(table)}, 0) <> {province}"
        if table not in ("sites", "alliances"):
            where += " and origin <> 'demo'"
        out[table] = q(path, f"select * exclude (batch_id) from {table} where {where} order by all")  # noqa: S608
    return out


def csv_file(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def settle(page) -> None:
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=300_000
    )
    page.wait_for_timeout(400)


def open_data(page, server, lang: str = "zh") -> None:
    page.goto(server["url"] + "/data" + ("?lang=en" if lang == "en" else ""))
    page.get_by_text(msg("office.title", lang), exact=True).wait_for(timeout=120_000)
    settle(page)


def check(page, files: list[Path], lang: str = "zh", province: str | None = None) -> str:
    """Choose the files, the province (its name), press check; the section's text after."""
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        [str(f) for f in files]
    )
    page.wait_for_timeout(800)
    settle(page)
    if province is not None:
        box = page.get_by_test_id("stMain").get_by_test_id("stSelectbox")
        choice = page.get_by_role("option", name=province, exact=True)
        for _ in range(5):  # a rerun that lands while the list is open closes it: open again
            box.filter(has_text=msg("office.province", lang)).get_by_role("combobox").click()
            try:
                choice.wait_for(timeout=4000)
                break
            except Exception:  # noqa: BLE001
                page.keyboard.press("Escape")
        choice.click()
        settle(page)
    page.get_by_role("button", name=msg("office.check", lang)).click()
    summary = r"\d+ 个错误" if lang == "zh" else r"\d+ errors"
    page.get_by_text(re.compile(summary)).first.wait_for(timeout=300_000)
    settle(page)
    return page.inner_text("[data-testid='stMain']")


def publish(page, lang: str = "zh") -> str:
    page.get_by_role("button", name=msg("office.publish", lang), exact=True).click()
    page.get_by_text(msg("office.published", lang, batch="@").split("@")[0]).first.wait_for(
        timeout=300_000
    )
    settle(page)
    return page.inner_text("[data-testid='stMain']")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def scroll_to(page, text: str) -> None:
    page.get_by_text(text, exact=True).first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)


# ---------------------------------------------------------------- the clerk's mistakes


def test_a_forgotten_province_in_the_browser_touches_no_other_province(server, tmp_path):
    live = server["db"]
    zj = csv_file(
        tmp_path / "zj" / "sites.csv",
        SITES,
        [["ZJB-1", "柯城区人民医院", "综合医院", "三级", "公立", "330802"]],
        "gbk",
    )
    with chromium() as page:
        open_data(page, server)
        check(page, [zj])
        publish(page)
        before = outside(live, 620000)
        gansu = csv_file(
            tmp_path / "gs" / "sites.csv",
            SITES,
            [["GSB-1", "兰州示范医院", "综合医院", "三级甲等", "公立", "620102"]],
        )
        open_data(page, server)
        text = check(page, [gansu])  # no province chosen: the provinces of the file's rows
        assert "甘肃省" in text and "浙江省" not in text.split(msg("import.changes.title"))[-1]
        publish(page)
        assert not page.outside_requests
    assert outside(live, 620000) == before
    assert q(live, "select site_id from sites where origin = 'office' order by 1") == [
        ("GSB-1",),
        ("ZJB-1",),
    ]


def test_a_partial_update_in_the_browser_keeps_the_other_years(server, tmp_path):
    live = server["db"]
    rows = [
        [c, y, "population", "1000", ""] for c in ("330802", "330822") for y in ("2022", "2023")
    ]
    with chromium() as page:
        open_data(page, server)
        check(page, [csv_file(tmp_path / "a" / "county_measures.csv", MEASURES, rows)])
        publish(page)
        update = csv_file(
            tmp_path / "b" / "county_measures.csv",
            MEASURES,
            [["330802", "2024", "population", "1100", ""]],
        )
        open_data(page, server)
        check(page, [update], province="浙江省")
        publish(page)
    got = q(
        live,
        "select county_adcode, year, value from county_measures where origin = 'office' "
        "and measure = 'population' order by 1, 2",
    )
    assert got == [
        (330802, 2022, 1000.0),
        (330802, 2023, 1000.0),
        (330802, 2024, 1100.0),
        (330822, 2022, 1000.0),
        (330822, 2023, 1000.0),
    ]


def test_a_hidden_stale_sheet_is_named_and_not_read(server, tmp_path):
    path = tmp_path / "w" / "county_measures.xlsx"
    path.parent.mkdir()
    book = openpyxl.Workbook()
    stale = book.active
    stale.title = "旧表"
    stale.append(MEASURES)
    stale.append(["330822", "2019", "population", 1, ""])
    stale.sheet_state = "hidden"
    current = book.create_sheet("2024年报")
    current.append(MEASURES)
    current.append(["330822", "2024", "population", 321500, ""])
    book.active = 1
    book.save(path)
    with chromium() as page:
        open_data(page, server)
        text = check(page, [path])
        assert "旧表" in text
        publish(page)
    assert q(
        server["db"],
        "select year, value from county_measures where origin = 'office' and county_adcode = 330822 "
        "and year in (2019, 2024)",
    ) == [(2024, 321500.0)]


@pytest.mark.parametrize("mistake", ["formula", "fraction"])
def test_a_refused_file_names_its_cause_and_changes_nothing(server, tmp_path, mistake):
    if mistake == "formula":
        path = tmp_path / "county_measures.xlsx"
        book = openpyxl.Workbook()
        book.active.title = "county_measures"
        book.active.append(MEASURES)
        book.active.append(["330802", "2021", "population", 450000, ""])
        book.active.append(["330822", "2021", "population", "=D2*0.7", ""])
        book.save(path)
        cause = "D3"
    else:
        path = csv_file(
            tmp_path / "county_metrics.csv",
            METRICS,
            [
                ["330802", "2024", "county_visit_rate", "95", ""],
                ["330822", "2024", "county_visit_rate", "0.95", ""],
            ],
        )
        cause = "0.95%"
    before = server["db"].read_bytes()
    with chromium() as page:
        open_data(page, server)
        text = check(page, [path])
        assert cause in text and msg("office.col.rule") in text
        # the offending row is named: file, row 3, column value
        table = page.get_by_test_id("stDataFrame").first
        assert table.is_visible()
        assert page.get_by_role("button", name=msg("office.publish"), exact=True).count() == 0
        with page.expect_download() as download:
            page.get_by_role("button", name=msg("office.findings_download")).click()
        marked = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        assert marked.worksheets[0]["B2"].value == 3  # row 3 of the file
        sheet = marked.worksheets[1]
        red = [
            c.coordinate
            for row in sheet.iter_rows()
            for c in row
            if c.fill.fgColor.rgb.endswith("F4B6B0")
        ]
        assert red == ["E2"]  # the value cell of row 3 (the sheet's first column is the row)
    assert server["db"].read_bytes() == before


# ---------------------------------------------------------------- the whole sequence, seen


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(1600, 1000), (390, 844)], ids=["desk", "phone"])
def test_import_preview_publish_rollback(server, tmp_path, lang, size):
    live = server["db"]
    name = f"{lang}-{size[0]}"
    path = csv_file(
        tmp_path / "sites.csv",
        SITES,
        [
            ["SEQ-1", "常山县人民医院", "综合医院", "二级", "公立", "330822"],
            ["SEQ-2", "七里河区人民医院", "综合医院", "二级", "公立", "620103"],
        ],
    )
    before_rows = q(live, "select count(*) from sites where origin = 'office'")[0][0]
    with chromium(*size) as page:
        open_data(page, server, lang)
        text = check(page, [path], lang)
        assert msg("import.changes.title", lang) in text
        scroll_to(page, msg("import.changes.title", lang))
        shot(page, f"{name}-1-preview")
        publish(page, lang)
        page.get_by_text(
            msg("office.published", lang, batch="@").split("@")[0]
        ).first.scroll_into_view_if_needed()
        shot(page, f"{name}-2-published")
        # the page that published shows the new data at once: the last import, its files
        assert msg("data.import_none", lang) not in page.inner_text("[data-testid='stMain']")
        assert q(live, "select count(*) from sites where site_id like 'SEQ-%'") == [(2,)]
        page.get_by_text(msg("office.rollback_title", lang)).first.click()
        page.get_by_role("button", name=msg("office.rollback", lang), exact=True).click()
        page.get_by_text(msg("office.rolled_back", lang)).wait_for(timeout=120_000)
        settle(page)
        shot(page, f"{name}-3-rolled-back")
        assert not page.outside_requests
    assert q(live, "select count(*) from sites where origin = 'office'")[0][0] == before_rows
    actions = [line for line in server["audit"].read_text(encoding="utf-8").splitlines()]
    assert any('"import_publish"' in a for a in actions)
    assert any('"import_rollback"' in a for a in actions)
