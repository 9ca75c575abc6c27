"""Stage 3a: the briefing as a Word document (python-docx): A4, real Heading styles numbered
一、二、…, tables with a repeating header row, Word captions (图/表 with SEQ fields), the
simulated mark in the page header when any simulated row is shown."""

from __future__ import annotations

import io

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from dashboard.report.content import (
    Briefing,
    Figure,
    Table,
    Text,
    caption_label,
    column_kinds,
    numbered,
)

# A commission's document: 黑体 headings, 宋体 body (the fonts every Chinese Windows and WPS
# has; elsewhere Word substitutes its own CJK serif / sans).
FONTS = {
    "zh": {"body": ("Times New Roman", "宋体"), "heading": ("Arial", "黑体")},
    "en": {"body": ("Times New Roman", "宋体"), "heading": ("Arial", "黑体")},
}
BODY_PT = 12  # 小四
TABLE_PT = 10.5  # 五号
CAPTION_PT = 10.5
HEADING_PT = {1: 16, 2: 14}  # 三号, 四号
TITLE_PT = 22  # 二号
TEXT_WIDTH_CM = 16.0  # A4 210 mm less 2.5 cm margins on both sides
MARK_RED = RGBColor(0xC0, 0x39, 0x2B)


def _fonts(style_or_run, latin: str, east_asian: str) -> None:
    """Latin and East Asian fonts of a style or run (python-docx sets only the Latin one)."""
    font = style_or_run.font
    font.name = latin
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    # Theme fonts would win over the names set here.
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _setup(document, lang: str) -> None:
    fonts = FONTS[lang]
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.6), Cm(2.4)
    styles = document.styles
    normal = styles["Normal"]
    _fonts(normal, *fonts["body"])
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.3
    for level, size in HEADING_PT.items():
        style = styles[f"Heading {level}"]
        _fonts(style, *fonts["heading"])
        style.font.size = Pt(size)
        style.font.bold = level == 1
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.space_after = Pt(6)
    title = styles["Title"]
    _fonts(title, *fonts["heading"])
    title.font.size = Pt(TITLE_PT)
    title.font.color.rgb = RGBColor(0, 0, 0)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The default Title style draws a blue rule under it; a commission's title has none.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    caption = styles["Caption"]
    _fonts(caption, *fonts["heading"])
    caption.font.size = Pt(CAPTION_PT)
    caption.font.bold = False
    caption.font.italic = False
    caption.font.color.rgb = RGBColor(0, 0, 0)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (SEQ, PAGE …) with its current result, updated by Word on F9 / print."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _caption(document, kind: str, n: int, text: str, simulated: bool, lang: str) -> None:
    """'图 1 …' / '表 1 …' as a Word caption with a SEQ field, so Word can list and renumber."""
    paragraph = document.add_paragraph(style="Caption")
    label = caption_label(kind, n, lang)
    word, _ = label.rsplit(" ", 1)
    paragraph.add_run(f"{word} ")
    _field(paragraph, f" SEQ {word} \\* ARABIC ", str(n))
    paragraph.add_run(f"  {text}")
    if simulated:
        mark = paragraph.add_run(" " + _t(lang, "briefing.block_mark"))
        mark.font.color.rgb = MARK_RED
    paragraph.paragraph_format.keep_with_next = kind == "table"


def _t(lang: str, key: str, **values) -> str:
    from dashboard import i18n

    return i18n.text(key, lang, **values)


def _table(document, frame, lang: str) -> None:
    rows, cols = len(frame) + 1, len(frame.columns)
    table = document.add_table(rows=rows, cols=cols)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = Pt(TABLE_PT if cols <= 5 else 9)
    header = table.rows[0]
    # The header row repeats on every page the table runs over.
    trpr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for cell, name in zip(header.cells, frame.columns, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(name))
        run.font.bold = True
        run.font.size = size
        _fonts(run, *FONTS[lang]["heading"])
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _shade(cell, "E8EDF2")
    kinds = column_kinds(frame)
    for r, values in enumerate(frame.itertuples(index=False), start=1):
        for cell, value, kind in zip(table.rows[r].cells, values, kinds, strict=True):
            paragraph = cell.paragraphs[0]
            if kind == "num":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = paragraph.add_run("" if value is None else str(value))
            run.font.size = size
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.line_spacing = 1.1
    document.add_paragraph().paragraph_format.space_after = Pt(2)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _header_and_footer(document, briefing: Briefing) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if briefing.simulated:
        mark = header.add_run(f"{briefing.t('briefing.mark')} · {briefing.t('briefing.mark_note')}")
        mark.font.color.rgb = MARK_RED
        mark.font.size = Pt(9)
        mark.font.bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, _, after = briefing.t("briefing.page", page="\0", pages="\1").partition("\0")
    middle, _, end = after.partition("\1")
    footer.add_run(before)
    _field(footer, " PAGE ", "1")
    footer.add_run(middle)
    _field(footer, " NUMPAGES ", "1")
    footer.add_run(end)


def write(briefing: Briefing, pngs: dict[str, bytes]) -> bytes:
    """The .docx file's bytes."""
    document = docx.Document()
    lang = briefing.lang
    _setup(document, lang)
    core = document.core_properties
    core.title = briefing.title
    core.language = "zh-CN" if lang == "zh" else "en"
    core.author = "医联体协作看板" if lang == "zh" else "Medical alliance dashboard"
    _header_and_footer(document, briefing)
    document.add_paragraph(briefing.title, style="Title")
    for label, value in briefing.facts:
        facts = document.add_paragraph()
        facts.alignment = WD_ALIGN_PARAGRAPH.CENTER
        facts.paragraph_format.space_after = Pt(0)
        facts.add_run(f"{label}：" if lang == "zh" else f"{label}: ").bold = True
        facts.add_run(value)
    if briefing.simulated:
        note = document.add_paragraph()
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
        sep = " " if lang == "en" else ""
        run = note.add_run(
            f"{briefing.t('briefing.block_mark')}{sep}{briefing.t('briefing.mark_note')}"
        )
        run.font.color.rgb = MARK_RED
    for heading, blocks in numbered(briefing):
        document.add_heading(heading, level=1)
        for n, block in blocks:
            if isinstance(block, Text):
                document.add_paragraph(block.text).paragraph_format.first_line_indent = (
                    Pt(BODY_PT * 2) if lang == "zh" else None
                )
            elif isinstance(block, Figure):
                picture = document.add_paragraph()
                picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
                picture.paragraph_format.keep_with_next = True
                width_cm = TEXT_WIDTH_CM * min(1.0, block.width_px / 760)
                picture.add_run().add_picture(io.BytesIO(pngs[block.name]), width=Cm(width_cm))
                _caption(document, "figure", n, block.caption, block.simulated, lang)
                if block.note:
                    note = document.add_paragraph(block.note)
                    note.runs[0].font.size = Pt(CAPTION_PT)
            elif isinstance(block, Table):
                _caption(document, "table", n, block.caption, block.simulated, lang)
                _table(document, block.frame, lang)
                if block.note:
                    note = document.add_paragraph(block.note)
                    note.runs[0].font.size = Pt(CAPTION_PT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
