"""DOT language text: quoting, HTML-like labels and attribute lists (pure functions).

Every label goes into DOT as an HTML-like label built here from plain text, so no
character a user writes (`< > & " ' \\`, newlines, `\\N`-style escapes) can change the
graph: text is XML-escaped, and HTML labels never interpret backslashes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

__all__ = ["attr_list", "html_escape", "html_lines", "quote"]

# Characters XML 1.0 forbids; Graphviz would reject or mangle them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_SPECIAL = re.compile("[&<>\"']")


def quote(value: str) -> str:
    """A DOT double-quoted string; only `"` and a trailing backslash need escaping."""
    text = _CONTROL.sub("", value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def html_escape(text: str) -> str:
    """Plain text as the content of an HTML-like label or an XML document."""
    return _SPECIAL.sub(lambda m: _ESCAPES[m.group()], _CONTROL.sub("", text))


def html_lines(lines: Iterable[str], *, bold: bool = False, size: float | None = None) -> str:
    """Lines of plain text as an HTML-like label body (without the outer `<` `>`)."""
    body = "<BR/>".join(html_escape(line) for line in lines)
    if bold:
        body = f"<B>{body}</B>"
    if size is not None:
        body = f'<FONT POINT-SIZE="{size:g}">{body}</FONT>'
    return body


def attr_list(attrs: Mapping[str, str | float | int | None]) -> str:
    """`[a="1", label=<...>]`; keys whose value is None are left out.

    A value given as a `str` starting with `<` and ending with `>` is written as an
    HTML-like label (the caller built it with `html_lines`); every other string is quoted.
    """
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, float):
            text = _num(value)
        elif isinstance(value, int):
            text = str(value)
        elif value.startswith("<") and value.endswith(">"):
            text = value
        else:
            text = quote(value)
        parts.append(f"{key}={text}")
    return "[" + ", ".join(parts) + "]" if parts else ""


def _num(value: float) -> str:
    """A float with at most 2 decimals and no trailing zeros, so DOT text is stable."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
