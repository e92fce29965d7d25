"""SSE capacity of ONE server process: how many concurrent `GET /api/workorders/stream?changeType=column`
streams it holds, the server memory each stream costs, and the time one change takes to reach ALL of them.

Product target (issue 24): 10,000 streams, under 20 KB (1 KB = 1024 bytes) of server RSS per stream, and every
client reached within 300 ms of the change.

How it measures:

1. The bench raises its RLIMIT_NOFILE to the hard limit, then starts its own server (`main.py serve`, which
   inherits that limit; fresh temporary SQLite database, free port, SSE_PING_SECONDS=300 so no ping fires
   during the run), and makes an admin token with `main.py create-token`.
2. A load generator runs in a SEPARATE process (raw asyncio sockets, uvloop when importable, RLIMIT_NOFILE
   raised too). Each stream keeps only a few bytes of state: it checks the status line, then scans the
   body for `\\nid: N\\r` (the id line of every SSE message, also of the first `connected` message) and drops
   everything else.
3. Warm-up: one stream plus two changes, then that stream is closed. The server's VmRSS (/proc/PID/status)
   is read: "before".
4. The generator opens `--streams` streams, at most `--concurrency` connecting at a time (a stream counts
   as open once its `connected` message arrived), and reports how many opened and how long that took.
   VmRSS is read again: per stream = (after - before) / opened streams.
5. `--changes` changes, one at a time: a work order is moved between two columns with
   `PATCH /api/workorders/{id}/column`. The bench stamps the START of the PATCH, the generator stamps the
   arrival of that change's event at every stream; both use CLOCK_MONOTONIC (time.monotonic_ns), which is
   system-wide on Linux. A change waits until every open stream got it, or `--timeout`. Per change: the
   time until ALL streams had it; over all (change, stream) samples: p50/p99/max and missing deliveries.
   The server's CPU time (utime+stime of all its threads, /proc/PID/stat) is read around each change.
6. All streams are closed, the server is stopped (SIGTERM, then kill) and the temp dir removed.

Note: the generator shares the machine's cores with the server, so on a small machine the fan-out times
include some client-side scheduling delay; the server CPU per change is the server's own cost.

With `--profile DIR` py-spy (`.venv/bin/pip install py-spy`) samples the server while the streams open and
during the changes; the collapsed stacks go to DIR/open.txt and DIR/fanout.txt and the top functions are
printed (profiling costs CPU: do not compare those runs' timings with unprofiled ones).

Run from the project root (a heavy run: serialise it with other benches):

    flock /tmp/bench.lock .venv/bin/python -m bench.capacity --streams 10000
    .venv/bin/python -m bench.capacity --quick     # 20 streams, 3 changes (CI smoke)
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import math
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from array import array
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import cast

import httpx

from bench.common import (
    HOST,
    MOVES,
    bench_server,
    check_running,
    child_process,
    cpu_seconds,
    exit_code,
    install_uvloop,
    parse_args,
    percentile,
    proc_status_kib,
    receive,
    stream_request,
)

TARGET_STREAMS = 10_000
TARGET_KB_PER_STREAM = 20.0
TARGET_REACH_SECONDS = 0.3
ID_MARKER = b"\nid: "  # every SSE message of the stream has an id line; JSON data never holds a raw newline
KB = 1024


def raise_open_files_limit() -> int:
    """RLIMIT_NOFILE soft limit up to the hard limit (for this process and what it starts); returns it."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


# --- the load generator (runs in a child process) ---------------------------------------------------------


