"""The escalation matrix as a picture: one Graphviz HTML-like table, drawn as SVG or PNG.

`matrix_dot` is pure text building; every user text goes through `_cell_text`, which
XML-escapes it, so no label can add table markup or break out of the DOT string. The
engine call is `draw`, through `escalation_charts.layout.engine` like every chart.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Iterable

from escalation_charts.audit.text import duration_text
from escalation_charts.layout.dot_text import with_dpi
from escalation_charts.render.matrix import MatrixView, contact_lines, level_heading
from escalation_charts.render.themes import DEFAULT

__all__ = ["draw", "matrix_dot"]

FONT = "Helvetica"
# Columns wrap their text at about this many characters (Graphviz tables do not wrap).
_WRAP = 28
# The chart theme's colours by role: headers as the chart's lane headers, the severity
# column as its first band, a level not engaged as an empty cell, a problem as a problem.
_HEAD_FILL, _SEVERITY_FILL = DEFAULT.header_fill, DEFAULT.band_fills[0]
_UNUSED_FILL, _BAD_FILL = DEFAULT.none_fill, DEFAULT.problem_fill
_GREY, _RED, _BORDER, _INK = (
    DEFAULT.muted_text,
    DEFAULT.problem_text,
    DEFAULT.band_line,
    DEFAULT.text,
)

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# Graphviz expands \N, \G and \E (node, graph, edge name) even inside HTML-like labels,
# also when the letter is written as an entity; a doubled backslash is one backslash.
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "\\": "\\\\"}


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in _CONTROL.sub("", text))


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most about `width` characters, without a lone short last line
    (`Tools and Management (Tier` / `3)`): then the text gets a little more room."""
    # long words (emails, URLs) stay whole: a wider column beats a broken address
    lines = textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)
    if len(lines) > 1 and len(lines[-1]) <= 6:
        lines = textwrap.wrap(text, width + 8, break_on_hyphens=False, break_long_words=False)
    return lines


def _blank(text: str) -> bool:
    """True when no character of `text` has ink: only spaces and zero-width format
    characters (U+200B, U+FEFF, bidi marks). Pango refuses to draw such a line and prints
    a CRITICAL message to the terminal, so it goes in as an empty line."""
    return all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in text)


def _cell_text(lines: Iterable[str], *, wrap: int = _WRAP) -> str:
    """Plain lines as an HTML-like label body: wrapped, escaped, joined by <BR/>."""
    out: list[str] = []
    for line in lines:
        for part in str(line).replace("\r", "").split("\n"):
            out += [x for x in _wrap(part, wrap) if not _blank(x)] or [""]
    return "<BR/>".join(_escape(x) for x in out)


def _td(
    body: str, *, fill: str | None = None, colspan: int = 1, center: bool = False, **font: str
) -> str:
    if center:
        attrs = ' ALIGN="CENTER" VALIGN="MIDDLE"'
    else:  # BALIGN: lines split by <BR/> are left-aligned too, not centred
        attrs = ' ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP"'
    attrs += f' BGCOLOR="{fill}"' if fill else ""
    attrs += f' COLSPAN="{colspan}"' if colspan > 1 else ""
    if font:
        face = "".join(f' {k.upper().replace("_", "-")}="{v}"' for k, v in font.items())
        body = f"<FONT{face}>{body}</FONT>"
    return f"<TD{attrs}>{body}</TD>"


def _table(view: MatrixView) -> str:
    grid, p = view.grid, view.definition.process
    width = 3 + len(grid.levels)
    subtitle = "Time each level is engaged, from when the ticket is opened"
    if p.version:
        subtitle = f"Version {p.version}. {subtitle}"
    rows = [
        _td(
            f"<B>{_cell_text([f'Escalation matrix: {p.name}'], wrap=80)}</B>",
            colspan=width,
            point_size="15",
        )
        + "</TR><TR>"
        + _td(_cell_text([subtitle], wrap=100), colspan=width, color=_GREY),
        "".join(
            _td(f"<B>{_cell_text([h])}</B>", fill=_HEAD_FILL)
            for h in ("Severity", "Respond", "Resolve")
        )
        + "".join(
            _td(f"<B>{_cell_text(level_heading(lane))}</B>", fill=_HEAD_FILL)
            for lane in grid.levels
        ),
    ]
    for row in grid.rows:
        s = row.severity
        name = f"<BR/>{_cell_text([s.name])}" if s.name.lower() != s.id.lower() else ""
        cells = [
            _td(f"<B>{_cell_text([s.id])}</B>{name}", fill=_SEVERITY_FILL),
            _td(_cell_text([duration_text(s.respond, "-")]), center=True),
            _td(_cell_text([duration_text(s.resolve, "-")]), center=True),
        ]
        for cell in row.cells:
            if cell.engage is not None and cell.status.ok:
                cells.append(_td(f"<B>{_cell_text([cell.text])}</B>", center=True, point_size="13"))
            elif cell.engage is None and cell.status.ok:
                cells.append(
                    _td(
                        f"<I>{_cell_text([cell.text])}</I>",
                        center=True,
                        fill=_UNUSED_FILL,
                        color=_GREY,
                    )
                )
            else:  # only with --force: say what is wrong in the cell itself
                label = [cell.text] if cell.engage is None else [cell.text, cell.status.title]
                cells.append(
                    _td(f"<B>{_cell_text(label)}</B>", center=True, fill=_BAD_FILL, color=_RED)
                )
        rows.append("".join(cells))
    for role in ("primary", "backup"):
        cells = [
            _td(
                f"<B>{_cell_text([f'{role.capitalize()} contact'])}</B>",
                fill=_SEVERITY_FILL,
                colspan=3,
            )
        ]
        for cov in view.coverage:
            contacts = getattr(cov, role)
            if contacts:
                body = "<BR/><BR/>".join(_cell_text(contact_lines(c)) for c in contacts)
                cells.append(_td(body, point_size="10"))
            else:
                cells.append(_td(f"<I>{_cell_text(['none'])}</I>", color=_RED))
        rows.append("".join(cells))
    body = "".join(f"<TR>{r}</TR>" for r in rows)
    return (
        f'<TABLE BORDER="1" CELLBORDER="1" CELLSPACING="0" CELLPADDING="6" '
        f'COLOR="{_BORDER}">{body}</TABLE>'
    )


def matrix_dot(view: MatrixView) -> str:
    """DOT source of the matrix picture: one plain node whose label is the table.

    The graph id prefixes every SVG id, so the picture can sit inline
    in one HTML page next to the swim-lane chart without clashing ids (`escalation-matrix_node1`).
    """
    return (
        "graph matrix {\n"
        '  graph [id="escalation-matrix", pad="0.15", bgcolor="white"];\n'
        f'  node [shape=plain, fontname="{FONT}", fontsize="11", fontcolor="{_INK}"];\n'
        f"  table [label=<{_table(view)}>];\n"
        "}\n"
    )


# PNG at twice the screen resolution: sharp when printed or projected.
PNG_DPI = 192


def draw(dot: str, formats: Iterable[str]) -> dict[str, bytes]:
    """Render DOT text in each format (`svg`, `png`) through the shared Graphviz backend."""
    from escalation_charts.layout.engine import render
    from escalation_charts.render.png import with_density

    out: dict[str, bytes] = {}
    for fmt in formats:
        # resolution is read at layout time, so the PNG gets its own pass
        if fmt == "png":
            out["png"] = with_density(
                render(with_dpi(dot, PNG_DPI), ["png"], prog="dot")["png"], PNG_DPI
            )
        else:
            out.update(render(dot, [fmt], prog="dot"))
    return out
