"""Where each row comes from, and the life of the data (DESIGN.md §11).

An office's own register (Quzhou-shaped: 2 alliances, 4 institutions, members, activities,
funding, milestones, county metrics of two counties) imported as CSV UTF-8, CSV GBK and .xlsx
into a built database: the articles' rows survive, `--province` replaces only that province,
a build keeps the import, one lock for build and import, rollback goes back one publish, and
faults (stale temporary files, a dead lock holder, a folder that cannot be written) leave a
clear message and the data intact.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest

from dashboard import build, db, importer, lock
from dashboard.__main__ import main
from tests.test_precompute import assert_year_tables_match_memberships

ROOT = Path(__file__).resolve().parent.parent

REGISTER = {
    "sites": [
        ["site_id", "name", "kind", "tier", "ownership", "county_adcode", "lon", "lat", "beds"],
        ["QZ-S1", "衢州市柯城区人民医院", "综合医院", "三级", "公立", "330802", "", "", "600"],
        ["QZ-S2", "柯城区航埠镇卫生院", "基层医疗卫生机构", "一级", "公立", "330802", "", "", ""],
        ["QZ-S3", "常山县人民医院", "综合医院", "二级", "公立", "330822", "", "", "450"],
        ["QZ-S4", "常山县中医医院", "中医医院", "二级", "公立", "330822", "", "", ""],
    ],
    "alliances": [
        ["alliance_id", "name", "form", "scope", "founded_on", "lead_site_id", "source"],
        ["QZ-A1", "柯城区医共体", "县域医共体", "县级", "2018/1/1", "QZ-S1", "衢州市卫健委"],
        ["QZ-A2", "常山县医共体", "县域医共体", "县级", "2018年3月1日", "QZ-S3", "衢州市卫健委"],
    ],
    "memberships": [
        ["alliance_id", "site_id", "role", "joined_on"],
        ["QZ-A1", "QZ-S1", "牵头单位", "2018-01-01"],
        ["QZ-A1", "QZ-S2", "成员单位", "2018-01-01"],
        ["QZ-A2", "QZ-S3", "牵头单位", "2018-03-01"],
        ["QZ-A2", "QZ-S4", "成员单位", "2018-03-01"],
        ["QZ-A2", "R-S002", "成员单位", "2019-01-01"],  # an article's institution
    ],
    "activities": [
        ["alliance_id", "month", "kind", "from_site_id", "to_site_id", "count"],
        ["QZ-A1", "2024-01", "下转", "QZ-S1", "QZ-S2", "12"],
        ["QZ-A2", "2024-02", "培训人次", "", "", "30"],
    ],
    "funding": [
        ["alliance_id", "year", "source", "amount_cny"],
        ["QZ-A1", "2023", "省级统筹", "500万"],
    ],
    "milestones": [
        ["alliance_id", "date", "title", "detail"],
        ["QZ-A1", "2018-01-01", "医共体成立", ""],
        ["QZ-A2", "2018-03-01", "医共体成立", ""],
    ],
    "county_metrics": [
        ["county_adcode", "year", "metric", "value", "source"],
        ["330802", "2024", "county_visit_rate", "91.2%", "柯城区卫健局"],
        ["330822", "2024", "县域内就诊率", "88.5", "常山县卫健局"],
        ["330822", "2023", "referral_down", "1,200", "常山县卫健局"],
    ],
}
IMPORTED = ("sites", "alliances", "memberships", "activities", "funding", "milestones")
TABLES = (*IMPORTED, "county_metrics", "figures")


def write_register(folder: Path, fmt: str, register: dict | None = None) -> Path:
    """The register as an office writes it: csv in utf-8 or gbk, or one .xlsx per table."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in (register or REGISTER).items():
        if fmt == "xlsx":
            book = openpyxl.Workbook()
            for row in rows:
                book.active.append(row)
            book.save(folder / f"{table}.xlsx")
        else:
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\r\n").writerows(rows)
            (folder / f"{table}.csv").write_bytes(buffer.getvalue().encode(fmt))
    return folder


