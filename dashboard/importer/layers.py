"""Stage 3a, layers: which rows of the files an import takes, and where they fall (DESIGN.md
§11; what the import then deletes is plan.py's).

An import replaces rows by key and never the articles' built-in rows:

- a file row with the key of a built-in row, or marked `origin = article` (the Data page's
  export), is kept out of the import with a warning: the built-in row stays as it is;
- a file row marked `origin = demo` or `simulated = true` is refused: simulated rows never
  become an office's rows (filter the export to the office's own rows first);
- with a province, a file row that belongs to another province is refused, and so is a new
  institution or alliance whose id is used by a row kept in another province;
- with a period, a dated row of another year is refused.

Rows belong to a province through their county (sites, county metrics), their lead
institution (alliances) or their alliance (memberships, activities, funding, milestones,
figures); see dashboard/provenance.py.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dashboard import provenance
from dashboard.importer.findings import _Findings
from dashboard.importer.normalise import _Context, _TableReader
from dashboard.importer.plan import Scope
from dashboard.importer.spec import (
    KEYS,
    PERIOD,
    _fold,
    _fold_header,
    origin_values,
    provenance_headers,
    yes_values,
)

NATIONAL = provenance.NATIONAL


def provinces(ctx: _Context) -> set[int]:
    """The province adcodes a scope may name."""
    rows = ctx.con.execute("select adcode from regions where level = 'province'").fetchall()
    return {int(r[0]) for r in rows}


def _origin_code(written: str) -> str:
    """The origin code of a cell as written ('' when empty, '?' when unknown)."""
    return origin_values().get(_fold(re.sub(r"^\W+", "", written)), "?") if written else ""


def _is_yes(written: str) -> bool:
    return _fold(written) in yes_values()


def header_positions(reader: _TableReader) -> dict[str, int]:
    """Position of the provenance columns (origin, simulated) in the file, if it has them."""
    known = provenance_headers()
    out = {}
    for pos, head in enumerate(reader.sheet.header):
        name = known.get(_fold_header(head)) if head else None
        if name and name not in out:
            out[name] = pos
    return out


def _province_maps(ctx: _Context, by_table: dict[str, _TableReader]) -> tuple[dict, dict]:
    """site_id -> province and alliance_id -> province, the files' rows over the database's."""
    cur = ctx.con.cursor()
    try:
        cur.execute("use data")
        sites = dict(
            cur.execute("select site_id, county_adcode // 10000 * 10000 from sites").fetchall()
        )
        leads = dict(cur.execute("select alliance_id, lead_site_id from alliances").fetchall())
    finally:
        cur.close()
    if "sites" in by_table:
        out = by_table["sites"].out
        code = out["county_adcode"]
        for sid, county in zip(out["site_id"], code, strict=True):
            if pd.notna(sid) and pd.notna(county):
                sites[sid] = int(county) // 10000 * 10000
    if "alliances" in by_table:
        out = by_table["alliances"].out
        for aid, lead in zip(out["alliance_id"], out["lead_site_id"], strict=True):
            if pd.notna(aid):
                leads[aid] = lead
    alliances = {aid: sites.get(lead) for aid, lead in leads.items()}
    return sites, alliances


def row_provinces(table: str, reader: _TableReader, sites: dict, alliances: dict) -> pd.Series:
    """The province of each row of a file (NA where it cannot be told)."""
    out = reader.out
    if table == "sites" or table.startswith("county_"):
        county = pd.to_numeric(out["county_adcode"], errors="coerce")
        return county // 10000 * 10000
    if table == "alliances":
        return out["lead_site_id"].map(sites)
    return out["alliance_id"].map(alliances)


def _database_keys(ctx: _Context, table: str, where: str, params: dict) -> pd.DataFrame:
    keys = ", ".join(KEYS[table])
    cur = ctx.con.cursor()
    try:
        cur.execute("use data")
        sql = f"select {keys} from {table} where {where}"  # noqa: S608 (names from KEYS)
        return cur.execute(sql, params).df()
    finally:
        cur.close()


def _key_hit(reader: _TableReader, table: str, keys: pd.DataFrame) -> pd.Series:
    """Rows of the file whose key is one of keys."""
    if keys.empty:
        return pd.Series(False, index=reader.out[KEYS[table][0]].index)
    mine = pd.DataFrame({k: reader.out[k] for k in KEYS[table]})
    index = pd.MultiIndex.from_frame(_key_text(keys[KEYS[table]]))
    probe = pd.MultiIndex.from_frame(_key_text(mine))
    return pd.Series(probe.isin(index), index=mine.index)


def _key_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Key columns as comparable text (ids as they are, numbers without .0)."""
    out = {}
    for c in frame.columns:
        s = frame[c]
        if pd.api.types.is_numeric_dtype(s):
            s = s.astype("Int64")
        out[c] = s.astype(str)
    return pd.DataFrame(out)


