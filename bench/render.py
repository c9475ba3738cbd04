"""`render -f svg,png` as a whole command, next to bare Graphviz on the same graph.

Run: `make bench-render` or `python bench/render.py [--repeat N] [STEPS ...]`.

For the examples and generated definitions (20, 100 and 300 steps by default), each
measurement is a fresh process, so it includes Python's start, imports and fontconfig:

- `command`: `python -m escalation_charts render FILE -f svg,png -o DIR --force-all`
  (with `--page A3`: `-f pdf --page A3`, every page of the paged PDF);
- `floor`: a process that imports pygraphviz, builds the same graph (a node per step with
  its shape and label, a cluster per lane, every edge with its label), lays it out with
  `dot` and renders SVG and PNG at the same resolution: what plain Graphviz costs for
  this chart, without swim lanes.

Targets (issue 4): the help-desk example under 0.5 s cold; at most 1.5x the floor; a
300-step chart under 10 s. The median of `--repeat` runs (default 3) is reported; the
machine is shared, so also read the CPU time and the current load average.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT)]

from escalation_charts.reading.loader import load  # noqa: E402
from escalation_charts.render.chart import PNG_DPI  # noqa: E402
from tests.synth import synthetic_yaml  # noqa: E402

SHAPES = {"start": "ellipse", "resolution": "ellipse", "decision": "diamond"}
FLOOR = """
import sys, pygraphviz
graph = pygraphviz.AGraph(string=open(sys.argv[1], encoding="utf-8").read())
graph.layout("dot")
graph.draw(format="svg")
graph.draw(format="png")
"""


def floor_dot(path: Path) -> str:
    """The chart as plain Graphviz would draw it: clusters for lanes, labels, shapes."""
    definition = load(path).definition
    assert definition is not None

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        "digraph floor {",
        f"  graph [rankdir=LR, dpi={PNG_DPI}, fontname=Arial];",
        "  node [shape=box, style=rounded, fontname=Arial, fontsize=11];",
        "  edge [fontname=Arial, fontsize=9];",
    ]
    for index, lane in enumerate(definition.lanes):
        lines.append(f"  subgraph cluster_{index} {{ label={q(lane.name)};")
        for step in definition.steps_in(lane.id):
            shape = SHAPES.get(step.type.value, "box")
            lines.append(f"    {q(step.id)} [label={q(step.label)}, shape={shape}];")
        lines.append("  }")
    for step in definition.steps:
        for edge in step.next:
            label = edge.when or (f"after {edge.after.compact()}" if edge.after else "")
            lines.append(f"  {q(step.id)} -> {q(edge.to)} [label={q(label)}];")
    lines.append("}")
    return "\n".join(lines)


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh process (CPU: user + system of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(
    name: str, path: Path, work: Path, repeat: int, page: str | None = None
) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    dot = work / f"{name}.floor.dot"
    dot.write_text(floor_dot(path), encoding="utf-8")
    script = work / "floor.py"
    script.write_text(FLOOR, encoding="utf-8")
    out = work / f"out-{name}"
    formats = "pdf" if page else "svg,png"
    command = [sys.executable, "-m", "escalation_charts", "render", str(path), "-f", formats]
    command += ["--page", page] if page else []
    command += ["-o", str(out), "--force-all"]
    floor = [sys.executable, str(script), str(dot)]
    runs = [(run(command, env), run(floor, env)) for _ in range(repeat)]
    wall = statistics.median(r[0][0] for r in runs)
    cpu = statistics.median(r[0][1] for r in runs)
    floor_wall = statistics.median(r[1][0] for r in runs)
    floor_cpu = statistics.median(r[1][1] for r in runs)
    definition = load(path).definition
    assert definition is not None
    return {
        "chart": name,
        "steps": len(definition.steps),
        "lanes": len(definition.lanes),
        "command_s": round(wall, 3),
        "command_cpu_s": round(cpu, 3),
        "floor_s": round(floor_wall, 3),
        "floor_cpu_s": round(floor_cpu, 3),
        "ratio": round(wall / floor_wall, 2),
        "cpu_ratio": round(cpu / floor_cpu, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("steps", nargs="*", type=int, default=[20, 100, 300])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="one JSON object per chart")
    parser.add_argument(
        "--page", metavar="SIZE", help="time `-f pdf --page SIZE` (paged) instead of svg,png"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cases = [(p.stem, p) for p in sorted((ROOT / "examples").glob("*.yaml"))]
        for steps in args.steps:
            path = work / f"synthetic-{steps}.yaml"
            path.write_text(synthetic_yaml(steps, 6), encoding="utf-8")
            cases.append((path.stem, path))
        print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
        header = (
            f"{'chart':24} {'steps':>5} {'command':>9} {'floor':>9} {'ratio':>6} {'cpu ratio':>9}"
        )
        if not args.json:
            print(header)
        for name, path in cases:
            row = measure(name, path, work, args.repeat, args.page)
            if args.json:
                print(json.dumps(row))
            else:
                print(
                    f"{name:24} {row['steps']:>5} {row['command_s']:>8.3f}s "
                    f"{row['floor_s']:>8.3f}s {row['ratio']:>6.2f} {row['cpu_ratio']:>9.2f}"
                )


if __name__ == "__main__":
    main()
