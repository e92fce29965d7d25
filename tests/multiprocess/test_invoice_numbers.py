"""Invoice numbers from three server processes on one PostgreSQL database, 50 concurrent requests each: every
order invoiced exactly once (its second request a 409), the numbers of the year consecutive from 0001, no gap,
no duplicate."""

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.api.billing import SHOP_SETTINGS
from tests.server import Server

ORDERS = 75  # each asked for twice, from two processes: 150 requests, 50 per process


def _finished_order(client: httpx.Client, index: int) -> int:
    body = {"customerName": f"Klant {index}", "licensePlate": "PG002X", "description": "Beurt"}
    order_id = int(client.post("/api/workorders", json=body).json()["id"])
    part = {"description": "Oliefilter", "quantity": 1, "unitPriceCents": 1000 + index}
    assert client.post(f"/api/workorders/{order_id}/parts", json=part).status_code == 201
    assert client.patch(f"/api/workorders/{order_id}/column", json={"column": "Klaar"}).status_code == 200
    return order_id


def test_three_processes_invoicing_at_once_give_consecutive_numbers(cluster: list[Server], pg_token: str) -> None:
    clients = [server.client(pg_token) for server in cluster]
    try:
        assert clients[0].put("/api/settings/shop", json=SHOP_SETTINGS).status_code == 200
        with ThreadPoolExecutor(10) as pool:
            orders = list(pool.map(lambda i: _finished_order(clients[i % 3], i), range(ORDERS)))
        requests = [(clients[i % 3], order) for i, order in enumerate(orders)]
        requests += [(clients[(i + 1) % 3], order) for i, order in enumerate(orders)]

        def invoice(request: tuple[httpx.Client, int]) -> httpx.Response:
            client, order = request
            return client.post(f"/api/workorders/{order}/invoice")

        with ThreadPoolExecutor(150) as pool:
            responses = list(pool.map(invoice, requests))
        issued = [r.json() for r in responses if r.status_code == 201]
        assert sorted(r.status_code for r in responses) == [201] * ORDERS + [409] * ORDERS
        assert sorted(i["workOrderId"] for i in issued) == sorted(orders)  # each order once
        year = issued[0]["number"][:4]
        listed = clients[2].get(f"/api/invoices?year={year}").json()
        numbers = [invoice["number"] for invoice in listed]
        assert numbers == [f"{year}-{n:04d}" for n in range(1, len(numbers) + 1)]  # no gap, no duplicate
        assert sorted(i["number"] for i in issued) == numbers[-ORDERS:] and len(numbers) == ORDERS
    finally:
        for client in clients:
            client.close()
