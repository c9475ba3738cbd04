"""`--quiet` on every command that writes files: no progress lines, errors still shown."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "examples" / "it-help-desk.yaml")

COMMANDS = [
    ["render", EXAMPLE, "-f", "svg"],
    ["matrix", EXAMPLE, "-f", "md"],
    ["audit", EXAMPLE, "-f", "md"],
    ["export", EXAMPLE, "-f", "mermaid"],
    ["slides", EXAMPLE],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: a[0])
def test_quiet_writes_but_prints_nothing(run, tmp_path: Path, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    loud = run(*argv, "-o", str(out / "loud"))
    assert "wrote" in loud.output
    quiet = run(*argv, "-o", str(out / "quiet"), "--quiet")
    assert quiet.exit_code == 0
    assert "wrote" not in quiet.output and "up to date" not in quiet.output
    assert sorted(
        p.name for p in (out / "quiet").iterdir() if not p.name.startswith(".")
    ) == sorted(p.name for p in (out / "loud").iterdir() if not p.name.startswith("."))


def test_quiet_init_writes_the_file_without_the_hint(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "p.yaml"
    result = run("init", "-o", str(target), "-q")
    assert result.exit_code == 0 and target.is_file()
    assert result.output == ""


def test_quiet_keeps_errors(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("render", str(tmp_path / "missing.yaml"), "-q")
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_quiet_of_one_command_does_not_silence_the_next(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("render", EXAMPLE, "-f", "svg", "-o", str(tmp_path), "-q")
    result = run("validate", EXAMPLE)
    assert "valid" in result.output


def test_every_command_accepts_quiet() -> None:
    """Scripts pass -q to every call; an unknown option would be a usage error (exit 2)."""
    from click.testing import CliRunner

    from escalation_charts.cli import cli

    names = cli.list_commands(None)  # type: ignore[arg-type]
    assert {"validate", "render", "preview", "schema", "diff", "import"} <= set(names)
    missing = [
        name for name in names if "--quiet" not in CliRunner().invoke(cli, [name, "--help"]).output
    ]
    assert missing == []
