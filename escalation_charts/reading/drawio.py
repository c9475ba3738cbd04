"""draw.io / diagrams.net (mxGraph XML, plain or compressed pages) -> the model.

The mapping, also in `import --help` and the README:

- `swimlane` containers are lanes (a swimlane holding swimlanes is a pool: it names the
  process and its inner lanes are the lanes; deeper nesting is flattened with a note);
  a diagram without swimlanes is one lane;
- a vertex is a step by its shape: ellipse, terminator, circle or fully rounded box =
  `start` when arrows leave it, else `resolution`; rhombus (and BPMN gateways) =
  `decision`; `process` (double-sided box) = `escalate`; `delay` = `wait`; a plain or
  rounded rectangle (and BPMN tasks) = `task`;
- an arrow is a `next` edge, its label the `when`; an arrow labelled `after 2h` is a timer
  edge; an arrow to a lane (not a step) is `notify`.

Text boxes, pictures and shapes of other kinds are left out, or imported as a task when
arrows join them, with a warning naming the cell.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

from lxml import etree

from escalation_charts.durations import Duration, parse_duration
from escalation_charts.model import StepType
from escalation_charts.reading import ours
from escalation_charts.reading.draft import (
    Draft,
    DraftEdge,
    DraftLane,
    DraftStep,
    Imported,
    spoken_duration,
    tidy,
)
from escalation_charts.reading.xml_input import DiagramError, inflate, parse_xml

__all__ = ["html_text", "read_drawio"]

_TERMINATORS = {
    "ellipse",
    "doubleEllipse",
    "mxgraph.flowchart.terminator",
    "mxgraph.flowchart.start_1",
    "mxgraph.flowchart.start_2",
    "mxgraph.bpmn.event",
    "terminator",
}
_DIAMONDS = {"rhombus", "mxgraph.flowchart.decision", "mxgraph.bpmn.gateway2"}
_BOXES = {"", "rect", "rectangle", "label", "mxgraph.flowchart.process", "mxgraph.bpmn.task"}
_TYPES = {
    "process": StepType.ESCALATE,
    "delay": StepType.WAIT,
    "mxgraph.flowchart.delay": StepType.WAIT,
}
_STARTABLE = {StepType.TASK, StepType.WAIT}
_QUIET = {"edgeLabel", "group"}  # read for their meaning elsewhere
# Flowchart shapes for a step of some kind (a document, input, preparation...): a task.
_FLOWCHART_STEPS = {
    "document",
    "parallelogram",
    "hexagon",
    "card",
    "manualInput",
    "internalStorage",
    "trapezoid",
    "step",
    "cube",
    "note",
    "mxgraph.flowchart.document",
    "mxgraph.flowchart.data",
    "mxgraph.flowchart.preparation",
    "mxgraph.flowchart.manual_input",
    "mxgraph.flowchart.manual_operation",
    "mxgraph.flowchart.predefined_process",
    "mxgraph.flowchart.multi-document",
}


@dataclass
class _Cell:
    id: str
    parent: str
    value: str
    style: dict[str, str]
    names: set[str]  # the style's bare words and its shape
    vertex: bool
    edge: bool
    source: str
    target: str
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    children: list[str] = field(default_factory=list)

    @property
    def shape(self) -> str:
        return self.style.get("shape", "")


class _Text(HTMLParser):
    """An HTML label's visible text: `<br>` and block ends are line breaks."""

    _BLOCKS = frozenset(("div", "p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        starts_block = tag in self._BLOCKS and self.parts and not self.parts[-1].endswith("\n")
        if tag == "br" or starts_block:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(value: str, ours_label: bool) -> str:
    """The text a person sees in an HTML label (`export.drawio.html_label` undone)."""
    parser = _Text()
    parser.feed(value)
    parser.close()
    text = "".join(parser.parts)
    if ours_label:
        return text
    return tidy(text)


def read_drawio(root: etree._Element, source: str, page: str | None = None) -> Imported:
    """The model of one page of a draw.io file; DiagramError when it is not one."""
    tag = root.tag if isinstance(root.tag, str) else ""
    host_ours = root.get("host") == ours.EXPORTER
    if tag == "mxGraphModel":
        model, name, diagram_id, pages = root, "", "", ()
    elif tag == "mxfile":
        model, name, diagram_id, pages = _page(root, page)
    else:
        raise DiagramError(f"not a draw.io file: the root element is <{tag}>, not <mxfile>")
    reader = _Reader(model, source, host_ours, name)
    if host_ours and diagram_id.startswith("process-"):
        reader.draft.process_id = diagram_id.removeprefix("process-")
    if len(pages) > 1 and page is None:
        others = ", ".join(repr(p) for p in pages[1:])
        reader.draft.note(
            name,
            f"the file has {len(pages)} pages: read this one; the others "
            f"({others}) with --page NAME",
        )
    imported = reader.read()
    return replace(imported, page=name or None, pages=pages)


def _page(
    mxfile: etree._Element, wanted: str | None
) -> tuple[etree._Element, str, str, tuple[str, ...]]:
    """The page called `wanted` (a name, or a number from 1), else the first one."""
    diagrams = mxfile.findall("diagram")
    if not diagrams:
        raise DiagramError("the draw.io file has no page (<diagram>)")
    names = tuple(d.get("name") or f"Page-{i + 1}" for i, d in enumerate(diagrams))
    index = 0
    if wanted is not None:
        matches = [i for i, n in enumerate(names) if n == wanted]
        if not matches and wanted.isdigit() and 1 <= int(wanted) <= len(names):
            matches = [int(wanted) - 1]
        if not matches:
            raise DiagramError(f"no page {wanted!r}; the pages are: {', '.join(names)}")
        index = matches[0]
    diagram = diagrams[index]
    model = diagram.find("mxGraphModel")
    if model is None:
        text = (diagram.text or "").strip()
        if not text:
            raise DiagramError(f"page {names[index]!r} is empty")
        model = parse_xml(inflate(text), "draw.io page")
        if model.tag != "mxGraphModel":
            raise DiagramError(f"page {names[index]!r} does not hold an mxGraphModel")
    return model, names[index], diagram.get("id") or "", names


def _style(text: str) -> tuple[dict[str, str], set[str]]:
    style: dict[str, str] = {}
    names: set[str] = set()
    for item in filter(None, (part.strip() for part in text.split(";"))):
        key, eq, value = item.partition("=")
        if eq:
            style[key] = value
        else:
            names.add(key)
    if style.get("shape"):
        names.add(style["shape"])
    return style, names


class _Reader:
    def __init__(self, model: etree._Element, source: str, ours_file: bool, page: str) -> None:
        self.model = model
        self.source = source
        self.ours = ours_file
        self.page = page
        self.draft = Draft(by_place=not ours_file)
        self.cells: dict[str, _Cell] = {}
        self.lanes: list[str] = []  # leaf swimlane ids
        self.pools: list[str] = []
        self.timers: dict[str, Duration] = {}
        self.edges: list[_Cell] = []
        self.edges_from: dict[str, list[_Cell]] = {}
        self.rows = True  # lanes are rows (flow left to right); set from the lanes

    def read(self) -> Imported:
        self._cells()
        if not self.cells:
            raise DiagramError("the draw.io page has no cells")
        self._lanes()
        self._steps()
        self._edges()
        self._tidy()
        return self.draft.imported(self.source)

    # -- cells -----------------------------------------------------------------------------

    def _cells(self) -> None:
        graph_root = self.model.find("root")
        if graph_root is None:
            raise DiagramError("the draw.io page has no <root> of cells")
        for element in graph_root:
            tag = element.tag if isinstance(element.tag, str) else ""
            if tag == "mxCell":
                cell_element, cid, value = element, element.get("id"), element.get("value")
            elif tag in ("UserObject", "object"):
                inner = element.find("mxCell")
                if inner is None:
                    continue
                cell_element, cid = inner, element.get("id")
                value = element.get("label", element.get("value"))
            else:
                continue
            if not cid:
                continue
            style, names = _style(cell_element.get("style") or "")
            cell = _Cell(
                cid,
                cell_element.get("parent") or "",
                value or "",
                style,
                names,
                cell_element.get("vertex") == "1",
                cell_element.get("edge") == "1",
                cell_element.get("source") or "",
                cell_element.get("target") or "",
            )
            geometry = cell_element.find("mxGeometry")
            if geometry is not None and geometry.get("relative") != "1":
                with contextlib.suppress(ValueError):
                    cell.x, cell.y, cell.width, cell.height = (
                        float(geometry.get(k) or 0) for k in ("x", "y", "width", "height")
                    )
            self.cells[cid] = cell
        for cell in self.cells.values():
            if cell.parent in self.cells:
                self.cells[cell.parent].children.append(cell.id)
        self.offsets: dict[str, tuple[float, float]] = {}
        for cid in self.cells:
            self._absolute(cid, set())

    def _absolute(self, cid: str, seen: set[str]) -> tuple[float, float]:
        """A cell's top-left corner on the page: children are placed relative to their
        container (a vertex); a loop of parents (a broken file) stops at the page."""
        if cid in self.offsets:
            return self.offsets[cid]
        cell = self.cells[cid]
        parent = self.cells.get(cell.parent)
        base = (0.0, 0.0)
        if parent is not None and parent.vertex and cid not in seen:
            base = self._absolute(parent.id, seen | {cid})
        self.offsets[cid] = (base[0] + cell.x, base[1] + cell.y)
        return self.offsets[cid]

    def _label(self, cell: _Cell) -> str:
        if cell.style.get("html") == "1":
            return html_text(cell.value, self.ours)
        return cell.value if self.ours else tidy(cell.value)

    def _is_lane(self, cell: _Cell) -> bool:
        return cell.vertex and ("swimlane" in cell.names)

    # -- lanes -----------------------------------------------------------------------------

    def _lanes(self) -> None:
        swimlanes = [c for c in self.cells.values() if self._is_lane(c)]
        for lane in swimlanes:
            inner = [c for c in self._descendants(lane.id) if self._is_lane(self.cells[c])]
            outer = self._lane_ancestors(lane.id)
            if inner:
                self.pools.append(lane.id)
                self.draft.used.add(lane.id)
                continue
            self.lanes.append(lane.id)
            title = self._label(lane)
            # outer: the lane itself, then the swimlanes around it; the outermost is the
            # pool, which names the process; anything between is flattened into the name
            between = [self._label(self.cells[a]) or "Lane" for a in outer[1:-1]]
            if between:
                title = " / ".join([*reversed(between), title or "Lane"])
                self.draft.note(lane.id, f"a lane inside a lane: flattened as {title!r}")
            external = False
            if self.ours:
                title, external = ours.lane_title(title)
            known = (
                lane.id.removeprefix("lane-") if self.ours and lane.id.startswith("lane-") else None
            )
            self.draft.lanes[lane.id] = DraftLane(lane.id, title or "Lane", known, external)
        self._order_lanes()
        if self.pools:
            first = self.cells[self.pools[0]]
            self.draft.process_name = self._label(first) or self.page or "Imported process"
        else:
            self.draft.process_name = self.page or "Imported process"
        if self.ours and self.page:
            self.draft.process_name = self.page
        if not self.lanes:
            key = "page"
            self.draft.lanes[key] = DraftLane(key, self.page or "Lane")
            self.draft.note(
                self.page or "page", "no swimlanes on the page: one lane for every step"
            )

    def _order_lanes(self) -> None:
        """Lanes as drawn: top to bottom for rows, left to right for columns."""

        self.rows = self._rows()

        def key(lane_id: str) -> tuple[float, float]:
            x, y = self.offsets[lane_id]
            return (y, x) if self.rows else (x, y)

        order = sorted(self.lanes, key=key)
        self.lanes = order
        self.draft.lanes = {k: self.draft.lanes[k] for k in order}

    def _rows(self) -> bool:
        boxes = [self.cells[k] for k in self.lanes]
        if len(boxes) < 2:
            return True
        ys = {round(self.offsets[b.id][1]) for b in boxes}
        xs = {round(self.offsets[b.id][0]) for b in boxes}
        return len(ys) >= len(xs)

    def _descendants(self, cid: str) -> list[str]:
        out, todo, seen = [], list(self.cells[cid].children), {cid}
        while todo:
            child = todo.pop()
            if child in seen:
                continue
            seen.add(child)
            out.append(child)
            todo.extend(self.cells[child].children)
        return out

    def _lane_ancestors(self, cid: str) -> list[str]:
        """The swimlanes holding `cid`, itself first when it is one, innermost first."""
        chain, seen, current = [], set(), cid
        while current in self.cells and current not in seen:
            seen.add(current)
            if self._is_lane(self.cells[current]):
                chain.append(current)
            current = self.cells[current].parent
        return chain

    def _lane_for(self, cell: _Cell) -> str:
        for ancestor in self._lane_ancestors(cell.parent):
            if ancestor in self.draft.lanes:
                return ancestor
        x, y = self.offsets[cell.id]
        cx, cy = x + cell.width / 2, y + cell.height / 2
        inside = [
            k
            for k in self.lanes
            if self.offsets[k][0] <= cx <= self.offsets[k][0] + self.cells[k].width
            and self.offsets[k][1] <= cy <= self.offsets[k][1] + self.cells[k].height
        ]
        if inside:
            return min(inside, key=lambda k: self.cells[k].width * self.cells[k].height)
        if "page" in self.draft.lanes:
            return "page"
        nearest = min(self.lanes, key=lambda k: _distance(self.offsets[k], self.cells[k], cx, cy))
        self.draft.warn(
            cell.id, f"outside every lane: put in the nearest, {self.draft.lanes[nearest].name!r}"
        )
        return nearest

    # -- steps -----------------------------------------------------------------------------

    def _steps(self) -> None:
        incoming: dict[str, int] = {}
        outgoing: dict[str, int] = {}
        for cell in self.cells.values():
            if cell.edge:
                self.edges.append(cell)
                self.edges_from.setdefault(cell.source, []).append(cell)
                outgoing[cell.source] = outgoing.get(cell.source, 0) + 1
                incoming[cell.target] = incoming.get(cell.target, 0) + 1
        self.arrows_out = outgoing
        for cell in self.cells.values():
            if not cell.vertex or self._is_lane(cell) or cell.id in self.pools:
                continue
            parent = self.cells.get(cell.parent)
            if parent is not None and parent.edge:
                continue  # an edge's label, read with the edge
            joined = cell.id in incoming or cell.id in outgoing
            step_type = self._type(cell, joined, cell.id in outgoing)
            if step_type is None:
                continue
            x, y = self.offsets[cell.id]
            self.draft.steps[cell.id] = DraftStep(
                cell.id,
                self._lane_for(cell),
                self._label(cell),
                step_type,
                place=(x, y) if self.rows else (y, x),
                known_id=cell.id.removeprefix("step-")
                if self.ours and cell.id.startswith("step-")
                else None,
            )

    def _type(self, cell: _Cell, joined: bool, leaves: bool) -> StepType | None:
        names, shape, style = cell.names, cell.shape, cell.style
        words = names - {shape}
        symbol = style.get("symbol", "")
        if names & _QUIET and "group" in names and not joined:
            self.draft.used.add(cell.id)  # a group only holds shapes, read one by one
            return None
        if "text" in words and not joined:
            text = self._label(cell)
            self.draft.warn(cell.id, f"a text box: left out ({text[:40]!r})")
            return None
        if shape == "mxgraph.bpmn.shape" or shape == "mxgraph.bpmn.event":
            outline = style.get("outline", "")
            if symbol.endswith("Gw") or symbol == "gateway":
                return self._gateway(cell, symbol)
            if outline in ("catching", "boundInt", "boundNonint") and symbol == "timer":
                self.timers[cell.id] = self._timer_duration(cell)
                return None
            if outline in ("catching", "throwing", "boundInt", "boundNonint"):
                return StepType.ESCALATE if symbol == "escalation" else StepType.WAIT
            if outline == "end" or not leaves:
                return StepType.RESOLUTION
            return StepType.START
        if shape == "mxgraph.bpmn.gateway2":
            return self._gateway(cell, style.get("gwType", "exclusive"))
        if names & _DIAMONDS or style.get("perimeter") == "rhombusPerimeter":
            return StepType.DECISION
        if names & _TERMINATORS or (
            style.get("rounded") == "1" and _number(style.get("arcSize")) >= 50
        ):
            return StepType.START if leaves else StepType.RESOLUTION
        if shape in _TYPES:
            return _TYPES[shape]
        if shape in _FLOWCHART_STEPS and joined:
            self.draft.note(cell.id, f"a flowchart {shape!r} shape: imported as a task")
            return StepType.TASK
        known_box = shape in _BOXES and not (
            words - {"rounded", "whiteSpace", "html", "rect", "label"}
        )
        if known_box and not (names & {"image"}) and "image" not in style:
            if not self._label(cell) and not joined:
                self.draft.warn(cell.id, "an empty box joined to nothing: left out")
                return None
            return StepType.TASK
        what = shape or next(iter(sorted(words)), "shape")
        if joined:
            self.draft.warn(cell.id, f"shape {what!r}: imported as a task")
            return StepType.TASK
        self.draft.warn(cell.id, f"shape {what!r}, joined to nothing: left out")
        return None

    def _gateway(self, cell: _Cell, kind: str) -> StepType:
        if not kind.startswith("exclusive") and not kind.startswith("inclusive"):
            self.draft.warn(
                cell.id, f"a {kind} gateway: imported as a decision, one branch per arrow"
            )
        return StepType.DECISION

    def _timer_duration(self, cell: _Cell) -> Duration:
        text = self._label(cell)
        try:
            return parse_duration(text.removeprefix("after ").strip())
        except ValueError:
            spoken = spoken_duration(text)
            if spoken is not None:
                return spoken
            self.draft.warn(
                cell.id, f"a timer event whose label {text[:30]!r} is no duration: after 0m"
            )
            return Duration(0)

    # -- edges -----------------------------------------------------------------------------

    def _edge_label(self, edge: _Cell) -> str:
        parts = [self._label(edge)] if edge.value else []
        for child in edge.children:
            self.draft.used.add(child)  # a label cell: read here, or an empty one
            if self.cells[child].vertex and self.cells[child].value:
                parts.append(self._label(self.cells[child]))
        return "\n".join(p for p in parts if p)

    def _edges(self) -> None:
        self.plain_out: dict[str, int] = {}
        self.plain_in: dict[str, int] = {}
        for edge in self.edges:
            lane_end = edge.target in self.draft.lanes or edge.target in self.pools
            if not lane_end and not self._message_flow(edge):
                self.plain_out[edge.source] = self.plain_out.get(edge.source, 0) + 1
                self.plain_in[edge.target] = self.plain_in.get(edge.target, 0) + 1
        for edge in self.edges:
            source, target = edge.source, edge.target
            label = self._edge_label(edge)
            if source in self.timers:
                continue  # read from the edges that reach the timer
            if source in self.pools or (source in self.draft.lanes and source != "page"):
                self.draft.note(
                    edge.id,
                    "an arrow from a pool or lane (a message in): left out, "
                    "a definition has no incoming messages",
                )
                continue
            if source not in self.draft.steps:
                what = "nothing" if not source else f"{source!r}, not a step"
                self.draft.warn(edge.id, f"an arrow from {what}: left out")
                continue
            step = self.draft.steps[source]
            self.draft.used.add(edge.id)
            if target in self.pools:
                target = next((k for k in self.lanes if self._pool_of(k) == target), target)
                self.draft.note(edge.id, "an arrow to a pool: notify its first lane")
            elif self._message_flow(edge):
                if step.type is StepType.DECISION or self.plain_out.get(source, 0) == 0:
                    self.draft.note(
                        edge.id,
                        "a dashed arrow to another pool (a message): "
                        "the hand-over, imported as next",
                    )
                else:
                    receiver = self.draft.steps[target]
                    target = receiver.lane
                    self.draft.note(
                        edge.id,
                        "a dashed arrow to another pool (a message) beside the step's own "
                        "next: notify",
                    )
                    startable = receiver.type in _STARTABLE or (
                        receiver.type is StepType.RESOLUTION and self.plain_out.get(receiver.key)
                    )
                    if self.plain_in.get(receiver.key, 0) == 0 and startable:
                        receiver.type = StepType.START
                        self.draft.note(receiver.key, "reached only by a message: a start")
            if target in self.draft.lanes:
                step.notify.append(target)
                if not self.ours and label and label.lower() != ours.NOTIFY_WORD:
                    self.draft.note(
                        edge.id, f"an arrow to a lane: notify; its label {label!r} is not kept"
                    )
                continue
            when, after, severities = ours.parse_label(label or None, severities_too=self.ours)
            for to, extra in self._through_timers(edge, target, set()):
                total = after if extra is None else (extra if after is None else after + extra)
                step.edges.append(DraftEdge(to, when, total, severities))

    def _pool_of(self, cid: str) -> str:
        chain = self._lane_ancestors(cid)
        return chain[-1] if chain else ""

    def _message_flow(self, edge: _Cell) -> bool:
        """A dashed arrow between steps in two pools: BPMN's message flow, drawn."""
        if self.ours or edge.style.get("dashed") != "1":
            return False
        ends = (edge.source, edge.target)
        if not all(e in self.draft.steps for e in ends):
            return False
        return self._pool_of(edge.source) != self._pool_of(edge.target)

    def _tidy(self) -> None:
        """Joins left out and starts found, as a person reads a drawing (not our own)."""
        if self.ours:
            return
        incoming = {e.to for step in self.draft.steps.values() for e in step.edges}
        for key, step in list(self.draft.steps.items()):
            plain = [e for e in step.edges if e.after is None]
            lone = len(step.edges) == len(plain) == 1 and self.arrows_out.get(key) == 1
            lone = lone and not plain[0].when  # a labelled lone branch is an unfinished choice
            if step.type is StepType.DECISION and lone and key in incoming and plain[0].to != key:
                self.draft.drop_join(key)
        if not any(s.type is StepType.START for s in self.draft.steps.values()):
            incoming = {e.to for step in self.draft.steps.values() for e in step.edges}
            for key, step in self.draft.steps.items():
                if key not in incoming and step.edges and step.type is StepType.TASK:
                    step.type = StepType.START
                    self.draft.note(
                        key, "no start shape on the page: the step no arrow reaches is a start"
                    )

    def _through_timers(
        self, edge: _Cell, target: str, seen: set[str]
    ) -> list[tuple[str, Duration | None]]:
        if target in self.draft.steps:
            return [(target, None)]
        if target in self.timers and target not in seen:
            self.draft.used.add(target)
            out = []
            onwards = self.edges_from.get(target, [])
            self.draft.used.update(e.id for e in onwards)
            for onward in onwards:
                for to, extra in self._through_timers(onward, onward.target, seen | {target}):
                    wait = self.timers[target]
                    out.append((to, wait if extra is None else wait + extra))
            return out
        what = "nothing" if not target else f"{target!r}, not a step"
        self.draft.warn(edge.id, f"an arrow to {what}: left out")
        return []


def _number(text: str | None) -> float:
    try:
        return float(text or 0)
    except ValueError:
        return 0.0


def _distance(origin: tuple[float, float], cell: _Cell, cx: float, cy: float) -> float:
    dx = max(origin[0] - cx, 0.0, cx - origin[0] - cell.width)
    dy = max(origin[1] - cy, 0.0, cy - origin[1] - cell.height)
    return dx * dx + dy * dy
