"""Customers watching their status page: N `/status/{token}/stream` streams on one server process (what each
page's EventSource opens), the server's memory per watcher, and the time a change takes to reach every one.

The bench starts its own server (fresh temporary SQLite database, free port) and makes one work order (or
--orders K, the watchers spread over them). It reads the server's resident memory (VmRSS), opens N streams in a
child process (raw asyncio sockets, no SSE library: tests of the page itself are in tests/pages), waits until
every stream has its first status, and reads VmRSS again: the difference over N is the memory per watcher. Then,
one change at a time, it moves the orders between `Onder handen` and `Wacht op onderdelen` (each move changes
what every page shows) and times from the start of the PATCH to the arrival of the new status at the last
watcher of that order; the server's CPU over the changes, per change, is printed too.

Run from the project root:

    .venv/bin/python -m bench.status_watchers --watchers 1000 --changes 20
    .venv/bin/python -m bench.status_watchers --quick     # 20 watchers, 3 changes (CI smoke)
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import suppress
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path

import httpx

from bench.common import (
    HOST,
    MOVES,
    SseClient,
    bench_server,
    check_running,
    child_process,
    cpu_seconds,
    exit_code,
    install_uvloop,
    parse_args,
    parse_message,
    percentile,
    proc_status_kib,
    receive,
)

STARTUP_SECONDS = 120.0

# --- the watchers (a child process) ------------------------------------------------------------------------


class Watchers:
    """Counts status messages per watcher; tells the parent when every watcher has had its first one (ready),
    and when every watcher of an order has had its k-th change, with the last arrival time."""

    def __init__(self, paths: list[str], conn: Connection) -> None:
        self.paths = paths
        self.conn = conn
        self.seen = [0] * len(paths)  # status messages per watcher
        self.ready = 0
        self.last: dict[tuple[str, int], list[int]] = {}  # (path, k) -> [watchers reached, latest arrival]
        self.per_path = {path: paths.count(path) for path in set(paths)}
        self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def message(self, index: int, message: bytes, arrived: int) -> None:
        _, data = parse_message(message)
        if not data:  # a ping, or the retry line
            return
        self.seen[index] += 1
        count, path = self.seen[index], self.paths[index]
        if count == 1:
            self.ready += 1
            if self.ready == len(self.paths):
                self.conn.send(("ready",))
            return
        reached = self.last.setdefault((path, count - 1), [0, 0])
        reached[0] += 1
        reached[1] = max(reached[1], arrived)
        if reached[0] == self.per_path[path]:
            self.conn.send(("changed", path, count - 1, reached[1]))

    def fail(self, reason: str) -> None:
        if not self.done.done():
            self.conn.send(("error", reason))
            self.done.set_result(None)


async def run_watchers(conn: Connection, port: int, paths: list[str]) -> None:
    loop = asyncio.get_running_loop()
    hub = Watchers(paths, conn)

    def on_command() -> None:
        with suppress(EOFError, OSError):
            conn.recv()
        if not hub.done.done():
            hub.done.set_result(None)

    loop.add_reader(conn.fileno(), on_command)
    transports = []
    for index, path in enumerate(paths):
        request = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: text/event-stream\r\n\r\n".encode()
        transport, _ = await loop.create_connection(partial(SseClient, index, hub, request), HOST, port)
        transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        transports.append(transport)
    await hub.done
    loop.remove_reader(conn.fileno())
    for transport in transports:
        transport.close()


def watcher_process(conn: Connection, port: int, paths: list[str]) -> None:
    install_uvloop()
    try:
        asyncio.run(run_watchers(conn, port, paths))
    except Exception as error:
        with suppress(OSError):
            conn.send(("error", repr(error)))


# --- the measuring side -----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--watchers", type=int, default=1000, help="status streams to open (default 1000)")
    parser.add_argument("--orders", type=int, default=1, help="work orders they watch, spread evenly (default 1)")
    parser.add_argument("--changes", type=int, default=20, help="measured moves (default 20)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds for a change to reach every watcher")
    args = parse_args(parser, argv, watchers=20, changes=3)
    unmeasured: list[str] = []
    reach_ms: list[float] = []
    with tempfile.TemporaryDirectory(prefix="werkplaats-bench-") as tmp:
        server = bench_server(f"sqlite:///{Path(tmp) / 'bench.db'}", log_path=Path(tmp) / "server.log")
        token = server.token("admin", "bench")
        with server, httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}) as http:
            orders = []
            for number in range(args.orders):
                body = {"customerName": f"Klant {number}", "licensePlate": f"SW{number:04d}", "description": "Beurt"}
                orders.append(http.post("/api/workorders", json=body).raise_for_status().json())
            paths = [f"{orders[i % args.orders]['statusUrl']}/stream" for i in range(args.watchers)]
            http.get(orders[0]["statusUrl"]).raise_for_status()  # warm the page's code paths before measuring
            pid = server.running.pid
            rss_before = proc_status_kib(pid)
            started = time.monotonic()
            with child_process(watcher_process, server.port, paths) as (conn, _):
                if receive(conn, STARTUP_SECONDS) is None:
                    raise RuntimeError(f"{args.watchers} watchers not connected after {STARTUP_SECONDS:.0f} s")
                connect_s = time.monotonic() - started
                rss_after = proc_status_kib(pid)
                cpu_before = cpu_seconds(pid)
                for number in range(args.changes):
                    order = orders[number % args.orders]
                    path = f"{order['statusUrl']}/stream"
                    start = time.monotonic_ns()
                    move = http.patch(f"/api/workorders/{order['id']}/column", json={"column": MOVES[number % 2]})
                    move.raise_for_status()
                    reached = wait_for_change(conn, path, start, args.timeout)
                    if reached is None:
                        unmeasured.append(f"change {number} did not reach every watcher in {args.timeout} s")
                        check_running(server)
                    else:
                        reach_ms.append((reached - start) / 1e6)
                cpu = cpu_seconds(pid) - cpu_before
    per_watcher = (rss_after - rss_before) / args.watchers
    print(f"{'watchers':>8}  {'orders':>6}  {'connect_s':>9}  {'rss_mib':>7}  {'kib_per_watcher':>15}  "
          f"{'reach_p50_ms':>12}  {'reach_max_ms':>12}  {'cpu_ms_per_change':>17}")  # fmt: skip
    print(f"{args.watchers:>8}  {args.orders:>6}  {connect_s:>9.1f}  {rss_after / 1024:>7.1f}  {per_watcher:>15.1f}  "
          f"{percentile(reach_ms, 50):>12.1f}  {max(reach_ms, default=float('nan')):>12.1f}  "
          f"{1000 * cpu / max(args.changes, 1):>17.1f}")  # fmt: skip
    return exit_code(args.quick, unmeasured)


def wait_for_change(conn: Connection, path: str, start: int, timeout: float) -> int | None:
    """The arrival time at the last watcher of `path` of the change made after `start`, or None."""
    deadline = start + int(timeout * 1e9)
    while (message := receive(conn, (deadline - time.monotonic_ns()) / 1e9)) is not None:
        if message[0] == "changed" and message[1] == path:
            return int(message[3])  # type: ignore[call-overload]
    return None


if __name__ == "__main__":
    sys.exit(main())
