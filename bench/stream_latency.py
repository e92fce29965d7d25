"""SSE stream latency: the time from the START of a `PATCH /api/workorders/{id}/column` request to the
ARRIVAL of its `column` event at every connected `GET /api/workorders/stream?changeType=column` client.

The bench starts its own server (fresh temporary SQLite database, free port), creates an admin token and,
for each client count, opens that many SSE streams in a separate process (raw asyncio sockets, no SSE
library, so the clients stay cheap and off the process that times the requests). It then moves one work
order back and forth between two columns, one change at a time: each change waits until every client got
its event (or a timeout) before the next one starts. Changes are matched to events by (workOrderId,
version). Both processes stamp times with CLOCK_MONOTONIC (time.monotonic_ns), which is system-wide on
Linux, so the two sides are comparable.

Run from the project root:

    .venv/bin/python -m bench.stream_latency --clients 1,100 --changes 200
    .venv/bin/python -m bench.stream_latency --quick     # 1 and 5 clients, 10 changes (CI smoke)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import socket
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path

import httpx

from bench.common import (
    HOST,
    MOVES,
    SseClient,
    bench_server,
    child_process,
    exit_code,
    install_uvloop,
    parse_args,
    parse_message,
    percentile,
    receive,
    stream_request,
)

STARTUP_SECONDS = 30.0  # for every client to connect

# --- SSE clients (run in a child process) -----------------------------------------------------------------


@dataclass
class Arrivals:
    """Arrival times of one event at each client (0 = not yet)."""

    data: bytes
    times: list[int]
    count: int = 0


class Hub:
    """Collects the clients' messages; tells the parent once every client has an event."""

    def __init__(self, clients: int, conn: Connection) -> None:
        self.clients = clients
        self.conn = conn
        self.connected = 0
        self.pending: dict[int, Arrivals] = {}
        self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def message(self, index: int, message: bytes, arrived: int) -> None:
        event_id, data = parse_message(message)
        if not data:  # a comment (ping) or a bare retry
            return
        if b'"type":"connected"' in data:
            self.connected += 1
            if self.connected == self.clients:
                self.conn.send(("ready",))
            return
        entry = self.pending.get(event_id)
        if entry is None:
            entry = self.pending[event_id] = Arrivals(data, [0] * self.clients)
        if entry.times[index]:
            return
        entry.times[index] = arrived
        entry.count += 1
        if entry.count == self.clients:
            del self.pending[event_id]
            self.conn.send(("event", event_id, entry.data, entry.times))

    def fail(self, reason: str) -> None:
        if not self.done.done():
            self.conn.send(("error", reason))
            self.done.set_result(None)


async def run_clients(conn: Connection, port: int, token: str, clients: int) -> None:
    loop = asyncio.get_running_loop()
    hub = Hub(clients, conn)
    request = stream_request(port, token)

    def on_command() -> None:  # "stop", or EOF when the parent went away
        with suppress(EOFError, OSError):
            conn.recv()
        if not hub.done.done():
            hub.done.set_result(None)

    loop.add_reader(conn.fileno(), on_command)
    transports = []
    for index in range(clients):  # one at a time: a burst of 100 SYNs is not what we measure
        transport, _ = await loop.create_connection(partial(SseClient, index, hub, request), HOST, port)
        sock = transport.get_extra_info("socket")
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        transports.append(transport)
    await hub.done
    loop.remove_reader(conn.fileno())
    for transport in transports:
        transport.close()


def client_process(conn: Connection, port: int, token: str, clients: int) -> None:
    """Entry point of the client process."""
    install_uvloop()
    try:
        asyncio.run(run_clients(conn, port, token, clients))
    except Exception as error:
        with suppress(OSError):
            conn.send(("error", repr(error)))


# --- the measuring side -----------------------------------------------------------------------------------


@dataclass
class RoundResult:
    clients: int
    changes: int
    latencies_ns: list[int] = field(default_factory=list)
    request_ns: list[int] = field(default_factory=list)
    timeouts: int = 0


@contextmanager
def sse_clients(port: int, token: str, clients: int) -> Iterator[Connection]:
    """`clients` SSE streams on the server at `port`, in a child process; yields the pipe once all connected.

    The pipe then carries ("event", event_id, data, arrival_ns per client) once every client got an event."""
    with child_process(client_process, port, token, clients) as (conn, _):
        if receive(conn, STARTUP_SECONDS) is None:
            raise RuntimeError(f"{clients} SSE clients not connected after {STARTUP_SECONDS:.0f} s")
        yield conn


