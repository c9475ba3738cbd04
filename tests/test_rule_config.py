"""Choosing rules as linters do: `--select/--ignore`, and `[tool.escalation-charts]` in
pyproject.toml or an escalation-charts.toml beside the definitions, with `ignore`,
`select` and per-rule severity, honoured by validate, audit and the pre-commit hook."""

from __future__ import annotations

import json
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result

from .conftest import DATA, ROOT

OUTAGE = DATA / "timing" / "utility-outage.yaml"  # one matrix-flow-timing error
UNTIMED = DATA / "rules" / "matrix-untimed.yaml"  # one matrix-untimed warning


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the definitions one level down."""
    (tmp_path / "processes").mkdir()
    shutil.copy(OUTAGE, tmp_path / "processes" / "outage.yaml")
    shutil.copy(UNTIMED, tmp_path / "processes" / "untimed.yaml")
    return tmp_path


def _rules(run: Callable[..., Result], *args: str) -> tuple[int, dict[str, list[tuple]]]:
    result = run("validate", "--format", "json", *args)
    files = json.loads(result.stdout)["files"] if result.stdout else []
    return result.exit_code, {
        Path(f["path"]).name: [(x["rule"], x["severity"]) for x in f["findings"]] for f in files
    }


def test_ignore_and_select_on_the_command_line(run, project: Path) -> None:
    folder = str(project / "processes")
    code, found = _rules(run, folder)
    assert code == 1
    assert found == {
        "outage.yaml": [("matrix-flow-timing", "error")],
        "untimed.yaml": [("matrix-untimed", "warning")],
    }
    code, found = _rules(run, "--ignore", "matrix-flow-timing", folder)
    assert code == 0 and found["outage.yaml"] == [] and found["untimed.yaml"]
    code, found = _rules(run, "--select", "matrix-flow-timing,no-backup", folder)
    assert code == 1 and found["untimed.yaml"] == []


@pytest.mark.parametrize("command", ["validate", "audit"])
@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_an_unknown_rule_is_a_usage_error_with_a_suggestion(
    run, project: Path, command: str, option: str
) -> None:
    result = run(command, option, "matrix-untimd", str(project / "processes"))
    assert result.exit_code == 2
    assert f"{option}: unknown rule 'matrix-untimd' (did you mean 'matrix-untimed'?)" in (
        result.stderr
    )
    assert "Traceback" not in result.output


def test_pyproject_table_is_honoured_by_validate_and_audit(run, project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "ops"\n\n[tool.escalation-charts]\nignore = ["matrix-flow-timing"]\n'
        '\n[tool.escalation-charts.severity]\nmatrix-untimed = "error"\n',
        "utf-8",
    )
    code, found = _rules(run, str(project / "processes"))
    assert found == {"outage.yaml": [], "untimed.yaml": [("matrix-untimed", "error")]}
    assert code == 1  # the warning is an error in this project
    out = project / "out"
    result = run("audit", str(project / "processes" / "outage.yaml"), "-f", "json", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    report = json.loads((out / "utility-outage-audit.json").read_text("utf-8"))
    assert report["verdict"]["summary"] == "PASS: the process is sound and the matrix complete"
    # the table still shows the figures, and says the rule is not reported here
    duty = report["engagement"][0]["levels"][1]
    assert (duty["matrix"], duty["earliest"], duty["rule"]) == ("30m", "1h", "matrix-flow-timing")
    result = run("audit", str(project / "processes" / "untimed.yaml"), "-f", "md", "-o", str(out))
    assert result.exit_code == 1
    assert "**FAIL (1 error, 0 warnings)**" in (out / "matrix-untimed-audit.md").read_text("utf-8")


def test_sarif_carries_the_configured_level(run, project: Path) -> None:
    (project / "processes" / "escalation-charts.toml").write_text(
        'severity = {matrix-flow-timing = "warning"}\n', "utf-8"
    )
    result = run("validate", "--format", "sarif", str(project / "processes" / "outage.yaml"))
    assert result.exit_code == 0  # a warning now: valid unless --strict
    (res,) = json.loads(result.stdout)["runs"][0]["results"]
    assert (res["ruleId"], res["level"]) == ("matrix-flow-timing", "warning")
    strict = run("validate", "--strict", str(project / "processes" / "outage.yaml"))
    assert strict.exit_code == 1


def test_the_nearest_configuration_wins(run, project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.escalation-charts]\nignore = ["matrix-untimed"]\n', "utf-8"
    )
    (project / "processes" / "escalation-charts.toml").write_text(
        'ignore = ["matrix-flow-timing"]\n', "utf-8"
    )
    _, found = _rules(run, str(project / "processes"))
    assert found == {"outage.yaml": [], "untimed.yaml": [("matrix-untimed", "warning")]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[tool.escalation-charts]\nignore = [\n  "no-backup",\n  "matrix-flow-timng",\n]\n',
            "pyproject.toml:4:4: ignore: unknown rule 'matrix-flow-timng' "
            "(did you mean 'matrix-flow-timing'?)",
        ),
        (
            '[tool.escalation-charts.severity]\nno-backup = "fatal"\n',
            "pyproject.toml:2:1: severity of 'no-backup' is 'fatal'; write \"error\" or",
        ),
        ('[tool.escalation-charts]\nignore = "no-backup"\n', "'ignore' is a list of rule ids"),
        ('[tool.escalation-charts]\nignor = ["no-backup"]\n', "pyproject.toml:2:1: unknown key"),
        ('[tool.escalation-charts\nignore = ["no-backup"]\n', "pyproject.toml: not valid TOML"),
    ],
    ids=["unknown-rule", "bad-level", "not-a-list", "unknown-key", "bad-toml"],
)
def test_a_bad_configuration_is_one_line_and_exit_2(
    run, project: Path, text: str, message: str
) -> None:
    (project / "pyproject.toml").write_text(text, "utf-8")
    result = run("validate", str(project / "processes"))
    assert result.exit_code == 2
    (line,) = [x for x in result.stderr.splitlines() if x]
    assert message in line and "Traceback" not in result.output


def test_a_file_that_cannot_be_read_keeps_its_findings(run, tmp_path: Path) -> None:
    (tmp_path / "escalation-charts.toml").write_text('ignore = ["syntax"]\n', "utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("process: [\n", "utf-8")
    code, found = _rules(run, str(broken))
    assert code == 1 and found["broken.yaml"] == [("syntax", "error")]


def test_the_pre_commit_hook_honours_the_configuration(run, project: Path) -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    program, command, *args = shlex.split(hook["entry"])
    assert (program, command) == ("escalation-charts", "validate")
    outage = str(project / "processes" / "outage.yaml")
    assert run(command, *args, outage).exit_code == 1
    (project / "escalation-charts.toml").write_text('ignore = ["matrix-flow-timing"]\n', "utf-8")
    assert run(command, *args, outage).exit_code == 0


def test_a_changed_configuration_rebuilds_the_audit(run, project: Path) -> None:
    out = project / "out"
    outage = str(project / "processes" / "outage.yaml")
    assert run("audit", outage, "-f", "json", "-o", str(out)).exit_code == 1
    (project / "escalation-charts.toml").write_text('ignore = ["matrix-flow-timing"]\n', "utf-8")
    result = run("audit", outage, "-f", "json", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    report = json.loads((out / "utility-outage-audit.json").read_text("utf-8"))
    assert report["verdict"]["result"] == "pass"
