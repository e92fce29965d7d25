"""A server of its own for the planning tests, whose clock starts on Monday 7 December 2026, 10:00 at the shop
(tests/clock.py), with the shop's settings, mechanics jan, fatima and pieter, and clients per role."""

import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.api.billing import SHOP_SETTINGS, expect
from tests.clock import ServerClock
from tests.conftest import ROLES, Shop
from tests.server import Server, seed_account

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # Monday, 10:00 in Amsterdam
TODAY = date(2026, 12, 7)
MECHANICS = ("fatima", "jan", "pieter")


def timed_server(database_url: str, now: datetime = NOW, **env: str) -> Server:
    clock = ServerClock(Path(tempfile.mkdtemp(prefix="werkplaats-clock-")) / "clock", now)
    return Server(database_url, env=env, clock=clock)


def open_day_shop(database_url: str, **env: str) -> Iterator[Shop]:
    """`env`: more of the server's settings (an SMTP server's, the RDW's)."""
    server = timed_server(database_url, NOW, **env)
    tokens = {role: server.token(role) for role in ROLES}
    for name in MECHANICS:
        seed_account(database_url, name, "monteur", f"geheim-{name}-123")
    with server:
        clients = {role: server.client(token) for role, token in tokens.items()}
        expect(clients["admin"].put("/api/settings/shop", json=SHOP_SETTINGS), 200)
        yield Shop(server, tokens, clients)
        for client in clients.values():
            client.close()


def _day_shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    yield from open_day_shop(f"sqlite:///{tmp_path_factory.mktemp('planning') / 'werkplaats.db'}")


def day_shop_fixture():  # type: ignore[no-untyped-def]
    """`day_shop = day_shop_fixture()` in a test module: one such server for the module's tests."""
    return pytest.fixture(scope="module", name="day_shop")(_day_shop)
