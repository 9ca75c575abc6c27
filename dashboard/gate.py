"""The door of the app, run by app.py before any page: login, the access list, kiosk tokens, and
the audit lines they leave. Nothing of the data is drawn before enforce() returns a grant."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import access, auditlog, ui

AUDIT_ROWS = 500  # lines of the audit log shown to admins on the Data page
# A blank dark screen for a kiosk without a valid token: no menu, no sidebar, one line of text.
DARK_SCREEN = """<style>
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] { background: #0b1424; }
.stApp p { color: #8a97ab; font-size: 1.4rem; }
header, footer, [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"] { display: none !important; }
</style>"""


def _once(action: str, email: str, what: dict | str = "", **fields: object) -> None:
    """An audit line, written once per browser session for the same action and details."""
    done = st.session_state.setdefault("_audited", set())
    key = (action, email, repr(what), repr(fields))
    if key not in done:
        done.add(key)
        access.audit(action, email, what, **fields)


def _stop(pages: list) -> None:
    # The pages are registered (hidden), never run: no menu of them, no legacy pages/ mode.
    st.navigation(pages, position="hidden")
    st.stop()


def enforce(kiosk: bool, pages: list) -> access.Grant:
    """The grant of this session; when there is none, draws the login screen, the no-access
    page or (kiosk) a blank dark screen, writes the audit line, and stops the run."""
    if not access.login_enabled():
        return access.OPEN
    token = st.query_params.get("token") if kiosk else None
    if token or (kiosk and not st.user.get("is_logged_in")):
        grant = access.kiosk_grant(token)
        if grant is None:
            _once("denied", "-", {"page": "kiosk", "reason": "bad token" if token else "no token"})
            st.html(DARK_SCREEN)
            st.markdown(ui.t("access.kiosk_denied"))
            _stop(pages)
        _once("login", grant.email, {"kiosk": True})
        return grant
    if not st.user.get("is_logged_in"):
        login_screen()
        _stop(pages)
    email = access.user_email() or "-"
    sub = access.user_sub()
    grant = access.grant_for(access.user_key())
    if grant is None:
        unverified = email != "-" and access.user_key() is None
        reason = "email not verified" if unverified else "not on the access list"
        _once("denied", email, {"reason": reason}, sub=sub)
        st.title(ui.t("access.denied_title"))
        text = "access.unverified_text" if unverified else "access.denied_text"
        st.warning(ui.t(text, email=_code(email)))
        logout_button(email, st)
        _stop(pages)
    _once("login", email, {"role": grant.role, "regions": list(grant.regions)}, sub=sub)
    if not kiosk:
        st.sidebar.caption(
            ui.t(
                "access.signed_in",
                email=_code(email),
                role=ui.t(f"access.role.{grant.role}"),
                regions=" ".join(str(r) for r in grant.regions),
            )
        )
        logout_button(email, st.sidebar)
    return grant


def login_screen() -> None:
    """The only thing an anonymous visitor sees: the title and a sign-in button."""
    st.title(ui.t("access.login_title"))
    st.write(ui.t("access.login_text"))
    # A callback, not `if st.button(...)`: it runs whichever page the rerun lands on.
    st.button(ui.t("access.login_button"), type="primary", key="login", on_click=st.login)


def logout_button(email: str, where) -> None:
    where.button(ui.t("access.logout"), key="logout", on_click=_logout, args=(email,))


def _logout(email: str) -> None:
    access.audit("logout", email, sub=access.user_sub())
    st.logout()


def view(grant: access.Grant, page: str) -> None:
    """The audit line of a page view (page and its URL parameters), once per change of either."""
    params = {k: v for k, v in st.query_params.to_dict().items() if k != "token"}
    page = page or "/"  # the default page's path is ""
    seen = (page, sorted(params.items()))
    if st.session_state.get("_audit_view") != seen:
        st.session_state["_audit_view"] = seen
        # At most a burst, then a few lines a minute per session (auditlog.Limiter): a tab
        # sending URLs over the websocket cannot flood the log; what was left out is counted.
        limiter = st.session_state.setdefault("_audit_view_limit", auditlog.Limiter())
        allowed, skipped = limiter.take()
        if allowed:
            what = {"page": page, "params": params}
            access.audit(
                "view",
                grant.email,
                {**what, "skipped": skipped} if skipped else what,
                **_sub(),
            )


def outside_province(grant: access.Grant) -> bool:
    """A link asking for a province outside the session's regions: the notice, an audit line,
    and the parameter dropped (so nothing of that province is looked up); True if so."""
    raw = st.query_params.get("province", "")
    if not (raw.isdigit() and len(raw) == 6 and raw.endswith("0000")):
        return False
    if access.province_in_scope(int(raw), grant.regions):
        return False
    # rate-limited like views: a URL flood alternating provinces cannot fill the log either
    limiter = st.session_state.setdefault("_audit_denied_limit", auditlog.Limiter())
    allowed, skipped = limiter.take()
    if allowed:
        what = {"province": int(raw)}
        access.audit(
            "denied", grant.email, {**what, "skipped": skipped} if skipped else what, **_sub()
        )
    del st.query_params["province"]
    st.session_state.pop("province", None)
    st.warning(ui.t("access.outside"))
    return True


def access_panel() -> None:
    """On the Data page: open mode said plainly; for admins, the access list's refused rows and
    the latest audit lines."""
    if not access.login_enabled():
        st.info(ui.t("access.open_mode"))
        return
    grant = access.current()
    if not (grant and grant.is_admin):
        return
    refused_rows()
    reading = auditlog.read(last=AUDIT_ROWS)
    rows = reading.rows[::-1]
    st.subheader(ui.t("access.audit_title", n=len(rows)))
    st.caption(usage_text(auditlog.usage(), reading.skipped))
    if not rows:
        st.caption(ui.t("access.audit_none"))
        return
    frame = pd.DataFrame(
        {
            ui.t("access.audit_time"): [r.get("time") for r in rows],
            ui.t("access.audit_email"): [r.get("email") for r in rows],
            ui.t("access.audit_sub"): [r.get("sub", "") for r in rows],
            ui.t("access.audit_action"): [r.get("action") for r in rows],
            ui.t("access.audit_what"): [_what(r.get("what")) for r in rows],
        }
    )
    ui.table(frame, key="audit", filename="audit")


def refused_rows() -> None:
    """The access list's rows that grant nothing, each with its line and reason (admins only)."""
    found = access.list_report()
    if found.unreadable:
        key, values = found.unreadable
        st.error(ui.t("access.list_unreadable", reason=ui.t(key, **values)))
        return
    if not found.refused:
        return
    st.subheader(ui.t("access.list_refused_title", n=len(found.refused)))
    st.caption(ui.t("access.list_refused_help"))
    frame = pd.DataFrame(
        {
            ui.t("access.list_line"): [r.line for r in found.refused],
            # st.table reads its cells as Markdown: an email would become a mailto link
            ui.t("access.list_reason"): [
                ui.plain(ui.t(f"access.refused.{r.reason}", **r.values)) for r in found.refused
            ],
        }
    )
    st.table(frame, hide_index=True)  # a few rows, each read whole


def usage_text(use: auditlog.Usage, skipped: int = 0) -> str:
    """The audit log's own disk use, for admins: its files, their size, room left, losses."""
    text = ui.t("audit.usage", **auditlog.usage_values(use))
    if use.lost:
        text += " " + ui.t("audit.lost", n=use.lost)
    if skipped:
        text += " " + ui.t("audit.skipped", n=skipped)
    return text


def _sub() -> dict:
    """The signed-in account's sub for an audit line, beside its email ({} for a kiosk)."""
    sub = access.user_sub() if access.login_enabled() else ""
    return {"sub": sub} if sub else {}


def _code(text: str) -> str:
    """An email shown as inline code: Markdown would otherwise make it a mailto link."""
    return "`" + text.replace("`", "") + "`"


def _what(value) -> str:
    import json

    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
