"""Downloaded files, served only to the login that made them, while it holds its grant, for a
few minutes.

Streamlit hands a download's bytes to the browser through a `/media/<id>` URL that answers
anyone who has the URL, with or without a cookie, until its file is pruned. install() (run by
deploy/serve.py before the server starts) puts a check in front of that route for downloadable
files when login is on: the request must carry the same signed login cookie as the page that
made the file, that person must still be allowed to download, and the file must be younger than
EXPIRE_S. Anything else gets 403 and an audit line."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger("dashboard")
EXPIRE_S = 300  # a made file answers for five minutes; the button makes it again when clicked
COOKIE = "_streamlit_user"  # Streamlit's signed login cookie (starlette_server_config)


@dataclass(frozen=True)
class Owner:
    """Who drew a download button: open mode, a person (the key the access list matches, their
    email and sub, a hash of their login cookie) or a grant set by the caller."""

    kind: str  # "open", "user", "acting", "public" (a file with no data in it)
    key: str | None = None
    email: str = "-"
    sub: str = ""
    cookie: str = ""
    acting: object = None

    @classmethod
    def now(cls) -> Owner:
        """The owner of the session running now."""
        from dashboard import access

        if access._acting.get() is not None:
            grant = access._acting.get()
            return cls("acting", email=grant.email, acting=grant)
        if not access.login_enabled():
            return cls("open")
        import streamlit as st

        return cls(
            "user",
            key=access.user_key(),
            email=access.user_email() or "-",
            sub=access.user_sub(),
            cookie=_digest(st.context.cookies.get(COOKIE)),
        )

    def grant(self):
        """The grant of this owner as the access list says now (None if withdrawn)."""
        from dashboard import access

        if self.kind == "acting":
            return self.acting
        if self.kind == "open":
            return access.OPEN if not access.login_enabled() else None
        return access.grant_for(self.key)


def public(make: Callable[[], bytes]) -> Callable[[], bytes]:
    """A download maker of a file with no data in it (empty import templates): served to anyone
    who may see the page, for EXPIRE_S like the others."""

    def made_public() -> bytes:
        content = make()
        made(content, Owner("public"))
        return content

    return made_public


def _digest(value: str | bytes | None) -> str:
    if not value:
        return ""
    raw = value.encode("latin-1", "replace") if isinstance(value, str) else value
    return hashlib.sha256(raw).hexdigest()


_lock = threading.Lock()
_made: dict[str, tuple[Owner, float]] = {}  # sha256 of a file's bytes -> who made it, when


def made(content: bytes | str, owner: Owner) -> None:
    """Remember that owner made this file now (old entries are dropped)."""
    now = time.monotonic()
    digest = _digest(content if isinstance(content, bytes) else content.encode("utf-8"))
    with _lock:
        for key in [k for k, (_, at) in _made.items() if now - at > EXPIRE_S]:
            del _made[key]
        _made[digest] = (owner, now)


def refusal(content: bytes, cookies: dict[str, str]) -> str | None:
    """Why a request with these cookies may not have this downloadable file, None if it may."""
    from dashboard import access

    with _lock:
        entry = _made.get(_digest(content))
    if entry is None:
        return "unknown or expired"
    owner, at = entry
    if time.monotonic() - at > EXPIRE_S:
        return "expired"
    if owner.kind == "public":
        return None
    if owner.kind == "open":
        return None if not access.login_enabled() else "login turned on"
    if owner.kind != "user":
        return "not made by a person"
    if owner.cookie and _digest(cookies.get(COOKIE)) != owner.cookie:
        return "another login"
    claims = _cookie_claims(cookies)
    if access.key_of(claims) != owner.key:
        return "another login"
    grant = access.grant_for(owner.key)
    if grant is None or not grant.may_download:
        return "withdrawn"
    return None


def _cookie_claims(cookies: dict[str, str]) -> dict:
    """The claims in Streamlit's signed login cookie, {} if absent or not signed by this
    server."""
    import json

    from streamlit.web.server.starlette.starlette_websocket import (
        _get_signed_cookie_with_chunks,
    )

    try:
        raw = _get_signed_cookie_with_chunks(cookies, COOKIE)
        return json.loads(raw) if raw else {}
    except Exception:  # a forged or damaged cookie is nobody
        return {}


def install() -> None:
    """Put the check in front of Streamlit's /media route (streamlit 1.67, Starlette server);
    call before the server starts."""
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from streamlit.runtime.media_file_storage import MediaFileKind, MediaFileStorageError
    from streamlit.web.server.starlette import starlette_app, starlette_routes

    original = starlette_routes.create_media_routes
    if getattr(original, "_guarded", False):
        return

    def create_media_routes(media_storage, base_url):
        routes = original(media_storage, base_url)

        def guard(endpoint):
            async def guarded(request):
                from dashboard import access

                try:
                    media = media_storage.get_file(request.path_params["file_id"])
                except MediaFileStorageError:
                    return await endpoint(request)  # Streamlit's own 404
                if media.kind == MediaFileKind.DOWNLOADABLE and access.login_enabled():
                    reason = refusal(media.content, dict(request.cookies))
                    if reason:
                        claims = _cookie_claims(dict(request.cookies))
                        access.audit(
                            "denied",
                            str(claims.get("email") or "-"),
                            {"file": media.filename, "reason": reason},
                            sub=str(claims.get("sub") or ""),
                        )
                        return PlainTextResponse("403 download refused", status_code=403)
                return await endpoint(request)

            return guarded

        out = []
        for route in routes:
            if isinstance(route, Route) and route.methods and "GET" in route.methods:
                route = Route(route.path, guard(route.endpoint), methods=list(route.methods))
            out.append(route)
        return out

    create_media_routes._guarded = True
    starlette_routes.create_media_routes = create_media_routes
    starlette_app.create_media_routes = create_media_routes
