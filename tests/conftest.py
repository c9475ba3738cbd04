"""Fixtures shared by every behaviour's tests: the examples, a CLI runner, tiny definitions."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from escalation_charts.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pin 'today' so review-overdue findings do not change with the calendar."""
    monkeypatch.setenv("ESCALATION_CHARTS_TODAY", "2026-11-23")


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run the CLI as a user would; returns click's Result (exit_code, stdout, stderr)."""

    def _run(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return _run


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[..., Path]:
    """Write a dedented YAML text to a file in tmp_path and return its path."""

    def _write(text: str, name: str = "process.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write
