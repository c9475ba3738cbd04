"""Helpers for the deck tests (no tests here): a small hand-built layout, deck reading."""

from __future__ import annotations

import io
from collections import deque

from pptx import Presentation
from pptx.oxml.ns import qn

from escalation_charts.geometry import Box, EdgeRoute, LaneBand, Layout, StepBox
from escalation_charts.model import Definition

HEADER = 110.0
STEP_W, STEP_H = 118.0, 50.0
RANK_GAP, ROW_GAP, PAD = 46.0, 18.0, 14.0


def grid_layout(definition: Definition, direction: str = "LR") -> Layout:
    """A plain layout built by hand: ranks by breadth-first order from the starts, lanes
    stacked in declared order. It only follows the `geometry` contract, so the deck can be
    tested without Graphviz."""
    steps = definition.steps_by_id
    rank: dict[str, int] = {}
    queue = deque(s.id for s in definition.steps if s.type.value == "start")
    for s in queue:
        rank[s] = 0
    while queue:
        current = queue.popleft()
        for edge in steps[current].next:
            if edge.to in steps and edge.to not in rank:
                rank[edge.to] = rank[current] + 1
                queue.append(edge.to)
    for s in definition.steps:
        rank.setdefault(s.id, 0)
    lanes, boxes, y = [], {}, 0.0
    for lane in definition.lanes:
        rows: dict[int, int] = {}
        members = [s for s in definition.steps if s.lane == lane.id]
        for s in members:
            row = rows.get(rank[s.id], 0)
            rows[rank[s.id]] = row + 1
            boxes[s.id] = Box(
                HEADER + PAD + rank[s.id] * (STEP_W + RANK_GAP),
                y + PAD + row * (STEP_H + ROW_GAP),
                STEP_W,
                STEP_H,
            )
        height = 2 * PAD + max(max(rows.values(), default=1), 1) * (STEP_H + ROW_GAP) - ROW_GAP
        lanes.append((lane.id, y, height))
        y += height
    width = HEADER + 2 * PAD + (max(rank.values(), default=0) + 1) * (STEP_W + RANK_GAP)
    bands = tuple(
        LaneBand(lane_id, Box(0, top, width, h), Box(0, top, HEADER, h))
        for lane_id, top, h in lanes
    )
    edges = []
    for s in definition.steps:
        for n, edge in enumerate(s.next):
            if edge.to not in boxes:
                continue
            label = edge.when
            if edge.after is not None:
                label = f"after {edge.after.compact()}"
                if edge.severities:
                    label += " (" + ", ".join(edge.severities) + ")"
            kind = "timer" if edge.after is not None else "flow"
            a, b = boxes[s.id].center, boxes[edge.to].center
            edges.append(EdgeRoute(s.id, edge.to, kind, n, (a, a, b, b), label, None))
        for lane_id in s.notify:
            band = next(b for b in bands if b.lane == lane_id)
            a, b = boxes[s.id].center, band.header.center
            edges.append(EdgeRoute(s.id, lane_id, "notify", None, (a, a, b, b)))
    return Layout(
        width, y, direction, bands, tuple(StepBox(k, v) for k, v in boxes.items()), tuple(edges)
    )


def read_deck(data: bytes):  # type: ignore[no-untyped-def]
    return Presentation(io.BytesIO(data))


def glue(connector) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:  # type: ignore[no-untyped-def]
    """(shape id, connection index) of a connector's begin and end, or None if loose."""
    nv = connector._element.find(qn("p:nvCxnSpPr")).find(qn("p:cNvCxnSpPr"))
    out = []
    for tag in ("a:stCxn", "a:endCxn"):
        el = nv.find(qn(tag))
        out.append(None if el is None else (int(el.get("id")), int(el.get("idx"))))
    return out[0], out[1]
