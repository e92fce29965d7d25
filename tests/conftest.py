"""Shared fixtures: one real server for the API tests, tokens for every role, helpers to make work orders."""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from services.db import Database
from tests.server import Server
from tests.sse import SSEClient

ROLES = ("admin", "monteur", "magazijn", "display")
_plates = itertools.count(100)


@dataclass
class Shop:
    """The shared server with one API client per role."""

    server: Server
    tokens: dict[str, str]
    clients: dict[str, httpx.Client]

    @property
    def admin(self) -> httpx.Client:
        return self.clients["admin"]

    def stream(self, role: str = "admin", query: str = "", **headers: str) -> SSEClient:
        return SSEClient(self.server.url, self.tokens[role], f"/api/workorders/stream{query}", **headers)

    def create(self, customer: str = "Test Klant", description: str = "Kleine beurt") -> dict:
        response = self.admin.post(
            "/api/workorders",
            json={
                "customerName": customer,
                "licensePlate": f"TS-{next(_plates):03d}-X",
                "description": description,
            },
        )
        assert response.status_code == 201, response.text
        return response.json()


def shared_shop(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Shop]:
    """A server that a whole test session shares, with a client per role."""
    database = Path(tmp_path_factory.mktemp(name)) / "werkplaats.db"
    server = Server(f"sqlite:///{database}")
    tokens = {role: server.token(role) for role in ROLES}
    server.start()
    clients = {role: server.client(token) for role, token in tokens.items()}
    yield Shop(server, tokens, clients)
    for client in clients.values():
        client.close()
    server.stop()


@pytest.fixture(scope="session")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    yield from shared_shop(tmp_path_factory, "shop")


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    """A database of the test's own, for tests that call the services in-process."""
    with Database.opened(f"sqlite:///{tmp_path / 'werkplaats.db'}") as database:
        yield database


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[Server]:
    """A server of the test's own, for restarts and settings the shared one must not have."""
    server = Server(f"sqlite:///{tmp_path / 'werkplaats.db'}")
    yield server
    if server.process is not None and server.process.poll() is None:
        server.stop()


def assert_no_event_between(shop: Shop, refused) -> None:  # type: ignore[no-untyped-def]
    """Runs the refused call with a stream open; the next event must be a later sentinel change."""
    with shop.stream() as stream:
        connected = stream.next().json
        refused()
        sentinel = shop.create(customer="Sentinel")
        event = stream.next().json
        assert event["changeType"] == "created" and event["workOrderId"] == sentinel["id"], (
            f"an event was emitted by a refused request: {event} (stream started at {connected})"
        )
