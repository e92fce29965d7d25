"""A real HTTP server on 127.0.0.1 that answers like Mollie's v2 payments API, so our payment links and webhook
are tested over a socket with Mollie's own client (mollie-api-python), never against Mollie and never a mock.

As Mollie's documentation shows: `POST /v2/payments` (a Bearer `test_`/`live_` key; `amount` as
`{"currency": "EUR", "value": "243.55"}`, a string with exactly two decimals; `description`, `redirectUrl`,
optional `webhookUrl`, `metadata`, `method`) answers 201 with the payment (`status` `open`, `_links.checkout`);
`GET /v2/payments/{id}` the payment, or 404 in Mollie's error shape; every body is `application/hal+json`. The test
plays the customer and Mollie: `pay()` (or `set_status()`: `open`, `paid`, `failed`, `canceled`, `expired`), then
`notify()` posts `id=tr_…` to the payment's webhookUrl as Mollie does. `stop()`/`start()` on the same port make
Mollie unreachable and back."""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import secrets
import socket
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import httpx

from tests.server import free_port

HAL = "application/hal+json"
STATUSES = ("open", "pending", "authorized", "paid", "failed", "canceled", "expired")
_AMOUNT = re.compile(r"^\d{1,9}\.\d{2}$")
_KEY = re.compile(r"^Bearer (live|test)_\w+$")
_DOCS = "https://docs.mollie.com/reference/v2/payments-api/"


@dataclass
class MollieRequest:
    method: str
    path: str
    authorization: str | None
    body: dict[str, Any] | None


