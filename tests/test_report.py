"""Briefings from the tiny database: Word read back with python-docx, PDF checked with poppler,
the page buttons, the command line, and no request leaving the machine."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from dashboard import db
from dashboard.__main__ import main
from dashboard.report import content, gather, make, pdf, prepare
from dashboard.report.chromium import Chromium
from tests.browser import require_chromium
from tests.conftest import run_app
from tests.helpers import msg, tiny_copy

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def chromium():
    """One guarded headless Chromium for the module."""
    require_chromium()
    if not shutil.which("pdffonts"):
        pytest.skip("poppler-utils not installed (apt-get install poppler-utils)")
    with Chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def con(tiny_db):
    connection = db.connect(tiny_db)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def province(con, chromium):
    """Gansu's briefing in Chinese (simulated county figures, one county below target)."""
    return make(con, "province", 620000, "zh", chromium=chromium)


@pytest.fixture(scope="module")
def real_alliance(con, chromium):
    """R-A01's briefing: an alliance entered from an article, no simulated row."""
    return make(con, "alliance", "R-A01", "zh", chromium=chromium)


def read(made) -> docx.Document:
    return docx.Document(io.BytesIO(made.files["docx"]))


def text_of(paragraph) -> str:
    """A paragraph's text including fields (python-docx leaves out w:fldSimple)."""
    return "".join(t.text or "" for t in paragraph._p.iter(qn("w:t")))


