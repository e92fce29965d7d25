"""Who is asking: staff passwords, API/device tokens and browser sessions, all stored only as hashes."""

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Literal

from sqlmodel import select

from models import ApiToken, LoginSession, Role, User
from services.clock import utcnow
from services.db import read_session, write_transaction
from services.errors import Conflict, Invalid
from services.text import clean_line

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
SESSION_COOKIE = "werkplaats_sessie"  # HttpOnly cookie of a logged-in browser or paired iPad


@dataclass(frozen=True)
class Principal:
    """The person or program behind a request."""

    name: str
    role: Role


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


def create_user(name: str, role: str, password: str) -> User:
    name = clean_line(name, "Gebruikersnaam", 100)
    parsed = parse_role(role)
    if len(password) < 8:
        raise Invalid("Wachtwoord moet minstens 8 tekens hebben")
    with write_transaction() as session:
        if session.exec(select(User).where(User.name == name)).first():
            raise Conflict(f"Gebruiker {name} bestaat al")
        user = User(name=name, role=parsed.value, password_hash=hash_password(password), created_at=utcnow())
        session.add(user)
        return user


def create_token(name: str, role: str) -> str:
    """A new API/device token; the raw value is returned once and never stored."""
    name = clean_line(name, "Naam", 100)
    parsed = parse_role(role)
    raw = "wp_" + secrets.token_urlsafe(32)
    with write_transaction() as session:
        session.add(ApiToken(name=name, role=parsed.value, token_hash=_token_hash(raw), created_at=utcnow()))
    return raw


class RecentPrincipals:
    """Who a token or session hash stood for, for a few seconds: a busy client's next request needs no database
    read, and no thread to do it in (about a millisecond of server CPU per request on this machine). Only
    found principals are kept, at most `size`; logging out forgets the session at once in this process."""

    def __init__(self, seconds: float = 10.0, size: int = 10_000) -> None:
        self.seconds = seconds
        self.size = size
        self._entries: dict[str, tuple[float, Principal]] = {}

    def get(self, key: str) -> Principal | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] <= time.monotonic():
            return None
        return entry[1]

    def put(self, key: str, principal: Principal) -> None:
        if len(self._entries) >= self.size:
            now = time.monotonic()
            self._entries = {k: e for k, e in self._entries.items() if e[0] > now}
            if len(self._entries) >= self.size:
                del self._entries[next(iter(self._entries))]  # the oldest
        self._entries[key] = (time.monotonic() + self.seconds, principal)

    def forget(self, key: str) -> None:
        self._entries.pop(key, None)


recent_principals = RecentPrincipals()
Credential = Literal["token", "session"]  # an API/device token, or a browser's session cookie


def _remembered_as(kind: Credential, digest: str) -> str:
    return f"{kind}:{digest}"


def recent_principal(raw: str, kind: Credential) -> Principal | None:
    """The principal if it was checked against the database moments ago; no I/O, so fine on the event loop."""
    return recent_principals.get(_remembered_as(kind, _token_hash(raw)))


def principal_for(raw: str, kind: Credential) -> Principal | None:
    """Who a token or session cookie stands for, read from the database (and remembered), None if nobody."""
    digest = _token_hash(raw)
    with read_session() as session:
        row: ApiToken | LoginSession | None
        if kind == "token":
            row = session.exec(select(ApiToken).where(ApiToken.token_hash == digest)).first()
        else:
            row = session.exec(select(LoginSession).where(LoginSession.token_hash == digest)).first()
        principal = Principal(row.name, Role(row.role)) if row else None
    if principal is not None:
        recent_principals.put(_remembered_as(kind, digest), principal)
    return principal


def _open_session(name: str, role: str, user_id: int | None = None, api_token_id: int | None = None) -> str:
    raw = secrets.token_urlsafe(32)
    login = LoginSession(
        token_hash=_token_hash(raw),
        name=name,
        role=role,
        user_id=user_id,
        api_token_id=api_token_id,
        created_at=utcnow(),
    )
    with write_transaction() as session:
        session.add(login)
    return raw


def log_in(name: str, password: str) -> str | None:
    """A new browser session for a correct name and password, else None (and nothing is written)."""
    with read_session() as session:
        user = session.exec(select(User).where(User.name == name.strip())).first()
    if user is None or not verify_password(password, user.password_hash):
        return None
    return _open_session(user.name, user.role, user_id=user.id)


def pair_display(raw_token: str) -> str | None:
    """The iPad opens /display?token=T once: a display token becomes a lasting browser session."""
    with read_session() as session:
        token = session.exec(select(ApiToken).where(ApiToken.token_hash == _token_hash(raw_token))).first()
    if token is None or token.role != Role.DISPLAY.value:
        return None
    return _open_session(token.name, token.role, api_token_id=token.id)


def log_out(raw: str) -> None:
    digest = _token_hash(raw)
    recent_principals.forget(_remembered_as("session", digest))
    with write_transaction() as session:
        login = session.exec(select(LoginSession).where(LoginSession.token_hash == digest)).first()
        if login is not None:
            session.delete(login)