class Stream(asyncio.Protocol):
    """One SSE stream with tiny state: a few tail bytes (a marker split across reads) and a phase."""

    __slots__ = ("index", "phase", "streams", "tail", "waiter")

    HEADERS, CONNECTING, LIVE, DONE = range(4)

    def __init__(self, streams: Streams, index: int, waiter: asyncio.Future[None]) -> None:
        self.streams = streams
        self.index = index
        self.waiter: asyncio.Future[None] | None = waiter  # dropped once connected
        self.tail = b""
        self.phase = Stream.HEADERS

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        cast(asyncio.WriteTransport, transport).write(self.streams.request)  # uvloop: not an asyncio.Transport

    def data_received(self, data: bytes) -> None:
        arrived = time.monotonic_ns()  # stamp first: scanning must not count as latency
        buffer = self.tail + data if self.tail else data
        start = 0
        if self.phase == Stream.HEADERS:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                self.tail = buffer  # the response head is a few hundred bytes
                return
            status = buffer[: buffer.find(b"\r\n")]
            if not status.startswith(b"HTTP/1.1 200"):
                self._fail(status.decode(errors="replace"))
                return
            self.phase, start = Stream.CONNECTING, end + 2  # keep "\r\n": the first chunk-size line follows
        while (found := buffer.find(ID_MARKER, start)) >= 0:
            line_end = buffer.find(b"\r", found + len(ID_MARKER))
            if line_end < 0:
                self.tail = buffer[found:]
                return
            event_id = int(buffer[found + len(ID_MARKER) : line_end])
            start = line_end
            if self.phase == Stream.CONNECTING:
                self.phase = Stream.LIVE
                self.streams.on_connected(self)
            elif self.phase == Stream.LIVE:
                self.streams.on_event(event_id, self.index, arrived)
        self.tail = buffer[-(len(ID_MARKER) - 1) :]  # no whole marker fits: nothing is seen twice

    def _fail(self, reason: str) -> None:
        self.phase = Stream.DONE
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError(reason))

    def connection_lost(self, exc: Exception | None) -> None:
        if self.phase == Stream.LIVE:
            self.streams.on_lost()
        self._fail("closed before the connected message" if exc is None else f"closed: {exc}")


@dataclass
class Arrivals:
    """One event's arrival time (ns) per stream index, 0 = not (yet) arrived."""

    times: array[int]
    count: int = 0


@dataclass
class Streams:
    """A batch of streams opened by one "open" command, and the events they received."""

    request: bytes
    size: int
    transports: list[asyncio.BaseTransport] = field(default_factory=list)
    alive: int = 0  # connected and not lost
    lost: int = 0  # lost after they were connected
    late: int = 0  # arrivals of an event after it was reported
    reported: int = -1  # the newest event id reported to the parent
    arrivals: dict[int, Arrivals] = field(default_factory=dict)

    def on_connected(self, stream: Stream) -> None:
        self.alive += 1
        if stream.waiter is not None and not stream.waiter.done():
            stream.waiter.set_result(None)
        stream.waiter = None

    def on_lost(self) -> None:
        self.alive -= 1
        self.lost += 1

    def on_event(self, event_id: int, index: int, arrived: int) -> None:
        if event_id <= self.reported:
            self.late += 1
            return
        entry = self.arrivals.get(event_id)
        if entry is None:
            entry = self.arrivals[event_id] = Arrivals(array("q", bytes(8 * self.size)))
        if not entry.times[index]:
            entry.times[index] = arrived
            entry.count += 1

    async def next_event(self, deadline_ns: int) -> tuple[int | None, int, int, bytes]:
        """The oldest unreported event once every live stream has it (or at the deadline):
        (event id or None, streams reached, streams expected, arrival times as array('q') bytes)."""
        expected = self.alive
        while True:
            target = min((event_id for event_id in self.arrivals if event_id > self.reported), default=None)
            if target is not None and self.arrivals[target].count >= self.alive:
                break
            if time.monotonic_ns() >= deadline_ns:
                break
            await asyncio.sleep(0.002)  # polling only delays the answer, not the arrival stamps
        if target is None:
            return None, 0, expected, b""
        entry = self.arrivals[target]
        self.reported = target
        for event_id in [event_id for event_id in self.arrivals if event_id <= target]:
            del self.arrivals[event_id]
        return target, entry.count, max(expected, self.alive), entry.times.tobytes()

    def close(self) -> None:
        for transport in self.transports:
            transport.close()
        self.transports.clear()


