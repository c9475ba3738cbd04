"""Swim-lane geometry: Graphviz orders the flow, then lanes become fixed bands.

Graphviz clusters are not lanes (they are placed side by side, in any order, with
different lengths), so the chart is laid out in two passes:

1. `dot`, one cluster per lane, gives each step its place along the flow and the order of
   the steps inside their lane.
2. The lanes are stacked as bands in declared order, all the same length; each lane's steps
   move into their band by one offset (so they keep their relative places and cannot
   overlap), and Graphviz's spline router draws the edges around the pinned steps and
   lane headers.

The result is a `geometry.Layout` in points, origin top-left, that every drawing output
reads. `direction="TB"` swaps the axes: lanes become columns with their header on top.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from escalation_charts.frozen import Frozen
from escalation_charts.frozen import set_field as _set
from escalation_charts.layout import bundles as _bundles
from escalation_charts.layout import dot_text as _dot
from escalation_charts.layout import engine as _graphviz
from escalation_charts.layout import labels as _labels
from escalation_charts.layout import ports as _ports
from escalation_charts.layout import routing as _routing
from escalation_charts.layout import textfit
from escalation_charts.layout.geometry import (
    Box,
    Continuation,
    EdgeRoute,
    LaneBand,
    Layout,
    Point,
    StepBox,
)
from escalation_charts.model import Definition, Lane, Step, StepType

__all__ = [
    "BOLD_FONT",
    "DIRECTIONS",
    "EDGE_FONT_SIZE",
    "FONT",
    "HEADER_FONT_SIZE",
    "MARK_FONT",
    "STEP_FONT_SIZE",
    "LayoutError",
    "Ranked",
    "Stub",
    "arrange",
    "compute_layout",
    "edge_label",
    "header_length",
    "header_lines",
    "mark_margin",
    "rank",
    "reachable_steps",
    "step_is_bold",
    "step_lines",
    "step_shape",
]

DIRECTIONS = ("LR", "TB")
ALONG_PAD = 24.0  # space after the last step along the flow: room for routes round it
LEAD_PAD = 16.0  # space between the header and the first step (24 read as a gap of its
# own in every band; the routes that turn round a chart's end run past its last step)
FONT = "Arial"  # Helvetica's metrics; resolves to Liberation Sans or Arial (see render.svg)
BOLD_FONT = "Arial Bold"
STEP_FONT_SIZE = 11.0
HEADER_FONT_SIZE = 12.0
HEADER_NOTE_SIZE = 9.0
EDGE_FONT_SIZE = 9.0

_WRAP = {StepType.DECISION: 100.0, StepType.START: 100.0, StepType.RESOLUTION: 100.0}
_WRAP_DEFAULT = 108.0
_LR_HEADER_WIDTH = 148.0  # the widest header column when lanes are horizontal bands
_LR_HEADER_MIN = 96.0  # the narrowest, so the column still reads as the lanes' names
_HEADER_PAD = 12.0  # between a header's text and its column's sides
_TB_HEADER_WRAP = 150.0  # the widest a header's text gets when lanes are columns
_BAND_PAD = 20.0  # space between a band's edge and its outermost step
_ALONG_PAD = ALONG_PAD
_NODESEP = 0.55  # inches between steps of one rank (pass 1)
_RANKSEP = 0.38  # inches between ranks (pass 1): 27 pt, an arrowhead and 19 pt of line;
# an edge whose label needs a longer run gets a label room (see _rank_pass)


class LayoutError(ValueError):
    """The layout cannot be computed for these arguments (unknown direction or severity)."""


@dataclass(init=False, repr=False, eq=False)
class _Size(Frozen):
    """A width and height, in points."""

    width: float
    height: float

    def __init__(
        self,
        width: float,
        height: float,
    ) -> None:
        _set(self, "width", width)
        _set(self, "height", height)


def step_lines(step: Step) -> list[str]:
    """A step's label wrapped as it is drawn (escalations in bold, see `step_is_bold`)."""
    width = _WRAP.get(step.type, _WRAP_DEFAULT)
    return textfit.wrap(step.label, width, STEP_FONT_SIZE, bold=step_is_bold(step)) or [""]


def step_is_bold(step: Step) -> bool:
    """Escalations are written in bold: a hand-over must stand out, even in greyscale."""
    return step.type is StepType.ESCALATE


def step_shape(step: Step) -> str:
    """The Graphviz shape of a step: flowchart conventions."""
    if step.type is StepType.DECISION:
        return "diamond"
    if step.type in (StepType.START, StepType.RESOLUTION):
        return "ellipse"
    return "box"


