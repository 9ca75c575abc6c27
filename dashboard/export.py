"""Downloads: the one code path for every CSV and Excel file the app or the CLI writes.

What goes out is inert and in the reader's language. Text a spreadsheet would evaluate (it
starts with =, +, -, @, tab or carriage return; OWASP's CSV-injection list) gets a leading
apostrophe in CSV, and in Excel is written as a text cell with Excel's own "quote prefix" (what
Excel stores when a user types '=…), never as a formula. Numbers stay numbers, dates are real
Excel dates, codes and yes/no read as labels, headers are translated. Pure; no Streamlit.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from dashboard import atomic, i18n

# table -> the named query that exports it whole
EXPORTS = {
    "alliances": "export_alliances",
    "sites": "export_sites",
    "memberships": "export_memberships",
    "county_measures": "export_county_measures",
    "county_judgements": "export_county_judgements",
    "county_metrics": "export_county_metrics",
    "activities": "export_activities",
    "funding": "export_funding",
    "milestones": "export_milestones",
    "figures": "export_figures",
    "indicators": "export_indicators",
    "measures": "export_measures",
    "articles": "export_articles",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters an .xlsx file cannot hold (XML 1.0); shown as U+FFFD instead of failing the file.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet size, less the header row
# A table longer than a sheet goes on over several (活动_1, 活动_2 …), at most this many: 16 sheets
# hold 16.7 million rows, ten times the national activities; past that a table is refused.
XLSX_MAX_SHEETS = 16
SHEET_NAME_MAX = 31  # Excel's limit
WIDTH_SAMPLE_ROWS = 2000  # column widths are measured on the first rows only
WIDTH_MIN, WIDTH_MAX = 6, 60  # in Excel's character units

# column -> code group of its labels (messages <group>.<code>), for every table …
CODE_COLUMNS = {
    "form": "form",
    "scope": "scope",
    "role": "role",
    "tier": "tier",
    "ownership": "ownership",
    "direction": "direction",
    "origin": "export.origin",
    # how exact a date is (到月, 不晚于…): read with the date beside it
    "founded_precision": "precision",
    "joined_precision": "precision",
    "date_precision": "precision",
}
# … and where one column name means different codes in different tables.
TABLE_CODE_COLUMNS = {
    ("sites", "kind"): "kind",
    ("activities", "kind"): "activity",
    ("funding", "source"): "funding",
    ("indicators", "kind"): "indicator_kind",
    ("scorecard", "kind"): "indicator_kind",
    ("scorecard", "unit"): "metrics.units",
}
# date columns shown to the month only
MONTH_COLUMNS = {("activities", "month")}


class ExportTooLarge(ValueError):
    """More rows than an Excel workbook is allowed to hold here (XLSX_MAX_SHEETS sheets)."""


# Text that starts like a formula but is none: a lone sign ("+" qualifies "110+"), a plain number.
_NOT_A_FORMULA = re.compile(r"[=+\-@]|[+-]?\d+(\.\d+)?%?")


def looks_like_formula(value: object) -> bool:
    """Text a spreadsheet would evaluate as a formula (or turn into one)."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not _NOT_A_FORMULA.fullmatch(value)
    )


def inert(value: object) -> object:
    """A CSV cell made inert: formula-looking text gets a leading apostrophe; others unchanged."""
    return "'" + value if looks_like_formula(value) else value


def yes_no(value: object, lang: str) -> object:
    """True/False as 是/否 (Yes/No); missing stays missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return i18n.text("export.yes" if value else "export.no", lang)


def _is_bool(column: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(column):
        return True
    values = column.dropna()
    return column.dtype == object and len(values) > 0 and values.map(type).eq(bool).all()


def readable(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Yes/no columns as 是/否; everything else as it is (pages translate their own tables)."""
    out = frame.copy()
    for name in out.columns:
        if _is_bool(out[name]):
            out[name] = out[name].map(lambda v: yes_no(v, lang)).astype(object)
    return out


