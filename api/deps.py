"""Who may call a route and what main built for it (the database, the settings, the RDW lookups, Mollie, the open
streams), as typed dependencies: a route's signature says which roles it admits and what it uses."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Query, Request, status
from pydantic import AfterValidator
from starlette.concurrency import run_in_threadpool

from models import Role
from models.public import MAX_ID, without_nul
from services.auth import SESSION_COOKIE, Credential, Principal, principal_for, recent_principal
from services.booking import BookingThrottles
from services.db import Database
from services.invoicing.mollie import MollieGateway
from services.live import OpenStreams
from services.settings import Settings
from services.vehicles import RdwLookups


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"})


async def get_database(request: Request) -> Database:
    return request.app.state.database  # type: ignore[no-any-return]


DatabaseDep = Annotated[Database, Depends(get_database)]


async def _principal(db: Database, raw: str, kind: Credential) -> Principal | None:
    return recent_principal(db, raw, kind) or await run_in_threadpool(principal_for, db, raw, kind)


async def authenticate(db: Database, authorization: str | None, session_cookie: str | None) -> Principal:
    """A Bearer token (programs) or the session cookie (a logged-in browser); neither is a 401. One checked
    moments ago is known without a database read or a thread (services.auth.RecentPrincipals)."""
    if authorization is not None:
        scheme, _, raw = authorization.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise _unauthorized("Authorization moet 'Bearer <token>' zijn")
        principal = await _principal(db, raw.strip(), "token")
    elif session_cookie:
        principal = await _principal(db, session_cookie, "session")
    else:
        principal = None
    if principal is None:
        raise _unauthorized("Niet ingelogd of ongeldig token")
    return principal


async def current_principal(request: Request, db: DatabaseDep) -> Principal:
    return await authenticate(db, request.headers.get("authorization"), request.cookies.get(SESSION_COOKIE))


def allow(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    async def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:  # no I/O: no thread
        if principal.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"Rol {principal.role.value} mag dit niet")
        return principal

    return check


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def get_rdw(request: Request) -> RdwLookups:
    return request.app.state.rdw  # type: ignore[no-any-return]


def client_address(request: Request) -> str | None:
    """The caller's address; behind nginx the one it forwarded (uvicorn trusts X-Forwarded-For from
    FORWARDED_ALLOW_IPS, default 127.0.0.1: the proxy on the same machine)."""
    return request.client.host if request.client else None


async def admit_lookup(request: Request) -> None:
    """The booking pages' reads, throttled per address (no I/O: on the event loop, no lock needed)."""
    throttles: BookingThrottles = request.app.state.booking_throttles
    throttles.lookups.admit(client_address(request))


async def admit_booking(request: Request) -> None:
    """Bookings made or cancelled, throttled per address."""
    throttles: BookingThrottles = request.app.state.booking_throttles
    throttles.bookings.admit(client_address(request))


async def get_mollie(request: Request) -> MollieGateway | None:
    """None while MOLLIE_API_KEY is unset."""
    return request.app.state.mollie  # type: ignore[no-any-return]


async def get_streams(request: Request) -> OpenStreams:
    return request.app.state.streams  # type: ignore[no-any-return]


AnyRole = Annotated[Principal, Depends(current_principal)]
STAFF = (Role.ADMIN, Role.MONTEUR, Role.MAGAZIJN)
Staff = Annotated[Principal, Depends(allow(*STAFF))]
Admin = Annotated[Principal, Depends(allow(Role.ADMIN))]
Mover = Annotated[Principal, Depends(allow(Role.ADMIN, Role.MONTEUR))]
PartsDesk = Annotated[Principal, Depends(allow(Role.ADMIN, Role.MAGAZIJN))]
Signer = Annotated[Principal, Depends(allow(Role.ADMIN, Role.DISPLAY))]
SettingsDep = Annotated[Settings, Depends(get_settings)]
RdwDep = Annotated[RdwLookups, Depends(get_rdw)]
StreamsDep = Annotated[OpenStreams, Depends(get_streams)]
LookupThrottled = Annotated[None, Depends(admit_lookup)]
BookingThrottled = Annotated[None, Depends(admit_booking)]
MollieDep = Annotated[MollieGateway | None, Depends(get_mollie)]
# An id in a path beyond what the id columns hold cannot be one of ours, and the database must never see it
# (422, not 500); the same goes for a NUL in a search.
DatabaseIdPath = Annotated[int, Path(ge=0, le=MAX_ID)]
SearchText = Annotated[str | None, Query(max_length=200), AfterValidator(without_nul)]
