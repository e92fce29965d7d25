"""What more than one bench needs, kept in one place so the benches cannot drift apart: the server under test,
raw SSE clients in a child process, /proc readings, percentiles, Chromium, and the `--quick` smoke run."""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Protocol, cast

from playwright.async_api import Browser as AsyncBrowser
from playwright.async_api import Playwright as AsyncPlaywright
from playwright.sync_api import Browser, Playwright

from models.enums import BoardColumn
from services.settings import Settings
from tests.pages.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.server import Server

HOST = "127.0.0.1"
STREAM_PATH = "/api/workorders/stream?changeType=column"
CYCLE = tuple(column.value for column in BoardColumn)  # the board, left to right
MOVES = (BoardColumn.ONDER_HANDEN.value, BoardColumn.WACHT_OP_ONDERDELEN.value)  # alternate: every move is a change


# --- the server -------------------------------------------------------------------------------------------


def bench_server(database_url: str, log_path: Path | None = None, **env: str) -> Server:
    """The tests' server, but with the app's own page timeout and a ping a minute: the tests' 1 s pings and 2 s
    page timeout would be measured too. RDW lookups stay off unless `env` points RDW_BASE_URL somewhere."""
    timings = {"SSE_PING_SECONDS": "60", "PAGE_RECONNECT_SECONDS": str(Settings.page_reconnect_seconds)}
    return Server(database_url, env={**timings, **env}, log_path=log_path)


def check_running(server: Server) -> None:
    """Fail with the log's tail when the server died under the load (else the bench would only see timeouts)."""
    if server.running.poll() is not None:
        raise RuntimeError(f"server exited ({server.running.returncode}):\n{server.log_text()[-3000:]}")


def log_findings(logs: Mapping[str, Path]) -> None:
    """Warnings, errors and tracebacks in the server logs (name -> log file), to stderr."""
    for name, log_path in logs.items():
        lines = log_path.read_text(errors="replace").splitlines() if log_path.exists() else []
        flagged = [line for line in lines if any(word in line.lower() for word in ("traceback", "error", "warning"))]
        print(f"# {name} log: {len(lines)} lines, {len(flagged)} flagged", file=sys.stderr)
        for line in flagged[:5]:
            print(f"#   {line[:200]}", file=sys.stderr)


# --- numbers from /proc -----------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """utime + stime of every thread of a process so far (fields 14 and 15 of /proc/PID/stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # the command name may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def profiled(pid: int, path: Path | None, rate: int = 200) -> Iterator[None]:
    """py-spy samples process `pid` while the block runs and writes collapsed stacks to `path` (read them with
    `python -m bench.top_stacks`); nothing when `path` is None. Only threads holding the GIL are sampled: the CPU
    Python spends, not uvloop waiting in its C loop (which py-spy would count as busy). Needs ptrace (root)."""
    if path is None:
        yield
        return
    spy = subprocess.Popen(
        [str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(pid), "--rate", str(rate),
         "--format", "raw", "--output", str(path), "--nonblocking", "--gil"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=30)


def proc_status_kib(pid: int, key: str = "VmRSS") -> int:
    """A `kB` line of /proc/PID/status: VmRSS (resident memory now), VmHWM (its peak)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {key} in /proc/{pid}/status")


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of values in any order (NaN for none): always a value that was measured."""
    if not values:
        return math.nan
    ordered = sorted(values)  # linear for the already sorted lists most callers pass
    return float(ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)])


# --- clients in a child process ---------------------------------------------------------------------------


def install_uvloop() -> None:
    """Client processes run on uvloop when it is installed (a cheaper client side), else on asyncio's loop."""
    with suppress(ImportError):
        import uvloop

        uvloop.install()


@contextmanager
def child_process(
    target: Callable[..., None], *args: object, join_seconds: float = 5.0
) -> Iterator[tuple[Connection, int]]:
    """`target(pipe, *args)` in a spawned process, so clients do not share the measuring process's core time;
    yields (pipe, pid). Told ("stop",) at the end, then killed if it lingers past `join_seconds`."""
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


def receive(conn: Connection, timeout: float) -> tuple[object, ...] | None:
    """The child process's next message, None on timeout; an ("error", reason) it sent is raised here."""
    if not conn.poll(max(0.0, timeout)):
        return None
    message: tuple[object, ...] = conn.recv()
    if message[0] == "error":
        raise RuntimeError(f"SSE clients failed: {message[1]}")
    return message


# --- raw SSE clients --------------------------------------------------------------------------------------


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
    """What an SseClient hands its messages to (each bench brings its own)."""

    done: asyncio.Future[None]

    def message(self, index: int, message: bytes, arrived: int) -> None: ...

    def fail(self, reason: str) -> None: ...


class SseClient(asyncio.Protocol):
    """One stream without an SSE library (cheap enough for hundreds per process): a raw HTTP/1.1 GET, a minimal
    chunked decoder, messages split on the blank line and stamped with CLOCK_MONOTONIC on arrival."""

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


# --- Chromium ---------------------------------------------------------------------------------------------


def require_chromium() -> None:
    """Stop with a clear message when Debian's Chromium (what the page tests use too) is missing."""
    if not CHROMIUM.exists():
        raise SystemExit(f"Chromium is needed at {CHROMIUM} (apt-get install chromium)")


def launch_chromium(driver: Playwright, *extra_args: str) -> Browser:
    """Headless Chromium started as the page tests start it."""
    require_chromium()
    return driver.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *extra_args])


async def launch_chromium_async(driver: AsyncPlaywright, *extra_args: str) -> AsyncBrowser:
    """The same for a bench that drives many pages at once with Playwright's async API."""
    require_chromium()
    return await driver.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *extra_args])


# --- the --quick smoke run --------------------------------------------------------------------------------


def parse_args(parser: argparse.ArgumentParser, argv: Sequence[str] | None, **quick: object) -> argparse.Namespace:
    """Parse argv with a `--quick` flag whose values replace the options: the smallest run that still goes
    through the whole bench, which `make test` runs (tests/test_benches.py) so a broken bench fails CI."""
    given = ", ".join(f"--{name.replace('_', '-')} {value}" for name, value in quick.items() if value is not None)
    parser.add_argument("--quick", action="store_true", help=f"a smoke run for CI ({given})")
    args = parser.parse_args(argv)
    if args.quick:
        for name, value in quick.items():
            setattr(args, name, value)
    return args


def exit_code(quick: bool, unmeasured: Sequence[str]) -> int:
    """0, unless a quick run missed what it should have measured: then CI fails with the reasons. A full run
    only warns (its report says how much was missed: that is a result, not a broken bench)."""
    for reason in unmeasured:
        print(f"# not measured: {reason}", file=sys.stderr)
    if quick:
        print(f"# quick run: {'FAILED' if unmeasured else 'ok'}", file=sys.stderr)
    return 1 if quick and unmeasured else 0