def header_lines(lane: Lane, direction: str = "LR") -> tuple[list[str], list[str]]:
    """A lane header's text: the name (bold) wrapped, then a note (level, external)."""
    width = _LR_HEADER_WIDTH - 16 if direction == "LR" else _TB_HEADER_WRAP
    name = textfit.wrap(lane.name, width, HEADER_FONT_SIZE, bold=True)
    notes = []
    if lane.level is not None:
        notes.append(f"level {lane.level}")
    if lane.external:
        notes.append("external")
    return name, [" · ".join(notes)] if notes else []


def edge_label(
    step: Step, index: int, severity: str | None = None, order: Sequence[str] = ()
) -> str | None:
    """The text written on edge `index` of `step`: the branch, `after 2h` on timers, and
    the severities an edge is limited to (unless the chart is drawn for one severity).

    `order` is the severities' declared order: three or more in a row read `P1` dash `P3`.
    """
    edge = step.next[index]
    parts = [p for p in (edge.when, edge.after and f"after {edge.after.compact()}") if p]
    lines = [", ".join(parts)] if parts else []
    if edge.severities is not None and severity is None:
        lines.append(f"{_bundles.severity_list(edge.severities, order)} only")
    return "\n".join(lines) if lines else None


def _text_size(lines: Sequence[str], size: float, bold: bool = False) -> _Size:
    width = max((textfit.text_width(line, size, bold=bold) for line in lines), default=0.0)
    return _Size(width, textfit.line_height(size) * max(len(lines), 1))


def _step_size(step: Step) -> _Size:
    """The shape's size: the text plus the padding each flowchart shape needs."""
    text = _text_size(step_lines(step), STEP_FONT_SIZE, bold=step_is_bold(step))
    if step.type is StepType.DECISION:
        # A diamond holds a text rectangle when w/2W + h/2H <= 1; 1.7 and 2.5 leave a margin.
        return _Size(max(text.width * 1.65 + 16, 90.0), max(text.height * 2.6 + 12, 56.0))
    if step.type in (StepType.START, StepType.RESOLUTION):
        # An ellipse holds a rectangle scaled by sqrt(2).
        return _Size(
            max((text.width + 10) * math.sqrt(2), 96.0),
            max((text.height + 6) * math.sqrt(2), 42.0),
        )
    return _Size(max(text.width + 24, 84.0), max(text.height + 18, 40.0))


def _room_for_ports(
    definition: Definition,
    steps: Sequence[Step],
    sizes: Mapping[str, _Size],
    direction: str,
    extra: Mapping[str, int] | None = None,
) -> dict[str, _Size]:
    """Steps that many edges meet grow across the flow, so their ends can be spread
    `ports.SPREAD` apart along one side (a junction where a dozen branches close).
    `extra` counts more arrows coming in (a page's continuation marks)."""
    count = {s.id: (extra or {}).get(s.id, 0) for s in steps}
    for step, index, _ in _drawn_edges(definition, steps):
        count[step.next[index].to] += 1
    for step in steps:  # what leaves a step: its arrows (a bundle is one) and notify arrows
        arrows = len(_bundles.groups([(e.to, e) for e in step.next]))
        count[step.id] = max(count[step.id], arrows + len(step.notify))
    out = {}
    for step in steps:
        size, n = sizes[step.id], count[step.id]
        share = {"box": 1.0, "ellipse": 0.85, "diamond": 0.6}[step_shape(step)]
        need = ((n - 1) * _ports.SPREAD / share + 16) if n > 2 else 0.0
        if direction == "LR":
            out[step.id] = _Size(size.width, max(size.height, round(need, 2)))
        else:
            out[step.id] = _Size(max(size.width, round(need, 2)), size.height)
    return out


def reachable_steps(definition: Definition, severity: str | None) -> set[str]:
    """Steps a ticket of `severity` can reach from a start (all reachable ones when None)."""
    steps = definition.steps_by_id
    todo = [s.id for s in definition.steps if s.type is StepType.START]
    seen = set(todo)
    while todo:
        for edge in steps[todo.pop()].next:
            if edge.to in steps and edge.to not in seen:
                if severity is not None and not edge.holds_for(severity):
                    continue
                seen.add(edge.to)
                todo.append(edge.to)
    return seen


def compute_layout(
    definition: Definition,
    *,
    direction: str = "LR",
    severity: str | None = None,
    room: Callable[[Step], tuple[float, float, str]] | None = None,
) -> Layout:
    """The chart's geometry for `definition`.

    `direction` is `LR` (lanes are horizontal bands, flow runs left to right) or `TB` (lanes
    are columns, flow runs downwards). With `severity`, only edges that hold for it are
    routed and `Layout.dimmed` lists the steps a ticket of that severity never reaches;
    steps keep their places so charts of different severities line up. `room` gives each
    step's (width, height, shape) for formats whose shapes have fixed sizes and names
    outside them (BPMN); by default a step takes its flowchart shape (`step_shape`), as
    big as its wrapped label needs.
    """
    if direction not in DIRECTIONS:
        raise LayoutError(f"unknown direction {direction!r}; choose LR or TB")
    if severity is not None and severity not in definition.severities_by_id:
        known = ", ".join(s.id for s in definition.severities) or "none defined"
        raise LayoutError(f"unknown severity {severity!r}; known: {known}")
    return arrange(definition, rank(definition, direction=direction, room=room), severity)


