"""Why a service refused a request. The API maps each to its status code; pages show the message."""

from collections.abc import Callable, Mapping
from typing import TypeVar

T = TypeVar("T")
V = TypeVar("V")


class ServiceError(Exception):
    """A refused request: nothing was changed and no event was written."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    status_code = 404


class Conflict(ServiceError):
    status_code = 409


class Precondition(ServiceError):
    """409 like a Conflict, but not someone else's change: the step waits for something to be done first (a
    mileage before Afgerond), so a page says this reason rather than "someone else was first"."""

    status_code = 409


class Invalid(ServiceError):
    status_code = 422

    def __init__(self, message: str, field: str | None = None, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.field = field  # the input it is about, for a form to show it there
        self.fields = fields or ({field: message} if field else {})  # every input at fault, each with its message


def clean_fields(cleaners: Mapping[str, Callable[[T], V]], raw: Mapping[str, T]) -> dict[str, V]:
    """Each given field through its cleaner; every bad one is refused in the same Invalid, so a form shows all of
    them at once instead of one per save."""
    cleaned: dict[str, V] = {}
    problems: dict[str, str] = {}
    for name, value in raw.items():
        try:
            cleaned[name] = cleaners[name](value)
        except Invalid as error:
            problems[name] = error.message
    if problems:
        field = next(iter(problems)) if len(problems) == 1 else None
        raise Invalid("; ".join(problems.values()), field=field, fields=problems)
    return cleaned


class TooLarge(ServiceError):
    status_code = 413


class Forbidden(ServiceError):
    status_code = 403


class Unavailable(ServiceError):
    status_code = 503
