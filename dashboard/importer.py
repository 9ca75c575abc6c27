"""Import an office's own spreadsheets: read, normalise, check, publish atomically.

`check(paths)` reads CSV (UTF-8 with or without BOM, GB18030/GBK) and .xlsx files, finds each
file's table by its columns, accepts what real files look like (Chinese or English codes and
headers, 87.5 / 87.5% / 0.875, 2017/6/4 or 2017年6月4日, stray spaces) and lists every problem
with its file, row as Excel shows it, column, value and rule (Chinese and English, from
messages/). `import_files(paths)` publishes a new database only when nothing is wrong: written
beside the current file, checked against the data contract, swapped in by one rename
(build.publish), the previous file kept as a dated backup. Each file replaces its table.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import difflib
import io
import json
import os
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from dashboard import build, db, i18n

Progress = Callable[[int, int, str], None]
TABLES = (
    "sites",
    "alliances",
    "memberships",
    "county_metrics",
    "activities",
    "funding",
    "milestones",
    "figures",
)
SUFFIXES = (".csv", ".xlsx")
MAX_LISTED = 50  # problems listed per file, column and rule; the rest are counted
UNREADABLE = {"not_found", "no_files", "format", "unreadable", "encoding"}
LON_RANGE, LAT_RANGE = (73.0, 136.0), (3.0, 54.0)
_SPACE = " \t\r\n\u3000\xa0\u200b\ufeff"


@dataclass(frozen=True)
class Col:
    """One column of an importable table: its kind says how it is read and checked."""

    name: str
    kind: str  # id text code adcode date month year count amount number value lon lat
    required: bool = True  # ref_site ref_alliance metric source
    example: str = ""


SPEC: dict[str, list[Col]] = {
    "sites": [
        Col("site_id", "id", example="R-S101"),
        Col("name", "text", example="复旦大学附属妇产科医院"),
        Col("kind", "code", example="妇幼保健院"),
        Col("tier", "code", example="三级甲等"),
        Col("ownership", "code", example="公立"),
        Col("county_adcode", "adcode", example="310101"),
        Col("lon", "lon", False, "121.48"),
        Col("lat", "lat", False, "31.23"),
        Col("beds", "count", False, "800"),
        Col("source", "source", False, "article:000"),
    ],
    "alliances": [
        Col("alliance_id", "id", example="R-A101"),
        Col("name", "text", example="丽水市妇幼保健与计划生育服务联盟"),
        Col("form", "code", example="专科联盟"),
        Col("specialty", "text", False, "妇产科"),
        Col("scope", "code", example="市级"),
        Col("model", "text", False, "X+1+9+X"),
        Col("founded_on", "date", example="2017-12-09"),
        Col("lead_site_id", "ref_site", example="R-S101"),
        Col("parent_alliance_id", "ref_alliance", False, ""),
        Col("note", "text", False, ""),
        Col("source", "source", False, "article:002"),
    ],
    "memberships": [
        Col("alliance_id", "ref_alliance", example="R-A101"),
        Col("site_id", "ref_site", example="R-S101"),
        Col("role", "code", example="牵头单位"),
        Col("joined_on", "date", example="2017/12/9"),
        Col("left_on", "date", False, ""),
        Col("source", "source", False, "article:002"),
    ],
    "county_metrics": [
        Col("county_adcode", "adcode", example="330822"),
        Col("year", "year", example="2024"),
        Col("metric", "metric", example="county_visit_rate"),
        Col("value", "value", example="87.5%"),
        Col("source", "source", False, "县卫健局统计年报"),
    ],
    "activities": [
        Col("alliance_id", "ref_alliance", example="R-A101"),
        Col("month", "month", example="2024-03"),
        Col("kind", "code", example="下转"),
        Col("from_site_id", "ref_site", False, ""),
        Col("to_site_id", "ref_site", False, ""),
        Col("count", "count", example="42"),
    ],
    "funding": [
        Col("alliance_id", "ref_alliance", example="R-A15"),
        Col("year", "year", example="2023"),
        Col("source", "code", example="中央预算内"),
        Col("amount_cny", "amount", example="2亿"),
        Col("reference", "source", False, "article:004"),
    ],
    "milestones": [
        Col("alliance_id", "ref_alliance", example="R-A101"),
        Col("date", "date", example="2017年12月9日"),
        Col("title", "text", example="联盟成立"),
        Col("detail", "text", False, ""),
        Col("source", "source", False, "article:002"),
    ],
    "figures": [
        Col("alliance_id", "ref_alliance", example="R-A15"),
        Col("figure", "id", example="operations"),
        Col("value", "number", example="3000"),
        Col("qualifier", "text", False, "+"),
        Col("unit", "text", False, "台"),
        Col("as_of", "date", example="2024-02-29"),
        Col("label_zh", "text", example="手术台次"),
        Col("label_en", "text", example="Operations"),
        Col("source", "source", False, "article:004"),
    ],
}
# Rows that must be unique, and the code group (messages/ prefix) of each code column.
KEYS = {
    "sites": ["site_id"],
    "alliances": ["alliance_id"],
    "memberships": ["alliance_id", "site_id"],
    "county_metrics": ["county_adcode", "year", "metric"],
    "figures": ["alliance_id", "figure"],
}
CODE_GROUPS = {
    ("sites", "kind"): "kind",
    ("sites", "tier"): "tier",
    ("sites", "ownership"): "ownership",
    ("alliances", "form"): "form",
    ("alliances", "scope"): "scope",
    ("memberships", "role"): "role",
    ("activities", "kind"): "activity",
    ("funding", "source"): "funding",
}
# Tables that point at sites or alliances, for ids dropped by a new sites or alliances file.
REFERENCES = {
    "sites": [
        ("memberships", "site_id"),
        ("alliances", "lead_site_id"),
        ("activities", "from_site_id"),
        ("activities", "to_site_id"),
    ],
    "alliances": [
        ("memberships", "alliance_id"),
        ("activities", "alliance_id"),
        ("funding", "alliance_id"),
        ("milestones", "alliance_id"),
        ("figures", "alliance_id"),
        ("alliances", "parent_alliance_id"),
    ],
}
NO_FUTURE = {("memberships", "left_on"), ("funding", "year")}  # may lie ahead (warned for funding)


def _quiet(step: int, total: int, label: str) -> None:
    pass


@dataclass(frozen=True)
class Problem:
    """One finding of the check, located as the user sees the file in Excel."""

    file: str
    row: int | None  # Excel row number (header = 1); None for the whole file
    column: str
    value: str
    rule: str  # the key after import.rule.
    rule_zh: str
    rule_en: str
    severity: str = "error"  # error | warning

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "rule": self.rule,
            "rule_zh": self.rule_zh,
            "rule_en": self.rule_en,
            "severity": self.severity,
        }


@dataclass
class FileInfo:
    """One input file: its name in the report, the table it fills, how many data rows."""

    path: Path
    name: str
    table: str | None = None
    rows: int = 0


@dataclass
class Checked:
    """The result of a check: problems, the cleaned tables ready to insert, and counts."""

    files: list[FileInfo] = field(default_factory=list)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # severity -> number, listed or not

    @property
    def errors(self) -> int:
        return self.counts["error"]

    @property
    def warnings(self) -> int:
        return self.counts["warning"]

    @property
    def unreadable(self) -> bool:
        return any(p.rule in UNREADABLE for p in self.problems)

    @property
    def ok(self) -> bool:
        return self.errors == 0


class ImportBusy(RuntimeError):
    """Another import holds the lock of this database."""


# ---------------------------------------------------------------- problems


def _text(rule: str, lang: str, values: dict) -> str:
    """The rule's message in lang; a value given as {"zh": …, "en": …} is taken per language."""
    message = i18n.catalogue()[f"import.rule.{rule}"][lang]
    return message.format(**{k: v[lang] if isinstance(v, dict) else v for k, v in values.items()})


