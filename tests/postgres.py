"""Throwaway PostgreSQL databases for the tests that need the real thing (several processes, the fuzzer, the
upgrade): the local server (trust auth) or WERKPLAATS_TEST_POSTGRES. A missing PostgreSQL fails, never skips."""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

ADMIN_URL = os.environ.get("WERKPLAATS_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def _host_part(url: str) -> str:
    return url.rsplit("/", 1)[0]


@contextmanager
def throwaway_database() -> Iterator[str]:
    """postgresql+psycopg://… of a fresh database of its own, dropped afterwards."""
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:  # a missing part fails, never skips
        pytest.fail(f"PostgreSQL is required on 127.0.0.1:5432 (or WERKPLAATS_TEST_POSTGRES): {error}")
    name = f"werkplaats_test_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{_host_part(ADMIN_URL).replace('postgresql://', 'postgresql+psycopg://')}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
