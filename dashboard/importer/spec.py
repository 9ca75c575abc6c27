"""The data contract as the importer reads it: tables, columns, codes, keys and names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from dashboard import build, fmt, i18n

Progress = Callable[[int, int, str], None]
TABLES = (
    "sites",
    "alliances",
    "memberships",
    "county_metrics",
    "county_measures",
    "county_judgements",
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
        # the articles' own: how exact founded_on is, and the words that give the form
        Col("founded_precision", "code", False, "到日"),
        Col("form_basis", "text", False, ""),
    ],
    "memberships": [
        Col("alliance_id", "ref_alliance", example="R-A101"),
        Col("site_id", "ref_site", example="R-S101"),
        Col("role", "code", example="牵头单位"),
        Col("joined_on", "date", example="2017/12/9"),
        Col("left_on", "date", False, ""),
        Col("source", "source", False, "article:002"),
        Col("joined_precision", "code", False, ""),
    ],
    "county_metrics": [
        Col("county_adcode", "adcode", example="330822"),
        Col("year", "year", example="2024"),
        Col("metric", "metric", example="county_visit_rate"),
        Col("value", "value", example="87.5%"),
        Col("source", "source", False, "县卫健局统计年报"),
    ],
    "county_measures": [
        Col("county_adcode", "adcode", example="330822"),
        Col("year", "year", example="2024"),
        Col("measure", "measure", example="visits_residents"),
        Col("value", "measure_value", example="1234567"),
        Col("source", "source", False, "县卫健局统计年报"),
    ],
    "county_judgements": [
        Col("county_adcode", "adcode", example="330822"),
        Col("year", "year", example="2024"),
        Col("indicator_id", "judged", example="unified_management"),
        Col("met", "yes_no", example="是"),
        Col("evidence", "text", False, "县医共体章程"),
        Col("judged_on", "date", False, "2024-12-31"),
        Col("judged_by", "text", False, "市卫健委"),
        Col("source", "source", False, "市卫健委评估"),
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
        Col("quote", "text", False, ""),
    ],
    "milestones": [
        Col("alliance_id", "ref_alliance", example="R-A101"),
        Col("date", "date", example="2017年12月9日"),
        Col("title", "text", example="联盟成立"),
        Col("detail", "text", False, ""),
        Col("source", "source", False, "article:002"),
        Col("date_precision", "code", False, ""),
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
        Col("quote", "text", False, ""),
    ],
}
# The key of each table: rows of a file must be unique by it, and an import replaces the rows
# of the database with the same key (README "What an import changes"). Memberships are keyed
# as the database's primary key: one role per institution and alliance, so a new role is a
# change of that row.
KEYS = {
    "sites": ["site_id"],
    "alliances": ["alliance_id"],
    "memberships": ["alliance_id", "site_id"],
    "county_metrics": ["county_adcode", "year", "metric"],
    "county_measures": ["county_adcode", "year", "measure"],
    "county_judgements": ["county_adcode", "year", "indicator_id"],
    "activities": ["alliance_id", "month", "kind", "from_site_id", "to_site_id"],
    "funding": ["alliance_id", "year", "source"],
    "milestones": ["alliance_id", "date", "title"],
    "figures": ["alliance_id", "figure"],
}
# Key columns that may be empty (an empty cell matches an empty cell).
NULLABLE_KEYS = {("activities", "from_site_id"), ("activities", "to_site_id")}
# The column that dates a row, for --period and 报送进度 (a year, or a date within the year).
PERIOD = {
    "county_metrics": "year",
    "county_measures": "year",
    "county_judgements": "year",
    "county_metrics_monthly": "month",
    "county_measures_monthly": "month",
    "activities": "month",
    "funding": "year",
    "milestones": "date",
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
    # how exact a date is: 到日 · 到月 · 到年 · 不晚于 (the article's date for one it does not give)
    ("alliances", "founded_precision"): "precision",
    ("memberships", "joined_precision"): "precision",
    ("milestones", "date_precision"): "precision",
}
# Other ways offices write a code, besides its code and its labels (folded like them).
ALIASES = {
    ("alliances", "form"): {
        "院院合作": "hospital_pair",
        "对口帮扶": "hospital_pair",
        "区域医疗中心": "regional_centre",
        "国家区域医疗中心": "regional_centre",
        "省级区域医疗中心": "regional_centre",
        "示范区": "reform_zone",
        "协作单位": "partner_network",
        "区域合作": "area_programme",
    },
    ("sites", "kind"): {
        "政府": "government",
        "卫健委": "government",
        "卫生健康委员会": "government",
        "卫生健康委": "government",
        "卫计委": "government",
    },
    ("alliances", "founded_precision"): {"day": "day", "不晚于": "by"},
    ("memberships", "joined_precision"): {"不晚于": "by"},
    ("milestones", "date_precision"): {"不晚于": "by"},
}
PRECISION_COLUMNS = {
    ("alliances", "founded_precision"),
    ("memberships", "joined_precision"),
    ("milestones", "date_precision"),
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
    # added by ALTER TABLE, where DuckDB takes no CHECK: the codes of dashboard/fmt.py
    for key in PRECISION_COLUMNS:
        out[key] = list(fmt.PRECISIONS)
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
    for written, code in ALIASES.get((table, column), {}).items():
        out.setdefault(_fold(written), code)
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
    # The Data page's export writes its own headers (messages export.col.*): read back too,
    # unless one would name another column of this table.
    for col in SPEC[table]:
        labels = catalogue.get(f"export.col.{col.name}", {})
        for written in (labels.get("en"), labels.get("zh")):
            if written:
                out.setdefault(_fold_header(written), col.name)
    return out


# Columns that say where a row came from (the Data page's export writes them): read by
# layers.py, never imported as data. Folded header -> origin | simulated | batch_id.
PROVENANCE = ("origin", "simulated", "batch_id")


@cache
def provenance_headers() -> dict[str, str]:
    catalogue = i18n.catalogue()
    out = {}
    for name in PROVENANCE:
        labels = catalogue.get(f"export.col.{name}", {})
        for written in (name, labels.get("zh"), labels.get("en")):
            if written:
                out[_fold_header(written)] = name
    return out


@cache
def origin_values() -> dict[str, str]:
    """Folded origin as written (code, or its label in the export or on the pages) -> code."""
    catalogue = i18n.catalogue()
    out = {}
    for code in ("article", "demo", "office"):
        for key in (f"export.origin.{code}", f"common.origin_{code}"):
            labels = catalogue.get(key, {})
            for written in (labels.get("zh"), labels.get("en")):
                if written:
                    out[_fold(re.sub(r"^\W+", "", written))] = code
        out[_fold(code)] = code
    out[_fold("simulated")] = "demo"
    return out


@cache
def yes_values() -> set[str]:
    """Folded ways to write true in a yes/no column (the export writes 是 / Yes)."""
    labels = i18n.catalogue().get("export.yes", {})
    return {_fold(v) for v in ("true", "1", "yes", "y", "t", "是", *labels.values()) if v}