def tables(ctx: _Context) -> set[str]:
    """The base tables of the database being imported into."""
    rows = ctx.con.execute(
        "select table_name from duckdb_tables() where database_name = 'data'"
    ).fetchall()
    return {r[0] for r in rows}


def apply(
    by_table: dict[str, _TableReader],
    ctx: _Context,
    findings: _Findings,
    scope: Scope,
) -> tuple[dict[str, np.ndarray], dict[str, set[int]]]:
    """Check the files against the layers and the declared scope. Per table: the rows to leave
    out (built-in rows), and the provinces the rows taken fall in."""
    sites, alliances = _province_maps(ctx, by_table)
    skip: dict[str, np.ndarray] = {}
    provinces: dict[str, set[int]] = {}
    for table, reader in by_table.items():
        index = pd.RangeIndex(reader.n)
        keep_out = pd.Series(False, index=index)
        marks = header_positions(reader)
        origin = pd.Series("", index=index)
        if "origin" in marks:
            reader.raw["origin"] = reader.sheet.body[marks["origin"]]
            origin = reader.raw["origin"].set_axis(index).map(_origin_code).astype(str)
            reader.bad(origin == "demo", "origin", "demo_row")
            reader.bad(~origin.isin(["", "article", "demo", "office"]), "origin", "unknown_origin")
            keep_out |= origin == "article"
        if "simulated" in marks:
            reader.raw["simulated"] = reader.sheet.body[marks["simulated"]]
            flag = reader.raw["simulated"].map(_is_yes).astype(bool).set_axis(index)
            reader.bad(flag & ~keep_out & (origin != "demo"), "simulated", "demo_row")
        if table in KEYS:
            built_in = _key_hit(reader, table, _database_keys(ctx, table, "origin = 'article'", {}))
            keep_out |= built_in.set_axis(index)
        first = KEYS.get(table, [next(iter(reader.out))])[0]
        reader.bad(keep_out, first, "built_in_kept", "warning")
        province = row_provinces(table, reader, sites, alliances).set_axis(index)
        if scope.province != NATIONAL:
            outside = (province.notna() & (province != scope.province) & ~keep_out).astype(bool)
            reader.bad(outside, first, "outside_province", scope=str(scope.province))
            if table in ("sites", "alliances"):
                where = f"origin <> 'article' and {provenance.province_sql(table)} <> $scope"
                elsewhere = _database_keys(ctx, table, where, {"scope": scope.province})
                hit = _key_hit(reader, table, elsewhere).set_axis(index) & ~outside & ~keep_out
                reader.bad(hit, first, "kept_elsewhere", scope=str(scope.province))
        if scope.period is not None and table in PERIOD:
            period = _period_of(reader.out[PERIOD[table]]).set_axis(index)
            late = (period.notna() & (period != scope.period) & ~keep_out).astype(bool)
            reader.bad(late, PERIOD[table], "outside_period", period=str(scope.period))
        taken = province[~keep_out].dropna()
        provinces[table] = {int(p) for p in taken.unique()}
        skip[table] = keep_out.to_numpy(dtype=bool)
    return skip, provinces


def _period_of(column: pd.Series) -> pd.Series:
    """The year of each value of a year, month or date column."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.dt.year.astype("Int64")
    return pd.to_numeric(column, errors="coerce").astype("Int64")