async def open_streams(
    streams: Streams, port: int, concurrency: int, connect_timeout: float, open_deadline: float
) -> tuple[int, dict[str, int], int, int, int]:
    """Open streams.size streams, at most `concurrency` in flight; stop starting new ones at open_deadline
    (monotonic seconds). Returns (opened, failure reasons, attempted, first start ns, last connected ns)."""
    loop = asyncio.get_running_loop()
    indices = iter(range(streams.size))
    failures: Counter[str] = Counter()
    attempted = 0
    last_connected = 0
    first_start = time.monotonic_ns()

    async def open_one(index: int) -> None:
        nonlocal last_connected
        waiter: asyncio.Future[None] = loop.create_future()
        give_up = time.monotonic() + connect_timeout
        try:
            transport, _ = await asyncio.wait_for(
                loop.create_connection(lambda: Stream(streams, index, waiter), HOST, port), connect_timeout
            )
        except TimeoutError:
            failures["connect timeout"] += 1
            return
        except OSError as error:
            failures[f"connect: {error.strerror or error!r}"] += 1
            return
        streams.transports.append(transport)
        try:
            await asyncio.wait_for(waiter, max(0.0, give_up - time.monotonic()))
            last_connected = time.monotonic_ns()
        except TimeoutError:
            failures[f"no connected message within {connect_timeout:g} s"] += 1
            transport.close()
        except ConnectionError as error:
            failures[str(error)[:80]] += 1
            transport.close()

    async def worker() -> None:
        nonlocal attempted
        for index in indices:
            if time.monotonic() >= open_deadline:
                return
            attempted += 1
            await open_one(index)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return streams.alive, dict(failures), attempted, first_start, last_connected


async def generator_loop(conn: Connection, port: int, token: str) -> None:
    """Serve the parent's commands: ("open", n, concurrency, connect_timeout, open_seconds), ("wait",
    deadline_ns), ("close",), ("stop",)."""
    loop = asyncio.get_running_loop()
    request = stream_request(port, token)
    streams = Streams(request, 0)
    while True:
        try:
            command = await loop.run_in_executor(None, conn.recv)
        except EOFError:  # the parent went away
            command = ("stop",)
        if command[0] == "open":
            _, size, concurrency, connect_timeout, open_seconds = command
            streams.close()
            streams = Streams(request, size)
            result = await open_streams(streams, port, concurrency, connect_timeout, time.monotonic() + open_seconds)
            conn.send(("opened", *result))
        elif command[0] == "wait":
            conn.send(("change", *await streams.next_event(command[1]), streams.lost, streams.late))
        elif command[0] == "close":
            streams.close()
            await asyncio.sleep(0.5)  # let the transports finish closing
            conn.send(("closed",))
        else:
            streams.close()
            await asyncio.sleep(0.2)
            return


def generator_process(conn: Connection, port: int, token: str) -> None:
    """Entry point of the load-generator process."""
    raise_open_files_limit()
    install_uvloop()
    try:
        asyncio.run(generator_loop(conn, port, token))
    except Exception as error:
        with suppress(OSError):
            conn.send(("error", repr(error)))


class Generator:
    """The parent's handle on the load-generator process."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def call(self, command: tuple[object, ...], timeout: float) -> tuple[object, ...]:
        self.conn.send(command)
        reply = receive(self.conn, timeout)
        if reply is None:
            raise RuntimeError(f"load generator did not answer {command[0]!r} within {timeout:.0f} s")
        return reply


@contextmanager
def load_generator(port: int, token: str) -> Iterator[Generator]:
    with child_process(generator_process, port, token, join_seconds=10) as (conn, _):
        yield Generator(conn)


# --- the server and its numbers ---------------------------------------------------------------------------


def subscribers(http: httpx.Client) -> int:
    """The server's own count of open streams (GET /api/diagnostics), -1 if unavailable."""
    with suppress(httpx.HTTPError, KeyError, ValueError):
        return int(http.get("/api/diagnostics", timeout=30).json()["broadcasterSubscribers"])
    return -1


def settle_rss(pid: int, seconds: float = 5.0) -> int:
    """VmRSS once it stopped moving (two reads 0.5 s apart within 1 %), or after `seconds`."""
    deadline = time.monotonic() + seconds
    previous = proc_status_kib(pid) * KB
    while time.monotonic() < deadline:
        time.sleep(0.5)
        current = proc_status_kib(pid) * KB
        if abs(current - previous) <= previous // 100:
            return current
        previous = current
    return previous


# --- py-spy ------------------------------------------------------------------------------------------------


@contextmanager
def profiled(pid: int, output: Path | None) -> Iterator[None]:
    """py-spy record (collapsed stacks, one line per stack) of `pid` while the block runs."""
    if output is None:
        yield
        return
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    command = [py_spy, "record", "--pid", str(pid), "--format", "raw", "--output", str(output)]
    command += ["--rate", "100", "--nonblocking", "--threads", "--function", "--gil"]  # --gil: CPU, not waits
    recorder = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(1.0)  # attach before the measured work starts
    try:
        yield
    finally:
        recorder.send_signal(signal.SIGINT)  # py-spy writes its output on Ctrl-C
        try:
            _, errors = recorder.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            recorder.kill()
            _, errors = recorder.communicate()
        if not output.exists():
            print(f"# py-spy failed: {errors.decode(errors='replace')[-500:]}", file=sys.stderr)