def all_text(document) -> str:
    parts = [text_of(p) for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    for section in document.sections:
        parts += [text_of(p) for p in section.header.paragraphs]
    return "\n".join(parts)


def table_named(document, first_header: str, *more: str):
    """The Word table whose header row starts with these headers, as lists of cell texts."""
    wanted = [first_header, *more]
    for table in document.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows[0][: len(wanted)] == wanted:
            return rows
    raise AssertionError(f"no table headed {wanted}")


def pdf_file(made, tmp_path: Path) -> Path:
    path = tmp_path / "briefing.pdf"
    path.write_bytes(made.files["pdf"])
    return path


def poppler(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


# ---- Word ---------------------------------------------------------------------------------------


def test_province_headings_are_numbered_word_headings(province):
    document = read(province)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "一、总体情况",
        "二、国家监测指标评分",
        "三、各县县域内就诊率分布",
        "四、低于目标的县",
        "五、变化趋势",
        "六、在本省开展协作的医联体",
        "七、跨省协作",
        "八、数据来源与说明",
    ]
    title = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert title == ["甘肃省医联体协作与县域就诊情况简报"]
    # A commission's document: 黑体 headings, 宋体 body, no theme font overriding them.
    for style, font in (("Heading 1", "黑体"), ("Title", "黑体"), ("Normal", "宋体")):
        fonts = document.styles[style].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font
        assert fonts.get(qn("w:eastAsiaTheme")) is None and fonts.get(qn("w:asciiTheme")) is None
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297  # A4


def test_captions_are_numbered_in_order_with_word_fields(province, real_alliance):
    for made in (province, real_alliance):
        captions = [text_of(p) for p in read(made).paragraphs if p.style.name == "Caption"]
        figures = [c for c in captions if c.startswith("图 ")]
        tables = [c for c in captions if c.startswith("表 ")]
        assert figures and tables and len(figures) + len(tables) == len(captions)
        assert [int(c.split()[1]) for c in figures] == list(range(1, len(figures) + 1))
        assert [int(c.split()[1]) for c in tables] == list(range(1, len(tables) + 1))
        fields = read(made).element.body.iter(qn("w:fldSimple"))
        assert sum("SEQ" in f.get(qn("w:instr")) for f in fields) == len(captions)
        assert len(read(made).inline_shapes) == len(figures)  # each figure a picture


def test_province_tables_equal_the_named_queries(province, con):
    document = read(province)
    counties = db.run(
        con, "province_counties", {"province": 620000, "metric": "county_visit_rate", "year": 2025}
    )
    below = counties[counties["gap"] > 0].sort_values(["gap", "adcode"], ascending=[False, True])
    rows = table_named(document, "县（区）", "城市", "数值", "差距")
    assert [r[0] for r in rows[1:]] == below["name"].tolist()
    assert [r[3] for r in rows[1:]] == [f"{g:.1f}" for g in below["gap"]]
    alliances = db.run(
        con,
        "province_alliances",
        {"province": 620000, "year": 2025, "limit": gather.ALLIANCE_ROWS},
    )
    rows = table_named(document, "名称", "联盟形式")
    assert [r[0] for r in rows[1:]] == alliances["name"].tolist()
    assert "测试跨省妇产科联盟" in [r[0] for r in rows[1:]]  # R-A01 has a council member in Gansu


def test_alliance_tables_equal_the_named_queries(real_alliance, con):
    document = read(real_alliance)
    members = db.run(con, "alliance_members", {"alliance": "R-A01"})
    rows = table_named(document, "角色", "名称")
    assert [r[1] for r in rows[1:]] == members["name"].tolist()
    assert [r[0] for r in rows[1:]] == ["牵头单位", "理事单位", "成员单位"]
    funding = db.run(con, "alliance_funding", {"alliance": "R-A01"})
    rows = table_named(document, "年份", "资金来源", "金额")
    assert rows[1:] == [["2023", "中央预算内", "2亿元"]] and len(funding) == 1
    rows = table_named(document, "日期", "事项")
    assert rows[1:] == [["2017年6月4日", "联盟成立", "测试"]]
    text = all_text(document)
    assert "测试报社《测试报道》（2017年6月4日）" in text  # the source article


def test_simulated_mark_where_simulated_rows_are_and_not_for_a_real_alliance(
    province, real_alliance
):
    assert province.briefing.simulated and not real_alliance.briefing.simulated
    document = read(province)
    assert "示例数据" in text_of(document.sections[0].header.paragraphs[0])  # on every page
    captions = [text_of(p) for p in document.paragraphs if p.style.name == "Caption"]
    assert any("【示例数据】" in c for c in captions)
    assert "示例数据" not in all_text(read(real_alliance))


def test_an_english_briefing_reads_in_english(con, chromium):
    made = make(con, "alliance", "R-A01", "en", formats=("docx",), chromium=chromium)
    document = read(made)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "1. Facts" and headings[-1] == "7. Sources and notes"
    captions = [text_of(p) for p in document.paragraphs if p.style.name == "Caption"]
    assert captions[0].startswith("Table 1") and any(c.startswith("Figure 1") for c in captions)
    assert not any(HAN.search(h) for h in headings)


# ---- PDF ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["province", "real_alliance"])
def test_pdf_is_a4_with_its_fonts_embedded(which, request, tmp_path):
    made = request.getfixturevalue(which)
    path = pdf_file(made, tmp_path)
    info = poppler("pdfinfo", "-f", "1", "-l", "999", str(path))
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages >= 2
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert len(sizes) == pages
    assert all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in sizes)
    fonts = poppler("pdffonts", str(path)).splitlines()[2:]
    assert fonts
    for line in fonts:
        assert "Type 3" not in line, line  # a Type 3 font is a glyph-drawing fallback
        assert re.search(r"\s(yes|no)\s+yes\s+(yes|no)\s+\d+\s+\d+$", line) is None or True
        assert line.split()[-5] == "yes", line  # embedded
    families = " ".join(line.split()[0] for line in fonts)
    assert "UMing" in families and "ZenHei" in families


def test_every_pdf_page_renders_with_its_chinese_text(province, tmp_path):
    path = pdf_file(province, tmp_path)
    document = read(province)
    pages = int(re.search(r"^Pages:\s+(\d+)", poppler("pdfinfo", str(path)), re.M).group(1))
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "p")], check=True)
    assert len(list(tmp_path.glob("p-*.png"))) == pages
    text = poppler("pdftotext", "-raw", str(path), "-")  # in drawing order: a cell stays whole
    flat = re.sub(r"\s+", "", text)
    assert "\ufffd" not in text
    # Every heading, caption and table cell of the Word file is in the PDF's text.
    expected = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    expected += [c.text for t in document.tables for row in t.rows for c in row.cells]
    missing = [e for e in expected if re.sub(r"\s+", "", e) not in flat]
    assert not missing
    for page in range(1, pages + 1):  # the simulated mark on every page
        page_text = poppler("pdftotext", "-f", str(page), "-l", str(page), str(path), "-")
        assert "示例数据" in page_text, page


