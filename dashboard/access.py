"""Who may see what: the access list, kiosk tokens, the session's regions, and the audit log.

Login itself is Streamlit's st.login (on when the secrets have [auth]); this module decides what
a logged-in person, or a kiosk token, may see. Every named query that reads places takes the
regions returned by scope() as a bound parameter (dashboard/data.py), so rows outside them never
leave DuckDB. Nothing here raises into a page: a bad list grants nothing, a full disk loses an
audit line, and both are reported in the server log.
"""

from __future__ import annotations

import contextvars
import csv
import hmac
import io
import logging
import os
import re
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dashboard import auditlog

log = logging.getLogger("dashboard")

NATIONAL = 100000  # the whole country in an access list, a kiosk token or open mode
ROLES = ("viewer", "analyst", "admin")  # each may do what the ones before it may
DOWNLOADERS = {"analyst", "admin"}
TOKEN_MIN_CHARS = 32  # a shorter kiosk token is refused (and logged): it could be guessed
DEFAULT_AUDIT = auditlog.DEFAULT_PATH
_SPLIT = re.compile(r"[\s,，;；、]+")


class AccessListError(ValueError):
    """The access list cannot be read or breaks its rules; it then grants nothing."""


@dataclass(frozen=True)
class Grant:
    """What one person (or one kiosk screen) may see: regions (adcodes) and role."""

    email: str
    regions: tuple[int, ...]
    role: str

    @property
    def may_download(self) -> bool:
        return self.role in DOWNLOADERS

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


OPEN = Grant("-", (NATIONAL,), "analyst")  # no login configured: a laptop, as before


# ---------------------------------------------------------------- the access list


def parse_regions(text: str) -> tuple[int, ...]:
    """'330000 330800' -> (330000, 330800); ValueError if a code is not a 6-digit adcode."""
    codes = []
    for part in _SPLIT.split(text.strip()):
        if not part:
            continue
        if not (part.isascii() and part.isdigit() and len(part) == 6 and part[0] != "0"):
            raise ValueError(f"not an adcode: {part!r}")
        codes.append(int(part))
    if not codes:
        raise ValueError("no regions")
    return tuple(sorted(set(codes)))


def _decode(raw: bytes) -> str:
    # Excel writes UTF-8 with a BOM, or GBK on a Chinese Windows: try both, as the importer does.
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AccessListError("neither UTF-8 nor GBK")


def parse_access_list(raw: bytes) -> dict[str, Grant]:
    """The grants of an access list CSV (email, regions, role) by lower-case email;
    AccessListError naming the first problem (the whole list is then refused)."""
    reader = csv.DictReader(io.StringIO(_decode(raw)))
    header = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
    missing = {"email", "regions", "role"} - header.keys()
    if missing:
        raise AccessListError(f"missing column(s) {sorted(missing)}")
    grants: dict[str, Grant] = {}
    for line, row in enumerate(reader, start=2):
        cells = {key: (row.get(name) or "").strip() for key, name in header.items()}
        if not any(cells.values()):
            continue  # a blank line Excel left
        email, role = cells["email"].lower(), cells["role"].lower()
        if "@" not in email or any(c.isspace() for c in email):
            raise AccessListError(f"line {line}: not an email address")
        if role not in ROLES:
            raise AccessListError(f"line {line}: role must be one of {', '.join(ROLES)}")
        try:
            regions = parse_regions(cells["regions"])
        except ValueError as exc:
            raise AccessListError(f"line {line}: {exc}") from exc
        if email in grants:
            raise AccessListError(f"line {line}: {email} is listed twice")
        grants[email] = Grant(email, regions, role)
    return grants


_lock = threading.Lock()
# The grant a download's file maker runs under: it runs after the page, outside its session.
_acting: contextvars.ContextVar[Grant | None] = contextvars.ContextVar("acting", default=None)
_list_cache: dict[str, tuple[tuple, dict[str, Grant]]] = {}


def access_list_path() -> Path | None:
    """The access list named by $DASHBOARD_ACCESS, None when unset."""
    value = os.environ.get("DASHBOARD_ACCESS")
    return Path(value) if value else None


def access_list() -> dict[str, Grant]:
    """The grants now on disk, read again whenever the file changes; {} (nobody) if the file is
    missing or malformed, logged once per version of the file."""
    path = access_list_path()
    if path is None:
        if "" not in _list_cache:  # said once: login is on, nobody can be let in
            _list_cache[""] = ((), {})
            log.error("DASHBOARD_ACCESS is not set: nobody is let in (README, Who may see what)")
        return {}
    try:
        stat = path.stat()
        stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = None
    with _lock:
        cached = _list_cache.get(str(path))
        if cached and cached[0] == stamp:
            return cached[1]
        try:
            if stamp is None:
                raise AccessListError("file not found")
            grants = parse_access_list(path.read_bytes())
            log.info("access list %s: %d people", path, len(grants))
        except (OSError, AccessListError) as exc:
            log.error("access list %s refused, nobody is let in: %s", path, exc)
            grants = {}
        _list_cache[str(path)] = (stamp, grants)
        return grants


def grant_for(email: str | None) -> Grant | None:
    """The grant of a logged-in email, None if not on the list."""
    if not email:
        return None
    return access_list().get(email.strip().lower())