ROOT_FRAMES = (  # on (nearly) every stack: left out of the "anywhere on the stack" list
    "<module> (main.py",
    "main (main.py",
    "serve (main.py",
    "run (uvicorn/main.py",
    "Server.run (uvicorn/server.py",
    "asyncio_run (uvicorn/_compat.py",
    "Runner.run (asyncio/runners.py",
    "Thread._bootstrap",
    "WorkerThread.run (anyio",
)


def profile_summary(path: Path, title: str, pid: int, top: int = 15) -> list[str]:
    """Top functions of a py-spy raw profile: by own samples and by samples anywhere on the stack."""
    if not path.exists():
        return [f"{title}: no profile ({path} missing)"]
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    threads: Counter[str] = Counter()
    samples = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        thread, frames = (frames[0], frames[1:]) if frames[0].startswith(("thread", "process")) else ("?", frames)
        samples += count
        main_thread = f"({pid})" in thread or "MainThread" in thread  # the main thread's id is the pid
        threads["event loop (main thread)" if main_thread else "worker threads"] += count
        if frames:
            own[frames[-1]] += count
        for frame in set(frames):
            total[frame] += count
    if not samples:
        return [f"{title}: no samples in {path}"]
    lines = [
        f"{title}: {samples} samples holding the GIL, at 100/s ({path}); "
        + ", ".join(f"{name} {count / samples:.0%}" for name, count in threads.most_common())
    ]
    lines.append(f"  {'own %':>6}  function (own time; Runner.run = uvloop's C code: I/O and callbacks)")
    lines += [f"  {count / samples:>6.1%}  {name}" for name, count in own.most_common(top)]
    lines.append(f"  {'total %':>6}  function (anywhere on the stack, root frames left out)")
    inner = [(name, count) for name, count in total.most_common() if not name.startswith(ROOT_FRAMES)]
    lines += [f"  {count / samples:>6.1%}  {name}" for name, count in inner[:top]]
    return lines


# --- the run ------------------------------------------------------------------------------------------------


@dataclass
class Change:
    number: int
    reached: int
    expected: int
    latencies_ns: list[int]
    patch_ns: int
    cpu_seconds: float

    @property
    def missing(self) -> int:
        return self.expected - self.reached

    @property
    def all_reached_ns(self) -> int | None:
        return max(self.latencies_ns) if self.latencies_ns and not self.missing else None


@dataclass
class Result:
    requested: int
    concurrency: int
    server_pid: int = 0
    opened: int = 0
    attempted: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    open_seconds: float = math.nan
    open_cpu_seconds: float = math.nan
    server_subscribers: int = -1  # the server's own count of streams opened by the bench
    baseline_subscribers: int = 0  # broadcaster subscribers that are not bench streams (pages, internals)
    rss_before: int = 0
    rss_after: int = 0
    rss_closed: int = 0
    changes: list[Change] = field(default_factory=list)
    changes_skipped: int = 0
    lost: int = 0
    late: int = 0
    close_seconds: float = math.nan
    notes: list[str] = field(default_factory=list)

    @property
    def kb_per_stream(self) -> float:
        return (self.rss_after - self.rss_before) / self.opened / KB if self.opened else math.nan


def run_change(http: httpx.Client, generator: Generator, pid: int, path: str, number: int, deadline_ns: int) -> Change:
    cpu_before = cpu_seconds(pid)
    start = time.monotonic_ns()
    response = http.patch(path, json={"column": MOVES[number % 2]})
    answered = time.monotonic_ns()
    response.raise_for_status()
    reply = generator.call(("wait", deadline_ns), (deadline_ns - time.monotonic_ns()) / 1e9 + 30)
    _, _, reached, expected, times_bytes, _, _ = reply
    times = array("q")
    times.frombytes(cast(bytes, times_bytes))
    latencies = [arrived - start for arrived in times if arrived]
    return Change(
        number,
        cast(int, reached),
        cast(int, expected),
        latencies,
        answered - start,
        cpu_seconds(pid) - cpu_before,
    )


