"""Model + layout -> draw.io / diagrams.net file (uncompressed mxGraph XML), editable.

Each lane is a swimlane container; each step a vertex inside its lane's container (child
geometry is relative to the container, so dragging a lane moves its steps); each edge a
connector with the layout's route as waypoints. Labels are HTML labels (so they wrap), made
from the text with every markup character escaped; the XML serializer escapes again.
"""

from __future__ import annotations

import html

from lxml import etree

from escalation_charts.export._route import attach, polyline, route_map
from escalation_charts.export._text import NOTIFY_LABEL, edge_label, lane_title
from escalation_charts.ids import dom_id
from escalation_charts.layout.geometry import Box, LaneBand, Layout, Point
from escalation_charts.model import Definition, Step, StepType
from escalation_charts.render.themes import DEFAULT, Look, Theme, edge_look, step_look

__all__ = ["build_drawio", "html_label"]

_BASE = "whiteSpace=wrap;html=1;"
# The shape that says what a step is (the importer reads it back); colours, outlines and
# dashes come from the chart theme (`themes.step_look`), as in every picture of a process.
_SHAPES: dict[StepType, str] = {
    StepType.START: "rounded=1;arcSize=50;",
    StepType.RESOLUTION: "rounded=1;arcSize=50;",
    StepType.TASK: "rounded=1;arcSize=12;",
    StepType.DECISION: "rhombus;shape=rhombus;perimeter=rhombusPerimeter;",
    StepType.ESCALATE: "shape=process;backgroundOutline=1;rounded=1;arcSize=12;",
    StepType.WAIT: "shape=delay;",
}
# Which outline each style draws, so edges end on it rather than on its bounding box.
_OUTLINE = {StepType.DECISION: "diamond"}
_EDGE = "rounded=1;html=1;endArrow=block;endFill=1;edgeStyle=none;"
_NOTIFY = "endArrow=open;"
_LANE = "swimlane;shape=swimlane;collapsible=0;html=1;whiteSpace=wrap;"
_DASHES = {None: "", "dashed": "dashed=1;", "dotted": "dashed=1;dashPattern=1 4;"}


def _look(look: Look, text: str | None = None) -> str:
    """A theme look as draw.io style keys: fill, outline colour and weight, dash, text."""
    fill = f"fillColor={look.fill};" if look.fill else ""
    ink = text or look.text
    font = f"fontColor={ink};" if ink else ""
    bold = "fontStyle=1;" if look.bold else ""
    return (
        f"{fill}strokeColor={look.line};strokeWidth={_num(look.width)};"
        f"{_DASHES[look.dash]}{font}{bold}"
    )


def _lane_look(theme: Theme, external: bool) -> str:
    """A lane's header and band in the chart's colours; an external party's dashed."""
    band = theme.external_fill if external else theme.band_fills[0]
    dash = "dashed=1;" if external else ""
    return (
        f"fillColor={theme.header_fill};swimlaneFillColor={band};strokeColor={theme.band_line};"
        f"fontColor={theme.header_text};{dash}"
    )


_LANE_HEADER = 36.0  # the title strip of a left-to-right lane (the title reads rotated)


