"""Files the command line writes are whole or absent, and every verb fails with a message and an
exit code (dashboard/exits.py), never a traceback: an existing target, a read-only folder, a
full disk (a real 64 KB tmpfs as root, faked otherwise), a missing database."""

# ruff: noqa: F811 (the fixtures of tests/disks.py are imported by name)

from __future__ import annotations

import importlib
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dashboard import atomic, db, exits, export
from dashboard.__main__ import main
from tests.disks import fake_full_disk, full_disk, names, read_only  # noqa: F401 (fixtures)
from tests.helpers import msg

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv) -> tuple[int, str]:
    """main(argv): the exit code and what it printed on stderr (no traceback may escape)."""
    code = main([str(a) for a in argv])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def read_only_said(err: str, path, lang: str = "zh") -> bool:
    """Whether err says path is in a read-only folder (a read-only mount, or no permission)."""
    return any(
        msg("cli.read_only", lang, path=path, reason=msg(f"cli.errno.{e}", lang)) in err
        for e in ("EROFS", "EACCES")
    )


# ---- the helper ------------------------------------------------------------------------------


def test_a_writer_that_fails_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "t.csv"
    target.write_bytes(b"old")

    def half_then_fail(f):
        f.write(b"new, but only half")
        raise RuntimeError("writer failed")

    with pytest.raises(RuntimeError):
        atomic.write_with(target, half_then_fail)
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["t.csv"]
    atomic.write_bytes(target, b"new")
    assert target.read_bytes() == b"new" and names(tmp_path) == ["t.csv"]


def test_a_killed_writers_temporary_file_is_removed_by_the_next(tmp_path):
    dead = tmp_path / ".t.csv.999999999.atomic.tmp"  # no such process
    alive = atomic.temp_path(tmp_path / "u.csv")  # this process: being written now
    dead.write_bytes(b"x")
    alive.write_bytes(b"x")
    assert atomic.remove_stale(tmp_path) == [dead]
    assert alive.exists()


