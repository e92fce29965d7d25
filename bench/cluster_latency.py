"""Cluster SSE latency: three server processes (A, B, C) on ONE fresh PostgreSQL database, where a change made
through any process reaches the SSE clients of every process through the shared event log (LISTEN/NOTIFY).

The bench creates a throwaway database on the local PostgreSQL (the tests' way: tests/postgres.py, trust auth
or WERKPLAATS_TEST_POSTGRES), starts A alone (it creates the schema), then B and C, makes an admin token and
opens SSE clients (`GET /api/workorders/stream?changeType=column`, raw asyncio sockets in a separate process,
see stream_latency.py) on A only. Both processes stamp times with CLOCK_MONOTONIC, so the two sides compare.

1. Cross-process latency: one work order is moved back and forth through B, one change at a time (each waits
   until every client on A got its event); latency = arrival at each of A's clients minus the PATCH start on B.
2. Rate sweep: 20 work orders; change k moves order k % 20 to the next column of a six-column cycle, sent
   through A, B, C in turn. Each rate is offered open-loop for a fixed time: change k is sent at its planned
   time t0 + k / rate from asyncio (httpx.AsyncClient), however slowly earlier ones are answered, and its
   latency is the arrival at A's clients minus that PLANNED start (so a late sender or a slow answer counts).
   Changes are matched to events by (workOrderId, version). Columns: achieved = answered changes per second
   from t0 to the last answer; errors = failed PATCHes; missing = answered changes whose event did not reach
   every client in time; req_p99 = PATCH round trip once sent (at most 32 in flight per server: more wait in
   the bench, which still counts for the latency); lag = how late the bench started a change (if that grows,
   the bench is the bottleneck); srv_cpu / bench_cpu = CPU time of the three servers together / of this
   process per wall second, from t0 to the end of the drain (200% = both cores of a 2-core machine).
   A rate passes when p99 <= 100 ms with no errors and nothing missing; the sweep stops after the first
   rate that fails (--keep-going offers the rest anyway; the "highest rate" line counts passes in a row).

Every server, the client process and the database are removed at the end, also on an error.

Run from the project root:

    .venv/bin/python -m bench.cluster_latency
    .venv/bin/python -m bench.cluster_latency --clients 10 --changes 200 --rates 25,50,100,200,400 --seconds 5
    .venv/bin/python -m bench.cluster_latency --quick     # 3 clients, 10 changes, 10/s for 1 s (CI smoke)
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Coroutine, Iterator, Sequence
from contextlib import AsyncExitStack, ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx

from bench.common import CYCLE, HOST, bench_server, cpu_seconds, exit_code, log_findings, parse_args, percentile
from bench.stream_latency import report, run_round, sse_clients, unmeasured
from tests.postgres import throwaway_database
from tests.server import Server

SERVER_NAMES = ("A", "B", "C")
ORDERS = 20
P99_LIMIT_MS = 100.0
IN_FLIGHT = 32  # requests at once per server (its threadpool has 40 threads)
DRAIN_SECONDS = 10.0  # after the last answer of a rate: how long its events may still take
MS = 1e6


# --- the processes ----------------------------------------------------------------------------------------


@dataclass
class Cluster:
    servers: list[Server]
    token: str

    @property
    def ports(self) -> list[int]:
        return [server.port for server in self.servers]

    def cpu_seconds(self) -> float:
        """User + system CPU time the server processes used so far."""
        total = 0.0
        for server in self.servers:
            with suppress(OSError):
                total += cpu_seconds(server.running.pid)
        return total


@contextmanager
def running_cluster(database_url: str, workdir: Path) -> Iterator[Cluster]:
    """A alone first (it migrates the empty database), then the others; all stopped at the end."""
    servers = [bench_server(database_url, workdir / f"server-{name}.log") for name in SERVER_NAMES]
    with ExitStack() as stack:
        for server in servers:
            stack.enter_context(server)
        yield Cluster(servers, servers[0].token("admin", "bench"))


# --- the rate sweep ---------------------------------------------------------------------------------------


class EventSink:
    """Drains the client process's pipe on its own thread: (workOrderId, version) -> arrival_ns per client.

    Not on the event loop: when the sender is busy the pipe must still not fill up (the client process would
    then fail to hand over its events). The arrival times were stamped in the client process anyway."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.arrivals: dict[tuple[int, int], list[int]] = {}
        self.lock = threading.Lock()
        self.error: str | None = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._read, name="event-sink", daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            while not self.stopping.is_set():
                if not self.conn.poll(0.05):
                    continue
                message = self.conn.recv()
                if message[0] == "error":
                    self.error = str(message[1])
                elif message[0] == "event":
                    payload = json.loads(message[2])
                    with self.lock:
                        self.arrivals[(payload["workOrderId"], payload["workOrder"]["version"])] = message[3]
        except (EOFError, OSError) as error:
            self.error = f"client pipe closed ({error!r})"

    def has_all(self, keys: set[tuple[int, int]]) -> bool:
        with self.lock:
            return all(key in self.arrivals for key in keys)

    def pop(self, key: tuple[int, int]) -> list[int] | None:
        with self.lock:
            return self.arrivals.pop(key, None)

    def close(self) -> None:
        self.stopping.set()
        self.thread.join()

    def check(self) -> None:
        if self.error is not None:
            raise RuntimeError(f"SSE clients failed: {self.error}")


