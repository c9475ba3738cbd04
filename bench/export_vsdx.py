"""Time the Visio export: `export -f vsdx` per example, and the writer on its own.

Run from the repository root: `python bench/export_vsdx.py [--steps 60,300,1000] [--runs 3]`.
For each example it reports the whole command as a user runs it (a fresh Python process;
median of --runs) and, in-process, the shared layout and `build_vsdx` apart, with the
file's size. Then the layout and the writer for generated definitions (tests/synth.py)
of each --steps size, to show the writer grows in step with the chart, not faster.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from synth import synthetic_yaml  # noqa: E402

from escalation_charts.export.vsdx import build_vsdx  # noqa: E402
from escalation_charts.layout.bands import compute_layout  # noqa: E402
from escalation_charts.reading.loader import load  # noqa: E402


def command_seconds(path: Path, out: Path, runs: int) -> float:
    """Median wall time of `python -m escalation_charts export PATH -f vsdx -o OUT`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "escalation_charts", "export", str(path), "-f", "vsdx"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [*argv, "-o", str(out), "--force-all"], check=True, capture_output=True, env=env
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def parts(path: Path, runs: int) -> tuple[int, float, float, int]:
    """Steps, seconds for the layout, median seconds for build_vsdx, bytes written."""
    definition = load(path).definition
    assert definition is not None, path
    start = time.perf_counter()
    layout = compute_layout(definition)
    laid = time.perf_counter() - start
    times, data = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        data = build_vsdx(definition, [layout])
        times.append(time.perf_counter() - start)
    return len(definition.steps), laid, statistics.median(times), len(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default="60,300,1000", help="generated sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'definition':<34} {'steps':>5} {'command':>8} {'layout':>8} {'vsdx':>8} {'bytes':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for path in sorted((ROOT / "examples").glob("*.yaml")):
            whole = command_seconds(path, out / path.stem, args.runs)
            steps, laid, built, size = parts(path, args.runs)
            print(
                f"{path.stem:<34} {steps:>5} {whole:>7.2f}s {laid:>7.3f}s {built:>7.3f}s {size:>9}"
            )
        for steps in (int(s) for s in args.steps.split(",")):
            source = out / f"synthetic-{steps}.yaml"
            source.write_text(synthetic_yaml(steps, 7), encoding="utf-8")
            n, laid, built, size = parts(source, 1)
            print(f"{source.stem:<34} {n:>5} {'':>8} {laid:>7.3f}s {built:>7.3f}s {size:>9}")


if __name__ == "__main__":
    main()
