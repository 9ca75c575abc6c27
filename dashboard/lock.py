"""One writer at a time: `build`, `import` and `rollback` share the lock of the database's folder.

The lock is an advisory `flock` on `.build.lock` beside the database file: the OS releases it
when the holder dies, so a lock left by a killed process is simply taken over. Whoever takes
the lock first removes the temporary files a killed writer left behind (`.NAME.PID.tmp`,
`.NAME.import-PID.tmp` and their `.wal`), when that PID is no longer running.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_NAME = ".build.lock"
WAIT_SECONDS = 900.0  # a national build takes a few minutes; after this the second writer gives up


class Busy(RuntimeError):
    """Another build, import or rollback holds the lock of this database."""


class StorageError(RuntimeError):
    """The database folder cannot be written: read-only, full, or not allowed."""

    def __init__(self, path: Path, exc: OSError):
        self.path, self.errno = path, exc.errno
        reason = {
            errno.EROFS: "read-only file system",
            errno.EACCES: "permission denied",
            errno.EPERM: "operation not permitted",
            errno.ENOSPC: "no space left on device",
            errno.EDQUOT: "disk quota exceeded",
            errno.EFBIG: "file too large (no room left for it)",
        }.get(exc.errno, exc.strerror or type(exc).__name__)
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    @property
    def full(self) -> bool:
        return self.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


_STORAGE_WORDS = (
    "could not write",
    "no space",
    "disk full",
    "file too large",
    "read-only",
    "permission denied",
    "cannot open file",
    "could not open file",
    "could not truncate",
    "could not fsync",
)


def is_storage(exc: Exception) -> bool:
    """Whether a DuckDB error is the file system refusing to write (not a fault in the data)."""
    text = str(exc).lower()
    return any(word in text for word in _STORAGE_WORDS)


def from_duckdb(path: Path, exc: Exception) -> StorageError:
    """A StorageError for a DuckDB I/O error (which carries no errno, only its message)."""
    text = str(exc).lower()
    number = errno.EIO
    if "no space" in text or "disk full" in text:
        number = errno.ENOSPC
    elif "file too large" in text:
        number = errno.EFBIG
    elif "read-only" in text:
        number = errno.EROFS
    elif "permission" in text:
        number = errno.EACCES
    return StorageError(path, OSError(number, str(exc).splitlines()[0]))


def lock_path(db_file: Path) -> Path:
    return Path(db_file).with_name(LOCK_NAME)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_TEMP = re.compile(r"^\.(?P<name>.+?)\.(?:import-)?(?P<pid>\d+)\.tmp(?:\.wal)?$")


def remove_stale(db_file: Path) -> list[Path]:
    """Remove temporary files of db_file whose writer is dead; the paths removed."""
    db_file = Path(db_file)
    removed = []
    for path in db_file.parent.glob(f".{db_file.name}.*.tmp*"):
        match = _TEMP.match(path.name)
        if not match or match["name"] != db_file.name or _alive(int(match["pid"])):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


@contextlib.contextmanager
def hold(
    db_file: Path,
    wait: float = WAIT_SECONDS,
    on_wait: Callable[[], None] | None = None,
) -> Iterator[None]:
    """Hold the folder's lock for a writer; waits up to `wait` seconds, then Busy.

    on_wait is called once if the lock is held by someone else (to say why nothing happens).
    A read-only or full folder raises StorageError instead of an OSError traceback.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no advisory lock, the rename is still atomic
        yield
        return
    path = lock_path(db_file)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a")  # noqa: SIM115 (held for the whole block)
    except OSError as exc:
        raise StorageError(path, exc) from exc
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise Busy(str(db_file)) from None
                if not told and on_wait is not None:
                    on_wait()
                told = True
                time.sleep(0.2)
        with contextlib.suppress(OSError):  # who holds it, for a person looking at the folder
            handle.truncate(0)
            handle.write(f"{os.getpid()}\n")
            handle.flush()
        try:
            remove_stale(db_file)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


def writable(folder: Path) -> None:
    """StorageError now, before any work, if nothing can be written in folder."""
    probe = Path(folder) / f".write-test.{os.getpid()}.tmp"
    try:
        with open(probe, "wb") as f:
            f.write(b"x")
    except OSError as exc:
        raise StorageError(Path(folder), exc) from exc
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()
