"""One chart as one Visio page: swimlanes, flowchart steps and glued dynamic connectors.

Everything is placed from the shared `Layout` (never recomputed): each lane a `Swimlane`
container with its header as a member shape, each step an instance of its flowchart
master inside its lane's container, and each edge a `Dynamic connector` whose ends are
glued to both shapes (`_WALKGLUE` formulas on BeginX/EndX, triggered by the shapes'
`EventXFMod`, and a `Connect` row per end), so moving a shape in Visio drags its arrows.
The connector's geometry is the layout's route; its text the chart's label, where the
chart writes it. The title block and legend (`furniture`) go above and below the lanes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace

from lxml import etree

from escalation_charts.export.vsdx import furniture
from escalation_charts.export.vsdx.masters import CONNECTOR, SWIMLANE, master_for
from escalation_charts.export.vsdx.route import connector_path
from escalation_charts.export.vsdx.shapes import data, place, rectangle, relate
from escalation_charts.export.vsdx.sheet import (
    Frame,
    cell,
    element,
    inches,
    num,
    row,
    section,
    text,
)
from escalation_charts.export.vsdx.style import (
    DASHED,
    PATTERNS,
    SOLID,
    Font,
    characters,
    fill,
    line,
    no_fill,
    no_line,
    paragraphs,
    text_block,
)
from escalation_charts.layout import bands as lay
from escalation_charts.layout import textfit
from escalation_charts.layout.geometry import Box, EdgeRoute, Layout, Point
from escalation_charts.model import Definition, Lane, Step, StepType
from escalation_charts.render import dot
from escalation_charts.render.themes import Look, Theme, edge_look, step_look

__all__ = ["MARGIN", "PageDrawing", "draw_page"]

MARGIN = 18.0  # points of white round the drawing
_FILLED_ARROW, _OPEN_ARROW = 4, 1  # Visio's EndArrow numbers (the chart's notify head is open)
_STEP_MARGIN = 3.0  # points between a step's outline and its text
_HEADER_MARGIN = 4.0


@dataclass(frozen=True)
class PageDrawing:
    """A page's content part and its size in inches."""

    xml: etree._Element
    width: float
    height: float


class _Ids:
    """Shape ids on one page: 1, 2, 3, ... in the order asked for."""

    def __init__(self) -> None:
        self._next: Iterator[int] = itertools.count(1)

    def __call__(self) -> int:
        return next(self._next)


def draw_page(definition: Definition, layout: Layout, theme: Theme) -> PageDrawing:
    """The page showing `layout` of `definition`, coloured by `theme`."""
    title = furniture.title(definition, layout, theme)
    width, height = dot.page_size(definition, layout, theme)
    page_w, page_h = width + 2 * MARGIN, height + 2 * MARGIN
    chart = Frame(page_h, (MARGIN, MARGIN + title.height))
    root = element("PageContents")
    shapes = etree.SubElement(root, etree.QName(root, "Shapes"))
    connects = etree.Element(etree.QName(root, "Connects"))
    new_id = _Ids()
    steps = definition.steps_by_id
    lane_ids = {band.lane: new_id() for band in layout.lanes}
    header_ids = {band.lane: new_id() for band in layout.lanes}
    note_ids = {
        band.lane: new_id()
        for band in layout.lanes
        if lay.header_lines(definition.lanes_by_id[band.lane], layout.direction)[1]
    }
    step_ids = {placed.step: new_id() for placed in layout.steps}
    members = {
        lane: [header_ids[lane], *([note_ids[lane]] if lane in note_ids else [])]
        for lane in lane_ids
    }
    for placed in layout.steps:
        members[steps[placed.step].lane].append(step_ids[placed.step])
    for index, band in enumerate(layout.lanes):
        lane = definition.lanes_by_id[band.lane]
        fill_colour = theme.external_fill if lane.external else theme.band_fills[index % 2]
        _lane(shapes, lane_ids[band.lane], band.box, chart, fill_colour, lane.external, theme)
        relate(shapes[-1], contains=members[band.lane])
        ids = (header_ids[band.lane], note_ids.get(band.lane))
        first = len(shapes)
        _header(shapes, ids, band.header, lane, layout.direction, chart, theme)
        for shape in shapes[first:]:
            relate(shape, member_of=lane_ids[band.lane])
    boxes = {placed.step: placed.box for placed in layout.steps}
    for route in layout.edges:
        if not route.drawn:  # one connector per bundle of timers, its label names them all
            continue
        source = steps[route.source]
        if route.kind == "notify":  # it ends a little inside the band it informs, as drawn
            tip = route.points[-1]
            target_id, end = lane_ids[route.target], ("box", Box(*tip, 0.0, 0.0))
        else:
            target_id, end = (
                step_ids[route.target],
                (_outline(steps[route.target]), boxes[route.target]),
            )
        start = (_outline(source), boxes[route.source])
        points = connector_path(route.points, start, end)
        _connector(
            shapes,
            connects,
            new_id(),
            (step_ids[route.source], target_id),
            [chart.point(p) for p in points],
            route,
            _edge_look(route, source, set(layout.dimmed), theme),
            chart,
            theme,
        )
    dimmed = set(layout.dimmed)
    for placed in layout.steps:
        step = steps[placed.step]
        _step(shapes, step_ids[step.id], step, placed.box, chart, theme, step.id in dimmed)
        relate(shapes[-1], member_of=lane_ids[step.lane])
    furniture.draw(
        shapes, new_id, definition, layout, theme, Frame(page_h, (MARGIN, MARGIN)), title
    )
    if len(connects):
        root.append(connects)
    return PageDrawing(root, inches(page_w), inches(page_h))