def html_label(text: str) -> str:
    """`text` as an HTML label that shows exactly as written (newlines as line breaks)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(html.escape(line, quote=True) for line in lines)


def _style(*parts: str) -> str:
    """Join `key=value;` style strings; a later part overrides an earlier key."""
    entries: dict[str, str] = {}
    for part in parts:
        for item in filter(None, part.split(";")):
            key, _, value = item.partition("=")
            entries[key] = value
    return "".join(f"{k}={v};" if v else f"{k};" for k, v in entries.items())


def _num(value: float) -> str:
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def build_drawio(definition: Definition, layout: Layout, theme: Theme = DEFAULT) -> bytes:
    """The `.drawio` document (UTF-8 XML bytes) for `definition`, placed as `layout` says,
    in `theme`'s colours and line styles."""
    mxfile = etree.Element("mxfile", host="escalation-charts", type="device")
    diagram = etree.SubElement(
        mxfile, "diagram", id=f"process-{definition.process.id}", name=definition.process.name
    )
    model = etree.SubElement(
        diagram,
        "mxGraphModel",
        grid="1",
        gridSize="10",
        guides="1",
        tooltips="1",
        connect="1",
        arrows="1",
        fold="1",
        page="1",
        pageScale="1",
        pageWidth=_num(max(layout.width, 850)),
        pageHeight=_num(max(layout.height, 1100)),
        math="0",
        shadow="0",
    )
    root = etree.SubElement(model, "root")
    etree.SubElement(root, "mxCell", id="0")
    etree.SubElement(root, "mxCell", id="1", parent="0")
    bands = {band.lane: band for band in layout.lanes}
    boxes = {s.step: s.box for s in layout.steps}
    for lane in definition.lanes:
        band = bands.get(lane.id)
        if band is not None:
            _lane(root, lane_title(lane), lane.id, band, lane.external, layout.direction, theme)
    for step in definition.steps:
        if step.id in boxes:
            _vertex(root, step, boxes[step.id], bands.get(step.lane), theme)
    _edges(root, definition, layout, boxes, bands, theme)
    body = etree.tostring(mxfile, encoding="UTF-8", pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _geometry(cell: etree._Element, box: Box) -> None:
    etree.SubElement(
        cell,
        "mxGeometry",
        {
            "x": _num(box.x),
            "y": _num(box.y),
            "width": _num(box.width),
            "height": _num(box.height),
            "as": "geometry",
        },
    )


def _lane(
    root: etree._Element,
    title: str,
    lane_id: str,
    band: LaneBand,
    external: bool,
    direction: str,
    theme: Theme,
) -> None:
    if direction == "TB":
        orientation = f"startSize={_num(band.header.height)};"
    else:
        orientation = f"horizontal=0;startSize={_num(min(_LANE_HEADER, band.header.width))};"
    style = _style(_LANE, orientation, _lane_look(theme, external))
    cell = etree.SubElement(
        root,
        "mxCell",
        id=dom_id("lane", lane_id),
        value=html_label(title),
        style=style,
        vertex="1",
        parent="1",
    )
    _geometry(cell, band.box)


def _vertex(
    root: etree._Element, step: Step, box: Box, band: LaneBand | None, theme: Theme
) -> None:
    # Children of a container are placed relative to it.
    parent, offset = (
        ("1", (0.0, 0.0)) if band is None else (dom_id("lane", step.lane), (band.box.x, band.box.y))
    )
    cell = etree.SubElement(
        root,
        "mxCell",
        id=dom_id("step", step.id),
        value=html_label(step.label),
        style=_style(_SHAPES[step.type], _look(step_look(theme, step.type)), _BASE),
        vertex="1",
        parent=parent,
    )
    _geometry(cell, Box(box.x - offset[0], box.y - offset[1], box.width, box.height))


def _edges(
    root: etree._Element,
    definition: Definition,
    layout: Layout,
    boxes: dict[str, Box],
    bands: dict[str, LaneBand],
    theme: Theme,
) -> None:
    routes = route_map(layout)
    steps = definition.steps_by_id
    for step in definition.steps:
        for index, edge in enumerate(step.next):
            if edge.to not in steps or step.id not in boxes or edge.to not in boxes:
                continue
            kind = "timer" if edge.is_timer else "flow"
            route = routes.get((step.id, index, kind))
            ends = ((_outline(step), boxes[step.id]), (_outline(steps[edge.to]), boxes[edge.to]))
            _connector(
                root,
                dom_id("edge", step.id, index=index),
                dom_id("step", step.id),
                dom_id("step", edge.to),
                edge_label(edge),
                _style(_EDGE, _edge_look(theme, step, edge.is_timer)),
                route.points if route else (),
                ends,
                _bundle_offset(route.bundle, index) if route else None,
            )
        for k, lane in enumerate(step.notify):
            if lane not in bands or step.id not in boxes:
                continue
            notify_route = routes.get((step.id, lane, "notify"))
            points = notify_route.points if notify_route else ()
            ends = ((_outline(step), boxes[step.id]), ("box", bands[lane].header))
            _connector(
                root,
                dom_id("notify", step.id, index=k),
                dom_id("step", step.id),
                dom_id("lane", lane),
                NOTIFY_LABEL,
                _style(_EDGE, _NOTIFY, _look(edge_look(theme, "notify"))),
                points,
                ends,
            )


def _edge_look(theme: Theme, step: Step, timer: bool) -> str:
    """An arrow as the chart draws it: a timer dashed, a hand-over out of an escalation
    heavy; its label in the arrow's colour for timers, in the label ink otherwise."""
    if timer:
        look = edge_look(theme, "timer")
        return _look(look, look.line)
    look = edge_look(theme, "flow", handover=step.type is StepType.ESCALATE)
    return _look(look, theme.label_text)


_LABEL_ROW = 16.0  # draw.io's 11 px label text, a line apart


def _bundle_offset(bundle: tuple[int, ...], index: int) -> Point | None:
    """Where a bundle member's label goes from the middle of the route its timers share
    (`layout.bundles`): each timer keeps its own cell and label, which draw.io would
    otherwise draw on top of each other, so they stack a line apart, centred on the line."""
    if len(bundle) < 2 or index not in bundle:
        return None
    return (0.0, (bundle.index(index) - (len(bundle) - 1) / 2) * _LABEL_ROW)


def _outline(step: Step) -> str:
    return _OUTLINE.get(step.type, "box")


def _connector(
    root: etree._Element,
    cell_id: str,
    source: str,
    target: str,
    label: str | None,
    style: str,
    points: tuple[Point, ...] | list[Point],
    ends: tuple[tuple[str, Box], tuple[str, Box]],
    label_offset: Point | None = None,
) -> None:
    cell = etree.SubElement(
        root,
        "mxCell",
        id=cell_id,
        value=html_label(label or ""),
        style=style,
        edge="1",
        parent="1",
        source=source,
        target=target,
    )
    geometry = etree.SubElement(cell, "mxGeometry", {"relative": "1", "as": "geometry"})
    # draw.io finds where the line meets each shape itself; it needs only the bends.
    bends = attach(polyline(points), *ends)[1:-1] if points else []
    if bends:
        array = etree.SubElement(geometry, "Array", {"as": "points"})
        for x, y in bends:
            etree.SubElement(array, "mxPoint", x=_num(x), y=_num(y))
    if label_offset is not None:  # moves the label from its place at the line's middle
        x, y = label_offset
        etree.SubElement(geometry, "mxPoint", {"x": _num(x), "y": _num(y), "as": "offset"})
