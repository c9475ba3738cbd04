"""A cold command next to its floor, interleaved, with and without `.pyc` files (issue 18).

    python bench/startup.py [--repeat 9]

Rows:
- `validate` of the help-desk example next to `python -c "import click, yaml"`, the floor
  of any click + PyYAML tool. Target: at most 1.3x.
- `render -f svg,png` of the help-desk example next to bare Graphviz laying out and
  drawing the same chart in one process (bench/render.py's floor). Target: at most 1.5x.

Each command and its floor run alternately, after one warm-up of each, so a busy moment
of a shared machine falls on both. "no pyc" points PYTHONPYCACHEPREFIX at an empty folder
with PYTHONDONTWRITEBYTECODE=1, so every module (ours and the standard library's) is
compiled from source, as in an environment that never writes bytecode. Medians in seconds;
the target is on wall time, and the CPU ratio (user + system of the whole process tree,
the Graphviz worker included) is printed beside it: on a loaded machine it moves less.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from render import FLOOR, floor_dot, run  # noqa: E402

EXAMPLE = ROOT / "examples" / "it-help-desk.yaml"
TARGETS = {"validate": 1.3, "render": 1.5}


def rows(work: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Each row's command and its floor, as argv lists."""
    dot = work / "floor.dot"
    dot.write_text(floor_dot(EXAMPLE), encoding="utf-8")
    script = work / "floor.py"
    script.write_text(FLOOR, encoding="utf-8")
    tool = [str(Path(sys.executable).with_name("escalation-charts"))]  # the console script
    render = [*tool, "render", str(EXAMPLE), "-f", "svg,png", "-o", str(work), "--force-all"]
    return {
        "validate": (
            [*tool, "validate", str(EXAMPLE)],
            [sys.executable, "-c", "import click, yaml"],
        ),
        "render": (render, [sys.executable, str(script), str(dot)]),
    }


def measure(repeat: int) -> list[dict[str, object]]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = {**os.environ, "PYTHONPATH": str(ROOT)}
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        no_pyc = {
            **base,
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPYCACHEPREFIX": str(work / "empty-pycache"),
        }
        for name, (command, floor) in rows(work).items():
            for pyc, env in (("pyc", base), ("no pyc", no_pyc)):
                run(command, env), run(floor, env)  # warm-up: page cache, .pyc written
                pairs = [(run(command, env), run(floor, env)) for _ in range(repeat)]
                wall = statistics.median(p[0][0] for p in pairs)
                floor_wall = statistics.median(p[1][0] for p in pairs)
                cpu = statistics.median(p[0][1] for p in pairs)
                floor_cpu = statistics.median(p[1][1] for p in pairs)
                out.append(
                    {
                        "row": name,
                        "pyc": pyc,
                        "command_s": wall,
                        "floor_s": floor_wall,
                        "ratio": wall / floor_wall,
                        "cpu_ratio": cpu / floor_cpu,
                        "target": TARGETS[name],
                    }
                )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    print(
        f"{'row':9} {'bytecode':8} {'command':>8} {'floor':>8} {'ratio':>6} {'CPU ratio':>9} "
        f"{'target':>6}"
    )
    for r in measure(args.repeat):
        met = "met" if r["ratio"] <= r["target"] else "MISSED"  # type: ignore[operator]
        print(
            f"{r['row']:9} {r['pyc']:8} {r['command_s']:>7.3f}s {r['floor_s']:>7.3f}s "
            f"{r['ratio']:>6.2f} {r['cpu_ratio']:>9.2f} {r['target']:>6} {met}"
        )


if __name__ == "__main__":
    main()
