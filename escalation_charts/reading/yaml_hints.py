"""libyaml's syntax errors said as a fix: what is wrong on that line and what to write.

libyaml reports where parsing broke in its grammar's words ("mapping values are not
allowed in this context"), which says nothing to someone who indented one key too far or
wrote a colon in a label. The usual mistakes each leave a clear trace on the line the
error points at (or the lines above it), so each is recognised there and explained with
the fix; anything else keeps libyaml's words.
"""

from __future__ import annotations

import re

from escalation_charts.findings import Pos

__all__ = ["explain"]

# `key: value` where the plain (unquoted) value holds another `: `; in a block, then in
# a `{ }` flow mapping (where `,` `{` `}` `[` `]` end the value).
_KEY = r"([A-Za-z_][\w.-]*):\s+"
_BLOCK_COLON = re.compile(r"^\s*(?:-\s+)?" + _KEY + r"([^\s\"'{\[#][^#\n]*?:\s[^#\n]*?)\s*$")
_FLOW_COLON = re.compile(r"[{,]\s*" + _KEY + r"([^\s,{}\[\]\"'][^,{}\[\]\"'\n]*?:\s[^,{}\[\]\n]*)")
_INDENT_WORDS = (
    "did not find expected '-' indicator",
    "did not find expected key",
    "expected <block end>",
)


def explain(message: str, text: str, pos: Pos) -> str:
    """`message` from libyaml at `pos` in `text`, turned into what to fix where we can."""
    lines = text.splitlines()
    line = lines[pos.line - 1] if 0 < pos.line <= len(lines) else ""
    if "\t" in _leading(line) or ("tab" in message and "\t" in line):
        return (
            f"line {pos.line} is indented with a tab; YAML indents with spaces only: "
            "replace the tab with spaces"
        )
    if "flow mapping" in message or "flow sequence" in message:
        found = _FLOW_COLON.search(line)
        if found:
            return _quote_hint(found.group(1), found.group(2))
        opened = _unclosed(lines, pos.line, "{", "}") or _unclosed(lines, pos.line, "[", "]")
        if opened:
            return (
                f"the {{ }} or [ ] opened on line {opened} is not closed where it should be: "
                "close it, and separate its fields with ','; a value holding ':', ',', "
                "'{', '}', '[' or ']' must be quoted"
            )
    if "mapping values are not allowed" in message:
        found = _BLOCK_COLON.match(line)
        if found:
            return _quote_hint(found.group(1), found.group(2))
        above = _line_above(lines, pos.line)
        if above is not None and _indent(line) > _indent(above[1]):
            return (
                f"line {pos.line} is indented {_indent(line)} spaces, more than line "
                f"{above[0]} above it ({_indent(above[1])}): the fields of one entry start in "
                "the same column"
            )
    if any(words in message for words in _INDENT_WORDS):
        above = _line_above(lines, pos.line)
        if above is not None:
            fields = _fields_column(above[1])
            return (
                f"line {pos.line} is indented {_indent(line)} spaces, which lines up with "
                f"nothing above it (line {above[0]} has its fields at {fields}): indent it "
                "like the fields it belongs with, in spaces"
            )
    if "end of stream" in message and "quoted scalar" in message:
        opened = _odd_quotes(lines)
        where = f" on line {opened}" if opened else ""
        return f"a quoted text opened{where} is never closed: end it with the same quote"
    return message


def _quote_hint(key: str, value: str) -> str:
    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
    return (
        f"the value of '{key}' holds ': ', which YAML reads as the start of another key: "
        f'quote the value, {key}: "{quoted}"'
    )


def _leading(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _fields_column(line: str) -> int:
    """Where the fields of the entry on `line` start: after `- ` for a list item."""
    found = re.match(r"(\s*)-\s+", line)
    return len(found.group(0)) if found else _indent(line)


def _line_above(lines: list[str], number: int) -> tuple[int, str] | None:
    """The nearest line above `number` that holds something besides a comment."""
    for n in range(number - 1, 0, -1):
        stripped = lines[n - 1].strip()
        if stripped and not stripped.startswith("#"):
            return n, lines[n - 1]
    return None


def _unclosed(lines: list[str], number: int, opening: str, closing: str) -> int | None:
    """The line (at or above `number`) whose `opening` bracket is still open there."""
    depth = 0
    for n in range(min(number, len(lines)), 0, -1):
        line = _without_strings(lines[n - 1])
        depth += line.count(opening) - line.count(closing)
        if depth > 0:
            return n
    return None


def _without_strings(line: str) -> str:
    return re.sub(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|\s#.*$", "", line)


def _odd_quotes(lines: list[str]) -> int | None:
    """The first line with an odd number of unescaped double quotes outside comments."""
    for n, line in enumerate(lines, start=1):
        body = re.sub(r"\\.", "", line.split(" #", 1)[0])
        if body.count('"') % 2:
            return n
    return None