class _Findings:
    """Collects problems, listing at most MAX_LISTED per file, column and rule."""

    def __init__(self, checked: Checked):
        self.checked = checked
        self.listed: Counter = Counter()
        self.hidden: Counter = Counter()

    def add(
        self, file: str, row, column: str, value, rule: str, severity: str = "error", **values
    ) -> None:
        self.checked.counts[severity] += 1
        key = (file, column, rule, severity)
        if self.listed[key] >= MAX_LISTED:
            self.hidden[key] += 1
            return
        self.listed[key] += 1
        shown = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value
        self.checked.problems.append(
            Problem(
                file,
                None if row is None else int(row),
                column,
                str(shown),
                rule,
                _text(rule, "zh", values),
                _text(rule, "en", values),
                severity,
            )
        )

    def rows(
        self,
        sheet: _Sheet,
        mask: pd.Series,
        column: str,
        raw: pd.Series,
        rule: str,
        severity: str = "error",
        **values,
    ) -> None:
        """One problem per row where mask is true (the value shown as written in the file)."""
        hit = np.flatnonzero(mask.to_numpy(dtype=bool, na_value=False))
        if not len(hit):
            return
        for i in hit[:MAX_LISTED]:
            self.add(sheet.name, sheet.rows[i], column, raw.iat[i], rule, severity, **values)
        self.overflow(sheet.name, column, rule, len(hit) - min(len(hit), MAX_LISTED), severity)

    def overflow(self, file: str, column: str, rule: str, n: int, severity: str = "error"):
        """n more findings of a rule that are counted but not listed."""
        if n > 0:
            self.checked.counts[severity] += n
            self.hidden[(file, column, rule, severity)] += n

    def finish(self) -> None:
        """Sort the problems (errors first, then by file and row) and add the "n more" lines."""
        order = {name: i for i, name in enumerate(f.name for f in self.checked.files)}
        problems = self.checked.problems
        problems.sort(
            key=lambda p: (
                p.severity != "error",
                order.get(p.file, len(order)),
                p.row is not None,
                p.row or 0,
                p.column,
            )
        )
        for (file, column, rule, severity), n in self.hidden.items():
            same = [
                i
                for i, p in enumerate(problems)
                if (p.file, p.column, p.rule, p.severity) == (file, column, rule, severity)
            ]
            problems.insert(
                same[-1] + 1 if same else len(problems),
                Problem(
                    file,
                    None,
                    column,
                    "",
                    "more",
                    _text("more", "zh", {"n": n}),
                    _text("more", "en", {"n": n}),
                    severity,
                ),
            )
        self.hidden.clear()


# ---------------------------------------------------------------- codes and names


@cache
def allowed_codes() -> dict[tuple[str, str], list[str]]:
    """(table, column) -> the English codes of its CHECK constraint in schema.sql."""
    text = build.SCHEMA.read_text(encoding="utf-8")
    out = {}
    for table, body in re.findall(r"create table (\w+) \((.*?)\n\);", text, re.S):
        for column, codes in re.findall(
            r"^\s*(\w+) varchar[^\n]*?check \(\w+ in \(([^)]*)\)\)", body, re.M
        ):
            out[(table, column)] = re.findall(r"'([^']*)'", codes)
    return out


def _fold(value: str) -> str:
    """How names and codes are compared: width, case, spaces, _ and - do not matter."""
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", value).lower())


def _fold_header(value: str) -> str:
    """Header cells compare like codes, bracketed remarks such as （元） left out."""
    return _fold(re.sub(r"[(（][^)）]*[)）]", "", unicodedata.normalize("NFKC", value)))


