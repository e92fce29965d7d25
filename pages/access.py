"""Who is looking at a page: the session cookie, the login hand-off and log-out.

Passwords are checked over the page's websocket, which cannot set cookies; a single-use ticket, valid for
30 seconds and kept in this process (pages.state.LoginTickets), is exchanged for the HttpOnly cookie by one plain
HTTP redirect.
"""

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse

from models import Role
from pages.state import database, tickets
from pages.theme import HOME_BY_ROLE
from services import auth
from services.auth import SESSION_COOKIE, Principal

COOKIE_MAX_AGE = 60 * 60 * 24 * 90  # a workshop tablet stays logged in for a season


def principal_of(request: Request) -> Principal | None:
    raw = request.cookies.get(SESSION_COOKIE)
    return auth.principal_for(database(), raw, "session") if raw else None


def safe_next(target: str | None) -> str | None:
    """Only paths on this site: no //host or scheme tricks."""
    return target if target and target.startswith("/") and not target.startswith("//") else None


def login_redirect(request: Request) -> RedirectResponse:
    target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return RedirectResponse(f"/login?next={target}", status_code=303)


def require(request: Request, *roles: Role) -> Principal | RedirectResponse:
    """The principal, or where to send the browser instead (log in, or the display's own page)."""
    principal = principal_of(request)
    if principal is None:
        return login_redirect(request)
    if principal.role not in roles:
        return RedirectResponse(HOME_BY_ROLE[principal.role], status_code=303)
    return principal


def with_session_cookie(response: RedirectResponse, session_token: str, request: Request) -> RedirectResponse:
    response.set_cookie(
        SESSION_COOKIE,
        session_token,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


def complete_login(request: Request, ticket: str = "", next: str = "/") -> RedirectResponse:
    session_token = tickets().redeem(ticket)
    if session_token is None:
        return RedirectResponse("/login", status_code=303)
    return with_session_cookie(RedirectResponse(safe_next(next) or "/", status_code=303), session_token, request)


def log_out(request: Request) -> RedirectResponse:
    raw = request.cookies.get(SESSION_COOKIE)
    if raw:
        auth.log_out(database(), raw)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
