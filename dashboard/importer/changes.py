"""What a publish changes, told per table, province and period: rows added, changed (with a few
examples, before → after), deleted, and simulated rows that gave way.

Counted by comparing the new database with the current one row by row (the batch id left
out), so the preview (`--dry-run`), the confirmation of `--replace`, the published report and
`imports` all show the numbers of the file that is, or would be, published.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from dashboard import provenance
from dashboard.importer.plan import key_match
from dashboard.importer.spec import KEYS, PERIOD

EXAMPLES = 3  # changed rows shown per table
COUNTS = ("added", "changed", "deleted", "demo_removed")


@dataclass
class Changes:
    """Rows per (table, province, period) and kind of change; a few changed rows per table."""

    rows: list[dict] = field(default_factory=list)  # table, province, period, added, …
    examples: dict[str, list[dict]] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)  # file rows equal to the current

    def total(self, kind: str, table: str | None = None) -> int:
        return sum(r[kind] for r in self.rows if table is None or r["table"] == table)

    def by_table(self) -> pd.DataFrame:
        """One row per table and province: added, changed, deleted, demo_removed."""
        frame = pd.DataFrame(self.rows, columns=["table", "province", "period", *COUNTS])
        return frame.groupby(["table", "province"], as_index=False, dropna=False)[
            list(COUNTS)
        ].sum()

    def deleted(self) -> pd.DataFrame:
        """Office and article rows that go, per table, province and period."""
        frame = pd.DataFrame(self.rows, columns=["table", "province", "period", *COUNTS])
        return frame[frame["deleted"] > 0][["table", "province", "period", "deleted"]]

    def to_json(self) -> str:
        return json.dumps(
            {"rows": self.rows, "examples": self.examples, "unchanged": self.unchanged},
            ensure_ascii=False,
            default=str,
        )

    @classmethod
    def from_json(cls, text: str | None) -> Changes | None:
        if not text:
            return None
        d = json.loads(text)
        return cls(d.get("rows", []), d.get("examples", {}), d.get("unchanged", {}))


def _province(table: str, alias: str) -> str:
    if "county_adcode" in _COLUMNS_WITH_COUNTY.get(table, ()):
        return f"{alias}.county_adcode // 10000 * 10000"
    if table == "alliances":
        return f"(select p from _site_prov s where s.site_id = {alias}.lead_site_id)"  # noqa: S608
    return f"(select p from _alliance_prov a where a.alliance_id = {alias}.alliance_id)"  # noqa: S608


_COLUMNS_WITH_COUNTY = {
    t: ("county_adcode",)
    for t in (
        "sites",
        "county_metrics",
        "county_metrics_monthly",
        "county_measures",
        "county_measures_monthly",
        "county_judgements",
    )
}


def _period(table: str, alias: str) -> str:
    if table not in PERIOD:
        return "null::integer"
    column = f"{alias}.{PERIOD[table]}"
    return column if PERIOD[table] == "year" else f"year({column})"


def _maps(con: duckdb.DuckDBPyConnection) -> None:
    """Temporary province maps of sites and alliances, new rows over old (for rows that went)."""
    con.execute(
        "create or replace temp table _site_prov as "
        "select site_id, county_adcode // 10000 * 10000 as p from sites "
        "union all select site_id, county_adcode // 10000 * 10000 from old.sites "
        "where site_id not in (select site_id from sites)"
    ).fetchall()
    con.execute(
        "create or replace temp table _alliance_prov as "
        "with a as (select alliance_id, lead_site_id from alliances union all "
        "select alliance_id, lead_site_id from old.alliances "
        "where alliance_id not in (select alliance_id from alliances)) "
        "select a.alliance_id, s.p from a left join _site_prov s on s.site_id = a.lead_site_id"
    ).fetchall()


def compare(
    con: duckdb.DuckDBPyConnection,
    tables: list[str],
    columns: dict[str, list[str]],
    file_rows: dict[str, int],
) -> Changes:
    """The changes from `old` (attached) to the connection's database, in the tables named."""
    _maps(con)
    out = Changes()
    for table in tables:
        if table not in columns or table not in provenance.PROVINCE:
            continue
        cols = [c for c in columns[table] if c != "batch_id"]
        names = ", ".join(f'"{c}"' for c in cols)
        # names from the schema; no value is put into the SQL
        con.execute(
            f"create or replace temp table _gone as select {names} from old.{table} "  # noqa: S608
            f"except all select {names} from {table}"
        ).fetchall()
        con.execute(
            f"create or replace temp table _came as select {names} from {table} "  # noqa: S608
            f"except all select {names} from old.{table}"
        ).fetchall()
        keyed = table in KEYS
        match_gone = key_match(table, "x", "gone") if keyed else "false"
        match_came = key_match(table, "x", "came") if keyed else "false"
        sql = f"""
            with gone as (
                select *, {_province(table, "_gone")} as p, {_period(table, "_gone")} as y
                from _gone
            ),
            came as (
                select *, {_province(table, "_came")} as p, {_period(table, "_came")} as y
                from _came
            ),
            counted as (
                select p, y,
                    case when origin = 'demo' then 'demo_removed'
                         when exists (select 1 from came x where {match_gone})
                         then 'changed_old' else 'deleted' end as kind
                from gone
                union all
                select p, y,
                    case when exists (
                        select 1 from gone x where x.origin <> 'demo'
                        and {match_came}) then 'changed' else 'added' end
                from came
            )
            select p, y, kind, count(*) from counted group by all
        """  # noqa: S608 (names from the schema and KEYS)
        found: dict[tuple, dict] = {}
        for p, y, kind, n in con.execute(sql).fetchall():
            if kind == "changed_old":
                continue
            row = found.setdefault(
                (p, y),
                {
                    "table": table,
                    "province": None if p is None else int(p),
                    "period": None if y is None else int(y),
                    **dict.fromkeys(COUNTS, 0),
                },
            )
            row[kind] += int(n)
        out.rows += sorted(found.values(), key=lambda r: (r["province"] or 0, r["period"] or 0))
        if keyed:
            out.examples[table] = _examples(con, table, cols)
        if table in file_rows:
            done = sum(r["added"] + r["changed"] for r in found.values())
            out.unchanged[table] = max(0, file_rows[table] - done)
    return out


def _examples(con, table: str, cols: list[str]) -> list[dict]:
    """A few changed rows: key, and each column that differs, before → after."""
    keys = KEYS[table]
    sql = (
        f"select * from _came y where exists (select 1 from _gone x where x.origin <> 'demo' "  # noqa: S608
        f"and {key_match(table, 'x', 'y')}) limit {EXAMPLES}"
    )
    after = con.execute(sql).df()
    if after.empty:
        return []
    con.register("_after_keys", after[keys])
    try:
        before = con.execute(
            f"select * from _gone x where x.origin <> 'demo' and exists ("  # noqa: S608
            f"select 1 from _after_keys y where {key_match(table, 'x', 'y')})"
        ).df()
    finally:
        con.unregister("_after_keys")
    out = []
    for _, a in after.iterrows():
        same = pd.Series(True, index=before.index)
        for k in keys:
            same &= (before[k] == a[k]) | (before[k].isna() & pd.isna(a[k]))
        if not same.any():
            continue
        b = before[same].iloc[0]
        diff = {
            c: [_plain(b[c]), _plain(a[c])]
            for c in cols
            if c not in keys and c != "origin" and _plain(b[c]) != _plain(a[c])
        }
        out.append({"key": {k: _plain(a[k]) for k in keys}, "diff": diff})
    return out


def _plain(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