@cache
def code_map(table: str, column: str) -> dict[str, str]:
    """Folded English code, Chinese label or English label -> the English code."""
    group = CODE_GROUPS[(table, column)]
    catalogue = i18n.catalogue()
    out = {}
    for code in allowed_codes()[(table, column)]:
        labels = catalogue.get(f"{group}.{code}", {})
        for written in (labels.get("en"), labels.get("zh"), code):
            if written:
                out[_fold(written)] = code
    return out


def code_choices(table: str, column: str, lang: str) -> str:
    """The allowed codes with their label, e.g. 'specialist 专科联盟、…'."""
    group = CODE_GROUPS[(table, column)]
    sep = "、" if lang == "zh" else ", "
    return sep.join(
        f"{code} {i18n.code_label(group, code, 'zh')}" for code in allowed_codes()[(table, column)]
    )


@cache
def header_map(table: str) -> dict[str, str]:
    """Folded header (English column name, Chinese or English label) -> column of the table."""
    catalogue = i18n.catalogue()
    out = {}
    for col in SPEC[table]:
        labels = catalogue.get(f"import.col.{table}.{col.name}", {})
        for written in (labels.get("en"), labels.get("zh"), col.name):
            if written:
                out[_fold_header(written)] = col.name
    return out


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


# ---------------------------------------------------------------- the database as it is


