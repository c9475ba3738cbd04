"""Model + layout -> BPMN 2.0 XML with diagram interchange (DI), valid against the OMG XSDs.

One pool (participant) holds the process; each lane is a BPMN lane listing its flow nodes.
Start steps are start events, resolutions end events, decisions exclusive gateways (branch
labels become flow names), `wait` steps receive tasks, `escalate` steps send tasks, other
steps tasks. A timer edge becomes an interrupting timer boundary event on the step (or an
intermediate timer event when the step is not an activity) with an ISO 8601 duration.
Notify becomes a text annotation joined to the step.

Where several flows lead to one step, a merging exclusive gateway stands in front of it
(`export._joins`), so bpmnlint's recommended rules pass. A join is recognisable to readers
of the file (an importer drops it again): id `Join_<step>`, `gatewayDirection="Converging"`,
no name, one outgoing flow `JoinFlow_<step>` to the step.

Every shape and edge has DI from the shared layout, computed for this graph with the sizes
bpmn-js draws (tasks 100 x 80, events 36 x 36, gateways 50 x 50), so modelers (bpmn.io,
Camunda Modeler) open it with the lanes drawn and no shape covering another.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from lxml import etree

from escalation_charts import __version__
from escalation_charts.export._joins import join_target, with_joins
from escalation_charts.export._placement import (
    first_free,
    label_spots,
    nudged,
    place_note,
    text_size,
)
from escalation_charts.export._route import attach, boundary_point, polyline, route_map
from escalation_charts.export._text import edge_label, lane_title, notify_text
from escalation_charts.ids import di_id, xml_id
from escalation_charts.layout.bands import compute_layout
from escalation_charts.layout.geometry import Box, EdgeRoute, Layout, Point
from escalation_charts.layout.labels import label_size
from escalation_charts.model import Definition, Edge, Step, StepType

__all__ = ["NS", "SIZES", "build_bpmn", "shape_size", "write_bpmn"]

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
# The sizes bpmn-js draws (and Camunda Modeler, which is bpmn-js): (width, height).
SIZES = {"event": (36.0, 36.0), "gateway": (50.0, 50.0), "task": (100.0, 80.0)}
_EVENT = SIZES["event"][0]
_FONT_SIZE = 11.0  # bpmn-js writes labels at 11 px
_POOL_HEADER = 30.0  # the band where modelers write the pool's name
_MARGIN = 20.0


def build_bpmn(definition: Definition, *, direction: str = "LR") -> bytes:
    """The BPMN 2.0 document (UTF-8 XML bytes) for `definition`, laid out in `direction`
    (`LR` or `TB`) with BPMN's shape sizes."""
    flow = with_joins(definition)
    return write_bpmn(flow, compute_layout(flow, direction=direction, room=_room))


def write_bpmn(flow: Definition, layout: Layout) -> bytes:
    """The document for `flow` (a definition after `with_joins`) drawn as `layout` says."""
    return _Builder(flow, layout).build()


def shape_size(step: Step) -> tuple[float, float]:
    """The (width, height) bpmn-js draws the step's element at."""
    if step.type in (StepType.START, StepType.RESOLUTION):
        return SIZES["event"]
    if step.type is StepType.DECISION:
        return SIZES["gateway"]
    return SIZES["task"]


def _room(step: Step) -> tuple[float, float, str]:
    """The room the layout keeps for a step: its shape, and for an event or gateway with a
    name a box holding the name below it (mirrored above, since the layout centres the
    shape), so no arrow, arrow label or other shape is drawn over the name."""
    width, height = shape_size(step)
    if join_target(step.id) is not None:
        return width, height, "diamond"
    if step.type not in (StepType.START, StepType.RESOLUTION, StepType.DECISION):
        return width, height, "box"
    label = label_spots(step.label, Box(0, 0, width, height))[0]
    return max(width, label.width), height + 2 * (label.bottom - height), "box"


