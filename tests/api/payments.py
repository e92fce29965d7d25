"""Shortcuts for the payment tests and bench: a server that takes payments through the Mollie-shaped server (its
PUBLIC_URL its own address, so that server's webhook calls reach it), and an invoiced order."""

import itertools
from pathlib import Path

import httpx

from tests.api.billing import SHOP_SETTINGS, expect
from tests.mollie_server import MollieServer
from tests.server import Server, free_port

_plates = itertools.count(1)


def paying_server(database_url: str, mollie: MollieServer, env: dict[str, str] | None = None) -> Server:
    """Not started; Mollie calls its webhook at PUBLIC_URL, which is this server."""
    port = free_port()
    env = {**(env or {}), **mollie.env, "PUBLIC_URL": f"http://127.0.0.1:{port}"}
    return Server(database_url, env=env, port=port)


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'werkplaats.db'}"


def complete_settings(admin: httpx.Client) -> None:
    expect(admin.put("/api/settings/shop", json=SHOP_SETTINGS), 200)


def invoiced(admin: httpx.Client, cents: int = 10_000, email: str | None = None) -> tuple[dict, dict]:
    """(work order, invoice): one part of `cents` excl. VAT (10 000: € 121,00 incl.), Klaar, invoiced (the shop's
    details set first: complete_settings)."""
    body = {"customerName": "Fam. Betaal", "licensePlate": f"BT-{next(_plates):03d}-K", "description": "Remmen"}
    if email is not None:
        body["customerEmail"] = email
    order = expect(admin.post("/api/workorders", json=body), 201).json()
    part = {"description": "Remschijven", "quantity": 1, "unitPriceCents": cents}
    expect(admin.post(f"/api/workorders/{order['id']}/parts", json=part), 201)
    expect(admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Klaar"}), 200)
    invoice = expect(admin.post(f"/api/workorders/{order['id']}/invoice"), 201).json()
    return order, invoice


def pay_link(admin: httpx.Client, invoice: dict, mollie: MollieServer) -> str:
    """Makes a payment link; the id of the Mollie payment behind it."""
    link = expect(admin.post(f"/api/invoices/{invoice['id']}/payment-link"), 201).json()
    payment_id = mollie.newest()
    assert link["paymentUrl"] == f"{mollie.url}/checkout/{payment_id}"
    return payment_id


def invoice_now(admin: httpx.Client, invoice: dict) -> dict:
    return expect(admin.get(f"/api/invoices/{invoice['id']}"), 200).json()  # type: ignore[no-any-return]