@dataclass(init=False, repr=False, eq=False)
class Ranked(Frozen):
    """Pass 1's result: the drawn steps, their sizes and shapes, and each step's centre
    along the flow and across it. Every page of a paged chart is arranged from it."""

    direction: str
    steps: tuple[Step, ...]
    sizes: Mapping[str, _Size]
    shapes: Mapping[str, str]
    along: Mapping[str, float]
    across: Mapping[str, float]
    bare: Mapping[str, _Size]  # before `_room_for_ports`: a page recounts its own edges

    def __init__(
        self,
        direction: str,
        steps: tuple[Step, ...],
        sizes: Mapping[str, _Size],
        shapes: Mapping[str, str],
        along: Mapping[str, float],
        across: Mapping[str, float],
        bare: Mapping[str, _Size],
    ) -> None:
        _set(self, "direction", direction)
        _set(self, "steps", steps)
        _set(self, "sizes", sizes)
        _set(self, "shapes", shapes)
        _set(self, "along", along)
        _set(self, "across", across)
        _set(self, "bare", bare)

    def extent(self, step_id: str) -> float:
        """A step's size along the flow."""
        size = self.sizes[step_id]
        return size.width if self.direction == "LR" else size.height


@dataclass(init=False, repr=False, eq=False)
class Stub(Frozen):
    """An edge that crosses to another page: it ends (or starts) at `mark` on this page.
    `index` is None for the one arrow from an incoming mark to its step."""

    mark: Continuation
    step: str
    index: int | None

    def __init__(
        self,
        mark: Continuation,
        step: str,
        index: int | None,
    ) -> None:
        _set(self, "mark", mark)
        _set(self, "step", step)
        _set(self, "index", index)


def rank(
    definition: Definition,
    *,
    direction: str = "LR",
    room: Callable[[Step], tuple[float, float, str]] | None = None,
) -> Ranked:
    """Pass 1 for `definition`: where every step sits along and across the flow."""
    if direction not in DIRECTIONS:
        raise LayoutError(f"unknown direction {direction!r}; choose LR or TB")
    lanes = definition.lanes
    lane_ids = {lane.id for lane in lanes}
    # Drawn with --force: a step in an undefined lane has no band, and of steps sharing
    # an id only the one `steps_by_id` finds is drawn, so every output agrees on it.
    by_id = definition.steps_by_id
    steps = [s for s in definition.steps if s.lane in lane_ids and by_id[s.id] is s]
    if room is None:
        sizes = {s.id: _step_size(s) for s in steps}
        shapes = {s.id: step_shape(s) for s in steps}
    else:
        rooms = {s.id: room(s) for s in steps}
        sizes = {k: _Size(w, h) for k, (w, h, _) in rooms.items()}
        shapes = {k: shape for k, (_, _, shape) in rooms.items()}
    ported = _room_for_ports(definition, steps, sizes, direction)
    along, across = _rank_pass(definition, steps, ported, shapes, direction)
    return Ranked(direction, tuple(steps), ported, shapes, along, across, sizes)