def run(args: argparse.Namespace, workdir: Path) -> Result:
    result = Result(args.streams, args.concurrency)
    bench_started = time.monotonic()
    profile_dir = Path(args.profile) if args.profile else None
    if profile_dir:
        profile_dir.mkdir(parents=True, exist_ok=True)
    server = bench_server(f"sqlite:///{workdir / 'bench.db'}", workdir / "server.log", SSE_PING_SECONDS="300")
    token = server.token("admin", "bench")
    with (
        server,
        load_generator(server.port, token) as generator,
        httpx.Client(
            base_url=f"http://{HOST}:{server.port}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
            # uvicorn drops a connection idle for 5 s; a stalled server loop may do so just as a PATCH goes out
            limits=httpx.Limits(keepalive_expiry=1.0),
        ) as http,
    ):
        created = http.post(
            "/api/workorders",
            json={"customerName": "Capacity", "licensePlate": "CA123P", "description": f"{args.streams} streams"},
        )
        created.raise_for_status()
        path = f"/api/workorders/{created.json()['id']}/column"
        pid = result.server_pid = server.running.pid
        number = itertools.count()

        # warm-up: one stream, two changes, closed again
        generator.call(("open", 1, 1, 30.0, 30.0), 60)
        for _ in range(2):
            run_change(http, generator, pid, path, next(number), time.monotonic_ns() + 5_000_000_000)
        generator.call(("close",), 30)
        time.sleep(1.0)
        result.rss_before = settle_rss(pid)
        result.baseline_subscribers = max(0, subscribers(http))

        # open all streams
        print(f"# opening {args.streams} streams ({args.concurrency} connecting at a time)", file=sys.stderr)
        cpu_before = cpu_seconds(pid)
        open_budget = args.open_seconds
        with profiled(pid, profile_dir / "open.txt" if profile_dir else None):
            reply = generator.call(
                ("open", args.streams, args.concurrency, args.connect_timeout, open_budget),
                open_budget + args.connect_timeout + 60,
            )
        _, opened, failures, attempted, first_ns, last_ns = reply
        result.opened, result.attempted = cast(int, opened), cast(int, attempted)
        result.failures = cast(dict[str, int], failures)
        result.open_cpu_seconds = cpu_seconds(pid) - cpu_before
        if result.opened:
            result.open_seconds = (cast(int, last_ns) - cast(int, first_ns)) / 1e9
        check_running(server)
        result.server_subscribers = subscribers(http) - result.baseline_subscribers
        result.rss_after = settle_rss(pid)
        print(f"# {result.opened} open in {result.open_seconds:.1f} s; changes", file=sys.stderr)

        # the changes, one at a time
        with profiled(pid, profile_dir / "fanout.txt" if profile_dir else None):
            for done in range(args.changes):
                remaining = args.budget - (time.monotonic() - bench_started)
                if remaining < 5 or not result.opened:
                    result.changes_skipped = args.changes - done
                    result.notes.append(f"{result.changes_skipped} changes skipped (time budget or no streams)")
                    break
                deadline = time.monotonic_ns() + int(min(args.timeout, remaining - 5) * 1e9)
                change = run_change(http, generator, pid, path, next(number), deadline)
                result.changes.append(change)
                print(
                    f"# change {done + 1}: {change.reached}/{change.expected} reached, "
                    f"max {max(change.latencies_ns, default=0) / 1e6:.0f} ms",
                    file=sys.stderr,
                )
        reply = generator.call(("wait", time.monotonic_ns()), 30)  # the lost/late counters
        result.lost, result.late = cast(int, reply[5]), cast(int, reply[6])
        check_running(server)

        # close all streams; how much memory does the server give back?
        closing = time.monotonic()
        generator.call(("close",), 60)
        while subscribers(http) > result.baseline_subscribers and time.monotonic() - closing < 30:
            time.sleep(0.25)
        result.close_seconds = time.monotonic() - closing
        result.rss_closed = settle_rss(pid)
    return result


# --- the report --------------------------------------------------------------------------------------------


def ms(ns: float) -> str:
    return "-" if math.isnan(ns) else f"{ns / 1e6:.0f} ms"


def mib(size: int) -> str:
    return f"{size / KB / KB:.1f} MiB"


