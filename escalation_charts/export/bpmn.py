"""Model + layout -> BPMN 2.0 XML with diagram interchange (DI), valid against the OMG XSDs.

One pool (participant) holds the process; each lane is a BPMN lane listing its flow nodes.
Start steps are start events, resolutions end events, decisions exclusive gateways (branch
labels become flow names), `wait` steps receive tasks, `escalate` steps send tasks, other
steps tasks. A timer edge becomes an interrupting timer boundary event on the step (or an
intermediate timer event when the step is not an activity) with an ISO 8601 duration.
Notify becomes a text annotation joined to the step. Every shape and edge has DI taken from
the shared layout, so modelers (bpmn.io, Camunda Modeler) open it with the lanes drawn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from lxml import etree

from ..geometry import Box, Layout, Point
from ..model import Definition, Edge, Step, StepType
from ._ids import xml_id
from ._route import attach, boundary_point, polyline, route_map
from ._text import edge_label, lane_title, notify_text

__all__ = ["NS", "build_bpmn"]

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}

_TAGS = {
    StepType.START: "startEvent",
    StepType.RESOLUTION: "endEvent",
    StepType.DECISION: "exclusiveGateway",
    StepType.TASK: "task",
    StepType.ESCALATE: "sendTask",
    StepType.WAIT: "receiveTask",
}
_ACTIVITIES = frozenset((StepType.TASK, StepType.ESCALATE, StepType.WAIT))
# The sizes modelers use for events and gateways; tasks keep the layout's box.
_EVENT, _GATEWAY = 36.0, 50.0
_POOL_HEADER = 30.0  # the band where modelers write the pool's name
_MARGIN = 20.0
_LINE = 14.0  # height of one line of a label placed outside its shape
_CHAR = 6.5  # rough width of one character, to size outside labels


def _q(prefix: str, tag: str) -> str:
    return f"{{{NS[prefix]}}}{tag}"


def _num(value: float) -> str:
    """Coordinates with at most two decimals, no trailing zeros: stable and readable."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@dataclass
class _Node:
    """A flow node being written: its element, its DI shape and where its flows attach."""

    element: etree._Element
    shape: str  # "box", "circle" or "diamond"
    bounds: Box
    label_outside: bool = False
    incoming: list[str] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)


@dataclass
class _Flow:
    id: str
    source: str
    target: str
    name: str | None
    waypoints: list[Point]
    label_pos: Point | None = None