def _node_id(step_id: str) -> str:
    """The XML id of a step's flow node, or of the join in front of a step."""
    target = join_target(step_id)
    return xml_id("Step", step_id) if target is None else xml_id("Join", target)


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
    outside: bool = False  # the name is written beside the shape, in `label`
    label: Box | None = None
    incoming: list[str] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)


@dataclass
class _Flow:
    id: str
    source: str
    target: str
    name: str | None
    waypoints: list[Point]
    label: Box | None = None


@dataclass
class _Note:
    """A notify note: a text annotation and the association joining it to its step."""

    id: str
    text: str
    step: str
    box: Box
    waypoints: list[Point]

    @property
    def association(self) -> str:
        return self.id.replace("Annotation_", "Association_", 1)


class _Builder:
    """Collects nodes, flows and notes (semantics plus geometry), then writes both parts."""

    def __init__(self, definition: Definition, layout: Layout) -> None:
        self.d = definition
        self.layout = layout
        self.boxes = {s.step: s.box for s in layout.steps}
        self.bands = {band.lane: band.box for band in layout.lanes}
        self.routes = route_map(layout)
        self.nodes: dict[str, _Node] = {}  # xml id -> node, in document order
        self.flows: list[_Flow] = []
        self.notes: list[_Note] = []
        self.timer_spots: list[Point] = []  # centres of the boundary timers placed so far
        self.label_rooms: dict[str, list[Box]] = {}  # timer id -> free rooms for its name
        self.lane_members: dict[str, list[str]] = {lane.id: [] for lane in definition.lanes}

    def build(self) -> bytes:
        for step in self.d.steps:
            self._step(step)
        for step in self.d.steps:
            self._edges(step)
        self._place_outside_labels()
        for step in self.d.steps:
            if step.notify:
                self._note(step)
        root = self._semantics()
        root.append(self._diagram())
        body = etree.tostring(root, encoding="UTF-8", pretty_print=True)
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body

    # -- collecting ----------------------------------------------------------------------

    def _add(self, nid: str, node: _Node, lane: str) -> None:
        self.nodes[nid] = node
        if lane in self.lane_members:
            self.lane_members[lane].append(nid)

    def _step(self, step: Step) -> None:
        nid = _node_id(step.id)
        # Every shape is drawn at bpmn-js's size, centred where the layout put the step.
        bounds = _centred(self.boxes.get(step.id, Box(0, 0, 100, 80)), *shape_size(step))
        if join_target(step.id) is not None:
            element = etree.Element(
                _q("bpmn", "exclusiveGateway"), id=nid, gatewayDirection="Converging"
            )
            self._add(nid, _Node(element, "diamond", bounds), step.lane)
            return
        element = etree.Element(_q("bpmn", _TAGS[step.type]), id=nid, name=step.label)
        if step.description:
            _documentation(element, step.description)
        if step.type in (StepType.START, StepType.RESOLUTION):
            node = _Node(element, "circle", bounds, outside=True)
        elif step.type is StepType.DECISION:
            node = _Node(element, "diamond", bounds, outside=True)
        else:
            node = _Node(element, "box", bounds)
        self._add(nid, node, step.lane)

    def _edges(self, step: Step) -> None:
        source_id = _node_id(step.id)
        joined = join_target(step.id)
        for index, edge in enumerate(step.next):
            if edge.to not in self.d.steps_by_id:
                continue  # an unknown target (only with --force) cannot be referenced
            target_id = _node_id(edge.to)
            route = self.routes.get((step.id, index, "timer" if edge.is_timer else "flow"))
            points = polyline(route.points) if route else []
            name = edge_label(edge)
            room = _label_room(route, name)
            rooms = [room] if room is not None else []
            if route is not None and len(route.bundle) > 1:
                # timers drawn as one arrow (`layout.bundles`) share the room of its label,
                # one line each as the chart lists them, its own line first
                first = self.routes.get((step.id, route.bundle[0], "timer"))
                n, here = len(route.bundle), route.bundle.index(index)
                order = [here, *(k for k in range(n) if k != here)]
                rooms = [r for k in order if (r := _label_room(first, name, k, n)) is not None]
            if joined is None:
                flow_id = xml_id("Flow", step.id, index)
            else:
                flow_id = xml_id("JoinFlow", joined)
            if not edge.is_timer:
                self._flow(flow_id, source_id, target_id, name, points, room)
            elif step.type in _ACTIVITIES:
                timer_id, path = self._boundary_timer(step, index, edge, points)
                self._flow(flow_id, timer_id, target_id, None, path, None)
                self.label_rooms[timer_id] = rooms
            else:
                timer_id = self._intermediate_timer(step, index, edge, points)
                self.label_rooms[timer_id] = rooms

    def _timer(
        self, tag: str, timer_id: str, edge: Edge, at: Point, lane: str, **attrs: str
    ) -> None:
        # The event carries the whole label (`after 2h (P1, P2)`); its flow stays unnamed.
        element = etree.Element(_q("bpmn", tag), id=timer_id, name=edge_label(edge) or "", **attrs)
        definition = etree.SubElement(
            element, _q("bpmn", "timerEventDefinition"), id=f"{timer_id}_definition"
        )
        duration = etree.SubElement(definition, _q("bpmn", "timeDuration"))
        duration.set(_q("xsi", "type"), "bpmn:tFormalExpression")
        duration.text = edge.after.iso() if edge.after else "PT0M"
        bounds = Box(at[0] - _EVENT / 2, at[1] - _EVENT / 2, _EVENT, _EVENT)
        self._add(timer_id, _Node(element, "circle", bounds, outside=True), lane)

    def _boundary_timer(
        self, step: Step, index: int, edge: Edge, points: list[Point]
    ) -> tuple[str, list[Point]]:
        """An interrupting timer on the step's bottom edge (top when the route leaves
        upwards or its target is above), near the corner the route leaves towards: there
        it covers none of the name bpmn-js centres in the task. Returns its id and the
        route from it."""
        timer_id = xml_id("Timer", step.id, index)
        host = self.nodes[xml_id("Step", step.id)].bounds
        outside = [p for p in points if not host.contains(Box(p[0], p[1], 0, 0), 0.5)]
        toward = outside[0] if outside else None
        at = _timer_spot(host, toward, outside[-1] if outside else None, self.timer_spots)
        self.timer_spots.append(at)
        path = _timer_path(host, at, outside)
        self._timer(
            "boundaryEvent",
            timer_id,
            edge,
            at,
            step.lane,
            attachedToRef=xml_id("Step", step.id),
            cancelActivity="true",
        )
        return timer_id, path

    def _intermediate_timer(self, step: Step, index: int, edge: Edge, points: list[Point]) -> str:
        """A step that cannot carry a boundary event waits on a timer event on the way."""
        timer_id = xml_id("Timer", step.id, index)
        source_id, target_id = _node_id(step.id), _node_id(edge.to)
        if points:
            middle = len(points) // 2
            at = points[middle]
            first, second = points[: middle + 1], points[middle:]
        else:
            a, b = self.nodes[source_id].bounds.center, self.nodes[target_id].bounds.center
            at = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
            first, second = [], []
        self._timer("intermediateCatchEvent", timer_id, edge, at, step.lane)
        self._flow(xml_id("Flow", step.id, index), source_id, timer_id, None, first, None)
        self._flow(xml_id("TimerFlow", step.id, index), timer_id, target_id, None, second, None)
        return timer_id

    def _flow(
        self,
        flow_id: str,
        source: str,
        target: str,
        name: str | None,
        points: list[Point],
        label: Box | None,
    ) -> None:
        src, dst = self.nodes[source], self.nodes[target]
        src.outgoing.append(flow_id)
        dst.incoming.append(flow_id)
        waypoints = attach(points, (src.shape, src.bounds), (dst.shape, dst.bounds))
        self.flows.append(_Flow(flow_id, source, target, name, waypoints, label))

    def _place_outside_labels(self) -> None:
        """Arrow labels stay where the layout put them unless a shape drawn at BPMN's size
        covers them, then move a little. Names of events and gateways go below them unless
        that covers another shape or an arrow's label; then above, right, left, or a little
        further out."""
        shapes = [n.bounds for n in self.nodes.values()]
        lines = {f.id: list(itertools.pairwise(f.waypoints)) for f in self.flows}
        every_line = [segment for segments in lines.values() for segment in segments]
        taken: list[Box] = []
        for flow in self.flows:
            if flow.label:
                others = [s for fid, segments in lines.items() if fid != flow.id for s in segments]
                flow.label = first_free(nudged(flow.label, 8), shapes + taken, others)
                taken.append(flow.label)
        lane_of = {nid: lane for lane, members in self.lane_members.items() for nid in members}
        for nid, node in self.nodes.items():
            if not node.outside or not node.element.get("name"):
                continue  # a nameless event gets no label box
            name = node.element.get("name") or ""
            # wrapped narrower too: beside a shape in a narrow lane, two short lines fit
            spots = label_spots(name, node.bounds) + label_spots(name, node.bounds, 90.0)
            # nearest first: each spot moved out one step at a time, all of them in turn (not
            # far: a name away from its shape is read as a neighbour's)
            further = [
                spot for i in range(1, 4) for first in spots for spot in nudged(first, i)[-4:]
            ]
            # a timer's name may also go where the layout kept room for its edge's label
            spots += self.label_rooms.get(nid, []) + further
            node.label = first_free(
                spots, shapes + taken, every_line, self.bands.get(lane_of.get(nid, ""))
            )
            taken.append(node.label)

    def _note(self, step: Step) -> None:
        """Notify as a text annotation beside the step, on a spot that covers nothing."""
        node = self.nodes[xml_id("Step", step.id)]
        text = notify_text(self.d, step)
        width, height = text_size(text, 170.0, 90.0)
        obstacles = [n.bounds for n in self.nodes.values()]
        obstacles += [n.label for n in self.nodes.values() if n.label]
        obstacles += [f.label for f in self.flows if f.label]
        obstacles += [n.box for n in self.notes]
        box = place_note((width, height + 8), node.bounds, obstacles, self.bands.get(step.lane))
        start = boundary_point(node.shape, node.bounds, box.center)
        end = boundary_point("box", box, start)
        self.notes.append(
            _Note(
                xml_id("Annotation", step.id, 0), text, xml_id("Step", step.id), box, [start, end]
            )
        )

    # -- writing: semantics --------------------------------------------------------------

    def _semantics(self) -> etree._Element:
        pid, name = self.d.process.id, self.d.process.name
        root = etree.Element(
            _q("bpmn", "definitions"),
            nsmap=NS,
            id=xml_id("Definitions", pid),
            targetNamespace=f"urn:escalation-charts:process:{pid}",
            exporter="escalation-charts",
            exporterVersion=__version__,
        )
        collaboration = etree.SubElement(
            root, _q("bpmn", "collaboration"), id=xml_id("Collaboration", pid)
        )
        etree.SubElement(
            collaboration,
            _q("bpmn", "participant"),
            id=xml_id("Participant", pid),
            name=name,
            processRef=xml_id("Process", pid),
        )
        process = etree.SubElement(
            root,
            _q("bpmn", "process"),
            id=xml_id("Process", pid),
            name=name,
            isExecutable="false",
        )
        if self.d.process.description:
            _documentation(process, self.d.process.description)
        # Order matters to the XSD: laneSet, flow elements, then artifacts.
        self._lane_set(process)
        for node in self.nodes.values():
            process.append(_with_flow_refs(node))
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
        for note in self.notes:
            element = etree.SubElement(process, _q("bpmn", "textAnnotation"), id=note.id)
            etree.SubElement(element, _q("bpmn", "text")).text = note.text
        for note in self.notes:
            etree.SubElement(
                process,
                _q("bpmn", "association"),
                id=note.association,
                sourceRef=note.step,
                targetRef=note.id,
                associationDirection="None",
            )
        return root

    def _lane_set(self, process: etree._Element) -> None:
        lane_set = etree.SubElement(
            process, _q("bpmn", "laneSet"), id=xml_id("LaneSet", self.d.process.id)
        )
        for lane in self.d.lanes:
            element = etree.SubElement(
                lane_set, _q("bpmn", "lane"), id=xml_id("Lane", lane.id), name=lane_title(lane)
            )
            if lane.description:
                _documentation(element, lane.description)
            for member in self.lane_members[lane.id]:
                etree.SubElement(element, _q("bpmn", "flowNodeRef")).text = member

    # -- writing: diagram interchange ----------------------------------------------------

    def _diagram(self) -> etree._Element:
        pid = self.d.process.id
        diagram = etree.Element(
            _q("bpmndi", "BPMNDiagram"), id=xml_id("Diagram", pid), name=self.d.process.name
        )
        plane = etree.SubElement(
            diagram,
            _q("bpmndi", "BPMNPlane"),
            id=xml_id("Plane", pid),
            bpmnElement=xml_id("Collaboration", pid),
        )
        pool = self._pool_bounds()
        shift = (_MARGIN - pool.x, _MARGIN - pool.y)
        horizontal = "false" if self.layout.direction == "TB" else "true"
        _shape(plane, xml_id("Participant", pid), pool, shift, isHorizontal=horizontal)
        for band in self.layout.lanes:
            _shape(plane, xml_id("Lane", band.lane), band.box, shift, isHorizontal=horizontal)
        for nid, node in self.nodes.items():
            shape = _shape(plane, nid, node.bounds, shift)
            if node.label:
                _bounds(etree.SubElement(shape, _q("bpmndi", "BPMNLabel")), node.label, shift)
        for note in self.notes:
            _shape(plane, note.id, note.box, shift)
        for flow in self.flows:
            edge = _edge(plane, flow.id, flow.waypoints, shift)
            if flow.label:
                _bounds(etree.SubElement(edge, _q("bpmndi", "BPMNLabel")), flow.label, shift)
        for note in self.notes:
            _edge(plane, note.association, note.waypoints, shift)
        return diagram

    def _pool_bounds(self) -> Box:
        bands = [band.box for band in self.layout.lanes]
        if not bands:
            bands = [Box(0, 0, self.layout.width, self.layout.height)]
        x0, y0 = min(b.x for b in bands), min(b.y for b in bands)
        x1, y1 = max(b.right for b in bands), max(b.bottom for b in bands)
        if self.layout.direction == "TB":
            return Box(x0, y0 - _POOL_HEADER, x1 - x0, y1 - y0 + _POOL_HEADER)
        return Box(x0 - _POOL_HEADER, y0, x1 - x0 + _POOL_HEADER, y1 - y0)


