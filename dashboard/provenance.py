"""Where each row comes from (DESIGN.md §11), and how an office batch replaces rows by scope.

Every data table has `origin` ('article' built in from data/real, 'demo' the simulation,
'office' an import) and `batch_id` (the import that published an office row). An import
replaces the demo and earlier office rows of its tables within its scope (the whole country,
or one province), never the article rows; demo rows that lose what they point at go too.
The same functions re-apply published batches on every `build`.
"""

from __future__ import annotations

import duckdb

ORIGINS = ("article", "demo", "office")
NATIONAL = 100000  # the scope of an import that covers the whole country
DATA_TABLES = (
    "sites",
    "alliances",
    "memberships",
    "county_metrics",
    "county_metrics_monthly",
    "county_measures",
    "county_measures_monthly",
    "county_judgements",
    "activities",
    "funding",
    "milestones",
    "figures",
)
_COUNTY = "{t}.county_adcode // 10000 * 10000"
_LEAD = "(select s.county_adcode // 10000 * 10000 from sites s where s.site_id = {t}.lead_site_id)"
_ALLIANCE = (
    "(select s.county_adcode // 10000 * 10000 from alliances a "
    "join sites s on s.site_id = a.lead_site_id where a.alliance_id = {t}.alliance_id)"
)
# The province a row belongs to: its county's, its lead site's, or its alliance's.
PROVINCE = {
    "sites": _COUNTY,
    "county_metrics": _COUNTY,
    "county_metrics_monthly": _COUNTY,
    "county_measures": _COUNTY,
    "county_measures_monthly": _COUNTY,
    "county_judgements": _COUNTY,
    "alliances": _LEAD,
    "memberships": _ALLIANCE,
    "activities": _ALLIANCE,
    "funding": _ALLIANCE,
    "milestones": _ALLIANCE,
    "figures": _ALLIANCE,
}
# Dependent tables first: a row's province is read through the rows it points at.
CLEAR_ORDER = (
    "memberships",
    "activities",
    "funding",
    "milestones",
    "figures",
    "alliances",
    "sites",
    "county_metrics",
    "county_metrics_monthly",
    "county_measures",
    "county_measures_monthly",
    "county_judgements",
)
# A county's figures are one family: real rates, measures or judgements of a province replace the
# demo's figures of every kind there, or an indicator would mix simulated and real terms (a
# demo denominator under a real rate) in one province.
COUNTY_DATA = (
    "county_metrics",
    "county_metrics_monthly",
    "county_measures",
    "county_measures_monthly",
    "county_judgements",
)
# Demo rows that point at rows no longer there.
_DANGLING = {
    "alliances": "lead_site_id not in (select site_id from sites) or not exists ("
    "select 1 from memberships m where m.alliance_id = alliances.alliance_id "
    "and m.site_id = alliances.lead_site_id)",
    "memberships": "alliance_id not in (select alliance_id from alliances) "
    "or site_id not in (select site_id from sites)",
    "activities": "alliance_id not in (select alliance_id from alliances) "
    "or from_site_id not in (select site_id from sites) "
    "or to_site_id not in (select site_id from sites)",
    "funding": "alliance_id not in (select alliance_id from alliances)",
    "milestones": "alliance_id not in (select alliance_id from alliances)",
    "figures": "alliance_id not in (select alliance_id from alliances)",
}


def province_sql(table: str) -> str:
    """SQL for the province adcode of a row of table (the table's name qualifies columns)."""
    return PROVINCE[table].format(t=table)


def tables_of(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The base tables of the connection's current database."""
    rows = con.execute(
        "select table_name from duckdb_tables() where database_name = current_database()"
    ).fetchall()
    return {r[0] for r in rows}


def clear(con: duckdb.DuckDBPyConnection, tables, scope: int) -> dict[str, int]:
    """Delete the demo and office rows of tables within scope; rows deleted per table."""
    present = tables_of(con)
    deleted = {}
    for table in CLEAR_ORDER:
        if table not in tables or table not in present:
            continue
        where = "origin <> 'article'"
        params = {}
        if scope != NATIONAL:
            where += f" and {province_sql(table)} = $scope"
            params["scope"] = scope
        # Names only from CLEAR_ORDER and province_sql's fixed map (identifiers cannot be bound);
        # the one value, the scope, is bound.
        n = con.execute(f"delete from {table} where {where}", params).fetchall()  # noqa: S608
        deleted[table] = n[0][0] if n else 0
    if set(tables) & set(COUNTY_DATA):
        for table in COUNTY_DATA:
            if table in tables or table not in present:
                continue
            where, params = "origin = 'demo'", {}
            if scope != NATIONAL:
                where += f" and {province_sql(table)} = $scope"
                params["scope"] = scope
            n = con.execute(f"delete from {table} where {where}", params).fetchall()  # noqa: S608
            deleted[table] = n[0][0] if n else 0
    return deleted


def cascade(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Delete demo rows left pointing at rows that are gone (repeated until none); counts."""
    present = tables_of(con)
    deleted: dict[str, int] = {}
    for _ in range(5):
        total = 0
        for table, dangling in _DANGLING.items():
            if table not in present:
                continue
            sql = f"delete from {table} where origin = 'demo' and ({dangling})"  # noqa: S608
            n = con.execute(sql).fetchall()[0][0]
            deleted[table] = deleted.get(table, 0) + n
            total += n
        if not total:
            break
    return {t: n for t, n in deleted.items() if n}


def origin_expr(columns: list[str]) -> dict[str, str]:
    """SELECT expressions for origin and batch_id from an older file that may lack them."""
    out = {}
    if "origin" not in columns:
        out["origin"] = (
            "case when simulated then 'demo' else 'article' end"
            if "simulated" in columns
            else "'article'"
        )
    if "batch_id" not in columns:
        out["batch_id"] = "null"
    return out


def copy_table(
    con: duckdb.DuckDBPyConnection,
    table: str,
    new_columns: list[str],
    old_columns: list[str],
    where: str = "",
    source: str = "old",
) -> None:
    """Insert source.table into table, column by name; origin/batch_id derived when absent."""
    derived = origin_expr(old_columns) if table in DATA_TABLES else {}
    names, exprs = [], []
    for c in new_columns:
        if c in old_columns:
            names.append(f'"{c}"')
            exprs.append(f'"{c}"')
        elif c in derived:
            names.append(f'"{c}"')
            exprs.append(derived[c])
    sql = (
        f"insert into {table} ({', '.join(names)}) "  # noqa: S608 (names from the schema)
        f"select {', '.join(exprs)} from {source}.{table} {where}"
    )
    con.execute(sql).fetchall()
