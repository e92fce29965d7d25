"""A throwaway PostgreSQL database per test run, and several server processes on it."""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

from tests.pages.conftest import browser, playwright  # noqa: F401  (the real-browser fixtures)
from tests.server import Server

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


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """The database the cluster of this test run shares."""
    with throwaway_database() as url:
        yield url


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture(scope="session")
def cluster(pg_url: str) -> Iterator[list[Server]]:
    """Three server processes (A, B, C) on one database."""
    servers = [Server(pg_url) for _ in range(3)]
    servers[0].start()  # the first one creates the schema
    for server in servers[1:]:
        server.start()
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def pg_token(cluster: list[Server]) -> str:
    return cluster[0].token("admin")


def committed_ids(pg_url: str, after: int) -> list[int]:
    """What the log holds after a cursor: the truth every client must have received."""
    with psycopg.connect(libpq(pg_url)) as connection:
        rows = connection.execute(
            "SELECT id FROM event_log WHERE id > %s AND kind = 'workorder-update' ORDER BY id", (after,)
        ).fetchall()
    return [row[0] for row in rows]
