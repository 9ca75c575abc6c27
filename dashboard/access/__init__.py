"""Who may see what: the access list, kiosk tokens, the session's regions, and the audit log.

Login itself is Streamlit's st.login (on when the secrets have [auth]); this module decides what
a logged-in person, or a kiosk token, may see. Every named query that reads places takes the
regions returned by scope() as a bound parameter (dashboard/data.py), so rows outside them never
leave DuckDB. Nothing here raises into a page: a bad row of the list is refused alone (an
unreadable file grants nothing), a full disk loses an audit line, and both are reported.

The access list goes through stages, one file each: read (bytes to rows, whatever Excel saved),
normalise (full-width digits, 330802.0, Chinese headers and roles), check (each row's rules,
refused rows with line and reason), grant (the list now on disk, re-read when it changes).
files: downloads served only to the login that made them; cli: `access check FILE`.
"""

from __future__ import annotations

import contextvars
import hmac
import logging
import os
import threading
import tomllib
from collections.abc import Callable
from pathlib import Path

from dashboard import auditlog
from dashboard.access import check, normalise
from dashboard.access import grant as grant_list
from dashboard.access.grant import Grant, access_list_path  # noqa: F401 (the package's API)

log = logging.getLogger("dashboard")

NATIONAL = 100000  # the whole country in an access list, a kiosk token or open mode
ROLES = ("viewer", "analyst", "admin")  # each may do what the ones before it may
TOKEN_MIN_CHARS = 32  # a shorter kiosk token is refused (and logged): it could be guessed
DEFAULT_AUDIT = auditlog.DEFAULT_PATH


OPEN = Grant("-", (NATIONAL,), "analyst")  # no login configured: a laptop, as before


# ---------------------------------------------------------------- the access list


def parse_regions(text: str) -> tuple[int, ...]:
    """'330000 330800' -> (330000, 330800) (a kiosk token's regions); ValueError if a code is not
    a 6-digit adcode."""
    parts = normalise.region_parts(text)
    for part in parts:
        if not check.ADCODE.match(part):
            raise ValueError(f"not an adcode: {part!r}")
    if not parts:
        raise ValueError("no regions")
    return tuple(sorted({int(p) for p in parts}))


# The grant a download's file maker runs under: it runs after the page, outside its session.
_acting: contextvars.ContextVar[Grant | None] = contextvars.ContextVar("acting", default=None)
_lock = threading.Lock()


def access_list() -> dict[str, Grant]:
    """The grants now on disk by key (lower-case email, or sub with DASHBOARD_MATCH_BY=sub);
    rows that break a rule are left out (see list_report), an unreadable file grants nothing."""
    return grant_list.grants()


def list_report() -> grant_list.AccessList:
    """The list now on disk as read: its grants, refused rows and, if so, why the whole file
    was refused."""
    return grant_list.current()


def grant_for(key: str | None) -> Grant | None:
    """The grant of a verified identity (an email, or a sub when matching by sub), None if it
    is not on the list."""
    if not key:
        return None
    by = grant_list.match_by()
    return access_list().get(key.strip().lower() if by == "email" else key.strip())


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
    known = grant_list.known_regions() if entries else None
    for name, entry in entries.items():
        try:
            token = str(entry["token"])
            regions = parse_regions(str(entry["regions"]))
            if len(token) < TOKEN_MIN_CHARS:
                raise ValueError(f"shorter than {TOKEN_MIN_CHARS} characters")
            unknown = [r for r in regions if known is not None and r != NATIONAL and r not in known]
            if unknown:  # a typo would show a lobby an empty screen
                raise ValueError(f"no such region {' '.join(map(str, unknown))}")
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
    """The logged-in person's email claim (lower case), None if nobody is logged in or the
    provider sent none; verified or not (user_key says whom the list matches)."""
    import streamlit as st

    if not st.user.get("is_logged_in"):
        return None
    email = st.user.get("email")
    return str(email).strip().lower() if email else None


def user_sub() -> str:
    """The identity provider's account id (the sub claim) of the logged-in person, '' if none."""
    import streamlit as st

    return str(st.user.get("sub") or "") if st.user.get("is_logged_in") else ""


def key_of(claims) -> str | None:
    """Whom the access list matches for these ID-token claims: the email when the provider says
    it is verified (email_verified true), or the sub with DASHBOARD_MATCH_BY=sub; None for
    nobody (an unverified email matches no row, whoever's address it is)."""
    if grant_list.match_by() == "sub":
        sub = str(claims.get("sub") or "").strip()
        return sub or None
    email = str(claims.get("email") or "").strip().lower()
    verified = claims.get("email_verified")
    if email and (verified is True or str(verified).lower() == "true"):
        return email
    return None


def user_key() -> str | None:
    """The logged-in person's key in the access list (key_of their claims), None for nobody."""
    import streamlit as st

    return key_of(st.user) if st.user.get("is_logged_in") else None


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
    return grant_for(user_key())


def scope() -> tuple[int, ...]:
    """The regions this session may see; () for nobody (every scoped query then returns no row)."""
    grant = current()
    return grant.regions if grant else ()


def may_administer() -> bool:
    """Whether this session is shown how the data are changed on the server (commands, files):
    an admin; or anyone in open mode, which is a laptop or a test machine whose user started the
    app from a command line."""
    if not login_enabled():
        return True
    grant = current()
    return bool(grant and grant.is_admin)


def may_download() -> bool:
    """Whether this session may download tables (analyst, admin; anyone in open mode)."""
    grant = current()
    return bool(grant and grant.may_download)


class Withdrawn(PermissionError):
    """A download asked for after the grant that drew its button was withdrawn or lowered."""


def audited(what: str, make: Callable[[], bytes]) -> Callable[[], bytes]:
    """A download's file maker that checks the grant again when it is clicked, not when the
    button was drawn: the person's row is looked up in the access list as it is then, and a row
    removed or lowered to viewer refuses the file (Withdrawn, an audit line). The file is made
    under the grant as it is then (its regions), and is served only to this browser's login
    (access/files.py)."""
    from dashboard.access import files

    who = files.Owner.now()

    def made() -> bytes:
        grant = who.grant()
        if grant is None or not grant.may_download:
            audit("denied", who.email, {"download": what, "reason": "withdrawn"}, sub=who.sub)
            raise Withdrawn(what)
        audit("download", grant.email, what, **({"sub": who.sub} if who.sub else {}))
        token = _acting.set(grant)
        try:
            content = make()
        finally:
            _acting.reset(token)
        files.made(content, who)
        return content

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
