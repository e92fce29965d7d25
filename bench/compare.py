"""Polling versus live updates: what N watching clients cost the server, and how stale their board gets.

One server (fresh temporary SQLite database, free port), ORDERS work orders seeded
first (a realistic day, spread over the six columns), then the same workload three ways, one after another:
N clients watch the board while ONE work order moves to its next column every second for --seconds seconds
(every column has its own status, so each move emits two events: column, then status).

- polling:        each client fetches `GET /api/workorders` every 10 s, first fetches spread evenly over 10 s
                  (uvicorn closes idle keep-alive connections after 5 s: each poll connects anew);
- SSE + reload:   each client keeps `GET /api/workorders/stream` open and refetches the whole list on EVERY
                  event (no debounce; one keep-alive connection per client, so its fetches queue one by one);
- SSE + snapshot: each client keeps the stream open and applies the work order carried in the event.

Per (mode, N), over the measured window only:
- server CPU s: utime + stime of the server process (/proc/PID/stat) from window start to end;
- requests: HTTP requests the clients got answered in the window, plus the N streams held open through it;
- MB sent: response bytes the clients received in the window, headers and chunk framing included;
- staleness: for every (change, client), the PATCH start to the moment that client holds the new version
  (polling, reload: a list response carrying it was fully read; snapshot: the event carrying it arrived).
  Scored over the changes that started at least 10 s (one poll interval) before the window ends, in every
  mode, so polling has had its chance and all modes are scored on the same kind of changes; the later
  changes still happen and still cost. "missed" = (change, client) pairs not caught by the window end; they
  count in the percentiles as at least their time to the window end (such a percentile is shown as ">=").

The SSE clients open their streams and load the list once BEFORE the window (what a board does when it
opens); that one-time cost is reported apart, as "setup". Clients run in ONE separate process (asyncio,
uvloop when installed, raw sockets); its own CPU share is reported so a saturated client side shows.

The product asked for 60 s windows; 3 modes x 2 sizes x 60 s does not fit the 5-minute limit for one bench
command, so the default is 45 s.

Writes docs/performance.md and docs/performance.png. Run from the project root (other benchmarks may run on
this machine: take the lock):

    flock /tmp/bench.lock .venv/bin/python -m bench.compare
    .venv/bin/python -m bench.compare --clients 50,200 --seconds 45
    .venv/bin/python -m bench.compare --quick     # 3 clients, 2 s windows, report to a temp dir (CI smoke)
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import os
import platform
import shlex
import socket
import sys
import tempfile
import time
from collections.abc import Coroutine, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, cast

import httpx

from bench.common import (
    CYCLE,
    HOST,
    SseClient,
    bench_server,
    child_process,
    cpu_seconds,
    exit_code,
    install_uvloop,
    log_findings,
    parse_args,
    parse_message,
    percentile,
    receive,
    stream_request,
)
from tests.server import ROOT

LIST_PATH = "/api/workorders"
STREAM_PATH = "/api/workorders/stream"
MODES = ("polling", "reload", "snapshot")
MODE_NAMES = {"polling": "polling", "reload": "SSE + reload", "snapshot": "SSE + snapshot"}
CPU_TARGET = 0.10  # SSE + snapshot: less than 1/10 of polling's server CPU at the largest N
P99_TARGET_MS = 50.0  # SSE + snapshot: staleness p99
PRODUCT_SECONDS = 60.0
OTHERS_WARN = 0.25  # other processes using more than this share of a core in a window: say so
LIMIT_SECONDS = 300.0
SETUP_TIMEOUT = 60.0
MS = 1e6
NS = 1_000_000_000
CUSTOMERS = ("Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos")
JOBS = (
    "Grote beurt en APK",
    "Remblokken en schijven voor vervangen",
    "Distributieriem vervangen, waterpomp mee",
    "Airco controleren en bijvullen",
    "Rammel bij drempels, ophanging nakijken",
)


# --- the clients (one child process) ----------------------------------------------------------------------


@dataclass
class RunSpec:
    mode: str
    clients: int
    port: int
    token: str
    versions: dict[int, int]  # id -> version of the board every client holds when the run starts
    poll_seconds: float


@dataclass
class SetupStats:
    requests: int
    bytes: int
    seconds: float


@dataclass
class WindowStats:
    requests: int  # answered in the window, plus the streams held open through it
    bytes: int
    events: int  # SSE messages (not comments) received in the window, over all clients
    wanted: int  # list fetches the clients asked for in the window
    backlog: int  # fetches asked for but not answered at the window end
    cpu_seconds: float  # the client process's own CPU in the window
    retries: int  # fetches resent after the server closed an idle keep-alive connection under them
    errors: list[str]
    seen: list[dict[tuple[int, int], int]]  # per client: (id, version) -> first moment it held it (ns)


def sleep_until(moment_ns: int) -> asyncio.Future[None]:
    return asyncio.ensure_future(asyncio.sleep(max(0.0, (moment_ns - time.monotonic_ns()) / 1e9)))


class FetchProtocol(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection of a Fetcher: writes its GET, reads one Content-Length response."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self.transport: asyncio.WriteTransport | None = None
        self.buffer = bytearray()
        self.in_flight = False
        self.head_length = -1
        self.body_length = 0
        self.status = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.WriteTransport, transport)

    def send(self) -> None:
        assert self.transport is not None
        self.in_flight = True
        self.transport.write(self.fetcher.run.list_request)

    def data_received(self, data: bytes) -> None:
        arrived = time.monotonic_ns()  # stamp first: parsing must not count as staleness
        self.fetcher.run.count_bytes(len(data), arrived)
        self.buffer += data
        if self.head_length < 0:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buffer[:end]).lower()
            self.status = int(head[9:12])
            marker = head.find(b"\r\ncontent-length:")
            if marker < 0:
                self.fetcher.run.error(f"HTTP {self.status} without Content-Length")
                self.in_flight = self.fetcher.busy = False  # not resent: the same answer would come again
                self.fetcher.run.close_transport(self.transport)
                return
            self.body_length = int(head[marker + 17 :].split(b"\r\n", 1)[0])
            self.head_length = end + 4
        if len(self.buffer) < self.head_length + self.body_length:
            return
        body = bytes(self.buffer[self.head_length : self.head_length + self.body_length])
        del self.buffer[: self.head_length + self.body_length]
        status, self.head_length, self.in_flight = self.status, -1, False
        self.fetcher.answered(status, body, arrived)

    def connection_lost(self, exc: Exception | None) -> None:
        self.fetcher.lost(self)


class Fetcher:
    """One client's list fetches: one connection at a time, one request at a time, the rest wait their turn."""

    def __init__(self, run: Run, index: int) -> None:
        self.run = run
        self.index = index
        self.pending = 0
        self.busy = False
        self.protocol: FetchProtocol | None = None

    @property
    def outstanding(self) -> int:
        return self.pending + self.busy

    def want(self) -> None:
        self.pending += 1
        if self.run.in_window(time.monotonic_ns()):
            self.run.wanted += 1
        self.pump()

    def pump(self) -> None:
        if self.busy or not self.pending or self.run.stopped:
            return
        self.pending -= 1
        self.busy = True
        protocol = self.protocol
        if protocol is not None and protocol.transport is not None and not protocol.transport.is_closing():
            protocol.send()
        else:  # first fetch, or the server closed the idle connection (uvicorn: 5 s keep-alive)
            self.run.spawn(self.connect())

    async def connect(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            transport, protocol = await loop.create_connection(lambda: FetchProtocol(self), HOST, self.run.spec.port)
        except OSError as error:
            self.run.error(f"client {self.index}: connect failed ({error!r})")
            self.busy = False
            return
        transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.run.transports.append(transport)
        self.protocol = protocol
        protocol.send()

    def answered(self, status: int, body: bytes, arrived: int) -> None:
        self.busy = False
        if status == 200:
            self.run.count_request(arrived)
            for order in json.loads(body):
                self.run.hold(self.index, order["id"], order["version"], arrived)
        else:
            self.run.error(f"client {self.index}: list answered HTTP {status}")
        self.pump()

    def lost(self, protocol: FetchProtocol) -> None:
        if self.protocol is protocol:
            self.protocol = None
        if protocol.in_flight and not self.run.stopped:  # closed as we sent: ask again on a new connection
            self.run.retries += 1
            self.busy = False
            self.pending += 1
            self.pump()


class StreamHub:
    """The MessageSink of every SseClient of a run."""

    def __init__(self, run: Run) -> None:
        loop = asyncio.get_running_loop()
        self.run = run
        self.connected = 0
        self.done: asyncio.Future[None] = loop.create_future()  # set before the streams close
        self.all_connected: asyncio.Future[None] = loop.create_future()

    def message(self, index: int, message: bytes, arrived: int) -> None:
        _, data = parse_message(message)
        if not data:  # a ping comment or a bare retry
            return
        if b'"type":"connected"' in data:
            self.connected += 1
            if self.connected == self.run.spec.clients and not self.all_connected.done():
                self.all_connected.set_result(None)
            return
        self.run.event(index, data, arrived)

    def fail(self, reason: str) -> None:
        if not self.done.done():
            self.run.error(reason)


class CountingSseClient(SseClient):
    """The benches' raw SSE client, with every received byte counted."""

    def data_received(self, data: bytes) -> None:
        hub = cast(StreamHub, self.hub)
        hub.run.count_bytes(len(data), time.monotonic_ns())
        super().data_received(data)


class Run:
    """One (mode, N) on the client side: setup, then the window, then every connection closed."""

    def __init__(self, spec: RunSpec) -> None:
        self.spec = spec
        self.list_request = (
            f"GET {LIST_PATH} HTTP/1.1\r\nHost: {HOST}:{spec.port}\r\nAuthorization: Bearer {spec.token}\r\n"
            "Accept: application/json\r\n\r\n"
        ).encode()
        self.window: tuple[int, int] | None = None
        self.stopped = False
        self.requests = self.bytes = self.events = self.wanted = self.retries = 0
        self.setup_requests = self.setup_bytes = 0
        self.errors: list[str] = []
        self.error_count = 0
        self.known = [dict(spec.versions) for _ in range(spec.clients)]
        self.seen: list[dict[tuple[int, int], int]] = [{} for _ in range(spec.clients)]
        self.fetchers = [Fetcher(self, index) for index in range(spec.clients)]
        self.transports: list[asyncio.BaseTransport] = []
        self.tasks: set[asyncio.Task[None]] = set()
        self.hub = StreamHub(self)

    def spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def in_window(self, moment: int) -> bool:
        return self.window is not None and self.window[0] <= moment < self.window[1]

    def count_bytes(self, size: int, moment: int) -> None:
        if self.window is None:
            self.setup_bytes += size
        elif self.in_window(moment):
            self.bytes += size

    def count_request(self, moment: int) -> None:
        if self.window is None:
            self.setup_requests += 1
        elif self.in_window(moment):
            self.requests += 1

    def error(self, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < 10:
            self.errors.append(reason)

    def close_transport(self, transport: asyncio.BaseTransport | None) -> None:
        if transport is not None:
            transport.close()

    def hold(self, index: int, work_order_id: int, version: int, moment: int) -> None:
        """Client `index` holds this version from `moment` on (and every older one it skipped)."""
        known = self.known[index]
        previous = known.get(work_order_id, 0)
        if version <= previous:
            return
        known[work_order_id] = version
        seen = self.seen[index]
        for skipped in range(previous + 1, version + 1):
            seen[(work_order_id, skipped)] = moment

    def event(self, index: int, data: bytes, arrived: int) -> None:
        if self.in_window(arrived):
            self.events += 1
        if self.spec.mode == "reload":
            self.fetchers[index].want()
        elif self.spec.mode == "snapshot":
            work_order = json.loads(data).get("workOrder")
            if work_order is not None:
                self.hold(index, work_order["id"], work_order["version"], arrived)

    async def setup(self) -> SetupStats:
        """SSE modes: open every stream (one at a time), then load the list once, as an opening board does."""
        started = time.monotonic()
        if self.spec.mode != "polling":
            loop = asyncio.get_running_loop()
            request = stream_request(self.spec.port, self.spec.token, STREAM_PATH)
            for index in range(self.spec.clients):
                client = partial(CountingSseClient, index, self.hub, request)
                transport, _ = await loop.create_connection(client, HOST, self.spec.port)
                transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self.transports.append(transport)
            await asyncio.wait_for(self.hub.all_connected, SETUP_TIMEOUT)
            self.setup_requests += self.spec.clients
            for fetcher in self.fetchers:
                fetcher.want()
            deadline = time.monotonic() + SETUP_TIMEOUT
            while any(fetcher.outstanding for fetcher in self.fetchers):
                if time.monotonic() > deadline:
                    raise RuntimeError("initial list fetches not answered in time")
                await asyncio.sleep(0.01)
        if self.error_count:
            raise RuntimeError(f"setup failed: {self.errors}")
        return SetupStats(self.setup_requests, self.setup_bytes, time.monotonic() - started)

    async def measure(self, start_ns: int, end_ns: int) -> WindowStats:
        self.window = (start_ns, end_ns)
        await sleep_until(start_ns)
        cpu_start = time.process_time()
        if self.spec.mode == "polling":
            loop = asyncio.get_running_loop()
            interval = int(self.spec.poll_seconds * NS)
            for index in range(self.spec.clients):
                first = start_ns + index * interval // self.spec.clients
                loop.call_later((first - time.monotonic_ns()) / 1e9, self.poll, index, first, interval)
        await sleep_until(end_ns)
        cpu = time.process_time() - cpu_start
        self.stopped = True
        streams = 0 if self.spec.mode == "polling" else self.spec.clients
        return WindowStats(
            requests=self.requests + streams,
            bytes=self.bytes,
            events=self.events,
            wanted=self.wanted,
            backlog=sum(fetcher.outstanding for fetcher in self.fetchers),
            cpu_seconds=cpu,
            retries=self.retries,
            errors=self.errors + ([f"... {self.error_count} errors in all"] if self.error_count > 10 else []),
            seen=self.seen,
        )

    def poll(self, index: int, planned: int, interval: int) -> None:
        if self.stopped:
            return
        self.fetchers[index].want()
        following = planned + interval
        assert self.window is not None
        if following < self.window[1]:
            delay = (following - time.monotonic_ns()) / 1e9
            asyncio.get_running_loop().call_later(delay, self.poll, index, following, interval)

    async def close(self) -> None:
        self.stopped = True
        if not self.hub.done.done():
            self.hub.done.set_result(None)
        for task in list(self.tasks):
            task.cancel()
        for transport in self.transports:
            transport.close()
        await asyncio.sleep(0.05)


async def serve_commands(conn: Connection) -> None:
    """("run", RunSpec) -> ("ready", SetupStats); ("start", t0, t_end) -> ("result", WindowStats); ("stop",)."""
    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[tuple[object, ...]] = asyncio.Queue()

    def readable() -> None:
        try:
            while conn.poll():
                inbox.put_nowait(conn.recv())
        except (EOFError, OSError):  # the parent went away
            loop.remove_reader(conn.fileno())
            inbox.put_nowait(("stop",))

    loop.add_reader(conn.fileno(), readable)
    while (command := await inbox.get())[0] == "run":
        run = Run(cast(RunSpec, command[1]))
        try:
            conn.send(("ready", await run.setup()))
            start = await inbox.get()
            if start[0] != "start":
                break
            conn.send(("result", await run.measure(cast(int, start[1]), cast(int, start[2]))))
        except Exception as error:
            conn.send(("error", repr(error)))
        finally:
            await run.close()


def client_process(conn: Connection) -> None:
    """Entry point of the client process."""
    install_uvloop()
    with suppress(KeyboardInterrupt):
        asyncio.run(serve_commands(conn))


# --- the measuring side -----------------------------------------------------------------------------------


def machine_busy_seconds() -> float:
    """CPU time all processes on the machine used so far (the `cpu` line of /proc/stat, idle and iowait left out)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def wait_quiet(pid: int, max_seconds: float = 10.0, step: float = 0.25, quiet: float = 0.05) -> float:
    """Wait until the server uses under `quiet` of a core over a step; returns the last rate seen."""
    deadline = time.monotonic() + max_seconds
    rate = math.inf
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        time.sleep(step)
        rate = (cpu_seconds(pid) - before) / step
        if rate < quiet:
            break
    return rate


def idle_share(pid: int, seconds: float = 3.0) -> float:
    """The server's CPU share with nothing to do, over long enough that the 10 ms clock tick does not matter."""
    before, started = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return (cpu_seconds(pid) - before) / (time.monotonic() - started)


@dataclass
class Change:
    work_order_id: int
    start_ns: int
    planned_ns: int
    answered_ns: int = 0
    version: int | None = None
    error: str | None = None


@dataclass
class WindowCpu:
    server: float
    machine: float  # every process on the machine
    sender: float  # this process (it sends the changes)


class Board:
    """The work orders and where each goes next; the changes continue over the runs."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url
        self.headers = {"Authorization": f"Bearer {token}"}
        self.order_ids: list[int] = []
        self.column: list[int] = []  # index into CYCLE
        self.sequence = 0

    def seed(self, orders: int, pid: int) -> tuple[float, float]:
        """Create the orders, then move each out of Gepland; returns (CPU s per move, idle CPU share)."""
        with httpx.Client(base_url=self.base_url, headers=self.headers, timeout=30) as http:
            for number in range(orders):
                created = http.post(
                    LIST_PATH,
                    json={
                        "customerName": f"{CUSTOMERS[number % len(CUSTOMERS)]} {number + 1}",
                        "licensePlate": f"{'GHJKLNPRSTXZ'[number % 12]}{'BDFGHJ'[number % 6]}{100 + number:03d}K",
                        "description": JOBS[number % len(JOBS)],
                    },
                )
                created.raise_for_status()
                self.order_ids.append(int(created.json()["id"]))
                self.column.append(0)
            http.get(LIST_PATH).raise_for_status()
            wait_quiet(pid)
            before = cpu_seconds(pid)
            for slot, work_order_id in enumerate(self.order_ids):  # a day under way: every column in use
                self.column[slot] = slot % (len(CYCLE) - 1) + 1
                http.patch(f"{LIST_PATH}/{work_order_id}/column", json={"column": CYCLE[self.column[slot]]})
            per_move = (cpu_seconds(pid) - before) / max(1, orders)
        wait_quiet(pid)
        return per_move, idle_share(pid)

    def versions(self) -> dict[int, int]:
        response = httpx.get(self.base_url + LIST_PATH, headers=self.headers, timeout=30)
        response.raise_for_status()
        return {int(order["id"]): int(order["version"]) for order in response.json()}

    async def drive(self, pid: int, start_ns: int, end_ns: int) -> tuple[list[Change], WindowCpu]:
        """One move per second in the window, open-loop; returns the changes and the CPU used in the window."""
        async with httpx.AsyncClient(base_url=self.base_url, headers=self.headers, timeout=60) as http:
            await http.get("/healthz")  # the connection is open before the window
            tasks = []
            await sleep_until(start_ns)
            cpu_start, machine_start, own_start = cpu_seconds(pid), machine_busy_seconds(), time.process_time()
            number = 0
            while (planned := start_ns + int((number + 0.5) * NS)) < end_ns:
                await sleep_until(planned)
                slot = self.sequence % len(self.order_ids)
                self.column[slot] = (self.column[slot] + 1) % len(CYCLE)
                change = Change(self.order_ids[slot], time.monotonic_ns(), planned)
                tasks.append(asyncio.create_task(self.move(http, change, CYCLE[self.column[slot]])))
                self.sequence += 1
                number += 1
            await sleep_until(end_ns)
            cpu = WindowCpu(
                cpu_seconds(pid) - cpu_start, machine_busy_seconds() - machine_start, time.process_time() - own_start
            )
            return list(await asyncio.gather(*tasks)), cpu

    @staticmethod
    async def move(http: httpx.AsyncClient, change: Change, column: str) -> Change:
        try:
            response = await http.patch(f"{LIST_PATH}/{change.work_order_id}/column", json={"column": column})
            if response.status_code == 200:
                change.version = int(response.json()["version"])
            else:
                change.error = f"HTTP {response.status_code}"
        except httpx.HTTPError as error:
            change.error = type(error).__name__
        change.answered_ns = time.monotonic_ns()
        return change


@dataclass
class Staleness:
    """Per (change, client): caught values exact; missed ones as a lower bound (PATCH start to window end)."""

    values: list[tuple[int, bool]] = field(default_factory=list)  # (ns, is lower bound), sorted
    missed: int = 0
    slowest: list[int] = field(default_factory=list)  # per scored change: its last client (ns; missed: bound)

    def percentile(self, p: float) -> tuple[float, bool]:
        """Nearest rank; the flag says the value is only a lower bound (a missed pair lies at or below it)."""
        if not self.values:
            return math.nan, False
        rank = max(0, math.ceil(p / 100 * len(self.values)) - 1)
        bounded = any(lower for _, lower in self.values[: rank + 1])
        return self.values[rank][0] / MS, bounded


@dataclass
class ModeResult:
    mode: str
    clients: int
    seconds: float
    cpu: float
    setup_cpu: float
    setup: SetupStats
    window: WindowStats
    changes: list[Change]
    scored: int
    staleness: Staleness
    others: float  # CPU s the rest of the machine used in the window (not server, clients or sender)

    @property
    def name(self) -> str:
        return MODE_NAMES[self.mode]

    @property
    def client_share(self) -> float:
        return self.window.cpu_seconds / self.seconds

    @property
    def patch_errors(self) -> int:
        return sum(change.version is None for change in self.changes)


def score(changes: Sequence[Change], seen: Sequence[dict[tuple[int, int], int]], cutoff: int, end: int) -> Staleness:
    result = Staleness()
    values: list[tuple[int, bool]] = []
    for change in changes:
        if change.version is None or change.start_ns >= cutoff:
            continue
        key = (change.work_order_id, change.version)
        slowest = 0
        for client in seen:
            moment = client.get(key)
            if moment is None or moment >= end:
                result.missed += 1
                moment = end
                values.append((end - change.start_ns, True))
            else:
                values.append((moment - change.start_ns, False))
            slowest = max(slowest, moment - change.start_ns)
        result.slowest.append(slowest)
    result.values = sorted(values)
    result.slowest.sort()
    return result


def run_mode(
    conn: Connection, pid: int, board: Board, port: int, token: str, mode: str, clients: int, args: argparse.Namespace
) -> ModeResult:
    wait_quiet(pid)
    spec = RunSpec(mode, clients, port, token, board.versions(), args.poll_seconds)
    setup_cpu_start = cpu_seconds(pid)
    conn.send(("run", spec))
    ready = receive(conn, SETUP_TIMEOUT * 2)
    if ready is None:
        raise RuntimeError(f"{mode} x {clients}: client setup timed out")
    setup = cast(SetupStats, ready[1])
    setup_cpu = cpu_seconds(pid) - setup_cpu_start
    start_ns = time.monotonic_ns() + 300_000_000
    end_ns = start_ns + int(args.seconds * NS)
    conn.send(("start", start_ns, end_ns))
    changes, cpu = asyncio.run(board.drive(pid, start_ns, end_ns))
    answer = receive(conn, 60)
    if answer is None:
        raise RuntimeError(f"{mode} x {clients}: no result from the client process")
    window = cast(WindowStats, answer[1])
    cutoff = end_ns - int(args.poll_seconds * NS)
    scored = sum(change.version is not None and change.start_ns < cutoff for change in changes)
    staleness = score(changes, window.seen, cutoff, end_ns)
    others = max(0.0, cpu.machine - cpu.server - cpu.sender - window.cpu_seconds)
    return ModeResult(
        mode, clients, args.seconds, cpu.server, setup_cpu, setup, window, changes, scored, staleness, others
    )


# --- reporting --------------------------------------------------------------------------------------------


def fmt_ms(value: float, bounded: bool) -> str:
    if math.isnan(value):
        return "-"
    text = f"{value:.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    return (">=" if bounded else "") + text


HEADER = ("mode", "N", "CPU s", "CPU % of polling", "requests", "MB sent", "p50 ms", "p99 ms", "missed", "client CPU %")


def table_rows(results: Sequence[ModeResult]) -> list[tuple[str, ...]]:
    polling = {result.clients: result.cpu for result in results if result.mode == "polling"}
    rows: list[tuple[str, ...]] = []
    for result in results:
        base = polling.get(result.clients)
        share = f"{100 * result.cpu / base:.1f}" if base else "-"
        pairs = len(result.staleness.values)
        rows.append(
            (
                result.name,
                str(result.clients),
                f"{result.cpu:.2f}",
                share,
                str(result.window.requests),
                f"{result.window.bytes / 1e6:.2f}",
                fmt_ms(*result.staleness.percentile(50)),
                fmt_ms(*result.staleness.percentile(99)),
                f"{result.staleness.missed}/{pairs}",
                f"{100 * result.client_share:.0f}",
            )
        )
    return rows


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(header[i]), *(len(row[i]) for row in rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([line(header), *(line(row) for row in rows)])


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


SETUP_HEADER = ("mode", "N", "setup CPU s", "requests", "MB", "seconds")


def setup_rows(results: Sequence[ModeResult]) -> list[tuple[str, ...]]:
    return [
        (
            result.name,
            str(result.clients),
            f"{result.setup_cpu:.2f}",
            str(result.setup.requests),
            f"{result.setup.bytes / 1e6:.2f}",
            f"{result.setup.seconds:.1f}",
        )
        for result in results
        if result.mode != "polling"
    ]


def find(results: Sequence[ModeResult], mode: str, clients: int) -> ModeResult | None:
    return next((r for r in results if r.mode == mode and r.clients == clients), None)


def verdicts(results: Sequence[ModeResult]) -> list[str]:
    """The two targets, PASS or MISS and by how much."""
    largest = max(result.clients for result in results)
    lines = []
    snapshot, polling = find(results, "snapshot", largest), find(results, "polling", largest)
    if snapshot and polling and polling.cpu > 0:
        budget = CPU_TARGET * polling.cpu
        share = snapshot.cpu / polling.cpu
        if snapshot.cpu < budget:
            how = f"PASS, {budget - snapshot.cpu:.2f} s under the budget ({snapshot.cpu / budget:.2f}x of it)"
        else:
            how = f"MISS by {snapshot.cpu - budget:.2f} s ({snapshot.cpu / budget:.2f}x the budget)"
        lines.append(
            f"Target 1, SSE + snapshot server CPU < 1/10 of polling at N = {largest}: {snapshot.cpu:.2f} s vs a "
            f"budget of {budget:.2f} s ({100 * share:.1f}% of polling's {polling.cpu:.2f} s) -> {how}"
        )
    parts, worst = [], 0.0
    for result in results:
        if result.mode != "snapshot":
            continue
        p99, bounded = result.staleness.percentile(99)
        worst = max(worst, math.inf if bounded else p99)
        parts.append(f"N = {result.clients}: {fmt_ms(p99, bounded)} ms")
    if parts:
        if worst < P99_TARGET_MS:
            how = f"PASS, {P99_TARGET_MS - worst:.1f} ms under ({worst / P99_TARGET_MS:.2f}x the target)"
        elif math.isinf(worst):
            how = "MISS (p99 falls among changes never caught)"
        else:
            how = f"MISS by {worst - P99_TARGET_MS:.1f} ms ({worst / P99_TARGET_MS:.2f}x the target)"
        lines.append(f"Target 2, SSE + snapshot staleness p99 < {P99_TARGET_MS:g} ms: {', '.join(parts)} -> {how}")
    return lines


@dataclass
class Baseline:
    per_move: float  # server CPU s per column move with no client connected
    idle: float  # server CPU share when nothing happens

    def window(self, seconds: float) -> float:
        """What the changes alone cost in a window: one move per second plus the idle load."""
        return math.floor(seconds) * self.per_move + seconds * self.idle


def fitted_moves_cost(results: Sequence[ModeResult]) -> tuple[float, float] | None:
    """(B, k) from the polling runs: CPU = B + k x list GETs, B being the window's moves plus the idle server.

    The same moves run in every window, one a second; a move made a second after the last costs more than the
    back-to-back moves of the no-client measurement (caches gone cold, idle threads woken), so B is the better
    estimate of what every mode pays before serving any client."""
    points = [(float(r.window.requests), r.cpu) for r in results if r.mode == "polling"]
    if len({x for x, _ in points}) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sum((x - mean_x) ** 2 for x, _ in points)
    return mean_y - slope * mean_x, slope


def cost_lines(results: Sequence[ModeResult], baseline: Baseline) -> list[str]:
    """Where the server's CPU goes per mode, from the measured totals."""
    lines = [
        f"No clients: a column move costs the server {1000 * baseline.per_move:.1f} ms CPU (two events written and "
        f"published), idle {100 * baseline.idle:.1f}% of a core: {baseline.window(results[0].seconds):.2f} s per "
        f"{results[0].seconds:g} s window with nobody watching."
    ]
    for result in results:
        extra = result.cpu - baseline.window(result.seconds)
        gets = result.window.requests - (0 if result.mode == "polling" else result.clients)
        if result.mode == "snapshot":
            per = f"{1e6 * extra / max(1, result.window.events):.0f} us per event delivered to a client"
            what = f"{result.window.events} events delivered"
        else:
            per = f"{1000 * extra / max(1, gets):.2f} ms per list GET"
            what = f"{gets} list GETs answered"
            if result.mode == "reload":
                what += f" of {result.window.wanted} wanted, {result.window.backlog} still queued at the end"
        lines.append(
            f"{result.name}, N = {result.clients}: {result.cpu:.2f} s, of which {extra:.2f} s above the no-client "
            f"cost; {what}: {per}; server {100 * result.cpu / result.seconds:.0f}% of a core."
        )
    fit = fitted_moves_cost(results)
    if fit is not None:
        moves, per_get = fit
        lines.append(
            f"Fitted over the polling runs (CPU = B + k x list GETs): B = {moves:.2f} s per window for the moves "
            f"(one a second) and the idle server, k = {1000 * per_get:.2f} ms per list GET; B is above the "
            f"no-client estimate ({baseline.window(results[0].seconds):.2f} s) because a move a second after the "
            "last costs more than back-to-back ones."
        )
        for result in results:
            if result.mode == "snapshot":
                sends = result.window.events / 2  # a move's two events travel in one send
                lines.append(
                    f"SSE + snapshot, N = {result.clients}, with B as the no-client cost: "
                    f"{result.cpu - moves:.2f} s for {sends:.0f} sends, "
                    f"{1e6 * (result.cpu - moves) / max(1.0, sends):.0f} us per send."
                )
    return lines


def notes(results: Sequence[ModeResult]) -> list[str]:
    lines = []
    for result in results:
        late = max((c.start_ns - c.planned_ns for c in result.changes), default=0) / MS
        patch = sorted(c.answered_ns - c.start_ns for c in result.changes if c.version is not None)
        problems = []
        if result.patch_errors:
            problems.append(f"{result.patch_errors} PATCHes failed")
        if result.window.errors:
            problems.append(f"client errors: {'; '.join(result.window.errors)}")
        if result.window.retries:
            problems.append(f"{result.window.retries} fetches resent after an idle-connection close")
        if result.client_share > 0.8:
            problems.append("the client process was near a full core: its numbers may include its own delay")
        if result.others / result.seconds > OTHERS_WARN:
            problems.append(f"OTHER processes used {100 * result.others / result.seconds:.0f}% of a core meanwhile")
        lines.append(
            f"{result.name}, N = {result.clients}: {len(result.changes)} changes ({result.scored} scored), "
            f"PATCH p50 {percentile(patch, 50) / MS:.1f} ms / max {(patch[-1] if patch else 0) / MS:.0f} ms, "
            f"sender late by at most {late:.1f} ms; per change, its slowest client: median "
            f"{percentile(result.staleness.slowest, 50) / MS:.1f} ms, worst "
            f"{(result.staleness.slowest[-1] if result.staleness.slowest else math.nan) / MS:.1f} ms; "
            f"client process {100 * result.client_share:.0f}% of a core, rest of the machine "
            f"{100 * result.others / result.seconds:.0f}%" + (f"; {'; '.join(problems)}" if problems else "")
        )
    return lines


def draw_chart(results: Sequence[ModeResult], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted({result.clients for result in results})
    colors = {"polling": "#8c8c8c", "reload": "#d95f02", "snapshot": "#1b9e77"}
    figure, (cpu_axis, stale_axis) = plt.subplots(1, 2, figsize=(11, 4.4))
    width = 0.26
    boxed = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}
    for offset, mode in enumerate(MODES):
        for group, clients in enumerate(sizes):
            result = find(results, mode, clients)
            if result is None:
                continue
            x = group + (offset - 1) * width
            label = MODE_NAMES[mode] if group == 0 else None
            cpu_axis.bar(x, max(result.cpu, 0.01), width, color=colors[mode], label=label)
            cpu_axis.annotate(
                f"{result.cpu:.2f}",
                (x, max(result.cpu, 0.01)),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                fontsize=8,
                bbox=boxed,
            )
            p99, bounded = result.staleness.percentile(99)
            stale_axis.bar(x, p99, width, color=colors[mode], label=label, hatch="//" if bounded else None)
            stale_axis.annotate(
                fmt_ms(p99, bounded),
                (x, p99),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                fontsize=8,
                bbox=boxed,
            )
    largest = sizes[-1]
    polling = find(results, "polling", largest)
    if polling is not None:
        budget = CPU_TARGET * polling.cpu
        group = sizes.index(largest)
        cpu_axis.hlines(budget, group - 1.6 * width, group + 1.6 * width, colors="black", linestyles="dashed")
        cpu_axis.annotate(
            "target: 1/10 of polling", (group - 1.5 * width, budget * 1.12), fontsize=8, va="bottom", ha="left"
        )
    stale_axis.axhline(P99_TARGET_MS, color="black", linestyle="dashed", linewidth=1)
    stale_axis.annotate(f"target {P99_TARGET_MS:g} ms", (-0.45, P99_TARGET_MS * 1.15), fontsize=8)
    seconds = results[0].seconds
    for axis, title, unit in (
        (cpu_axis, f"Server CPU in a {seconds:g} s window (log)", "CPU seconds"),
        (stale_axis, "Staleness p99 (log; hatched = lower bound)", "ms from PATCH start"),
    ):
        axis.set_yscale("log")
        axis.set_xticks(range(len(sizes)), [f"N = {clients}" for clients in sizes])
        axis.set_title(title, fontsize=10)
        axis.set_ylabel(unit)
        axis.grid(axis="y", which="major", alpha=0.3)
        bottom, top = axis.get_ylim()
        axis.set_ylim(bottom, top * 2)  # room for the labels
    figure.legend(*cpu_axis.get_legend_handles_labels(), loc="lower center", ncol=len(MODES), fontsize=9)
    figure.suptitle("Werkplaats: N clients watching, one change per second", fontsize=11)
    figure.tight_layout(rect=(0, 0.07, 1, 1))
    figure.savefig(path, dpi=110)
    plt.close(figure)


def machine() -> str:
    memory = "?"
    with suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    model = ""
    with suppress(OSError):
        model = next(
            (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
             if line.startswith("model name")),
            "",
        )  # fmt: skip
    cpu = f"{os.cpu_count()} cores" + (f" ({model})" if model else "")
    return f"{cpu}, {memory} RAM, Python {platform.python_version()}, Linux {platform.release()}"


def summary(results: Sequence[ModeResult], baseline: Baseline, poll_seconds: float) -> str:
    """The paragraph on what the table shows, worded from the numbers."""
    largest = max(result.clients for result in results)
    polling, reload, snapshot = (find(results, mode, largest) for mode in MODES)
    if not (polling and reload and snapshot and polling.cpu > 0):
        return ""
    p50, p99 = (fmt_ms(*polling.staleness.percentile(p)) for p in (50, 99))
    text = [
        f"At N = {largest}, polling every {poll_seconds:g} s cost the server {polling.cpu:.2f} CPU s in "
        f"{polling.seconds:g} s, and a change reached a board {p50} ms after it was made (p50; p99 {p99} ms): "
        "half the poll interval on average, nearly all of it at worst."
    ]
    reload_p99 = fmt_ms(*reload.staleness.percentile(99))
    reload_share = reload.cpu / reload.seconds
    line = (
        f"SSE with a list refetch on every event cost {reload.cpu:.2f} s ({reload.cpu / polling.cpu:.1f}x polling) "
        f"and sent {reload.window.bytes / 1e6:.1f} MB (polling: {polling.window.bytes / 1e6:.1f} MB)"
    )
    if reload.window.backlog or reload_share > 0.8:
        line += (
            f"; the server ran at {100 * reload_share:.0f}% of a core and could not keep up: "
            f"{reload.window.wanted - reload.window.backlog} of {reload.window.wanted} refetches answered, "
            f"{reload.window.backlog} still queued at the window end, p99 {reload_p99} ms."
        )
    else:
        line += f"; p99 {reload_p99} ms."
    text.append(line)
    snapshot_p99 = fmt_ms(*snapshot.staleness.percentile(99))
    text.append(
        f"SSE carrying the snapshot cost {snapshot.cpu:.2f} s ({100 * snapshot.cpu / polling.cpu:.1f}% of "
        f"polling), sent {snapshot.window.bytes / 1e6:.2f} MB, and every client held the new state "
        f"{snapshot_p99} ms (p99) after the change started."
    )
    fit = fitted_moves_cost(results)
    moves = fit[0] if fit is not None else baseline.window(snapshot.seconds)
    budget = CPU_TARGET * polling.cpu
    text.append(
        f"About {moves:.2f} s of every mode's CPU is the moves themselves and the idle server (fitted over the "
        f"polling runs; {1000 * baseline.per_move:.1f} ms of server CPU per back-to-back move with nobody "
        f"watching), so the delivery part of SSE + snapshot is "
        f"{max(0.0, snapshot.cpu - moves):.2f} s against polling's {max(0.0, polling.cpu - moves):.2f} s"
        + (
            f"; the moves alone already use {100 * moves / budget:.0f}% of the 1/10 budget ({budget:.2f} s)."
            if moves > 0.5 * budget
            else "."
        )
    )
    faster = snapshot.staleness.percentile(99)[0] < polling.staleness.percentile(99)[0]
    cheaper = snapshot.cpu < polling.cpu
    if faster and cheaper:
        verdict = "So live updates are both faster and cheaper than polling when the event carries the data"
    elif faster:
        verdict = "So live updates are faster, but in this run not cheaper than polling"
    else:
        verdict = "In this run live updates were not faster than polling"
    if reload.cpu > polling.cpu:
        verdict += "; refetching the list on every event makes the same stream the most expensive option."
    else:
        verdict += "."
    text.append(verdict)
    return " ".join(text)


def write_doc(
    path: Path,
    results: Sequence[ModeResult],
    baseline: Baseline,
    command: str,
    started: dt.datetime,
    elapsed: float,
    orders: int,
    poll_seconds: float,
    load_before: Sequence[str],
) -> None:
    chart = path.with_suffix(".png")
    path.parent.mkdir(parents=True, exist_ok=True)
    draw_chart(results, chart)
    seconds = results[0].seconds
    body = [
        "# Performance: polling versus live updates",
        "",
        f"Run {started:%Y-%m-%d %H:%M} (local time), {elapsed:.0f} s in all, on {machine()}.",
        "",
        "```",
        command,
        "```",
        "",
        "(Run under `flock /tmp/bench.lock` so that no other benchmark shared the machine.)",
        "",
        load_line(results, load_before),
        "",
        f"One server (`main.py serve`, fresh SQLite database), {orders} work orders seeded and spread over the six "
        f"columns. For each N, N clients watch while one work order moves to its next column every second for "
        f"{seconds:g} s (each move emits two events, column and status); the three modes run one after another "
        "against the same server, with clients in one separate process. Source and definitions: "
        "`bench/compare.py` (module docstring).",
        "",
        (
            f"The product asked for {PRODUCT_SECONDS:g} s per run; 3 modes x 2 sizes x {PRODUCT_SECONDS:g} s does "
            f"not fit the 5-minute limit of one bench command, so this run used {seconds:g} s windows."
            if seconds < PRODUCT_SECONDS
            else f"Windows of {seconds:g} s, as the product asked (at least {PRODUCT_SECONDS:g} s)."
        ),
        "",
        f"- **polling**: every client GETs `/api/workorders` every {poll_seconds:g} s, first GETs spread evenly "
        f"over {poll_seconds:g} s (uvicorn closes a keep-alive connection after 5 s idle, so each poll opens a new "
        "connection, as a browser's would).",
        "- **SSE + reload**: every client holds the stream and GETs the whole list on every event (no debounce; "
        "one keep-alive connection per client, so its GETs queue one after another).",
        "- **SSE + snapshot**: every client holds the stream and applies the work order carried in the event.",
        "",
        "## Results",
        "",
        markdown_table(HEADER, table_rows(results)),
        "",
        f"CPU s = server utime + stime (`/proc/PID/stat`) in the {seconds:g} s window. Requests = requests answered "
        "in the window, plus the N streams held open through it. MB = response bytes the clients received "
        "(headers included). Staleness = PATCH start to the moment a client holds the new version (polling, "
        "reload: the list response carrying it fully read; snapshot: the event carrying it arrived), over every "
        f"(change, client) pair of the changes that started at least {poll_seconds:g} s before the window ended, "
        "in every mode "
        "(later changes still ran and cost, but polling could not yet have caught them). Missed = pairs not caught "
        "by the window end; they count in the percentiles as at least their time to the window end (shown `>=`). "
        "Client CPU % = the client process's share of one core (a full core would mean the clients, not the "
        "server, set the pace). Every change counts once per client, so one slow change is N pairs: with "
        f"{results[0].scored} scored changes the p99 is set by the slowest one or two of them (run notes: each "
        "change's slowest client).",
        "",
        f"![Server CPU and staleness p99 per mode and N]({chart.name})",
        "",
        "## Targets",
        "",
        *[f"- {line}" for line in verdicts(results)],
        "",
        "## What it shows",
        "",
        summary(results, baseline, poll_seconds),
        "",
        "Where the server's CPU goes (derived from the totals above):",
        "",
        *[f"- {line}" for line in cost_lines(results, baseline)],
        "",
        "One-time cost of the SSE modes, before the window (streams opened, then the list loaded once, as an "
        "opening board does; polling has no such step):",
        "",
        markdown_table(SETUP_HEADER, setup_rows(results)),
        "",
        "Run notes:",
        "",
        *[f"- {line}" for line in notes(results)],
        "",
        "How many streams one process holds, and how fast one change reaches all of them: "
        "[capacity.md](capacity.md) (`bench/capacity.py`).",
        "",
    ]
    path.write_text("\n".join(body))


def load_line(results: Sequence[ModeResult], load_before: Sequence[str]) -> str:
    """How busy the rest of the machine was: other processes compete with the server and the clients."""
    shares = [result.others / result.seconds for result in results]
    line = (
        f"Rest of the machine during the windows (all CPU time minus server, clients and sender): "
        f"{100 * min(shares):.0f}-{100 * max(shares):.0f}% of a core; load average before the run "
        f"{' / '.join(load_before)}."
    )
    if max(shares) > OTHERS_WARN:
        line += (
            f" **Warning: other processes used up to {100 * max(shares):.0f}% of a core during a window; on "
            f"{os.cpu_count()} cores that competes with the server, so latencies (and CPU times, less so) are "
            "pessimistic. Rerun on a quiet machine to compare.**"
        )
    return line


def display_command(argv: Sequence[str]) -> str:
    """The command line as the report shows it: `.venv/bin/python -m bench.compare …`, relative to the project."""
    python = Path(sys.executable).absolute()
    with suppress(ValueError):
        python = python.relative_to(ROOT)
    return shlex.join([str(python), "-m", "bench.compare", *argv])


def unmeasured(results: Sequence[ModeResult]) -> list[str]:
    """What the windows should have measured and did not: scored changes, caught by every client, no errors."""
    reasons = []
    for result in results:
        run = f"{result.name} x {result.clients}"
        if not result.scored:
            reasons.append(f"{run}: no change scored")
        if result.staleness.missed:
            reasons.append(f"{run}: {result.staleness.missed} (change, client) pairs never caught")
        if result.patch_errors:
            reasons.append(f"{run}: {result.patch_errors} PATCHes failed")
        if result.window.errors:
            reasons.append(f"{run}: client errors: {'; '.join(result.window.errors)}")
    return reasons


def measure(args: argparse.Namespace, sizes: Sequence[int], workdir: Path) -> tuple[list[ModeResult], Baseline]:
    """One server and one client process; the board seeded, then every (N, mode) in turn against them."""
    begun = time.monotonic()
    server = bench_server(f"sqlite:///{workdir / 'bench.db'}", workdir / "server.log")
    token = server.token("admin", "bench")
    results: list[ModeResult] = []
    try:
        with child_process(client_process) as (conn, client_pid), server:
            pid = server.running.pid
            board = Board(server.url, token)
            per_move, idle = board.seed(args.orders, pid)
            baseline = Baseline(per_move, idle)
            print(
                f"# server up and seeded in {time.monotonic() - begun:.1f} s (port {server.port}, client pid "
                f"{client_pid}); {1000 * per_move:.1f} ms CPU per move, idle {100 * idle:.1f}%",
                file=sys.stderr,
            )
            for clients in sizes:
                for mode in MODES:
                    result = run_mode(conn, pid, board, server.port, token, mode, clients, args)
                    results.append(result)
                    p99, bounded = result.staleness.percentile(99)
                    print(
                        f"# {result.name} x {clients}: CPU {result.cpu:.2f} s, {result.window.requests} requests, "
                        f"p99 {fmt_ms(p99, bounded)} ms, missed {result.staleness.missed}, "
                        f"client {100 * result.client_share:.0f}% ({time.monotonic() - begun:.0f} s so far)",
                        file=sys.stderr,
                    )
    finally:
        log_findings({"server": workdir / "server.log"})
    return results, baseline


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", default="50,200", help="comma-separated client counts (default 50,200)")
    parser.add_argument("--seconds", type=float, default=45.0, help="window per (mode, N) (default 45)")
    parser.add_argument("--orders", type=int, default=50, help="work orders seeded first (default 50)")
    parser.add_argument("--poll-seconds", type=float, default=10.0, help="polling interval (default 10)")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "performance.md", help="report to write")
    args = parse_args(parser, argv, clients="3", seconds=2.0, orders=5, poll_seconds=1.0, doc=None)
    sizes = [int(part) for part in args.clients.split(",") if part.strip()]
    if not sizes or min(sizes) < 1 or args.orders < 1 or args.poll_seconds <= 0:
        parser.error("--clients, --orders and --poll-seconds must be positive")
    if args.seconds <= args.poll_seconds:
        parser.error("--seconds must be longer than --poll-seconds (changes are scored up to one interval before)")
    command = display_command(sys.argv[1:] if argv is None else argv)
    planned = len(sizes) * len(MODES) * args.seconds
    if args.seconds < PRODUCT_SECONDS:
        print(
            f"# note: {args.seconds:g} s windows, not the product's {PRODUCT_SECONDS:g} s: {len(MODES)} modes x "
            f"{len(sizes)} sizes x {PRODUCT_SECONDS:g} s = {len(sizes) * len(MODES) * PRODUCT_SECONDS:.0f} s of "
            f"windows alone exceeds the {LIMIT_SECONDS:.0f} s limit for one bench command",
            file=sys.stderr,
        )
    print(f"# {planned:.0f} s of measuring windows planned", file=sys.stderr)

    started_at = dt.datetime.now().astimezone()
    load_before = Path("/proc/loadavg").read_text().split(" ", 3)[:3]
    begun = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="werkplaats-compare-") as tmp:
        results, baseline = measure(args, sizes, Path(tmp))
        print(text_table(HEADER, table_rows(results)))
        print()
        print("setup (SSE modes, before the window):")
        print(text_table(SETUP_HEADER, setup_rows(results)))
        print()
        for line in verdicts(results):
            print(line)
        print()
        for line in cost_lines(results, baseline):
            print(line)
        for line in notes(results):
            print(f"# {line}", file=sys.stderr)
        if any(result.others / result.seconds > OTHERS_WARN for result in results):
            print(f"# warning: {load_line(results, load_before)}", file=sys.stderr)
        if args.seconds < PRODUCT_SECONDS:
            print(f"note: {args.seconds:g} s windows instead of the product's {PRODUCT_SECONDS:g} s (5-minute limit)")
        elapsed = time.monotonic() - begun
        doc: Path = args.doc or Path(tmp) / "performance.md"  # --quick: a scratch report, docs/ keeps the real one
        write_doc(doc, results, baseline, command, started_at, elapsed, args.orders, args.poll_seconds, load_before)
        total = time.monotonic() - begun
        print(f"wrote {doc} and {doc.with_suffix('.png')} ({total:.0f} s in all)")
        if total > LIMIT_SECONDS:
            print(
                f"# warning: {total:.0f} s is over the {LIMIT_SECONDS:.0f} s limit for one bench command",
                file=sys.stderr,
            )
        written = doc.exists() and doc.with_suffix(".png").exists()
    return exit_code(args.quick, unmeasured(results) + ([] if written else [f"{doc} not written"]))


if __name__ == "__main__":
    sys.exit(main())
