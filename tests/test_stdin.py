"""`-` as the definition: every command reads standard input (editors and pipes), names it
`<stdin>` in findings and its outputs after the process id; `-o -` writes a single output
to standard output and refuses, in one line, what would be several files or binary on a
terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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


# -- the writing commands: `-` in, `-o DIR` or `-o -` out --------------------------------

PID = "it-help-desk-3-tier"  # the process id in GOOD: outputs are named after it
WRITERS = [
    ("render", ["-f", "svg"], f"{PID}.svg"),
    ("matrix", ["-f", "md"], f"{PID}-matrix.md"),
    ("audit", ["-f", "json"], f"{PID}-audit.json"),
    ("export", ["-f", "bpmn"], f"{PID}.bpmn"),
    ("slides", [], f"{PID}.pptx"),
]


def _invoke(args: list[str], data: bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, args, input=data)


@pytest.mark.parametrize(("command", "options", "name"), WRITERS, ids=[w[0] for w in WRITERS])
def test_stdin_in_files_named_after_the_process_id(
    tmp_path: Path, command: str, options: list[str], name: str
) -> None:
    result = _invoke([command, "-", *options, "-o", str(tmp_path)], GOOD)
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == [name]
    # read once, so never "up to date": a second run builds again from the new input
    again = _invoke([command, "-", *options, "-o", str(tmp_path)], GOOD)
    assert "up to date" not in again.output


@pytest.mark.parametrize(("command", "options", "name"), WRITERS, ids=[w[0] for w in WRITERS])
def test_one_output_to_stdout_is_the_same_bytes_as_the_file(
    tmp_path: Path, command: str, options: list[str], name: str
) -> None:
    written = _invoke([command, "-", *options, "-o", str(tmp_path)], GOOD)
    assert written.exit_code == 0, written.output
    piped = _invoke([command, "-", *options, "-o", "-"], GOOD)
    assert piped.exit_code == 0, piped.stderr
    assert piped.stdout_bytes == (tmp_path / name).read_bytes()
    assert not (Path.cwd() / "-").exists()


def test_findings_go_to_stderr_when_stdout_carries_the_file() -> None:
    warned = GOOD.replace(b"lanes:\n", b"lanes:\n  - {id: spare, name: Spare}\n", 1)
    result = _invoke(["export", "-", "-f", "mermaid", "-o", "-"], warned)
    assert result.exit_code == 0, result.stderr
    assert "warning empty-lane" in result.stderr
    assert result.stdout.startswith(("flowchart", "%%"))
    assert "empty-lane" not in result.stdout


def test_errors_on_stdin_name_stdin_and_write_nothing(tmp_path: Path) -> None:
    result = _invoke(["render", "-", "-o", str(tmp_path)], BROKEN)
    assert result.exit_code == 1
    assert result.stderr.startswith("<stdin>:5:1: error syntax:")
    assert "<stdin>: the definition has errors; nothing written" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (["render", "-", "-f", "svg,png", "-o", "-"], "this gives 2 (it-help-desk-3-tier.png, "),
        (["export", "-", "-o", "-"], "this gives 4"),
        (["matrix", "-", "-f", "csv", "-o", "-"], "this gives 2"),
        (
            ["render", "-", str(ROOT / "examples" / "customer-service.yaml"), "-o", "-"],
            "2 definitions were given",
        ),
        (["render", "-", "-o", "out", "--watch"], "--watch needs files to watch"),
    ],
    ids=["two-formats", "every-export-format", "csv-is-two-files", "two-definitions", "watch"],
)
def test_what_cannot_go_to_stdout_is_refused_in_one_line(args: list[str], why: str) -> None:
    result = _invoke(args, GOOD)
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("escalation-charts: error: ") and why in line


def test_binary_is_refused_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from escalation_charts.cli import _pipe

    monkeypatch.setattr(_pipe, "_terminal", lambda: True)
    deck = _invoke(["slides", "-", "-o", "-"], GOOD)
    assert deck.exit_code == 2
    assert "is binary; redirect standard output" in deck.stderr
    assert deck.stdout_bytes == b""
    text = _invoke(["render", "-", "-f", "svg", "-o", "-"], GOOD)  # text is fine there
    assert text.exit_code == 0 and text.stdout.lstrip().startswith("<")


def test_a_directory_named_dash_is_still_a_directory(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = _invoke(["render", "-", "-f", "svg", "-o", "./-"], GOOD)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "-" / f"{PID}.svg").is_file()
    assert result.stdout_bytes.startswith(b"wrote ")


@pytest.mark.parametrize("command", [w[0] for w in WRITERS])
def test_help_teaches_stdin_and_stdout(command: str) -> None:
    text = " ".join(_invoke([command, "--help"]).output.split())
    assert "standard output" in text
    assert "-o -" in text  # an example that pipes
    if command != "slides":
        assert "FILE - reads one definition from standard input" in text
