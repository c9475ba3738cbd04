"""The title block above the lanes and the legend below them, as Visio shapes.

Both come from the charts' own furniture (`render.furniture`): the same lines, sizes and
colours in the title block, the same items in the legend, whose step symbols are
instances of the page's flowchart masters and whose arrows are drawn with the chart's
edge styles. So the Visio page explains itself the way the rendered chart does.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from escalation_charts.export.vsdx import style
from escalation_charts.export.vsdx.masters import master_for
from escalation_charts.export.vsdx.shapes import place, rectangle
from escalation_charts.export.vsdx.sheet import Frame, cell, inches, row, section, text
from escalation_charts.layout import bands as lay
from escalation_charts.layout import textfit
from escalation_charts.layout.geometry import Box, Layout, Point
from escalation_charts.model import Definition, StepType
from escalation_charts.render import furniture as chart_furniture
from escalation_charts.render.furniture import TitleBlock
from escalation_charts.render.themes import Theme, edge_look, step_look

__all__ = ["draw", "title"]


def title(definition: Definition, layout: Layout, theme: Theme) -> TitleBlock:
    """The chart's title block: process name, version, owner, reviews, severity drawn for."""
    return chart_furniture.title_block(definition, layout, theme)


def draw(
    shapes: etree._Element,
    new_id: Callable[[], int],
    definition: Definition,
    layout: Layout,
    theme: Theme,
    frame: Frame,
    block: TitleBlock,
) -> None:
    """Add the title block at the top of `frame` and the legend under the lanes."""
    width = max(layout.width, block.width)
    _title(shapes, new_id, block, width, frame)
    legend = chart_furniture.legend(theme, width)
    origin = (0.0, block.height + layout.height + chart_furniture.GAP)
    _legend(shapes, new_id, legend, origin, frame, theme)


def _title(
    shapes: etree._Element, new_id: Callable[[], int], block: TitleBlock, width: float, frame: Frame
) -> None:
    """The chart's title block, a text shape per line in that line's font (one font per
    shape: LibreOffice's reader misplaces font changes in text with non-ASCII letters)."""
    for line in block.lines:
        height = textfit.line_height(line.size) + 2
        shape = place(shapes, new_id(), Box(0.0, line.y - height / 2, width, height), frame)
        style.no_line(shape)
        style.no_fill(shape)
        style.text_block(shape, margin_pt=0.0)
        style.characters(shape, [style.Font(lay.FONT, line.size, line.color, line.bold)])
        style.paragraphs(shape, align=0)
        rectangle(shape)
        text(shape, [(0, line.text)])


def _legend(
    shapes: etree._Element,
    new_id: Callable[[], int],
    legend: chart_furniture.Legend,
    origin: Point,
    frame: Frame,
    theme: Theme,
) -> None:
    """The legend's frame, caption, and each symbol with its words, where the chart's are."""
    ox, oy = origin

    def at(box: Box) -> Box:
        return Box(ox + box.x, oy + box.y, box.width, box.height)

    outline = place(shapes, new_id(), at(Box(0, 0, legend.width, legend.height)), frame)
    style.no_fill(outline)
    style.line(outline, theme.band_line, 0.8)
    cell(outline, "Rounding", inches(6.0))
    rectangle(outline)
    _words(shapes, new_id(), at(Box(6.0, 17.0, 50.0, 16.0)), "Legend", 10.0, frame, theme, True)
    for item in legend.items:
        box = at(item.symbol)
        if item.kind in {t.value for t in StepType}:
            _sample_step(shapes, new_id(), StepType(item.kind), box, frame, theme)
        elif item.kind == "external":
            shape = place(shapes, new_id(), box, frame)
            style.fill(shape, theme.external_fill)
            style.line(shape, theme.band_line, theme.line_width, style.DASHED)
            rectangle(shape)
        else:
            _sample_arrow(shapes, new_id(), item.kind, box, frame, theme)
        cx, cy = item.text_center
        words = Box(cx - item.text_width / 2 - 4, cy - 8, item.text_width + 8, 16)
        _words(shapes, new_id(), at(words), item.text, 9.0, frame, theme)


def _sample_step(
    shapes: etree._Element, shape_id: int, kind: StepType, box: Box, frame: Frame, theme: Theme
) -> None:
    """A small instance of the step's master, in the step's colours."""
    look = step_look(theme, kind)
    shape = place(shapes, shape_id, box, frame, master_for(kind).id)
    style.fill(shape, look.fill or theme.background)
    style.line(shape, look.line, look.width, style.PATTERNS[look.dash])


def _sample_arrow(
    shapes: etree._Element, shape_id: int, kind: str, box: Box, frame: Frame, theme: Theme
) -> None:
    """A short arrow drawn as the chart draws an edge of `kind` (not glued to anything)."""
    handover = kind == "handover"  # the legend's name for a flow out of an escalation
    look = edge_look(theme, "flow" if handover else kind, handover=handover)
    y = box.center[1]
    (bx, by), (ex, ey) = frame.point((box.x, y)), frame.point((box.right, y))
    shape = etree.SubElement(
        shapes, etree.QName(shapes, "Shape"),
        {"ID": str(shape_id), "Type": "Shape", "LineStyle": "0", "FillStyle": "0",
         "TextStyle": "0"},
    )  # fmt: skip
    for name, value, formula in (
        ("PinX", (bx + ex) / 2, "(BeginX+EndX)/2"),
        ("PinY", by, "(BeginY+EndY)/2"),
        ("Width", ex - bx, "EndX-BeginX"),
        ("Height", 0.0, None),
        ("LocPinX", (ex - bx) / 2, "Width*0.5"),
        ("LocPinY", 0.0, "Height*0.5"),
        ("BeginX", bx, None),
        ("BeginY", by, None),
        ("EndX", ex, None),
        ("EndY", ey, None),
        ("ObjType", 2, None),
    ):
        cell(shape, name, value, formula)
    style.line(shape, look.line, look.width, style.PATTERNS[look.dash])
    cell(shape, "EndArrow", 1 if kind == "notify" else 4)  # open, as the chart's, or filled
    cell(shape, "EndArrowSize", 1)
    geometry = section(shape, "Geometry", 0)
    cell(geometry, "NoFill", 1)
    row(geometry, "MoveTo", 1, (("X", 0.0), ("Y", 0.0)))
    row(geometry, "LineTo", 2, (("X", ex - bx), ("Y", 0.0)))


def _words(
    shapes: etree._Element,
    shape_id: int,
    box: Box,
    words: str,
    size: float,
    frame: Frame,
    theme: Theme,
    bold: bool = False,
) -> None:
    """A text-only shape (no line, no fill), left-aligned and centred vertically."""
    shape = place(shapes, shape_id, box, frame)
    style.no_line(shape)
    style.no_fill(shape)
    style.text_block(shape, margin_pt=0.0)
    style.characters(shape, [style.Font(lay.FONT, size, theme.text, bold)])
    style.paragraphs(shape, align=0)
    rectangle(shape)
    text(shape, [(0, words)])
