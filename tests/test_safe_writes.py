"""Outputs are written atomically: a failed run leaves earlier outputs intact, no temp files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from escalation_charts.cli import _write as _io
from escalation_charts.cli._write import OutputError, write_all


def test_all_outputs_appear_together(tmp_path: Path) -> None:
    written = write_all({tmp_path / "a.svg": "<svg/>", tmp_path / "b.png": b"\x89PNG"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.svg", "b.png"]
    assert written == [tmp_path / "a.svg", tmp_path / "b.png"]


def test_a_failure_while_staging_changes_nothing(tmp_path: Path, monkeypatch) -> None:
    old = tmp_path / "a.svg"
    old.write_text("old", encoding="utf-8")
    real_fdopen = os.fdopen
    calls = {"n": 0}

    def failing_fdopen(fd, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # the second output fails while being written (disk full)
            os.close(fd)
            raise OSError(28, "No space left on device")
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(_io.os, "fdopen", failing_fdopen)
    with pytest.raises(OutputError, match="No space left"):
        write_all({old: "new", tmp_path / "b.svg": "new"})
    assert old.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.svg"]  # no temp file left


def test_an_interrupt_leaves_no_temp_file(tmp_path: Path, monkeypatch) -> None:
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(_io.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_all({tmp_path / "a.svg": "x"})
    assert list(tmp_path.iterdir()) == []


def test_unwritable_directory_is_exit_2_with_one_line(run, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("", encoding="utf-8")
    result = run("init", "-o", str(blocker / "process.yaml"))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