@dataclass
class Sent:
    """One change as the sender saw it; version is None when the PATCH failed."""

    work_order_id: int
    planned_ns: int
    started_ns: int  # the sender's task ran (minus planned_ns: the sender's own lateness)
    sent_ns: int = 0  # it got one of the server's in-flight slots and went out
    answered_ns: int = 0
    version: int | None = None
    error: str | None = None


@dataclass
class StepResult:
    rate: float
    seconds: float
    changes: int = 0
    answered: int = 0
    achieved: float = 0.0
    errors: int = 0
    missing: int = 0
    latencies_ns: list[int] = field(default_factory=list)
    request_ns: list[int] = field(default_factory=list)
    lag_ns: list[int] = field(default_factory=list)
    error_kinds: dict[str, int] = field(default_factory=dict)
    server_cpu: float = math.nan  # the servers' CPU seconds per wall second, t0 to the end of the drain
    bench_cpu: float = math.nan  # the same for this process (sender and event sink)

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies_ns, 99) / MS

    @property
    def passed(self) -> bool:
        return self.latencies_ns != [] and self.p99_ms <= P99_LIMIT_MS and not self.errors and not self.missing


class Load:
    """The open-loop sender: one AsyncClient per server, the orders and where each goes next."""

    def __init__(
        self, http: list[httpx.AsyncClient], order_ids: list[int], sink: EventSink, cpu_seconds: Callable[[], float]
    ) -> None:
        self.http = http
        # A saturated server makes changes queue up; they wait here, not in httpx's pool (slow when it is long)
        self.in_flight = [asyncio.Semaphore(IN_FLIGHT) for _ in http]
        self.cpu_seconds = cpu_seconds
        self.order_ids = order_ids
        self.sink = sink
        self.next_column = [0] * len(order_ids)  # index into CYCLE; every order starts in Gepland
        self.sequence = 0  # change number over the whole sweep: order and server round-robin continue

    async def move(self, server: int, work_order_id: int, column: str, planned_ns: int) -> Sent:
        sent = Sent(work_order_id, planned_ns, time.monotonic_ns())
        try:
            async with self.in_flight[server]:
                sent.sent_ns = time.monotonic_ns()
                response = await self.http[server].patch(
                    f"/api/workorders/{work_order_id}/column", json={"column": column}
                )
                sent.answered_ns = time.monotonic_ns()
            if response.status_code == 200:
                sent.version = int(response.json()["version"])
            else:
                sent.error = f"HTTP {response.status_code} {response.text[:80]}"
        except httpx.HTTPError as error:
            sent.answered_ns = time.monotonic_ns()
            sent.sent_ns = sent.sent_ns or sent.answered_ns
            sent.error = type(error).__name__
        return sent

    async def step(self, rate: float, seconds: float) -> StepResult:
        result = StepResult(rate, seconds)
        count = max(1, round(rate * seconds))
        interval_ns = 1e9 / rate
        t0 = time.monotonic_ns() + 20_000_000
        cpu_before, bench_before = self.cpu_seconds(), time.process_time()
        tasks: list[asyncio.Task[Sent]] = []
        for number in range(count):
            planned = t0 + round(number * interval_ns)
            # sleep(0) when late still yields, so the changes already due start now, not after the loop
            await asyncio.sleep(max(0.0, (planned - time.monotonic_ns()) / 1e9))
            slot = self.sequence % len(self.order_ids)
            self.next_column[slot] = (self.next_column[slot] + 1) % len(CYCLE)
            server = self.sequence % len(self.http)
            column = CYCLE[self.next_column[slot]]
            tasks.append(asyncio.create_task(self.move(server, self.order_ids[slot], column, planned)))
            self.sequence += 1
        sent = await asyncio.gather(*tasks)
        await self.drain(sent)
        wall = max(1e-9, (time.monotonic_ns() - t0) / 1e9)
        result.server_cpu = (self.cpu_seconds() - cpu_before) / wall
        result.bench_cpu = (time.process_time() - bench_before) / wall
        result.changes = count
        last_answer = max(item.answered_ns for item in sent)
        for item in sent:
            result.lag_ns.append(item.started_ns - item.planned_ns)
            if item.version is None:
                result.errors += 1
                kind = item.error or "?"
                result.error_kinds[kind] = result.error_kinds.get(kind, 0) + 1
                continue
            result.answered += 1
            result.request_ns.append(item.answered_ns - item.sent_ns)
            times = self.sink.pop((item.work_order_id, item.version))
            if times is None:
                result.missing += 1
            else:
                result.latencies_ns.extend(arrived - item.planned_ns for arrived in times)
        result.achieved = result.answered / max(1e-9, (last_answer - t0) / 1e9)
        return result

    async def drain(self, sent: Sequence[Sent]) -> None:
        """Wait until every answered change's event reached every client, or DRAIN_SECONDS passed."""
        wanted = {(item.work_order_id, item.version) for item in sent if item.version is not None}
        deadline = time.monotonic() + DRAIN_SECONDS
        while time.monotonic() < deadline:
            self.sink.check()
            if self.sink.has_all(wanted):
                return
            await asyncio.sleep(0.01)


