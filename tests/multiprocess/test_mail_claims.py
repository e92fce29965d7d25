"""The outbox with several processes on one PostgreSQL database: every e-mail is sent once, by one process,
whichever process queued it, although every process's sender wakes for every queued e-mail."""

import httpx

from tests.server import Server, wait_until
from tests.smtp_server import SmtpServer

ORDERS = 24


def test_two_senders_never_both_send_one(pg_url: str, cluster: list[Server], pg_token: str) -> None:
    with SmtpServer() as smtp:
        env = {**smtp.env, "MAIL_RETRY_SECONDS": "0.2", "MAIL_TIMEOUT_SECONDS": "5"}
        senders = [Server(pg_url, env=env).start() for _ in range(2)]
        try:
            clients = [server.client(pg_token) for server in senders]
            orders = []
            for index in range(ORDERS):
                body = {"customerName": f"PG Klant {index}", "customerEmail": f"pg{index}@example.nl",
                        "licensePlate": f"PM{index:03d}R", "description": "Beurt"}  # fmt: skip
                response = clients[index % 2].post("/api/workorders", json=body)
                assert response.status_code == 201, response.text
                orders.append(response.json())

            def sent(client: httpx.Client, order: dict) -> list[dict]:
                found = client.get(f"/api/workorders/{order['id']}/notifications").json()
                return [n for n in found if n["status"] == "verzonden"]

            delivered = [wait_until(lambda o=o: sent(clients[0], o), 20, f"order {o['id']}'s e-mail") for o in orders]
            wait_until(lambda: smtp.inbox.count() >= ORDERS, 10, "every e-mail in the inbox")
            for client in clients:
                client.close()
        finally:
            for server in senders:
                server.stop()
        counts = smtp.inbox.by_message_id()
    assert len(counts) == ORDERS and set(counts.values()) == {1}, counts
    assert {n[0]["attempts"] for n in delivered} == {1}
