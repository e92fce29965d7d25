"""The top lines of a py-spy profile (`--format raw`: one collapsed stack and its sample count per line): each
function's share of all samples, inclusive (it or anything it called was running) and self (it was running).

    .venv/bin/python -m bench.top_stacks /tmp/board.txt --top 25 [--under place]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path


def frame_name(frame: str) -> str:
    """`func (path/to/module.py:12)` → `func (module.py)`: one name per function, whatever line was sampled."""
    name, _, where = frame.partition(" (")
    return f"{name} ({Path(where.rsplit(':', 1)[0]).name})" if where else name


def tally(lines: Sequence[str], under: str | None) -> tuple[int, Counter[str], Counter[str]]:
    total, inclusive, own = 0, Counter[str](), Counter[str]()
    for line in lines:
        stack, _, count = line.rstrip().rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [frame_name(frame) for frame in stack.split(";")]
        if under is not None:
            matches = [i for i, frame in enumerate(frames) if frame.startswith(under)]
            if not matches:
                continue
            frames = frames[matches[0] :]
        samples = int(count)
        total += samples
        for name in set(frames):
            inclusive[name] += samples
        own[frames[-1]] += samples
    return total, inclusive, own


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--under", help="only the samples below the first frame whose function starts with this")
    args = parser.parse_args(argv)
    total, inclusive, own = tally(args.profile.read_text().splitlines(), args.under)
    if not total:
        print("no samples", file=sys.stderr)
        return 1
    print(f"{total} samples{f' under {args.under}' if args.under else ''}")
    print(f"{'inclusive':>9} {'self':>6}  function")
    for name, samples in inclusive.most_common(args.top):
        print(f"{samples / total:>8.1%} {own[name] / total:>6.1%}  {name}")
    print("\nself time, top:")
    for name, samples in own.most_common(args.top // 2):
        print(f"{samples / total:>8.1%}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
