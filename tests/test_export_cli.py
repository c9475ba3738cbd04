"""`escalation-charts export` as a user runs it: files named by process id, formats chosen
with -f, definitions with errors refused (exit 1) unless --force, usage problems exit 2."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from .conftest import DATA, EXAMPLES, ROOT

SPEC_EXAMPLE = next(p for p in EXAMPLES if p.stem == "spec-example")
BROKEN = """\
process: {id: broken, name: Broken}
severities: [{id: P1, name: Critical}]
lanes: [{id: desk, name: Desk}]
steps:
  - {id: start, lane: desk, type: start, label: Start, next: nowhere}
"""

Run = Callable[..., Result]


def test_writes_every_format_named_by_process_id(run: Run, tmp_path: Path) -> None:
    result = run("export", str(SPEC_EXAMPLE), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))
    assert names == [
        "it-help-desk.bpmn",
        "it-help-desk.drawio",
        "it-help-desk.mmd",
        "it-help-desk.vsdx",
    ]
    assert f"wrote {tmp_path / 'out' / 'it-help-desk.bpmn'}" in result.stdout


def test_format_and_mermaid_syntax_options(run: Run, tmp_path: Path) -> None:
    result = run(
        "export",
        str(SPEC_EXAMPLE),
        "-f",
        "mermaid",
        "--mermaid",
        "swimlane",
        "--direction",
        "TB",
        "-o",
        str(tmp_path),
    )
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in tmp_path.glob("it-help-desk.*")] == ["it-help-desk.mmd"]
    text = (tmp_path / "it-help-desk.mmd").read_text(encoding="utf-8")
    assert text.splitlines()[1] == "swimlane-beta TB"


def test_definition_with_errors_is_refused_unless_forced(
    run: Run, write_yaml: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_yaml(BROKEN)
    out = tmp_path / "out"
    result = run("export", str(path), "-o", str(out))
    assert result.exit_code == 1
    assert "unknown-reference" in result.stderr and "nothing written" in result.stderr
    assert not list(out.glob("broken.*"))
    forced = run("export", str(path), "-o", str(out), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "unknown-reference" in forced.stderr  # findings still shown
    assert sorted(p.name for p in out.glob("broken.*")) == [
        "broken.bpmn",
        "broken.drawio",
        "broken.mmd",
        "broken.vsdx",
    ]


def test_unknown_format_and_missing_file_are_usage_errors(run: Run, tmp_path: Path) -> None:
    bad_format = run("export", str(SPEC_EXAMPLE), "-f", "visio", "-o", str(tmp_path))
    assert bad_format.exit_code == 2
    assert "visio" in bad_format.stderr and "bpmn, drawio, vsdx, mermaid" in bad_format.stderr
    missing = run("export", str(tmp_path / "nope.yaml"), "-o", str(tmp_path))
    assert missing.exit_code == 2
    assert "nope.yaml: no such file or directory" in missing.stderr
    assert "Traceback" not in missing.stderr + bad_format.stderr


def test_unwritable_output_is_exit_2(run: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = run("export", str(SPEC_EXAMPLE), "-o", str(blocker / "out"))
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_tricky_definition_exports_cleanly(run: Run, tmp_path: Path) -> None:
    shutil.copy(DATA / "export" / "tricky.yaml", tmp_path / "t.yaml")
    result = run("export", str(tmp_path / "t.yaml"), "-o", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "tricky.labels.bpmn").read_bytes().startswith(b"<?xml")


def test_severity_adds_visio_pages(run: Run, tmp_path: Path) -> None:
    import zipfile

    from lxml import etree

    def pages(*options: str) -> list[str]:
        out = tmp_path / "-".join(options or ("none",))
        result = run("export", str(SPEC_EXAMPLE), "-f", "vsdx", "-o", str(out), *options)
        assert result.exit_code == 0, result.stderr
        with zipfile.ZipFile(out / "it-help-desk.vsdx") as archive:
            root = etree.fromstring(archive.read("visio/pages/pages.xml"))
        return [p.get("Name") for p in root.iter("{*}Page")]

    assert pages() == ["Process"]
    assert pages("--severity", "P2") == ["Process", "Severity P2"]
    assert pages("--severity", "P3,P1", "--severity", "P1") == [
        "Process",
        "Severity P1",
        "Severity P3",
    ]  # declared order, each once
    assert pages("--severity", "all") == ["Process"] + [f"Severity P{i}" for i in (1, 2, 3)]
    bad = run("export", str(SPEC_EXAMPLE), "-f", "vsdx", "--severity", "P9", "-o", str(tmp_path))
    assert bad.exit_code == 2
    assert "unknown severity 'P9'" in bad.stderr and "Traceback" not in bad.stderr


def test_help_teaches_formats_examples_and_batch_options(run: Run) -> None:
    text = run("export", "--help").stdout
    for needle in (
        "bpmn",
        "drawio",
        "vsdx",
        "mermaid",
        "--severity",
        "Examples:",
        "--jobs",
        "--force-all",
        "--watch",
        "--mermaid [flowchart|swimlane]",
        "Exit codes",
    ):
        assert needle in text


def test_shell_completion_scripts_and_option_completion(tmp_path: Path) -> None:
    def complete(**env: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "escalation_charts"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        ).stdout

    for shell in ("bash", "zsh", "fish"):
        script = complete(_ESCALATION_CHARTS_COMPLETE=f"{shell}_source")
        assert "_ESCALATION_CHARTS_COMPLETE" in script, shell
    words = complete(
        _ESCALATION_CHARTS_COMPLETE="bash_complete",
        COMP_WORDS="escalation-charts export --mer",
        COMP_CWORD="2",
    )
    assert "--mermaid" in words