class _Context:
    """What the check needs from the current database: regions, catalogue, existing ids."""

    def __init__(self, con: duckdb.DuckDBPyConnection, today: dt.date):
        self.con, self.today = con, today
        self.counties = con.execute(
            "select adcode, name, lon, lat from regions where level = 'county' order by adcode"
        ).df()
        self.county_codes = set(self.counties["adcode"].astype(int))
        names = self.counties.groupby("name")["adcode"].agg(list)
        self.county_by_name = {n: int(c[0]) for n, c in names.items() if len(c) == 1}
        self.metrics = con.execute("select metric_id, name_zh, name_en, unit from metrics").df()
        self.articles = pd.Index(
            con.execute("select article_id from articles").df()["article_id"], dtype="str"
        )
        self._ids: dict[str, pd.Index] = {}

    def ids(self, table: str) -> pd.Index:
        """Ids of sites or alliances now in the database."""
        if table not in self._ids:
            column = {"sites": "site_id", "alliances": "alliance_id"}[table]
            sql = f"select {column} from {table}"  # noqa: S608 (names from our own list)
            self._ids[table] = pd.Index(self.con.execute(sql).df()[column], dtype="str")
        return self._ids[table]

    def nearest_counties(self, value: str) -> list[str]:
        codes = self.counties["adcode"].astype(int)
        if re.fullmatch(r"\d{6}", value):
            code = int(value)
            for width in (100, 10000):
                near = self.counties[codes // width == code // width]
                if len(near):
                    near = near.assign(d=(near["adcode"] - code).abs()).nsmallest(3, "d")
                    return [f"{a} {n}" for a, n in zip(near["adcode"], near["name"], strict=True)]
            return []
        names = difflib.get_close_matches(value, list(self.counties["name"]), n=3, cutoff=0.4)
        by_name = self.counties.set_index("name")["adcode"]
        return [
            f"{int(c)} {n}" for n in dict.fromkeys(names) for c in np.atleast_1d(by_name.loc[n])
        ][:3]


# ---------------------------------------------------------------- reading one table


def _unique_map(s: pd.Series, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """fn applied to the distinct values only (files repeat ids, codes and months a lot)."""
    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    result = fn(pd.Series(uniques))
    return pd.Series(result.array.take(codes), index=s.index)


def _isin(s: pd.Series, values: pd.Index) -> pd.Series:
    """s.isin(values), fast for long columns of repeated ids (missing values are not in)."""
    codes, uniques = pd.factorize(s)
    hit = np.append(pd.Index(values).get_indexer(pd.Index(uniques)) >= 0, False)
    return pd.Series(hit[codes], index=s.index)


def _nfkc(s: pd.Series) -> pd.Series:
    return s.str.normalize("NFKC").str.strip(_SPACE)


def _numbers(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers as written (1,234 or 87.5%): (value or NaN, written with a % sign)."""
    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    t = _nfkc(pd.Series(uniques, dtype="str")).str.replace(r"[,\s]", "", regex=True)
    value = pd.to_numeric(t.str.removesuffix("%"), errors="coerce").to_numpy(dtype=float, copy=True)
    value[~np.isfinite(value)] = np.nan
    pct = t.str.endswith("%").to_numpy(dtype=bool)
    return pd.Series(value[codes], index=s.index), pd.Series(pct[codes], index=s.index)


_DATE = (
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d*)?)?)?$|^(\d{4})(\d{2})(\d{2})$"
)
_MONTH = r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$|^(\d{4})(\d{2})$"


def _to_dates(s: pd.Series) -> pd.Series:
    parts = _nfkc(s).str.extract(_DATE)
    ymd = {
        k: pd.to_numeric(parts[i].fillna(parts[i + 3]))
        for i, k in enumerate(("year", "month", "day"))
    }
    out = pd.to_datetime(pd.DataFrame(ymd), errors="coerce")
    return out.where(out.dt.year >= 1900)


def _to_months(s: pd.Series) -> pd.Series:
    parts = _nfkc(s).str.extract(_MONTH)
    ym = {
        "year": pd.to_numeric(parts[0].fillna(parts[2])),
        "month": pd.to_numeric(parts[1].fillna(parts[3])),
        "day": 1,
    }
    out = pd.to_datetime(pd.DataFrame(ym, index=s.index), errors="coerce")
    full = _to_dates(s)
    out = out.fillna(full - pd.to_timedelta(full.dt.day - 1, unit="D"))
    return out.where(out.dt.year >= 1900)


def _to_years(s: pd.Series) -> pd.Series:
    year = pd.to_numeric(_nfkc(s).str.extract(r"^(\d{4})(?:\.0+)?\s*年?$")[0])
    return year.where(year >= 1900).astype("Int64")


def _to_amounts(s: pd.Series) -> pd.Series:
    parts = (
        _nfkc(s)
        .str.replace(r"[,\s]", "", regex=True)
        .str.extract(r"^(-?\d+(?:\.\d+)?(?:[eE]\d+)?)(亿|万)?元?$")
    )
    scale = parts[1].map({"亿": 1e8, "万": 1e4}).fillna(1.0).astype(float)
    return (pd.to_numeric(parts[0]).astype(float) * scale).round()


class _TableReader:
    """Reads one sheet as one table: every column parsed, every row checked on its own."""

    def __init__(
        self, sheet: _Sheet, table: str, columns: dict[str, int], ctx: _Context, findings: _Findings
    ):
        self.sheet, self.table, self.ctx, self.findings = sheet, table, ctx, findings
        self.raw = {name: sheet.body[pos] for name, pos in columns.items()}
        self.n = len(sheet.body)
        self.out: dict[str, pd.Series] = {}

    def bad(self, mask, column, rule, severity="error", **values) -> None:
        self.findings.rows(self.sheet, mask, column, self.raw[column], rule, severity, **values)

    def read(self) -> pd.DataFrame:
        for col in SPEC[self.table]:
            raw = self.raw.get(col.name)
            if raw is None:
                raw = self.raw[col.name] = pd.Series([""] * self.n, dtype="str")
            empty = raw == ""
            if col.required:
                self.bad(empty, col.name, "required")
            self.out[col.name] = getattr(self, f"_{col.kind}")(col, raw, empty)
        self._duplicates()
        if self.table == "memberships":
            joined, left = self.out["joined_on"], self.out["left_on"]
            self.bad(
                left.notna() & joined.notna() & (left < joined), "left_on", "left_before_joined"
            )
        frame = pd.DataFrame(self.out)
        if self.table != "figures":
            frame["simulated"] = False
        return frame

    # one method per column kind: the parsed column (NA where empty or wrong)
    def _id(self, col, raw, empty):
        return _unique_map(raw, _nfkc).where(~empty)

    def _ref_site(self, col, raw, empty):
        return self._id(col, raw, empty)

    _ref_alliance = _ref_site

    def _text(self, col, raw, empty):
        return raw.where(~empty)

    def _source(self, col, raw, empty):
        default = f"import:{self.sheet.name}"
        if empty.any():
            self.findings.add(
                self.sheet.name,
                None,
                col.name,
                default,
                "default_source",
                "warning",
                n=int(empty.sum()),
                source=default,
            )
        article = raw.str.startswith("article:") & ~_isin(raw, self.ctx.articles)
        self.bad(article, col.name, "unknown_article")
        return raw.where(~empty, default)

    def _code(self, col, raw, empty):
        mapping = code_map(self.table, col.name)
        code = _unique_map(raw, lambda u: u.map(lambda v: mapping.get(_fold(v))).astype("str"))
        choices = {lang: code_choices(self.table, col.name, lang) for lang in i18n.LANGS}
        self.bad(~empty & code.isna(), col.name, "unknown_code", allowed=choices)
        return code

    def _metric(self, col, raw, empty):
        m = self.ctx.metrics
        mapping = {}
        for written in ("name_en", "name_zh", "metric_id"):
            mapping.update({_fold(v): i for v, i in zip(m[written], m["metric_id"], strict=True)})
        code = _unique_map(raw, lambda u: u.map(lambda v: mapping.get(_fold(v))).astype("str"))
        allowed = {
            "zh": "、".join(f"{i} {n}" for i, n in zip(m["metric_id"], m["name_zh"], strict=True)),
            "en": ", ".join(m["metric_id"]),
        }
        self.bad(~empty & code.isna(), col.name, "unknown_metric", allowed=allowed)
        return code

    def _adcode(self, col, raw, empty):
        text = _unique_map(raw, _nfkc)
        digits = text.str.fullmatch(r"\d{6}")
        code = pd.to_numeric(text.where(digits), errors="coerce").astype("Int64")
        code = code.where(code.isin(self.ctx.county_codes))
        by_name = text.where(~digits).map(self.ctx.county_by_name).astype("Int64")
        named = code.isna() & by_name.notna()
        if named.any():
            for value in text[named].unique()[:MAX_LISTED]:
                first = int(np.flatnonzero((text == value).to_numpy())[0])
                self.findings.add(
                    self.sheet.name,
                    self.sheet.rows[first],
                    col.name,
                    value,
                    "county_by_name",
                    "warning",
                    adcode=str(by_name.iat[first]),
                )
        code = code.fillna(by_name)
        hit = np.flatnonzero((~empty & code.isna()).to_numpy(dtype=bool))
        nearest: dict[str, list[str]] = {}
        for i in hit[:MAX_LISTED]:
            value = text.iat[i]
            if value not in nearest:
                nearest[value] = self.ctx.nearest_counties(value)
            near = nearest[value]
            self.findings.add(
                self.sheet.name,
                self.sheet.rows[i],
                col.name,
                raw.iat[i],
                "unknown_county" if near else "unknown_county_plain",
                nearest={"zh": "、".join(near), "en": ", ".join(near)},
            )
        self.findings.overflow(
            self.sheet.name, col.name, "unknown_county", len(hit) - min(len(hit), MAX_LISTED)
        )
        return code

    def _dates(self, col, raw, empty, parse, rule):
        value = _unique_map(raw, parse)
        self.bad(~empty & value.isna(), col.name, rule)
        if (self.table, col.name) not in NO_FUTURE:
            self.bad(
                value > pd.Timestamp(self.ctx.today),
                col.name,
                "future_date",
                today=str(self.ctx.today),
            )
        return value

    def _date(self, col, raw, empty):
        return self._dates(col, raw, empty, _to_dates, "not_a_date")

    def _month(self, col, raw, empty):
        return self._dates(col, raw, empty, _to_months, "not_a_month")

    def _year(self, col, raw, empty):
        year = _unique_map(raw, _to_years)
        self.bad(~empty & year.isna(), col.name, "not_a_year")
        late = year > self.ctx.today.year
        if (self.table, col.name) in NO_FUTURE:
            self.bad(late, col.name, "future_year", "warning")
        else:
            self.bad(late, col.name, "future_date", today=str(self.ctx.today))
        return year

    def _number(self, col, raw, empty):
        value, pct = _numbers(raw)
        self.bad(~empty & value.isna(), col.name, "not_a_number")
        return value

    def _count(self, col, raw, empty):
        value, pct = _numbers(raw)
        self.bad(~empty & (value.isna() | pct), col.name, "not_a_number")
        self.bad(value.notna() & (value != value.round()), col.name, "not_an_integer")
        self.bad(value < 0, col.name, "negative")
        return value.round().astype("Int64")

    def _amount(self, col, raw, empty):
        value = _unique_map(raw, _to_amounts)
        self.bad(~empty & value.isna(), col.name, "not_a_number")
        self.bad(value < 0, col.name, "negative")
        return value.astype("Int64")

    def _lon(self, col, raw, empty, bounds=LON_RANGE):
        value, pct = _numbers(raw)
        self.bad(~empty & value.isna(), col.name, "not_a_number")
        self.bad((value < bounds[0]) | (value > bounds[1]), col.name, "coordinate_range")
        value = value.where(value.between(*bounds))
        centre = self.ctx.counties.set_index("adcode")[col.name]
        county = self.out["county_adcode"]
        missing = empty & county.notna()
        if col.name == "lon" and missing.any():
            self.findings.add(
                self.sheet.name, None, col.name, "", "centroid", "warning", n=int(missing.sum())
            )
        return value.fillna(
            pd.Series(centre.reindex(county).to_numpy(dtype=float), index=county.index)
        )

    def _lat(self, col, raw, empty):
        return self._lon(col, raw, empty, LAT_RANGE)

    def _value(self, col, raw, empty):
        """county_metrics.value: a rate 0–100 for metrics in %, a count ≥ 0 for the others."""
        value, pct = _numbers(raw)
        self.bad(~empty & value.isna(), col.name, "not_a_number")
        metric = self.out["metric"]
        units = self.ctx.metrics.set_index("metric_id")["unit"]
        is_rate = metric.map(units).eq("%").fillna(False).astype(bool)
        for m in metric[is_rate].dropna().unique():
            rows = (metric == m) & value.notna()
            plain = value[rows & ~pct]
            if len(plain) and not pct[rows].any() and plain.between(0, 1).all() and plain.max() > 0:
                value = value.where(~rows, value * 100)
                self.findings.add(self.sheet.name, None, col.name, m, "fraction_rate", "warning")
        self.bad(is_rate & ((value < 0) | (value > 100)), col.name, "rate_range")
        self.bad(~is_rate & metric.notna() & pct, col.name, "percent_not_allowed")
        self.bad(~is_rate & (value < 0), col.name, "negative")
        return value

    def _duplicates(self) -> None:
        keys = KEYS.get(self.table)
        if not keys:
            return
        frame = pd.DataFrame({k: self.out[k] for k in keys})
        frame["_row"] = self.sheet.rows
        frame = frame.dropna(subset=keys)
        dup = frame.duplicated(keys, keep=False)
        if not dup.any():
            return
        frame = frame[dup]
        first = frame.groupby(keys, dropna=True)["_row"].transform("min")
        later = frame[frame["_row"] != first]
        rule = "duplicate_id" if len(keys) == 1 else "duplicate_key"
        column = keys[-1]
        for index, first_row in zip(
            later.index[:MAX_LISTED], first[later.index][:MAX_LISTED], strict=True
        ):
            self.findings.add(
                self.sheet.name,
                self.sheet.rows[index],
                column,
                self.raw[column].iat[index],
                rule,
                first=int(first_row),
                key=" + ".join(keys),
            )
        self.findings.overflow(
            self.sheet.name, column, rule, len(later) - min(len(later), MAX_LISTED)
        )


def _match_table(sheet: _Sheet, findings: _Findings) -> tuple[str | None, dict[str, int]]:
    """The table whose columns the header has, and column -> position; a problem if none."""
    stem = _fold(Path(sheet.name).stem)
    best = None
    for table in TABLES:
        aliases = header_map(table)
        found: dict[str, int] = {}
        for pos, head in enumerate(sheet.header):
            name = aliases.get(_fold_header(head)) if head else None
            if name and name not in found:
                found[name] = pos
        missing = [c.name for c in SPEC[table] if c.required and c.name not in found]
        labels = i18n.catalogue().get(f"data.table.{table}", {})
        named = stem in {_fold(table), _fold(labels.get("zh", "")), _fold(labels.get("en", ""))}
        score = (not missing, named, len(found) - len(missing))
        if best is None or score > best[0]:
            best = (score, table, found, missing)
    _, table, found, missing = best
    if missing:
        findings.add(
            sheet.name,
            1,
            "",
            "、".join(h for h in sheet.header if h),
            "no_table",
            table=table,
            missing=", ".join(missing),
        )
        return None, {}
    aliases = header_map(table)
    for pos, head in enumerate(sheet.header):
        name = aliases.get(_fold_header(head)) if head else None
        if name and found.get(name) != pos:
            findings.add(sheet.name, 1, head, head, "duplicate_column")
        elif not name and head:
            rule = "simulated_ignored" if _fold(head) == "simulated" else "extra_column"
            findings.add(sheet.name, 1, head, head, rule, "warning")
    return table, found


# ---------------------------------------------------------------- across tables


def _cross_check(
    checked: Checked, by_table: dict[str, _TableReader], ctx: _Context, findings: _Findings
) -> None:
    """References between tables, over the tables as they will be after the import."""
    frames = checked.frames
    ids = {
        t: pd.Index(frames[t][k].dropna().unique(), dtype="str") if t in frames else ctx.ids(t)
        for t, k in (("sites", "site_id"), ("alliances", "alliance_id"))
    }
    for table, reader in by_table.items():
        for col in SPEC[table]:
            if col.kind in ("ref_site", "ref_alliance"):
                target = "sites" if col.kind == "ref_site" else "alliances"
                value = reader.out[col.name]
                wrong = value.notna() & ~_isin(value, ids[target])
                reader.bad(
                    wrong, col.name, "unknown_site" if target == "sites" else "unknown_alliance"
                )
    # Every alliance's lead is one of its members.
    if "alliances" in frames or "memberships" in frames:
        members = (
            frames["memberships"][["alliance_id", "site_id"]]
            if "memberships" in frames
            else ctx.con.execute("select alliance_id, site_id from memberships").df()
        )
        pairs = set(zip(members["alliance_id"], members["site_id"], strict=True))
        if "alliances" in by_table:
            a = by_table["alliances"].out
            ok = [
                (i, s) in pairs or pd.isna(i) or pd.isna(s)
                for i, s in zip(a["alliance_id"], a["lead_site_id"], strict=True)
            ]
            by_table["alliances"].bad(
                ~pd.Series(ok, index=a["alliance_id"].index), "lead_site_id", "lead_not_member"
            )
        else:
            leads = ctx.con.execute("select alliance_id, lead_site_id from alliances").fetchall()
            sheet = by_table["memberships"].sheet
            for alliance, lead in leads:
                if (alliance, lead) not in pairs:
                    findings.add(
                        sheet.name, None, "site_id", f"{alliance} / {lead}", "lead_not_member"
                    )
    # Ids a new sites or alliances file drops while tables not imported still use them.
    for target, refs in REFERENCES.items():
        if target not in by_table:
            continue
        reader = by_table[target]
        key = SPEC[target][0].name
        kept = pd.DataFrame({"id": ids[target]})
        cur = ctx.con.cursor()
        try:
            cur.execute("use data")
            cur.register("kept_ids", kept)
            for table, column in refs:
                if table in by_table:
                    continue
                sql = (
                    f"select {column}, count(*) from {table} where {column} is not null "  # noqa: S608 (names from REFERENCES)
                    f"and {column} not in (select id from kept_ids) group by 1 order by 1"
                )
                label = {"zh": i18n.text(f"data.table.{table}", "zh"), "en": table}
                for value, n in cur.execute(sql).fetchall():
                    findings.add(
                        reader.sheet.name,
                        None,
                        key,
                        value,
                        "still_referenced",
                        table=label,
                        n=int(n),
                    )
        finally:
            cur.close()


# ---------------------------------------------------------------- check


def check(
    paths: Iterable[Path | str],
    db_path: Path | None = None,
    today: dt.date | None = None,
    progress: Progress = _quiet,
) -> Checked:
    """Read and check office files against the database at db_path; nothing is written."""
    con = db.connect(db_path)
    try:
        return _check(paths, con, today or dt.date.today(), progress)
    finally:
        con.close()


def _check(paths, con, today: dt.date, progress: Progress) -> Checked:
    checked = Checked()
    findings = _Findings(checked)
    files, missing = expand(paths)
    for path, rule in missing:
        checked.files.append(FileInfo(path, str(path)))
        findings.add(str(path), None, "", "", rule)
    ctx = _Context(con, today)
    by_table: dict[str, _TableReader] = {}
    seen: dict[str, str] = {}
    total = len(files) + 1
    recognised = True
    for step, path in enumerate(files, 1):
        progress(step, total, path.name[:20])
        info = FileInfo(path, path.name)
        checked.files.append(info)
        try:
            sheet = _read(path, findings)
        except _Unreadable as exc:
            findings.add(path.name, None, "", "", exc.rule, **exc.values)
            recognised = False
            continue
        table, columns = _match_table(sheet, findings)
        if table is None:
            recognised = False
            continue
        info.table, info.rows = table, len(sheet.body)
        reader = _TableReader(sheet, table, columns, ctx, findings)
        frame = reader.read()  # rows are checked even in a file that cannot be used
        if table in seen:
            label = {"zh": i18n.text(f"data.table.{table}", "zh"), "en": table}
            findings.add(path.name, None, "", "", "same_table", other=seen[table], table=label)
            recognised = False
            continue
        seen[table] = path.name
        if not len(sheet.body):
            findings.add(path.name, None, "", "", "empty_file", "warning")
        checked.frames[table] = frame
        by_table[table] = reader
    progress(total, total, "references")
    if recognised and not missing:
        _cross_check(checked, by_table, ctx, findings)
    elif by_table:
        findings.add(next(iter(seen.values())), None, "", "", "refs_skipped", "warning")
    findings.finish()
    return checked


# ---------------------------------------------------------------- publish


@contextlib.contextmanager
def _lock(out: Path) -> Iterator[None]:
    """One writer at a time in the database's folder (released by the OS if the process dies)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory lock, the rename is still atomic
        yield
        return
    path = out.with_name(".build.lock")  # the lock of firststart's build, in the same folder
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise ImportBusy(str(out)) from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _temp_name(out: Path, pid: int | str) -> Path:
    return out.with_name(f".{out.name}.import-{pid}.tmp")


def _remove_stale(out: Path) -> None:
    """Left-overs of an import that was killed mid-way (only called while holding the lock)."""
    for stale in out.parent.glob(f".{out.name}.import-*.tmp*"):
        with contextlib.suppress(OSError):
            stale.unlink()


def _write(checked: Checked, out: Path, tmp: Path, progress: Progress, now: dt.datetime) -> int:
    """A new database at tmp: the current one with the imported tables replaced; steps taken."""
    con = duckdb.connect(str(tmp))
    try:
        con.execute(build.SCHEMA.read_text(encoding="utf-8")).fetchall()
        con.execute("attach $path as old (read_only)", {"path": str(out)}).fetchall()
        here = con.execute("select current_database()").fetchall()[0][0]
        columns = con.execute(
            "select database_name, table_name, list(column_name order by column_index) "
            "from duckdb_columns() where database_name in ($here, 'old') group by all",
            {"here": here},
        ).fetchall()
        new = {t: cols for d, t, cols in columns if d == here}
        old = {t: cols for d, t, cols in columns if d == "old"}
        tables = sorted(new)
        for step, table in enumerate(tables, 1):
            progress(step, len(tables) + 2, table)
            if table in checked.frames:  # the imported table, with plain bound inserts
                db.insert_frame(con, table, checked.frames[table])
            elif table in old:  # every other table as it is now
                shared = ", ".join(f'"{c}"' for c in new[table] if c in old[table])
                con.execute(
                    f"insert into {table} ({shared}) "  # noqa: S608 (names from the schema)
                    f"select {shared} from old.{table}"
                ).fetchall()
        record = {
            "imported_at": now,
            "files": json.dumps([f.name for f in checked.files], ensure_ascii=False),
            "tables": json.dumps({t: len(f) for t, f in checked.frames.items()}),
            "warnings": json.dumps(
                [p.as_dict() for p in checked.problems if p.severity == "warning"],
                ensure_ascii=False,
            ),
        }
        con.execute(
            "insert into imports values ($imported_at, $files, $tables, $warnings)", record
        ).fetchall()
        con.execute("detach old").fetchall()
        con.execute("checkpoint").fetchall()
    finally:
        con.close()
    return len(tables)


def import_files(
    paths: Iterable[Path | str],
    db_path: Path | None = None,
    today: dt.date | None = None,
    progress: Progress = _quiet,
) -> tuple[Checked, bool]:
    """Check the files and, only if nothing is wrong, publish the new database at db_path.

    Returns the check and whether a new file was published. The database is replaced by one
    rename; on any problem, or if the process is killed, the file at db_path is untouched.
    """
    out = Path(db_path or db.db_path())
    if not out.is_file():
        raise db.DatabaseUnavailable(f"database file not found: {out}")
    with _lock(out):
        _remove_stale(out)
        con = db.connect(out)
        try:
            checked = _check(paths, con, today or dt.date.today(), progress)
        finally:
            con.close()
        if not checked.ok:
            return checked, False
        tmp = _temp_name(out, os.getpid())
        try:
            try:
                steps = _write(
                    checked, out, tmp, progress, dt.datetime.now().replace(microsecond=0)
                )
                progress(steps + 1, steps + 2, "contract")
                build.check_contract(tmp)
            except (duckdb.Error, build.BuildError) as exc:
                rule = "contract" if isinstance(exc, build.BuildError) else "write_failed"
                _Findings(checked).add(
                    out.name, None, "", "", rule, detail=str(exc).splitlines()[0]
                )
                return checked, False
            progress(steps + 2, steps + 2, "publish")
            build.publish(tmp, out)
        finally:
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                leftover.unlink(missing_ok=True)
    return checked, True


# ---------------------------------------------------------------- report


def _shown(value: str, lang: str) -> str:
    if value == "":
        return i18n.text("import.report.empty", lang)
    return f"“{value if len(value) <= 60 else value[:57] + '…'}”"


def report(checked: Checked) -> str:
    """The check as the user reads it: files, then every problem in Chinese and English."""
    both = {
        lang: (lambda key, lang=lang, **v: i18n.text(f"import.report.{key}", lang, **v))
        for lang in i18n.LANGS
    }
    zh, en = both["zh"], both["en"]
    lines = [f"{zh('title')} / {en('title')}", ""]
    for f in checked.files:
        if f.table:
            table = i18n.text(f"data.table.{f.table}", "zh")
            lines.append("  " + zh("file_ok", file=f.name, table=f"{table} {f.table}", rows=f.rows))
        else:
            lines.append("  " + f"{zh('file_bad', file=f.name)} / {en('file_bad', file=f.name)}")
    lines += [
        "",
        f"{zh('summary', errors=checked.errors, warnings=checked.warnings)} / "
        f"{en('summary', errors=checked.errors, warnings=checked.warnings)}",
        "",
    ]
    for p in checked.problems:
        where = [f"[{zh(p.severity)} {en(p.severity)}] {p.file}"]
        if p.row is not None:
            where.append(f"{zh('row', row=p.row)} {en('row', row=p.row)}")
        elif p.rule != "more":  # "n more" follows the rows it continues
            where.append(f"{zh('whole_file')} {en('whole_file')}")
        if p.column:
            where.append(f"{zh('column')} {en('column')} {p.column}")
        if p.value or p.row is not None:
            where.append(f"{zh('value')} {en('value')} {_shown(p.value, 'zh')}")
        lines += [" · ".join(where), f"    {p.rule_zh}", f"    {p.rule_en}"]
    if checked.problems:
        lines.append("")
    if checked.ok:
        lines.append(f"{zh('passed')} / {en('passed')}")
    else:
        lines.append(f"{zh('refused')}\n{en('refused')}")
    return "\n".join(lines)


# ---------------------------------------------------------------- templates


def _format(table: str, col: Col, lang: str, metrics: pd.DataFrame | None) -> str:
    kind = col.kind
    if kind == "code":
        return i18n.text("import.fmt.code", lang, values=code_choices(table, col.name, lang))
    if kind == "metric":
        values = (
            "、".join(
                f"{i} {n}" for i, n in zip(metrics["metric_id"], metrics["name_zh"], strict=True)
            )
            if metrics is not None
            else "county_visit_rate 县域内就诊率 …"
        )
        return i18n.text("import.fmt.metric", lang, values=values)
    return i18n.text(f"import.fmt.{kind}", lang)


def template_readme(table: str, metrics: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per column of the table: name, Chinese and English name, required, format."""
    cat = i18n.catalogue()
    rows = []
    for col in SPEC[table]:
        labels = cat[f"import.col.{table}.{col.name}"]
        rows.append(
            {
                "column": col.name,
                "name_zh": labels["zh"],
                "name_en": labels["en"],
                "required": f"{i18n.text('import.readme.' + ('yes' if col.required else 'no'), 'zh')}"
                f" / {i18n.text('import.readme.' + ('yes' if col.required else 'no'), 'en')}",
                "format_zh": _format(table, col, "zh", metrics),
                "format_en": _format(table, col, "en", metrics),
                "example": col.example,
            }
        )
    return pd.DataFrame(rows)


def _readme_headers() -> list[str]:
    t = i18n.text
    return [
        f"{t('import.readme.column', 'zh')} / {t('import.readme.column', 'en')}",
        f"{t('import.readme.name_zh', 'zh')}",
        f"{t('import.readme.name_en', 'en')}",
        f"{t('import.readme.required', 'zh')} / {t('import.readme.required', 'en')}",
        f"{t('import.readme.format', 'zh')}",
        f"{t('import.readme.format', 'en')}",
        f"{t('import.readme.example', 'zh')} / {t('import.readme.example', 'en')}",
    ]


def _xlsx_template(table: str, metrics: pd.DataFrame | None) -> bytes:
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = table
    sheet.append([c.name for c in SPEC[table]])
    for i, col in enumerate(SPEC[table], 1):
        cell = sheet.cell(1, i)
        cell.font = Font(bold=True)
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(12, len(col.name) + 4)
        if col.kind == "code":  # a drop-down of the Chinese labels (English codes also pass)
            group = CODE_GROUPS[(table, col.name)]
            labels = [i18n.code_label(group, c, "zh") for c in allowed_codes()[(table, col.name)]]
            check = DataValidation(
                type="list",
                formula1=f'"{",".join(labels)}"',
                allow_blank=True,
                showErrorMessage=False,
            )
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}100000")
        if col.kind in ("id", "ref_site", "ref_alliance", "adcode", "date", "month"):
            for row in range(2, 1002):  # typed as text: Excel keeps 001 and 2017-06 as written
                sheet.cell(row, i).number_format = "@"
    sheet.freeze_panes = "A2"
    readme = book.create_sheet(i18n.text("import.readme.sheet", "zh"))
    readme.append([f"{i18n.text('data.table.' + table, 'zh')} {table}"])
    readme.append([i18n.text("import.readme.intro", "zh")])
    readme.append([i18n.text("import.readme.intro", "en")])
    if table in KEYS:
        columns = " + ".join(KEYS[table])
        readme.append(
            [
                f"{i18n.text('import.readme.unique', 'zh', columns=columns)} / "
                f"{i18n.text('import.readme.unique', 'en', columns=columns)}"
            ]
        )
    readme.append([])
    readme.append(_readme_headers())
    for cell in readme[readme.max_row]:
        cell.font = Font(bold=True)
    for row in template_readme(table, metrics).itertuples(index=False):
        readme.append(list(row))
    for letter, width in zip("ABCDEFG", (18, 22, 22, 12, 50, 50, 24), strict=True):
        readme.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _readme_text(metrics: pd.DataFrame | None) -> str:
    t = i18n.text
    lines = [
        t("import.readme.title", "zh"),
        t("import.readme.title", "en"),
        "",
        t("import.readme.intro", "zh"),
        t("import.readme.intro", "en"),
        "",
        t("import.readme.commands", "zh"),
        t("import.readme.commands", "en"),
        "",
    ]
    for table in TABLES:
        lines += [
            "=" * 60,
            f"{table}.csv / {table}.xlsx — {t('data.table.' + table, 'zh')} "
            f"{t('data.table.' + table, 'en')}",
        ]
        if table in KEYS:
            columns = " + ".join(KEYS[table])
            lines.append(
                f"{t('import.readme.unique', 'zh', columns=columns)} / "
                f"{t('import.readme.unique', 'en', columns=columns)}"
            )
        for r in template_readme(table, metrics).itertuples(index=False):
            lines += [
                f"- {r.column}  {r.name_zh} / {r.name_en}  [{r.required}]",
                f"    {r.format_zh}",
                f"    {r.format_en}",
            ]
            if r.example:
                lines.append(
                    f"    {t('import.readme.example', 'zh')} / "
                    f"{t('import.readme.example', 'en')}: {r.example}"
                )
        lines.append("")
    return "\r\n".join(lines)


def templates(metrics: pd.DataFrame | None = None) -> dict[str, bytes]:
    """File name -> bytes of every template: a CSV and an .xlsx per table, and README.txt."""
    files = {}
    for table in TABLES:
        header = ",".join(c.name for c in SPEC[table]) + "\r\n"
        files[f"{table}.csv"] = header.encode("utf-8-sig")  # the BOM makes Excel read UTF-8
        files[f"{table}.xlsx"] = _xlsx_template(table, metrics)
    files["README.txt"] = _readme_text(metrics).encode("utf-8-sig")
    return files


def write_templates(folder: Path, metrics: pd.DataFrame | None = None) -> list[Path]:
    """Write the templates into folder (created if needed); the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in templates(metrics).items():
        path = folder / name
        path.write_bytes(content)
        written.append(path)
    return written


def templates_zip(metrics: pd.DataFrame | None = None) -> bytes:
    """The templates in one zip archive, for the Data page's download."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in templates(metrics).items():
            archive.writestr(f"import_templates/{name}", content)
    return buffer.getvalue()
