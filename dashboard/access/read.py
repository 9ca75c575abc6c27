"""Stage 1 of the access list: the file's bytes to rows of text cells, each with its line number.

Excel saves a list as UTF-8 (with or without a BOM), GBK/GB18030 on a Chinese Windows, or as
"Unicode text": UTF-16 with a BOM and tabs between the cells. All are read here."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from dashboard.access.normalise import header_name


class UnreadableList(ValueError):
    """The file as a whole cannot be read (not text, or the needed columns are missing); the
    message key (access.list.*) and its values say why."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Row:
    """One line of the list: its line number in the file and its cells by column name."""

    line: int
    cells: dict[str, str]


def decode(raw: bytes) -> str:
    """The text of the file, whatever Excel saved it as; UnreadableList if it is not text."""
    if raw.startswith(b"PK\x03\x04"):  # an .xlsx workbook (a zip), saved instead of CSV
        raise UnreadableList("access.list.xlsx")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    elif raw.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    elif len(raw) >= 4 and raw[1:4:2] == b"\x00\x00":  # UTF-16 little-endian without a BOM
        encodings = ("utf-16-le",)
    else:
        encodings = ("utf-8", "gb18030")  # GB18030 reads every GBK file too
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableList("access.list.encoding")


def rows(raw: bytes, needed: tuple[str, ...]) -> list[Row]:
    """The rows of the list by column (email, regions, role, sub: English or Chinese headers),
    blank lines left out; UnreadableList when a needed column is missing."""
    text = decode(raw)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise UnreadableList("access.list.empty") from None
    columns = {}
    for index, name in enumerate(header):
        known = header_name(name)
        if known and known not in columns:
            columns[known] = index
    missing = [name for name in needed if name not in columns]
    if missing:
        raise UnreadableList("access.list.columns", columns=", ".join(missing))
    out = []
    start = reader.line_num + 1
    for cells in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue  # a blank line Excel left
        out.append(
            Row(line, {name: cells[i] if i < len(cells) else "" for name, i in columns.items()})
        )
    return out
