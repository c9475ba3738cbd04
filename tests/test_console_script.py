"""The installed console script, as shells and hooks run it: every line it printed
arrives through a pipe, and it keeps the exit codes of SPEC.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).with_name("escalation-charts")

pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason="console script not installed")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT, timeout=60
    )


def test_piped_output_is_complete_and_exit_0() -> None:
    done = _run("validate", "examples/")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[-1] == "4 files checked: all valid"
    assert len(lines) == 5


def test_usage_problem_exit_2_with_its_message(tmp_path: Path) -> None:
    done = _run("validate", str(tmp_path / "missing.yaml"))
    assert done.returncode == 2
    assert "no such file or directory" in done.stderr


def test_definition_errors_exit_1_with_findings(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("process: {id: x, name: X}\nlanes: []\nsteps: []\n", encoding="utf-8")
    done = _run("validate", str(bad))
    assert done.returncode == 1
    assert f"{bad}:" in done.stdout
