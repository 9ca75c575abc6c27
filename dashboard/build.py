"""Build the DuckDB file from data/: geography, catalogue, the articles' alliances, the simulation.

The new database is written beside the old one and swapped in with one rename, so a reader
never sees half a file; the previous file is kept in data/backups/.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import db, lock, precompute, provenance, simulate

DATA_DIR = db.ROOT / "data"
# The catalogue (data/catalogue/): file -> table. Versioned and sourced; an office corrects a
# definition or a target by editing a file and rebuilding, without code.
CATALOGUE = {
    "sets.csv": "indicator_sets",
    "areas.csv": "indicator_areas",
    "measures.csv": "measures",
    "indicators.csv": "indicators",
    "references.csv": "reference_values",
}
SCHEMA = Path(__file__).with_name("schema.sql")
MONTHLY_VIEW = Path(__file__).with_name("monthly_view.sql")
KEEP_BACKUPS = 3
REAL_TABLES = ["sites", "alliances", "memberships", "funding", "milestones", "figures"]
# The articles' alliances told in structure: tags, tiers, areas, related records (built in only).
REAL_DETAIL_TABLES = [
    "alliance_tags",
    "alliance_tiers",
    "member_tiers",
    "alliance_areas",
    "alliance_links",
]
Progress = Callable[[int, int, str], None]


class BuildError(RuntimeError):
    """The data broke the contract; nothing was published."""


def _quiet(step: int, total: int, label: str) -> None:
    pass


def read_regions(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """regions.csv joined with the simplified boundaries of provinces and counties."""
    bdir = data_dir / "boundaries"
    regions = pd.read_csv(bdir / "regions.csv", dtype={"name_en": "string"})
    shapes = {}
    for name in ("provinces.geojson", "counties.geojson"):
        for feature in json.loads((bdir / name).read_text(encoding="utf-8"))["features"]:
            shapes[int(feature["id"])] = json.dumps(feature["geometry"], separators=(",", ":"))
    boundary = regions["adcode"].map(shapes)
    regions["boundary"] = boundary.where(regions["level"] != "city")
    regions["district"] = is_district(regions)
    return regions


# County-level units named …区 that are 县域 all the same: a forestry area and a special area.
_NOT_DISTRICTS = ("林区", "特区")


def is_district(regions: pd.DataFrame) -> pd.Series:
    """Whether each region is a 市辖区 (an urban district): a county-level unit named …区, except
    林区 and 特区 (神农架林区, 六枝特区), which are 县域 like counties, county-level cities and 旗."""
    name = regions["name"].astype(str)
    return (
        (regions["level"] == "county")
        & name.str.endswith("区")
        & ~name.str.endswith(_NOT_DISTRICTS)
    )


def read_catalogue(data_dir: Path = DATA_DIR) -> dict[str, pd.DataFrame]:
    """The indicator catalogue of data/catalogue/: table -> rows (empty cells are None)."""
    folder = data_dir / "catalogue"
    out = {}
    for file, table in CATALOGUE.items():
        frame = pd.read_csv(folder / file, dtype=str, keep_default_na=False)
        out[table] = frame.replace({"": None})
    return out


def catalogue_version(data_dir: Path = DATA_DIR) -> str:
    """The catalogue's version (data/catalogue/version.txt)."""
    path = data_dir / "catalogue" / "version.txt"
    return path.read_text(encoding="utf-8").strip() if path.is_file() else ""


def read_real(data_dir: Path = DATA_DIR) -> dict[str, pd.DataFrame]:
    """The hand-entered tables of data/real/ as text columns (empty cells are None)."""
    real = {}
    for table in ["articles", *REAL_TABLES, *REAL_DETAIL_TABLES]:
        path = data_dir / "real" / f"{table}.csv"
        if table in REAL_DETAIL_TABLES and not path.exists():
            continue  # optional: a data folder without them builds as before
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        real[table] = frame.replace({"": None})
    return real


