"""An interrupted run leaves no temporary file and says it was interrupted (issue 16, break 10).

Real processes, real signals: SIGTERM (what `timeout` sends) and SIGINT (Ctrl-C) while an
output is being written remove its temporary file and exit 143 and 130, also when the
signal lands just after a rename (where an earlier fix lost the interrupt and exited 0) and
while Graphviz draws in its forked child. A run killed outright (SIGKILL) cannot clean
up: the next write into that folder removes what it left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from escalation_charts.cli._write import STALE_AFTER

from .conftest import ROOT
from .synth import synthetic_yaml

# Runs the CLI with os.replace slowed down (or signalling itself), so a test can hit the
# moment between writing a temporary file and renaming it.
HARNESS = """
import os, sys, time
real = os.replace
mode, ready, signum = sys.argv[1], sys.argv[2], int(sys.argv[3])
def replace(src, dst):
    if mode == "slow":
        open(ready, "w").close()
        time.sleep(60)
    real(src, dst)
    if mode == "self":
        os.kill(os.getpid(), signum)
os.replace = replace
from escalation_charts.cli import main
sys.argv = ["escalation-charts", *sys.argv[4:]]
main()
"""


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".*.tmp"))


def harness(tmp_path: Path, mode: str, signum: int, *args: str) -> subprocess.Popen[str]:
    script = tmp_path / "harness.py"
    script.write_text(HARNESS)
    return subprocess.Popen(
        [sys.executable, str(script), mode, str(tmp_path / "ready"), str(signum), *args],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for(path: Path, proc: subprocess.Popen[str], seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < end, "the harness never reached the rename"
        time.sleep(0.02)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(synthetic_yaml(8, 3, process_id="p"))
    return path


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_while_writing_removes_the_temporary_file(
    tmp_path: Path, source: Path, signum: int, code: int
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "p.mmd").write_text("the earlier output\n")
    proc = harness(tmp_path, "slow", signum, "export", str(source), "-f", "mermaid", "-o", "out")
    wait_for(tmp_path / "ready", proc)
    assert temps(out)  # the temporary file is there, waiting for its rename
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert temps(out) == []
    assert (out / "p.mmd").read_text() == "the earlier output\n"  # intact
    assert "interrupted" in err and "Traceback" not in err


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_just_after_the_rename_still_exits_interrupted(
    tmp_path: Path, source: Path, signum: int, code: int
) -> None:
    proc = harness(tmp_path, "self", signum, "export", str(source), "-f", "bpmn,mermaid", "-o", "o")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err  # not 0: the interrupt is not lost
    assert temps(tmp_path / "o") == []
    assert "Traceback" not in err


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
@pytest.mark.parametrize("group", [True, False], ids=["ctrl-c-to-the-group", "sigterm-to-parent"])
def test_an_interrupt_while_graphviz_draws_in_its_child(tmp_path: Path, group: bool) -> None:
    """Ctrl-C reaches the parent and the Graphviz child; `kill` only the parent. Either
    way the exit says interrupted (not Graphviz's failure, exit 2) and no child is left."""
    source = tmp_path / "big.yaml"
    source.write_text(synthetic_yaml(500, 8, process_id="big"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "escalation_charts", "render", str(source), "-f", "svg", "-o", "o"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    end = time.monotonic() + 120
    while not (children := _children(proc.pid)):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < end, "Graphviz's child never started"
        time.sleep(0.01)
    if group:
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == (130 if group else 143), err
    assert "Graphviz stopped" not in err and "Traceback" not in err
    assert not any(Path(f"/proc/{c}").exists() for c in children)  # reaped, none left
    assert temps(tmp_path / "o") == [] if (tmp_path / "o").exists() else True


def test_what_a_killed_run_left_is_removed_by_the_next(tmp_path: Path, source: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a pid that no longer runs
    left = out / f".p.mmd.{dead.pid}.k1ll3d_x.tmp"
    left.write_bytes(b"half a file")
    old = out / ".p.bpmn.abcd1234.tmp"  # written before pids were recorded, hours ago
    old.write_bytes(b"half")
    os.utime(old, (time.time() - STALE_AFTER - 60,) * 2)
    busy = out / f".q.mmd.{os.getpid()}.r4nn1ng_.tmp"  # a live writer's: kept
    busy.write_bytes(b"being written")
    mine = out / ".notes.tmp"  # not ours: kept
    mine.write_text("mine")
    command = ["export", str(source), "-f", "mermaid", "-o", str(out)]
    result = subprocess.run(
        [sys.executable, "-m", "escalation_charts", *command],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert temps(out) == sorted([busy.name, mine.name])
    assert (out / "p.mmd").exists()