@pytest.fixture
def live(tiny_db, tmp_path) -> Path:
    path = tmp_path / "db" / "live.duckdb"
    path.parent.mkdir()
    shutil.copy(tiny_db, path)
    return path


@pytest.fixture
def data_dir(tiny_db) -> Path:
    return tiny_db.parent / "data"


def q(path: Path, sql: str) -> list[tuple]:
    con = db.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def article_rows(path: Path) -> dict[str, list[tuple]]:
    return {t: q(path, f"select * from {t} where origin = 'article' order by all") for t in TABLES}


def demo_count(path: Path, table: str, province: int) -> int:
    from dashboard import provenance

    sql = f"select count(*) from {table} where origin = 'demo' and {provenance.province_sql(table)} = {province}"
    return q(path, sql)[0][0]


def imported(path: Path, folder: Path, **kwargs) -> importer.Checked:
    checked, published = importer.import_files([folder], path, **kwargs)
    assert published, importer.report(checked)
    return checked


# ---------------------------------------------------------------- the register


@pytest.mark.parametrize("fmt", ["utf-8", "gbk", "xlsx"])
def test_an_office_register_imports_and_the_articles_survive(live, tmp_path, fmt):
    before = article_rows(live)
    # (demo memberships, activities of Zhejiang's demo institutions in other provinces' demo
    # alliances go with those institutions: demo rows never point at nothing)
    kept = ("sites", "alliances", "funding", "milestones", "county_measures")
    elsewhere = {(t, p): demo_count(live, t, p) for t in kept for p in (310000, 620000)}
    imported(live, write_register(tmp_path / "office", fmt))
    assert article_rows(live) == before  # the articles' alliances, members and figures
    assert q(live, "select count(*) from alliances where origin = 'article'") == [(1,)]
    assert q(live, "select count(*) from figures") == [(1,)]
    office = q(
        live,
        "select alliance_id, name, simulated, origin, batch_id is not null from alliances "
        "where origin = 'office' order by 1",
    )
    assert office == [
        ("QZ-A1", "柯城区医共体", False, "office", True),
        ("QZ-A2", "常山县医共体", False, "office", True),
    ]
    # In Zhejiang, where the file's rows are, the imported tables hold no demo rows; the demo
    # of the other provinces stays as it was (no --province was given, none was needed).
    for table in (*IMPORTED, "county_metrics", "county_measures"):
        assert demo_count(live, table, 330000) == 0, table
    for (table, province), n in elsewhere.items():
        assert demo_count(live, table, province) == n, (table, province)
    assert q(live, "select value from county_metrics where county_adcode = 330802") == [(91.2,)]
    batch = q(live, "select batch_id, scope, tables from imports")
    assert len(batch) == 1 and batch[0][1] == 100000 and '"memberships": 5' in batch[0][2]
    assert q(live, "select distinct batch_id from sites where origin = 'office'") == [
        (batch[0][0],)
    ]
    # The year tables the maps and tiles read are made again from the imported memberships.
    assert_year_tables_match_memberships(live)


def test_an_office_membership_in_an_article_alliance_is_allowed(live, tmp_path):
    register = {k: list(v) for k, v in REGISTER.items()}
    register["memberships"] = [
        *register["memberships"],
        ["R-A01", "QZ-S3", "成员单位", "2020-01-01"],
    ]
    imported(live, write_register(tmp_path / "office", "utf-8", register))
    assert q(live, "select origin from memberships where alliance_id = 'R-A01' order by 1") == [
        ("article",),
        ("article",),
        ("article",),
        ("office",),
    ]


def test_province_scope_replaces_only_that_province(live, tmp_path):
    zhejiang, shanghai, gansu = 330000, 310000, 620000
    assert demo_count(live, "sites", zhejiang) and demo_count(live, "county_measures", zhejiang)
    kept = {
        (t, p): demo_count(live, t, p)
        for t in ("sites", "alliances", "county_measures", "milestones")
        for p in (shanghai, gansu)
    }
    before = article_rows(live)
    imported(live, write_register(tmp_path / "office", "gbk"), scope=zhejiang)
    for table in (*IMPORTED, "county_metrics", "county_measures", "county_judgements"):
        assert demo_count(live, table, zhejiang) == 0, table
    for (table, province), n in kept.items():  # other provinces keep their rows
        assert demo_count(live, table, province) == n, (table, province)
    assert article_rows(live) == before
    assert q(live, "select scope from imports") == [(zhejiang,)]


