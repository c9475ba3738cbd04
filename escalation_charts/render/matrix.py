"""The escalation matrix as documents: Markdown, CSV and HTML (pure text building).

Severities (rows, most severe first, with their respond/resolve targets) x escalation
levels (columns, lowest first, with their primary and backup contacts); each cell is the
time the level is engaged, counted from when the ticket is opened, or `not used`.
The picture (SVG/PNG) is in `matrix_picture`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from escalation_charts import __version__
from escalation_charts.audit import Coverage, MatrixGrid, contact_coverage, matrix_grid
from escalation_charts.audit.text import duration_text
from escalation_charts.model import Contact, Definition, Lane
from escalation_charts.render._documents import environment, plain

__all__ = [
    "MatrixView",
    "contact_lines",
    "contacts_csv",
    "level_heading",
    "matrix_csv",
    "matrix_html",
    "matrix_markdown",
    "matrix_view",
    "neutralise_csv",
]


@dataclass(frozen=True)
class MatrixView:
    """What every matrix output shows: the process, the grid and each level's contacts."""

    definition: Definition
    grid: MatrixGrid
    coverage: tuple[Coverage, ...]


def matrix_view(definition: Definition) -> MatrixView:
    """Gather what the matrix outputs show, once for all formats."""
    return MatrixView(definition, matrix_grid(definition), contact_coverage(definition))


def level_heading(lane: Lane) -> list[str]:
    """A level's column heading as lines: `Level 2`, then the lane's name.

    The first line is left out when the name already says its level (`Level 2 - Experts`);
    an external party is marked.
    """
    name = lane.name + (" (external)" if lane.external else "")
    if re.search(rf"\blevel\s*{lane.level}\b", lane.name, re.IGNORECASE):
        return [name]
    return [f"Level {lane.level}", name]


def contact_lines(contact: Contact) -> list[str]:
    """A contact as lines: the name, then each channel given."""
    lines = [contact.name]
    lines += [v for v in (contact.phone, contact.email) if v]
    if contact.hours:
        lines.append(f"hours: {contact.hours}")
    return lines


def matrix_markdown(view: MatrixView) -> str:
    """The matrix as a GitHub-flavoured Markdown table (every value escaped)."""
    text = (
        environment()
        .get_template("matrix/matrix.md.j2")
        .render(v=view, level_heading=level_heading, contact_lines=contact_lines)
    )
    return text.rstrip("\n") + "\n"


def matrix_html(view: MatrixView) -> str:
    """The matrix as one self-contained HTML page, styled for screen and print."""
    return (
        environment()
        .get_template("matrix/matrix.html.j2")
        .render(
            v=view,
            level_heading=level_heading,
            version=__version__,
            source=view.definition.source,
        )
    )


# OWASP CSV injection: a spreadsheet runs a cell that starts with one of these as a formula
# (a line feed is added: cells are cleaned to LF line ends before this check).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise_csv(value: str) -> str:
    """A cell value a spreadsheet shows as text: formula starters get a leading `'`."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def matrix_csv(view: MatrixView) -> str:
    """The matrix alone as CSV: a header row, then one row per severity.

    RFC 4180 with CRLF, UTF-8 with a byte-order mark so Excel reads non-ASCII names right,
    every cell neutralised against formula injection. Contacts are `contacts_csv`, a table
    of their own, so every column here has one meaning (a data frame reads it as is).
    """
    grid = view.grid
    headings = (": ".join(level_heading(lane)) for lane in grid.levels)
    rows: list[list[str]] = [["Severity", "Name", "Respond", "Resolve", *headings]]
    for row in grid.rows:
        s = row.severity
        rows.append(
            [
                s.id,
                s.name,
                duration_text(s.respond),
                duration_text(s.resolve),
                *(cell.text for cell in row.cells),
            ]
        )
    return _csv(rows)


def contacts_csv(view: MatrixView) -> str:
    """Who is called at each level: one row per contact (level, lane, role, channels)."""
    rows = [["Level", "Lane", "Role", "Name", "Phone", "Email", "Hours"]]
    for cov in view.coverage:
        lane = cov.lane
        for role in ("primary", "backup"):
            for c in getattr(cov, role):
                level = str(lane.level) if lane.level is not None else ""
                rows.append(
                    [level, lane.name, role, c.name, c.phone or "", c.email or "", c.hours or ""]
                )
    return _csv(rows)


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # the BOM: Excel otherwise guesses a legacy code page
    writer = csv.writer(out, lineterminator="\r\n")
    for cells in rows:
        writer.writerow([neutralise_csv(plain(c)) for c in cells])
    return out.getvalue()
