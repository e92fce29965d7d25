"""Cleaning of the free text people type (names and descriptions), and counting things in Dutch words."""

import re

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Mapped

from services.errors import Invalid

_SPACES = re.compile(r"\s+")


def clean_line(raw: str | None, what: str, max_length: int) -> str:
    """One line of text, trimmed and with runs of whitespace collapsed; refuses empty and over-long input."""
    return _checked(_SPACES.sub(" ", raw or "").strip(), what, max_length)


def clean_text(raw: str | None, what: str, max_length: int) -> str:
    """Multi-line text, trimmed; refuses empty and over-long input."""
    return _checked((raw or "").strip(), what, max_length)


def _checked(text: str, what: str, max_length: int) -> str:
    if not text:
        raise Invalid(f"{what} mag niet leeg zijn")
    if len(text) > max_length:
        raise Invalid(f"{what} is te lang (maximaal {max_length} tekens)")
    if "\x00" in text:  # PostgreSQL cannot store it; from a page as much as from the API
        raise Invalid(f"{what} mag geen NUL-teken bevatten")
    return text


def contains(expression: ColumnElement[str] | Mapped[str], needle: str) -> ColumnElement[bool]:
    """SQL: the expression contains the needle; a % or _ someone types is that character, not a wildcard."""
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return expression.like(f"%{escaped}%", escape="\\")


def counted(number: int, singular: str, plural: str) -> str:
    """ "1 regel", "3 regels": a real singular and plural, never "regel(s)"."""
    return f"{number} {singular if number == 1 else plural}"
