"""Every output format is byte-identical across runs, hash seeds and time zones.

The CLI runs in fresh subprocesses (PYTHONHASHSEED and TZ only take effect at start-up),
writing every format of every writing command; the trees must match byte for byte.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT

HELP_DESK = next(p for p in EXAMPLES if p.name == "it-help-desk.yaml")
COMMANDS = [
    ("render", "-f", "svg,png,pdf,dot"),
    ("matrix", "-f", "md,csv,html,svg,png"),
    ("audit", "-f", "html,md,json"),
    ("export", "-f", "bpmn,drawio,mermaid"),
    ("slides",),
]


def _outputs(out: Path, seed: str, tz: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": tz, "PYTHONPATH": str(ROOT)}
    for command in COMMANDS:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "escalation_charts",
                command[0],
                str(HELP_DESK),
                *command[1:],
                "-o",
                str(out / command[0]) + "/",
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    files = {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(".")  # the batch cache records times
    }
    assert len(files) >= 15
    return files


@pytest.mark.slow
def test_outputs_are_byte_identical_across_seeds_and_time_zones(tmp_path: Path) -> None:
    first = _outputs(tmp_path / "a", "0", "UTC")
    second = _outputs(tmp_path / "b", "12345", "Pacific/Kiritimati")
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []
