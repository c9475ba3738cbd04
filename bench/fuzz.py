"""The long fuzz run: generated definitions through every command and format (issue 7).

Run: `python bench/fuzz.py --examples 10000` (from the repository root). Each input is
drawn from the declared format and broken on purpose (tests/fuzzing.py), then run through
every row of tests/hardening.py that this build has, with and without --force, and held
to the same invariants as the test suite. Prints how many inputs ran, the exit codes per
command, how many runs wrote outputs, and every failure with the input that caused it
(saved under --save, default bench/fuzz-failures/). Exit 1 when anything failed.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import re
import resource
import sys
import tempfile
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]
os.environ.setdefault("ESCALATION_CHARTS_TODAY", "2026-11-23")
CHUNK = 500

from tests.fuzzing import fuzzed_files  # noqa: E402
from tests.hardening import ROWS, available, check_run, run_row  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000, help="inputs to generate")
    parser.add_argument("--seed", type=int, default=None, help="for a repeatable run")
    parser.add_argument("--only", default="", help="comma-separated commands (default: all)")
    parser.add_argument("--save", type=Path, default=HERE / "fuzz-failures")
    args = parser.parse_args()
    only = set(filter(None, args.only.split(",")))
    rows = [r for r in ROWS if available(r.command) and (not only or r.command in only)]
    codes: dict[str, collections.Counter[int]] = collections.defaultdict(collections.Counter)
    wrote: collections.Counter[str] = collections.Counter()
    failures: list[tuple[str, bytes, str]] = []
    native: collections.Counter[tuple[str, str]] = collections.Counter()
    count = 0
    started = time.perf_counter()

    def settle(examples: int) -> settings:
        return settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],  # no shrinking: failures are saved whole and reported
            suppress_health_check=list(HealthCheck),
        )

    def one(data: bytes, force: bool) -> None:
        nonlocal count
        count += 1
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "fuzz.yaml"
            source.write_bytes(data)
            for n, row in enumerate(rows):
                outcome = run_row(row, source, Path(tmp) / f"out{n}", force=force)
                codes[row.id][outcome.code] += 1
                wrote[row.id] += bool(outcome.files)
                for line in outcome.native.splitlines():
                    if not line.startswith("Fontconfig") and line.strip():
                        native[(row.id, re.sub(r"\d+", "N", line.strip())[:100])] += 1
                try:
                    check_run(outcome)
                except AssertionError as exc:
                    failures.append((row.id, data, str(exc) or traceback.format_exc()))
                    _save(args.save, len(failures) - 1, row.id, data, failures[-1][2])
        if count % 250 == 0:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            print(
                f"  {count} inputs, {len(failures)} failures, "
                f"{time.perf_counter() - started:.0f} s, peak {peak} MB",
                file=sys.stderr,
            )

    # Hypothesis remembers every input of a run; chunks of CHUNK keep memory flat.
    base = args.seed if args.seed is not None else random.randrange(2**32)
    print(f"seed {base}", file=sys.stderr)
    for chunk, start in enumerate(range(0, args.examples, CHUNK)):
        run = given(data=fuzzed_files(), force=st.booleans())(one)
        seed(base + chunk)(settle(min(CHUNK, args.examples - start))(run))()
    elapsed = time.perf_counter() - started
    print(
        f"{count} generated inputs x {len(rows)} command rows = {count * len(rows)} runs "
        f"in {elapsed:.0f} s; {len(failures)} failures"
    )
    for row in rows:
        spread = ", ".join(f"exit {c}: {n}" for c, n in sorted(codes[row.id].items()))
        print(f"  {row.id:45} {spread}; wrote outputs {wrote[row.id]}")
    for (row_id, line), n in sorted(native.items()):
        print(f"  native stderr, {row_id}: {n} x {line}")
    seen = set()
    for n, (row_id, _, message) in enumerate(failures):
        first = message.strip().splitlines()[0][:200]
        if (row_id, first) not in seen:
            seen.add((row_id, first))
            print(f"FAIL {row_id}: {first}  (input: {args.save}/{n:04d}-{row_id}.yaml)")
    return 1 if failures else 0


def _save(folder: Path, n: int, row_id: str, data: bytes, message: str) -> None:
    """Keep a failing input and what went wrong at once: a long run may be stopped."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{n:04d}-{row_id}.yaml").write_bytes(data)
    (folder / f"{n:04d}-{row_id}.txt").write_text(message, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