def _outline(step: Step) -> str:
    """The outline a connector ends on: the step's master's."""
    if step.type is StepType.DECISION:
        return "diamond"
    return "ellipse" if step.type in (StepType.START, StepType.RESOLUTION) else "box"


def _lane(
    shapes: etree._Element,
    shape_id: int,
    box: Box,
    frame: Frame,
    fill_colour: str,
    external: bool,
    theme: Theme,
) -> None:
    shape = place(shapes, shape_id, box, frame, SWIMLANE.id)
    fill(shape, fill_colour)
    line(shape, theme.band_line, theme.line_width, DASHED if external else SOLID)


def _header(
    shapes: etree._Element,
    shape_ids: tuple[int, int | None],
    box: Box,
    lane: Lane,
    direction: str,
    frame: Frame,
    theme: Theme,
) -> None:
    """The lane's header cell with its name (bold), and the note under the name (level,
    external) as a text shape of its own: one font per shape, since LibreOffice's reader
    misplaces font changes inside a text with non-ASCII characters."""
    header_id, note_id = shape_ids
    shape = place(shapes, header_id, box, frame)
    fill(shape, theme.header_fill)
    line(shape, theme.band_line, theme.line_width, DASHED if lane.external else SOLID)
    text_block(shape, margin_pt=_HEADER_MARGIN)
    name, note = lay.header_lines(lane, direction)  # written whole: Visio wraps it
    widest = max(textfit.text_width(t, lay.HEADER_FONT_SIZE, bold=True) for t in name)
    name_h = len(name) * lay.HEADER_FONT_SIZE * 1.2 + 2 * _HEADER_MARGIN
    note_h = len(note) * lay.HEADER_NOTE_SIZE * 1.2
    top = box.center[1] - (name_h + note_h) / 2  # the two blocks centred, as the chart has
    _text_block(shape, box, widest + 2 * _HEADER_MARGIN + 4.0, (top + name_h / 2, name_h))
    characters(shape, [Font(lay.FONT, lay.HEADER_FONT_SIZE, theme.header_text, bold=True)])
    paragraphs(shape)
    rectangle(shape)
    data(shape, [("LaneId", "Lane id", lane.id)])
    text(shape, [(0, lane.name)])
    if note_id is not None and note:
        words = Box(box.x, top + name_h, box.width, note_h)
        note_shape = place(shapes, note_id, words, frame)
        no_line(note_shape)
        no_fill(note_shape)
        text_block(note_shape, margin_pt=0.0)
        characters(note_shape, [Font(lay.FONT, lay.HEADER_NOTE_SIZE, theme.muted_text)])
        paragraphs(note_shape)
        rectangle(note_shape)
        text(note_shape, [(0, note[0])])


def _step(
    shapes: etree._Element,
    shape_id: int,
    step: Step,
    box: Box,
    frame: Frame,
    theme: Theme,
    dimmed: bool,
) -> None:
    look = step_look(theme, step.type, dimmed)
    shape = place(shapes, shape_id, box, frame, master_for(step.type).id)
    fill(shape, look.fill or theme.background)
    line(shape, look.line, look.width, PATTERNS[look.dash])
    text_block(shape, margin_pt=_STEP_MARGIN)
    _wrap_like_the_chart(shape, step, box)
    characters(shape, [Font(lay.FONT, lay.STEP_FONT_SIZE, look.text, bold=look.bold)])
    paragraphs(shape)
    rows = [("StepId", "Step id", step.id), ("StepType", "Type", step.type.value)]
    if step.description:
        rows.append(("Description", "Description", step.description))
    data(shape, rows)
    text(shape, [(0, step.label)])


def _wrap_like_the_chart(shape: etree._Element, step: Step, box: Box) -> None:
    """A text block as wide as the chart's widest line of this label (and no wider than
    the shape), so Visio and LibreOffice wrap it where the chart does; a share of the
    shape's width, so it follows when the shape is resized."""
    bold = lay.step_is_bold(step)
    widest = max(textfit.text_width(t, lay.STEP_FONT_SIZE, bold=bold) for t in lay.step_lines(step))
    _text_block(shape, box, widest + 2 * _STEP_MARGIN + 6.0)


