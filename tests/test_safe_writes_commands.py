"""Every writing command, with faults injected: nothing half-written, ever.

tests/test_safe_writes.py checks `write_all` itself; here each command of the table in
tests/hardening.py (and `init`) first writes its outputs, then runs again on a changed
definition while something goes wrong: a renderer raises midway, the disk fills up while
the second file is written, Ctrl-C arrives during the renames. Every earlier output must
still be there, byte for byte, with no temporary file beside it. An output path equal to
an input is refused, and an output directory that cannot be created is exit 2 with one
line.
"""

from __future__ import annotations

import errno
import importlib
import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from escalation_charts.cli import _write as _io
from escalation_charts.cli import cli, main

from .conftest import EXAMPLES
from .hardening import OUTPUT_ROWS, Row, available

SOURCE = next(p for p in EXAMPLES if p.stem == "spec-example")
NAME = "IT Help Desk Escalation"
CACHE = ".escalation-charts-cache.json"
WRITERS = [pytest.param(row, id=row.id) for row in OUTPUT_ROWS]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _outputs(folder: Path) -> dict[str, bytes]:
    """The command's outputs (the up-to-date cache may say what it likes)."""
    return {n: d for n, d in _files(folder).items() if n != CACHE}


def _temp_files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def _invoke(row: Row, source: Path, out: Path):
    return CliRunner().invoke(cli, row.argv(source, out))


@pytest.fixture
def written(tmp_path: Path):
    """Run a row once on the example (outputs in place), then change the definition so
    that the next run would write different files. Returns (source, out, outputs)."""

    def setup(row: Row) -> tuple[Path, Path, dict[str, bytes]]:
        if not available(row.command):
            pytest.skip(f"'{row.command}' is not in this build yet")
        source, out = tmp_path / "process.yaml", tmp_path / "out"
        text = SOURCE.read_text(encoding="utf-8")
        source.write_text(text, encoding="utf-8")
        first = _invoke(row, source, out)
        assert first.exit_code == 0, first.output
        before = _outputs(out)
        assert sorted(Path(n).suffix for n in before) == sorted(
            f".{'mmd' if f == 'mermaid' else f}" for f in row.formats + row.also
        )
        source.write_text(text.replace(NAME, NAME + " (revised)"), encoding="utf-8")
        return source, out, before

    return setup


def _fault(monkeypatch: pytest.MonkeyPatch, dotted: str, error: BaseException) -> None:
    module, name = dotted.rsplit(".", 1)

    def broken(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(importlib.import_module(module), name, broken)


@pytest.mark.parametrize("row", WRITERS)
def test_a_renderer_failing_midway_changes_no_file(row: Row, written, monkeypatch) -> None:
    source, out, before = written(row)
    _fault(monkeypatch, row.midway, RuntimeError("renderer failed midway"))
    result = _invoke(row, source, out)
    assert isinstance(result.exception, RuntimeError), result.output
    assert _outputs(out) == before
    assert _temp_files(out) == []


@pytest.mark.parametrize("row", WRITERS)
def test_a_bug_is_one_line_and_exit_2_not_a_traceback(
    row: Row, written, monkeypatch, capsys
) -> None:
    source, out, before = written(row)
    monkeypatch.delenv("ESCALATION_CHARTS_DEBUG", raising=False)
    _fault(monkeypatch, row.midway, RuntimeError("renderer failed midway"))
    capsys.readouterr()
    with pytest.raises(SystemExit) as stopped:
        main(row.argv(source, out))
    err = capsys.readouterr().err
    assert stopped.value.code == 2
    assert err.count("\n") == 1 and "internal error" in err and "failed midway" in err, err
    assert "Traceback" not in err
    assert _outputs(out) == before


@pytest.mark.parametrize("row", WRITERS)
def test_a_full_disk_while_writing_changes_no_file(row: Row, written, monkeypatch) -> None:
    source, out, before = written(row)
    real_fdopen, calls = os.fdopen, []

    def filling_up(fd: int, *args: object, **kwargs: object):
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # the Graphviz engine's message pipe
            return real_fdopen(fd, *args, **kwargs)
        calls.append(fd)
        if len(calls) == len(before):  # the last output of the run: the others are staged
            os.close(fd)
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(_io.os, "fdopen", filling_up)
    result = _invoke(row, source, out)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    # one line says what went wrong (audit also prints its verdict, as it always does)
    (line,) = [x for x in result.stderr.splitlines() if "escalation-charts: error" in x]
    assert "No space left on device" in line
    assert _outputs(out) == before
    assert _temp_files(out) == []


@pytest.mark.parametrize("row", WRITERS)
def test_ctrl_c_during_the_renames_leaves_no_temp_file(row: Row, written, monkeypatch) -> None:
    source, out, before = written(row)

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_io.os, "replace", interrupted)
    result = _invoke(row, source, out)
    assert result.exit_code != 0
    assert _outputs(out) == before
    assert _temp_files(out) == []


@pytest.mark.parametrize("row", WRITERS)
def test_an_output_path_equal_to_the_input_is_refused(row: Row, written) -> None:
    _, out, before = written(row)
    for name in before:  # the definition saved under the name of one of its outputs
        source = out / name
        source.write_bytes(SOURCE.read_bytes())
        result = _invoke(row, source, out)
        assert result.exit_code == 2, result.output
        assert "refusing to overwrite the input file" in result.stderr
        assert source.read_bytes() == SOURCE.read_bytes()
        assert _temp_files(out) == []


@pytest.mark.parametrize("row", WRITERS)
def test_an_output_directory_that_cannot_be_made_is_exit_2_with_one_line(
    row: Row, tmp_path: Path
) -> None:
    if not available(row.command):
        pytest.skip(f"'{row.command}' is not in this build yet")
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("", encoding="utf-8")
    source = tmp_path / "process.yaml"
    shutil.copy(SOURCE, source)
    result = _invoke(row, source, blocker / "out")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    assert str(blocker) in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-dir", "process.yaml"]


def test_init_on_a_full_disk_keeps_the_existing_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "process.yaml"
    target.write_text("# mine\n", encoding="utf-8")

    def full(fd: int, *args: object, **kwargs: object):
        os.close(fd)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_io.os, "fdopen", full)
    result = CliRunner().invoke(cli, ["init", "-o", str(target), "--overwrite"])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert "No space left on device" in line
    assert target.read_text(encoding="utf-8") == "# mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["process.yaml"]
