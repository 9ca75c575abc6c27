"""Stage 2, normalise: find each file's table and parse every column into the database's types,
checking each row on its own (codes, dates, numbers, ranges, duplicates)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from dashboard import i18n
from dashboard.importer import guard
from dashboard.importer.findings import _Findings
from dashboard.importer.read import _Sheet
from dashboard.importer.spec import (
    _SPACE,
    KEYS,
    LAT_RANGE,
    LON_RANGE,
    MAX_LISTED,
    NO_FUTURE,
    NULLABLE_KEYS,
    SPEC,
    TABLES,
    _fold,
    _fold_header,
    code_choices,
    code_map,
    header_map,
    provenance_headers,
)

# ---------------------------------------------------------------- the database as it is


class _Context:
    """What the check needs from the current database: regions, catalogue, existing ids."""

    def __init__(self, con: duckdb.DuckDBPyConnection, today: dt.date):
        self.con, self.today = con, today
        self.counties = con.execute(
            "select adcode, name, lon, lat from regions where level = 'county' order by adcode"
        ).df()
        self.county_codes = set(self.counties["adcode"].astype(int))
        # a government party's region may be a city or a province (蚌埠市卫健委: 340300)
        self.areas = con.execute(
            "select adcode, lon, lat from regions where level in ('city', 'province')"
        ).df()
        self.area_codes = set(self.areas["adcode"].astype(int))
        names = self.counties.groupby("name")["adcode"].agg(list)
        self.county_by_name = {n: int(c[0]) for n, c in names.items() if len(c) == 1}
        self.metrics = con.execute(
            "select indicator_id as metric_id, name_zh, name_en, unit from indicators"
        ).df()
        self.measures = con.execute("select measure_id, name_zh, name_en from measures").df()
        self.judged = con.execute(
            "select indicator_id as metric_id, name_zh, name_en from indicators "
            "where kind = 'qualitative'"
        ).df()
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


_YES = {"是", "达到", "已达到", "yes", "y", "true", "1", "met", "√", "✓"}
_NO = {"否", "未达到", "没有达到", "no", "n", "false", "0", "notmet", "×", "✗"}

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
            guard.check_cells(self, col, raw)
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

    def _measure(self, col, raw, empty):
        m = self.ctx.measures.rename(columns={"measure_id": "metric_id"})
        return self._catalogued(col, raw, empty, m, "unknown_measure")

    def _judged(self, col, raw, empty):
        return self._catalogued(col, raw, empty, self.ctx.judged, "unknown_judged")

    def _measure_value(self, col, raw, empty):
        """county_measures.value: a count or an amount, never negative, never a percentage."""
        value, pct = _numbers(raw)
        self.bad(~empty & (value.isna() | pct), col.name, "not_a_number")
        self.bad(value < 0, col.name, "negative")
        return value

    def _yes_no(self, col, raw, empty):
        folded = _unique_map(raw, lambda u: u.map(_fold).astype("str"))
        yes = folded.isin(list(_YES))
        no = folded.isin(list(_NO))
        self.bad(~empty & ~yes & ~no, col.name, "not_yes_no")
        return yes.where(yes | no).astype("boolean")

    def _metric(self, col, raw, empty):
        return self._catalogued(col, raw, empty, self.ctx.metrics, "unknown_metric")

    def _catalogued(self, col, raw, empty, m, rule):
        mapping = {}
        for written in ("name_en", "name_zh", "metric_id"):
            mapping.update({_fold(v): i for v, i in zip(m[written], m["metric_id"], strict=True)})
        code = _unique_map(raw, lambda u: u.map(lambda v: mapping.get(_fold(v))).astype("str"))
        allowed = {
            "zh": "、".join(f"{i} {n}" for i, n in zip(m["metric_id"], m["name_zh"], strict=True)),
            "en": ", ".join(m["metric_id"]),
        }
        self.bad(~empty & code.isna(), col.name, rule, allowed=allowed)
        return code

    def _adcode(self, col, raw, empty):
        text = _unique_map(raw, _nfkc)
        digits = text.str.fullmatch(r"\d{6}")
        code = pd.to_numeric(text.where(digits), errors="coerce").astype("Int64")
        government = (
            self.out.get("kind", pd.Series(dtype="str")).reindex(code.index) == "government"
        )
        code = code.where(
            code.isin(self.ctx.county_codes) | (government & code.isin(self.ctx.area_codes))
        )
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
        centre = pd.concat([self.ctx.counties, self.ctx.areas]).set_index("adcode")[col.name]
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
            elif (pct[rows] | (value[rows] > 1)).any():
                # 95 and 0.95 in one column: the 0.95 is a fraction among percentages (or a
                # rate under 1 %, which must then be written 0.95%): never guessed
                fraction = rows & ~pct & (value > 0) & (value <= 1)
                self.bad(fraction, col.name, "fraction_among_percent", metric=m)
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
        required = [k for k in keys if (self.table, k) not in NULLABLE_KEYS]
        frame = frame.dropna(subset=required)
        for k in keys:
            if k not in required:  # an empty cell is one value of the key
                frame[k] = frame[k].astype("object").fillna("")
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
        elif not name and head and _fold_header(head) not in provenance_headers():
            findings.add(sheet.name, 1, head, head, "extra_column", "warning")
    return table, found
