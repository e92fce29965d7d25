"""Creating a work order never waits for the RDW: the time of `POST /api/workorders` with an RDW-shaped server
that never answers, that answers at once, and with lookups off; plus, with a working RDW, the time from the
create's start until its `vehicle` event reached an SSE client.

The RDW stand-in is tests/rdw_server.py (same JSON as opendata.rdw.nl) on 127.0.0.1. Creates run one at a time
from this process; each setup gets a fresh server and database. Run from the project root:

    .venv/bin/python -m bench.create_with_rdw [--orders 205]
    .venv/bin/python -m bench.create_with_rdw --quick     # 10 orders per setup (CI smoke)
"""

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bench.common import exit_code, parse_args, percentile
from tests.rdw_server import FakeRdw
from tests.server import Server
from tests.sse import SSEClient

SETUPS = ("never answers", "answers", "off")
WARMUP = 5  # creates first, unmeasured: imports, caches, the first connections


def run(setup: str, orders: int, folder: Path) -> dict[str, list[float]]:
    """Create times (ms), and with a working RDW the vehicle event's arrival (ms after the create began)."""
    rdw = FakeRdw().start()
    env = {"RDW_BASE_URL": "off"} if setup == "off" else {"RDW_BASE_URL": rdw.url, "RDW_TIMEOUT_SECONDS": "5"}
    server = Server(f"sqlite:///{folder / setup}.db", env=env)  # the tests' settings, as for its published numbers
    token = server.token("admin")
    plates = [f"BN{n:03d}K" for n in range(orders)]
    for plate in plates:
        rdw.add(plate, "VOLKSWAGEN", "POLO", "WIT", date(2018, 5, 1), date(2027, 5, 1), ["Benzine"])
        if setup == "never answers":
            rdw.answer(plate, "hang")
    creates: list[float] = []
    arrivals: list[float] = []
    try:
        with (
            server,
            server.client(token) as client,
            SSEClient(server.url, token, "/api/workorders/stream") as stream,
        ):
            stream.next()
            for plate in plates[:WARMUP]:
                client.post("/api/workorders", json={"customerName": "Warm", "licensePlate": plate, "description": "x"})
            for plate in plates[WARMUP:]:
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
        rdw.stop()
    return {"creates": creates, "vehicle": arrivals}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--orders", type=int, default=WARMUP + 200, help=f"orders per setup, the first {WARMUP} unmeasured"
    )
    args = parse_args(parser, argv, orders=WARMUP + 5)
    measured = args.orders - WARMUP
    unmeasured = []
    print("| RDW | creates | create p50 | create p99 | create max | vehicle event p50 | vehicle event p99 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        for setup in SETUPS:
            r = run(setup, args.orders, Path(folder))
            creates, vehicle = r["creates"], r["vehicle"]
            events = [f"{percentile(vehicle, p):.1f} ms" if vehicle else "–" for p in (50, 99)]
            print(f"| {setup} | {len(creates)} | {percentile(creates, 50):.1f} ms | {percentile(creates, 99):.1f} ms | "
                  f"{max(creates):.1f} ms | {events[0]} | {events[1]} |", flush=True)  # fmt: skip
            if len(creates) != measured or (setup == "answers" and len(vehicle) != measured):
                unmeasured.append(f"{setup}: {len(creates)} creates, {len(vehicle)} vehicle events of {measured}")
    return exit_code(args.quick, unmeasured)


if __name__ == "__main__":
    sys.exit(main())
