"""DOT language text: quoting, text labels and attribute lists (pure functions).

User text reaches DOT only through `text_label`, which makes every character literal:
`&` becomes `&amp;` (Graphviz decodes HTML entities in labels), backslashes are doubled
(Graphviz reads `\\N`, `\\G`, `\\l` in labels as escapes), quotes are escaped and line
breaks become `\\n`. Plain (not HTML-like) labels keep each line centred with
`text-anchor="middle"` in SVG, so text never depends on measured string widths.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

__all__ = ["Raw", "attr_list", "num", "quote", "text_label", "with_dpi"]

# Characters XML 1.0 forbids (Graphviz would write an SVG no parser accepts).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


class Raw(str):
    """A DOT value that is already quoted (written by `attr_list` as it is)."""


def quote(value: str) -> str:
    """A DOT double-quoted string for names and plain attribute values."""
    text = _CONTROL.sub("", value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def text_label(lines: Iterable[str]) -> Raw:
    """Lines of plain user text as a DOT label that shows exactly these characters."""
    escaped = []
    for line in lines:
        text = _CONTROL.sub("", line.replace("\t", " "))
        text = text.replace("&", "&amp;").replace("\\", "\\\\").replace('"', '\\"')
        escaped.append(text)
    return Raw('"' + "\\n".join(escaped) + '"')


def num(value: float, digits: int = 4) -> str:
    """A number with at most `digits` decimals and no trailing zeros, so DOT text is stable."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def attr_list(attrs: Mapping[str, str | float | None]) -> str:
    """`[a="1", b=2]`: keys whose value is None are left out, `Raw` values written as is."""
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, Raw):
            text = str(value)
        elif isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, (int, float)):
            text = num(float(value))
        else:
            text = quote(value)
        parts.append(f"{key}={text}")
    return "[" + ", ".join(parts) + "]"


def with_dpi(dot: str, dpi: float) -> str:
    """The same DOT with a raster resolution; Graphviz reads `dpi` at layout time, so a PNG
    needs its own pass over this text."""
    head, _, rest = dot.partition("\n")
    return f"{head}\n  graph [dpi={num(dpi, 1)}];\n{rest}"
