"""Fixtures of the API tests that need a real SMTP server beside ours."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROLES, Shop
from tests.server import Server
from tests.smtp_server import SmtpServer

FAST = {"MAIL_RETRY_SECONDS": "0.2", "MAIL_MAX_ATTEMPTS": "3", "MAIL_TIMEOUT_SECONDS": "2"}


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture(scope="module")
def garage(smtp: SmtpServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    """A server that sends its e-mail to `smtp`, with a client per role."""
    database = Path(tmp_path_factory.mktemp("mail")) / "werkplaats.db"
    server = Server(f"sqlite:///{database}", env={**smtp.env, **FAST})
    tokens = {role: server.token(role) for role in ROLES}
    with server:
        clients = {role: server.client(token) for role, token in tokens.items()}
        yield Shop(server, tokens, clients)
        for client in clients.values():
            client.close()
