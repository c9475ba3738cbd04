"""`validate` as users run it: compiler-style text, JSON, SARIF, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from .conftest import DATA, EXAMPLES

RULES_DIR = DATA / "rules"


def test_examples_validate_clean(run) -> None:
    result = run("validate", *map(str, EXAMPLES))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == f"{len(EXAMPLES)} files checked: all valid"


def test_a_typo_in_a_step_id_is_one_line_with_a_suggestion(run, tmp_path: Path) -> None:
    source = (EXAMPLES[0].parent / "it-help-desk.yaml").read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    # misspell the first `next: <id>` that refers to a step, keeping everything else
    index = next(i for i, line in enumerate(lines) if "next: " in line and "[" not in line)
    target = lines[index].split("next: ")[1].split()[0].rstrip("}")
    lines[index] = lines[index].replace(f"next: {target}", f"next: {target}x", 1)
    path = tmp_path / "typo.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    result = run("validate", "-q", str(path))
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    column = lines[index].index(f"{target}x") + 1
    assert line.startswith(f"{path}:{index + 1}:{column}: error unknown-reference: ")
    assert f"did you mean '{target}'?" in line


def test_text_output_shows_path_and_severity(run) -> None:
    result = run("validate", str(RULES_DIR / "dead-end-severity.yaml"))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:3] == [
        f"{RULES_DIR / 'dead-end-severity.yaml'}:17:10: error dead-end: step 'triage' has no "
        "edge that holds for severity P2, so a ticket stops there; add an edge for this "
        "severity or a resolution",
        "    applies to severity P2",
        "    example path: raise -> fix -> triage",
    ]


def test_json_has_the_spec_shape(run) -> None:
    path = str(RULES_DIR / "dead-end-severity.yaml")
    result = run("validate", "--format", "json", path, str(RULES_DIR / "clean.yaml"))
    assert result.exit_code == 1
    files = json.loads(result.stdout)["files"]
    assert [f["valid"] for f in files] == [False, True]
    assert files[0]["path"] == path
    assert files[0]["findings"] == [
        {
            "rule": "dead-end",
            "severity": "error",
            "message": files[0]["findings"][0]["message"],
            "line": 17,
            "column": 10,
            "step": "triage",
            "path": ["raise", "fix", "triage"],
            "applies_to": "P2",
        }
    ]


def test_sarif_is_valid_against_the_official_schema(run) -> None:
    schema = json.loads((DATA / "schemas" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    files = [str(p) for p in sorted(RULES_DIR.glob("*.yaml"))]
    result = run("validate", "--format", "sarif", *files)
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(schema).validate(log)
    results = log["runs"][0]["results"]
    clean = [f for f in files if Path(f).read_text("utf-8").startswith("# expect: nothing")]
    assert len(clean) == 3  # clean, and the two timing rules with their timer in place
    assert len(results) == len(files) - len(clean)  # every other rule file has one finding
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        region = r["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_warnings_pass_unless_strict(run) -> None:
    path = str(RULES_DIR / "no-backup.yaml")
    assert run("validate", path).exit_code == 0
    strict = run("validate", "--strict", path)
    assert strict.exit_code == 1
    assert "not valid (0 errors, 1 warning)" in strict.stdout


def test_missing_file_is_exit_2_with_one_line(run) -> None:
    result = run("validate", str(RULES_DIR / "clean.yaml"), "no/such/file.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        result.stderr == "escalation-charts: error: no/such/file.yaml: no such file or directory\n"
    )


def test_a_directory_gives_every_definition_below_it(run) -> None:
    result = run("validate", str(EXAMPLES[0].parent))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == f"{len(EXAMPLES)} files checked: all valid"


def test_an_empty_directory_is_exit_2(run, tmp_path: Path) -> None:
    result = run("validate", str(tmp_path))
    assert result.exit_code == 2
    assert "no *.yaml or *.yml files" in result.stderr


def test_no_file_is_a_usage_error(run) -> None:
    assert run("validate").exit_code == 2


@pytest.mark.skipif(shutil.which("git") is None, reason="needs a subprocess only")
def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "escalation_charts", "validate", str(RULES_DIR / "clean.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "valid, no findings" in done.stdout


def test_help_teaches_with_examples(run) -> None:
    text = run("validate", "--help").stdout
    for expected in ("--format", "sarif", "--strict", "Examples:", "Exit codes"):
        assert expected in text


def test_user_text_in_a_message_cannot_drive_the_terminal(run, write_yaml) -> None:
    # found by the fuzz suite: keys and `when` labels reached the terminal raw, so an
    # escape sequence, a newline or a bidi override in them could forge or hide findings
    keys = write_yaml(
        r"""
        process: {id: p, name: P, "\e[2J\e[Hclean": 1, "a\nb": 2}
        severities: [{id: P1}]
        lanes: [{id: c, name: C}]
        steps: [{id: s, lane: c, type: start, label: S}]
        """,
        "keys.yaml",
    )
    answers = write_yaml(
        r"""
        process: {id: p, name: P}
        severities: [{id: P1}]
        lanes: [{id: c, name: C}]
        steps:
          - {id: s, lane: c, type: start, label: S, next: d}
          - id: d
            lane: c
            type: decision
            label: D
            next: [{when: "ok\u202e", to: e}, {when: "ok\u202e", to: e}]
          - {id: e, lane: c, type: resolution, label: E}
        """,
        "answers.yaml",
    )
    result = run("validate", "-q", str(keys), str(answers))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3, lines  # one line per finding
    assert all(line.isprintable() for line in lines)
    assert "unknown field '\\x1b[2J\\x1b[Hclean'" in lines[0]
    assert "unknown field 'a\\nb'" in lines[1]
    assert "the answer 'ok\\u202e' twice" in lines[2]


def test_a_file_name_cannot_drive_the_terminal(run, tmp_path: Path) -> None:
    # a directory of definitions from many hands may hold a file named to clear the
    # screen or reverse the line; its name is printed with those characters spelt out
    folder = tmp_path / "defs"
    folder.mkdir()
    shutil.copy(EXAMPLES[0], folder / "\x1b[2Jx\u202e.yaml")
    result = run("validate", str(folder))
    assert result.exit_code == 0
    (line,) = result.stdout.splitlines()
    assert line.isprintable(), line
    assert line.startswith(f"{folder}/\\x1b[2Jx\\u202e.yaml: valid")
    result = run("render", str(folder), "-f", "dot", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert all(line.isprintable() for line in result.output.splitlines())
