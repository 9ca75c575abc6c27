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

from dashboard import i18n, safe
from dashboard.importer import guard
from dashboard.importer.findings import _Findings
from dashboard.importer.spec import _SPACE, MAX_LISTED, SUFFIXES, TABLES, _fold

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


def _read_csv(
    path: Path, findings: _Findings, limits: guard.Limits = guard.DEFAULT
) -> tuple[list[str], pd.DataFrame, np.ndarray]:
    text = _decode(path.read_bytes())
    first = text.split("\n", 1)[0]
    sep = "\t" if first.count("\t") > first.count(",") else ","
    width = len(next(csv.reader([first], delimiter=sep), []))
    budget = guard.row_budget(width, limits)  # the header, the rows allowed, one more to tell
    try:
        frame = pd.read_csv(
            io.BytesIO(text.encode("utf-8")),
            sep=sep,
            dtype=str,
            header=None,
            keep_default_na=False,
            skip_blank_lines=False,
            nrows=budget + 2,
        )
        frame = frame.fillna("")
        rows = np.arange(1, len(frame) + 1)
    except pd.errors.EmptyDataError:
        return [], pd.DataFrame(), np.array([], dtype=int)
    except (pd.errors.ParserError, csv.Error, ValueError):
        # Rows longer than the header: read line by line, report each, keep the rest.
        reader = csv.reader(io.StringIO(text), delimiter=sep)
        records, rows_list = [], []
        width = None  # the header's, from the first record
        for record in reader:
            if len(records) > budget + 1:
                break
            if width is None:
                width = len(record)
            if len(record) > width and any(c.strip(_SPACE) for c in record[width:]):
                findings.add(path.name, reader.line_num, "", sep.join(record[width:]), "ragged")
                continue
            records.append((record + [""] * width)[:width])
            rows_list.append(reader.line_num)
        frame = pd.DataFrame(records, dtype=str)
        rows = np.array(rows_list, dtype=int)
    if len(frame) > budget + 1:
        raise guard.too_many_rows(len(frame.columns), limits)
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


def _sheet_names(table_names: dict[str, str], title: str) -> str | None:
    """The table a sheet is named after (its name, Chinese or English label), if any."""
    return table_names.get(_fold(title))


def _table_names() -> dict[str, str]:
    out = {}
    for table in TABLES:
        labels = i18n.catalogue().get(f"data.table.{table}", {})
        for written in (table, labels.get("zh"), labels.get("en")):
            if written:
                out[_fold(written)] = table
    return out


def _holds_a_table(sheet) -> bool:
    """Whether a sheet's first row has every required column of some table."""
    from dashboard.importer.spec import SPEC, _fold_header, header_map

    try:
        first = next(sheet.iter_rows(max_row=1, values_only=True), ())
    except Exception:  # noqa: BLE001 (a sheet openpyxl cannot read holds no table for us)
        return False
    heads = {_fold_header(str(v)) for v in first if v is not None}
    for table in TABLES:
        names = {header_map(table).get(h) for h in heads}
        if all(c.name in names for c in SPEC[table] if c.required):
            return True
    return False


def choose_sheet(book, path: Path, findings: _Findings):
    """The sheet a person sees: the visible sheet named after a table, else the only visible
    sheet holding a table, else the visible active sheet; refused, naming the sheets, when
    several visible sheets hold a table and none is named after it. Hidden sheets are never
    read; sheets not read are named in a warning."""
    sheets = list(book.worksheets)
    visible = [w for w in sheets if w.sheet_state == "visible"]
    if not visible:
        raise _Unreadable("sheets_unclear", sheets=_listed(sheets))
    names = _table_names()
    named = [w for w in visible if _sheet_names(names, w.title)]
    active = book.active if book.active in visible else visible[0]
    if len(named) > 1:
        raise _Unreadable("sheets_several_tables", sheets=_listed(named))
    if named:
        chosen = named[0]
    elif len(visible) == 1:
        chosen = visible[0]
    else:
        tables = [w for w in visible if _holds_a_table(w)]
        if len(tables) > 1:
            raise _Unreadable("sheets_unclear", sheets=_listed(tables))
        chosen = tables[0] if tables else active
    hidden = [w.title for w in sheets if w.sheet_state != "visible"]
    others = [w.title for w in visible if w is not chosen]
    if hidden or others:
        findings.add(
            path.name,
            None,
            "",
            chosen.title,
            "sheets_not_read",
            "warning",
            sheet=safe.for_terminal(chosen.title),
            hidden="、".join(safe.for_terminal(t) for t in hidden) or "—",
            others="、".join(safe.for_terminal(t) for t in others) or "—",
        )
    return chosen


