"""What an import deletes, decided before anything is written (DESIGN.md §11, README "What an
import changes").

An import never deletes an article or office row outside its file's keys. It

- replaces the rows with the same key as a file row (spec.KEYS), never an article's row;
- makes the demo give way where the file's rows are: in each province a file's rows fall in,
  the demo rows of the tables the file loads go (a county's figures are one family: real
  measures, rates or judgements of a province replace the demo's figures of every kind there,
  so an indicator never mixes simulated and real terms in one province);
- deletes more only when asked: `--replace` with a declared scope (a province and/or a
  period) deletes the demo and office rows of the loaded tables within that scope.

Each deletion is a `Clear`; the list is stored with the batch (imports.cleared) so a `build`
re-applies the demo's part of it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

import duckdb
import pandas as pd

from dashboard import provenance
from dashboard.importer.spec import KEYS, NULLABLE_KEYS, PERIOD

NATIONAL = provenance.NATIONAL


@dataclass(frozen=True)
class Scope:
    """Where an import may write and, with replace, what it deletes: a province (or the whole
    country) and a period (a year, or None for every period)."""

    province: int = NATIONAL
    period: int | None = None
    replace: bool = False

    @property
    def declared(self) -> bool:
        return self.province != NATIONAL or self.period is not None


@dataclass(frozen=True)
class Clear:
    """Rows of one table to delete: of these origins, in a province (None: all), in a year."""

    table: str
    origins: tuple[str, ...]
    province: int | None = None
    period: int | None = None

    def where(self, qualify: str | None = None) -> tuple[str, dict]:
        """SQL condition (bound values) for the rows this clear deletes."""
        table = qualify or self.table
        parts = [f"list_contains($origins, {table}.origin)"]
        params: dict = {"origins": list(self.origins)}
        if self.province is not None:
            parts.append(f"{provenance.PROVINCE[self.table].format(t=table)} = $province")
            params["province"] = self.province
        if self.period is not None:
            parts.append(f"{period_sql(self.table, table)} = $period")
            params["period"] = self.period
        return " and ".join(parts), params

    def as_dict(self) -> dict:
        return asdict(self)


def period_sql(table: str, qualify: str | None = None) -> str:
    """SQL for the year of a row (its year column, or the year of its month or date)."""
    column = f"{qualify or table}.{PERIOD[table]}"
    return column if PERIOD[table] == "year" else f"year({column})"


def family(table: str) -> tuple[str, ...]:
    """The tables whose demo rows give way with table's (a county's figures are one family)."""
    return provenance.COUNTY_DATA if table in provenance.COUNTY_DATA else (table,)


def clears(
    provinces: dict[str, set[int]], scope: Scope, present: set[str] | None = None
) -> list[Clear]:
    """The deletions of an import whose tables' rows fall in these provinces."""
    out: dict[tuple, Clear] = {}
    for table, where in provinces.items():
        for member in family(table):
            if present is not None and member not in present:
                continue
            for province in sorted(where):
                out.setdefault((member, province), Clear(member, ("demo",), province))
    if scope.replace:
        for table in provinces:
            if scope.period is not None and table not in PERIOD:
                continue  # a table without periods is only updated by a period's replace
            province = None if scope.province == NATIONAL else scope.province
            out[(table, "replace")] = Clear(table, ("demo", "office"), province, scope.period)
    return list(out.values())


def kept_where(table: str, cleared: list[Clear]) -> tuple[str, dict]:
    """WHERE clause (and parameters) for the rows of table that no clear deletes."""
    mine = [c for c in cleared if c.table == table]
    if not mine:
        return "true", {}
    parts, params = [], {}
    for i, clear in enumerate(mine):
        sql, values = clear.where()
        for name, value in values.items():
            sql = sql.replace(f"${name}", f"${name}_{i}")
            params[f"{name}_{i}"] = value
        parts.append(f"({sql})")
    return f"not ({' or '.join(parts)})", params


def delete(con: duckdb.DuckDBPyConnection, cleared: list[Clear], origins=None) -> dict[str, int]:
    """Apply the clears (only to rows of these origins, when given); rows deleted per table."""
    present = provenance.tables_of(con)
    done: dict[str, int] = {}
    for table in provenance.CLEAR_ORDER:  # dependent tables first: provinces read through them
        for clear in (c for c in cleared if c.table == table and table in present):
            kinds = tuple(o for o in clear.origins if origins is None or o in origins)
            if not kinds:
                continue
            sql, params = Clear(table, kinds, clear.province, clear.period).where()
            # table names from CLEAR_ORDER, SQL from provenance's fixed map; values bound
            n = con.execute(f"delete from {table} where {sql}", params).fetchall()  # noqa: S608
            done[table] = done.get(table, 0) + (n[0][0] if n else 0)
    return done


def key_match(table: str, left: str, right: str) -> str:
    """SQL: the row `left` has the key of the row `right` (empty cells match empty cells)."""
    parts = []
    for k in KEYS[table]:
        op = "is not distinct from" if (table, k) in NULLABLE_KEYS else "="
        parts.append(f'{left}."{k}" {op} {right}."{k}"')
    return " and ".join(parts)


def replace_keys(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> int:
    """Delete the demo and office rows of table with the key of a row of frame; rows deleted."""
    keys = frame[KEYS[table]]
    con.register("_file_keys", keys)
    try:
        sql = (
            f"delete from {table} where origin <> 'article' and exists ("  # noqa: S608 (names from KEYS)
            f"select 1 from _file_keys f where {key_match(table, table, 'f')})"
        )
        n = con.execute(sql).fetchall()
    finally:
        con.unregister("_file_keys")
    return n[0][0] if n else 0


def to_json(cleared: list[Clear]) -> str:
    return json.dumps([c.as_dict() for c in cleared])


def from_json(text: str | None) -> list[Clear] | None:
    """The clears stored with a batch (None for a batch from before they were stored)."""
    if not text:
        return None
    return [
        Clear(d["table"], tuple(d["origins"]), d.get("province"), d.get("period"))
        for d in json.loads(text)
    ]