def arrange(
    definition: Definition,
    ranked: Ranked,
    severity: str | None = None,
    *,
    members: Iterable[str] | None = None,
    stubs: Sequence[Stub] = (),
    margins: tuple[float, float] = (0.0, 0.0),
    page: tuple[int, int] | None = None,
    route: bool = True,
) -> Layout:
    """Passes 2 and 3: bands, boxes and routes for `members` (all steps when None).

    A page of a paged chart passes its steps, the `stubs` of the edges that cross to
    other pages (their marks get their box here, stacked in their lane at the page's
    start or end) and the room the marks take at each end (`margins`, along the flow).
    `route=False` leaves the edges out: the page's size only, without routing's cost.
    """
    direction = ranked.direction
    if severity is not None and severity not in definition.severities_by_id:
        known = ", ".join(s.id for s in definition.severities) or "none defined"
        raise LayoutError(f"unknown severity {severity!r}; known: {known}")
    wanted = set(members) if members is not None else None
    steps = [s for s in ranked.steps if wanted is None or s.id in wanted]
    shapes = dict(ranked.shapes)
    marks = list(dict.fromkeys(stub.mark for stub in stubs))
    if wanted is None:
        sizes = dict(ranked.sizes)
    else:  # a page: room for the ports of its own edges, not of the whole chart's
        incoming = {m.step: 0 for m in marks}
        for m in marks:
            incoming[m.step] += not m.outgoing
        sizes = _room_for_ports(definition, steps, ranked.bare, direction, incoming)
    minimums: dict[str, float] = {}
    for lane in definition.lanes:
        for side in (False, True):
            count = sum(m.lane == lane.id and m.at_end is side for m in marks)
            need = count * (_mark_across(direction) + MARK_GAP) + MARK_GAP
            minimums[lane.id] = max(minimums.get(lane.id, 0.0), need)
    bands, boxes, size = _place(
        definition, steps, sizes, ranked.along, ranked.across, direction, margins, minimums
    )
    placed = _place_marks(marks, bands, direction)
    for mark in placed:
        boxes[mark.key] = mark.box
        shapes[mark.key] = "box"
    by_key = {m.key: m for m in placed}
    stubs = [replace(stub, mark=by_key[stub.mark.key]) for stub in stubs]
    edges = (
        _route_pass(definition, steps, shapes, bands, boxes, size, direction, severity, stubs)
        if route
        else []
    )
    dimmed = ()
    if severity is not None:
        reached = reachable_steps(definition, severity)
        # on a page, also the far steps its marks stand for: a mark to a faded step fades
        shown = [s.id for s in steps] + [m.step for m in marks if m.step not in boxes]
        dimmed = tuple(dict.fromkeys(step for step in shown if step not in reached))
    return Layout(
        width=size[0],
        height=size[1],
        direction=direction,
        lanes=tuple(bands),
        steps=tuple(StepBox(s.id, boxes[s.id]) for s in steps),
        edges=tuple(edges),
        severity=severity,
        dimmed=dimmed,
        page=page,
        continuations=tuple(placed),
    )


MARK_SIZE = (52.0, 34.0)  # a continuation mark (width, height) in points
MARK_FONT = 9.0  # a mark's text (bold), in points
MARK_GAP = 8.0  # between stacked marks, and between a mark and its band's edge


def mark_margin(direction: str) -> float:
    """The room a page keeps along the flow at an end with marks: a mark and its runs."""
    along = MARK_SIZE[0] if direction == "LR" else MARK_SIZE[1]
    return along + 2 * MARK_GAP + 20.0


def _mark_across(direction: str) -> float:
    return MARK_SIZE[1] if direction == "LR" else MARK_SIZE[0]


def _place_marks(
    marks: Sequence[Continuation], bands: Sequence[LaneBand], direction: str
) -> list[Continuation]:
    """Each mark's box: stacked across its lane's band, centred, after the lane header
    (marks from or to earlier pages) or at the band's far end (later pages)."""
    band_of = {band.lane: band for band in bands}
    h = MARK_SIZE[1]
    out = []
    groups: dict[tuple[str, bool], list[Continuation]] = {}
    for mark in marks:
        groups.setdefault((mark.lane, mark.at_end), []).append(mark)
    for (lane, end), group in sorted(groups.items()):
        band = band_of[lane]
        across_size = _mark_across(direction)
        total = len(group) * across_size + (len(group) - 1) * MARK_GAP
        for n, mark in enumerate(group):
            w = max(MARK_SIZE[0], textfit.text_width(mark.lines[1], MARK_FONT, bold=True) + 18)
            if direction == "LR":
                x = band.box.right - MARK_GAP - w if end else band.header.right + MARK_GAP
                y = band.box.y + (band.box.height - total) / 2 + n * (h + MARK_GAP)
            else:
                y = band.box.bottom - MARK_GAP - h if end else band.header.bottom + MARK_GAP
                x = band.box.x + (band.box.width - total) / 2 + n * (w + MARK_GAP)
            out.append(replace(mark, box=_round_box(Box(x, y, w, h))))
    return out


# -- pass 1: ranks and in-lane order from dot ------------------------------------------


def _node_line(name: str, attrs: dict[str, str | float | None]) -> str:
    return f"  {_dot.quote(name)} {_dot.attr_list(attrs)};"


def _flow_edges(definition: Definition, steps: Iterable[Step]) -> Iterable[tuple[Step, int]]:
    """Every edge (source, index in `next`) whose target is a drawn step."""
    drawn = {s.id for s in steps}
    for step in steps:
        for index, edge in enumerate(step.next):
            if edge.to in drawn:
                yield step, index


def _drawn_edges(
    definition: Definition, steps: Sequence[Step]
) -> Iterable[tuple[Step, int, tuple[int, ...]]]:
    """One (source, index, bundle) per arrow drawn between drawn steps: timer edges to the
    same step are one arrow (`bundles`), given by its first edge and all their indices."""
    drawn = {s.id for s in steps}
    for step in steps:
        ends = [(e.to, e) for e in step.next]
        for group in _bundles.groups(ends):
            if step.next[group[0]].to in drawn:
                yield step, group[0], group