def test_a_row_outside_the_province_is_refused_with_its_row(live, tmp_path):
    register = {k: list(v) for k, v in REGISTER.items()}
    register["sites"] = [
        *register["sites"],
        ["QZ-S9", "兰州某医院", "综合医院", "二级", "公立", "620102", "", "", ""],
    ]
    before = live.read_bytes()
    checked, published = importer.import_files(
        [write_register(tmp_path / "office", "utf-8", register)], live, scope=330000
    )
    assert not published and live.read_bytes() == before
    problem = [p for p in checked.problems if p.rule == "outside_province"][0]
    assert (problem.file, problem.row, problem.value) == ("sites.csv", 6, "QZ-S9")
    assert "330000" in problem.rule_zh and "another province" in problem.rule_en


def test_an_unknown_province_is_refused(live, tmp_path):
    checked, published = importer.import_files(
        [write_register(tmp_path / "office", "utf-8")], live, scope=330800
    )
    assert not published and [p for p in checked.problems if p.rule == "unknown_province"]


def test_reimporting_the_data_page_export_never_makes_demo_rows_office_rows(live, tmp_path):
    con = db.connect(live)
    export = db.run(con, "export_sites")
    con.close()
    assert {"origin", "simulated"} <= set(export.columns)
    path = tmp_path / "sites.csv"
    export.to_csv(path, index=False)
    before = live.read_bytes()
    checked, published = importer.import_files([path], live)
    assert not published and live.read_bytes() == before
    demo = [p for p in checked.problems if p.rule == "demo_row"]
    assert demo and demo[0].column == "origin" and demo[0].value == "demo"
    assert "origin" in demo[0].rule_zh and "demo" in demo[0].rule_en
    # The office's own rows of the export (demo rows filtered out) go in; article rows stay.
    export[export["origin"] != "demo"].to_csv(path, index=False)
    checked = imported(live, path)
    assert {p.value for p in checked.problems if p.rule == "built_in_kept"} == {
        "R-S001",
        "R-S002",
        "R-S003",
    }
    # nothing but built-in rows in the file: nothing changes, the demo stays
    assert q(live, "select origin, count(*) from sites where origin <> 'demo' group by 1") == [
        ("article", 3)
    ]
    assert q(live, "select count(*) from sites where origin = 'demo'")[0][0] > 0


# ---------------------------------------------------------------- names


def test_no_simulated_name_equals_a_real_one_and_every_one_is_marked(live):
    con = db.connect(live)
    try:
        assert db.run(con, "contract/provenance").empty
        demo = con.execute(
            "select name from sites where origin = 'demo' union all "
            "select name from alliances where origin = 'demo'"
        ).fetchall()
    finally:
        con.close()
    assert demo and all("示例" in name for (name,) in demo)
    assert ("柯城区人民医院",) not in demo and ("柯城区示例人民医院",) in demo


def test_the_contract_fails_a_demo_name_equal_to_a_real_one(live, tmp_path):
    con = db.connect(live)
    demo = con.execute(
        "select name from sites where origin = 'demo' and county_adcode // 10000 = 62 limit 1"
    ).fetchall()[0][0]
    con.close()
    sites = [
        REGISTER["sites"][0],
        ["QZ-S1", demo, "综合医院", "三级", "公立", "330802", "", "", ""],
    ]
    path = tmp_path / "sites.csv"
    path.write_text("\n".join(",".join(r) for r in sites), encoding="utf-8")
    checked, published = importer.import_files([path], live, scope=330000)
    assert not published
    problem = [p for p in checked.problems if p.rule == "contract"][0]
    assert "simulated name equals a real name" in problem.rule_en


