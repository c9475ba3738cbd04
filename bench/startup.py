"""A cold command next to its floor, interleaved, with and without `.pyc` files (issue 18).

    python bench/startup.py [--repeat 9] [--modes pyc,no-pyc,nothing-cached]

Rows:
- `validate` of the help-desk example next to `python -c "import click, yaml"`, the floor
  of any click + PyYAML tool. Target: at most 1.3x.
- `render -f svg,png` of the help-desk example next to bare Graphviz laying out and
  drawing the same chart in one process (bench/render.py's floor). Target: at most 1.5x.

Each command and its floor run alternately, after one warm-up of each, so a busy moment
of a shared machine falls on both. Bytecode, by mode:
- `pyc`: every module has its `.pyc`, as after `pip install escalation-charts`.
- `no pyc`: this package's modules have none and may not write any
  (PYTHONDONTWRITEBYTECODE=1, a copy of the package without `__pycache__` first on
  PYTHONPATH), as in an editable install under PYTHONDONTWRITEBYTECODE, this environment's
  setting: the standard library and the installed dependencies keep the `.pyc` files their
  installers wrote, for the command and its floor alike. The targets hold for both rows.
- `nothing cached` (reported, no target): PYTHONPYCACHEPREFIX points at an empty folder,
  so every module, the standard library's included, is compiled from source each run.
Medians in seconds; the target is on wall time, and the CPU ratio (user + system of the
whole process tree, the Graphviz worker included) is printed beside it: on a loaded
machine it moves less, and it shows what the worker's head start costs in CPU.
"""

from __future__ import annotations

import argparse
import os
import shutil
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
    # The definition lies in a folder of its own, as a user's does in their project: in
    # this checkout, the configuration lookup would find and parse this tool's own
    # pyproject.toml, which names escalation-charts (a few ms of TOML no user pays).
    example = work / "project" / EXAMPLE.name
    example.parent.mkdir()
    shutil.copyfile(EXAMPLE, example)
    script = work / "floor.py"
    script.write_text(FLOOR, encoding="utf-8")
    tool = [str(Path(sys.executable).with_name("escalation-charts"))]  # the console script
    render = [*tool, "render", str(example), "-f", "svg,png", "-o", str(work), "--force-all"]
    return {
        "validate": (
            [*tool, "validate", str(example)],
            [sys.executable, "-c", "import click, yaml"],
        ),
        "render": (render, [sys.executable, str(script), str(dot)]),
    }


def environments(work: Path) -> dict[str, dict[str, str]]:
    """The environment of each bytecode mode (see the module's docstring)."""
    base = {**os.environ, "PYTHONPATH": str(ROOT)}
    base.pop("PYTHONDONTWRITEBYTECODE", None)
    source = work / "source"
    shutil.copytree(
        ROOT / "escalation_charts",
        source / "escalation_charts",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return {
        "pyc": base,
        "no pyc": {**base, "PYTHONPATH": str(source), "PYTHONDONTWRITEBYTECODE": "1"},
        "nothing cached": {
            **base,
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPYCACHEPREFIX": str(work / "empty-pycache"),
        },
    }


def measure(repeat: int, modes: list[str]) -> list[dict[str, object]]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        envs = environments(work)
        for name, (command, floor) in rows(work).items():
            for mode in modes:
                env = envs[mode]
                run(command, env), run(floor, env)  # warm-up: page cache, .pyc written
                pairs = [(run(command, env), run(floor, env)) for _ in range(repeat)]
                wall = statistics.median(p[0][0] for p in pairs)
                floor_wall = statistics.median(p[1][0] for p in pairs)
                cpu = statistics.median(p[0][1] for p in pairs)
                floor_cpu = statistics.median(p[1][1] for p in pairs)
                out.append(
                    {
                        "row": name,
                        "pyc": mode,
                        "command_s": wall,
                        "floor_s": floor_wall,
                        "ratio": wall / floor_wall,
                        "cpu_ratio": cpu / floor_cpu,
                        "target": TARGETS[name] if mode != "nothing cached" else None,
                    }
                )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--modes", default="pyc,no-pyc,nothing-cached")
    args = parser.parse_args()
    modes = [m.replace("-", " ") for m in args.modes.split(",")]
    print(
        f"{'row':9} {'bytecode':14} {'command':>8} {'floor':>8} {'ratio':>6} "
        f"{'CPU ratio':>9} {'target':>6}"
    )
    for r in measure(args.repeat, modes):
        target = r["target"]
        met = "" if target is None else ("met" if r["ratio"] <= target else "MISSED")  # type: ignore[operator]
        print(
            f"{r['row']:9} {r['pyc']:14} {r['command_s']:>7.3f}s {r['floor_s']:>7.3f}s "
            f"{r['ratio']:>6.2f} {r['cpu_ratio']:>9.2f} {target or '-':>6} {met}"
        )


if __name__ == "__main__":
    main()
