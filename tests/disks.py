"""Folders that fail the way real ones do: a full disk (a 64 KB tmpfs) and a read-only one.

Mounting needs root (CI runs as root); elsewhere the full disk is faked by a file whose writes
fail with ENOSPC after a few bytes, and a read-only folder is a folder without write permission
(which root would ignore, hence the mount)."""

from __future__ import annotations

import builtins
import errno
import os
import subprocess
from pathlib import Path

import pytest

FULL_KB = 64


def _mount(folder: Path, options: str) -> bool:
    if os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True
    )
    return done.returncode == 0


def _umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def full_disk(tmp_path):
    """A folder on a 64 KB file system, almost full: 8 KB left, so a file starts to be
    written and then the disk fills. Skips when it cannot be mounted (see fake_full_disk)."""
    folder = tmp_path / "full"
    folder.mkdir()
    if not _mount(folder, f"size={FULL_KB}k"):
        pytest.skip("mounting a tmpfs needs root (the faked full disk runs instead)")
    try:
        filler = folder / "filler"
        with open(filler, "wb") as f:
            f.write(b"\0" * ((FULL_KB - 8) * 1024))
        yield folder
    finally:
        _umount(folder)


@pytest.fixture
def read_only(tmp_path):
    """A folder nothing can be written in: a read-only tmpfs as root, else mode 0o555."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if _mount(folder, "ro,size=64k"):
        try:
            yield folder
        finally:
            _umount(folder)
        return
    folder.chmod(0o555)
    try:
        yield folder
    finally:
        folder.chmod(0o755)


class _FillingFile:
    """A file whose writes fail with ENOSPC once `room` bytes are written, as a full disk's."""

    def __init__(self, f, room: int):
        self._f, self._room = f, room

    def write(self, data) -> int:
        if len(data) > self._room:
            self._f.write(data[: self._room])
            self._room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(data)
        return self._f.write(data)

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()


@pytest.fixture
def fake_full_disk(monkeypatch):
    """Every file opened for writing by dashboard.atomic fills after 4 KB (no root needed)."""
    from dashboard import atomic

    real_open = builtins.open

    def filling_open(file, mode="r", *args, **kwargs):
        f = real_open(file, mode, *args, **kwargs)
        return _FillingFile(f, 4096) if "w" in mode else f

    monkeypatch.setattr(atomic, "open", filling_open, raising=False)
    return filling_open


def names(folder: Path) -> list[str]:
    """The files in folder (hidden ones included), but the filler."""
    return sorted(p.name for p in Path(folder).iterdir() if p.name != "filler")
