"""A row found by the secret token of a link (a status page, a booking, a reminder): a known and an unknown token
take the same path, one indexed read and then a constant-time comparison."""

import secrets
from typing import TypeVar

from sqlmodel import Session, SQLModel, select

T = TypeVar("T", bound=SQLModel)
# Never a token (token_urlsafe uses letters, digits, - and _): what a malformed one is looked up as, so every
# request runs the same query.
_NO_TOKEN = "!" * 32


def by_token(session: Session, model: type[T], field: str, token: str) -> T | None:
    """The row of `model` whose `field` is `token`, or None."""
    usable = token if 16 <= len(token) <= 64 and token.isascii() and token.isprintable() else _NO_TOKEN
    row = session.exec(select(model).where(getattr(model, field) == usable)).first()
    if row is None or not secrets.compare_digest(str(getattr(row, field) or "").encode(), usable.encode()):
        return None
    return row
