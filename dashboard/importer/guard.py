"""Hostile files: bounded work before a file is parsed, and no control character, overlong text
or silent emptying gets through. Every refusal names the file (and row and column) and the limit.

Limits (defaults, each set by a command-line option; README "Limits"):

- file size 100 MB: the national county metrics at ten times today's size is about 50 MB as CSV;
- rows 1,000,000 per file (Excel's own sheet holds 1,048,576) and cells 20,000,000 per file;
- an .xlsx unpacks to at most 1,000 MB and holds at most 1,000,000 shared strings (the distinct
  texts of the workbook, which openpyxl keeps in memory even when streaming): a workbook of a
  million rows has a few thousand distinct texts, a "shared-strings bomb" millions;
- text per cell: names and titles 200 characters (the longest real name is under 40), notes and
  details 2,000, ids 64, codes and numbers 100, other text 500.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard import export, safe

MB = 1_000_000


@dataclass(frozen=True)
class Limits:
    """How much one import may ask of the machine, and whether a file may empty a table."""

    max_file_mb: float = 100
    max_rows: int = 1_000_000
    max_cells: int = 20_000_000
    max_unzipped_mb: float = 1000
    max_shared_strings: int = 1_000_000
    allow_empty: bool = False


DEFAULT = Limits()
# Tables the pages need to show anything: never emptied by an import, even when asked.
NEVER_EMPTY = {"county_metrics"}
# Longest text per cell, by column name, then by column kind.
MAX_CHARS_BY_COLUMN = {
    "name": 200,
    "title": 200,
    "label_zh": 200,
    "label_en": 200,
    "note": 2000,
    "detail": 2000,
    "specialty": 50,
    "model": 50,
    "qualifier": 10,
    "unit": 20,
}
MAX_CHARS_BY_KIND = {"id": 64, "ref_site": 64, "ref_alliance": 64, "text": 500, "source": 500}
MAX_CHARS_OTHER = 100  # codes, dates, numbers, adcodes
MULTILINE = {"note", "detail"}  # the only columns where a tab or line break is text
# Kinds whose text is kept as written and shown (formula-looking text is warned about there).
TEXT_KINDS = {"id", "text", "source", "ref_site", "ref_alliance"}
_CONTROL_NO_BREAKS = safe.CONTROL_OR_TAB
_CONTROL_WITH_BREAKS = safe.CONTROL


class Refused(Exception):
    """A file refused before it is parsed: rule (import.rule.<rule>) and its values."""

    def __init__(self, rule: str, **values):
        super().__init__(rule)
        self.rule, self.values = rule, values


def max_chars(column: str, kind: str) -> int:
    """The longest text a cell of this column may hold."""
    return MAX_CHARS_BY_COLUMN.get(column) or MAX_CHARS_BY_KIND.get(kind, MAX_CHARS_OTHER)


# ---------------------------------------------------------------- before parsing


def file_size(path: Path, limits: Limits) -> None:
    """Refuse a file larger than the limit, before a byte of it is read."""
    size = path.stat().st_size
    if size > limits.max_file_mb * MB:
        raise Refused(
            "too_big_file",
            size=f"{size / MB:,.1f}",
            limit=f"{limits.max_file_mb:g}",
            option="--max-file-mb",
        )


def row_budget(width: int, limits: Limits) -> int:
    """How many data rows a file of this width may have (rows and cells limits)."""
    return max(0, min(limits.max_rows, limits.max_cells // max(width, 1)))


def rows_refused(limits: Limits) -> Refused:
    """The refusal of a file with more rows than the limit."""
    return Refused("too_many_rows", limit=f"{limits.max_rows:,}", option="--max-rows")


def cells_refused(limits: Limits) -> Refused:
    """The refusal of a file with more cells than the limit."""
    return Refused("too_many_cells", limit=f"{limits.max_cells:,}", option="--max-cells")


def too_many_rows(width: int, limits: Limits) -> Refused:
    """The refusal of a file of this width with more rows than row_budget allows."""
    return (
        cells_refused(limits)
        if row_budget(width, limits) < limits.max_rows
        else rows_refused(limits)
    )


# The start of a shared string, <si> or <x:si …> (openpyxl ignores the prefix, so must we):
# the plain tags counted by bytes.count (fast), the prefixed ones by a regex.
_SI_PLAIN = (b"<si>", b"<si ", b"<si/", b"<si\t", b"<si\n", b"<si\r")
_SI_PREFIXED = re.compile(rb"<[A-Za-z_][\w.-]{0,15}:si[\s>/]")
_SI_MAX_LEN = 21
_CHUNK = 1 << 20
MAX_OTHER_PART_MB = 20  # styles, themes, workbook.xml: openpyxl builds objects from them all


def xlsx_package(path: Path, limits: Limits) -> None:
    """Refuse a workbook that unpacks to more than the limit, has an oversized part besides its
    sheets and strings, or whose shared-strings part holds more strings than the limit (counted
    while streaming, stopping at the limit), before openpyxl loads them all into memory."""
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
            unzipped = sum(m.file_size for m in members)
            if unzipped > limits.max_unzipped_mb * MB:
                raise Refused(
                    "xlsx_unzipped",
                    size=f"{unzipped / MB:,.0f}",
                    limit=f"{limits.max_unzipped_mb:g}",
                    option="--max-unzipped-mb",
                )
            for member in members:
                name = member.filename.lower()
                if name.endswith("sharedstrings.xml"):
                    _count_strings(z, member, limits)
                elif "worksheets/" not in name and member.file_size > MAX_OTHER_PART_MB * MB:
                    raise Refused(
                        "xlsx_part",
                        part=member.filename,
                        size=f"{member.file_size / MB:,.0f}",
                        limit=MAX_OTHER_PART_MB,
                    )
    except zipfile.BadZipFile:
        return  # not a workbook at all: openpyxl says so in its own words


def _strings_refused(limits: Limits) -> Refused:
    return Refused(
        "xlsx_strings", limit=f"{limits.max_shared_strings:,}", option="--max-shared-strings"
    )


def _count_strings(z: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits) -> None:
    count, tail = 0, b""
    with z.open(member) as part:  # reads at most the declared size; a lie fails the CRC check
        while chunk := part.read(_CHUNK):
            data = tail + chunk
            # a tag may straddle two chunks: count the tags that start before the last bytes,
            # keep those bytes for the next round
            cut = max(0, len(data) - 2 * _SI_MAX_LEN)
            head = data[: cut + len(_SI_PLAIN[0]) - 1]  # the plain tags starting before cut
            count += sum(head.count(tag) for tag in _SI_PLAIN)
            count += sum(1 for m in _SI_PREFIXED.finditer(data) if m.start() < cut)
            tail = data[cut:]
            if count > limits.max_shared_strings:
                raise _strings_refused(limits)
    count += sum(tail.count(tag) for tag in _SI_PLAIN) + len(_SI_PREFIXED.findall(tail))
    if count > limits.max_shared_strings:
        raise _strings_refused(limits)


# ---------------------------------------------------------------- cells


def check_cells(reader, col, raw: pd.Series) -> None:
    """Control characters, bidi overrides and overlong text refused; formula-looking text
    warned about (exports neutralise it, but the office should know)."""
    if not len(raw):
        return
    control = _CONTROL_WITH_BREAKS if col.name in MULTILINE else _CONTROL_NO_BREAKS
    reader.bad(raw.str.contains(control, regex=True), col.name, "control_character")
    limit = max_chars(col.name, col.kind)
    reader.bad(raw.str.len() > limit, col.name, "too_long", limit=limit)
    if col.kind in TEXT_KINDS:
        formula = raw.map(export.looks_like_formula).astype(bool)
        reader.bad(formula, col.name, "formula_text", "warning")
