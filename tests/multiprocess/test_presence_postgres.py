"""Presence across processes on PostgreSQL: status pages open on two processes are counted together, and a desk's
stream on a third hears every change of the number (services/inspections/presence.py)."""

from tests.server import Server
from tests.sse import SSEClient


def test_status_pages_on_two_processes_are_counted_on_the_third(cluster: list[Server], pg_token: str) -> None:
    desk_process, first_process, second_process = cluster
    with desk_process.client(pg_token) as admin:
        body = {"customerName": "Fam. Meekijk", "licensePlate": "PR-123-S", "description": "APK"}
        order = admin.post("/api/workorders", json=body).json()
    path = f"/api/workorders/stream?workOrderId={order['id']}&changeType=presence"
    with SSEClient(desk_process.url, pg_token, path) as desk:
        desk.next()  # connected
        pages = [
            SSEClient(server.url, None, f"{order['statusUrl']}/stream") for server in (first_process, second_process)
        ]
        for page in pages:
            page.next()  # the status, as the page opens
        heard = [desk.next().json for _ in pages]
        for page in pages:
            page.close()
            heard.append(desk.next().json)
    assert [(m["type"], m["workOrderId"], m["viewing"]) for m in heard] == [
        ("presence", order["id"], 1), ("presence", order["id"], 2), ("presence", order["id"], 1),
        ("presence", order["id"], 0),
    ]  # fmt: skip
