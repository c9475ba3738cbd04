"""`-` as the definition: `validate -` reads standard input (editors and pipes), names it
`<stdin>` in findings; the writing commands refuse it with one clear line for now."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from escalation_charts.cli import cli

ROOT = Path(__file__).resolve().parent.parent
GOOD = (ROOT / "examples" / "it-help-desk.yaml").read_bytes()
BROKEN = b"process: {id: x, name: X}\nlanes: [{id: a, name: A}]\nsteps:\n  - {id: s, lane: a\n"


def _validate(data: bytes, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["validate", *args, "-"], input=data)


def test_a_valid_definition_on_stdin() -> None:
    result = _validate(GOOD)
    assert result.exit_code == 0
    assert result.output.strip() == "<stdin>: valid, no findings"


def test_findings_on_stdin_point_at_stdin_line_and_column() -> None:
    result = _validate(BROKEN)
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith("<stdin>:5:1: error syntax:")


def test_stdin_in_json_names_stdin() -> None:
    result = _validate(GOOD, "--format", "json")
    assert json.loads(result.output)["files"][0]["path"] == "<stdin>"


def test_stdin_is_bounded_like_a_file(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from escalation_charts.reading import loader

    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 100)
    result = _validate(GOOD)
    assert result.exit_code == 1
    assert "larger than" in result.output


def test_writing_commands_refuse_stdin_clearly(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["render", "-", "-o", str(tmp_path)], input=GOOD)
    assert result.exit_code == 2
    assert "standard input (-) is supported by validate only" in result.output
    assert list(tmp_path.iterdir()) == []
