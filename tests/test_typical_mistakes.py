"""The mistakes people make most, each answered with the fix (issue 16, weak messages).

Each case breaks the SPEC's example the way a person would (a tab, a colon in a label, a
key indented too far, a month 13, a typo in an id) and checks what `validate` prints: one
finding that names the cause at its line with what to write instead, and none of the
echoes a broken reference used to raise first (`level-unreached`, `empty-lane`). A missing
`{% include %}` in a notes folder, the last of the issue's list, is
`test_command_inputs.py::test_a_missing_include_names_the_missing_template`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import EXAMPLES

Run = Callable[..., Result]
BASE = next(p for p in EXAMPLES if p.stem == "spec-example").read_text()
FINDING = re.compile(r"^\S+\.yaml:(\d+):(\d+): (error|warning) ([a-z-]+): (.*)$")

# name: (old text, new text, line, rule, words the message must hold)
CASES: dict[str, tuple[str, str, int, str, tuple[str, ...]]] = {
    "tab-indent": (
        "  - id: customer\n    name: Customer",
        "  - id: customer\n\tname: Customer",
        32,
        "syntax",
        ("tab", "spaces"),
    ),
    "colon-in-flow-label": (
        "label: Raise a ticket online,",
        "label: Step 1: raise a ticket online,",
        54,
        "syntax",
        ("quote the value", 'label: "Step 1: raise a ticket online"'),
    ),
    "colon-in-block-label": (
        "    label: Expert analysis",
        "    label: Expert analysis: deep dive",
        74,
        "syntax",
        ('label: "Expert analysis: deep dive"',),
    ),
    "indented-too-far": (
        "    lane: tier2\n    label: Expert analysis",
        "    lane: tier2\n      label: Expert analysis",
        74,
        "syntax",
        ("indented 6 spaces", "line 73", "same column"),
    ),
    "indented-between": (
        "  - id: tier2\n    name: Technical",
        "  - id: tier2\n   name: Technical",
        40,
        "syntax",
        ("indented 3 spaces", "fields at 4"),
    ),
    "list-item-under-a-mapping": (
        "process:\n  id: it-help-desk",
        "process:\n  - id: it-help-desk",
        18,
        "syntax",
        ("indented 2 spaces", "fields at 4"),
    ),
    "unclosed-quote": (
        'label: "Log, categorise and set severity"',
        'label: "Log, categorise and set severity',
        94,
        "syntax",
        ("never closed", "line 55"),
    ),
    "unclosed-brace": (
        "label: Vendor fix, next: closed}",
        "label: Vendor fix, next: closed",
        88,
        "syntax",
        ("opened on line 87", "close it"),
    ),
    "month-13": (
        'reviewed: "2026-09-01"',
        'reviewed: "2026-13-01"',
        21,
        "invalid-value",
        ("month 13 is out of range",),
    ),
    "february-30": (
        'reviewed: "2026-09-01"',
        'reviewed: "2026-02-30"',
        21,
        "invalid-value",
        ("day 30 is out of range", "February 2026 has 28 days"),
    ),
    "typo-in-a-lane": (
        "{id: vendor-fix, lane: vendor,",
        "{id: vendor-fix, lane: vendr,",
        87,
        "unknown-reference",
        ("'vendr'", "did you mean 'vendor'?"),
    ),
    "typo-in-next": (
        "next: vendor-fix}",
        "next: vendorfix}",
        86,
        "unknown-reference",
        ("'vendorfix'", "did you mean 'vendor-fix'?"),
    ),
    "typo-in-a-field": (
        "    label: Expert analysis",
        "    lable: Expert analysis",
        74,
        "unknown-field",
        ("did you mean 'label'?",),
    ),
    "typo-in-a-type": (
        "type: escalate, label: Open vendor",
        "type: escalation, label: Open vendor",
        86,
        "invalid-value",
        ("did you mean 'escalate'?",),
    ),
    "typo-in-notify": (
        "notify: [tier1]",
        "notify: [tierl]",
        75,
        "unknown-reference",
        ("'tierl'",),
    ),
    "bad-duration": (
        "after: 2h,",
        "after: 2hrs,",
        78,
        "invalid-value",
        ("'2hrs' is not a duration", "2h30m"),
    ),
    "decision-without-when": (
        "      - {when: yes, to: closed}\n      - {when: no, to: to-t2}",
        "      - {to: closed}\n      - {when: no, to: to-t2}",
        69,
        "decision-branches",
        ("when: yes",),
    ),
    "missing-label": (
        "{id: vendor-fix, lane: vendor, label: Vendor fix,",
        "{id: vendor-fix, lane: vendor,",
        87,
        "invalid-value",
        ("needs a 'label' field",),
    ),
}
ECHOES = {"level-unreached", "empty-lane"}


@pytest.mark.parametrize("case", CASES)
def test_a_typical_mistake_gets_its_fix(run: Run, tmp_path: Path, case: str) -> None:
    old, new, line, rule, words = CASES[case]
    assert BASE.count(old) == 1, old
    path = tmp_path / f"{case}.yaml"
    path.write_text(BASE.replace(old, new))
    result = run("validate", str(path))
    assert result.exit_code == 1, result.output
    findings = [m.groups() for m in map(FINDING.match, result.output.splitlines()) if m]
    assert findings, result.output
    first_line, _, _, first_rule, message = findings[0]
    assert (int(first_line), first_rule) == (line, rule), result.output
    for word in words:
        assert word in message, message
    assert not any(f[3] in ECHOES for f in findings), result.output
    assert "libyaml" not in message and "<unicode string>" not in message
    assert "while parsing" not in message and "in this context" not in message
