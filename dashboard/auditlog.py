"""The audit log: one JSON line per sign-in, refusal, page view and download, that its own
failures cannot break and a flood cannot fill.

- A line is appended whole or not at all: one os.write of the whole line to a file opened with
  O_APPEND, under an flock every writer (every replica) takes; a write that fails or comes up
  short is cut back (ftruncate) to the size before it, so no fragment is left for the next line
  to be glued to. A fragment left by a killed process is closed off with a newline first.
- A lost line is logged with the running count, and the count is written into the log (an
  `audit_lost` line) with the next line that gets through.
- Every value is bounded (VALUE_MAX_CHARS characters, ITEMS_MAX items, LINE_MAX_BYTES a line),
  and what was cut says so (CUT_MARK), so a URL sent over the websocket cannot grow the log by
  its own size.
- `view` lines are rate-limited per session (Limiter); the lines left out are counted into the
  next line that is written.
- The file is rotated by size (ROTATE_MB): renamed aside under the lock, then compressed into
  `audit.jsonl.<time>.gz`, written whole or not at all (dashboard/atomic.py). The old files are
  kept (KEEP: how many, 0 = all) and read back with the current one, oldest first.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import gzip
import json
import logging
import os
import re
import shutil
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import atomic

log = logging.getLogger("dashboard")

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "audit.jsonl"
VALUE_MAX_CHARS = 200  # a URL parameter, an email, a file name: longer is cut (and marked)
KEY_MAX_CHARS = 64  # a URL parameter's name
ITEMS_MAX = 20  # entries of a dict or list (URL parameters): more are counted, not kept
DEPTH_MAX = 4
LINE_MAX_BYTES = 2048  # a whole line; a bigger one keeps only the start of its `what`
CUT_MARK = "…[cut {n}]"  # after a value cut short: how many characters were left out
MORE_KEY = "…"  # in a dict cut short: how many entries were left out
ROTATE_MB = 10.0  # $DASHBOARD_AUDIT_ROTATE_MB
KEEP = 0  # $DASHBOARD_AUDIT_KEEP rotated files kept; 0 keeps every one
VIEW_BURST = 20  # view lines a session may write at once …
VIEW_PER_MINUTE = 12.0  # … and then per minute (one every 5 s, more than a person clicks)
_ARCHIVE = re.compile(r"\.(?P<stamp>\d{8}T\d{6})(?:-(?P<n>\d+))?(?P<gz>\.gz)?$")

clock = time.monotonic  # the rate limit's clock (a test may stop it)
_lock = threading.Lock()  # threads of one process; processes share the file's flock


@dataclass
class Losses:
    """Lines this process could not write to one log: in all, and since the last line that got
    through (to be written into the log with the next one)."""

    total: int = 0
    pending: int = 0
    first: str = ""
    reason: str = ""


LOST: dict[str, Losses] = {}  # log file -> its losses in this process


def losses(target: Path | None = None) -> Losses:
    """The losses of one log (default: the current one) in this process."""
    return LOST.setdefault(str(Path(target or path())), Losses())


def path() -> Path:
    """The audit log: $DASHBOARD_AUDIT, else data/audit.jsonl."""
    return Path(os.environ.get("DASHBOARD_AUDIT") or DEFAULT_PATH)


def rotate_bytes() -> int:
    raw = os.environ.get("DASHBOARD_AUDIT_ROTATE_MB", "").strip()
    try:
        mb = float(raw) if raw else ROTATE_MB
    except ValueError:
        mb = ROTATE_MB
    return max(int(mb * 1e6), 1024)


def keep() -> int:
    raw = os.environ.get("DASHBOARD_AUDIT_KEEP", "").strip()
    return int(raw) if raw.isdigit() else KEEP


# ---------------------------------------------------------------- bounding what is written


def cut(text: str, limit: int = VALUE_MAX_CHARS) -> str:
    """text at most limit characters (and the mark saying how many more there were)."""
    if len(text) <= limit:
        return text
    return text[:limit] + CUT_MARK.format(n=len(text) - limit)


def bound(value: object, limit: int = VALUE_MAX_CHARS, depth: int = 0) -> object:
    """A value safe to write: texts cut, dicts and lists at most ITEMS_MAX entries, nesting at
    most DEPTH_MAX; numbers, booleans and None as they are."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return cut(value, limit)
    if depth >= DEPTH_MAX:
        return cut(json.dumps(value, ensure_ascii=False, default=str), limit)
    if isinstance(value, dict):
        items = list(value.items())
        out = {cut(str(k), KEY_MAX_CHARS): bound(v, limit, depth + 1) for k, v in items[:ITEMS_MAX]}
        if len(items) > ITEMS_MAX:
            out[MORE_KEY] = f"+{len(items) - ITEMS_MAX}"
        return out
    if isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
        out_list = [bound(v, limit, depth + 1) for v in items[:ITEMS_MAX]]
        if len(items) > ITEMS_MAX:
            out_list.append(f"{MORE_KEY}+{len(items) - ITEMS_MAX}")
        return out_list
    return cut(str(value), limit)


