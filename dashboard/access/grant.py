"""Stage 4 of the access list: the grants of the file now on disk, and the rows it refused.

The file is read again whenever it changes (inode, mtime, size). A bad row is refused alone
(check.py); only a file that cannot be read at all grants nothing."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import db
from dashboard.access import check, read

log = logging.getLogger("dashboard")
MATCH_BY = ("email", "sub")  # $DASHBOARD_MATCH_BY: whom a list row names


@dataclass(frozen=True)
class Grant:
    """What one person (or one kiosk screen) may see: regions (adcodes) and role. sub is the
    identity provider's account id when the list names it."""

    email: str
    regions: tuple[int, ...]
    role: str
    sub: str = ""

    @property
    def may_download(self) -> bool:
        return self.role in ("analyst", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class AccessList:
    """A list as read: its grants by key (lower-case email, or sub), the rows refused, and the
    reason the whole file was refused (a message key and values), if it was."""

    grants: dict[str, Grant] = field(default_factory=dict)
    refused: list[check.Refusal] = field(default_factory=list)
    unreadable: tuple[str, dict] | None = None
    path: str = ""


def match_by() -> str:
    """Whom a list row names: 'email' (default: the verified email claim) or 'sub'
    ($DASHBOARD_MATCH_BY=sub, for providers that do not say whether an email is verified)."""
    value = os.environ.get("DASHBOARD_MATCH_BY", "email").strip().lower()
    if value not in MATCH_BY:
        log.error("DASHBOARD_MATCH_BY=%r is neither email nor sub: matching by email", value)
        return "email"
    return value


def parse(raw: bytes, known: set[int] | None, by: str = "email") -> AccessList:
    """The grants and refused rows of an access list file's bytes (known: the adcodes a region
    may be, None to check only their form)."""
    needed = ("regions", "role") + (("sub",) if by == "sub" else ("email",))
    try:
        rows = read.rows(raw, needed)
    except read.UnreadableList as exc:
        return AccessList(unreadable=(exc.key, exc.values))
    entries, refused = check.rows(rows, known, by)
    grants = {e.key: Grant(e.email, e.regions, e.role, e.sub) for e in entries}
    return AccessList(grants, refused)


_known_cache: dict = {}


def known_regions() -> set[int] | None:
    """The adcodes in the database's regions table (read again when the file changes); None
    when there is no database to ask (then only the codes' form is checked)."""
    path = db.db_path()
    try:
        stamp = (str(path), db.file_stamp(path))
    except OSError:
        return None
    if _known_cache.get("stamp") != stamp:
        try:
            con = db.connect(path)
        except db.DatabaseUnavailable as exc:
            log.warning("access list: region codes not checked against the database: %s", exc)
            return None
        try:
            codes = {int(a) for (a,) in con.execute("select adcode from regions").fetchall()}
        finally:
            con.close()
        _known_cache.update(stamp=stamp, codes=codes)
    return _known_cache["codes"]


_lock = threading.Lock()
_cache: dict[str, tuple[tuple, AccessList]] = {}


def access_list_path() -> Path | None:
    """The access list named by $DASHBOARD_ACCESS, None when unset."""
    value = os.environ.get("DASHBOARD_ACCESS")
    return Path(value) if value else None


def current() -> AccessList:
    """The list now on disk, read again whenever the file (or the database, or the matching
    setting) changes; an empty list (nobody) if the file is missing or unreadable. Refused rows
    are logged once per version of the file."""
    path = access_list_path()
    if path is None:
        if "" not in _cache:  # said once: login is on, nobody can be let in
            _cache[""] = ((), AccessList())
            log.error("DASHBOARD_ACCESS is not set: nobody is let in (README, Who may see what)")
        return _cache[""][1]
    try:
        st = path.stat()
        file = (st.st_ino, st.st_mtime_ns, st.st_size)
    except OSError:
        file = None
    by = match_by()
    with _lock:
        known = known_regions()
        stamp = (file, by, _known_cache.get("stamp") if known is not None else None)
        cached = _cache.get(str(path))
        if cached and cached[0] == stamp:
            return cached[1]
        if file is None:
            found = AccessList(unreadable=("access.list.missing", {}))
        else:
            try:
                found = parse(path.read_bytes(), known, by)
            except OSError as exc:
                found = AccessList(unreadable=("access.list.missing", {"error": str(exc)}))
        found = AccessList(found.grants, found.refused, found.unreadable, str(path))
        _log(path, found)
        _cache[str(path)] = (stamp, found)
        return found


def _log(path: Path, found: AccessList) -> None:
    from dashboard import i18n

    if found.unreadable:
        key, values = found.unreadable
        log.error(
            "access list %s refused, nobody is let in: %s", path, i18n.text(key, "en", **values)
        )
        return
    log.info(
        "access list %s: %d people, %d rows refused", path, len(found.grants), len(found.refused)
    )
    for refusal in found.refused:
        log.error("access list %s: %s", path, describe(refusal, "en"))


def describe(refusal: check.Refusal, lang: str) -> str:
    """A refused row in words: 'line 4: …'."""
    from dashboard import i18n

    reason = i18n.text(f"access.refused.{refusal.reason}", lang, **refusal.values)
    return i18n.text("access.refused_line", lang, line=refusal.line, reason=reason)


def grants() -> dict[str, Grant]:
    """The grants now on disk by key (lower-case email, or sub)."""
    return current().grants