def _with_flow_refs(node: _Node) -> etree._Element:
    """The node's element with its incoming/outgoing refs, after any documentation and
    before any event definition, as the XSD orders them."""
    element = node.element
    anchor = next((c for c in element if c.tag == _q("bpmn", "timerEventDefinition")), None)
    for tag, refs in (("incoming", node.incoming), ("outgoing", node.outgoing)):
        for ref in refs:
            child = etree.Element(_q("bpmn", tag))
            child.text = ref
            if anchor is None:
                element.append(child)
            else:
                anchor.addprevious(child)
    return element


def _shape(
    plane: etree._Element, element_id: str, box: Box, shift: Point, **extra: str
) -> etree._Element:
    shape = etree.SubElement(
        plane, _q("bpmndi", "BPMNShape"), id=di_id(element_id), bpmnElement=element_id, **extra
    )
    _bounds(shape, box, shift)
    return shape


def _edge(
    plane: etree._Element, element_id: str, points: list[Point], shift: Point
) -> etree._Element:
    edge = etree.SubElement(
        plane, _q("bpmndi", "BPMNEdge"), id=di_id(element_id), bpmnElement=element_id
    )
    for x, y in points:
        etree.SubElement(edge, _q("di", "waypoint"), x=_num(x + shift[0]), y=_num(y + shift[1]))
    return edge


