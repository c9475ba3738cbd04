"""Watch mode: a saved definition is rebuilt within seconds, findings are printed without
stopping the watch, new files in a watched directory are picked up, Ctrl-C stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from escalation_charts.cli._watch import watch

from .conftest import EXAMPLES, ROOT
from .synth import synthetic_yaml

SPEC_EXAMPLE = next(p for p in EXAMPLES if p.stem == "spec-example")


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def save_until(path: Path, text: str, condition: Callable[[], bool]) -> bool:
    """Write `text` to `path` until `condition` holds: a save made before the watcher is up
    (on a busy machine) is simply made again."""
    for _ in range(4):
        path.write_text(text, encoding="utf-8")
        if wait_for(condition, 3.0):
            return True
    return False


def test_saves_and_new_files_trigger_rebuilds(tmp_path: Path) -> None:
    folder = tmp_path / "defs"
    folder.mkdir()
    single = tmp_path / "single.yaml"
    single.write_text(synthetic_yaml(8, 3, process_id="single"))
    (folder / "a.yaml").write_text(synthetic_yaml(8, 3, process_id="a"))
    calls: list[list[str]] = []
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=([str(single), str(folder)], calls.append), kwargs={"stop_event": stop}
    )
    thread.start()
    try:
        assert wait_for(lambda: len(calls) == 1)
        assert calls[0] == [str(single), os.path.join(str(folder), "a.yaml")]
        edited = single.read_text().replace("Raise a ticket", "Open a ticket")
        assert save_until(single, edited, lambda: [str(single)] in calls)
        (folder / "notes.txt").write_text("not a definition")
        new = folder / "b.yml"
        assert save_until(new, synthetic_yaml(8, 3, process_id="b"), lambda: [str(new)] in calls)
        assert not any("notes.txt" in name for call in calls for name in call)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "fmt", "suffix"), [("export", "mermaid", ".mmd"), ("render", "svg", ".svg")]
)
def test_watch_rebuilds_on_save_and_stops_on_ctrl_c(
    tmp_path: Path, command: str, fmt: str, suffix: str
) -> None:
    source = tmp_path / "process.yaml"
    source.write_text(SPEC_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    output = tmp_path / "out" / f"it-help-desk{suffix}"
    log, out = tmp_path / "stderr.txt", tmp_path / "stdout.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    with log.open("w") as errors, out.open("w") as printed:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "escalation_charts",
                command,
                str(source),
                "-f",
                fmt,
                "-o",
                str(tmp_path / "out"),
                "--watch",
            ],
            stdout=printed,
            stderr=errors,
            text=True,
            env=env,
        )
    try:
        assert wait_for(output.exists), "the first build did not happen"
        edited = source.read_text().replace("Ticket closed", "Ticket is closed")
        assert save_until(source, edited, lambda: "Ticket is closed" in output.read_text())
        # An error is reported and the watch goes on.
        source.write_text(source.read_text().replace("next: closed}", "next: nowhere}"))
        assert wait_for(lambda: "nothing written" in log.read_text()), "error not reported"
        source.write_text(
            source.read_text()
            .replace("next: nowhere}", "next: closed}")
            .replace("Ticket is closed", "Ticket closed again")
        )
        assert wait_for(lambda: "Ticket closed again" in output.read_text()), "watch stopped"
        # Ctrl-C once the third build has reported, not between its write and its message.
        assert wait_for(lambda: out.read_text().count(f"wrote {output}") == 3)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    stderr = log.read_text()
    assert proc.returncode == 0, stderr
    assert "unknown-reference" in stderr and "nowhere" in stderr
    assert stderr.rstrip().endswith("stopped watching")
    assert "Traceback" not in stderr
    assert out.read_text().count(f"wrote {output}") == 3