# ---- export ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_on_a_full_disk_leaves_no_file_and_the_old_one_whole(
    tiny_db, full_disk, capsys, fmt
):
    target = full_disk / f"activities.{fmt}"
    argv = ["export", "activities", "--format", fmt, "--out", target, "--db", tiny_db]
    code, err = run(capsys, *argv)
    assert code == exits.STORAGE
    assert names(full_disk) == []  # no truncated CSV, no 0-byte .xlsx, no temporary file
    assert msg("cli.full", path=target, reason=msg("cli.errno.ENOSPC")) in err
    target.write_bytes(b"an earlier export")  # 17 bytes still fit
    code, _ = run(capsys, *argv)
    assert code == exits.STORAGE
    assert target.read_bytes() == b"an earlier export"
    assert names(full_disk) == [f"activities.{fmt}"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_on_a_faked_full_disk_leaves_no_file(tiny_db, tmp_path, fake_full_disk, capsys, fmt):
    target = tmp_path / "out" / f"sites.{fmt}"
    code, err = run(
        capsys, "export", "sites", "--format", fmt, "--out", target, "--db", tiny_db, "--lang", "en"
    )
    assert code == exits.STORAGE
    assert names(target.parent) == []
    assert msg("cli.full", "en", path=target, reason=msg("cli.errno.ENOSPC", "en")) in err


def test_export_all_csv_on_a_full_disk_names_the_files_it_finished(tiny_db, tmp_path, capsys):
    """The faked disk lets each file have 4 KB: the small tables pass, a larger one fails."""
    from tests.disks import _FillingFile

    real_open = open
    room = {"n": 0}

    def open_filling_after_three(file, mode="r", *a, **k):
        f = real_open(file, mode, *a, **k)
        if "w" in mode:
            room["n"] += 1
            return _FillingFile(f, 10**9 if room["n"] <= 3 else 10)
        return f

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(atomic, "open", open_filling_after_three, raising=False)
        code, err = run(capsys, "export", "all", "--out", tmp_path / "all", "--db", tiny_db)
    assert code == exits.STORAGE
    written = sorted(p.name for p in (tmp_path / "all").iterdir())
    assert len(written) == 3 and not any(n.startswith(".") for n in written)
    assert msg("cli.written_before", n=3, files="")[:8] in err


def test_export_into_a_read_only_folder(tiny_db, read_only, capsys):
    target = read_only / "sites.csv"
    code, err = run(capsys, "export", "sites", "--out", target, "--db", tiny_db)
    assert code == exits.STORAGE
    assert read_only_said(err, target)
    assert names(read_only) == []


def test_export_where_something_is_in_the_way(tiny_db, tmp_path, capsys):
    a_file = tmp_path / "a-file"
    a_file.write_text("keep me")
    code, err = run(capsys, "export", "all", "--out", a_file / "x", "--db", tiny_db)
    assert code == exits.EXISTS and msg("cli.exists_file", path=a_file) in err
    a_folder = tmp_path / "sites.csv"
    a_folder.mkdir()
    code, err = run(capsys, "export", "sites", "--out", a_folder, "--db", tiny_db, "--lang", "en")
    assert code == exits.EXISTS and msg("cli.exists_folder", "en", path=a_folder) in err
    assert names(a_folder) == []
    a_folder = tmp_path / "book.xlsx"
    a_folder.mkdir()
    code, err = run(
        capsys,
        "export",
        "all",
        "--format",
        "xlsx",
        "--out",
        a_folder,
        "--db",
        tiny_db,
    )
    assert code == exits.EXISTS and msg("cli.exists_folder", path=a_folder) in err
    assert a_file.read_text() == "keep me"


def test_an_existing_export_is_replaced_whole(tiny_db, tmp_path, capsys):
    target = tmp_path / "sites.csv"
    target.write_text("old")
    code, _ = run(capsys, "export", "sites", "--out", target, "--db", tiny_db, "--headers", "keys")
    assert code == exits.OK
    assert len(pd.read_csv(target)) == len(
        db.run(db.connect(tiny_db), "export_sites", {"regions": [100000]})
    )
    assert names(tmp_path) == ["sites.csv"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_export_with_a_missing_database(tmp_path, capsys, lang):
    missing = tmp_path / "none.duckdb"
    code, err = run(
        capsys, "export", "sites", "--out", tmp_path / "s.csv", "--db", missing, "--lang", lang
    )
    assert code == exits.INPUT
    assert err.strip() == msg("cli.db_missing", lang, path=missing)
    assert names(tmp_path) == []


def test_tables_longer_than_a_sheet_go_on_over_several(tiny_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 7)  # a sheet of 7 rows stands for 1,048,575
    monkeypatch.setattr(export, "XLSX_MAX_SHEETS", 10_000)
    out = tmp_path / "all.xlsx"
    code, _ = run(capsys, "export", "all", "--format", "xlsx", "--out", out, "--db", tiny_db)
    assert code == exits.OK
    book = openpyxl.load_workbook(out, read_only=True)
    con = db.connect(tiny_db)
    activities = db.run(con, "export_activities", {"regions": [100000]})
    assert len(activities) > 7 * 2
    title = export.sheet_title("activities", "zh")
    parts = [n for n in book.sheetnames if n.startswith(title + "_")]
    assert parts == [f"{title}_{i}" for i in range(1, len(parts) + 1)]
    assert len(parts) == -(-len(activities) // 7)
    rows = [r for n in parts for r in list(book[n].iter_rows(values_only=True))[1:]]
    assert len(rows) == len(activities)  # every row once, in order, under the same headers
    assert {book[n]["A1"].value for n in parts} == {book[parts[0]]["A1"].value}
    assert title not in book.sheetnames  # no sheet of that name alone: the parts say they are parts


def test_a_table_past_the_workbooks_limit_is_refused_with_a_message(
    tiny_db, tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 2)
    monkeypatch.setattr(export, "XLSX_MAX_SHEETS", 2)
    out = tmp_path / "a.xlsx"
    code, err = run(
        capsys, "export", "activities", "--format", "xlsx", "--out", out, "--db", tiny_db
    )
    assert (
        code == exits.REFUSED and msg("export.too_large", rows="X", limit="4").split("X")[0] in err
    )
    assert names(tmp_path) == []


# ---- report ------------------------------------------------------------------------------------


REPORT = ["report", "--alliance", "R-A01", "--format", "docx"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_to_an_existing_file(tiny_db, tmp_path, capsys, lang):
    a_file = tmp_path / "briefings.docx"
    a_file.write_text("keep me")
    code, err = run(capsys, *REPORT, "--lang", lang, "--out", a_file, "--db", tiny_db)
    assert code == exits.EXISTS
    assert err.strip() == msg("cli.exists_file", lang, path=a_file)
    assert a_file.read_text() == "keep me" and names(tmp_path) == ["briefings.docx"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_into_a_read_only_folder(tiny_db, read_only, capsys, lang):
    out = read_only / "briefings"
    code, err = run(capsys, *REPORT, "--lang", lang, "--out", out, "--db", tiny_db)
    assert code == exits.STORAGE
    assert read_only_said(err, out, lang)
    assert names(read_only) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_with_a_missing_database(tmp_path, capsys, lang):
    missing = tmp_path / "none.duckdb"
    code, err = run(capsys, *REPORT, "--lang", lang, "--out", tmp_path / "b", "--db", missing)
    assert code == exits.INPUT
    assert err.strip() == msg("cli.db_missing", lang, path=missing)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_on_a_full_disk_leaves_no_file(tiny_db, full_disk, capsys, lang):
    from tests.browser import require_chromium

    require_chromium()
    out = full_disk / "b"
    code, err = run(capsys, *REPORT, "--lang", lang, "--out", out, "--db", tiny_db)
    assert code == exits.STORAGE
    # the briefing's own name, in the reader's language (…_简报_R-A01.docx / …_briefing_R-A01.docx)
    (target,) = {p for p in map(Path, re.findall(r"\S+\.docx", err)) if p.parent == out}
    assert "R-A01" in target.name
    assert msg("cli.full", lang, path=target, reason=msg("cli.errno.ENOSPC", lang)) in err
    assert names(out) == []  # no .tmp, no half a Word file


# ---- every verb ----------------------------------------------------------------------------------


def verbs() -> list[str]:
    """The verbs `python -m dashboard --help` lists."""
    import argparse
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        main(["--help"])
    found = re.search(r"\{([a-z,_-]+)\}", out.getvalue())
    assert found, out.getvalue()
    del argparse
    return found.group(1).split(",")


# A database-reading call of each verb; {db} is a missing file, {tmp} a scratch folder.
MISSING_DB = {
    "check": ["check", "--db", "{db}"],
    "imports": ["imports", "--db", "{db}"],
    "export": ["export", "sites", "--out", "{tmp}/s.csv", "--db", "{db}"],
    "report": ["report", "--province", "330000", "--out", "{tmp}/b", "--db", "{db}"],
}


@pytest.mark.parametrize("verb", sorted(MISSING_DB))
def test_a_missing_database_is_said_by_every_verb_that_reads_it(tmp_path, capsys, verb):
    missing = tmp_path / "none.duckdb"
    argv = [a.format(db=missing, tmp=tmp_path) for a in MISSING_DB[verb]]
    code, err = run(capsys, *argv)
    assert code == exits.INPUT
    assert str(missing) in err and "database" in err.lower()


def test_every_verb_listed_by_help_is_covered_here():
    covered = {
        "build",
        "check",
        "import",
        "imports",
        "rollback",
        "template",
        "export",
        "audit",
        "report",
    }
    assert set(verbs()) - covered - {"access"} == set()


def test_template_where_it_cannot_write(tmp_path, read_only, full_disk, capsys):
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    code, err = run(capsys, "template", a_file)
    assert code == exits.EXISTS and msg("cli.exists_file", path=a_file) in err
    code, err = run(capsys, "template", read_only / "t")
    assert code == exits.STORAGE and read_only_said(err, read_only / "t")
    code, err = run(capsys, "template", full_disk / "t")
    assert code == exits.STORAGE
    assert all(not n.startswith(".") for n in names(full_disk / "t"))  # only whole files


def test_build_where_it_cannot_write(tmp_path, read_only, capsys):
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    code, err = run(capsys, "build", "--out", a_file / "x.duckdb", "--wait", "1")
    assert code == exits.EXISTS and msg("cli.exists_file", path=a_file).splitlines()[0] in err
    code, err = run(capsys, "build", "--out", read_only / "x.duckdb", "--wait", "1")
    assert code == exits.STORAGE


def test_the_audit_verb_without_a_log(tmp_path, capsys):
    code = main(["audit", "--file", str(tmp_path / "none.jsonl")])
    err = capsys.readouterr().err
    assert code == exits.OK and msg("audit.no_log", path=tmp_path / "none.jsonl") in err


def test_an_unexpected_fault_is_a_message_with_its_code(tmp_path, capsys, monkeypatch):
    templates = importlib.import_module("dashboard.importer.templates")

    def broken(*a, **k):
        raise ValueError("something\x1b[31m unexpected\nacross lines")

    monkeypatch.setattr(templates, "templates", broken)
    code, err = run(capsys, "template", tmp_path / "t")
    assert code == exits.INTERNAL
    assert "ValueError: something?[31m unexpected across lines" in err and "\x1b" not in err
    monkeypatch.setenv("DASHBOARD_DEBUG", "1")
    with pytest.raises(ValueError):
        main(["template", str(tmp_path / "t")])


def test_readme_lists_every_exit_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Exit codes") :]
    for code in exits.MEANING:
        assert re.search(rf"^\| `{code}` \|", table, re.M), code
