"""The command line's exit codes and the messages that go with them, in the reader's language.

Every verb of `python -m dashboard` ends with one of these codes (README "Exit codes" lists
them) and, when it fails, one message saying what happened and what to do, never a traceback.
A verb with --lang speaks that language; the others print Chinese, then English."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

from dashboard import i18n

OK = 0  # done
REFUSED = 1  # the input was read and refused (an import's or a check's findings), nothing changed
INPUT = 2  # bad arguments, unreadable input, no database, an unknown province or alliance
BUSY = 3  # another build or import kept the lock too long
STORAGE = 4  # the target cannot be written: read-only folder, no permission, full disk
EXISTS = 5  # something is in the way: a file where a folder is wanted, or a folder where a file
TOOL = 6  # a program the verb needs is missing (Chromium for briefings)
INTERNAL = 70  # a fault of the program itself (EX_SOFTWARE); DASHBOARD_DEBUG=1 shows the trace
INTERRUPTED = 130  # Ctrl-C (128 + SIGINT); no half-written file is left

# code -> message key of its one-line meaning (README's table is checked against this)
MEANING = {
    OK: "cli.exit.ok",
    REFUSED: "cli.exit.refused",
    INPUT: "cli.exit.input",
    BUSY: "cli.exit.busy",
    STORAGE: "cli.exit.storage",
    EXISTS: "cli.exit.exists",
    TOOL: "cli.exit.tool",
    INTERNAL: "cli.exit.internal",
    INTERRUPTED: "cli.exit.interrupted",
}

_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def say(key: str, lang: str | None = None, **values: object) -> str:
    """The message in lang; without one (a verb with no --lang), Chinese then English. A value
    given as {"zh": …, "en": …} is taken in each message's own language."""
    langs = [lang] if lang in i18n.LANGS else list(i18n.LANGS)
    return "\n".join(i18n.text(key, one, **_in(values, one)) for one in langs)


def _in(values: dict, lang: str) -> dict:
    return {k: v[lang] if isinstance(v, dict) and lang in v else v for k, v in values.items()}


def fail(code: int, key: str, lang: str | None = None, **values: object) -> int:
    """Print the message on stderr and return the exit code."""
    print(say(key, lang, **values), file=sys.stderr, flush=True)
    return code


def _reason(exc: OSError) -> dict[str, str]:
    """Why the system refused, in each language (the system's own words when not known)."""
    key = f"cli.errno.{errno.errorcode.get(exc.errno or 0, '')}"
    if key in i18n.catalogue():
        return {lang: i18n.text(key, lang) for lang in i18n.LANGS}
    return {lang: exc.strerror or type(exc).__name__ for lang in i18n.LANGS}


def write_failed(exc: OSError, lang: str | None = None, path: Path | str | None = None) -> int:
    """The message and exit code for a file that could not be written (nothing half-written
    is left: dashboard/atomic.py): in the way, read-only, full, or another I/O error."""
    where = path if exc.filename is None else exc.filename
    where = "" if where is None else os.fspath(where)
    if exc.errno == errno.EISDIR:
        return fail(EXISTS, "cli.exists_folder", lang, path=where)
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return fail(EXISTS, "cli.exists_file", lang, path=where)
    values = {"path": where, "reason": _reason(exc)}
    if exc.errno in _FULL:
        return fail(STORAGE, "cli.full", lang, **values)
    if exc.errno in _READ_ONLY:
        return fail(STORAGE, "cli.read_only", lang, **values)
    return fail(STORAGE, "cli.write_error", lang, **values)


def db_missing(path: Path | str, detail: object, lang: str | None = None) -> int:
    """No database to read: missing, or not one this version can open."""
    if not Path(path).is_file():
        return fail(INPUT, "cli.db_missing", lang, path=path)
    return fail(INPUT, "cli.db_unreadable", lang, path=path, detail=detail)


def in_the_way(path: Path | str) -> Path:
    """The existing file that stands where a folder is wanted: path or a folder above it."""
    path = Path(path)
    for above in [path, *path.parents]:
        if above.exists():
            return above
    return path


def os_failed(exc: OSError, lang: str | None = None) -> int:
    """An OSError no verb caught: a missing input names the path, the others as write_failed."""
    if isinstance(exc, FileNotFoundError):
        where = "" if exc.filename is None else os.fspath(exc.filename)
        return fail(INPUT, "cli.not_found", lang, path=where)
    return write_failed(exc, lang)


def one_line(text: str, limit: int = 300) -> str:
    """An exception's text on one line, at most limit characters, control characters as '?'."""
    flat = " ".join(text.split())
    flat = "".join(c if c.isprintable() else "?" for c in flat)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
