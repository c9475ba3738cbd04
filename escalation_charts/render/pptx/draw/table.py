"""The escalation matrix as a native PowerPoint table, readable at `MIN_PT` or more.

Rows are severities (most severe first), columns their respond and resolve targets and
then one column per escalation level (lowest first). The size is the largest that fits
the slide; when even `MIN_PT` does not fit, the levels are spread over continuation
slides (each repeating the severity and target columns), then the severities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide
from pptx.util import Pt

from escalation_charts.layout.geometry import Box
from escalation_charts.layout.textfit import LINE_HEIGHT, deck_width, deck_wrap
from escalation_charts.model import Definition, Lane, Severity
from escalation_charts.render.pptx.content import names_level, severity_label
from escalation_charts.render.pptx.draw.shapes import emu
from escalation_charts.render.pptx.style import MIN_PT, Colours

__all__ = ["NOT_USED", "MatrixPage", "draw_matrix", "matrix_cells", "plan_matrix"]

NOT_USED = "not used"
MISSING = "missing"
_MAX_PT = 18.0
_PAD_X, _PAD_Y = 5.0, 3.0  # cell margins, points
# Room for a template's own font: cells are drawn in the theme's font (Arial or whatever
# falls back for it runs up to 15 % wider than the Carlito widths we measure with), and a
# header a little too narrow breaks mid-word ("Respon/d") instead of at a space.
_SLACK = 1.15


@dataclass(frozen=True)
class MatrixPage:
    """The severities and levels one slide shows, and the size that fits them."""

    severities: tuple[Severity, ...]
    levels: tuple[Lane, ...]
    size: float


def matrix_cells(
    definition: Definition, severities: Sequence[Severity], levels: Sequence[Lane]
) -> list[list[str]]:
    """The table's text, header row first: what a trainer reads."""
    header = ["Severity", "Respond", "Resolve"]
    header += [
        lane.name if names_level(lane) else f"Level {lane.level}\n{lane.name}" for lane in levels
    ]
    rows = [header]
    for severity in severities:
        row = [
            severity_label(severity),
            severity.respond.compact() if severity.respond else "-",
            severity.resolve.compact() if severity.resolve else "-",
        ]
        for lane in levels:
            cell = definition.cell(severity.id, lane.id)
            if cell is None:
                row.append(MISSING)
            else:
                row.append(cell.engage.compact() if cell.engage is not None else NOT_USED)
        rows.append(row)
    return rows


def _widths(rows: list[list[str]], size: float, width: float) -> list[float] | None:
    """Column widths: the first three as wide as their text (the name capped at a third),
    the levels sharing the rest; None if a level column would be too narrow."""
    natural = [
        max(
            max(deck_width(line, size, bold=r == 0) for line in row[c].split("\n"))
            for r, row in enumerate(rows)
        )
        * _SLACK
        + 2 * _PAD_X
        for c in range(len(rows[0]))
    ]
    fixed = [min(natural[0], width / 3), natural[1], natural[2]]
    rest = width - sum(fixed)
    levels = len(rows[0]) - 3
    if levels == 0:
        return fixed if rest >= 0 else None
    share = rest / levels
    longest_word = (
        max(
            deck_width(word, size, bold=True)
            for row in rows
            for cell in row[3:]
            for word in cell.replace("\n", " ").split(" ")
        )
        * _SLACK
        + 2 * _PAD_X
    )
    if share < longest_word:
        return None
    return [*fixed, *([share] * levels)]


def _height(rows: list[list[str]], widths: list[float], size: float) -> float:
    total = 0.0
    for r, row in enumerate(rows):
        lines = max(
            len(deck_wrap(text, size, widths[c] - 2 * _PAD_X, bold=r == 0))
            for c, text in enumerate(row)
        )
        total += lines * size * LINE_HEIGHT + 2 * _PAD_Y + 2
    return total


def _fits(definition: Definition, severities, levels, area: Box, size: float) -> bool:  # type: ignore[no-untyped-def]
    rows = matrix_cells(definition, severities, levels)
    widths = _widths(rows, size, area.width)
    return widths is not None and _height(rows, widths, size) <= area.height


def plan_matrix(definition: Definition, area: Box) -> list[MatrixPage]:
    """The slides the matrix needs in `area`: one when it fits at MIN_PT or more."""
    severities, levels = definition.severities, definition.leveled_lanes
    size = _MAX_PT
    while size >= MIN_PT:
        if _fits(definition, severities, levels, area, size):
            return [MatrixPage(severities, levels, size)]
        size -= 0.5
    # Too big at MIN_PT: fewer levels per slide, then fewer severities.
    per_level = max(len(levels), 1)
    while per_level > 1 and not _fits(definition, severities[:1], levels[:per_level], area, MIN_PT):
        per_level -= 1
    per_row = max(len(severities), 1)
    while per_row > 1 and not _fits(
        definition, severities[:per_row], levels[:per_level], area, MIN_PT
    ):
        per_row -= 1
    pages = []
    for lv in range(0, max(len(levels), 1), per_level):
        for sv in range(0, max(len(severities), 1), per_row):
            pages.append(
                MatrixPage(severities[sv : sv + per_row], levels[lv : lv + per_level], MIN_PT)
            )
    return pages


def draw_matrix(slide: Slide, definition: Definition, page: MatrixPage, area: Box) -> float:
    """Add the table (named `matrix`) at the top of `area`; return its height."""
    rows = matrix_cells(definition, page.severities, page.levels)
    widths = _widths(rows, page.size, area.width) or [area.width / len(rows[0])] * len(rows[0])
    height = _height(rows, widths, page.size)
    shape = slide.shapes.add_table(
        len(rows), len(rows[0]), emu(area.x), emu(area.y), emu(sum(widths)), emu(height)
    )
    shape.name = "matrix"
    table = shape.table
    for c, width in enumerate(widths):
        table.columns[c].width = emu(width)
    for r, row in enumerate(rows):
        lines = max(
            len(deck_wrap(t, page.size, widths[c] - 2 * _PAD_X, bold=r == 0))
            for c, t in enumerate(row)
        )
        table.rows[r].height = emu(lines * page.size * LINE_HEIGHT + 2 * _PAD_Y + 2)
        for c, text in enumerate(row):
            _cell(table.cell(r, c), text, page.size, header=r == 0, numeric=c > 0)
    return height


def _cell(cell, text: str, size: float, header: bool, numeric: bool) -> None:  # type: ignore[no-untyped-def]
    cell.margin_left = cell.margin_right = emu(_PAD_X)
    cell.margin_top = cell.margin_bottom = emu(_PAD_Y)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame = cell.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.CENTER if numeric else PP_ALIGN.LEFT
    for n, part in enumerate(text.split("\n")):
        if n:
            paragraph.add_line_break()
        run = paragraph.add_run()
        run.text = part
        run.font.size = Pt(size)
        run.font.bold = header or None
        muted = text == NOT_USED
        run.font.italic = muted or None
        colour = (
            Colours.HEADER_TEXT
            if header
            else (Colours.MUTED if muted else Colours.ERROR if text == MISSING else Colours.INK)
        )
        run.font.color.rgb = RGBColor.from_string(colour)
    cell.fill.solid()
    fill = Colours.HEADER if header else (Colours.NONE_CELL if text == NOT_USED else Colours.WHITE)
    cell.fill.fore_color.rgb = RGBColor.from_string(fill)
