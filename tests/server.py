"""A real Werkplaats server in a subprocess on a free port, the CLI run the way a user runs it, and the accounts a
fixture needs."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from services.auth import create_token, create_user
from services.db import Database

if TYPE_CHECKING:
    from tests.clock import ServerClock

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(condition, timeout: float, what: str, interval: float = 0.05):  # type: ignore[no-untyped-def]
    """Poll a condition until it holds (returns its value) or fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def run_cli(database_url: str, *args: str, input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        input=input_text,
    )  # fmt: skip


def seed_account(database_url: str, name: str, role: str, password: str | None = None) -> str:
    """A staff account (with `password`) or else an API token, made by the services `main.py create-user` and
    `create-token` call, in this process: a fixture's setup, where the CLI (tests/test_cli.py runs it as a user
    does) would cost a second of start-up per account. Returns the token, or the password. In a thread of its own:
    the database refuses writes on an event loop, and Playwright's sync API runs one in the test's thread."""

    def seed() -> str:
        with Database.opened(database_url) as database:
            if password is None:
                return create_token(database, name, role)
            create_user(database, name, role, password)
            return password

    with ThreadPoolExecutor(1) as worker:
        return worker.submit(seed).result()


# A start takes 2-4 s on a quiet 2-core machine; a loaded one (other suites, benches) has taken over 30. Waiting
# longer costs a passing run nothing, and a test's own limit (pytest-timeout, 120 s) still ends a hung one.
START_SECONDS = 90


@dataclass
class Server:
    database_url: str
    env: dict[str, str] = field(default_factory=dict)
    demo: bool = False
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[str] | None = None
    log_path: Path | None = None
    clock: "ServerClock | None" = None  # the server's wall clock, set by the test (tests/clock.py); None: the real one

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def token(self, role: str, name: str | None = None) -> str:
        return seed_account(self.database_url, name or f"test-{role}", role)

    def start(self) -> "Server":
        env = {
            **os.environ, "DATABASE_URL": self.database_url, "SSE_PING_SECONDS": "1", "PAGE_RECONNECT_SECONDS": "2",
            "RDW_BASE_URL": "off", **self.env,
        }  # fmt: skip
        serve = ("serve", "--host", "127.0.0.1", "--port", str(self.port))
        args = self.clock.command(*serve) if self.clock else [sys.executable, "main.py", *serve]
        if self.demo:
            args.append("--demo")
        if self.log_path is None:
            handle, name = tempfile.mkstemp(prefix=f"werkplaats-{self.port}-", suffix=".log")
            os.close(handle)
            self.log_path = Path(name)
        log = self.log_path.open("w")
        self.process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        wait_until(self._healthy, START_SECONDS, f"server on {self.url} (log: {self.log_path})")
        return self

    def _healthy(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"server exited: {self.log_text()}")
        try:
            return httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    @property
    def running(self) -> subprocess.Popen[str]:
        """The server's process (started)."""
        assert self.process is not None, "start() the server first"
        return self.process

    def log_text(self) -> str:
        return self.log_path.read_text() if self.log_path else ""

    def stop(self) -> float:
        """SIGTERM, as systemd or Ctrl-C would; returns the seconds the process took to exit."""
        assert self.process is not None
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return time.monotonic() - started

    def client(self, token: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=10)

    def __enter__(self) -> "Server":
        """`with Server(...) as server:` starts it, and stops it however the block ends (a failed start too)."""
        try:
            return self.start()
        except BaseException:
            if self.process is not None:
                self.stop()
            raise

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
