"""Hostile office files: control characters, bidi overrides, overlong text, formulas, empty
files, oversized files and a shared-strings bomb. Each is refused (or warned about) with the
file, row, column and limit named, and a refused import leaves the database's bytes as they were."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from dashboard import importer
from dashboard.__main__ import main
from tests.bombs import shared_strings_bomb
from tests.hostile import DDE, HYPERLINK

ROOT = Path(__file__).resolve().parent.parent
MILESTONES = "alliance_id,date,title,detail,source"
COUNTY_METRICS = "county_adcode,year,metric,value,source"
BOMB_MEMORY_MB = 700  # the address space the bomb's check may use (python itself takes ~200)
BOMB_PEAK_MB = 400  # resident memory at its peak; about 220 of it is python and its libraries
BOMB_SECONDS = 30  # wall time, imports and a loaded test machine included


@pytest.fixture
def live(tiny_db, tmp_path) -> Path:
    """A writable copy of the tiny database."""
    path = tmp_path / "db" / "live.duckdb"
    path.parent.mkdir()
    shutil.copy(tiny_db, path)
    return path


def write(path: Path, *lines: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_cli(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def refused_by_cli(capsys, live: Path, *argv: str) -> str:
    """`import` that must be refused: exit 1, the database byte for byte as it was."""
    before = live.read_bytes()
    code, out = run_cli(capsys, "import", *argv, "--db", str(live))
    assert code == 1, out
    assert live.read_bytes() == before
    assert not (live.parent / "backups").exists()
    return out


@pytest.mark.parametrize(
    ("bad", "shown"),
    [
        ("\x00", "\\x00"),
        ("\x1b[2J\x1b[H所有检查通过", "\\x1b[2J\\x1b[H"),
        ("\u202e联盟成立", "\\u202e"),
        ("\u2066x\u2069", "\\u2066"),
        ("a\x7fb", "\\x7f"),
        ("a\tb", "\\x09"),
    ],
)
def test_control_and_bidi_characters_are_refused_with_row_and_column(
    tmp_path, live, capsys, bad, shown
):
    path = write(
        tmp_path / "milestones.csv",
        MILESTONES,
        "R-A01,2017-06-04,成立,,",
        f"R-A01,2018-01-01,{bad},,",
    )
    out = refused_by_cli(capsys, live, str(path))
    assert "milestones.csv · 第 3 行 row 3 · 列 column title" in out
    assert "控制字符" in out and "control or text-direction character" in out
    # the terminal gets the character's escape, never the character itself
    assert shown in out
    assert not any(ch in out for ch in "\x00\x1b\x7f\u202e\u2066\t")


def test_a_tab_or_line_break_is_text_in_a_note(tmp_path, live):
    path = write(
        tmp_path / "milestones.csv", MILESTONES, 'R-A01,2017-06-04,成立,"第一行\n第二行\t完",'
    )
    checked = importer.check([path], live)
    assert checked.ok, importer.report(checked)


def test_a_file_name_with_escapes_is_printed_inert(tmp_path, live, capsys):
    path = write(tmp_path / "m\x1b[31m.csv", MILESTONES, "R-A01,2017-06-04,成立,,")
    code, out = run_cli(capsys, "check", str(path), "--db", str(live))
    assert code == 0 and "\x1b" not in out and "m\\x1b[31m.csv" in out


def test_overlong_text_is_refused_with_the_limit(tmp_path, live, capsys):
    path = write(tmp_path / "milestones.csv", MILESTONES, "R-A01,2017-06-04," + "长" * 201 + ",,")
    out = refused_by_cli(capsys, live, str(path))
    assert "第 2 行 row 2 · 列 column title" in out
    assert "最多 200 个字符" in out and "at most 200 characters" in out
    ok = write(
        tmp_path / "ok" / "milestones.csv", MILESTONES, "R-A01,2017-06-04," + "长" * 200 + ",,"
    )
    assert importer.check([ok], live).ok


def test_formula_looking_text_is_imported_with_a_warning(tmp_path, live, capsys):
    lines = [MILESTONES, f'R-A01,2017-06-04,"{HYPERLINK.replace(chr(34), chr(34) * 2)}",,']
    lines.append(f"R-A01,2018-06-04,{DDE},,")
    path = write(tmp_path / "milestones.csv", *lines)
    code, out = run_cli(capsys, "import", str(path), "--db", str(live))
    assert code == 0, out
    assert "[警告 warning] milestones.csv · 第 2 行 row 2 · 列 column title" in out
    assert "第 3 行 row 3 · 列 column title" in out
    assert "公式" in out and "formula" in out


def test_a_header_only_file_is_refused_unless_allowed(tmp_path, live, capsys):
    path = write(tmp_path / "milestones.csv", MILESTONES)
    out = refused_by_cli(capsys, live, str(path))
    assert "milestones.csv · 整个文件 whole file" in out and "--allow-empty" in out
    code, out = run_cli(capsys, "import", str(path), "--allow-empty", "--db", str(live))
    assert code == 0, out


def test_county_metrics_are_never_emptied(tmp_path, live, capsys):
    path = write(tmp_path / "county_metrics.csv", COUNTY_METRICS)  # what `template` writes
    for extra in ([], ["--allow-empty"]):
        out = refused_by_cli(capsys, live, str(path), *extra)
        assert "县级比率（无分母）" in out and "never emptied" in out


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--max-rows", "2", "limit of 2 (set with --max-rows)"),
        ("--max-cells", "10", "limit of 10 (set with --max-cells)"),
        ("--max-file-mb", "0.00005", "limit is 5e-05 MB (set with --max-file-mb)"),
    ],
)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_limits_refuse_a_file_naming_the_limit(tmp_path, live, capsys, option, value, words, kind):
    rows = [["R-A01", f"201{i}-06-04", f"第{i}件事", "", ""] for i in range(3)]
    path = tmp_path / f"milestones.{kind}"
    if kind == "csv":
        write(path, MILESTONES, *(",".join(r) for r in rows))
    else:
        book = openpyxl.Workbook()
        book.active.append(MILESTONES.split(","))
        for row in rows:
            book.active.append(row)
        book.save(path)
    out = refused_by_cli(capsys, live, str(path), option, value)
    assert f"milestones.{kind}" in out and words in out


def test_an_xlsx_that_unpacks_too_large_is_refused_unread(tmp_path, live, capsys):
    path = shared_strings_bomb(tmp_path / "milestones.xlsx", n_strings=200_000)
    out = refused_by_cli(capsys, live, str(path), "--max-unzipped-mb", "1")
    assert "unpacks to 3 MB, over the limit of 1 MB (set with --max-unzipped-mb)" in out


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """A 211 KB workbook with 5 million shared strings (85 MB unzipped)."""
    return shared_strings_bomb(tmp_path_factory.mktemp("bomb") / "milestones.xlsx")


@pytest.mark.parametrize("prefix", ["", "x"])
def test_a_shared_strings_bomb_is_refused_in_seconds_within_bounded_memory(
    tmp_path, live, bomb, prefix
):
    path = bomb if not prefix else shared_strings_bomb(tmp_path / "milestones.xlsx", prefix=prefix)
    assert path.stat().st_size < 400_000  # 211 KB plain, 308 KB with prefixes
    before = live.read_bytes()
    script = (
        "import resource, sys, time\n"
        f"limit = {BOMB_MEMORY_MB} * 2**20\n"
        "resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
        "from dashboard.__main__ import main\n"
        "start = time.perf_counter()\n"
        "code = main(sys.argv[1:])\n"
        # VmHWM: this process's peak resident memory (ru_maxrss would count the parent's,
        # since it survives the exec)
        "status = open('/proc/self/status').read()\n"
        "peak = int(status.split('VmHWM:')[1].split()[0]) // 1024\n"
        "print(f'check took {time.perf_counter() - start:.2f} s, peak {peak} MB', file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    env = dict(os.environ, MALLOC_ARENA_MAX="2", PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", script, "import", str(path), "--db", str(live)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    elapsed = time.perf_counter() - start
    print(result.stderr.splitlines()[-1], f"; process {elapsed:.1f} s")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "MemoryError" not in result.stderr and "Traceback" not in result.stderr
    assert "milestones.xlsx · 整个文件 whole file" in result.stdout
    assert "more than the limit of 1,000,000 strings (set with --max-shared-strings)" in (
        result.stdout
    )
    assert elapsed < BOMB_SECONDS
    peak_mb = int(result.stderr.split("peak ")[-1].split()[0])
    assert peak_mb < BOMB_PEAK_MB
    assert live.read_bytes() == before