def _listed(sheets) -> str:
    return "、".join(f"“{safe.for_terminal(w.title)}”" for w in sheets)


def formulas_without_values(path: Path, part: str) -> list[str]:
    """Cells (e.g. "B3") of a worksheet part that hold a formula and no saved value: a script
    wrote the workbook and no spreadsheet ever calculated it."""
    import xml.etree.ElementTree as ET
    import zipfile

    part = part.lstrip("/")
    with zipfile.ZipFile(path) as z:
        with z.open(part) as f:  # a quick look first: most sheets have no formula at all
            found = False
            tail = b""
            while chunk := f.read(1 << 20):
                if b"<f" in tail + chunk or b":f" in tail + chunk:
                    found = True
                    break
                tail = chunk[-8:]
        if not found:
            return []
        out = []
        with z.open(part) as f:
            for _, element in ET.iterparse(f, events=("end",)):
                tag = element.tag.rsplit("}", 1)[-1]
                if tag != "c":
                    continue
                kids = {child.tag.rsplit("}", 1)[-1]: child for child in element}
                value = kids.get("v")
                if "f" in kids and (value is None or not (value.text or "")):
                    out.append(element.get("r", ""))
                element.clear()
        return out


def _read_xlsx(
    path: Path, findings: _Findings, limits: guard.Limits = guard.DEFAULT
) -> tuple[list[str], pd.DataFrame, np.ndarray, list[str]]:
    import openpyxl  # only when an Excel file is read

    guard.xlsx_package(path, limits)  # before openpyxl loads its shared strings into memory
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # corrupt or not an xlsx: openpyxl raises many kinds
        raise _Unreadable("unreadable", detail=type(exc).__name__) from exc
    try:
        sheet = choose_sheet(book, path, findings)
        try:
            empty_formulas = formulas_without_values(path, sheet._worksheet_path)
        except (KeyError, OSError, SyntaxError):  # a part openpyxl read but we cannot: no check
            empty_formulas = []
        sheet.reset_dimensions()  # some writers record wrong dimensions
        records, numbers, last, n_cells = [], [], 0, 0
        for cells in sheet.iter_rows():  # streamed: stops at the limits, not at the file's end
            n_cells += len(cells)
            if n_cells > limits.max_cells:
                raise guard.cells_refused(limits)
            if len(records) > limits.max_rows:
                raise guard.rows_refused(limits)
            number = next((c.row for c in cells if getattr(c, "row", None)), last + 1)
            last = number
            records.append([_cell_text(c) for c in cells])
            numbers.append(number)
    finally:
        book.close()
    if not records:
        return [], pd.DataFrame(), np.array([], dtype=int), empty_formulas
    width = max(len(r) for r in records)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in records], dtype=str)
    header = list(frame.iloc[0])
    rows = np.array(numbers[1:], dtype=int)
    return header, frame.iloc[1:].reset_index(drop=True), rows, empty_formulas


def _formula_findings(path: Path, header: list[str], refs: list[str], findings: _Findings):
    """A finding per formula cell without a saved value, naming the cell, its row and column."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    for ref in refs[:MAX_LISTED]:
        try:
            letters, row = coordinate_from_string(ref)
        except ValueError:
            letters, row = "", None
        index = column_index_from_string(letters) - 1 if letters else -1
        column = header[index] if 0 <= index < len(header) else letters
        findings.add(path.name, row, column, "", "formula_without_value", cell=ref)
    findings.overflow(
        path.name, "", "formula_without_value", len(refs) - min(len(refs), MAX_LISTED)
    )


def _read(path: Path, findings: _Findings, limits: guard.Limits = guard.DEFAULT) -> _Sheet:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise _Unreadable("format")
    try:
        guard.file_size(path, limits)
        if suffix == ".csv":
            header, body, rows = _read_csv(path, findings, limits)
        else:
            header, body, rows, formulas = _read_xlsx(path, findings, limits)
            if formulas:
                _formula_findings(path, header, formulas, findings)
    except guard.Refused as exc:
        raise _Unreadable(exc.rule, **exc.values) from None
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
