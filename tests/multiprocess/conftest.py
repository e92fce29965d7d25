"""A throwaway PostgreSQL database per test run, and several server processes on it."""

from collections.abc import Iterator

import psycopg
import pytest

from tests.pages.conftest import browser, playwright  # noqa: F401  (the real-browser fixtures)
from tests.postgres import throwaway_database
from tests.server import Server


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
