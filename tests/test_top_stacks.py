"""bench/top_stacks.py reads py-spy's collapsed stacks: each function's share, inclusive and self, counted once per
sample however often it recurs, and the samples below a chosen frame."""

from bench.top_stacks import tally

PROFILE = [
    "run (loop.py:10);send (ws.py:5);write (ws.py:9) 6",
    "run (loop.py:10);place (board.py:3);move (element.py:7) 3",
    "run (loop.py:10);place (board.py:3);place (board.py:4) 1",
    "not a stack line",
]


def test_inclusive_and_self_shares() -> None:
    total, inclusive, own = tally(PROFILE, None)
    assert total == 10
    assert inclusive["run (loop.py)"] == 10 and own["run (loop.py)"] == 0
    assert inclusive["place (board.py)"] == 4  # recursion counts a sample once
    assert own["write (ws.py)"] == 6 and own["place (board.py)"] == 1


def test_only_the_samples_below_a_frame() -> None:
    total, inclusive, own = tally(PROFILE, "place")
    assert total == 4
    assert "run (loop.py)" not in inclusive and own["move (element.py)"] == 3