def report(result: Result, args: argparse.Namespace, profile_dir: Path | None) -> None:
    samples = sorted(latency for change in result.changes for latency in change.latencies_ns)
    missing = sum(change.missing for change in result.changes)
    expected = sum(change.expected for change in result.changes)
    all_reached = [change.all_reached_ns for change in result.changes]
    complete = [value for value in all_reached if value is not None]
    cpu = [change.cpu_seconds * 1000 for change in result.changes]
    patch = sorted(change.patch_ns for change in result.changes)
    failures = ", ".join(f"{count} x {reason}" for reason, count in result.failures.items()) or "none"
    not_tried = result.requested - result.attempted
    rows = [
        ("streams requested / opened", f"{result.requested} / {result.opened}"),
        ("server's own count (diagnostics)", f"{result.server_subscribers} streams"),
        ("open failures", failures + (f"; {not_tried} not tried (open time budget)" if not_tried else "")),
        (
            f"open time ({result.concurrency} connecting at a time)",
            f"{result.open_seconds:.1f} s ({result.opened / result.open_seconds:.0f} streams/s)"
            if result.opened
            else "-",
        ),
        (
            "server CPU while opening",
            f"{result.open_cpu_seconds:.1f} s ({result.open_cpu_seconds * 1000 / max(result.opened, 1):.2f} ms/stream)",
        ),
        ("server RSS before (warm, no stream)", mib(result.rss_before)),
        ("server RSS with all streams open", mib(result.rss_after)),
        ("RSS growth total", mib(result.rss_after - result.rss_before)),
        ("RSS per stream", f"{result.kb_per_stream:.1f} KB"),
        (
            "RSS after closing all streams",
            f"{mib(result.rss_closed)} ({(result.rss_closed - result.rss_before) / max(result.opened, 1) / KB:.1f}"
            f" KB/stream not returned; closing took {result.close_seconds:.1f} s)",
        ),
        ("changes measured", f"{len(result.changes)} (timeout {args.timeout:g} s each)"),
        (
            "fan-out p50 / p99 / max",
            f"{ms(percentile(samples, 50))} / {ms(percentile(samples, 99))} / "
            f"{ms(samples[-1] if samples else math.nan)} ({len(samples)} samples)",
        ),
        (
            'worst "all reached" per change',
            ms(max(complete)) if len(complete) == len(all_reached) and complete else "not all reached (see below)",
        ),
        ("missing deliveries", f"{missing} of {expected}; streams lost {result.lost}; late arrivals {result.late}"),
        (
            "server CPU per change (mean / max)",
            f"{sum(cpu) / len(cpu):.0f} ms / {max(cpu):.0f} ms" if cpu else "-",
        ),
        (
            "server CPU per change per stream",
            f"{sum(cpu) / len(cpu) * 1000 / max(result.opened, 1):.1f} µs" if cpu else "-",
        ),
        ("PATCH response time p50", ms(percentile(patch, 50))),
    ]
    width = max(len(name) for name, _ in rows)
    print(
        "\nSSE capacity: one server process, SSE_PING_SECONDS=300, "
        f"clients in a separate process ({os.cpu_count()} cores)"
    )
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")

    print(
        f"\n  {'change':>6}  {'reached':>8}  {'missing':>7}  {'all_reached':>11}  {'p50':>7}  {'p99':>7}  "
        f"{'patch':>6}  {'cpu':>7}"
    )
    for index, change in enumerate(result.changes, 1):
        ordered = sorted(change.latencies_ns)
        reached_all = change.all_reached_ns
        print(
            f"  {index:>6}  {change.reached:>8}  {change.missing:>7}  "
            f"{ms(reached_all) if reached_all is not None else 'no':>11}  {ms(percentile(ordered, 50)):>7}  "
            f"{ms(percentile(ordered, 99)):>7}  {ms(change.patch_ns):>6}  {change.cpu_seconds * 1000:>4.0f} ms"
        )
    for note in result.notes:
        print(f"  note: {note}")

    print("\nTargets")
    for line in verdicts(result, complete, all_reached, missing):
        print(f"  {line}")
    if profile_dir:
        for name, title in (("open.txt", "py-spy while opening"), ("fanout.txt", "py-spy during the changes")):
            print()
            print("\n".join(profile_summary(profile_dir / name, title, result.server_pid)))