def encode(record: dict) -> bytes:
    """The record as one bounded JSON line (with its newline), at most LINE_MAX_BYTES."""
    for limit in (VALUE_MAX_CHARS, VALUE_MAX_CHARS // 4, 16):
        line = json.dumps(bound(record, limit), ensure_ascii=False) + "\n"
        data = line.encode("utf-8")
        if len(data) <= LINE_MAX_BYTES:
            return data
    # Still too long (many long keys): keep the start of `what` as text.
    small = {k: bound(v, 16) for k, v in record.items() if k != "what"}
    what = json.dumps(bound(record.get("what"), 16), ensure_ascii=False)
    small["what"] = cut(what, LINE_MAX_BYTES // 8)
    return (json.dumps(small, ensure_ascii=False) + "\n").encode("utf-8")


def now_text() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


# ---------------------------------------------------------------- writing


def append(action: str, email: str | None, what: dict | str = "", **fields: object) -> bool:
    """Append one line (time, email, action, what, and any further fields such as sub) whole or
    not at all; False, logged and counted if it was lost. Never raises: a full or lost disk
    must not turn into a page error."""
    record = {"time": now_text(), "email": email or "-", "action": action, "what": what, **fields}
    data = encode(record)
    target = path()
    with _lock:
        lost = losses(target)
        lost_line = _lost_line(lost) if lost.pending else b""
        try:
            rotated = _append(target, lost_line + data)
        except OSError as exc:
            _count_loss(lost, exc, data)
            return False
        lost.pending, lost.first, lost.reason = 0, "", ""
    if rotated is not None:
        _archive(rotated, target)
    return True


def _lost_line(lost: Losses) -> bytes:
    what = {"lines": lost.pending, "since": lost.first, "reason": lost.reason}
    return encode({"time": now_text(), "email": "-", "action": "audit_lost", "what": what})


def _count_loss(lost: Losses, exc: OSError, data: bytes) -> None:
    lost.total += 1
    lost.pending += 1
    lost.first = lost.first or now_text()
    lost.reason = exc.strerror or type(exc).__name__
    preview = data[:300].decode("utf-8", errors="replace").rstrip("\n")
    log.error("audit line lost (%s); %d lost by this process so far: %s", exc, lost.total, preview)


def _open(target: Path) -> int:
    return os.open(target, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o640)


def _append(target: Path, data: bytes) -> Path | None:
    """Write data at the end of target under the file's lock; the renamed-aside file when the
    log was rotated first (to be compressed once the lock is let go), else None."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = _open(target)
    rotated = None
    try:
        _flock(fd)
        fd = _same_file(fd, target)
        size = os.fstat(fd).st_size
        if size and size + len(data) > rotate_bytes():
            rotated = _rotate_aside(target)
            os.close(fd)
            fd = _open(target)
            _flock(fd)
            size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            data = b"\n" + data  # a fragment a killed writer left: closed off, not glued to
        try:
            written = os.write(fd, data)
        except OSError:
            _cut_back(fd, size)
            raise
        if written != len(data):
            _cut_back(fd, size)
            raise OSError(errno.ENOSPC, f"short write ({written} of {len(data)} bytes)")
    finally:
        os.close(fd)  # closing lets go of the flock
    return rotated


def _flock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: one process per log; the thread lock is enough
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def _same_file(fd: int, target: Path) -> int:
    """fd, or a new locked fd of target if another process rotated the file while we waited."""
    try:
        same = os.fstat(fd).st_ino == os.stat(target).st_ino
    except FileNotFoundError:
        same = False
    if same:
        return fd
    os.close(fd)
    fd = _open(target)
    _flock(fd)
    return fd


def _cut_back(fd: int, size: int) -> None:
    try:
        os.ftruncate(fd, size)
    except OSError as exc:
        log.error("audit log could not be cut back to %d bytes: %s", size, exc)


def _rotate_aside(target: Path) -> Path:
    """Rename the full log aside (atomic); a new one starts at the next open."""
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    aside = target.with_name(f"{target.name}.{stamp}")
    n = 0
    while aside.exists() or aside.with_name(aside.name + ".gz").exists():
        n += 1
        aside = target.with_name(f"{target.name}.{stamp}-{n}")
    os.rename(target, aside)
    return aside


def _archive(aside: Path, target: Path) -> None:
    """Compress a rotated file into <name>.gz (whole or not at all), then drop the plain one;
    on failure (a full disk) the plain file stays, and is read as it is."""
    gz = aside.with_name(aside.name + ".gz")
    try:

        def compress(f) -> None:
            with open(aside, "rb") as src, gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as out:
                shutil.copyfileobj(src, out, 1 << 20)

        atomic.write_with(gz, compress)
        aside.unlink()
    except OSError as exc:
        log.error("audit log %s kept uncompressed: %s", aside, exc)
    wanted = keep()
    if wanted:
        for old in archives(target)[:-wanted]:
            with contextlib.suppress(OSError):
                old.unlink()


# ---------------------------------------------------------------- rate limit


@dataclass
class Limiter:
    """A token bucket per session: burst lines at once, then per_minute; counts what it refuses."""

    burst: float = VIEW_BURST
    per_minute: float = VIEW_PER_MINUTE
    tokens: float = field(default=-1.0)
    at: float = 0.0
    skipped: int = 0

    def take(self, now: float | None = None) -> tuple[bool, int]:
        """(whether a line may be written now, lines skipped before it); the skipped count is
        handed over once, with the first line allowed after them."""
        now = clock() if now is None else now
        if self.tokens < 0:
            self.tokens, self.at = self.burst, now
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.per_minute / 60)
        self.at = now
        if self.tokens < 1:
            self.skipped += 1
            return False, 0
        self.tokens -= 1
        skipped, self.skipped = self.skipped, 0
        return True, skipped


# ---------------------------------------------------------------- reading


def archives(target: Path | None = None) -> list[Path]:
    """The rotated files of the log, oldest first."""
    target = Path(target or path())
    found = []
    for p in target.parent.glob(f"{target.name}.*"):
        match = _ARCHIVE.fullmatch(p.name[len(target.name) :])
        if match:
            found.append((match["stamp"], int(match["n"] or 0), p))
    return [p for *_, p in sorted(found)]


def files(target: Path | None = None) -> list[Path]:
    """Every file of the log, oldest first: the rotated ones, then the current one."""
    target = Path(target or path())
    return [*archives(target), *([target] if target.exists() else [])]


@dataclass
class Reading:
    rows: list[dict]
    skipped: int  # lines that are not whole JSON (a fragment) and were left out


def _lines(p: Path):
    opener = gzip.open if p.name.endswith(".gz") else open
    try:
        with opener(p, "rt", encoding="utf-8", errors="replace") as f:
            yield from f
    except (OSError, EOFError) as exc:  # a file gone (rotated meanwhile) or a broken archive
        log.warning("audit file %s not read: %s", p, exc)


def _stamp_day(p: Path) -> dt.date | None:
    match = _ARCHIVE.search(p.name)
    return dt.datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S").date() if match else None


def read(
    target: Path | None = None,
    since: dt.date | None = None,
    email: str | None = None,
    last: int | None = None,
) -> Reading:
    """The lines of every file of the log, oldest first, from a date on and of one email if
    given; with last, only the newest that many (reading the newest files first)."""
    target = Path(target or path())
    wanted = email.strip().lower() if email else None
    chunks: list[list[dict]] = []
    count = skipped = 0
    for p in reversed(files(target)):
        day = _stamp_day(p)
        if since and day and day < since:  # rotated before that day: every line is older
            break
        rows = []
        for text in _lines(p):
            if not text.strip():
                continue
            try:
                row = json.loads(text)
                row_day = dt.date.fromisoformat(str(row["time"])[:10])
            except (ValueError, KeyError, TypeError):
                skipped += 1
                continue
            if since and row_day < since:
                continue
            if wanted and str(row.get("email", "")).lower() != wanted:
                continue
            rows.append(row)
        chunks.append(rows)
        count += len(rows)
        if last is not None and count >= last:
            break
    rows = [row for chunk in reversed(chunks) for row in chunk]
    return Reading(rows[-last:] if last is not None else rows, skipped)


def read_audit(
    target: Path | None = None, since: dt.date | None = None, email: str | None = None
) -> list[dict]:
    """The audit lines, oldest first, from a date on and of one email if given; unreadable
    lines are skipped."""
    return read(target, since, email).rows


# ---------------------------------------------------------------- its own disk use


@dataclass
class Usage:
    files: int
    bytes: int  # all files of the log
    current_bytes: int
    rotate_bytes: int
    free_bytes: int | None  # on the log's file system
    lost: int  # lines this process could not write


def usage(target: Path | None = None) -> Usage:
    """How much disk the log takes, and how much is left where it lives."""
    target = Path(target or path())
    found = files(target)
    sizes = {}
    for p in found:
        with contextlib.suppress(OSError):
            sizes[p] = p.stat().st_size
    free = None
    for folder in (target.parent, *target.parents):
        if folder.exists():
            with contextlib.suppress(OSError):
                free = shutil.disk_usage(folder).free
            break
    return Usage(
        files=len(sizes),
        bytes=sum(sizes.values()),
        current_bytes=sizes.get(target, 0),
        rotate_bytes=rotate_bytes(),
        free_bytes=free,
        lost=losses(target).total,
    )


def megabytes(n: int | None) -> str:
    """A size for a person: MB, or KB below a megabyte (where 0.0 MB would say nothing)."""
    if n is None:
        return "?"
    return f"{n / 1e3:,.1f} KB" if n < 1e6 else f"{n / 1e6:,.1f} MB"


def usage_values(use: Usage) -> dict[str, object]:
    """The values of the message audit.usage."""
    return {
        "files": use.files,
        "size": megabytes(use.bytes),
        "current": megabytes(use.current_bytes),
        "rotate": megabytes(use.rotate_bytes),
        "free": megabytes(use.free_bytes),
    }


# ---------------------------------------------------------------- a terminal's table


def table(rows: list[dict]) -> str:
    """Audit lines as a plain text table for a terminal (control characters shown as '?')."""
    header = ("time", "email", "action", "what")
    cells = [header] + [
        tuple(
            _printable(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
            for v in (r.get("time", ""), r.get("email", ""), r.get("action", ""), r.get("what", ""))
        )
        for r in rows
    ]
    widths = [max(_width(row[i]) for row in cells) for i in range(3)]
    lines = []
    for row in cells:
        padded = [row[i] + " " * (widths[i] - _width(row[i])) for i in range(3)]
        lines.append("  ".join([*padded, row[3]]))
    lines.append(f"({len(rows)} lines)")
    return "\n".join(lines)


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