def _limits(count: int) -> str:
    """Bounds on dot's network-simplex passes for big charts: without them `newrank` with
    clusters takes minutes at 300 steps; with them, about a second, and pass 2 re-places
    every step across the flow anyway."""
    if count > 150:
        return ", nslimit=0.5"
    return ", nslimit=2" if count > 60 else ""


def _rank_pass(
    definition: Definition,
    steps: Sequence[Step],
    sizes: dict[str, _Size],
    shapes: dict[str, str],
    direction: str,
) -> tuple[dict[str, float], dict[str, float]]:
    """Each step's centre along the flow and across it, from `dot` with lane clusters."""
    lines = [
        "digraph pass1 {",
        f"  graph [rankdir={direction}, newrank=true, nodesep={_NODESEP}, "
        f"ranksep={_RANKSEP}, splines=false{_limits(len(steps))}];",
        '  node [fixedsize=true, label=""];',
    ]
    lane_of = {s.id: s.lane for s in steps}
    back = _back_edges(definition, steps)
    order = [s.id for s in definition.severities]
    rooms: dict[str, list[str]] = {}  # lane -> the label rooms in it
    edge_lines = []
    for step, index, bundle in _drawn_edges(definition, steps):
        target = step.next[index].to
        source_id, target_id = _dot.quote(step.id), _dot.quote(target)
        if lane_of[target] != step.lane:
            # A hand-over to another lane goes straight across (same rank) unless it
            # closes a loop: a loop back keeps its length, or it would fold onto itself.
            attrs = "" if (step.id, index) in back else " [minlen=0]"
            edge_lines.append(f"  {source_id} -> {target_id}{attrs};")
            continue
        label = (
            _bundles.bundle_label(step, bundle, None, order)
            if len(bundle) > 1
            else edge_label(step, index, None, order)
        )
        text = _text_size(label.split("\n") if label else [], EDGE_FONT_SIZE)
        # the run a label needs beside it: its width, air at both ends, the arrowhead
        need = text.width + 21
        if need <= _RANKSEP * 72 or target == step.id or (step.id, index) in back:
            edge_lines.append(f"  {source_id} -> {target_id};")
            continue
        # A label too long for the gap between two ranks gets a room between its two
        # steps (an empty node, one rank of its own), so it has a free run beside it
        # instead of squeezing between two close steps.
        room = _dot.quote(f"room:{step.id}:{index}")
        room_width = max(need - 2 * _RANKSEP * 72, 2.0)
        size = {"shape": "box", "width": room_width / 72, "height": (text.height + 8) / 72}
        rooms.setdefault(step.lane, []).append(f"    {room} {_dot.attr_list(size)};")
        edge_lines.append(f"  {source_id} -> {room} -> {target_id};")
    for lane_index, lane in enumerate(definition.lanes):
        lines.append(f"  subgraph {_dot.quote(f'cluster_{lane_index}')} {{")
        for step in steps:
            if step.lane == lane.id:
                size = sizes[step.id]
                attrs = {
                    "shape": shapes[step.id],
                    "width": size.width / 72,
                    "height": size.height / 72,
                }
                lines.append("  " + _node_line(step.id, attrs))
        lines += rooms.get(lane.id, [])
        lines.append("  }")
    lines += edge_lines
    lines.append("}")
    laid = _graphviz.lay_out("\n".join(lines), "dot")
    along, across = {}, {}
    for step in steps:
        x, y, _, _ = laid.nodes[step.id]
        if direction == "LR":
            along[step.id], across[step.id] = x, -y
        else:
            along[step.id], across[step.id] = -y, x
    return along, across


def _back_edges(definition: Definition, steps: Sequence[Step]) -> set[tuple[str, int]]:
    """The edges (source, index) that close a loop, found by a depth-first walk from the
    starts (then from any step not reached) in declared order, without recursion."""
    by_id = {s.id: s for s in steps}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    back: set[tuple[str, int]] = set()
    roots = [s for s in steps if s.type is StepType.START] + list(steps)
    for root in roots:
        if root.id in state:
            continue
        state[root.id] = 1
        stack = [(root, 0)]
        while stack:
            step, index = stack.pop()
            if index >= len(step.next):
                state[step.id] = 2
                continue
            stack.append((step, index + 1))
            target = step.next[index].to
            if target not in by_id:
                continue
            if state.get(target) == 1:
                back.add((step.id, index))
            elif target not in state:
                state[target] = 1
                stack.append((by_id[target], 0))
    return back


# -- pass 2: bands --------------------------------------------------------------------