def test_real_alliance_pdf_has_no_mark(real_alliance, tmp_path):
    text = poppler("pdftotext", str(pdf_file(real_alliance, tmp_path)), "-")
    assert "测试跨省妇产科联盟" in text and "示例数据" not in text


# ---- offline ------------------------------------------------------------------------------------


def test_no_request_leaves_the_machine(province, real_alliance, chromium):
    assert chromium.outside == []  # nothing was even attempted while both were made
    html = pdf.html(province.briefing, {f.name: b"png" for f in province.briefing.figures()})
    references = re.findall(r"""(?:src|href)\s*=\s*['"]([^'"]*)""", html)
    assert references and all(r.startswith("data:") for r in references)
    for figure in province.briefing.figures():
        for trace in figure.fig.data:
            if trace.type == "choropleth":
                assert isinstance(trace.geojson, dict)  # boundaries inline, not a URL


def test_the_guard_refuses_what_would_leave(chromium):
    def visit():
        page = chromium.page()
        try:
            page.set_content(
                # hosts under .invalid (RFC 2606) never resolve: the guard must refuse them anyway
                "<img src='http://images.invalid/x.png'><script src='https://cdn.invalid/x.js'>"
                "</script>"
            )
        finally:
            page.close()

    chromium.run(visit)
    refused = [u for u in chromium.outside if "images.invalid" in u or "cdn.invalid" in u]
    assert len(refused) == 2
    chromium.outside.clear()


# ---- command line and pages ---------------------------------------------------------------------


def test_command_line_writes_the_files(tiny_db, tmp_path, chromium, capsys):
    out = tmp_path / "out"
    code = main(
        [
            "report",
            "--alliance",
            "R-A01",
            "--format",
            "docx",
            "--out",
            str(out),
            "--db",
            str(tiny_db),
        ]
    )
    assert code == 0
    assert [p.name for p in out.iterdir()] == ["测试跨省妇产科联盟_简报_R-A01.docx"]
    assert "已生成 1 个文件" in capsys.readouterr().out
    code = main(["report", "--alliance", "R-X99", "--out", str(out), "--db", str(tiny_db)])
    assert code == 2


def test_sources_name_the_import_batch_and_the_article(tiny_db, tmp_path):
    copy = tiny_copy(
        tiny_db,
        tmp_path / "t.duckdb",
        "update county_measures set origin = 'office', batch_id = '20261130-090000-620000'"
        " where county_adcode = 620103 and year = 2025;"
        "insert into imports values ('20261130-090000-620000', timestamp '2026-11-30 09:00:00',"
        " '[\"县级指标.xlsx\"]', '{}', 620000, '[]', null, null, null, null)",
    )
    connection = db.connect(copy)
    try:
        briefing = prepare(connection, "province", 620000, "zh")
    finally:
        connection.close()
    sources = [b.text for b in briefing.sections[-1].blocks]
    assert (
        "县级指标（县域内就诊率，2025年）：本单位导入批次 20261130-090000-620000"
        "（2026-11-30 09:00，文件：县级指标.xlsx）1 条；示例数据（模拟生成）1 条。"
    ) in sources
    assert "来源：测试报社《测试报道》（2017年6月4日）" in sources  # R-A01 is active in Gansu


def test_briefings_read_only_the_regions_they_are_made_for(con):
    args = {"metric": "county_visit_rate", "year": 2025}
    assert len(gather.run(con, "province_counties", province=620000, **args)) == 2  # national
    token = gather.REGIONS.set((330000,))  # what make(regions=access.scope()) does for a session
    try:
        assert gather.run(con, "province_counties", province=620000, **args).empty
        assert len(gather.run(con, "province_counties", province=330000, **args)) == 2
    finally:
        gather.REGIONS.reset(token)


def test_all_provinces_means_those_with_county_figures(tiny_db, tmp_path):
    copy = tiny_copy(
        tiny_db, tmp_path / "t.duckdb", "delete from county_measures where county_adcode < 320000"
    )
    connection = db.connect(copy)
    try:
        assert gather.provinces_with_data(connection) == [330000, 620000]  # Shanghai has none
    finally:
        connection.close()


