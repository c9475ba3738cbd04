"""A chart too big for its page, cut into pages that each fit at 100 %.

Each page holds whole ranks along the flow (the deck's slide windows cut the same way)
and is laid out by the same passes 2 and 3 as the whole chart, from the one pass 1
(`bands.rank`): its lanes are as thick as its own steps need, its routes and labels are its
own, and every lane's header is repeated. An edge whose other end is on another page ends
at a numbered continuation mark in the target step's lane; on the target's page a mark
with the same number leads to the step, so a reader follows the number from page to page.
A page that is still too thick across the flow (many lanes of staggered steps) is cut
again along the flow, down to one rank.
"""

from __future__ import annotations

from collections.abc import Sequence

from escalation_charts.layout.bands import (
    ALONG_PAD,
    LEAD_PAD,
    Ranked,
    Stub,
    arrange,
    header_length,
    mark_margin,
    rank,
)
from escalation_charts.layout.geometry import Box, Continuation, Layout
from escalation_charts.model import Definition

__all__ = ["PAPER", "paged_layouts", "paper_size"]

# Portrait width and height in points (ISO 216, and the two US sizes).
PAPER: dict[str, tuple[float, float]] = {
    "A4": (595.28, 841.89),
    "A3": (841.89, 1190.55),
    "A2": (1190.55, 1683.78),
    "letter": (612.0, 792.0),
    "tabloid": (792.0, 1224.0),
}

_NOWHERE = Box(0.0, 0.0, 0.0, 0.0)  # a mark's box before its page places it


def paper_size(name: str, direction: str) -> tuple[float, float]:
    """The sheet for `--page NAME`: landscape for a chart that runs left to right, portrait
    for one that runs downwards (the flow gets the long side)."""
    width, height = PAPER[name]
    return (height, width) if direction == "LR" else (width, height)


def paged_layouts(
    definition: Definition,
    *,
    direction: str = "LR",
    severity: str | None = None,
    room: tuple[float, float],
    ranked: Ranked | None = None,
) -> list[Layout]:
    """The chart as pages whose layouts are each at most `room` (width, height) points.

    One page (the whole chart, without marks) when it fits. A page is only thicker
    across the flow than `room` when a single rank is, or when the lanes alone are (the
    caller sees it in the pages' sizes and says so).
    """
    ranked = ranked or rank(definition, direction=direction)
    lr = direction == "LR"
    flow_room, across_room = room if lr else (room[1], room[0])
    budget = flow_room - header_length(definition, direction) - ALONG_PAD - LEAD_PAD
    chunks = _chunks(ranked, budget, 0.0)
    if len(chunks) > 1:
        chunks = _chunks(ranked, budget, 2 * mark_margin(direction))
    # No cut along the flow makes the lanes thinner than their least (headers, empty
    # bands): past that, splitting pages would only make more of them.
    least = _across(arrange(definition, ranked, severity, members=(), route=False), lr)
    rounds = len(ranked.steps) if least <= across_room + 0.01 else 0
    for _ in range(rounds):  # each round splits at least one page
        stubs = _stubs(definition, ranked, chunks, severity)
        thick = [
            i
            for i, chunk in enumerate(chunks)
            if len(chunk) > 1
            and _across(_page(definition, ranked, severity, chunk, stubs[i], i, 1, False), lr)
            > across_room + 0.01
        ]
        if not thick:
            break
        for i in reversed(thick):
            chunks[i : i + 1] = _thinner(definition, ranked, severity, chunks[i], across_room)
    stubs = _stubs(definition, ranked, chunks, severity)
    if len(chunks) == 1:
        return [arrange(definition, ranked, severity)]
    return [
        _page(definition, ranked, severity, chunk, stubs[i], i, len(chunks), True)
        for i, chunk in enumerate(chunks)
    ]


def _across(layout: Layout, lr: bool) -> float:
    return layout.height if lr else layout.width


