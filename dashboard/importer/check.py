"""Stage 3, check: references across tables, and the whole check of a set of files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from dashboard import db, i18n, safe
from dashboard.importer import guard, layers, plan
from dashboard.importer.findings import Checked, FileInfo, _Findings
from dashboard.importer.normalise import _Context, _isin, _match_table, _TableReader
from dashboard.importer.read import _read, _Unreadable, expand
from dashboard.importer.spec import REFERENCES, SPEC, Progress, _quiet

# ---------------------------------------------------------------- across tables


def _cross_check(
    checked: Checked,
    by_table: dict[str, _TableReader],
    ctx: _Context,
    findings: _Findings,
) -> None:
    """References between tables, over the tables as they will be after the import: the
    files' rows and the rows the import keeps (plan.py)."""
    frames = checked.frames
    ids = {}
    for t, k in (("sites", "site_id"), ("alliances", "alliance_id")):
        kept = _kept_ids(ctx, t, k, checked.cleared)
        if t in frames:
            kept = kept.append(pd.Index(frames[t][k].dropna().unique(), dtype="str")).unique()
        ids[t] = kept
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
        where, params = plan.kept_where("memberships", checked.cleared)
        members = ctx.con.execute(
            f"select alliance_id, site_id from memberships where {where}",  # noqa: S608
            params,
        ).df()
        if "memberships" in frames:
            members = pd.concat([members, frames["memberships"][["alliance_id", "site_id"]]])
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
            leads = ctx.con.execute(  # demo alliances that lose their lead's membership go too
                "select alliance_id, lead_site_id from alliances where origin <> 'demo'"
            ).fetchall()
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
                    f"and {column} not in (select id from kept_ids) and origin <> 'demo' "
                    "group by 1 order by 1"
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


def _kept_ids(ctx: _Context, table: str, column: str, cleared: list) -> pd.Index:
    """Ids of sites or alliances the import keeps (file rows aside)."""
    where, params = plan.kept_where(table, cleared)
    if where == "true":
        return ctx.ids(table)
    cur = ctx.con.cursor()
    try:
        cur.execute("use data")
        sql = f"select {column} from {table} where {where}"  # noqa: S608 (names from our list)
        return pd.Index(cur.execute(sql, params).df()[column], dtype="str")
    finally:
        cur.close()


# ---------------------------------------------------------------- check


def check(
    paths: Iterable[Path | str],
    db_path: Path | None = None,
    today: dt.date | None = None,
    progress: Progress = _quiet,
    scope: int | plan.Scope = layers.NATIONAL,
    limits: guard.Limits = guard.DEFAULT,
) -> Checked:
    """Read and check office files against the database at db_path; nothing is written.
    scope: 100000 for the whole country, the adcode of the one province the files cover, or a
    plan.Scope (province, period, replace)."""
    con = db.connect(db_path)
    try:
        return _check(paths, con, today or dt.date.today(), progress, scope, limits)
    finally:
        con.close()


def _check(
    paths,
    con,
    today: dt.date,
    progress: Progress,
    scope: int | plan.Scope = layers.NATIONAL,
    limits: guard.Limits = guard.DEFAULT,
) -> Checked:
    if not isinstance(scope, plan.Scope):
        scope = plan.Scope(int(scope))
    checked = Checked()
    checked.scope = scope
    findings = _Findings(checked)
    files, missing = expand(paths)
    for path, rule in missing:
        checked.files.append(FileInfo(path, str(path)))
        findings.add(str(path), None, "", "", rule)
    ctx = _Context(con, today)
    if scope.province != layers.NATIONAL and scope.province not in layers.provinces(ctx):
        findings.add("--province", None, "", str(scope.province), "unknown_province")
    if scope.replace and not scope.declared:
        findings.add("--replace", None, "", "", "replace_without_scope")
    by_table: dict[str, _TableReader] = {}
    seen: dict[str, str] = {}
    total = len(files) + 1
    recognised = True
    for step, path in enumerate(files, 1):
        progress(step, total, safe.for_terminal(path.name)[:20])
        info = FileInfo(path, path.name)
        checked.files.append(info)
        try:
            sheet = _read(path, findings, limits)
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
        if not len(sheet.body):  # an empty file empties its table: only when asked, if ever
            label = {"zh": i18n.text(f"data.table.{table}", "zh"), "en": table}
            if table in guard.NEVER_EMPTY:
                findings.add(path.name, None, "", "", "empty_never", table=label)
            elif not limits.allow_empty:
                findings.add(path.name, None, "", "", "empty_refused", table=label)
            else:
                findings.add(path.name, None, "", "", "empty_file", "warning")
        checked.frames[table] = frame
        by_table[table] = reader
    progress(total, total, "references")
    if recognised and not missing:
        skip, provinces = layers.apply(by_table, ctx, findings, scope)
        checked.cleared = plan.clears(provinces, scope, layers.tables(ctx))
        _cross_check(checked, by_table, ctx, findings)
        for table, rows in skip.items():  # built-in rows stay as they are
            if rows.any():
                checked.frames[table] = checked.frames[table][~rows].reset_index(drop=True)
    elif by_table:
        findings.add(next(iter(seen.values())), None, "", "", "refs_skipped", "warning")
    findings.finish()
    return checked
