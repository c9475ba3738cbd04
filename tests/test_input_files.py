"""Only regular files are read as definitions (issue 16 #12: a FIFO named `*.yaml` hung
`validate` and `render` forever). Each command refuses a FIFO or device in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT
from .hardening import OUTPUT_ROWS, VALIDATE_ROWS, Row, available

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "escalation_charts", *argv],
        capture_output=True,
        text=True,
        timeout=60,  # the bug was a hang: a timeout fails the test instead of the run
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )


@pytest.mark.parametrize("row", [*VALIDATE_ROWS[:1], *OUTPUT_ROWS], ids=lambda r: r.id)
def test_a_fifo_is_refused_not_waited_on(row: Row, tmp_path: Path) -> None:
    if not available(row.command):
        pytest.skip(f"'{row.command}' is not in this build yet")
    fifo = tmp_path / "p.yaml"
    os.mkfifo(fifo)
    done = _run(row.argv(fifo, tmp_path / "out"))
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.splitlines()
    assert f"{fifo}: " in line and "not a regular file" in line


def test_a_fifo_in_a_folder_is_one_error_and_the_rest_is_checked(tmp_path: Path) -> None:
    folder = tmp_path / "defs"
    folder.mkdir()
    os.mkfifo(folder / "a.yaml")
    (folder / "b.yaml").write_bytes((ROOT / "tests/data/rules/clean.yaml").read_bytes())
    done = _run(["render", str(folder), "-f", "dot", "-o", str(tmp_path / "out")])
    assert done.returncode == 2
    assert "a.yaml: cannot read: not a regular file" in done.stderr
    assert (tmp_path / "out" / "clean.dot").is_file()


def test_a_device_is_refused_and_standard_input_still_reads(tmp_path: Path) -> None:
    done = _run(["validate", "/dev/null"])
    assert done.returncode == 2 and "not a regular file" in done.stderr
    with open(ROOT / "tests/data/rules/clean.yaml", "rb") as stdin:
        piped = subprocess.run(
            [sys.executable, "-m", "escalation_charts", "validate", "-"],
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=False,
        )
    assert piped.returncode == 0, piped.stdout + piped.stderr
