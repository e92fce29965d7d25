"""Who is asking: staff passwords, API/device tokens and browser sessions, all stored only as hashes."""

import hashlib
import hmac
import logging
import math
import secrets
from datetime import datetime, timedelta
from functools import cache
from typing import Literal

from sqlmodel import Session, col, delete, select

from models import ApiToken, LoginFailure, LoginSession, Role, User
from services.clock import as_utc, utcnow
from services.db import Database
from services.errors import Conflict, Invalid, ServiceError
from services.principals import Principal
from services.text import clean_line, counted

log = logging.getLogger(__name__)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
SESSION_COOKIE = "werkplaats_sessie"  # HttpOnly cookie of a logged-in browser or paired iPad
MAX_LOGIN_FAILURES = 10  # wrong passwords for one name within LOGIN_WINDOW; then it waits
LOGIN_WINDOW = timedelta(minutes=15)


def parse_role(raw: str) -> Role:
    try:
        return Role(raw)
    except ValueError:
        raise Invalid(f"Onbekende rol {raw!r}; kies uit {', '.join(r.value for r in Role)}") from None


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), **_SCRYPT)
    return scheme == "scrypt" and hmac.compare_digest(candidate.hex(), digest)


def _token_hash(raw: str) -> str:
    """Tokens are 256 random bits, so one SHA-256 is enough to make the stored value useless."""
    return hashlib.sha256(raw.encode()).hexdigest()


def create_user(db: Database, name: str, role: str, password: str) -> User:
    name = clean_line(name, "Gebruikersnaam", 100)
    parsed = parse_role(role)
    if len(password) < 8:
        raise Invalid("Wachtwoord moet minstens 8 tekens hebben")
    with db.write() as session:
        if session.exec(select(User).where(User.name == name)).first():
            raise Conflict(f"Gebruiker {name} bestaat al")
        user = User(name=name, role=parsed.value, password_hash=hash_password(password), created_at=utcnow())
        session.add(user)
        return user


def create_token(db: Database, name: str, role: str) -> str:
    """A new API/device token; the raw value is returned once and never stored."""
    name = clean_line(name, "Naam", 100)
    parsed = parse_role(role)
    raw = "wp_" + secrets.token_urlsafe(32)
    with db.write() as session:
        session.add(ApiToken(name=name, role=parsed.value, token_hash=_token_hash(raw), created_at=utcnow()))
    return raw


Credential = Literal["token", "session"]  # an API/device token, or a browser's session cookie


def _remembered_as(kind: Credential, digest: str) -> str:
    return f"{kind}:{digest}"


def recent_principal(db: Database, raw: str, kind: Credential) -> Principal | None:
    """The principal if it was checked against the database moments ago; no I/O, so fine on the event loop."""
    return db.principals.get(_remembered_as(kind, _token_hash(raw)))


def principal_for(db: Database, raw: str, kind: Credential) -> Principal | None:
    """Who a token or session cookie stands for, read from the database (and remembered), None if nobody."""
    digest = _token_hash(raw)
    with db.read() as session:
        row: ApiToken | LoginSession | None
        if kind == "token":
            row = session.exec(select(ApiToken).where(ApiToken.token_hash == digest)).first()
        else:
            row = session.exec(select(LoginSession).where(LoginSession.token_hash == digest)).first()
        principal = Principal(row.name, Role(row.role)) if row else None
    if principal is not None:
        db.principals.put(_remembered_as(kind, digest), principal)
    return principal


def _open_session(
    db: Database, name: str, role: str, user_id: int | None = None, api_token_id: int | None = None
) -> str:
    raw = secrets.token_urlsafe(32)
    login = LoginSession(
        token_hash=_token_hash(raw),
        name=name,
        role=role,
        user_id=user_id,
        api_token_id=api_token_id,
        created_at=utcnow(),
    )
    with db.write() as session:
        session.add(login)
    return raw


class LoginThrottled(ServiceError):
    """Too many wrong passwords for one name: this attempt was refused without looking at its password."""

    status_code = 429


@cache
def _stand_in_hash() -> str:
    """Checked for a name without an account, so that it takes as long as a wrong password: no enumeration."""
    return hash_password(secrets.token_urlsafe(16))


def _recent_failures(session: Session, name: str, now: datetime) -> list[datetime]:
    """The newest failures of a name within the window, at most as many as it takes to be throttled."""
    return [
        as_utc(failed_at)
        for failed_at in session.exec(
            select(LoginFailure.failed_at)
            .where(LoginFailure.name == name, col(LoginFailure.failed_at) > now - LOGIN_WINDOW)
            .order_by(col(LoginFailure.failed_at).desc())
            .limit(MAX_LOGIN_FAILURES)
        )
    ]


def _minutes(wait: timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return counted(minutes, "minuut", "minuten")


def _record_failure(db: Database, name: str, client: str | None, now: datetime) -> None:
    with db.write() as session:
        session.add(LoginFailure(name=name, failed_at=now, client=client and client[:100]))
        # Nothing older than the window is ever asked for again, whichever name it was for.
        session.exec(delete(LoginFailure).where(col(LoginFailure.failed_at) <= now - LOGIN_WINDOW))  # type: ignore[call-overload]


def _forget_failures(db: Database, name: str) -> None:
    with db.write() as session:
        session.exec(delete(LoginFailure).where(col(LoginFailure.name) == name))  # type: ignore[call-overload]


def log_in(db: Database, name: str, password: str, client: str | None = None) -> str | None:
    """A new browser session for a correct name and password, else None (only the failure is written, and
    logged with the caller's address `client`). After MAX_LOGIN_FAILURES wrong passwords for one name within
    LOGIN_WINDOW every attempt for it is refused with LoginThrottled, right password or not, until the window
    has passed; a success forgets the failures. Unknown names count the same way: no account enumeration."""
    name = name.strip()
    key = name[:100]  # the longest account name: a longer one is no account, but it is throttled all the same
    now = utcnow()
    with db.read() as session:
        failures = _recent_failures(session, key, now)
        user = session.exec(select(User).where(User.name == name)).first()
    if len(failures) >= MAX_LOGIN_FAILURES:
        wait = failures[-1] + LOGIN_WINDOW - now
        log.warning("login refused for %r from %s: too many failed attempts", key, client or "?")
        raise LoginThrottled(f"Te veel mislukte pogingen voor {key}; probeer het over {_minutes(wait)} opnieuw")
    correct = verify_password(password, user.password_hash if user else _stand_in_hash())  # as slow either way
    if user is None or not correct:
        _record_failure(db, key, client, now)
        log.warning("login failed for %r from %s (%d of %d)", key, client or "?", len(failures) + 1, MAX_LOGIN_FAILURES)
        return None
    if failures:
        _forget_failures(db, key)
    return _open_session(db, user.name, user.role, user_id=user.id)


def pair_display(db: Database, raw_token: str) -> str | None:
    """The iPad opens /display?token=T once: a display token becomes a lasting browser session."""
    with db.read() as session:
        token = session.exec(select(ApiToken).where(ApiToken.token_hash == _token_hash(raw_token))).first()
    if token is None or token.role != Role.DISPLAY.value:
        return None
    return _open_session(db, token.name, token.role, api_token_id=token.id)


def log_out(db: Database, raw: str) -> None:
    digest = _token_hash(raw)
    db.principals.forget(_remembered_as("session", digest))
    with db.write() as session:
        login = session.exec(select(LoginSession).where(LoginSession.token_hash == digest)).first()
        if login is not None:
            session.delete(login)