def _page(
    definition: Definition,
    ranked: Ranked,
    severity: str | None,
    chunk: Sequence[str],
    stubs: Sequence[Stub],
    index: int,
    count: int,
    route: bool,
) -> Layout:
    margin = mark_margin(ranked.direction)
    starts = any(not s.mark.at_end for s in stubs)
    ends = any(s.mark.at_end for s in stubs)
    return arrange(
        definition,
        ranked,
        severity,
        members=chunk,
        stubs=stubs,
        margins=(margin if starts else 0.0, margin if ends else 0.0),
        page=(index + 1, count),
        route=route,
    )


def _thinner(
    definition: Definition,
    ranked: Ranked,
    severity: str | None,
    chunk: Sequence[str],
    room: float,
) -> list[list[str]]:
    """A page too thick across the flow, cut into runs that each fit `room` (measured
    without their marks, which the next round adds): as long as they can be, so a thick
    page becomes two or three rather than one a step. Halved when no cut helps."""
    lr = ranked.direction == "LR"
    out: list[list[str]] = [[]]
    for step in chunk:
        trial = [*out[-1], step]
        if out[-1]:
            page = arrange(definition, ranked, severity, members=trial, route=False)
            if _across(page, lr) > room + 0.01:
                out.append([])
        out[-1].append(step)
    if len(out) == 1:
        half = len(chunk) // 2
        return [list(chunk[:half]), list(chunk[half:])]
    return out


def _chunks(ranked: Ranked, budget: float, margins: float) -> list[list[str]]:
    """Step ids in flow order, cut into runs no longer than `budget - margins` along the
    flow (a step never cut); then evened out so the last page is not a sliver."""
    order = sorted(ranked.steps, key=lambda s: (ranked.along[s.id], s.id))
    room = max(budget - margins, 1.0)

    def cut(limit: float) -> list[list[str]]:
        out: list[list[str]] = [[]]
        start = 0.0
        for step in order:
            half = ranked.extent(step.id) / 2
            centre = ranked.along[step.id]
            if out[-1] and centre + half - start > limit:
                out.append([])
            if not out[-1]:
                start = centre - half
            out[-1].append(step.id)
        return out

    fewest = cut(room)
    low, high = 0.3 * room, room
    for _ in range(12):  # the narrowest limit that still needs no more pages
        mid = (low + high) / 2
        if len(cut(mid)) <= len(fewest):
            high = mid
        else:
            low = mid
    return cut(high)


def _stubs(
    definition: Definition,
    ranked: Ranked,
    chunks: Sequence[Sequence[str]],
    severity: str | None,
) -> list[list[Stub]]:
    """Per page, the edges that cross to another page, each ending at its mark."""
    page_of = {step: n for n, chunk in enumerate(chunks) for step in chunk}
    lane_of = {s.id: s.lane for s in ranked.steps}
    crossing: list[tuple[str, int, str]] = []
    for step in ranked.steps:
        for index, edge in enumerate(step.next):
            if edge.to not in page_of or page_of[edge.to] == page_of[step.id]:
                continue
            if severity is not None and not edge.holds_for(severity):
                continue
            crossing.append((step.id, index, edge.to))
    targets = sorted({t for _, _, t in crossing}, key=lambda t: (page_of[t], ranked.along[t], t))
    number = {t: n for n, t in enumerate(targets, start=1)}
    sources: dict[tuple[str, bool], set[int]] = {}
    for source, _, target in crossing:
        later = page_of[source] > page_of[target]
        sources.setdefault((target, later), set()).add(page_of[source] + 1)
    out: list[list[Stub]] = [[] for _ in chunks]
    for source, index, target in crossing:
        here, there = page_of[source], page_of[target]
        mark = Continuation(
            key=f"cont-{number[target]}-out",
            number=number[target],
            step=target,
            lane=lane_of[target],
            box=_NOWHERE,
            outgoing=True,
            pages=(there + 1,),
            at_end=there > here,
        )
        out[here].append(Stub(mark, source, index))
    for (target, later), pages in sorted(
        sources.items(), key=lambda kv: (number[kv[0][0]], kv[0][1])
    ):
        mark = Continuation(
            key=f"cont-{number[target]}-in{'-end' if later else ''}",
            number=number[target],
            step=target,
            lane=lane_of[target],
            box=_NOWHERE,
            outgoing=False,
            pages=tuple(sorted(pages)),
            at_end=later,
        )
        out[page_of[target]].append(Stub(mark, target, None))
    return out