def _place(
    definition: Definition,
    steps: Sequence[Step],
    sizes: Mapping[str, _Size],
    along: Mapping[str, float],
    across: Mapping[str, float],
    direction: str,
    margins: tuple[float, float] = (0.0, 0.0),
    minimums: Mapping[str, float] | None = None,
) -> tuple[list[LaneBand], dict[str, Box], tuple[float, float]]:
    """Stack the bands in declared order and move every step into its lane's band.

    `margins` is room kept along the flow before the first step and after the last (a
    page's continuation marks), `minimums` a band's least thickness by lane."""
    lr = direction == "LR"

    def extent(step: Step) -> tuple[float, float]:  # (along, across) size
        size = sizes[step.id]
        return (size.width, size.height) if lr else (size.height, size.width)

    headers = {lane.id: header_lines(lane, direction) for lane in definition.lanes}
    header_sizes = {
        lane_id: _header_text_size(name, note) for lane_id, (name, note) in headers.items()
    }
    header_along = header_length(definition, direction)
    if steps:
        lo = min(along[s.id] - extent(s)[0] / 2 for s in steps)
        hi = max(along[s.id] + extent(s)[0] / 2 for s in steps)
    else:
        lo = hi = 0.0
    start = header_along + LEAD_PAD + margins[0]
    length = round(start + (hi - lo) + _ALONG_PAD + margins[1], 2)

    extra = _handover_rooms(definition, steps, along, lr)
    bands: list[LaneBand] = []
    boxes: dict[str, Box] = {}
    offset = 0.0
    for number, lane in enumerate(definition.lanes):
        members = [s for s in steps if s.lane == lane.id]
        if members:
            top = min(across[s.id] - extent(s)[1] / 2 for s in members)
            bottom = max(across[s.id] + extent(s)[1] / 2 for s in members)
        else:
            top = bottom = 0.0
        hsize = header_sizes[lane.id]
        minimum = max((hsize.height if lr else hsize.width) + 24, (minimums or {}).get(lane.id, 0))
        # half of the room a labelled hand-over needs on each side of the border it crosses
        lead, trail = extra.get(number - 1, 0.0) / 2, extra.get(number, 0.0) / 2
        content = bottom - top + lead + trail
        thickness = round(max(content + 2 * _BAND_PAD, minimum, 72.0), 2)
        shift = offset + (thickness - content) / 2 + lead - top
        for step in members:
            a = along[step.id] - lo + start
            c = across[step.id] + shift
            ea, ec = extent(step)
            if lr:
                boxes[step.id] = Box(a - ea / 2, c - ec / 2, ea, ec)
            else:
                boxes[step.id] = Box(c - ec / 2, a - ea / 2, ec, ea)
        if lr:
            band = Box(0.0, offset, length, thickness)
            header = Box(0.0, offset, header_along, thickness)
        else:
            band = Box(offset, 0.0, thickness, length)
            header = Box(offset, 0.0, thickness, header_along)
        bands.append(LaneBand(lane.id, _round_box(band), _round_box(header)))
        offset = round(offset + thickness, 2)
    size = (length, offset) if lr else (offset, length)
    return bands, {k: _round_box(v) for k, v in boxes.items()}, size


def _handover_rooms(
    definition: Definition, steps: Sequence[Step], along: Mapping[str, float], lr: bool
) -> dict[int, float]:
    """Extra space across border `i` (between lanes i and i+1) that a labelled hand-over
    drawn straight across it needs: such an edge has no label room of its own (it stays on
    its rank, see `_rank_pass`), so its only run is the gap between the two bands, and a
    label longer than that gap has no place beside its edge that is clear of the others."""
    number = {lane.id: n for n, lane in enumerate(definition.lanes)}
    lane_of = {s.id: s.lane for s in steps}
    order = [s.id for s in definition.severities]
    extra: dict[int, float] = {}
    for step, index, bundle in _drawn_edges(definition, steps):
        target = step.next[index].to
        if abs(along[target] - along[step.id]) > 1.0:
            continue
        low, high = sorted((number[step.lane], number[lane_of[target]]))
        label = (
            _bundles.bundle_label(step, bundle, None, order)
            if len(bundle) > 1
            else edge_label(step, index, None, order)
        )
        if high != low + 1 or not label:
            continue
        text = _text_size(label.split("\n"), EDGE_FONT_SIZE)
        # the run the label needs beside it (as in `_rank_pass`): its extent along the
        # run, air at both ends, the arrowhead
        need = (text.height if lr else text.width) + 21 - 2 * _BAND_PAD
        if need > 0:
            extra[low] = max(extra.get(low, 0.0), need)
    return extra


def header_length(definition: Definition, direction: str) -> float:
    """How long the lane headers are along the flow (the column or row they form)."""
    if direction == "LR":
        # as wide as the widest header needs (wrapped at most `_LR_HEADER_WIDTH`): a
        # column of short names at the full width is width the chart spends on nothing
        sizes = [_header_text_size(*header_lines(lane, direction)) for lane in definition.lanes]
        need = max((s.width for s in sizes), default=0.0) + 2 * _HEADER_PAD
        return round(min(max(need, _LR_HEADER_MIN), _LR_HEADER_WIDTH), 2)
    sizes = [_header_text_size(*header_lines(lane, direction)) for lane in definition.lanes]
    return max((s.height for s in sizes), default=0.0) + 20


