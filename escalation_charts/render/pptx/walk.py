"""The walkthrough of one severity: the way a ticket climbs, and when each level joins.

Pure functions of the model. The path shown is the one a trainer wants to explain: from a
start step up to the highest escalation level this severity can reach, then on to a
resolution, each part the shortest there is (plain hand-overs preferred to timers when
both are as short). Edges limited to other severities are not taken.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from escalation_charts.durations import Duration
from escalation_charts.model import Definition, Edge, Lane, StepType
from escalation_charts.validate.timing import LevelTiming, timing_analysis

__all__ = ["Engagement", "WalkStep", "Walkthrough", "engagements", "walkthrough"]

# Climbing, a timer is a real way up (a P1 goes to Tier 2 after 30 minutes) and is taken
# when no plain hand-over is as short; on the way down to a resolution, timers are
# fallbacks (auto-close after 3 days), taken only when there is no other way.
_CLIMB_TIMER = 1.001
_SETTLE_TIMER = 1000.0


@dataclass(frozen=True)
class WalkStep:
    """A step on the path, and the edge that led to it (None for the start)."""

    step: str
    lane: str
    via: Edge | None


@dataclass(frozen=True)
class Engagement:
    """When a level (lane) is engaged for the severity: `engage` None means not used,
    `missing` that the matrix has no cell for it. `earliest` is the flow's earliest time
    there (None: never) and `late` whether the matrix's time is one the flow cannot keep,
    both from the validator's timing analysis (the figures of `matrix-flow-timing`)."""

    lane: Lane
    engage: Duration | None
    missing: bool = False
    earliest: Duration | None = None
    late: bool = False

    @property
    def when(self) -> str:
        """`from 1h`, or `matrix 30m, but the flow needs 1h` when the flow cannot keep it."""
        if self.engage is None:
            return "not engaged"
        if not self.late:
            return f"from {self.engage.compact()}"
        if self.earliest is None:
            return f"matrix {self.engage.compact()}, but the flow never gets there"
        return f"matrix {self.engage.compact()}, but the flow needs {self.earliest.compact()}"


@dataclass(frozen=True)
class Walkthrough:
    severity: str
    path: tuple[WalkStep, ...]
    engagements: tuple[Engagement, ...]
    timers: tuple[tuple[str, Edge], ...]  # (source step id, timer edge) holding for it
    resolved: bool  # the path ends in a resolution


def walkthrough(
    definition: Definition,
    severity: str,
    analysis: tuple[tuple[LevelTiming, ...], ...] | None = None,
) -> Walkthrough:
    """The walkthrough of `severity` (an id of `definition.severities`); `analysis` is the
    validator's timing analysis when the caller has it already."""
    path = _escalation_path(definition, severity)
    resolved = bool(path) and (definition.steps_by_id[path[-1].step].type is StepType.RESOLUTION)
    timers = tuple(
        (step.id, edge)
        for step in definition.steps
        for edge in step.timer_edges
        if edge.holds_for(severity) and edge.to in definition.steps_by_id
    )
    engaged = engagements(definition, severity, analysis)
    return Walkthrough(severity, path, engaged, timers, resolved)


def engagements(
    definition: Definition,
    severity: str,
    analysis: tuple[tuple[LevelTiming, ...], ...] | None = None,
) -> tuple[Engagement, ...]:
    """Each leveled lane's matrix time for `severity` beside the flow's (read, not
    recomputed: `analysis` is `validate.timing.timing_analysis`, computed when not given)."""
    rows = analysis if analysis is not None else timing_analysis(definition)
    row = next((r for r in rows if r and r[0].severity.id == severity), ())
    return tuple(Engagement(t.lane, t.matrix, t.matrix_missing, t.earliest, t.late) for t in row)


def _edges(definition: Definition, step_id: str, severity: str) -> Iterable[Edge]:
    step = definition.steps_by_id[step_id]
    for edge in step.next:
        if edge.holds_for(severity) and edge.to in definition.steps_by_id:
            yield edge


def _shortest(
    definition: Definition, sources: list[str], severity: str, timer_cost: float
) -> tuple[dict[str, float], dict[str, tuple[str, Edge] | None]]:
    """Dijkstra from `sources` (ties broken by the order steps are written)."""
    order = {step.id: n for n, step in enumerate(definition.steps)}
    dist: dict[str, float] = {}
    back: dict[str, tuple[str, Edge] | None] = {}
    # `pushed` breaks the last ties (two edges from one step to the same step) before
    # the heap would have to compare Edge objects, which have no order.
    pushed = itertools.count()
    heap = [(0.0, order[s], s, "", next(pushed), None) for s in sources]
    heapq.heapify(heap)
    while heap:
        d, _, step_id, _, _, came = heapq.heappop(heap)
        if step_id in dist:
            continue
        dist[step_id], back[step_id] = d, came
        for edge in _edges(definition, step_id, severity):
            if edge.to not in dist:
                cost = d + (timer_cost if edge.is_timer else 1.0)
                entry = (cost, order[edge.to], edge.to, step_id, next(pushed), (step_id, edge))
                heapq.heappush(heap, entry)
    return dist, back


def _walk_back(
    back: dict[str, tuple[str, Edge] | None], definition: Definition, end: str
) -> list[WalkStep]:
    steps: list[WalkStep] = []
    current: str | None = end
    while current is not None:
        came = back[current]
        steps.append(
            WalkStep(current, definition.steps_by_id[current].lane, came[1] if came else None)
        )
        current = came[0] if came else None
    return steps[::-1]


def _escalation_path(definition: Definition, severity: str) -> tuple[WalkStep, ...]:
    starts = [s.id for s in definition.steps if s.type is StepType.START]
    if not starts:
        return ()
    order = {step.id: n for n, step in enumerate(definition.steps)}
    dist, back = _shortest(definition, starts[:1], severity, _CLIMB_TIMER)
    lanes = definition.lanes_by_id
    levels = {s: getattr(lanes.get(definition.steps_by_id[s].lane), "level", None) for s in dist}
    top = max((lvl for lvl in levels.values() if lvl is not None), default=None)
    peak = min(
        (s for s, lvl in levels.items() if lvl == top),
        key=lambda s: (dist[s], order[s]),
    )
    first = _walk_back(back, definition, peak)
    if definition.steps_by_id[peak].type is StepType.RESOLUTION:
        return tuple(first)
    dist2, back2 = _shortest(definition, [peak], severity, _SETTLE_TIMER)
    ends = [s for s in dist2 if definition.steps_by_id[s].type is StepType.RESOLUTION]
    if not ends:
        return tuple(first)
    end = min(ends, key=lambda s: (dist2[s], order[s]))
    return tuple(first + _walk_back(back2, definition, end)[1:])