def header(column: str, lang: str, table: str | None = None) -> str:
    """A table column's header in lang: the import template's (messages import.col.<table>.
    <column>, so a download can be imported again), else messages export.col.<column>, else
    the column's name."""
    for key in (f"import.col.{table}.{column}", f"export.col.{column}"):
        if key in i18n.catalogue():
            return i18n.text(key, lang)
    return column


def localise(frame: pd.DataFrame, table: str, lang: str, metric_names: dict | None = None):
    """A whole table as a reader sees it: code labels, yes/no, translated headers.

    metric_names (metric id -> name) labels county_metrics.metric."""
    out = frame.copy()
    for name in out.columns:
        group = TABLE_CODE_COLUMNS.get((table, name)) or (
            CODE_COLUMNS.get(name) if (table, name) not in TABLE_CODE_COLUMNS else None
        )
        if group:
            out[name] = out[name].map(
                lambda v, g=group: i18n.code_label(g, v, lang) if pd.notna(v) else None
            )
        elif name in ("metric", "indicator_id", "measure") and metric_names:
            out[name] = out[name].map(lambda v: metric_names.get(v, v))
        if (table, name) in MONTH_COLUMNS and pd.api.types.is_datetime64_any_dtype(out[name]):
            out[name] = out[name].dt.to_period("M")
    out = readable(out, lang)
    return out.rename(columns={c: header(c, lang, table) for c in out.columns})


# The scorecard for scripts (export scorecard --province): these columns, named by the contract.
SCORECARD_KEYS = [
    "county_adcode",
    "county_name",
    "is_province",
    "district",
    "year",
    "indicator_id",
    "area",
    "number",
    "name_zh",
    "name_en",
    "unit",
    "kind",
    "direction",
    "target",
    "provisional",
    "value",
    "numerator",
    "denominator",
    "weighted",
    "on_target",
    "rank",
    "ranked",
    "change_1y",
    "simulated",
]