SWEEP_HEADER = (
    f"{'rate':>6}  {'offered':>8}  {'achieved':>8}  {'changes':>7}  {'samples':>7}  {'p50_ms':>7}  "
    f"{'p99_ms':>7}  {'max_ms':>7}  {'errors':>6}  {'missing':>7}  {'req_p99_ms':>10}  {'lag_max_ms':>10}  "
    f"{'srv_cpu':>7}  {'bench_cpu':>9}"
)


def sweep_row(result: StepResult) -> str:
    latencies, requests = sorted(result.latencies_ns), sorted(result.request_ns)
    return (
        f"{result.rate:>6g}  {result.changes / result.seconds:>8.1f}  {result.achieved:>8.1f}  {result.changes:>7}  "
        f"{len(latencies):>7}  {percentile(latencies, 50) / MS:>7.2f}  {result.p99_ms:>7.2f}  "
        f"{(latencies[-1] if latencies else math.nan) / MS:>7.2f}  {result.errors:>6}  {result.missing:>7}  "
        f"{percentile(requests, 99) / MS:>10.2f}  {max(result.lag_ns, default=0) / MS:>10.2f}  "
        f"{result.server_cpu:>7.0%}  {result.bench_cpu:>9.0%}"
    )


async def sweep(
    cluster: Cluster, clients: int, rates: Sequence[float], seconds: float, keep_going: bool
) -> list[StepResult]:
    headers = {"Authorization": f"Bearer {cluster.token}"}
    limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)
    with sse_clients(cluster.ports[0], cluster.token, clients) as conn:
        sink = EventSink(conn)
        try:
            async with AsyncExitStack() as stack:
                http = [
                    await stack.enter_async_context(
                        httpx.AsyncClient(base_url=f"http://{HOST}:{port}", headers=headers, timeout=30, limits=limits)
                    )
                    for port in cluster.ports
                ]
                order_ids = []
                for number in range(ORDERS):
                    created = await http[number % len(http)].post(
                        "/api/workorders",
                        json={"customerName": "Bench", "licensePlate": f"BN{number:03d}X", "description": "sweep"},
                    )
                    created.raise_for_status()
                    order_ids.append(int(created.json()["id"]))
                load = Load(http, order_ids, sink, cluster.cpu_seconds)
                await load.step(rates[0], 1.0)  # warm-up, not reported: every server's request path and follower
                print(SWEEP_HEADER, flush=True)
                results = []
                for rate in rates:
                    started = time.monotonic()
                    result = await load.step(rate, seconds)
                    results.append(result)
                    print(sweep_row(result), flush=True)
                    kinds = ", ".join(f"{kind} x{n}" for kind, n in result.error_kinds.items())
                    note = f"; errors: {kinds}" if kinds else ""
                    print(f"# {rate:g}/s: {time.monotonic() - started:.1f} s{note}", file=sys.stderr)
                    if not result.passed and not keep_going:
                        break
                return results
        finally:
            sink.close()