def _bounds(parent: etree._Element, box: Box, shift: Point) -> None:
    etree.SubElement(
        parent,
        _q("dc", "Bounds"),
        x=_num(box.x + shift[0]),
        y=_num(box.y + shift[1]),
        width=_num(box.width),
        height=_num(box.height),
    )


def _label_room(
    route: EdgeRoute | None, text: str | None, line: int = 0, lines: int = 1
) -> Box | None:
    """A box for `text` where the layout kept room for the edge's label (centred on
    `label_pos`), as wide as bpmn-js writes it; `line` of `lines` stacked there when the
    label is shared by a bundle of timers."""
    if route is None or not text or route.label_pos is None:
        return None
    width, height = label_size(text, _FONT_SIZE)
    x, y = route.label_pos
    y += (line - (lines - 1) / 2) * height
    return Box(x - width / 2, y - height / 2, width, height)


def _timer_spot(host: Box, toward: Point | None, target: Point | None, taken: list[Point]) -> Point:
    """The centre of a boundary timer on `host`: bottom edge (top when the route leaves
    upwards or its `target` lies above the task), at the end nearer `toward` (where the
    route leaves), moved along the edge past timers already there."""
    cx, cy = host.center
    tx, ty = toward if toward else (cx, host.bottom + 1)
    dx, dy = (tx - cx) / (host.width / 2 or 1), (ty - cy) / (host.height / 2 or 1)
    up = (dy < 0 and abs(dy) >= abs(dx)) or (target is not None and target[1] < host.y)
    y = host.y if up else host.bottom
    inset = _EVENT / 2 + 4
    lo, hi = host.x + inset, host.right - inset
    # leaving sideways: the corner on that side; up or down: below the exit, inside the ends
    x = (hi if dx > 0 else lo) if abs(dx) > abs(dy) else min(max(tx, lo), hi)
    gap = _EVENT + 4
    # spots on a grid along the edge (both ends and every `gap`), nearest the wanted one
    along = sorted({lo, hi, *(lo + i * gap for i in range(int((hi - lo) // gap) + 1))})
    along.sort(key=lambda a: abs(a - x))
    other = host.bottom if y == host.y else host.y  # when this edge is full, the other one
    top, low = host.y + inset, host.bottom - inset
    ups = sorted({top, low, *(top + i * gap for i in range(int((low - top) // gap) + 1))})
    near, far = (host.right, host.x) if dx >= 0 else (host.x, host.right)
    sides = [(near, b) for b in ups] + [(far, b) for b in ups]  # then the sides
    for spot in [(a, y) for a in along] + [(a, other) for a in along] + sides:
        if all(abs(spot[0] - px) > _EVENT or abs(spot[1] - py) > _EVENT for px, py in taken):
            return spot
    return (x, y)  # more timers than both edges hold: they overlap each other


def _timer_path(host: Box, at: Point, route: list[Point]) -> list[Point]:
    """The flow out of a boundary timer at `at`: to the first point of the layout's route
    it can reach without crossing the task, then along it; round the task's corner when
    even the last point is behind it."""
    rest = list(route)
    while len(rest) > 1 and _crosses(host, at, rest[0]):
        rest.pop(0)
    if rest and _crosses(host, at, rest[0]):
        rest.insert(0, (rest[0][0], at[1]))  # along the timer's edge first, then on
    return rest


def _crosses(box: Box, a: Point, b: Point) -> bool:
    """True when the segment from `a` to `b` runs through the inside of `box`."""
    inner = Box(box.x + 1, box.y + 1, box.width - 2, box.height - 2)
    for i in range(1, 20):
        t = i / 20
        p = (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
        if inner.contains(Box(p[0], p[1], 0, 0), 0):
            return True
    return False


def _centred(box: Box, width: float, height: float) -> Box:
    cx, cy = box.center
    return Box(cx - width / 2, cy - height / 2, width, height)


def _documentation(parent: etree._Element, text: str) -> None:
    etree.SubElement(parent, _q("bpmn", "documentation")).text = text
