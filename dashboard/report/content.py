"""What a briefing holds, independent of its file format: sections of text, figures and tables.

gather builds a Briefing from the named queries; docx and pdf write the same Briefing, so the
Word file and the PDF carry the same headings, numbers and captions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard import export, i18n

CHINESE_NUMERALS = "一二三四五六七八九十"
_NUMBER = re.compile(r"^[+\-−]?[\d,.]+( / [\d,.]+)?( ?%)?$|^—$")
# A date as fmt.dated writes it (2017年6月, 不晚于2024年2月29日, by 5 Sep 2017): one line.
_DATE = re.compile(
    r"^(不晚于)?\d{4}年(\d{1,2}月(\d{1,2}日)?)?$|^(by )?(\d{1,2} )?([A-Z][a-z]+ )?\d{4}$"
)
SHORT_CHARS = 10  # a column whose cells are all this short is never wrapped


@dataclass
class Text:
    """A paragraph."""

    text: str


@dataclass
class Figure:
    """A chart, rendered to PNG at width_px × height_px (CSS pixels) before it is written."""

    name: str
    caption: str
    fig: go.Figure
    simulated: bool = False
    note: str = ""
    width_px: int = 760  # the full text width
    height_px: int = 440


@dataclass
class Table:
    """A table of display text: translated headers, formatted cells."""

    caption: str
    frame: pd.DataFrame
    simulated: bool = False
    note: str = ""


@dataclass
class Section:
    heading: str
    blocks: list = field(default_factory=list)


@dataclass
class Briefing:
    """A province's or an alliance's briefing in one language."""

    kind: str  # 'province' or 'alliance'
    key: str  # adcode or alliance id
    lang: str
    title: str
    facts: list[tuple[str, str]]  # scope, date, data as-of … shown under the title
    sections: list[Section]
    simulated: bool  # any simulated row anywhere: the mark goes on every page
    filename: (
        str  # file name without extension, in the briefing's language: 浙江省_医联体简报_2025年
    )

    def file_name(self, ext: str) -> str:
        """The file's name, safe on every desktop (no path or reserved characters)."""
        return export.file_name(self.filename, ext)

    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]

    def t(self, key: str, **values: object) -> str:
        return i18n.text(key, self.lang, **values)


def column_kinds(frame: pd.DataFrame) -> list[str]:
    """Per column: 'num' (figures: right-aligned), 'short' (kept on one line: short cells, or
    dates) or ''."""
    kinds = []
    for column in frame.columns:
        cells = frame[column].astype(str)
        if len(cells) and cells.str.match(_NUMBER).all():
            kinds.append("num")
        elif len(cells) and (
            cells.str.len().max() <= SHORT_CHARS
            or (cells[cells != ""].str.match(_DATE).all() and (cells != "").any())
        ):
            kinds.append("short")
        else:
            kinds.append("")
    return kinds


def heading_number(i: int, lang: str) -> str:
    """Section numbers as a commission writes them: 一、二、… in Chinese, 1. 2. … in English."""
    if lang == "en":
        return f"{i}. "
    if i <= 10:
        numeral = CHINESE_NUMERALS[i - 1]
    elif i < 20:
        numeral = "十" + CHINESE_NUMERALS[i - 11]
    else:
        numeral = str(i)
    return f"{numeral}、"


def caption_label(kind: str, n: int, lang: str) -> str:
    """'图 3' / 'Figure 3', '表 2' / 'Table 2'."""
    return i18n.text(f"briefing.{kind}_label", lang, n=n)


def numbered(briefing: Briefing):
    """Each section with its number, and each block with its figure or table number (0 for text)."""
    figures = tables = 0
    for i, section in enumerate(briefing.sections, start=1):
        blocks = []
        for block in section.blocks:
            if isinstance(block, Figure):
                figures += 1
                blocks.append((figures, block))
            elif isinstance(block, Table):
                tables += 1
                blocks.append((tables, block))
            else:
                blocks.append((0, block))
        yield heading_number(i, briefing.lang) + section.heading, blocks
