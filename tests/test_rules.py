"""Every validation rule of SPEC.md, triggered by a minimal definition in tests/data/rules.

Each file's first line says what it must produce:
`# expect: <rule> <severity> <line>:<col> [path=a,b,c] [applies_to=P2] [message~text]`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from escalation_charts.cli._common import check_file
from escalation_charts.findings import RULES

from .conftest import DATA, EXAMPLES, ROOT

RULE_FILES = sorted((DATA / "rules").glob("*.yaml"))
_EXPECT = re.compile(
    r"# expect: (?P<rule>[a-z-]+) (?P<level>error|warning) (?P<line>\d+):(?P<col>\d+)"
    r"(?: path=(?P<path>\S+))?(?: applies_to=(?P<sev>\S+))?(?: message~(?P<msg>.+))?$"
)


def _expectation(path: Path) -> re.Match[str] | None:
    return _EXPECT.match(path.read_text(encoding="utf-8").splitlines()[0])


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_rule_file_gives_exactly_the_expected_finding(path: Path) -> None:
    expect = _expectation(path)
    findings = check_file(str(path)).findings
    if expect is None:
        assert findings == (), "a file without expectation must be clean"
        return
    assert len(findings) == 1, [f.message for f in findings]
    (f,) = findings
    assert (f.rule, f.level) == (expect["rule"], expect["level"])
    assert (f.pos.line, f.pos.column) == (int(expect["line"]), int(expect["col"]))
    assert f.file == str(path)
    assert f.path == (tuple(expect["path"].split(",")) if expect["path"] else None)
    assert f.applies_to == expect["sev"]
    if expect["msg"]:
        assert expect["msg"] in f.message


def test_every_rule_has_a_triggering_file() -> None:
    covered = {m["rule"] for p in RULE_FILES if (m := _expectation(p))}
    assert covered == set(RULES)


def test_flow_findings_carry_step_and_path_from_a_start() -> None:
    flow_rules = {"dead-end", "no-exit-loop", "matrix-flow-mismatch"}
    for path in RULE_FILES:
        for f in check_file(str(path)).findings:
            if f.rule in flow_rules:
                assert f.step and f.path and f.path[-1] == f.step
                assert f.path[0] == "raise"  # the start step of every rule file


@pytest.mark.parametrize(
    "path",
    [*EXAMPLES, *sorted((ROOT / "templates" / "init").glob("*.yaml"))],
    ids=lambda p: p.name,
)
def test_shipped_definitions_are_clean(path: Path) -> None:
    assert check_file(str(path)).findings == ()


def test_a_finding_for_every_severity_is_reported_once(write_yaml) -> None:
    text = (DATA / "rules" / "dead-end.yaml").read_text(encoding="utf-8")
    two = text.replace(
        "  - {id: P1, name: Critical}\n",
        "  - {id: P1, name: Critical}\n  - {id: P2, name: High}\n",
    ).replace("  P1: {t1: 0m}\n", "  P1: {t1: 0m}\n  P2: {t1: 0m}\n")
    findings = check_file(str(write_yaml(two))).findings
    assert [(f.rule, f.applies_to) for f in findings] == [("dead-end", None)]