def verdicts(result: Result, complete: list[int], all_reached: list[int | None], missing: int) -> list[str]:
    lines = []
    if result.requested < TARGET_STREAMS:
        lines.append(f"SKIP  {TARGET_STREAMS} streams held: only {result.requested} requested")
    elif result.opened >= TARGET_STREAMS:
        lines.append(f"PASS  {TARGET_STREAMS} streams held: {result.opened} opened")
    else:
        short = TARGET_STREAMS - result.opened
        lines.append(
            f"MISS  {TARGET_STREAMS} streams held: {result.opened} opened, {short} short ({short / TARGET_STREAMS:.0%})"
        )
    kb = result.kb_per_stream
    if math.isnan(kb):
        lines.append(f"MISS  < {TARGET_KB_PER_STREAM:g} KB per stream: no stream opened")
    elif kb < TARGET_KB_PER_STREAM:
        lines.append(f"PASS  < {TARGET_KB_PER_STREAM:g} KB per stream: {kb:.1f} KB")
    else:
        over = kb - TARGET_KB_PER_STREAM
        lines.append(
            f"MISS  < {TARGET_KB_PER_STREAM:g} KB per stream: {kb:.1f} KB, "
            f"{over:.1f} KB ({over / TARGET_KB_PER_STREAM:.0%}) over"
        )
    limit_ns = TARGET_REACH_SECONDS * 1e9
    target = f"every client reached within {TARGET_REACH_SECONDS:g} s"
    if not all_reached:
        lines.append(f"MISS  {target}: no change measured")
    elif missing or len(complete) < len(all_reached):
        lines.append(
            f"MISS  {target}: {missing} deliveries missing in {len(all_reached) - len(complete)} of "
            f"{len(all_reached)} changes (none within the timeout)"
        )
    else:
        worst = max(complete)
        late = sum(value > limit_ns for value in complete)
        if worst <= limit_ns:
            lines.append(f"PASS  {target}: worst change reached all in {worst / 1e9:.2f} s")
        else:
            lines.append(
                f"MISS  {target}: worst change reached all in {worst / 1e9:.2f} s, {(worst - limit_ns) / 1e9:.2f} s "
                f"({(worst - limit_ns) / limit_ns:.0%}) over; {late} of {len(complete)} changes over 1 s"
            )
    return lines


def unmeasured(result: Result, changes: int) -> list[str]:
    """What the run should have measured and did not: every stream open, every change at every stream."""
    reasons = []
    if result.opened < result.requested:
        reasons.append(f"{result.requested - result.opened} of {result.requested} streams not opened")
    if len(result.changes) < changes:
        reasons.append(f"{changes - len(result.changes)} of {changes} changes not made")
    if missing := sum(change.missing for change in result.changes):
        reasons.append(f"{missing} deliveries missing")
    if result.lost:
        reasons.append(f"{result.lost} streams lost")
    return reasons


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--streams", type=int, default=TARGET_STREAMS, help="streams to open (default 10000)")
    parser.add_argument("--changes", type=int, default=10, help="measured changes (default 10)")
    parser.add_argument("--concurrency", type=int, default=500, help="streams connecting at a time (default 500)")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds a change may take (default 15)")
    parser.add_argument("--connect-timeout", type=float, default=30.0, help="seconds for one stream to connect")
    parser.add_argument("--open-seconds", type=float, default=120.0, help="start no new stream after this long")
    parser.add_argument("--budget", type=float, default=270.0, help="skip changes once the bench ran this long")
    parser.add_argument("--profile", metavar="DIR", help="py-spy the server while opening and during the changes")
    args = parse_args(parser, argv, streams=20, changes=3, concurrency=10)
    if args.streams < 1 or args.changes < 1 or args.concurrency < 1:
        parser.error("--streams, --changes and --concurrency must be at least 1")

    limit = raise_open_files_limit()
    if limit < args.streams + 200:
        print(f"# warning: open-file hard limit {limit} is below {args.streams} streams + overhead", file=sys.stderr)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="werkplaats-capacity-") as tmp:
        result = run(args, Path(tmp))
    report(result, args, Path(args.profile) if args.profile else None)
    print(f"\n# bench wall time {time.monotonic() - started:.0f} s (server start to cleanup)")
    return exit_code(args.quick, unmeasured(result, args.changes))


if __name__ == "__main__":
    sys.exit(main())
