"""A wall clock the test sets, for a server process and for the test itself.

The server runs `main.py` under time-machine (`python -m tests.clock FILE main.py serve …`): its wall clock starts
at the moment written in FILE and ticks; writing another moment to FILE moves it, and the server confirms by
writing that moment to FILE.now. Only the wall clock is set: `time.monotonic`, which asyncio, uvicorn and every
timeout use, keeps running, so nothing waits longer or shorter than it should. libfaketime was tried first and did
not hold: with its monotonic clock left alone, Python's `time.sleep` fails with EINVAL (libfaketime 0.9.10), and
with it faked, a thread's timed wait hangs after the clock is moved.
"""

import os
import runpy
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import time_machine

from services.clock import shop_day
from tests.server import wait_until

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class ServerClock:
    """The wall clock of one server process (and of the test's own expectations of it)."""

    path: Path
    start: datetime
    _started_mono: float = field(default=0.0, init=False)
    _set_at: datetime = field(init=False)

    def __post_init__(self) -> None:
        self._write(self.start)

    def _write(self, moment: datetime) -> None:
        self._set_at = moment
        self._started_mono = time.monotonic()
        self.path.write_text(moment.isoformat())

    def command(self, *args: str) -> list[str]:
        """The command line that runs main.py with this clock."""
        return [sys.executable, "-m", "tests.clock", str(self.path), "main.py", *args]

    def set(self, moment: datetime, running: bool = True) -> None:
        """Move the server's clock to `moment` (it ticks on from there); waits until the server has moved."""
        self._write(moment)
        if running:
            confirmation = self.path.with_suffix(".now")
            wait_until(
                lambda: confirmation.exists() and confirmation.read_text() == moment.isoformat(), 10, f"clock {moment}"
            )

    def now(self) -> datetime:
        """The server's now, as the test knows it (it ticks from the moment last set)."""
        return self._set_at + timedelta(seconds=time.monotonic() - self._started_mono)

    def today(self) -> date:
        """The shop's day at the server's now."""
        return shop_day(self.now())


def utc(text: str) -> datetime:
    """`utc("2026-12-31 23:30")`: a moment in UTC, as the awkward days are written."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _follow(path: Path, traveller: time_machine.Traveller) -> None:
    """Moves the process's clock whenever the test writes a new moment to `path`."""
    seen = path.read_text()
    confirmation = path.with_suffix(".now")
    confirmation.write_text(seen)
    while True:  # the test's clock driver, beside the server (not product code): looks 50 times a second
        time.sleep(0.02)
        text = path.read_text()
        if text and text != seen:
            traveller.move_to(datetime.fromisoformat(text))
            seen = text
            confirmation.write_text(text)


def _run(clock_file: str, script: str, *args: str) -> None:
    path = Path(clock_file)
    with time_machine.travel(datetime.fromisoformat(path.read_text()), tick=True) as traveller:
        threading.Thread(target=_follow, args=(path, traveller), daemon=True).start()
        sys.argv = [script, *args]
        os.chdir(ROOT)
        runpy.run_path(str(ROOT / script), run_name="__main__")


if __name__ == "__main__":
    _run(*sys.argv[1:])
