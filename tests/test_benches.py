"""Every bench's `--quick` run, as a user runs it (`python -m bench.NAME` from the project root): a bench that
no longer starts, or no longer measures what it should, fails the suite instead of rotting until someone needs it."""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress

import pytest

from tests.server import ROOT

# Run by hand only: its quick run needs ~21 s of CPU (a server, 12-megapixel photos made and resized, Chromium).
BY_HAND = {"inspection"}
HELPERS = {"common", "top_stacks"}  # the benches' tools, not benches (top_stacks: tests/test_top_stacks.py)
BENCHES = sorted(
    path.stem for path in (ROOT / "bench").glob("*.py") if path.stem not in {"__init__", *HELPERS, *BY_HAND}
)
QUICK_SECONDS = 180  # a quick run takes 10-30 s alone, up to 90 s beside two others on a loaded machine
PARALLEL = 3  # runs at once: each mostly waits (server starts, sleeps, Chromium), so three share 2 cores well


def run_quick(name: str) -> tuple[int, str]:
    """(exit code, everything it printed) of `python -m bench.NAME --quick`; a hung run is interrupted, then
    killed with every process it started (it runs in a process group of its own)."""
    bench = subprocess.Popen(
        [sys.executable, "-m", f"bench.{name}", "--quick"], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    hung = ""
    try:
        bench.communicate(timeout=QUICK_SECONDS)
    except subprocess.TimeoutExpired:
        hung = f"\n[still running after {QUICK_SECONDS} s: interrupted]"
        bench.send_signal(signal.SIGINT)  # KeyboardInterrupt: its cleanup stops the servers, drops the database
        with suppress(subprocess.TimeoutExpired):
            bench.communicate(timeout=15)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(bench.pid, signal.SIGKILL)
    output, _ = bench.communicate()  # all it wrote, also after a timeout
    return bench.returncode if not hung else -1, output + hung


@pytest.fixture(scope="module")
def quick_runs(request: pytest.FixtureRequest) -> Iterator[dict[str, Future[tuple[int, str]]]]:
    """The selected benches' quick runs, started together (PARALLEL at a time) when the first test asks."""
    selected = [
        str(item.callspec.params["name"])
        for item in request.session.items
        if isinstance(item, pytest.Function) and item.module is request.module
    ]
    pool = ThreadPoolExecutor(PARALLEL, thread_name_prefix="bench")
    try:
        yield {name: pool.submit(run_quick, name) for name in selected}
    finally:
        pool.shutdown(cancel_futures=True)


@pytest.mark.timeout(2 * QUICK_SECONDS)  # it may wait for another run first
@pytest.mark.parametrize("name", BENCHES)
def test_quick_run(name: str, quick_runs: dict[str, Future[tuple[int, str]]]) -> None:
    returncode, output = quick_runs[name].result()
    print(output)  # pytest shows it with a failure
    assert returncode == 0, f"bench.{name} --quick exited {returncode}"