def keyed(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame for scripts: yes/no columns as true/false, everything else as stored."""
    out = frame.copy()
    for name in out.columns:
        if _is_bool(out[name]):
            out[name] = out[name].map(lambda v: None if pd.isna(v) else str(bool(v)).lower())
    return out


def scorecard_frame(cells: pd.DataFrame, catalogue: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per county and indicator and the province's own row (query scorecard's rows
    joined with the catalogue, query metric_catalogue), in the contract's keys."""
    info = catalogue.set_index("indicator_id")[
        ["area", "number", "name_zh", "name_en", "unit", "kind", "direction", "target"]
        + ["provisional", "area_position", "set_id"]
    ]
    frame = cells.rename(columns={"adcode": "county_adcode", "name": "county_name"})
    frame = frame.drop(columns=["name_en"]).join(info, on="indicator_id").assign(year=year)
    order = ["is_province", "county_adcode", "area_position", "number"]
    frame = frame.sort_values(order, ascending=[False, True, True, True], ignore_index=True)
    return frame[SCORECARD_KEYS]


def table_frame(
    run: Callable[[str], pd.DataFrame], table: str, lang: str, headers: str = "labels"
) -> pd.DataFrame:
    """A whole table (one of EXPORTS) localised for download; run(query name) -> DataFrame.
    headers="keys": the contract's column names and codes as they are, for scripts."""
    frame = run(EXPORTS[table])
    if headers == "keys":
        return keyed(frame)
    names = None
    column = "name_en" if lang == "en" else "name_zh"
    if table in ("county_metrics", "county_judgements"):
        catalogue = run(EXPORTS["indicators"])
        names = dict(zip(catalogue["indicator_id"], catalogue[column], strict=True))
    elif table == "county_measures":
        catalogue = run(EXPORTS["measures"])
        names = dict(zip(catalogue["measure_id"], catalogue[column], strict=True))
    return localise(frame, table, lang, names)


def sheet_title(table: str, lang: str) -> str:
    """The translated name of a table (messages data.table.<table>), else the table's name."""
    key = f"data.table.{table}"
    return i18n.text(key, lang) if key in i18n.catalogue() else table


# ---- cells -------------------------------------------------------------------------------------


def _date_kind(column: pd.Series) -> str | None:
    """'date', 'datetime' or 'month' for a column of dates, None otherwise."""
    if isinstance(column.dtype, pd.PeriodDtype):
        return "month"
    if pd.api.types.is_datetime64_any_dtype(column):
        values = column.dropna()
        has_time = bool(len(values)) and bool((values != values.dt.normalize()).any())
        return "datetime" if has_time else "date"
    values = column.dropna()
    if column.dtype == object and len(values) and values.map(type).eq(dt.date).all():
        return "date"
    if pd.api.types.is_string_dtype(column) or column.dtype == object:
        # pages show dates as text (fmt.dates, fmt.months); a spreadsheet gets them as dates
        text = values[values.map(lambda v: isinstance(v, str) and v != "")]
        if len(text) and len(text) == (values != "").sum():
            if text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all():
                return "isodate"
            if text.str.fullmatch(r"\d{4}-\d{2}").all():
                return "isomonth"
    return None


def _cells(column: pd.Series) -> list:
    """A column as Python values: None for missing, dates as date/datetime, numbers as numbers."""
    kind = _date_kind(column)
    if kind == "month":
        return [None if pd.isna(v) else v.to_timestamp().date() for v in column]
    if kind == "date":
        return [None if pd.isna(v) else pd.Timestamp(v).date() for v in column]
    if kind == "datetime":
        return [None if pd.isna(v) else pd.Timestamp(v).to_pydatetime() for v in column]
    if kind in ("isodate", "isomonth"):
        day = "" if kind == "isodate" else "-01"
        return [
            dt.date.fromisoformat(v + day) if isinstance(v, str) and v else None for v in column
        ]
    out = []
    for v in column.astype(object):
        if v is None or v is pd.NA or (isinstance(v, float) and v != v) or v is pd.NaT:
            out.append(None)
        elif hasattr(v, "item") and not isinstance(v, str):  # numpy scalar
            out.append(v.item())
        else:
            out.append(v)
    return out


def _csv_text(value: object, kind: str | None) -> object:
    if value is None:
        return ""
    if kind in ("month", "isomonth"):
        return value.strftime("%Y-%m")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    return inert(value) if isinstance(value, str) else value


def csv_bytes(frame: pd.DataFrame, lang: str = i18n.DEFAULT_LANG) -> bytes:
    """The frame as CSV for Excel: UTF-8 with BOM, inert text, ISO dates, 是/否."""
    frame = readable(frame, lang)
    kinds = [_date_kind(frame[c]) for c in frame.columns]
    columns = [_cells(frame[c]) for c in frame.columns]
    buffer = io.StringIO()
    # Text quoted, numbers bare: a number stays a number, a text cell is one field whatever it
    # holds (commas, quotes, newlines).
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow([inert(str(c)) for c in frame.columns])
    for row in zip(*columns, strict=True) if columns else ():
        writer.writerow([_csv_text(v, k) for v, k in zip(row, kinds, strict=True)])
    if not len(frame.columns):
        writer.writerow([])
    return buffer.getvalue().encode("utf-8-sig")


def _display_width(value: object) -> int:
    text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text[:200])


def _width(name: str, values: list, kind: str | None) -> float:
    if kind in ("date", "month", "isodate", "isomonth"):
        widest = 10
    elif kind == "datetime":
        widest = 19
    else:
        sample = values[:WIDTH_SAMPLE_ROWS]
        widest = max(
            (_display_width(f"{v:,.2f}" if isinstance(v, float) else v) for v in sample if v),
            default=0,
        )
    widest = max(widest, _display_width(name))
    return float(min(max(widest + 2, WIDTH_MIN), WIDTH_MAX))


