"""A real SMTP server for the tests and benches (aiosmtpd on 127.0.0.1): it keeps what it accepted, parsed with
the email package, and can be stopped and started on the same port, refuse a recipient for good, or hold a
message before its answer until the test lets go."""

from __future__ import annotations

import asyncio
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from types import TracebackType
from typing import Any, cast

from aiosmtpd.controller import Controller

from tests.server import free_port

REFUSED_DOMAIN = "geweigerd.example"  # RCPT to an address here is answered 550: refused for good


class Inbox:
    """The aiosmtpd handler: what was accepted (a 250 was sent), in order. Kept as received and parsed when
    asked (the email package takes tens of milliseconds a message: it would be the bottleneck of a bench)."""

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.lock = threading.Lock()
        self.held = threading.Event()  # set while a message waits in DATA for `release`
        self.release: threading.Event | None = None  # when set: hold the next message until it is set

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.endswith(f"@{REFUSED_DOMAIN}"):
            return "550 5.1.1 Onbekende ontvanger"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if (release := self.release) is not None:
            self.release = None
            self.held.set()
            await asyncio.get_running_loop().run_in_executor(None, release.wait)
            # The sender is gone (the test killed it) before this server said 250: like any MTA, this server
            # never accepted the message, so it is not kept.
            return "451 4.3.0 Verbinding verbroken voor het antwoord"
        with self.lock:
            self.received.append(envelope.content)
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        """Not a property: aiosmtpd reads every attribute of its handler (inspect.getmembers) per connection."""
        with self.lock:
            received = list(self.received)
        return [cast(EmailMessage, message_from_bytes(raw, policy=policy.default)) for raw in received]

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def by_message_id(self) -> dict[str, int]:
        """How often each Message-ID arrived: a duplicate shows as 2."""
        with self.lock:
            received = list(self.received)
        counts: dict[str, int] = {}
        for raw in received:
            message_id = str(BytesHeaderParser().parsebytes(raw)["Message-ID"])
            counts[message_id] = counts.get(message_id, 0) + 1
        return counts


class SmtpServer:
    """`with SmtpServer() as smtp:`; `smtp.env` is what a Werkplaats server needs to send to it."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    @property
    def env(self) -> dict[str, str]:
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(self.port), "SMTP_STARTTLS": "false",
                "MAIL_FROM": "werkplaats@garage.example", "PUBLIC_URL": "https://garage.example"}  # fmt: skip

    def start(self) -> SmtpServer:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()
