"""Publish a database file to a host's data folder atomically: copy beside it, then rename.

    python deploy/publish.py data/dashboard.duckdb /srv/dashboard/data/dashboard.duckdb [...]

Each destination gets the new file under a temporary name in its own folder (same filesystem),
flushed to disk, then renamed over the old one in one step: a replica reading the old file keeps
it open until it notices the new one; nobody ever opens half a file. For another host, the same
with rsync (which writes to a temporary name and renames by default):
`rsync -a data/dashboard.duckdb host2:/srv/dashboard/data/dashboard.duckdb`.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def publish_copy(source: Path, dest: Path) -> None:
    """Copy source to dest atomically (temporary name in dest's folder, fsync, rename)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.publishing")
    try:
        shutil.copyfile(source, tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    source = Path(sys.argv[1])
    for dest in sys.argv[2:]:
        publish_copy(source, Path(dest))
        print(f"published {source} -> {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
