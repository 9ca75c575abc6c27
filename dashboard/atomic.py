"""Files written whole or not at all: every export, briefing, template and rotated audit file.

The bytes go to a temporary file in the target's own folder (same file system, so the rename is
atomic), are flushed to disk (fsync), and only then take the final name; the folder is fsynced
so the rename survives a power cut. On any failure (full disk, read-only folder, an exception
of the writer) the temporary file is removed and the target, if it existed, is untouched. A
reader therefore sees the old file or the new one, never a truncated file under the final name.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

# Temporary names: .NAME.PID.atomic.tmp (hidden, and named with its writer so a leftover of a
# killed process can be told apart from one being written now).
_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.atomic\.tmp$")


def temp_path(path: Path) -> Path:
    """The temporary file of path, in path's folder."""
    path = Path(path)
    return path.with_name(f".{path.name}.{os.getpid()}.atomic.tmp")


def folder(path: Path) -> Path:
    """The folder path, made if missing. An existing file at path, or at a folder above it,
    raises NotADirectoryError naming that file (not the folder asked for)."""
    path = Path(path)
    for above in [path, *path.parents]:
        if above.exists():
            if not above.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(above))
            break
    path.mkdir(parents=True, exist_ok=True)
    return path


def probe(path: Path) -> None:
    """OSError now, before any work, if no file can be made in the folder path."""
    tmp = temp_path(Path(path) / ".write-test")
    try:
        with open(tmp, "wb") as f:
            f.write(b"x")
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


@contextlib.contextmanager
def open_for(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write path's new content into; the content takes path's name only when
    the block ends without an exception. OSError (ENOSPC, EROFS, EACCES…) propagates after the
    temporary file is removed; a folder at path raises IsADirectoryError before anything is
    written."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    tmp = temp_path(path)
    try:
        with open(tmp, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError) and exc.filename in (None, str(tmp)):
            exc.filename = str(path)  # the file being replaced, not our temporary name
        raise
    _fsync_folder(path.parent)


def write_bytes(path: Path, data: bytes) -> Path:
    """Write data to path whole or not at all (see the module's docstring); returns path."""
    with open_for(path) as f:
        f.write(data)
    return Path(path)


def write_with(path: Path, writer: Callable[[BinaryIO], object]) -> Path:
    """Let writer(file) stream path's new content (e.g. a workbook's save); whole or nothing."""
    with open_for(path) as f:
        writer(f)
    return Path(path)


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not every platform (or file system) allows it.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale(folder: Path) -> list[Path]:
    """Remove temporary files in folder left by writers that were killed (their PID is gone)."""
    removed = []
    for tmp in Path(folder).glob(".*.atomic.tmp"):
        match = _TEMP.match(tmp.name)
        if not match or _alive(int(match["pid"])):
            continue
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