def _header_text_size(name: Sequence[str], note: Sequence[str]) -> _Size:
    main = _text_size(name, HEADER_FONT_SIZE, bold=True)
    extra = _text_size(note, HEADER_NOTE_SIZE) if note else _Size(0.0, 0.0)
    return _Size(max(main.width, extra.width), main.height + extra.height)


def _round_box(box: Box) -> Box:
    """Boxes on a 0.01 pt grid, so the numbers every output writes are stable."""
    return Box(round(box.x, 2), round(box.y, 2), round(box.width, 2), round(box.height, 2))


# -- pass 3: edge routes -------------------------------------------------------------


def _route_pass(
    definition: Definition,
    steps: Sequence[Step],
    shapes: dict[str, str],
    bands: Sequence[LaneBand],
    boxes: dict[str, Box],
    size: tuple[float, float],
    direction: str,
    severity: str | None,
    stubs: Sequence[Stub] = (),
) -> list[EdgeRoute]:
    """Route flow and timer edges (Graphviz, around steps and headers), then the notify
    arrows, then place the edge labels where they cover nothing.

    `stubs` are a page's edges to and from its continuation marks (whose boxes are in
    `boxes`): routed like the others, the mark standing for the step on the other page."""
    along_x = direction == "LR"
    order = [s.id for s in definition.severities]
    obstacles = [_routing.Obstacle(s.id, boxes[s.id], shapes[s.id]) for s in steps]
    obstacles += [_routing.Obstacle(m.key, boxes[m.key], "box") for m in _marks_of(stubs)]
    strip = _header_strip(bands)
    if strip is not None:
        obstacles.insert(0, _routing.Obstacle("headers", strip))
    wanted: list[_Wanted] = []
    for step, index in _flow_edges(definition, steps):
        if severity is None or step.next[index].holds_for(severity):
            wanted.append(_Wanted(f"e{len(wanted)}", step, index, step.id, step.next[index].to))
    by_id = definition.steps_by_id
    for stub in stubs:
        if stub.mark.outgoing and stub.index is not None:
            source = by_id[stub.step]
            wanted.append(_Wanted(f"e{len(wanted)}", source, stub.index, stub.step, stub.mark.key))
        else:
            target = by_id[stub.step]
            wanted.append(_Wanted(f"e{len(wanted)}", target, None, stub.mark.key, stub.step))
    band_of = {band.lane: band.box for band in bands}
    lane_band = {s.id: band_of[s.lane] for s in steps}
    lane_band.update({m.key: band_of[m.lane] for m in _marks_of(stubs)})
    # Timer edges between the same two ends are one arrow: routed, spread and labelled
    # once, by their first edge (`bundles`); the others take its route.
    ends = [
        ((w.source, w.target), None if w.index is None else w.step.next[w.index]) for w in wanted
    ]
    bundle_of: dict[str, tuple[int, ...]] = {}
    leader_of: dict[str, str] = {}
    for group in _bundles.groups(ends):
        first = wanted[group[0]]
        for position in group:
            leader_of[wanted[position].key] = first.key
            if len(group) > 1:
                bundle_of[wanted[position].key] = tuple(
                    wanted[p].index for p in group if wanted[p].index is not None
                )
    leaders = [w for w in wanted if leader_of[w.key] == w.key]
    routed = _routing.route_edges(
        obstacles,
        [(w.key, w.source, w.target) for w in leaders],
        along_x=along_x,
        bands=lane_band,
    )
    paths = {
        w.key: routed.get(w.key)
        or _routing.straight(boxes[w.source].center, boxes[w.target].center)
        for w in leaders
    }
    notify = _notify_routes(steps, bands, boxes, shapes, along_x)
    paths, notify = _spread(leaders, paths, notify, boxes, shapes, bands, not along_x)
    placer = _labels.LabelPlacer(
        [*paths.values(), *(route.points for route in notify)],
        obstacles + [_routing.Obstacle(f"header:{b.lane}", b.header) for b in bands],
        Box(0.0, 0.0, size[0], size[1]),
    )
    number_of = {w.key: n for n, w in enumerate(leaders)}
    routes = []
    for w in wanted:
        points = paths[leader_of[w.key]]
        if w.index is None:  # from an incoming mark to its step: the label is on the other page
            routes.append(EdgeRoute(w.source, w.target, "flow", None, points))
            continue
        edge = w.step.next[w.index]
        bundle = bundle_of.get(w.key, ())
        forms: list[str] = []
        if not bundle:
            label = edge_label(w.step, w.index, severity, order)
        elif leader_of[w.key] == w.key:
            label, *forms = _bundles.bundle_forms(w.step, bundle, severity, order)
        else:  # a bundle's other member: the first one's label names it
            label = None
        label_pos = None
        if label:
            label_pos, label = placer.place_text(number_of[w.key], label, EDGE_FONT_SIZE, forms)
        kind = "timer" if edge.is_timer else "flow"
        routes.append(
            EdgeRoute(w.source, w.target, kind, w.index, points, label, label_pos, bundle)
        )
    # A notify arrow ends in a tag naming the lane it informs, so it never reads as an
    # arrow that stops at a border (or, after crossing a lane, at the wrong one).
    names = {lane.id: lane.name for lane in definition.lanes}
    for number, route in enumerate(notify, start=len(leaders)):
        for width in (110, 70, 45):  # narrower, on more lines, where the first does not fit
            tag = "\n".join(textfit.wrap(names[route.target], width, EDGE_FONT_SIZE))
            at = placer.place_at_end(number, tag, EDGE_FONT_SIZE, band_of[route.target])
            if at is not None:
                break
        routes.append(replace(route, label=tag if at else None, label_pos=at))
    return routes


