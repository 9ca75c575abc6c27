"""The findings as a workbook: the list (file, row, column, value, rule in the reader's language),
then for each file its rows that have a finding, as the file has them, the offending cells
filled red with the rule as a comment. Every cell is inert (no formula)."""

from __future__ import annotations

import io
from pathlib import Path

from dashboard import export, i18n
from dashboard.importer import read as reader
from dashboard.importer.findings import Checked, _Findings

MARK = "F4B6B0"  # the offending cell's fill
SHEET_CHARS = 31  # Excel's longest sheet name


def workbook(problems: list[dict], folder: Path, lang: str) -> bytes:
    """The findings workbook for the files in folder."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    t = i18n.text
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = t("office.findings_sheet", lang)[:SHEET_CHARS]
    heads = ["file", "row", "column", "value", "rule", "severity"]
    sheet.append([t(f"office.col.{h}", lang) for h in heads])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for p in problems:
        sheet.append(
            [
                export.inert(p["file"]),
                p["row"],
                export.inert(p["column"]),
                export.inert(p["value"]),
                export.inert(p[f"rule_{lang}"]),
                t(f"import.report.{p['severity']}", lang),
            ]
        )
    for letter, width in zip("ABCDEF", (24, 8, 18, 24, 80, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    fill = PatternFill("solid", fgColor=MARK)
    by_file: dict[str, list[dict]] = {}
    for p in problems:
        if p["row"] is not None:
            by_file.setdefault(p["file"], []).append(p)
    used = {sheet.title}
    for name, found in by_file.items():
        path = folder / name
        if not path.is_file():
            continue
        try:
            read = reader._read(path, _Findings(Checked()))
        except Exception:  # noqa: BLE001 (a file the importer could not read: the list says why)
            continue
        rows = {int(r): i for i, r in enumerate(read.rows)}
        title = _sheet_title(Path(name).stem, used)
        out = book.create_sheet(title)
        out.append([t("office.col.row", lang), *[export.inert(h) for h in read.header]])
        for cell in out[1]:
            cell.font = Font(bold=True)
        where = {}
        for p in found:
            where.setdefault(int(p["row"]), []).append(p)
        for excel_row in sorted(where):
            if excel_row not in rows:
                continue
            values = list(read.body.iloc[rows[excel_row]])
            out.append([excel_row, *[export.inert(v) for v in values]])
            line = out.max_row
            for p in where[excel_row]:
                if p["column"] in read.header:
                    cell = out.cell(line, read.header.index(p["column"]) + 2)
                    cell.fill = fill
                    cell.comment = Comment(p[f"rule_{lang}"], "import")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(stem: str, used: set[str]) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" or ord(ch) < 32 else ch for ch in stem)
    title = clean[:SHEET_CHARS] or "file"
    n = 2
    while title in used:
        title = f"{clean[: SHEET_CHARS - 3]}~{n}"
        n += 1
    used.add(title)
    return title
