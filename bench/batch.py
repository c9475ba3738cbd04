"""Batch throughput: 200 generated definitions built with -j 1, with -j 2, then again with
nothing changed (every output up to date).

Run: `python bench/batch.py [--count 200] [--command render|export] [--formats LIST]`.
Each run is the real CLI in a fresh process, timed from start to exit, so the figures
include interpreter start-up as a user sees it. Target (issue 8): the up-to-date rerun of
200 files in under 1 s. The -j 1 and -j 2 outputs are checked to be byte-identical.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from generate import definition  # noqa: E402

DEFAULT_FORMATS = {"export": "bpmn,drawio,mermaid", "render": "svg"}


def write_definitions(folder: Path, count: int) -> None:
    """`count` sound definitions of 20 to 44 steps over 6 lanes, each with its own id."""
    folder.mkdir()
    for i in range(count):
        steps = 20 + (i * 7) % 25
        text = definition(steps).replace(f"id: bench-{steps},", f"id: bench-{i:03d},", 1)
        (folder / f"process-{i:03d}.yaml").write_text(text, encoding="utf-8")


def cli(*args: str) -> tuple[float, str]:
    """Run the CLI; (wall seconds, last line of stdout). Fails loudly on a non-zero exit."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ESCALATION_CHARTS_TODAY": "2026-01-01"}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "escalation_charts", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(args)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    lines = done.stdout.strip().splitlines()
    return elapsed, lines[-1] if lines else ""


def _burn(n: int) -> float:
    started = time.perf_counter()
    total = 0
    for i in range(n):
        total += i * i
    return time.perf_counter() - started


def cpu_parallelism() -> float:
    """How much faster two processes burn CPU than one here: 2.0 on two idle cores, about
    1.0 when other work holds a core. Read the -j 2 figure against it."""
    from concurrent.futures import ProcessPoolExecutor

    work = [3_000_000] * 4
    started = time.perf_counter()
    for n in work:
        _burn(n)
    alone = time.perf_counter() - started
    with ProcessPoolExecutor(2) as pool:
        pool.submit(_burn, 1).result()  # start both workers before timing
        started = time.perf_counter()
        list(pool.map(_burn, work))
        together = time.perf_counter() - started
    return alone / together


def same_outputs(a: Path, b: Path) -> bool:
    def files(folder: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}

    return files(a) == files(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--command", choices=sorted(DEFAULT_FORMATS), default="render")
    parser.add_argument("--formats", help="the -f list (default: every format of the command)")
    args = parser.parse_args()
    formats = args.formats or DEFAULT_FORMATS[args.command]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_definitions(root / "defs", args.count)
        base = [args.command, str(root / "defs"), "-f", formats]
        rows = [
            ("-j 1", *cli(*base, "-o", str(root / "one"), "-j", "1")),
            ("-j 2", *cli(*base, "-o", str(root / "two"), "-j", "2")),
            ("-j 2, up to date", *cli(*base, "-o", str(root / "two"), "-j", "2")),
        ]
        identical = same_outputs(root / "one", root / "two")
    print(
        f"{args.count} definitions, {args.command} -f {formats}, cpus={os.cpu_count()}, "
        f"two-process CPU speed-up available now: x{cpu_parallelism():.2f}"
    )
    for name, seconds, summary in rows:
        print(f"  {name:<18} {seconds:7.2f} s   {summary}")
    print(f"  -j 1 and -j 2 outputs byte-identical: {identical}")
    if not identical or rows[2][1] >= 1.0:
        sys.exit(1)


if __name__ == "__main__":
    main()