class _Builder:
    """Builds one document; kept as a class only to share the id maps between steps."""

    def __init__(self, definition: Definition, layout: Layout) -> None:
        self.d = definition
        self.layout = layout
        self.boxes = {s.step: s.box for s in layout.steps}
        self.routes = route_map(layout)
        self.nodes: dict[str, _Node] = {}  # xml id -> node
        self.flows: list[_Flow] = []
        self.lane_members: dict[str, list[str]] = {lane.id: [] for lane in definition.lanes}
        self.annotations: list[tuple[str, str, str, Box, list[Point]]] = []
        self.vertical = layout.direction == "TB"

    # -- semantic part -------------------------------------------------------------------

    def build(self) -> bytes:
        pid = self.d.process.id
        root = etree.Element(
            _q("bpmn", "definitions"),
            nsmap=NS,
            id=xml_id("Definitions", pid),
            targetNamespace=f"urn:escalation-charts:process:{pid}",
            exporter="escalation-charts",
            exporterVersion=_version(),
        )
        collaboration = etree.SubElement(
            root, _q("bpmn", "collaboration"), id=xml_id("Collaboration", pid)
        )
        etree.SubElement(
            collaboration,
            _q("bpmn", "participant"),
            id=xml_id("Participant", pid),
            name=self.d.process.name,
            processRef=xml_id("Process", pid),
        )
        process = etree.SubElement(
            root,
            _q("bpmn", "process"),
            id=xml_id("Process", pid),
            name=self.d.process.name,
            isExecutable="false",
        )
        if self.d.process.description:
            _documentation(process, self.d.process.description)
        lane_set = etree.SubElement(process, _q("bpmn", "laneSet"), id=xml_id("LaneSet", pid))
        for step in self.d.steps:
            self._step(step)
        for step in self.d.steps:
            self._edges(step)
        for lane in self.d.lanes:
            element = etree.SubElement(
                lane_set, _q("bpmn", "lane"), id=xml_id("Lane", lane.id), name=lane_title(lane)
            )
            if lane.description:
                _documentation(element, lane.description)
            for member in self.lane_members[lane.id]:
                etree.SubElement(element, _q("bpmn", "flowNodeRef")).text = member
        self._write_flow_elements(process)
        self._write_annotations(process)
        root.append(self._diagram())
        body = etree.tostring(root, encoding="UTF-8", pretty_print=True)
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body

    def _step(self, step: Step) -> None:
        nid = xml_id("Step", step.id)
        element = etree.Element(_q("bpmn", _TAGS[step.type]), id=nid, name=step.label)
        if step.description:
            _documentation(element, step.description)
        box = self.boxes.get(step.id, Box(0, 0, 100, 60))
        if step.type in (StepType.START, StepType.RESOLUTION):
            node = _Node(element, "circle", _centred(box, _EVENT, _EVENT), label_outside=True)
        elif step.type == StepType.DECISION:
            node = _Node(element, "diamond", _centred(box, _GATEWAY, _GATEWAY), True)
        else:
            node = _Node(element, "box", box)
        self._add(nid, node, step.lane)
        if step.notify:
            self._annotation(step, node)

    def _add(self, nid: str, node: _Node, lane: str) -> None:
        self.nodes[nid] = node
        if lane in self.lane_members:
            self.lane_members[lane].append(nid)

    def _edges(self, step: Step) -> None:
        source_id = xml_id("Step", step.id)
        for index, edge in enumerate(step.next):
            if edge.to not in self.d.steps_by_id:
                continue  # an unknown target (only with --force) cannot be referenced
            target_id = xml_id("Step", edge.to)
            route = self.routes.get((step.id, index, "timer" if edge.is_timer else "flow"))
            points = polyline(route.points) if route else []
            label_pos = route.label_pos if route else None
            flow_id = xml_id("Flow", step.id, index)
            if not edge.is_timer:
                self._flow(flow_id, source_id, target_id, edge_label(edge), points, label_pos)
            elif step.type in _ACTIVITIES:
                timer_id = self._boundary_timer(step, index, edge, points)
                name = _severity_note(edge)
                self._flow(flow_id, timer_id, target_id, name, points, label_pos)
            else:
                self._intermediate_timer(step, index, edge, points, label_pos)

    def _boundary_timer(self, step: Step, index: int, edge: Edge, points: list[Point]) -> str:
        """An interrupting timer on the step's border, where the layout's route leaves it."""
        timer_id = xml_id("Timer", step.id, index)
        host = self.nodes[xml_id("Step", step.id)]
        outside = [p for p in points if not host.bounds.contains(Box(p[0], p[1], 0, 0))]
        toward = outside[0] if outside else (host.bounds.center[0], host.bounds.bottom + 1)
        at = boundary_point("box", host.bounds, toward)
        element = etree.Element(
            _q("bpmn", "boundaryEvent"),
            id=timer_id,
            name=f"after {edge.after.compact()}" if edge.after else "",
            attachedToRef=xml_id("Step", step.id),
            cancelActivity="true",
        )
        _timer_definition(element, edge, timer_id)
        bounds = Box(at[0] - _EVENT / 2, at[1] - _EVENT / 2, _EVENT, _EVENT)
        self._add(timer_id, _Node(element, "circle", bounds, label_outside=True), step.lane)
        return timer_id

    def _intermediate_timer(
        self, step: Step, index: int, edge: Edge, points: list[Point], label_pos: Point | None
    ) -> None:
        """A step that cannot carry a boundary event waits on a timer event on the way."""
        timer_id = xml_id("Timer", step.id, index)
        source_id, target_id = xml_id("Step", step.id), xml_id("Step", edge.to)
        if points:
            middle = len(points) // 2
            at = label_pos or points[middle]
            first, second = [*points[:middle], at], [at, *points[middle + 1 :]]
        else:
            a, b = self.nodes[source_id].bounds.center, self.nodes[target_id].bounds.center
            at = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
            first, second = [], []
        element = etree.Element(
            _q("bpmn", "intermediateCatchEvent"),
            id=timer_id,
            name=f"after {edge.after.compact()}" if edge.after else "",
        )
        _timer_definition(element, edge, timer_id)
        bounds = Box(at[0] - _EVENT / 2, at[1] - _EVENT / 2, _EVENT, _EVENT)
        self._add(timer_id, _Node(element, "circle", bounds, label_outside=True), step.lane)
        self._flow(xml_id("Flow", step.id, index), source_id, timer_id, None, first, None)
        self._flow(
            xml_id("TimerFlow", step.id, index), timer_id, target_id, _severity_note(edge),
            second, None,
        )

    def _flow(
        self,
        flow_id: str,
        source: str,
        target: str,
        name: str | None,
        points: list[Point],
        label_pos: Point | None,
    ) -> None:
        src, dst = self.nodes[source], self.nodes[target]
        src.outgoing.append(flow_id)
        dst.incoming.append(flow_id)
        waypoints = attach(points, (src.shape, src.bounds), (dst.shape, dst.bounds))
        self.flows.append(_Flow(flow_id, source, target, name, waypoints, label_pos))

    def _annotation(self, step: Step, node: _Node) -> None:
        """Notify as a text annotation near the step, where the layout drew the arrow."""
        text = notify_text(self.d, step)
        route = self.routes.get((step.id, step.notify[0], "notify"))
        width, height = max(90.0, min(220.0, len(text) * _CHAR + 12)), 30.0
        if route and route.points:
            line = polyline(route.points)
            end = line[len(line) // 2]
        else:
            end = (node.bounds.right + 20, node.bounds.y - height)
        box = Box(end[0] - width / 2, end[1] - height / 2, width, height)
        start = boundary_point(node.shape, node.bounds, box.center)
        finish = boundary_point("box", box, start)
        self.annotations.append(
            (xml_id("Annotation", step.id, 0), text, xml_id("Step", step.id), box, [start, finish])
        )

    def _write_flow_elements(self, process: etree._Element) -> None:
        for node in self.nodes.values():
            # incoming/outgoing come after documentation and before event definitions.
            anchor = _first_child(node.element, ("timerEventDefinition",))
            for tag, refs in (("incoming", node.incoming), ("outgoing", node.outgoing)):
                for ref in refs:
                    child = etree.Element(_q("bpmn", tag))
                    child.text = ref
                    if anchor is None:
                        node.element.append(child)
                    else:
                        anchor.addprevious(child)
            process.append(node.element)
        for flow in self.flows:
            element = etree.SubElement(
                process,
                _q("bpmn", "sequenceFlow"),
                id=flow.id,
                sourceRef=flow.source,
                targetRef=flow.target,
            )
            if flow.name:
                element.set("name", flow.name)

    def _write_annotations(self, process: etree._Element) -> None:
        for annotation_id, text, _, _, _ in self.annotations:
            element = etree.SubElement(process, _q("bpmn", "textAnnotation"), id=annotation_id)
            etree.SubElement(element, _q("bpmn", "text")).text = text
        for annotation_id, _, step_id, _, _ in self.annotations:
            etree.SubElement(
                process,
                _q("bpmn", "association"),
                id=annotation_id.replace("Annotation_", "Association_", 1),
                sourceRef=step_id,
                targetRef=annotation_id,
                associationDirection="None",
            )

    # -- diagram interchange -------------------------------------------------------------

    def _diagram(self) -> etree._Element:
        pid = self.d.process.id
        diagram = etree.Element(_q("bpmndi", "BPMNDiagram"), id=xml_id("Diagram", pid))
        diagram.set("name", self.d.process.name)
        plane = etree.SubElement(
            diagram,
            _q("bpmndi", "BPMNPlane"),
            id=xml_id("Plane", pid),
            bpmnElement=xml_id("Collaboration", pid),
        )
        pool = self._pool_bounds()
        dx, dy = _MARGIN - pool.x, _MARGIN - pool.y
        horizontal = "false" if self.vertical else "true"
        self._shape(plane, xml_id("Participant", pid), pool, dx, dy, isHorizontal=horizontal)
        for band in self.layout.lanes:
            self._shape(plane, xml_id("Lane", band.lane), band.box, dx, dy, isHorizontal=horizontal)
        for nid, node in self.nodes.items():
            shape = self._shape(plane, nid, node.bounds, dx, dy)
            if node.label_outside:
                self._label(shape, _outside_label_box(node), dx, dy)
        for annotation_id, _, _, box, _ in self.annotations:
            self._shape(plane, annotation_id, box, dx, dy)
        for flow in self.flows:
            edge = self._edge(plane, flow.id, flow.waypoints, dx, dy)
            if flow.name and flow.label_pos:
                width = min(160.0, len(flow.name) * _CHAR + 8)
                x, y = flow.label_pos
                box = Box(x - width / 2, y - _LINE / 2, width, _LINE)
                self._label(edge, box, dx, dy)
        for annotation_id, _, _, _, points in self.annotations:
            association = annotation_id.replace("Annotation_", "Association_", 1)
            self._edge(plane, association, points, dx, dy)
        return diagram

    def _pool_bounds(self) -> Box:
        bands = [band.box for band in self.layout.lanes] or [Box(0, 0, self.layout.width,
                                                                 self.layout.height)]
        x0, y0 = min(b.x for b in bands), min(b.y for b in bands)
        x1, y1 = max(b.right for b in bands), max(b.bottom for b in bands)
        if self.vertical:
            return Box(x0, y0 - _POOL_HEADER, x1 - x0, y1 - y0 + _POOL_HEADER)
        return Box(x0 - _POOL_HEADER, y0, x1 - x0 + _POOL_HEADER, y1 - y0)

    def _shape(
        self, plane: etree._Element, element_id: str, box: Box, dx: float, dy: float, **extra: str
    ) -> etree._Element:
        shape = etree.SubElement(
            plane, _q("bpmndi", "BPMNShape"), id=f"{element_id}_di", bpmnElement=element_id
        )
        for key, value in extra.items():
            shape.set(key, value)
        _bounds(shape, box, dx, dy)
        return shape

    def _edge(
        self, plane: etree._Element, element_id: str, points: list[Point], dx: float, dy: float
    ) -> etree._Element:
        edge = etree.SubElement(
            plane, _q("bpmndi", "BPMNEdge"), id=f"{element_id}_di", bpmnElement=element_id
        )
        for x, y in points:
            etree.SubElement(edge, _q("di", "waypoint"), x=_num(x + dx), y=_num(y + dy))
        return edge

    def _label(self, parent: etree._Element, box: Box, dx: float, dy: float) -> None:
        _bounds(etree.SubElement(parent, _q("bpmndi", "BPMNLabel")), box, dx, dy)


def _bounds(parent: etree._Element, box: Box, dx: float, dy: float) -> None:
    etree.SubElement(
        parent,
        _q("dc", "Bounds"),
        x=_num(box.x + dx),
        y=_num(box.y + dy),
        width=_num(box.width),
        height=_num(box.height),
    )


def _centred(box: Box, width: float, height: float) -> Box:
    cx, cy = box.center
    return Box(cx - width / 2, cy - height / 2, width, height)


def _outside_label_box(node: _Node) -> Box:
    """Below an event or gateway, as modelers place such labels."""
    name = node.element.get("name") or ""
    width = max(60.0, min(150.0, max((len(p) for p in name.splitlines()), default=0) * _CHAR))
    lines = sum(max(1, math.ceil(len(p) * _CHAR / width)) for p in name.splitlines() or [""])
    cx = node.bounds.center[0]
    return Box(cx - width / 2, node.bounds.bottom + 4, width, lines * _LINE)


def _severity_note(edge: Edge) -> str | None:
    return f"({', '.join(edge.severities)})" if edge.severities is not None else None


def _timer_definition(element: etree._Element, edge: Edge, timer_id: str) -> None:
    definition = etree.SubElement(
        element, _q("bpmn", "timerEventDefinition"), id=f"{timer_id}_definition"
    )
    duration = etree.SubElement(definition, _q("bpmn", "timeDuration"))
    duration.set(_q("xsi", "type"), "bpmn:tFormalExpression")
    duration.text = edge.after.iso() if edge.after else "PT0M"


def _documentation(parent: etree._Element, text: str) -> None:
    etree.SubElement(parent, _q("bpmn", "documentation")).text = text


def _first_child(element: etree._Element, tags: tuple[str, ...]) -> etree._Element | None:
    wanted = {_q("bpmn", t) for t in tags}
    return next((c for c in element if c.tag in wanted), None)


def _version() -> str:
    from .. import __version__

    return __version__


def build_bpmn(definition: Definition, layout: Layout) -> bytes:
    """The BPMN 2.0 document (UTF-8 XML bytes) for `definition`, drawn as `layout` says."""
    return _Builder(definition, layout).build()
