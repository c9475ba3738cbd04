"""Batches: files and directories, outputs skipped when up to date (input, options, tool
version), --force-all, errors not cached, clashing outputs refused, a summary line, -j N
giving the same files as one process, and a progress bar on a terminal."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from escalation_charts.cli._batch import CACHE_NAME, expand_inputs

from .conftest import EXAMPLES, ROOT
from .synth import synthetic_yaml

Run = Callable[..., Result]
SPEC_EXAMPLE = next(p for p in EXAMPLES if p.stem == "spec-example")


@pytest.fixture
def defs(tmp_path: Path) -> Path:
    """A folder with three small definitions (Mermaid-only runs keep these tests fast)."""
    folder = tmp_path / "defs"
    folder.mkdir()
    for i in range(3):
        (folder / f"p{i}.yaml").write_text(synthetic_yaml(8, 3, process_id=f"proc-{i}"))
    return folder


def export(run: Run, *args: str) -> Result:
    return run("export", "-f", "mermaid", *args)


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix == ".mmd"}


def test_directories_expand_to_definitions_below_them(tmp_path: Path) -> None:
    (tmp_path / "b" / "deeper").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    for name in (
        "a.yaml",
        "b/c.yml",
        "b/deeper/d.yaml",
        "b/notes.txt",
        ".git/e.yaml",
        "b/.hidden.yaml",
    ):
        (tmp_path / name).write_text("x")
    found = expand_inputs([str(tmp_path), str(tmp_path / "a.yaml")])
    assert [os.path.relpath(p, tmp_path) for p in found] == [
        "a.yaml",
        os.path.join("b", "c.yml"),
        os.path.join("b", "deeper", "d.yaml"),
    ]


def test_missing_input_or_empty_directory_is_exit_2(run: Run, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = export(run, str(tmp_path / "empty"), "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "no *.yaml or *.yml files" in result.stderr


def test_second_run_skips_what_is_up_to_date(run: Run, defs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = export(run, str(defs), "-o", str(out))
    assert first.exit_code == 0, first.stderr
    assert first.stdout.count("wrote ") == 3
    assert "export: 3 files: 3 built, 0 up to date, 0 failed" in first.stdout
    before = {p: p.stat().st_mtime_ns for p in out.glob("*.mmd")}
    again = export(run, str(defs), "-o", str(out))
    assert again.exit_code == 0
    assert "wrote " not in again.stdout
    assert "export: 3 files: 0 built, 3 up to date, 0 failed" in again.stdout
    assert {p: p.stat().st_mtime_ns for p in out.glob("*.mmd")} == before


def test_single_up_to_date_file_says_so(run: Run, tmp_path: Path) -> None:
    export(run, str(SPEC_EXAMPLE), "-o", str(tmp_path))
    again = export(run, str(SPEC_EXAMPLE), "-o", str(tmp_path))
    assert again.stdout.strip() == f"{SPEC_EXAMPLE}: up to date (--force-all rebuilds it)"


def test_only_changed_inputs_are_rebuilt(run: Run, defs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export(run, str(defs), "-o", str(out))
    path = defs / "p1.yaml"
    path.write_text(path.read_text().replace("Raise a ticket", "Open a ticket"))
    result = export(run, str(defs), "-o", str(out))
    assert result.stdout.count("wrote ") == 1 and "proc-1.mmd" in result.stdout
    assert "1 built, 2 up to date" in result.stdout
    assert "Open a ticket" in (out / "proc-1.mmd").read_text()


def test_force_all_rebuilds_everything(run: Run, defs: Path, tmp_path: Path) -> None:
    export(run, str(defs), "-o", str(tmp_path))
    result = export(run, str(defs), "-o", str(tmp_path), "--force-all")
    assert result.stdout.count("wrote ") == 3


def test_a_deleted_output_is_rebuilt(run: Run, defs: Path, tmp_path: Path) -> None:
    export(run, str(defs), "-o", str(tmp_path))
    (tmp_path / "proc-2.mmd").unlink()
    result = export(run, str(defs), "-o", str(tmp_path))
    assert "1 built, 2 up to date" in result.stdout
    assert (tmp_path / "proc-2.mmd").exists()


def test_different_options_are_not_up_to_date(run: Run, defs: Path, tmp_path: Path) -> None:
    export(run, str(defs), "-o", str(tmp_path))
    result = export(run, str(defs), "-o", str(tmp_path), "--direction", "TB")
    assert "3 built" in result.stdout
    assert "flowchart TB" in (tmp_path / "proc-0.mmd").read_text()


def test_a_new_tool_version_is_not_up_to_date(
    run: Run, defs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export(run, str(defs), "-o", str(tmp_path))
    monkeypatch.setattr("escalation_charts.cli._batch.__version__", "99.0")
    assert "3 built" in export(run, str(defs), "-o", str(tmp_path)).stdout


def test_errors_fail_the_batch_but_not_the_others(run: Run, defs: Path, tmp_path: Path) -> None:
    (defs / "bad.yaml").write_text("process: {id: bad, name: Bad}\n")
    result = export(run, str(defs), "-o", str(tmp_path))
    assert result.exit_code == 1
    assert "bad.yaml" in result.stderr and "nothing written" in result.stderr
    assert "export: 4 files: 3 built, 0 up to date, 1 failed" in result.stdout
    again = export(run, str(defs), "-o", str(tmp_path))  # errors are never "up to date"
    assert again.exit_code == 1 and "nothing written" in again.stderr


def test_two_inputs_writing_the_same_file_is_exit_2(run: Run, tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(SPEC_EXAMPLE, tmp_path / name)
    result = export(
        run, str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"), "-o", str(tmp_path / "out")
    )
    assert result.exit_code == 2
    assert "both write" in result.stderr and "it-help-desk.mmd" in result.stderr


def test_a_damaged_cache_is_ignored(run: Run, defs: Path, tmp_path: Path) -> None:
    export(run, str(defs), "-o", str(tmp_path))
    cache = tmp_path / CACHE_NAME
    assert json.loads(cache.read_text())["format"] == 2
    cache.write_text("{not json")
    result = export(run, str(defs), "-o", str(tmp_path))
    assert result.exit_code == 0 and "3 built" in result.stdout
    assert json.loads(cache.read_text())["entries"]


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "escalation_charts", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


def test_parallel_jobs_write_the_same_files_in_the_same_order(defs: Path, tmp_path: Path) -> None:
    (defs / "bad.yaml").write_text("process: {id: bad, name: Bad}\n")
    one = _cli("export", str(defs), "-f", "bpmn,mermaid", "-o", "one", cwd=tmp_path)
    two = _cli("export", str(defs), "-f", "bpmn,mermaid", "-o", "two", "-j", "2", cwd=tmp_path)
    assert one.returncode == two.returncode == 1
    assert one.stdout.replace("one/", "") == two.stdout.replace("two/", "")
    assert one.stderr == two.stderr and "Traceback" not in two.stderr
    read = lambda d: {p.name: p.read_bytes() for p in (tmp_path / d).glob("proc-*")}  # noqa: E731
    assert read("one") == read("two") and len(read("two")) == 6


def test_a_terminal_gets_a_progress_bar_for_a_large_batch(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(24):
        (folder / f"p{i:02}.yaml").write_text(synthetic_yaml(8, 3, process_id=f"p{i:02}"))
    primary, secondary = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "escalation_charts",
            "export",
            str(folder),
            "-f",
            "mermaid",
            "-o",
            str(tmp_path / "out"),
        ],
        stdout=secondary,
        stderr=secondary,
        env=env,
        cwd=tmp_path,
    )
    os.close(secondary)
    seen = b""
    while True:
        ready, _, _ = select.select([primary], [], [], 60)
        try:
            chunk = os.read(primary, 4096) if ready else b""
        except OSError:  # the terminal closed: the program ended
            chunk = b""
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=60) == 0
    text = seen.decode()
    assert re.search(r"export\s+\[#+-*\]", text), text  # click's bar, drawn on the terminal
    assert "wrote " not in text  # per-file lines give way to the bar
    assert "export: 24 files: 24 built, 0 up to date, 0 failed" in text


def test_an_up_to_date_run_loads_no_renderer(defs: Path, tmp_path: Path) -> None:
    """Skipping is cheap: neither Graphviz nor the XML library is even imported."""
    args = ["export", str(defs), "-o", str(tmp_path / "out")]
    assert _cli(*args, cwd=tmp_path).returncode == 0
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['escalation-charts', *{args!r}]\n"
        "try:\n    runpy.run_module('escalation_charts', run_name='__main__')\n"
        "except SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
        "print(sorted(m for m in ('pygraphviz', 'lxml', 'pptx') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=True,
    )
    assert "3 up to date" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "[]"
