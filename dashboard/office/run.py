"""The importer run for the page: the uploaded files saved, `python -m dashboard import` (or
`rollback`) in a subprocess under the lock, its progress read as it goes, its result as JSON."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dashboard import atomic

ROOT = Path(__file__).resolve().parents[2]
UPLOADS = "office-uploads"  # under the system temp folder, one private folder per check
_STEP = re.compile(rb"(\d+)/(\d+) ([^\r\n\[]*)")


@dataclass
class Result:
    """What the importer said: exit code, its JSON result (when it wrote one), its output."""

    code: int
    result: dict | None
    output: str


def save(files: list[tuple[str, bytes]]) -> Path:
    """The uploads in a new private folder, each under its own name (the name kept as the
    office wrote it, but for a path separator or NUL; the report escapes the rest)."""
    base = Path(tempfile.gettempdir()) / UPLOADS
    base.mkdir(mode=0o700, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=base))
    seen: set[str] = set()
    for name, data in files:
        clean = re.sub(r"[/\\\x00]", "_", name).lstrip(".") or "upload"
        while clean in seen:
            clean = "_" + clean
        seen.add(clean)
        atomic.write_bytes(folder / clean, data)  # a full /tmp leaves no truncated upload
    return folder


def discard(folder: Path | None) -> None:
    """Remove an upload folder (after publishing, or when new files are chosen)."""
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _run(args: list[str], progress: Callable[[int, int, str], None] | None) -> tuple[int, str]:
    """Run `python -m dashboard ARGS`, calling progress for each step its bar prints."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen(  # noqa: S603 (our own module, arguments from the page's choices)
        [sys.executable, "-m", "dashboard", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    err = bytearray()
    assert proc.stderr is not None and proc.stdout is not None
    while chunk := proc.stderr.read1(4096):
        err += chunk
        steps = _STEP.findall(bytes(chunk))
        if steps and progress is not None:
            step, total, label = steps[-1]
            progress(int(step), int(total), label.decode("utf-8", "replace").strip())
    out = proc.stdout.read()
    code = proc.wait()
    text = out.decode("utf-8", "replace") + "\n" + _without_bars(err.decode("utf-8", "replace"))
    return code, text


def _without_bars(text: str) -> str:
    return "\n".join(
        line for line in re.split(r"[\r\n]", text) if line.strip() and not line.startswith("[")
    )


def check(
    folder: Path,
    db_path: Path,
    province: int | None,
    period: int | None = None,
    replace: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> Result:
    """The importer's check and preview of the files in folder (--dry-run): nothing written."""
    return _import(folder, db_path, province, period, replace, ["--dry-run"], progress)


def publish(
    folder: Path,
    db_path: Path,
    province: int | None,
    fingerprint: str,
    period: int | None = None,
    replace: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> Result:
    """Publish the files previewed: only onto the database the preview was made of (--expect);
    the click that asks for it is the confirmation --replace wants (--yes)."""
    extra = ["--expect", fingerprint, "--yes"]
    return _import(folder, db_path, province, period, replace, extra, progress)


def _import(folder, db_path, province, period, replace, extra, progress) -> Result:
    result_file = folder.with_suffix(".json")
    result_file.unlink(missing_ok=True)
    args = ["import", str(folder), "--db", str(db_path), "--json", str(result_file), "--wait", "60"]
    if province is not None:
        args += ["--province", str(province)]
    if period is not None:
        args += ["--period", str(period)]
    if replace:
        args.append("--replace")
    code, output = _run(args + extra, progress)
    result = None
    if result_file.is_file():
        result = json.loads(result_file.read_text(encoding="utf-8"))
        result_file.unlink(missing_ok=True)
    return Result(code, result, output)


def rollback(db_path: Path, progress: Callable[[int, int, str], None] | None = None) -> Result:
    """Go back one publish (`python -m dashboard rollback`)."""
    code, output = _run(["rollback", "--db", str(db_path), "--wait", "60"], progress)
    return Result(code, None, output)