def test_search_lists_real_rows_before_simulated_ones(live, tmp_path):
    imported(live, write_register(tmp_path / "office", "utf-8"), scope=330000)
    con = db.connect(live)
    try:
        params = {
            "province": 0, "form": "", "scope": "", "specialty": "", "year_from": 1900,
            "year_to": 2100, "q": "医", "tag": "", "real_only": False, "limit": 500,
        }  # fmt: skip
        register = db.run(con, "alliance_register", params)
    finally:
        con.close()
    flags = list(register["simulated"])
    assert flags == sorted(flags) and not flags[0] and flags[-1]


# ---------------------------------------------------------------- build, lock, rollback


def test_a_build_keeps_the_published_import(live, tmp_path, data_dir):
    imported(live, write_register(tmp_path / "office", "xlsx"), scope=330000)
    office = q(live, "select * from sites where origin = 'office' order by all")
    build.build(live, data_dir=data_dir)
    assert q(live, "select * from sites where origin = 'office' order by all") == office
    assert demo_count(live, "sites", 330000) == 0  # the batch's scope is re-applied
    assert demo_count(live, "sites", 620000) > 0
    assert len(q(live, "select * from imports")) == 1
    assert main(["imports", "--db", str(live)]) == 0


def test_no_simulation_build_then_import(tmp_path, data_dir, capsys):
    out = tmp_path / "bare.duckdb"
    assert main(["build", "--out", str(out), "--data", str(data_dir), "--no-simulation"]) == 0
    assert "--no-simulation" in capsys.readouterr().out
    assert q(out, "select count(*) from sites where origin = 'demo'") == [(0,)]
    assert q(out, "select count(*) from county_metrics") == [(0,)]
    assert q(out, "select value from meta where key = 'simulation'") == [("false",)]
    imported(out, write_register(tmp_path / "office", "utf-8"))
    assert q(out, "select origin, count(*) from alliances group by 1 order by 1") == [
        ("article", 1),
        ("office", 2),
    ]


def test_rollback_goes_back_one_publish_and_says_what_changes(live, tmp_path, capsys):
    before = {t: q(live, f"select count(*) from {t}")[0][0] for t in TABLES}
    imported(live, write_register(tmp_path / "office", "utf-8"))
    capsys.readouterr()
    assert main(["rollback", "--db", str(live)]) == 0
    out = capsys.readouterr().out
    assert "已恢复" in out and "Restored" in out and "→" in out
    assert {t: q(live, f"select count(*) from {t}")[0][0] for t in TABLES} == before
    assert q(live, "select count(*) from imports") == [(0,)]
    assert main(["rollback", "--db", str(live)]) == 2  # no earlier publish to go back to


