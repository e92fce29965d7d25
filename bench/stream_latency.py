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

    .venv/bin/python bench/stream_latency.py --clients 1,100 --changes 200
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing as mp
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Protocol, cast

import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
COLUMNS = ("Onder handen", "Wacht op onderdelen")  # alternate: every move is a real change
STREAM_PATH = "/api/workorders/stream?changeType=column"
STARTUP_SECONDS = 30.0


# --- SSE clients (run in a child process) -----------------------------------------------------------------


def parse_message(message: bytes) -> tuple[int, bytes]:
    """(event id or -1, data) of one SSE message (the text between blank lines); data is b"" for a comment."""
    event_id, data = -1, b""
    for line in message.split(b"\r\n"):
        if line.startswith(b"id: "):
            event_id = int(line[4:])
        elif line.startswith(b"data: "):
            data = line[6:]
    return event_id, data


def stream_request(port: int, token: str, path: str = STREAM_PATH) -> bytes:
    """The raw HTTP/1.1 request that opens one stream."""
    return (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAuthorization: Bearer {token}\r\n"
        "Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"
    ).encode()


class MessageSink(Protocol):
    """What an SseClient hands its messages to (Hub here; other benches bring their own)."""

    done: asyncio.Future[None]

    def message(self, index: int, message: bytes, arrived: int) -> None: ...

    def fail(self, reason: str) -> None: ...


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


class SseClient(asyncio.Protocol):
    """One stream: a raw HTTP/1.1 GET, a minimal chunked decoder, messages split on the blank line."""

    def __init__(self, index: int, hub: MessageSink, request: bytes) -> None:
        self.index = index
        self.hub = hub
        self.request = request
        self.raw = bytearray()
        self.body = bytearray()
        self.headers_done = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        cast(asyncio.WriteTransport, transport).write(self.request)  # uvloop: not an asyncio.Transport

    def data_received(self, data: bytes) -> None:
        arrived = time.monotonic_ns()  # stamp first: parsing must not count as latency
        self.raw += data
        if not self.headers_done:
            end = self.raw.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.raw[:end])
            del self.raw[: end + 4]
            if not head.startswith(b"HTTP/1.1 200"):
                self.hub.fail(f"client {self.index}: {head.splitlines()[0].decode(errors='replace')}")
                return
            if b"transfer-encoding: chunked" not in head.lower():
                self.hub.fail(f"client {self.index}: expected a chunked body")
                return
            self.headers_done = True
        self._dechunk()
        while (end := self.body.find(b"\r\n\r\n")) >= 0:
            message = bytes(self.body[:end])
            del self.body[: end + 4]
            self.hub.message(self.index, message, arrived)

    def _dechunk(self) -> None:
        while (line_end := self.raw.find(b"\r\n")) >= 0:
            size = int(self.raw[:line_end].split(b";")[0], 16)
            if len(self.raw) < line_end + 2 + size + 2:
                return
            start = line_end + 2
            self.body += self.raw[start : start + size]
            del self.raw[: start + size + 2]
            if size == 0:
                self.hub.fail(f"client {self.index}: stream ended")
                return

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.hub.done.done():
            self.hub.fail(f"client {self.index}: connection lost ({exc})")


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


def install_uvloop() -> None:
    """The client processes run on uvloop when it is installed (a cheaper client side), else on asyncio's loop."""
    with suppress(ImportError):
        import uvloop

        uvloop.install()


@contextmanager
def child_process(
    target: Callable[..., None], *args: object, join_seconds: float = 5.0
) -> Iterator[tuple[Connection, int]]:
    """`target(pipe, *args)` in a spawned process; yields (pipe, pid). Told to stop at the end, then killed if it
    lingers past `join_seconds`."""
    context = mp.get_context("spawn")
    conn, child_conn = context.Pipe()
    process = context.Process(target=target, args=(child_conn, *args), daemon=True)
    process.start()
    child_conn.close()
    try:
        assert process.pid is not None
        yield conn, process.pid
    finally:
        with suppress(OSError):
            conn.send(("stop",))
        process.join(join_seconds)
        if process.is_alive():
            process.kill()
            process.join()
        conn.close()


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


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not values:
        return math.nan
    return float(values[max(0, math.ceil(p / 100 * len(values)) - 1)])


def cpu_seconds(pid: int) -> float:
    """utime + stime of every thread of a process so far (fields 14 and 15 of /proc/PID/stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # the command name may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def server_env(database_url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "SSE_PING_SECONDS": "60"}


def create_token(env: dict[str, str], name: str = "bench") -> str:
    """An admin API token made with `main.py create-token` (it prints the token alone on its last line)."""
    made = subprocess.run(
        [sys.executable, "main.py", "create-token", name, "--role", "admin"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return made.stdout.strip().splitlines()[-1].strip()


def start_server(
    env: dict[str, str], log_path: Path, preexec_fn: Callable[[], object] | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    """`main.py serve` on a free port, output to log_path; not yet healthy (see wait_healthy).

    preexec_fn runs in the child before the server starts (e.g. to raise its resource limits)."""
    port = free_port()
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "main.py", "serve", "--host", HOST, "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=preexec_fn,
        )
    return server, port


def stop_servers(*servers: subprocess.Popen[bytes], timeout: float = 15) -> None:
    """SIGTERM each once (a second one makes uvicorn skip its graceful shutdown), wait, kill what still runs."""
    for server in servers:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for server in servers:
        try:
            server.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextmanager
def running_server(workdir: Path) -> Iterator[tuple[int, str]]:
    """A fresh server on a free port; yields (port, admin token); SIGTERM and wait at the end."""
    env = server_env(f"sqlite:///{workdir / 'bench.db'}")
    token = create_token(env)
    log_path = workdir / "server.log"
    server, port = start_server(env, log_path)
    try:
        wait_healthy(server, port, log_path)
        yield port, token
    finally:
        stop_servers(server)


def wait_healthy(server: subprocess.Popen[bytes], port: int, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited ({server.returncode}):\n{log_path.read_text()[-2000:]}")
        with suppress(httpx.HTTPError):
            if httpx.get(f"http://{HOST}:{port}/healthz", timeout=1).json().get("status") == "ok":
                return
        time.sleep(0.2)
    raise RuntimeError(f"server not healthy after {STARTUP_SECONDS:.0f} s:\n{log_path.read_text()[-2000:]}")


def receive(conn: Connection, timeout: float) -> tuple[object, ...] | None:
    """The client process's next message, None on timeout; its errors are raised here."""
    if not conn.poll(max(0.0, timeout)):
        return None
    message: tuple[object, ...] = conn.recv()
    if message[0] == "error":
        raise RuntimeError(f"SSE clients failed: {message[1]}")
    return message


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
                response = http.patch(move_path, json={"column": COLUMNS[number % 2]})
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", default="1,100", help="comma-separated client counts (default 1,100)")
    parser.add_argument("--changes", type=int, default=200, help="measured changes per client count")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured changes first (default 10)")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for all clients")
    args = parser.parse_args(argv)
    client_counts = [int(part) for part in args.clients.split(",") if part.strip()]
    if not client_counts or min(client_counts) < 1 or args.changes < 1:
        parser.error("--clients needs positive counts and --changes must be at least 1")

    results = []
    with (
        tempfile.TemporaryDirectory(prefix="werkplaats-bench-") as tmp,
        running_server(Path(tmp)) as (port, token),
    ):
        for clients in client_counts:
            started = time.monotonic()
            results.append(run_round(port, token, clients, args.changes, args.warmup, args.timeout))
            print(f"# {clients} clients: {time.monotonic() - started:.1f} s", file=sys.stderr)
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
