"""User text cannot forge or drive what the tool prints (SECURITY.md, issue 16 #4).

A file name, id or label reaches the terminal inside a message; every control, format and
line-break character in it is spelt out, so one message stays one line and a name such as
`evil\\nprod.yaml: valid, no findings` cannot print a verdict of its own.
"""

from __future__ import annotations

import shutil
import sys
import unicodedata
from pathlib import Path

import pytest

from escalation_charts.cli._common import say, shown

from .conftest import EXAMPLES

# Every character class a terminal treats specially: C0 and C1 controls (line feed, CR,
# NEL, CSI, ESC), line and paragraph separators, bidi overrides and isolates, other
# format characters, a lone surrogate.
CORPUS = (
    [chr(c) for c in range(0x20) if c != 0x09]
    + ["\x7f"]
    + [chr(c) for c in range(0x80, 0xA0)]
    + ["\u2028", "\u2029", "\u200e", "\u202a", "\u202e", "\u2066", "\u2069", "\ufeff", "\ud800"]
)


@pytest.mark.parametrize("char", CORPUS, ids=lambda c: f"U+{ord(c):04X}")
def test_say_prints_one_line_with_nothing_invisible(
    char: str, capsys: pytest.CaptureFixture[str]
) -> None:
    say(f"{char}prod.yaml: valid, no findings{char}x.yaml: valid{char}")
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.endswith("\n")
    line = out[:-1]
    assert all(unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Zl", "Zp"} for c in line)
    assert line.startswith(f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def test_shown_is_idempotent_and_keeps_ordinary_text() -> None:
    for char in CORPUS:
        once = shown(f"a{char}b")
        assert shown(once) == once
    assert shown("Équipe 2 — tier\tone 👩‍💻") == "Équipe 2 — tier\tone 👩‍💻"


@pytest.mark.skipif(sys.platform == "win32", reason="file names with line breaks")
@pytest.mark.parametrize("brk", ["\n", "\r", "\x85", "\u2028", "\x1b[1A\r"])
def test_a_file_name_with_a_line_break_cannot_print_a_verdict(
    run, tmp_path: Path, brk: str
) -> None:
    folder = tmp_path / "defs"
    folder.mkdir()
    shutil.copy(EXAMPLES[0], folder / f"evil{brk}prod.yaml: valid, no findings{brk}x.yaml")
    shutil.copy(EXAMPLES[0], folder / "plain.yaml")
    result = run("validate", str(folder))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    # one verdict per file and the summary; no line starts with the forged name
    assert len(lines) == 3, lines
    assert not any(line.startswith("prod.yaml") for line in lines)
    assert all(line.isprintable() for line in lines)


def test_a_finding_about_a_key_with_a_line_break_stays_one_line(run, write_yaml) -> None:
    path = write_yaml('"a\\nprod.yaml: valid, no findings\\u2028b": 1\n')
    result = run("validate", str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert all(line.startswith(str(path)) for line in lines), lines
