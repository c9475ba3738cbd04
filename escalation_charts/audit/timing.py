"""When the flow can first engage each level, per severity, next to the matrix's time.

A ticket moves along plain edges at once (cost 0: someone decides) and along timer edges
after their `after` duration, so the earliest moment a level can be engaged is a shortest
path over timer durations from any start step to a step in that level's lane (Dijkstra;
steps + edges per severity, no path enumeration). Where that moment is later than the
matrix's time, the flow cannot meet the matrix.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from enum import StrEnum

from escalation_charts.audit.text import duration_text
from escalation_charts.durations import Duration
from escalation_charts.model import Definition, Lane, Severity, StepType

__all__ = ["Engagement", "TimingCheck", "earliest_engagement", "shortest_times"]


class TimingCheck(StrEnum):
    """The verdict on one severity x level; the value is the JSON spelling."""

    OK = "ok"
    NOT_USED = "not-used"
    FLOW_LATER = "flow-later-than-matrix"
    NEVER_REACHED = "never-reached"
    REACHED_BUT_NOT_USED = "reached-but-not-used"
    AT_OR_AFTER_RESOLVE = "at-or-after-resolve"
    MATRIX_MISSING = "matrix-missing"

    @property
    def ok(self) -> bool:
        return self in (TimingCheck.OK, TimingCheck.NOT_USED)

    @property
    def level(self) -> str:
        """`ok`; `error` where a validation rule fails too (matrix-missing,
        matrix-after-sla, matrix-flow-mismatch); else `warning`: the matrix is valid, but
        the flow cannot keep it, which only the audit sees."""
        if self.ok:
            return "ok"
        if self in (TimingCheck.FLOW_LATER, TimingCheck.NEVER_REACHED):
            return "warning"
        return "error"

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    TimingCheck.OK: "flow meets the matrix",
    TimingCheck.NOT_USED: "not used, and the flow never gets there",
    TimingCheck.FLOW_LATER: "the flow cannot engage it by the matrix time",
    TimingCheck.NEVER_REACHED: "the flow never engages this level",
    TimingCheck.REACHED_BUT_NOT_USED: "the flow reaches a level the matrix does not use",
    TimingCheck.AT_OR_AFTER_RESOLVE: "engaged at or after the resolve target",
    TimingCheck.MATRIX_MISSING: "no matrix cell to compare with",
}


@dataclass(frozen=True)
class Engagement:
    """One severity x level: the flow's earliest time, the matrix's time and the target.

    `earliest` is None when no walk of this severity reaches the lane; `path` is the steps
    of one earliest walk from a start step (empty then), and `timers` the timer edges on
    it that add time, as (from step, to step, after). `matrix` is None for `none` and
    for a missing cell (`matrix_missing`).
    """

    severity: Severity
    lane: Lane
    earliest: Duration | None
    path: tuple[str, ...]
    timers: tuple[tuple[str, str, Duration], ...]
    matrix: Duration | None
    matrix_missing: bool
    check: TimingCheck

    @property
    def legs(self) -> tuple[tuple[str, Duration | None], ...]:
        """The path as (step, timer taken into it or None): what a report prints."""
        timed = {to: after for _, to, after in self.timers}  # a shortest walk has no repeats
        return tuple((step, timed.get(step)) for step in self.path)

    def to_dict(self) -> dict[str, object]:
        return {
            "lane": self.lane.id,
            "level": self.lane.level,
            "earliest": duration_text(self.earliest) or None,
            "path": list(self.path),
            "timers": [{"from": a, "to": b, "after": duration_text(t)} for a, b, t in self.timers],
            "matrix": "missing" if self.matrix_missing else duration_text(self.matrix, "none"),
            "resolve": duration_text(self.severity.resolve) or None,
            "check": self.check.value,
            "meets_matrix": self.check.ok,
        }


def earliest_engagement(definition: Definition) -> tuple[tuple[Engagement, ...], ...]:
    """For each severity (most severe first), one Engagement per level (lowest first)."""
    return tuple(_for_severity(definition, sev) for sev in definition.severities)


def _for_severity(d: Definition, sev: Severity) -> tuple[Engagement, ...]:
    times, parent = shortest_times(d, sev.id)
    out = []
    for lane in d.leveled_lanes:
        reached = [s.id for s in d.steps_in(lane.id) if s.id in times]
        # min keeps the first of equals: ties go to the step written first in the lane
        first = min(reached, key=times.__getitem__, default=None)
        earliest = Duration(times[first]) if first is not None else None
        path, timers = _walk(parent, first) if first is not None else ((), ())
        cell = d.cell(sev.id, lane.id)
        matrix = cell.engage if cell is not None else None
        check = _check(sev, earliest, matrix, cell is None)
        out.append(Engagement(sev, lane, earliest, path, timers, matrix, cell is None, check))
    return tuple(out)


def _check(
    sev: Severity, earliest: Duration | None, matrix: Duration | None, missing: bool
) -> TimingCheck:
    if missing:
        return TimingCheck.MATRIX_MISSING
    if matrix is None:
        return TimingCheck.NOT_USED if earliest is None else TimingCheck.REACHED_BUT_NOT_USED
    if earliest is None:
        return TimingCheck.NEVER_REACHED
    if earliest > matrix:
        return TimingCheck.FLOW_LATER
    if sev.resolve is not None and matrix >= sev.resolve:
        return TimingCheck.AT_OR_AFTER_RESOLVE
    return TimingCheck.OK


Came = tuple[str, int] | None  # (previous step, seconds of the edge taken), None at a start


def shortest_times(d: Definition, severity: str) -> tuple[dict[str, int], dict[str, Came]]:
    """Seconds from the nearest start step to every step a `severity` ticket can reach.

    Returns the times and how each step was entered on one shortest walk (ties broken by the
    order steps are written, so the walk is the same on every run). Edges to unknown steps
    are skipped (the findings report them); a repeated step id counts once, as the
    validator counts it.
    """
    steps = {}
    for step in d.steps:
        steps.setdefault(step.id, step)
    rank = {step_id: n for n, step_id in enumerate(steps)}
    # The fourth item orders ties: a start (entered from nowhere) before a way into it, so
    # an edge into a start step still waiting in the heap is never compared with None.
    heap: list[tuple[int, int, str, tuple[str, int], Came]] = [
        (0, rank[s.id], s.id, ("", 0), None) for s in steps.values() if s.type is StepType.START
    ]
    heapq.heapify(heap)
    times: dict[str, int] = {}
    parent: dict[str, Came] = {}
    while heap:
        t, _, step_id, _, came_from = heapq.heappop(heap)
        if step_id in times:
            continue
        times[step_id], parent[step_id] = t, came_from
        for edge in steps[step_id].next:
            if edge.to in steps and edge.to not in times and edge.holds_for(severity):
                cost = edge.after.seconds if edge.after is not None else 0
                came = (step_id, cost)
                heapq.heappush(heap, (t + cost, rank[edge.to], edge.to, came, came))
    return times, parent


def _walk(
    parent: dict[str, Came], last: str
) -> tuple[tuple[str, ...], tuple[tuple[str, str, Duration], ...]]:
    """The steps from a start to `last`, and the timer edges taken on the way."""
    walk, timers = [last], []
    came = parent[last]
    while came is not None:
        previous, cost = came
        if cost:
            timers.append((previous, walk[-1], Duration(cost)))
        walk.append(previous)
        came = parent[previous]
    return tuple(reversed(walk)), tuple(reversed(timers))