# --- main -------------------------------------------------------------------------------------------------


def run_async(coroutine_factory: Callable[[], Coroutine[Any, Any, list[StepResult]]]) -> list[StepResult]:
    """On uvloop when it is installed (a cheaper sender), else asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine_factory())
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coroutine_factory())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=10, help="SSE clients on server A (default 10)")
    parser.add_argument("--changes", type=int, default=200, help="sequential changes through B (default 200)")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured sequential changes first (default 10)")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for a sequential change's event")
    parser.add_argument("--rates", default="25,50,100,200,400", help="changes/s to offer, in order")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per rate (default 5)")
    parser.add_argument("--keep-going", action="store_true", help="offer every rate, also after one failed")
    args = parse_args(parser, argv, clients=3, changes=10, warmup=2, rates="10", seconds=1.0)
    rates = [float(part) for part in args.rates.split(",") if part.strip()]
    if args.clients < 1 or args.changes < 1 or not rates or min(rates) <= 0 or args.seconds <= 0:
        parser.error("--clients, --changes, --rates and --seconds must be positive")

    begun = time.monotonic()
    with ExitStack() as stack:
        database_url = stack.enter_context(throwaway_database())
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="werkplaats-cluster-")))
        stack.callback(log_findings, {f"server {name}": workdir / f"server-{name}.log" for name in SERVER_NAMES})
        cluster = stack.enter_context(running_cluster(database_url, workdir))
        print(f"# cluster up in {time.monotonic() - begun:.1f} s (ports {cluster.ports})", file=sys.stderr)

        started = time.monotonic()
        sequential = run_round(
            cluster.ports[0], cluster.token, args.clients, args.changes, args.warmup, args.timeout, cluster.ports[1]
        )
        print(f"# cross-process: {time.monotonic() - started:.1f} s", file=sys.stderr)
        print("Cross-process latency: SSE clients on A, sequential changes through B (PostgreSQL)")
        report([sequential])

        print()
        print(f"Rate sweep: {args.clients} SSE clients on A, changes round-robin through A, B, C, open-loop")
        results = run_async(lambda: sweep(cluster, args.clients, rates, args.seconds, args.keep_going))
        passed = [result.rate for result in itertools.takewhile(lambda result: result.passed, results)]
        best = f"{passed[-1]:g}" if passed else "none"
        print(f"highest rate with p99 <= {P99_LIMIT_MS:g} ms: {best} changes/s")
    print(f"# total {time.monotonic() - begun:.1f} s", file=sys.stderr)
    swept = [
        f"{result.rate:g}/s: {result.errors} errors, {result.missing} missing, {len(result.latencies_ns)} samples"
        for result in results
        if result.errors or result.missing or not result.latencies_ns
    ]
    return exit_code(args.quick, unmeasured([sequential]) + swept)


if __name__ == "__main__":
    sys.exit(main())
