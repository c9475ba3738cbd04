"""BPMN export time: `build_bpmn` on generated definitions of 60 and 300 steps.

Run: `python bench/bpmn.py [--repeat 3]`. BPMN lays out its own graph (a merging gateway in
front of every step several flows lead to, bpmn-js's shape sizes, room for the names of
events and gateways), so it costs one layout of a slightly bigger graph on top of the
drawing; this prints the median of `--repeat` runs, in-process, without start-up. No
target: the figures show what lint-clean BPMN costs next to `compute_layout` alone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from escalation_charts.export.bpmn import build_bpmn  # noqa: E402
from escalation_charts.layout.bands import compute_layout  # noqa: E402
from escalation_charts.reading.loader import load_text  # noqa: E402
from tests.synth import synthetic_yaml  # noqa: E402


def _median(work: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for steps, lanes in ((60, 6), (300, 8)):
        definition = load_text(synthetic_yaml(steps, lanes), "bench.yaml").definition
        assert definition is not None
        layout = _median(lambda d=definition: compute_layout(d), args.repeat)
        bpmn = _median(lambda d=definition: build_bpmn(d), args.repeat)
        print(
            f"{steps} steps, {lanes} lanes: compute_layout {layout:.2f} s, "
            f"build_bpmn {bpmn:.2f} s (median of {args.repeat})"
        )


if __name__ == "__main__":
    main()