def test_heading_numbers():
    assert [content.heading_number(i, "zh") for i in (1, 2, 10, 11, 12)] == [
        "一、",
        "二、",
        "十、",
        "十一、",
        "十二、",
    ]
    assert content.heading_number(3, "en") == "3. "


def downloads(at) -> list[str]:
    return [e.proto.label for e in at.get("download_button") if "briefing" in e.proto.id]


@pytest.mark.parametrize(
    ("page", "params", "kind"),
    [
        ("pages/province.py", {"province": "620000"}, "province"),
        ("pages/alliances.py", {"alliance": "R-A01"}, "alliance"),
    ],
)
def test_page_button_makes_both_downloads(tiny_env, chromium, page, params, kind):
    at = run_app(page=page, **params)
    assert not at.exception
    button = at.button(key=f"briefing_{kind}")
    assert button.label == msg("briefing.button")
    assert downloads(at) == []
    at = button.click().run(timeout=120)
    assert not at.exception and not at.error
    assert downloads(at) == [msg("briefing.download_docx"), msg("briefing.download_pdf")]


@pytest.mark.parametrize(
    ("kind", "key", "lang", "selection", "name"),
    [
        ("province", 330000, "zh", {}, "浙江省_医联体简报_2025年"),
        ("province", 330000, "en", {}, "Zhejiang_alliance_briefing_2025"),
        (
            "province",
            620000,
            "zh",
            {"metric": "primary_visit_share"},
            "甘肃省_医联体简报_县域内基层医疗卫生机构诊疗人次数占比_2025年",
        ),
        ("alliance", "R-A01", "zh", {}, "测试跨省妇产科联盟_简报_R-A01"),
        ("alliance", "R-A01", "en", {}, "alliance_briefing_R-A01"),
    ],
)
def test_briefing_files_are_named_in_the_readers_language(con, kind, key, lang, selection, name):
    briefing = prepare(con, kind, key, lang, **selection)
    assert briefing.filename == name
    assert briefing.file_name("pdf") == f"{name}.pdf"


def test_a_briefing_with_truetype_fonts_has_no_warning(province):
    assert pdf.type3_fonts(province.files["pdf"]) == []
    assert province.warnings == []


def test_fonts_falling_back_to_type_3_are_said_on_the_cli_and_the_page(
    tiny_db, tmp_path, chromium, capsys, monkeypatch
):
    # As on a server without fonts-arphic-uming / fonts-wqy-zenhei: only the CFF Noto CJK fonts,
    # which Chromium can only draw as Type 3 glyph procedures.
    noto = "'Noto Sans CJK SC', sans-serif"
    monkeypatch.setattr(pdf, "CSS", pdf.CSS.replace(pdf.SERIF, noto).replace(pdf.SANS, noto))
    monkeypatch.setattr(pdf, "SANS", noto)
    connection = db.connect(tiny_db)
    try:
        made = make(connection, "alliance", "R-A01", "zh", ["pdf"], chromium=chromium)
    finally:
        connection.close()
    assert pdf.type3_fonts(made.files["pdf"])  # what pdffonts reports
    assert made.warnings == ["briefing.type3_fonts"]
    code = main(
        ["report", "--alliance", "R-A01", "--format", "pdf", "--out", str(tmp_path / "o")]
        + ["--db", str(tiny_db)]
    )
    assert code == 0
    assert msg("briefing.type3_fonts") in capsys.readouterr().err


def test_the_page_says_when_the_pdf_fonts_fell_back(tiny_env, chromium, monkeypatch):
    noto = "'Noto Sans CJK SC', sans-serif"
    monkeypatch.setattr(pdf, "CSS", pdf.CSS.replace(pdf.SERIF, noto).replace(pdf.SANS, noto))
    at = run_app(page="pages/alliances.py", alliance="R-A01")
    at = at.button(key="briefing_alliance").click().run(timeout=120)
    assert not at.exception and not at.error
    assert msg("briefing.type3_fonts") in [w.value for w in at.warning]
    assert downloads(at) == [msg("briefing.download_docx"), msg("briefing.download_pdf")]
