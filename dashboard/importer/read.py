"""Stage 1, read: CSV (UTF-8, GB18030/GBK) and .xlsx files as text cells with their Excel row numbers."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.importer.findings import _Findings
from dashboard.importer.spec import _SPACE, SUFFIXES

# ---------------------------------------------------------------- reading files


@dataclass
class _Sheet:
    """A file's cells as text: header, body (columns 0..n-1) and each row's Excel number."""

    name: str
    header: list[str]
    body: pd.DataFrame
    rows: np.ndarray


class _Unreadable(Exception):
    def __init__(self, rule: str, **values):
        super().__init__(rule)
        self.rule, self.values = rule, values


def _decode(raw: bytes) -> str:
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw.decode(codec).lstrip("\ufeff")
            except UnicodeDecodeError:
                raise _Unreadable("encoding") from None
    for codec in ("utf-8", "gb18030"):  # GB18030 is a superset of GBK and GB2312
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    raise _Unreadable("encoding")


def _read_csv(path: Path, findings: _Findings) -> tuple[list[str], pd.DataFrame, np.ndarray]:
    text = _decode(path.read_bytes())
    first = text.split("\n", 1)[0]
    sep = "\t" if first.count("\t") > first.count(",") else ","
    try:
        frame = pd.read_csv(
            io.BytesIO(text.encode("utf-8")),
            sep=sep,
            dtype=str,
            header=None,
            keep_default_na=False,
            skip_blank_lines=False,
        )
        frame = frame.fillna("")
        rows = np.arange(1, len(frame) + 1)
    except pd.errors.EmptyDataError:
        return [], pd.DataFrame(), np.array([], dtype=int)
    except (pd.errors.ParserError, csv.Error, ValueError):
        # Rows longer than the header: read line by line, report each, keep the rest.
        reader = csv.reader(io.StringIO(text), delimiter=sep)
        records, rows_list = [], []
        width = None
        for record in reader:
            if width is None:
                width = len(record)
            if len(record) > width and any(c.strip(_SPACE) for c in record[width:]):
                findings.add(path.name, reader.line_num, "", sep.join(record[width:]), "ragged")
                continue
            records.append((record + [""] * width)[:width])
            rows_list.append(reader.line_num)
        frame = pd.DataFrame(records, dtype=str)
        rows = np.array(rows_list, dtype=int)
    header = [str(h) for h in frame.iloc[0]] if len(frame) else []
    return header, frame.iloc[1:].reset_index(drop=True), rows[1:]


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if "%" in (getattr(cell, "number_format", "") or ""):
            return f"{value * 100:.12g}%"  # a cell formatted as a percentage holds 0.875
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    return str(value)


def _read_xlsx(path: Path) -> tuple[list[str], pd.DataFrame, np.ndarray]:
    import openpyxl  # only when an Excel file is read

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # corrupt or not an xlsx: openpyxl raises many kinds
        raise _Unreadable("unreadable", detail=type(exc).__name__) from exc
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers record wrong dimensions
        records, numbers, last = [], [], 0
        for cells in sheet.iter_rows():
            number = next((c.row for c in cells if getattr(c, "row", None)), last + 1)
            last = number
            records.append([_cell_text(c) for c in cells])
            numbers.append(number)
    finally:
        book.close()
    if not records:
        return [], pd.DataFrame(), np.array([], dtype=int)
    width = max(len(r) for r in records)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in records], dtype=str)
    header = list(frame.iloc[0])
    return header, frame.iloc[1:].reset_index(drop=True), np.array(numbers[1:], dtype=int)


def _read(path: Path, findings: _Findings) -> _Sheet:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise _Unreadable("format")
    try:
        if suffix == ".csv":
            header, body, rows = _read_csv(path, findings)
        else:
            header, body, rows = _read_xlsx(path)
    except OSError as exc:
        raise _Unreadable("unreadable", detail=exc.strerror or type(exc).__name__) from exc
    body = body.apply(lambda s: s.astype("str").str.strip(_SPACE)) if len(body.columns) else body
    header = [unicodedata.normalize("NFKC", h).strip(_SPACE) for h in header]
    if len(body):
        filled = (body != "").any(axis=1).to_numpy()
        body, rows = body[filled].reset_index(drop=True), rows[filled]
    return _Sheet(path.name, header, body, rows)


def expand(paths: Iterable[Path | str]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The files named or found in the folders named; and (path, rule) for what is not there."""
    files, missing = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and p.suffix.lower() in (*SUFFIXES, ".xls")
                and not p.name.startswith((".", "~$"))
            )
            files += found
            if not found:
                missing.append((path, "no_files"))
        elif path.is_file():
            files.append(path)
        else:
            missing.append((path, "not_found"))
    return files, missing