def _text_block(
    shape: etree._Element, box: Box, wanted: float, rows: tuple[float, float] | None = None
) -> None:
    """The text block `wanted` points wide (at most the shape's width) and centred across;
    along, the whole shape, or `rows` (its centre on the page, its height, in points).
    Shares of the shape's size, so the text follows when the shape is resized."""
    width = min(box.width, wanted)
    share = width / box.width if box.width else 1.0
    centre, height = rows if rows is not None else (box.center[1], box.height)
    rise = inches(box.center[1] - centre)  # y grows upwards on the page
    up = f"+{num(rise)}" if rise >= 0 else num(rise)
    cell(shape, "TxtPinX", inches(box.width) / 2, "Width*0.5")
    cell(
        shape, "TxtPinY", inches(box.height) / 2 + rise, f"Height*0.5{up}" if rise else "Height*0.5"
    )
    cell(shape, "TxtWidth", inches(width), f"Width*{num(share)}")
    cell(shape, "TxtHeight", inches(height))
    cell(shape, "TxtLocPinX", inches(width) / 2, "TxtWidth*0.5")
    cell(shape, "TxtLocPinY", inches(height) / 2, "TxtHeight*0.5")


def _edge_look(route: EdgeRoute, source: Step, dimmed: set[str], theme: Theme) -> Look:
    """The theme's look for this edge; faded, as the chart fades it, when a ticket of the
    page's severity never takes it."""
    look = edge_look(theme, route.kind, handover=source.type is StepType.ESCALATE)
    faded = route.source in dimmed or (route.kind != "notify" and route.target in dimmed)
    return replace(look, line=theme.dimmed_line, width=theme.line_width) if faded else look


def _connector(
    shapes: etree._Element,
    connects: etree._Element,
    shape_id: int,
    ends: tuple[int, int],
    points: list[Point],
    route: EdgeRoute,
    look: Look,
    frame: Frame,
    theme: Theme,
) -> None:
    """A dynamic connector along `points` (page inches), glued to both `ends`."""
    shape = etree.SubElement(
        shapes,
        etree.QName(shapes, "Shape"),
        {"ID": str(shape_id), "Type": "Shape", "Master": str(CONNECTOR.id)},
    )
    (bx, by), (ex, ey) = points[0], points[-1]
    source, target = ends
    for name, value, formula in (
        ("PinX", (bx + ex) / 2, "Inh"),
        ("PinY", (by + ey) / 2, "Inh"),
        ("Width", ex - bx, "GUARD(EndX-BeginX)"),
        ("Height", ey - by, "GUARD(EndY-BeginY)"),
        ("LocPinX", (ex - bx) / 2, "Inh"),
        ("LocPinY", (ey - by) / 2, "Inh"),
        ("BeginX", bx, "_WALKGLUE(BegTrigger,EndTrigger,WalkPreference)"),
        ("BeginY", by, "_WALKGLUE(BegTrigger,EndTrigger,WalkPreference)"),
        ("EndX", ex, "_WALKGLUE(EndTrigger,BegTrigger,WalkPreference)"),
        ("EndY", ey, "_WALKGLUE(EndTrigger,BegTrigger,WalkPreference)"),
        ("BegTrigger", 2, f"_XFTRIGGER(Sheet.{source}!EventXFMod)"),
        ("EndTrigger", 2, f"_XFTRIGGER(Sheet.{target}!EventXFMod)"),
        ("ConFixedCode", 1, None),  # keep the layout's route until the user moves a shape
    ):
        cell(shape, name, value, formula)
    line(shape, look.line, look.width, PATTERNS[look.dash])
    cell(shape, "EndArrow", _OPEN_ARROW if route.kind == "notify" else _FILLED_ARROW)
    cell(shape, "EndArrowSize", 1)
    label = route.label
    if label is not None and route.label_pos is not None:
        lx, ly = frame.point(route.label_pos)
        lines = label.split("\n")
        tw = inches(max(textfit.text_width(t, lay.EDGE_FONT_SIZE) for t in lines) + 8)
        th = inches(len(lines) * textfit.line_height(lay.EDGE_FONT_SIZE) + 4)
        for name, value in (
            ("TxtPinX", lx - bx),
            ("TxtPinY", ly - by),
            ("TxtWidth", tw),
            ("TxtHeight", th),
            ("TxtLocPinX", tw / 2),
            ("TxtLocPinY", th / 2),
        ):
            cell(shape, name, value)
        text_block(shape, margin_pt=1.0, background=theme.background)
        colour = theme.timer_edge if route.kind == "timer" else theme.label_text
        characters(shape, [Font(lay.FONT, lay.EDGE_FONT_SIZE, colour)])
        paragraphs(shape)
    geometry = section(shape, "Geometry", 0)
    cell(geometry, "NoFill", 1)
    for index, (x, y) in enumerate(points, start=1):
        row(geometry, "MoveTo" if index == 1 else "LineTo", index, (("X", x - bx), ("Y", y - by)))
    if label is not None and route.label_pos is not None:
        text(shape, [(0, label)])
    for cell_name, part, sheet in (("BeginX", "9", source), ("EndX", "12", target)):
        etree.SubElement(
            connects,
            etree.QName(connects, "Connect"),
            {
                "FromSheet": str(shape_id),
                "FromCell": cell_name,
                "FromPart": part,
                "ToSheet": str(sheet),
                "ToCell": "PinX",
                "ToPart": "3",
            },
        )