def _place_sites(sites: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    centre = regions.set_index("adcode")[["lon", "lat"]]
    code = sites["county_adcode"].astype(int)
    sites = sites.assign(county_adcode=code)
    for col in ("lon", "lat"):
        sites[col] = pd.to_numeric(sites[col]).fillna(code.map(centre[col]))
    return sites


def build(
    out_path: Path | None = None,
    data_dir: Path = DATA_DIR,
    seed: int = simulate.SEED,
    scale: int = 1,
    progress: Progress = _quiet,
    simulation: bool = True,
    if_missing: bool = False,
    on_wait: Callable[[], None] | None = None,
    wait: float = lock.WAIT_SECONDS,
) -> Path:
    """Write a new database and publish it at out_path; BuildError if the contract fails.

    The published office batches of the current file are re-applied (provenance.py), under the
    lock that `import` takes too. simulation=False leaves the demo layer out. if_missing: only
    build when there is no file yet (the first start of a fresh clone; others wait and skip).
    lock.Busy if another writer keeps the lock past `wait`; lock.StorageError if the folder
    cannot be written.
    """
    out_path = Path(out_path or db.db_path())
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise lock.StorageError(out_path.parent, exc) from exc
    with lock.hold(out_path, wait=wait, on_wait=on_wait):
        if if_missing and out_path.exists():
            return out_path
        lock.writable(out_path.parent)
        tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
        try:
            _build_file(tmp, out_path, data_dir, seed, scale, simulation, progress)
        except OSError as exc:
            raise lock.StorageError(out_path.parent, exc) from exc
        except duckdb.Error as exc:
            if isinstance(exc, duckdb.IOException) or lock.is_storage(exc):
                raise lock.from_duckdb(out_path.parent, exc) from exc
            raise
        finally:
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                with contextlib.suppress(OSError):
                    leftover.unlink(missing_ok=True)
    return out_path


def _build_file(tmp, out_path, data_dir, seed, scale, simulation, progress) -> None:
    steps = 7
    progress(1, steps, "regions")
    regions = read_regions(data_dir)
    real = read_real(data_dir)
    real["sites"] = _place_sites(real["sites"], regions)
    catalogue = read_catalogue(data_dir)
    stock = frozenset(catalogue["measures"].query("stock == 'true'")["measure_id"])
    progress(2, steps, "simulation" if simulation else "no simulation")
    sim = simulate.simulate(regions, seed=seed, scale=scale, stock=stock) if simulation else {}
    progress(3, steps, "write")
    con = duckdb.connect(str(tmp))
    try:
        con.execute(SCHEMA.read_text(encoding="utf-8"))
        _write_base(con, data_dir, regions, real, catalogue)
        progress(4, steps, "simulated rows")
        _write_demo(con, sim, skip=replaced_nationally(out_path))
        progress(5, steps, "imports")
        reapply_imports(con, out_path)
        if "county_measures_monthly" in sim:
            con.execute(MONTHLY_VIEW.read_text(encoding="utf-8"))
        precompute.store(con)
        _write_meta(con, seed, scale, simulation, catalogue_version(data_dir))
        con.execute("checkpoint")
    finally:
        con.close()
    progress(6, steps, "contract")
    check_contract(tmp)
    progress(7, steps, "publish")
    publish(tmp, out_path)


def _write_base(
    con, data_dir: Path, regions: pd.DataFrame, real: dict, catalogue: dict[str, pd.DataFrame]
) -> None:
    """Geography, the indicator catalogue and the articles' rows (origin 'article')."""
    db.insert_frame(con, "regions", regions)
    dashline = (data_dir / "boundaries" / "dashline.geojson").read_text(encoding="utf-8")
    con.execute("insert into map_lines values ('dashline', $g)", {"g": dashline})
    for table, frame in catalogue.items():
        db.insert_frame(con, table, frame)
    db.insert_frame(con, "articles", real["articles"])
    for table in REAL_TABLES:
        frame = real[table].assign(origin="article")
        if table != "figures":
            frame = frame.assign(simulated=False)
        db.insert_frame(con, table, frame)
    for table in REAL_DETAIL_TABLES:
        if table in real:
            db.insert_frame(con, table, real[table])


def _write_demo(con, sim: dict[str, pd.DataFrame], skip: set[str] = frozenset()) -> None:
    """The simulation's rows (origin 'demo'); not the tables a published import replaced for
    the whole country (writing them only to delete them would leave the file larger)."""
    for table, frame in sim.items():
        if table not in skip:
            db.insert_frame(con, table, frame.assign(origin="demo", simulated=True))


def replaced_nationally(out_path: Path) -> set[str]:
    """Tables of the file at out_path that a published import replaced for the whole country."""
    from dashboard.importer import plan  # the importer reads the schema from this module

    if not out_path.is_file():
        return set()
    try:
        con = db.connect(out_path)
    except db.DatabaseUnavailable:
        return set()
    try:
        columns = {
            r[0]
            for r in con.execute(
                "select column_name from duckdb_columns() where table_name = 'imports'"
            ).fetchall()
        }
        cleared = "cleared" if "cleared" in columns else "null"
        rows = con.execute(
            f"select tables, scope, {cleared} from imports"  # noqa: S608 (a column name)
        ).fetchall()
    except duckdb.Error:  # a file from before batches
        return set()
    finally:
        con.close()
    out = set()
    for tables, scope, text in rows:
        clears = plan.from_json(text)
        if clears is None:  # a batch from before the plan: it replaced its tables in its scope
            if scope == provenance.NATIONAL:
                out |= set(json.loads(tables))
        else:
            out |= {c.table for c in clears if c.province is None and c.period is None}
    return out


def _write_meta(con, seed: int, scale: int, simulation: bool, catalogue: str = "") -> None:
    meta = {
        "catalogue_version": catalogue,
        "built_at": dt.datetime.now().isoformat(timespec="seconds"),
        "as_of": str(simulate.AS_OF),
        "seed": str(seed),
        "scale": str(scale),
        "simulation": "true" if simulation else "false",
    }
    con.executemany("insert into meta values (?, ?)", list(meta.items()))


def reapply_imports(con, out_path: Path) -> list[str]:
    """Carry the published office batches of the file at out_path into the new database.

    Each batch's tables lose their demo rows within the batch's scope, in the order the batches
    were published; then the office rows and the imports log are copied as they are. The
    batch ids carried over (none when there is no file, or one from before batches existed).
    """
    from dashboard.importer import plan  # the importer reads the schema from this module
    from dashboard.importer.spec import KEYS

    if not out_path.is_file():
        return []
    try:
        con.execute("attach $path as old (read_only)", {"path": str(out_path)})
    except duckdb.Error:  # not a database (a broken file is what a build repairs)
        return []
    try:
        here = con.execute("select current_database()").fetchall()[0][0]
        columns = {
            (d, t): cols
            for d, t, cols in con.execute(
                "select database_name, table_name, list(column_name order by column_index) "
                "from duckdb_columns() where database_name in ($here, 'old') group by all",
                {"here": here},
            ).fetchall()
        }
        old_imports = columns.get(("old", "imports"), [])
        if "batch_id" not in old_imports or "scope" not in old_imports:
            return []
        cleared = "cleared" if "cleared" in old_imports else "null"
        batches = con.execute(
            f"select batch_id, tables, scope, {cleared} from old.imports "  # noqa: S608
            "order by imported_at, batch_id"
        ).fetchall()
        for _, tables, scope, text in batches:
            clears = plan.from_json(text)
            if clears is None:  # a batch from before the plan: its tables replaced in its scope
                provenance.clear(con, set(json.loads(tables)), int(scope))
            else:  # the demo's part: office rows are carried over below as they are
                plan.delete(con, clears, origins=("demo",))
        for table in provenance.DATA_TABLES:
            old_cols = columns.get(("old", table), [])
            if "origin" in old_cols and (here, table) in columns:
                if table in KEYS:  # demo rows an office row replaced by its key
                    con.execute(
                        f"delete from {table} y where origin = 'demo' and exists ("  # noqa: S608
                        f"select 1 from old.{table} x where x.origin = 'office' and "
                        f"{plan.key_match(table, 'x', 'y')})"
                    ).fetchall()
                provenance.copy_table(
                    con, table, columns[(here, table)], old_cols, "where origin = 'office'"
                )
        provenance.cascade(con)
        provenance.copy_table(con, "imports", columns[(here, "imports")], old_imports)
        return [b[0] for b in batches]
    finally:
        con.execute("detach old")


def check_contract(path: Path) -> None:
    """BuildError listing the first violations if the file at path breaks the data contract
    (every query in queries/contract/)."""
    con = db.connect(path)
    try:
        bad = contract_violations(con)
    finally:
        con.close()
    if len(bad):
        raise BuildError(f"{len(bad)} contract violations:\n{bad.head(20).to_string()}")


CONTRACT_QUERIES = ("contract/violations", "contract/provenance")


def contract_violations(con) -> pd.DataFrame:
    """The rows of every contract query on an open connection (empty when sound)."""
    params = {"today": dt.date.today()}
    return pd.concat([db.run(con, name, params) for name in CONTRACT_QUERIES], ignore_index=True)


def publish(new_file: Path, out_path: Path) -> None:
    """Swap new_file in at out_path in one rename, keeping the last few old files as backups."""
    if out_path.exists():
        backups = out_path.parent / "backups"
        backups.mkdir(exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        backup = backups / f"{out_path.stem}-{stamp}{out_path.suffix}"
        try:
            os.link(out_path, backup)  # the old file lives on under a second name: no copy
        except OSError:
            shutil.copy2(out_path, backup)
        old = sorted(backups.glob(f"{out_path.stem}-*{out_path.suffix}"))
        for stale in old[:-KEEP_BACKUPS]:
            stale.unlink()
    os.replace(new_file, out_path)


def table_rows(path: Path) -> dict[str, int]:
    """Rows per table of the database at path (empty if it cannot be read)."""
    try:
        con = db.connect(path)
    except db.DatabaseUnavailable:
        return {}
    try:
        counts = db.run(con, "table_counts", {"regions": [100000]})  # the whole file
        return dict(zip(counts["table_name"], counts["rows"].astype(int), strict=True))
    finally:
        con.close()


def rollback(
    out_path: Path,
    wait: float = lock.WAIT_SECONDS,
    on_wait: Callable[[], None] | None = None,
) -> tuple[Path, Path, dict[str, int], dict[str, int]] | None:
    """Go back one publish: the newest backup becomes the database again (one rename).

    The file it replaces is moved to backups/rolled_back/ (so nothing is lost and a second
    rollback goes one more step back). Returns (backup, where the replaced file went, rows per
    table before, after), or None when there is no backup.
    """
    out_path = Path(out_path)
    backups = out_path.parent / "backups"
    with lock.hold(out_path, wait=wait, on_wait=on_wait):
        found = sorted(backups.glob(f"{out_path.stem}-*{out_path.suffix}"))
        if not found:
            return None
        newest = found[-1]
        db.connect(newest).close()  # DatabaseUnavailable if the backup is not a database
        before, after = table_rows(out_path), table_rows(newest)
        parked = backups / "rolled_back"
        try:
            parked.mkdir(exist_ok=True)
            moved = (
                parked / f"{out_path.stem}-{dt.datetime.now():%Y%m%d-%H%M%S-%f}{out_path.suffix}"
            )
            if out_path.exists():
                os.link(out_path, moved)
            os.replace(newest, out_path)
        except OSError as exc:
            raise lock.StorageError(out_path.parent, exc) from exc
    return newest, moved, before, after