def _moment(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _error(status: int, title: str, detail: str, field: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"status": status, "title": title, "detail": detail}
    if field is not None:
        error["field"] = field
    error["_links"] = {"documentation": {"href": f"{_DOCS}create-payment", "type": "text/html"}}
    return error


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, fake: MollieServer, port: int) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", port), _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Mollie's API: stop() must cut the open connections too
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.fake._lock:
            self.server.fake._connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server.fake._lock:
                self.server.fake._connections.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: dict[str, Any] | str, content_type: str = HAL) -> None:
        data = (json.dumps(body) if isinstance(body, dict) else body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> dict[str, Any] | None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return None

    def do_POST(self) -> None:
        body = self._body()
        fake = self.server.fake
        fake._record(MollieRequest("POST", self.path, self.headers.get("Authorization"), body))
        if self.path != "/v2/payments":
            self._send(404, _error(404, "Not Found", "The resource does not exist"))
        elif not _KEY.match(self.headers.get("Authorization", "")):
            self._send(401, _error(401, "Unauthorized Request", "Missing authentication, or failed to authenticate"))
        elif (problem := _invalid(body)) is not None:
            self._send(422, _error(422, "Unprocessable Entity", *problem))
        else:
            assert body is not None
            self._send(201, fake._create(body))

    def do_GET(self) -> None:
        fake = self.server.fake
        fake._record(MollieRequest("GET", self.path, self.headers.get("Authorization"), None))
        if self.path.startswith("/checkout/"):
            payment_id = self.path.removeprefix("/checkout/")
            self._send(200, f"<!doctype html><title>Mollie</title><h1 data-checkout>{payment_id}</h1>", "text/html")
            return
        payment_id = self.path.removeprefix("/v2/payments/")
        if not _KEY.match(self.headers.get("Authorization", "")):
            self._send(401, _error(401, "Unauthorized Request", "Missing authentication, or failed to authenticate"))
        elif (payment := fake.payment(payment_id)) is None:
            self._send(404, _error(404, "Not Found", f"No payment exists with token {payment_id}."))
        else:
            self._send(200, payment)


def _invalid(body: dict[str, Any] | None) -> tuple[str, str] | None:
    """(detail, field) the way Mollie refuses a payment, or None when it would make it."""
    if body is None:
        return "The request body is not valid JSON", "body"
    amount = body.get("amount")
    if not isinstance(amount, dict) or amount.get("currency") != "EUR":
        return "The amount contains an invalid currency", "amount.currency"
    if not isinstance(amount.get("value"), str) or not _AMOUNT.match(amount["value"]):
        return 'The amount value must be a string with two decimals, e.g. "10.00"', "amount.value"
    if not body.get("description"):
        return "The description is invalid", "description"
    if not body.get("redirectUrl"):
        return "The redirect URL is invalid", "redirectUrl"
    return None


class MollieServer:
    """`with MollieServer() as mollie:`; `mollie.env` points a Werkplaats server at it."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.requests: list[MollieRequest] = []
        self._payments: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._server: _Server | None = None
        self._connections: set[socket.socket] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {"MOLLIE_API_KEY": "test_werkplaatsTestSleutel1234", "MOLLIE_API_BASE": self.url}

    def start(self) -> MollieServer:
        self._server = _Server(self, self.port)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Mollie unreachable: connections are refused until start()."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        with self._lock:
            open_connections, self._connections = list(self._connections), set()
        for connection in open_connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> MollieServer:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()

    def _record(self, request: MollieRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _create(self, body: dict[str, Any]) -> dict[str, Any]:
        payment_id = f"tr_{secrets.token_hex(5)}{next(self._ids)}"
        now = datetime.now(UTC)
        payment = {
            "resource": "payment",
            "id": payment_id,
            "mode": "test",
            "createdAt": _moment(now),
            "amount": body["amount"],
            "description": body["description"],
            "method": None,
            "metadata": body.get("metadata"),
            "status": "open",
            "isCancelable": False,
            "expiresAt": _moment(now + timedelta(minutes=15)),
            "profileId": "pfl_QkEhN94Ba",
            "sequenceType": "oneoff",
            "redirectUrl": body["redirectUrl"],
            "webhookUrl": body.get("webhookUrl"),
            "locale": body.get("locale"),
            "_links": {
                "self": {"href": f"{self.url}/v2/payments/{payment_id}", "type": HAL},
                "checkout": {"href": f"{self.url}/checkout/{payment_id}", "type": "text/html"},
                "dashboard": {"href": f"https://my.mollie.com/dashboard/payments/{payment_id}", "type": "text/html"},
                "documentation": {"href": f"{_DOCS}create-payment", "type": "text/html"},
            },
        }
        with self._lock:
            self._payments[payment_id] = payment
        return payment

    def payment(self, payment_id: str) -> dict[str, Any] | None:
        with self._lock:
            found = self._payments.get(payment_id)
            return None if found is None else json.loads(json.dumps(found))

    def created(self) -> list[dict[str, Any]]:
        """The bodies of every POST /v2/payments, in order."""
        with self._lock:
            return [r.body for r in self.requests if r.method == "POST" and r.body is not None]

    def set_status(self, payment_id: str, status: str, method: str = "ideal") -> None:
        assert status in STATUSES
        with self._lock:
            payment = self._payments[payment_id]
            payment["status"] = status
            if status != "open":  # only an open payment can still be paid at its checkout
                payment["_links"].pop("checkout", None)
            if status == "paid":
                payment["method"] = method
                payment["paidAt"] = _moment(datetime.now(UTC))
                payment["details"] = {"consumerName": "T. Klant", "consumerAccount": "NL53INGB0654422370",
                                      "consumerBic": "INGBNL2A"}  # fmt: skip
                value = payment["amount"]["value"]
                payment["amountRemaining"] = {"value": value, "currency": payment["amount"]["currency"]}

    def pay(self, payment_id: str, method: str = "ideal") -> None:
        """The customer paid at the checkout."""
        self.set_status(payment_id, "paid", method)

    def tamper(self, payment_id: str, **fields: Any) -> None:
        """Change what Mollie says of a payment (an amount or metadata we never asked for)."""
        with self._lock:
            self._payments[payment_id].update(fields)

    def notify(self, payment_id: str, webhook_url: str | None = None) -> httpx.Response:
        """What Mollie does after a status change: POST id=tr_… to the payment's webhookUrl, form-encoded."""
        url = webhook_url or (self.payment(payment_id) or {}).get("webhookUrl")
        assert url, f"payment {payment_id} has no webhookUrl"
        return httpx.post(url, data={"id": payment_id}, timeout=15)

    def newest(self) -> str:
        """The id of the payment made last."""
        with self._lock:
            return list(self._payments)[-1]
