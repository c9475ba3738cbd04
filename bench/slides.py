"""Time the training deck: the whole `slides` command per example, and its parts.

Run from the repository root: `python bench/slides.py [--steps 300] [--runs 3]`.
For each example it reports the whole command as a user runs it (a fresh Python process:
imports, loading, validation, layout, deck, writing, with `--force-all` so every run
builds; median wall and CPU time of --runs), then, in-process,
how long the layout and the deck itself take. Then the same parts for a generated
definition of --steps steps (tests/synth.py), whose command is run once.
The targets: the help-desk deck in under 1 s as a whole command, 300 steps in under 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pptx import Presentation  # noqa: E402
from synth import synthetic_yaml  # noqa: E402

from escalation_charts.layout.bands import compute_layout  # noqa: E402
from escalation_charts.reading.loader import load  # noqa: E402
from escalation_charts.render.pptx import build_deck  # noqa: E402
from escalation_charts.validate import validate  # noqa: E402


def command_seconds(path: Path, out: Path, runs: int) -> tuple[float, float]:
    """Median wall and CPU time (user + system, the child's) of
    `python -m escalation_charts slides PATH -o OUT --force-all`: a real build every run,
    never "up to date" (the build cache would otherwise answer from the second run on)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "escalation_charts",
                "slides",
                str(path),
                "-o",
                str(out),
                "--force-all",
            ],
            check=True,
            capture_output=True,
            env=env,
        )
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def parts(path: Path) -> tuple[float, float, float, int, int]:
    """Seconds to load+validate, to lay out, to build the deck; steps; slides."""
    start = time.perf_counter()
    definition = load(path).definition
    assert definition is not None, path
    findings = validate(definition, today=dt.date.today())
    loaded = time.perf_counter()
    layout = compute_layout(definition)
    laid = time.perf_counter()
    data = build_deck(definition, findings, layout)
    built = time.perf_counter()
    slides = len(Presentation(io.BytesIO(data)).slides)
    return loaded - start, laid - loaded, built - laid, len(definition.steps), slides


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300, help="size of the generated definition")
    parser.add_argument("--runs", type=int, default=3, help="command runs per example")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "deck.pptx"
        for path in sorted((ROOT / "examples").glob("*.yaml")):
            whole, cpu = command_seconds(path, out, args.runs)
            rows.append((path.stem, whole, cpu, *parts(path)))
        big = Path(tmp) / f"synthetic-{args.steps}.yaml"
        big.write_text(synthetic_yaml(args.steps, 6), encoding="utf-8")
        whole, cpu = command_seconds(big, out, 1)
        rows.append((big.stem, whole, cpu, *parts(big)))
    print(
        f"{'definition':<22} {'steps':>5} {'slides':>6} {'command':>8} {'cpu':>7} "
        f"{'load+val':>8} {'layout':>8} {'deck':>8}"
    )
    for name, whole, cpu, load_s, layout_s, deck_s, steps, slides in rows:
        print(
            f"{name:<22} {steps:>5} {slides:>6} {whole:>7.2f}s {cpu:>6.2f}s {load_s:>7.3f}s "
            f"{layout_s:>7.3f}s {deck_s:>7.3f}s"
        )


if __name__ == "__main__":
    main()