def run_round(
    port: int,
    token: str,
    clients: int,
    changes: int,
    warmup: int,
    timeout: float,
    patch_port: int | None = None,
) -> RoundResult:
    """Clients on the server at `port`; the changes go through `patch_port` (default: the same server)."""
    result = RoundResult(clients, changes)
    with sse_clients(port, token, clients) as conn:
        headers = {"Authorization": f"Bearer {token}"}
        base_url = f"http://{HOST}:{patch_port or port}"
        with httpx.Client(base_url=base_url, headers=headers, timeout=10) as http:
            created = http.post(
                "/api/workorders",
                json={"customerName": "Bench", "licensePlate": "AB123C", "description": f"{clients} clients"},
            )
            created.raise_for_status()
            work_order_id = created.json()["id"]
            move_path = f"/api/workorders/{work_order_id}/column"
            for number in range(warmup + changes):
                start = time.monotonic_ns()
                response = http.patch(move_path, json={"column": MOVES[number % 2]})
                answered = time.monotonic_ns()
                response.raise_for_status()
                times = wait_for_event(conn, work_order_id, response.json()["version"], start, timeout)
                if number < warmup:
                    continue
                result.request_ns.append(answered - start)
                if times is None:
                    result.timeouts += 1
                else:
                    result.latencies_ns.extend(arrived - start for arrived in times)
    return result


def wait_for_event(conn: Connection, work_order_id: int, version: int, start: int, timeout: float) -> list[int] | None:
    """Every client's arrival time of the event for (work order, version); None if not all got it in time."""
    deadline = start + int(timeout * 1e9)
    while (message := receive(conn, (deadline - time.monotonic_ns()) / 1e9)) is not None:
        if message[0] != "event":
            continue
        _, _, data, times = message
        assert isinstance(data, bytes) and isinstance(times, list)
        payload = json.loads(data)
        if payload.get("workOrderId") == work_order_id and payload["workOrder"]["version"] == version:
            return times
    return None  # a late event is skipped later: its version no longer matches


def report(results: Sequence[RoundResult]) -> None:
    ms = 1e6
    print(
        f"{'clients':>7}  {'changes':>7}  {'samples':>7}  {'timeouts':>8}  "
        f"{'p50_ms':>7}  {'p99_ms':>7}  {'max_ms':>7}  {'req_p50_ms':>10}"
    )
    for result in results:
        latencies, requests = sorted(result.latencies_ns), sorted(result.request_ns)
        print(
            f"{result.clients:>7}  {result.changes:>7}  {len(latencies):>7}  {result.timeouts:>8}  "
            f"{percentile(latencies, 50) / ms:>7.2f}  {percentile(latencies, 99) / ms:>7.2f}  "
            f"{(latencies[-1] if latencies else math.nan) / ms:>7.2f}  {percentile(requests, 50) / ms:>10.2f}"
        )


def unmeasured(results: Sequence[RoundResult]) -> list[str]:
    """What the rounds should have measured and did not: every change's arrival at every client."""
    return [
        f"{result.clients} clients: {result.clients * result.changes - len(result.latencies_ns)} of "
        f"{result.clients * result.changes} arrivals missing"
        for result in results
        if len(result.latencies_ns) != result.clients * result.changes
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", default="1,100", help="comma-separated client counts (default 1,100)")
    parser.add_argument("--changes", type=int, default=200, help="measured changes per client count")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured changes first (default 10)")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for all clients")
    args = parse_args(parser, argv, clients="1,5", changes=10, warmup=2)
    client_counts = [int(part) for part in args.clients.split(",") if part.strip()]
    if not client_counts or min(client_counts) < 1 or args.changes < 1:
        parser.error("--clients needs positive counts and --changes must be at least 1")

    results = []
    with tempfile.TemporaryDirectory(prefix="werkplaats-bench-") as tmp:
        server = bench_server(f"sqlite:///{Path(tmp) / 'bench.db'}", log_path=Path(tmp) / "server.log")
        token = server.token("admin", "bench")
        with server:
            for clients in client_counts:
                started = time.monotonic()
                results.append(run_round(server.port, token, clients, args.changes, args.warmup, args.timeout))
                print(f"# {clients} clients: {time.monotonic() - started:.1f} s", file=sys.stderr)
    report(results)
    return exit_code(args.quick, unmeasured(results))


if __name__ == "__main__":
    sys.exit(main())
