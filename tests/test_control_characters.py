"""Control characters anywhere in a definition are findings at their own line and column
(SECURITY.md; issue 16 #6 raw bytes reported at 1:1, #7 C1 controls accepted).

The corpus is every character a value must not hold, written raw into the file and as a
double-quoted escape; each must give one one-line finding at the right place.
"""

from __future__ import annotations

import pytest

from escalation_charts.reading.loader import load_bytes, load_text

from .conftest import DATA

CLEAN = (DATA / "rules" / "clean.yaml").read_text(encoding="utf-8")
# where the process name's value starts, and where a character after "ab" sits in it
LINE = CLEAN.splitlines().index("process: {id: clean, name: Clean}") + 1
VALUE_COL = len("process: {id: clean, name: ") + 1

BAD = (
    [chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)]  # tab, LF, CR are text
    + [chr(c) for c in range(0x7F, 0xA0)]
    + ["\ufffe", "\uffff"]
)
# A raw CR or NEL is a line break to YAML (it ends the line, it is not in the value).
RAW_BREAKS = {"\r", "\x85"}


def _with_name(name: str) -> str:
    return CLEAN.replace("name: Clean}", f"name: {name}}}", 1)


def _one_finding(loaded):
    assert loaded.definition is None
    (finding,) = loaded.findings
    assert "\n" not in finding.message and "position" not in finding.message
    return finding


@pytest.mark.parametrize("char", BAD, ids=lambda c: f"U+{ord(c):04X}")
def test_an_escaped_control_character_is_refused_where_its_value_is(char: str) -> None:
    finding = _one_finding(load_text(_with_name(f'"ab\\u{ord(char):04x}c"')))
    assert finding.rule == "invalid-value"
    assert (finding.pos.line, finding.pos.column) == (LINE, VALUE_COL)
    assert f"U+{ord(char):04X}" in finding.message


@pytest.mark.parametrize(
    "char", [c for c in BAD if c not in RAW_BREAKS], ids=lambda c: f"U+{ord(c):04X}"
)
@pytest.mark.parametrize("prefix", ["", "é€😀 "], ids=["ascii", "wide-before"])
def test_a_raw_control_character_is_reported_at_its_own_place(char: str, prefix: str) -> None:
    text = _with_name(f'"{prefix}ab{char}c"')
    finding = _one_finding(load_bytes(text.encode("utf-8")))
    assert (finding.pos.line, finding.pos.column) == (LINE, VALUE_COL + 1 + len(prefix) + 2)
    assert f"U+{ord(char):04X}" in finding.message
    assert "delete it" in finding.message


def test_a_raw_control_byte_deep_in_a_big_file_keeps_its_place() -> None:
    # the case from the issue: ESC at 81:49 was reported at 1:1
    lines = [f"# comment line {i:03d} " + "x" * 30 for i in range(80)]
    lines.append("x" * 48 + "\x1b")
    loaded = load_text("\n".join(lines) + "\n")
    (finding,) = loaded.findings
    assert (finding.pos.line, finding.pos.column) == (81, 49)


@pytest.mark.parametrize("escape", ["\\N", "\\x85", "\\x9b", "\\u009B"])
def test_c1_controls_written_as_escapes_are_findings(escape: str) -> None:
    finding = _one_finding(load_text(_with_name(f'"C1{escape}here"')))
    assert finding.rule == "invalid-value" and "control character" in finding.message
