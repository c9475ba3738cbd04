"""A chart page as the slide draws it, and how one is placed from a window of the layout.

The types here are the plan's output: lanes, steps and off-page references in slide
points, and the arrows to draw between them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from escalation_charts.ids import dom_id
from escalation_charts.layout.geometry import Box, EdgeRoute, LaneBand, Layout, StepBox
from escalation_charts.render.pptx.plan.windows import (
    PAD,
    REF_GAP,
    REF_HEIGHT,
    REF_WIDTH,
    StepText,
    Window,
)

__all__ = ["ChartPage", "ChartPlan", "OffPage", "PageEdge", "StepText", "place_pages"]


@dataclass(frozen=True)
class OffPage:
    """An off-page reference on this page, standing for `step` on slide page `page`."""

    key: str
    step: str
    page: int
    lane: str
    box: Box
    outgoing: bool  # True: arrows on this page lead to it


@dataclass(frozen=True)
class PageEdge:
    """An arrow to draw: between two steps, or a step and an off-page reference (`ref:` key)."""

    name: str
    source: str
    target: str
    kind: str
    label: str | None


@dataclass(frozen=True)
class ChartPage:
    """One slide of the chart, in slide points: lane bands, steps, references, arrows."""

    number: int
    lanes: tuple[LaneBand, ...]
    steps: tuple[StepBox, ...]
    refs: tuple[OffPage, ...]
    edges: tuple[PageEdge, ...]
    # (step, lane, x where the layout ends the arrow) for informed lanes on this page
    notify: tuple[tuple[str, str, float | None], ...]


@dataclass(frozen=True)
class ChartPlan:
    scale: float
    step_pt: float
    lane_pt: float
    pages: tuple[ChartPage, ...]
    min_pt: float = 9.0  # the smallest chart text on this deck's slides


# --- placing pages on the slide -------------------------------------------------------------


def place_pages(
    layout: Layout,
    steps: Mapping[str, StepText],
    windows: Sequence[Window],
    scale: float,
    area: Box,
) -> list[ChartPage]:
    page_of = {step.step: n for n, window in enumerate(windows) for step in window.steps}
    lane_of = {step_id: text.lane for step_id, text in steps.items()}
    return [
        _place_one(layout, n, window, scale, area, page_of, lane_of)
        for n, window in enumerate(windows)
    ]


def _place_one(
    layout: Layout,
    n: int,
    window: Window,
    scale: float,
    area: Box,
    page_of: Mapping[str, int],
    lane_of: Mapping[str, str],
) -> ChartPage:
    if window.whole:
        along = 0.0
        # A chart narrower than the area is centred; a shorter one sits at the top.
        left = area.x + (area.width - window.width * scale) / 2
    else:
        along = window.header + PAD + window.left_margin - window.start
        left = area.x
    shift_of = {b.lane: band[2] for b, band in zip(window.lanes, window.bands, strict=True)}

    def to_slide(x: float, y: float, w: float, h: float) -> Box:
        return Box(left + x * scale, area.y + y * scale, w * scale, h * scale)

    lanes = tuple(
        LaneBand(
            b.lane,
            to_slide(b.box.x, top, window.width, thickness),
            to_slide(b.header.x, top, b.header.width if window.whole else window.header, thickness),
        )
        for b, (top, thickness, _) in zip(window.lanes, window.bands, strict=True)
    )
    steps = tuple(
        StepBox(
            s.step,
            to_slide(
                s.box.x + along, s.box.y + shift_of[lane_of[s.step]], s.box.width, s.box.height
            ),
        )
        for s in window.steps
    )
    on_page = {s.step for s in window.steps}
    flow_at = {s.step: s.box.x for s in layout.steps}  # how far along the flow each step is
    page_lanes = {b.lane: b for b in lanes}
    edges: list[PageEdge] = []
    refs: dict[str, tuple[str, int, str, bool]] = {}
    notify: list[tuple[str, str, float | None]] = []
    for edge in layout.edges:
        if not edge.drawn:  # one glued connector per bundle of timers: its first edge's
            continue
        name = _edge_name(edge)
        if edge.kind == "notify":
            if edge.source in on_page and edge.target in page_lanes:
                end_x = edge.points[-1][0] + along if edge.points else None
                notify.append(
                    (edge.source, edge.target, None if end_x is None else left + end_x * scale)
                )
            continue
        src_here, dst_here = edge.source in on_page, edge.target in on_page
        if src_here and dst_here:
            edges.append(PageEdge(name, edge.source, edge.target, edge.kind, edge.label))
        elif src_here and edge.target in page_of:
            key = f"ref:to-{edge.target}"
            refs.setdefault(key, (edge.target, page_of[edge.target], lane_of[edge.source], True))
            edges.append(PageEdge(name, edge.source, key, edge.kind, edge.label))
        elif dst_here and edge.source in page_of:
            # One reference per arrow: arrows from one far step to several steps here
            # would otherwise leave one mark on top of each other.
            key = f"ref:from-{edge.source}-{edge.index}"
            refs.setdefault(key, (edge.source, page_of[edge.source], lane_of[edge.target], False))
            edges.append(PageEdge(f"{name}-in", key, edge.target, edge.kind, None))
    return ChartPage(
        number=n + 1,
        lanes=lanes,
        steps=steps,
        refs=_place_refs(refs, n, page_lanes, scale, window, flow_at),
        edges=tuple(edges),
        notify=tuple(notify),
    )


def _place_refs(
    refs: Mapping[str, tuple[str, int, str, bool]],
    here: int,
    lanes: Mapping[str, LaneBand],
    scale: float,
    window: Window,
    flow_at: Mapping[str, float],
) -> tuple[OffPage, ...]:
    """Stack references in their lane's band: at the right for later pages, at the left
    (after the lane names) for earlier ones. In a stack, references are in name order,
    except that the ones arrows go to take their places in the order their steps come in
    the flow: the arrow to the step the flow reaches later (a timer's escalation, past the
    step's own next step) then runs outermost, on the lane's free side, with room beside
    it for its label. Incoming references keep their places (moving them would send
    arrows from them round the steps they lead back to)."""
    slots: dict[tuple[str, bool], list[tuple[str, str, int]]] = {}
    for key, (step, page, lane, _) in refs.items():
        slots.setdefault((lane, page > here), []).append((key, step, page))
    placed: list[OffPage] = []
    for (lane, later), items in sorted(slots.items()):
        band = lanes[lane].box
        x = (
            band.right - REF_WIDTH - REF_GAP / 2
            if later
            else band.x + (window.header + PAD / 2) * scale
        )
        total = len(items) * REF_HEIGHT + (len(items) - 1) * REF_GAP
        y = band.y + max((band.height - total) / 2, REF_GAP)
        for key, step, page in _stacked(items, refs, flow_at):
            outgoing = refs[key][3]
            placed.append(
                OffPage(key, step, page, lane, Box(x, y, REF_WIDTH, REF_HEIGHT), outgoing)
            )
            y += REF_HEIGHT + REF_GAP
    return tuple(placed)


def _stacked(
    items: list[tuple[str, str, int]],
    refs: Mapping[str, tuple[str, int, str, bool]],
    flow_at: Mapping[str, float],
) -> list[tuple[str, str, int]]:
    """`items` in name order, the outgoing ones among their own places in flow order."""
    ordered = sorted(items)
    going = [n for n, item in enumerate(ordered) if refs[item[0]][3]]
    by_flow = sorted((ordered[n] for n in going), key=lambda i: (flow_at.get(i[1], 0.0), i[0]))
    for n, item in zip(going, by_flow, strict=True):
        ordered[n] = item
    return ordered


def _edge_name(edge: EdgeRoute) -> str:
    if edge.kind == "notify" or edge.index is None:
        return dom_id("notify", edge.source, edge.target)
    return dom_id("edge", edge.source, index=edge.index)