# ---------------------------------------------------------------- kiosk tokens


def _token_config() -> dict[str, dict]:
    from dashboard import kiosk  # its config file: kiosk.toml or $KIOSK_CONFIG

    try:
        with open(kiosk.config_path(), "rb") as f:
            tokens = tomllib.load(f).get("tokens", {})
    except (OSError, tomllib.TOMLDecodeError):
        tokens = {}
    return tokens if isinstance(tokens, dict) else {}


def kiosk_tokens() -> dict[str, Grant]:
    """Kiosk screens by token: [tokens.<name>] token/regions in the kiosk config, and
    $DASHBOARD_KIOSK_TOKEN with $DASHBOARD_KIOSK_REGIONS. Short or malformed ones are skipped."""
    entries = dict(_token_config())
    if os.environ.get("DASHBOARD_KIOSK_TOKEN"):
        entries["env"] = {
            "token": os.environ["DASHBOARD_KIOSK_TOKEN"],
            "regions": os.environ.get("DASHBOARD_KIOSK_REGIONS", ""),
        }
    tokens = {}
    for name, entry in entries.items():
        try:
            token = str(entry["token"])
            regions = parse_regions(str(entry["regions"]))
            if len(token) < TOKEN_MIN_CHARS:
                raise ValueError(f"shorter than {TOKEN_MIN_CHARS} characters")
        except (KeyError, TypeError, ValueError) as exc:
            log.error("kiosk token %s refused: %s", name, exc)
            continue
        tokens[token] = Grant(f"kiosk:{name}", regions, "viewer")
    return tokens


def kiosk_grant(token: str | None) -> Grant | None:
    """The grant of a kiosk token, None if it is not one (compared in constant time)."""
    if not token:
        return None
    found = None
    for known, grant in kiosk_tokens().items():
        if hmac.compare_digest(known.encode(), token.encode()):
            found = grant
    return found


# ---------------------------------------------------------------- the session


def login_enabled() -> bool:
    """Whether st.login is configured: the secrets Streamlit reads have an [auth] section.
    Asked again only when a secrets file appears, changes or goes: Streamlit reads the files
    anew on every ask when there are none (a tenth of the server's time under load)."""
    from streamlit import config

    stamp = tuple(_file_stamp(Path(f)) for f in config.get_option("secrets.files"))
    if _login_seen.get("stamp") != stamp:
        _login_seen.update(stamp=stamp, enabled=_read_login_enabled())
    return _login_seen["enabled"]


_login_seen: dict = {}


def _file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def _read_login_enabled() -> bool:
    import streamlit as st

    try:
        return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)
    except Exception:  # an unreadable secrets file: Streamlit itself will complain
        log.exception("cannot read the secrets")
        return False


def on_kiosk() -> bool:
    """Whether this session shows the kiosk (the only page a token opens)."""
    import streamlit as st

    return (st.context.url or "").split("?")[0].rstrip("/").endswith("/kiosk")


def user_email() -> str | None:
    """The logged-in person's email (lower case), None if nobody is logged in."""
    import streamlit as st

    if not st.user.get("is_logged_in"):
        return None
    email = st.user.get("email")
    return str(email).strip().lower() if email else None


def current() -> Grant | None:
    """What this session may see: OPEN without login; else the kiosk token's grant on the kiosk
    page, else the logged-in person's grant; None for nobody."""
    import streamlit as st

    if _acting.get() is not None:
        return _acting.get()
    if not login_enabled():
        return OPEN
    if on_kiosk() and st.query_params.get("token"):
        return kiosk_grant(st.query_params.get("token"))
    return grant_for(user_email())


def scope() -> tuple[int, ...]:
    """The regions this session may see; () for nobody (every scoped query then returns no row)."""
    grant = current()
    return grant.regions if grant else ()


def may_download() -> bool:
    """Whether this session may download tables (analyst, admin; anyone in open mode)."""
    grant = current()
    return bool(grant and grant.may_download)


def audited(what: str, make: Callable[[], bytes]) -> Callable[[], bytes]:
    """A download's file maker that first writes the download's audit line. Who it is, and so
    the scope its queries read, is taken now, while the page runs: the file is made later, when
    the button is clicked, outside the page's session."""
    grant = current()

    def made() -> bytes:
        audit("download", grant.email if grant else "-", what)
        token = _acting.set(grant or Grant("-", (), "viewer"))
        try:
            return make()
        finally:
            _acting.reset(token)

    return made


def province_in_scope(province: int, regions: tuple[int, ...]) -> bool:
    """Whether a province holds any of the regions (a province, city or county code)."""
    return any(r == NATIONAL or r // 10000 * 10000 == province for r in regions)


# ---------------------------------------------------------------- the audit log
# It lives in dashboard/auditlog.py (whole lines, bounded values, rotation); these names stay.


def audit_path() -> Path:
    """The audit log: $DASHBOARD_AUDIT, else data/audit.jsonl."""
    return auditlog.path()


def audit(action: str, email: str | None, what: dict | str = "", **fields: object) -> None:
    """Append one line (time, email, action, what, further fields such as sub) to the audit
    log, whole or not at all; a failure is logged and counted, never raised: a full or lost
    disk must not turn into a page error."""
    auditlog.append(action, email, what, **fields)


read_audit = auditlog.read_audit
audit_table = auditlog.table
