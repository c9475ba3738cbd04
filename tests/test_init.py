"""`init` writes starter definitions that validate clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from escalation_charts.cli._common import check_file
from escalation_charts.cli.init import template_names


def test_templates_are_listed(run) -> None:
    result = run("init", "--list")
    assert result.stdout.split() == template_names()
    assert {"basic", "three-tier", "minimal"} <= set(template_names())


@pytest.mark.parametrize("name", template_names())
def test_each_template_writes_a_clean_definition_reviewed_today(run, tmp_path: Path, name) -> None:
    target = tmp_path / f"{name}.yaml"
    result = run("init", "--template", name, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert 'reviewed: "2026-11-23"' in target.read_text(encoding="utf-8")
    assert check_file(str(target)).findings == ()


def test_init_prints_to_stdout_without_output(run) -> None:
    assert run("init").stdout.startswith("# Editor completion")


def test_init_refuses_to_overwrite(run, tmp_path: Path) -> None:
    target = tmp_path / "p.yaml"
    target.write_text("mine", encoding="utf-8")
    result = run("init", "-o", str(target))
    assert result.exit_code == 2 and "--overwrite" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine"
    assert run("init", "-o", str(target), "--overwrite").exit_code == 0


def test_unknown_template_names_the_choices(run) -> None:
    result = run("init", "--template", "nope")
    assert result.exit_code == 2 and "basic" in result.stderr
