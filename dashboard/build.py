"""Build the DuckDB file from data/: geography, catalogue, the articles' alliances, the simulation.

The new database is written beside the old one and swapped in with one rename, so a reader
never sees half a file; the previous file is kept in data/backups/.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import db, precompute, simulate

DATA_DIR = db.ROOT / "data"
SCHEMA = Path(__file__).with_name("schema.sql")
MONTHLY_VIEW = Path(__file__).with_name("monthly_view.sql")
KEEP_BACKUPS = 3
REAL_TABLES = ["sites", "alliances", "memberships", "funding", "milestones", "figures"]
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
    return regions


def read_real(data_dir: Path = DATA_DIR) -> dict[str, pd.DataFrame]:
    """The hand-entered tables of data/real/ as text columns (empty cells are None)."""
    real = {}
    for table in ["articles", *REAL_TABLES]:
        frame = pd.read_csv(data_dir / "real" / f"{table}.csv", dtype=str, keep_default_na=False)
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
) -> Path:
    """Write a new database and publish it at out_path; BuildError if the contract fails."""
    out_path = Path(out_path or db.db_path())
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    steps = 6
    try:
        progress(1, steps, "regions")
        regions = read_regions(data_dir)
        real = read_real(data_dir)
        real["sites"] = _place_sites(real["sites"], regions)
        progress(2, steps, "simulation")
        sim = simulate.simulate(regions, seed=seed, scale=scale)
        progress(3, steps, "write")
        con = duckdb.connect(str(tmp))
        try:
            con.execute(SCHEMA.read_text(encoding="utf-8"))
            db.insert_frame(con, "regions", regions)
            dashline = (data_dir / "boundaries" / "dashline.geojson").read_text(encoding="utf-8")
            con.execute("insert into map_lines values ('dashline', $g)", {"g": dashline})
            db.insert_frame(con, "metrics", pd.read_csv(data_dir / "metrics.csv"))
            db.insert_frame(con, "articles", real["articles"])
            for table in REAL_TABLES:
                frame = real[table]
                if table != "figures":
                    frame = frame.assign(simulated=False)
                db.insert_frame(con, table, frame)
            progress(4, steps, "simulated rows")
            for table, frame in sim.items():
                db.insert_frame(con, table, frame)
            if "county_metrics_monthly" in sim:
                con.execute(MONTHLY_VIEW.read_text(encoding="utf-8"))
            precompute.store(con)
            meta = {
                "built_at": dt.datetime.now().isoformat(timespec="seconds"),
                "as_of": str(simulate.AS_OF),
                "seed": str(seed),
                "scale": str(scale),
            }
            con.executemany("insert into meta values (?, ?)", list(meta.items()))
            con.execute("checkpoint")
        finally:
            con.close()
        progress(5, steps, "contract")
        check_contract(tmp)
        progress(6, steps, "publish")
        publish(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)
    return out_path


def check_contract(path: Path) -> None:
    """BuildError listing the first violations if the file at path breaks the data contract."""
    con = db.connect(path)
    try:
        bad = db.run(con, "contract/violations", {"today": dt.date.today()})
    finally:
        con.close()
    if len(bad):
        raise BuildError(f"{len(bad)} contract violations:\n{bad.head(20).to_string()}")


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