SLOW_IMPORT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from dashboard import importer
    marker = Path(sys.argv[3])
    def slow(step, total, label):
        marker.touch()
        time.sleep(0.3)
    checked, ok = importer.import_files([sys.argv[1]], Path(sys.argv[2]), progress=slow)
    sys.exit(0 if ok else 1)
    """
)


def test_a_build_started_during_an_import_waits_and_keeps_it(live, tmp_path, data_dir):
    folder = write_register(tmp_path / "office", "utf-8")
    marker = tmp_path / "started"
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_IMPORT, str(folder), str(live), str(marker)], cwd=ROOT
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists() and proc.poll() is None  # the import holds the lock now
        waited = []
        build.build(live, data_dir=data_dir, on_wait=lambda: waited.append(True))
        assert waited  # the build waited for the import instead of publishing over it
        assert proc.wait(timeout=120) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert q(live, "select count(*) from alliances where origin = 'office'") == [(2,)]
    assert len(q(live, "select * from imports")) == 1


def test_a_build_refuses_clearly_when_the_lock_stays_taken(live, tmp_path, data_dir, capsys):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time; f = open(sys.argv[1], 'a'); "
            "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
            str(lock.lock_path(live)),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        before = live.read_bytes()
        assert main(["build", "--out", str(live), "--wait", "0.5"]) == 3
        err = capsys.readouterr().err
        assert "等待" in err and "nothing was done" in err and "Traceback" not in err
        assert live.read_bytes() == before
        # A holder that dies (killed) releases the lock: the next writer takes it over.
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        imported(live, write_register(tmp_path / "office", "utf-8"), wait=5)
    finally:
        if holder.poll() is None:
            holder.kill()


def test_stale_temporary_files_of_a_dead_writer_are_removed(live, tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        stale = [
            live.with_name(f".live.duckdb.{dead.pid}.tmp"),
            live.with_name(f".live.duckdb.{dead.pid}.tmp.wal"),
            live.with_name(f".live.duckdb.import-{dead.pid}.tmp"),
        ]
        busy = live.with_name(f".live.duckdb.{alive.pid}.tmp")
        for path in (*stale, busy):
            path.write_bytes(b"half a database")
        imported(live, write_register(tmp_path / "office", "utf-8"))
        assert not any(p.exists() for p in stale)
        assert busy.exists()  # a writer still running keeps its file
    finally:
        alive.kill()


def test_a_folder_that_cannot_be_written_gives_a_clear_message(live, tmp_path, monkeypatch, capsys):
    import errno

    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(lock, "open", refuse, raising=False)
    before = live.read_bytes()
    folder = write_register(tmp_path / "office", "utf-8")
    for argv in (["build", "--out", str(live)], ["import", str(folder), "--db", str(live)]):
        assert main(argv) == 4
        err = capsys.readouterr().err
        assert "无法写入" in err and "Cannot write" in err and "read-only" in err
        assert "Traceback" not in err
    assert live.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_gives_a_clear_message(live, tmp_path, capsys):
    live.parent.chmod(0o555)
    try:
        assert main(["build", "--out", str(live)]) == 4
        assert "无法写入" in capsys.readouterr().err
    finally:
        live.parent.chmod(0o755)


FULL_DISK = textwrap.dedent(
    """
    import resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, as on a full disk
    from dashboard import __main__
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))
    sys.exit(__main__.main(["build", "--out", sys.argv[1], "--data", sys.argv[2], "--wait", "5"]))
    """
)


def test_a_full_disk_gives_a_clear_message_and_keeps_the_database(live, tmp_path, data_dir):
    before = live.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(live), str(data_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 4, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "无法写入" in proc.stderr or "磁盘已满" in proc.stderr
    assert live.read_bytes() == before
    assert not list(live.parent.glob(".live.duckdb.*.tmp*"))


def test_the_contract_fails_a_demo_name_without_the_mark(live):
    import duckdb

    con = duckdb.connect(str(live))
    con.execute(
        "update sites set name = replace(name, '示例', '') where site_id = "
        "(select min(site_id) from sites where origin = 'demo')"
    )
    con.close()
    with pytest.raises(build.BuildError, match="lacks the 示例 mark"):
        build.check_contract(live)


def test_provenance_written_as_labels_is_read_too(live, tmp_path):
    """An export whose origin and simulated columns carry labels (🧪 示例, 是) is read alike."""
    con = db.connect(live)
    export = db.run(con, "export_sites")
    con.close()
    export["origin"] = export["origin"].map({"demo": "🧪 示例", "article": "📰 文章"})
    export["simulated"] = export["simulated"].map({True: "是", False: "否"})
    path = tmp_path / "sites.csv"
    export.to_csv(path, index=False)
    before = live.read_bytes()
    checked, published = importer.import_files([path], live)
    assert not published and live.read_bytes() == before
    demo = [p for p in checked.problems if p.rule == "demo_row"]
    assert len(demo) >= 3 and demo[0].value == "🧪 示例"
    assert not [p for p in checked.problems if p.rule == "extra_column"]


def test_the_data_page_names_the_last_batch_and_its_scope(live, tmp_path, monkeypatch):
    from tests.conftest import run_app

    imported(live, write_register(tmp_path / "office", "utf-8"), scope=330000)
    batch = q(live, "select batch_id from imports")[0][0]
    monkeypatch.setenv("DASHBOARD_DB", str(live))
    at = run_app("pages/data.py")
    assert not at.exception and not at.error
    captions = " ".join(c.value for c in at.caption)
    assert batch in captions and "330000" in captions