def safe_sheet_name(title: str) -> str:
    """A sheet name Excel accepts: no []:*?/\\ and at most 31 characters."""
    name = re.sub(r"[\[\]:*?/\\]", "_", title).strip("'") or "Sheet"
    return name[:SHEET_NAME_MAX]


def sheet_parts(title: str, rows: int, limit: int | None = None) -> list[tuple[str, int, int]]:
    """How a table of rows goes on sheets: [(sheet name, first row, end row)]. One sheet named
    title when it fits; else title_1, title_2 … (each name within Excel's 31 characters)."""
    limit = limit or XLSX_MAX_ROWS
    if rows <= limit:
        return [(safe_sheet_name(title), 0, rows)]
    count = -(-rows // limit)
    parts = []
    for i in range(count):
        suffix = f"_{i + 1}"
        name = safe_sheet_name(title)[: SHEET_NAME_MAX - len(suffix)] + suffix
        parts.append((name, i * limit, min((i + 1) * limit, rows)))
    return parts


def _add_sheet(workbook, title: str, frame: pd.DataFrame, lang: str) -> None:
    """The frame on one sheet, or over several when it has more rows than a sheet holds."""
    parts = sheet_parts(title, len(frame))
    if len(parts) > XLSX_MAX_SHEETS:
        raise ExportTooLarge(
            i18n.text(
                "export.too_large",
                lang,
                rows=f"{len(frame):,}",
                limit=f"{XLSX_MAX_ROWS * XLSX_MAX_SHEETS:,}",
            )
        )
    for name, start, end in parts:
        part = frame if len(parts) == 1 else frame.iloc[start:end]
        _fill_sheet(workbook, name, part, lang)


def _fill_sheet(workbook, name: str, frame: pd.DataFrame, lang: str) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    frame = readable(frame, lang)
    sheet = workbook.create_sheet(name)
    names = [str(c) for c in frame.columns]
    kinds = [_date_kind(frame[c]) for c in frame.columns]
    columns = [_cells(frame[c]) for c in frame.columns]
    for i, (column, values, kind) in enumerate(zip(names, columns, kinds, strict=True), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = _width(column, values, kind)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def text_cell(value: str, font=None):
        cell = WriteOnlyCell(sheet)
        cell.value = _XML_ILLEGAL.sub("\ufffd", value)
        cell.data_type = "s"  # never a formula, whatever it starts with
        if looks_like_formula(value):
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
        if font is not None:
            cell.font = font
        return cell

    sheet.append([text_cell(name, bold) for name in names])
    formats = {
        "date": "yyyy-mm-dd",
        "isodate": "yyyy-mm-dd",
        "month": "yyyy-mm",
        "isomonth": "yyyy-mm",
        "datetime": "yyyy-mm-dd hh:mm:ss",
    }
    for row in zip(*columns, strict=True) if columns else ():
        out = []
        for value, kind in zip(row, kinds, strict=True):
            if isinstance(value, str):
                out.append(text_cell(value))
            elif kind and value is not None:
                cell = WriteOnlyCell(sheet, value)
                cell.number_format = formats[kind]
                out.append(cell)
            else:
                out.append(value)
        sheet.append(out)


def xlsx_save(sheets: dict[str, pd.DataFrame], target, lang: str = i18n.DEFAULT_LANG) -> None:
    """An Excel workbook with one named sheet per frame (sheet title -> frame), a frame longer
    than a sheet over several, saved to target (a path or a binary file)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, frame in sheets.items():
        _add_sheet(workbook, title, frame, lang)
    workbook.save(target)


class _Quiet:
    """A file for openpyxl's ZipFile that goes quiet once the save has ended: after a failed
    save (a full disk) openpyxl leaves its ZipFile open, and its __del__ would otherwise write
    into the closed, removed file and print an ignored-exception trace."""

    def __init__(self, f):
        self._f, self.done, self._pos = f, False, 0

    def write(self, data) -> int:
        if not self.done:
            return self._f.write(data)
        self._pos += len(data)  # a null file from here on, that still counts its position
        return len(data)

    def tell(self) -> int:
        return self._pos if self.done else self._f.tell()

    def seek(self, offset: int, whence: int = 0) -> int:
        if not self.done:
            return self._f.seek(offset, whence)
        self._pos = offset if whence == 0 else self._pos + offset
        return self._pos

    def flush(self) -> None:
        if not self.done:
            self._f.flush()

    def __getattr__(self, name: str):
        return getattr(self._f, name)


def xlsx_file(sheets: dict[str, pd.DataFrame], f, lang: str = i18n.DEFAULT_LANG) -> None:
    """xlsx_save into an open binary file (an atomic.open_for file)."""
    sink = _Quiet(f)
    try:
        xlsx_save(sheets, sink, lang)
    finally:
        sink._pos, sink.done = 0, True


def xlsx_bytes(sheets: dict[str, pd.DataFrame], lang: str = i18n.DEFAULT_LANG) -> bytes:
    """The workbook of xlsx_save as bytes (a download)."""
    buffer = io.BytesIO()
    xlsx_save(sheets, buffer, lang)
    return buffer.getvalue()


# ---- file names --------------------------------------------------------------------------------

# path and reserved characters, controls, and the bidi controls that would show a name reversed
# (an RTL override turns "…fdp.exe" around)
_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+')


def file_name(stem: str, suffix: str) -> str:
    """A download's file name: the stem made safe for every desktop (no path or reserved
    characters), at most 100 characters, then the suffix (csv or xlsx)."""
    safe = _UNSAFE_FILE_CHARS.sub("_", stem).strip(" ._") or "export"
    return f"{safe[:100]}.{suffix}"


def table_file_stem(table: str, lang: str) -> str:
    """The file name (without suffix) of a whole-table download: 医联体_全表 / alliances_full."""
    return i18n.text("export.table_file", lang, table=sheet_title(table, lang), name=table)


# ---- the command line --------------------------------------------------------------------------


def write(
    run: Callable[[str], pd.DataFrame],
    tables: Iterable[str],
    kind: str,
    out: Path,
    lang: str = i18n.DEFAULT_LANG,
    headers: str = "labels",
) -> list[Path]:
    """Write tables as the Data page's downloads do: csv (one file per table; out is a .csv file
    for one table, else a folder) or xlsx (one workbook, a sheet per table; out is an .xlsx file
    or a folder). headers="keys" writes the contract's column names and codes. The written files
    are returned. Each file is written whole or not at all (dashboard/atomic.py); an OSError
    carries .written, the files finished before it."""
    tables = list(tables)
    out = Path(out)
    if kind == "xlsx":
        sheets = {sheet_title(t, lang): table_frame(run, t, lang, headers) for t in tables}
        if out.suffix.lower() != ".xlsx":  # a folder
            stem = table_file_stem(tables[0], lang) if len(tables) == 1 else None
            out = out / file_name(stem or i18n.text("export.all_file", lang), kind)
        atomic.folder(out.parent)
        atomic.write_with(out, lambda f: xlsx_file(sheets, f, lang))
        return [out]
    if len(tables) == 1 and out.suffix.lower() == ".csv":
        targets = {tables[0]: out}
    else:
        targets = {t: out / file_name(table_file_stem(t, lang), "csv") for t in tables}
    written: list[Path] = []
    for table, path in targets.items():
        try:
            atomic.folder(path.parent)
            atomic.write_bytes(path, csv_bytes(table_frame(run, table, lang, headers), lang))
        except OSError as exc:
            exc.written = written  # the files complete before this one failed
            raise
        written.append(path)
    return written
