"""The Jinja2 environment for the matrix and report documents (HTML and Markdown).

Autoescaping is on for every template, Markdown included: a value that reaches a template
unfiltered is HTML-escaped, so a forgotten filter can never inject markup. Markdown
templates pass values through `md` (inline: table cells, after a list marker), `mdblock`
(text that starts a paragraph) or `mdcode` (ids), which escape Markdown syntax too.
Values are data, never template source, so `{{ 7*7 }}` in a label stays text.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from escalation_charts.audit.text import duration_text
from escalation_charts.durations import Duration

__all__ = ["environment", "md_code", "md_text", "plain"]

_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# Characters XML/HTML forbid or that terminals misread; they never carry meaning in a label.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# Markdown syntax that works anywhere on a line (emphasis, code, links, tables, GFM
# strikethrough), escaped with a backslash; `{` becomes an entity so that a static-site
# generator's Liquid/Jinja pass (`{{ ... }}`, `{% ... %}`) sees no template tags either.
_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
# Syntax that only counts at the start of a line (headings, lists, quotes, setext rules).
_MD_LEADING = re.compile(r"^(\s*)([#>+=-])")
_MD_NUMBERED = re.compile(r"^(\s*\d+)([.)])")
_HTML_IN_MD = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;"}


def plain(text: object) -> str:
    """Any value as one clean string: control characters dropped, CRLF as LF."""
    return _CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


def _md_line(line: str) -> str:
    line = "".join(_HTML_IN_MD.get(ch, ch) for ch in line)
    return _MD_INLINE.sub(r"\\\1", line)


def md_text(text: object, *, block: bool = False) -> Markup:
    """Plain text as Markdown that shows exactly as written, newlines as `<br>`.

    `block`: the text starts a paragraph, so a leading `#`, `-`, `1.` ... is escaped too
    (inside a table cell or after a list marker they mean nothing and stay readable).
    """
    out = "<br>".join(_md_line(line) for line in plain(text).split("\n"))
    if block:
        out = _MD_NUMBERED.sub(r"\1\\\2", _MD_LEADING.sub(r"\1\\\2", out))
    return Markup(out)


def md_code(text: object) -> Markup:
    """An id as an inline code span, safe inside a table cell."""
    body = plain(text).replace("\n", " ")
    fence = "`" * (max((len(run) for run in re.findall("`+", body)), default=0) + 1)
    pad = " " if body.startswith("`") or body.endswith("`") else ""
    return Markup(f"{fence}{pad}{body.replace('|', chr(92) + '|')}{pad}{fence}")


def _html_lines(text: object) -> Markup:
    """Plain text as HTML with its line breaks kept."""
    return Markup("<br>").join(escape(line) for line in plain(text).split("\n"))


def _duration(value: Duration | None, empty: str = "—") -> str:
    return duration_text(value, empty)


@cache
def environment() -> Environment:
    """The shared environment (one per process: templates are compiled once)."""
    env = Environment(
        loader=FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=md_text,
        mdblock=lambda text: md_text(text, block=True),
        mdcode=md_code,
        lines=_html_lines,
        dur=_duration,
        plain=plain,
    )
    return env
