"""Hostile workbooks, made small on disk: a shared-strings bomb."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl

HEADER = ["alliance_id", "date", "title", "detail", "source"]
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def shared_strings_bomb(path: Path, n_strings: int = 5_000_000, prefix: str = "") -> Path:
    """A milestones .xlsx of two rows whose sharedStrings.xml holds n_strings tiny strings
    (a few hundred KB zipped, tens of MB unzipped); prefix writes them as <x:si> tags."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["R-A01", "2017-06-04", "成立", "", ""])
    plain = io.BytesIO()
    book.save(plain)
    tag = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{_NS}"' if prefix else f'xmlns="{_NS}"'
    body = f"<{tag}si><{tag}t>a</{tag}t></{tag}si>".encode() * n_strings
    strings = (
        (
            f'<?xml version="1.0" encoding="UTF-8"?><{tag}sst {xmlns} count="{n_strings}" '
            f'uniqueCount="{n_strings}">'
        ).encode()
        + body
        + f"</{tag}sst>".encode()
    )
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":  # openpyxl finds the part through it
                data = data.replace(b"</Types>", override)
            out.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
        out.writestr(
            "xl/sharedStrings.xml", strings, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9
        )
    return path