@dataclass(init=False, repr=False, eq=False)
class _Wanted(Frozen):
    """An edge to route: its key, the step it belongs to and its index in that step's
    `next` (None: an incoming mark's arrow), and the obstacles it runs between."""

    key: str
    step: Step
    index: int | None
    source: str
    target: str

    def __init__(
        self,
        key: str,
        step: Step,
        index: int | None,
        source: str,
        target: str,
    ) -> None:
        _set(self, "key", key)
        _set(self, "step", step)
        _set(self, "index", index)
        _set(self, "source", source)
        _set(self, "target", target)


def _marks_of(stubs: Sequence[Stub]) -> list[Continuation]:
    return list(dict.fromkeys(stub.mark for stub in stubs))


def _spread(
    wanted: Sequence[_Wanted],
    paths: dict[str, tuple[Point, ...]],
    notify: list[EdgeRoute],
    boxes: dict[str, Box],
    shapes: dict[str, str],
    bands: Sequence[LaneBand],
    vertical: bool,
) -> tuple[dict[str, tuple[Point, ...]], list[EdgeRoute]]:
    """The routes with their crowded ends spread along the sides of their steps, and off
    the lane borders (`vertical`: the bands are columns)."""
    borders = sorted({b.box.x if vertical else b.box.y for b in bands[1:]})
    corners = {key: _ports.vertices(points) for key, points in paths.items()}
    ports = []
    for w in wanted:
        ports += [_ports.Port(w.key, w.source, True), _ports.Port(w.key, w.target, False)]
    for number, route in enumerate(notify):
        corners[f"n{number}"] = _ports.vertices(route.points)
        ports.append(_ports.Port(f"n{number}", route.source, True))
    free = {f"n{number}" for number in range(len(notify))}
    _ports.spread_ports(corners, ports, boxes, shapes, free)
    for key in paths:
        corners[key] = _ports.off_borders(corners[key], borders, vertical)
    spread = {key: _routing.polyline(_ports.corners(corners[key])) for key in paths}
    moved = [
        replace(route, points=_routing.polyline(_ports.corners(corners[f"n{number}"])))
        for number, route in enumerate(notify)
    ]
    return spread, moved


def _header_strip(bands: Sequence[LaneBand]) -> Box | None:
    """The box covering every lane header (a column for LR, a row for TB)."""
    if not bands:
        return None
    x0 = min(b.header.x for b in bands)
    y0 = min(b.header.y for b in bands)
    x1 = max(b.header.right for b in bands)
    y1 = max(b.header.bottom for b in bands)
    return Box(x0, y0, x1 - x0, y1 - y0)


def _notify_routes(
    steps: Sequence[Step],
    bands: Sequence[LaneBand],
    boxes: dict[str, Box],
    shapes: dict[str, str],
    along_x: bool,
) -> list[EdgeRoute]:
    """Dotted arrows from a step to the near edge of each lane it keeps informed."""
    band_of = {band.lane: band for band in bands}
    routes = []
    for step in steps:
        own = band_of[step.lane].box
        taken: list[float] = []
        for lane_id in step.notify:
            band = band_of.get(lane_id)
            if band is None or lane_id == step.lane:
                continue
            target = band.box
            if along_x:
                end = target.y + 4 if target.y > own.y else target.bottom - 4
            else:
                end = target.x + 4 if target.x > own.x else target.right - 4
            others = [boxes[s.id] for s in steps if s.id != step.id]
            source = _routing.Obstacle(step.id, boxes[step.id], shapes[step.id])
            points = _routing.notify_route(source, end, others, taken, along_x=along_x)
            routes.append(EdgeRoute(step.id, lane_id, "notify", None, points))
    return routes
