"""Mollie's webhook with two processes on one PostgreSQL database: Mollie retries, and a load balancer sends the
calls to either process, all at once — the payment is recorded once, with one `payment` event."""

import threading

import httpx

from tests.api.payments import complete_settings, invoice_now, invoiced, pay_link, paying_server
from tests.mollie_server import MollieServer

WEBHOOK = "/api/payments/mollie/webhook"


def test_five_webhooks_at_each_of_two_processes_record_one_payment(pg_url: str) -> None:
    with MollieServer() as mollie:
        servers = [paying_server(pg_url, mollie) for _ in range(2)]
        token = servers[0].token("admin")
        for server in servers:
            server.start()
        try:
            with servers[0].client(token) as admin:
                complete_settings(admin)
                order, invoice = invoiced(admin)
                payment_id = pay_link(admin, invoice, mollie)
                mollie.pay(payment_id)
                answers: list[int] = []
                start = threading.Barrier(10)

                def call(url: str) -> None:
                    start.wait()
                    answers.append(httpx.post(f"{url}{WEBHOOK}", data={"id": payment_id}, timeout=30).status_code)

                calls = [threading.Thread(target=call, args=(server.url,)) for server in servers for _ in range(5)]
                for thread in calls:
                    thread.start()
                for thread in calls:
                    thread.join()
                assert answers == [200] * 10
                now = invoice_now(admin, invoice)
                history = admin.get(f"/api/workorders/{order['id']}/events").json()
        finally:
            for server in servers:
                server.stop()
    assert (now["status"], [p["providerId"] for p in now["payments"]]) == ("betaald", [payment_id])
    assert [e["action"] for e in history if e["changeType"] == "payment"] == ["link", "paid"]
