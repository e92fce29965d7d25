"""Creating a work order never waits for the RDW: the time of `POST /api/workorders` with an RDW-shaped server
that never answers, that answers at once, and with lookups off; plus, with a working RDW, the time from the
create's start until its `vehicle` event reached an SSE client.

The RDW stand-in is tests/rdw_server.py (same JSON as opendata.rdw.nl) on 127.0.0.1. Creates run one at a time
from this process; each setup gets a fresh server and database. Run from the project root:

    .venv/bin/python -m bench.create_with_rdw [--orders 200] [--quick]
"""

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from tests.rdw_server import FakeRdw
from tests.server import Server
from tests.sse import SSEClient


def percentile(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1] if len(samples) > 1 else samples[0]


def run(setup: str, orders: int, folder: Path) -> dict[str, float]:
    rdw = FakeRdw().start()
    env = {"RDW_BASE_URL": "off"} if setup == "off" else {"RDW_BASE_URL": rdw.url, "RDW_TIMEOUT_SECONDS": "5"}
    server = Server(f"sqlite:///{folder / setup}.db", env=env)
    token = server.token("admin")
    server.start()
    plates = [f"BN{n:03d}K" for n in range(orders)]
    for plate in plates:
        rdw.add(plate, "VOLKSWAGEN", "POLO", "WIT", date(2018, 5, 1), date(2027, 5, 1), ["Benzine"])
        if setup == "never answers":
            rdw.answer(plate, "hang")
    creates, arrivals = [], []
    try:
        with server.client(token) as client, SSEClient(server.url, token, "/api/workorders/stream") as stream:
            stream.next()
            for plate in plates[:5]:  # warm up: imports, caches, the first connections
                client.post("/api/workorders", json={"customerName": "Warm", "licensePlate": plate, "description": "x"})
            for plate in plates[5:]:
                started = time.perf_counter()
                body = {"customerName": "Bench Klant", "licensePlate": plate, "description": "Beurt"}
                response = client.post("/api/workorders", json=body)
                creates.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 201, response.text
                if setup == "answers":
                    while (event := stream.next(10).json).get("changeType") != "vehicle" or event["workOrderId"] != (
                        response.json()["id"]
                    ):
                        pass
                    arrivals.append((time.perf_counter() - started) * 1000)
    finally:
        server.stop()
        rdw.stop()
    result = {"p50": percentile(creates, 50), "p99": percentile(creates, 99), "max": max(creates)}
    if arrivals:
        result |= {"vehicle p50": percentile(arrivals, 50), "vehicle p99": percentile(arrivals, 99)}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=205)
    parser.add_argument("--quick", action="store_true", help="a smoke run for CI: 20 orders")
    args = parser.parse_args()
    orders = 25 if args.quick else args.orders
    print("| RDW | creates | create p50 | create p99 | create max | vehicle event p50 | vehicle event p99 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        for setup in ("never answers", "answers", "off"):
            r = run(setup, orders, Path(folder))
            vehicle = (f"{r['vehicle p50']:.1f} ms", f"{r['vehicle p99']:.1f} ms") if "vehicle p50" in r else ("–", "–")
            print(f"| {setup} | {orders - 5} | {r['p50']:.1f} ms | {r['p99']:.1f} ms | {r['max']:.1f} ms | "
                  f"{vehicle[0]} | {vehicle[1]} |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
