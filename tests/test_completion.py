"""Shell completion as bash asks for it (`_ESCALATION_CHARTS_COMPLETE=bash_complete`):
file arguments offer files, `-f` offers formats (also after a comma), `init --template`
offers the shipped starters, and commands complete by name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def complete(words: str, cwd: Path = ROOT) -> list[tuple[str, str]]:
    """(type, value) pairs the completion protocol answers for the command line `words`."""
    parts = words.split(" ")
    env = {
        **os.environ,
        "_ESCALATION_CHARTS_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(parts) - 1),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from escalation_charts.cli import cli; cli(prog_name='escalation-charts')",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line]  # none: one empty line
    return [tuple(line.split(",", 1)) for line in lines]  # type: ignore[misc]


@pytest.mark.parametrize("command", ["validate", "render", "matrix", "slides", "audit", "export"])
def test_file_arguments_complete_as_files(command: str) -> None:
    assert ("file", "exam") in complete(f"escalation-charts {command} exam")


def test_formats_complete_and_continue_after_a_comma() -> None:
    assert complete("escalation-charts render examples -f p") == [
        ("plain", "png"),
        ("plain", "pdf"),
    ]
    assert complete("escalation-charts render examples -f svg,") == [
        ("plain", "svg,png"),
        ("plain", "svg,pdf"),
        ("plain", "svg,dot"),
    ]


def test_init_templates_complete() -> None:
    assert complete("escalation-charts init --template ") == [
        ("plain", "basic"),
        ("plain", "minimal"),
        ("plain", "three-tier"),
    ]


def test_commands_complete_by_name() -> None:
    assert ("plain", "validate") in complete("escalation-charts va")


@pytest.mark.parametrize("command", ["render", "slides", "preview"])
def test_severity_completes_from_the_definition_named_before_it(command: str) -> None:
    assert complete(f"escalation-charts {command} examples/spec-example.yaml --severity ") == [
        ("plain", "P1"),
        ("plain", "P2"),
        ("plain", "P3"),
    ]
    assert complete(f"escalation-charts {command} examples/spec-example.yaml --severity P2") == [
        ("plain", "P2")
    ]


def test_severity_list_continues_after_a_comma_and_offers_all() -> None:
    words = "escalation-charts export examples/spec-example.yaml -f vsdx --severity P1,"
    assert complete(words) == [("plain", "P1,P2"), ("plain", "P1,P3"), ("plain", "P1,all")]


def test_severity_completion_reads_a_folder_and_survives_a_broken_file(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text((ROOT / "examples/spec-example.yaml").read_text())
    (tmp_path / "broken.yaml").write_text("lanes: [\n  - id: {\n")
    done = complete(f"escalation-charts render {tmp_path} --severity ")
    assert done == [("plain", "P1"), ("plain", "P2"), ("plain", "P3")]


def test_severity_completion_offers_nothing_without_a_readable_file() -> None:
    assert complete("escalation-charts render nowhere.yaml --severity ") == []
