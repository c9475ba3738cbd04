"""The flow's clock: when each level can first be engaged, per severity, and whether a
timer drives it (SPEC.md, "Time in the flow").

A ticket enters a start step at 0. A plain edge or a decision's branch is taken when
someone decides (cost 0); a timer edge `after: d` is taken `d` after the ticket entered its
step. A lane is engaged when the ticket first enters one of its steps.

- **earliest**: the shortest time from any start to a step of the lane over the edges that
  hold for the severity (Dijkstra over timer durations, one run per severity).
- **timed**: the fastest walk that first enters the lane after taking at least one timer
  edge that holds for the severity (Dijkstra over (step, timer taken yet) with the lane's
  steps as ends, one run per severity and level). None means only someone's decision ever
  escalates there: nothing in the flow enforces the matrix's time.

This is the one computation of these times: the rules `matrix-flow-timing` and
`matrix-untimed` (`validate.matrix`), the audit's timing table, the deck's walkthroughs and
`diff` all read it. It tolerates broken definitions (they are drawn with `--force`): an
edge to a step that does not exist is skipped, a repeated step id counts once (the first
written, as every lookup does), a missing matrix cell is reported as missing.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from escalation_charts.durations import Duration
from escalation_charts.model import Definition, Lane, MatrixCell, Severity, StepType

__all__ = ["LevelTiming", "Route", "TimingCheck", "timing_analysis"]


class TimingCheck(StrEnum):
    """The verdict on one severity x level; the value is the JSON spelling.

    Each one that is not `ok` is the audit's view of a validation finding (`rule`), so the
    report's timing table and its findings say the same thing.
    """

    OK = "ok"
    NOT_USED = "not-used"
    FLOW_LATER = "flow-later-than-matrix"
    NEVER_REACHED = "never-reached"
    UNTIMED = "untimed"
    REACHED_BUT_NOT_USED = "reached-but-not-used"
    AT_OR_AFTER_RESOLVE = "at-or-after-resolve"
    MATRIX_MISSING = "matrix-missing"

    @property
    def ok(self) -> bool:
        return self in (TimingCheck.OK, TimingCheck.NOT_USED)

    @property
    def rule(self) -> str | None:
        """The validation rule that reports this cell, None when it passes."""
        return _RULES[self]

    @property
    def level(self) -> str:
        """`ok`, or the level of the rule that reports it (`error` or `warning`)."""
        return "warning" if self is TimingCheck.UNTIMED else "ok" if self.ok else "error"

    @property
    def title(self) -> str:
        return _TITLES[self]


_RULES: dict[TimingCheck, str | None] = {
    TimingCheck.OK: None,
    TimingCheck.NOT_USED: None,
    TimingCheck.FLOW_LATER: "matrix-flow-timing",
    TimingCheck.NEVER_REACHED: "matrix-flow-timing",
    TimingCheck.UNTIMED: "matrix-untimed",
    TimingCheck.REACHED_BUT_NOT_USED: "matrix-flow-mismatch",
    TimingCheck.AT_OR_AFTER_RESOLVE: "matrix-after-sla",
    TimingCheck.MATRIX_MISSING: "matrix-missing",
}

_TITLES = {
    TimingCheck.OK: "flow meets the matrix",
    TimingCheck.NOT_USED: "not used, and the flow never gets there",
    TimingCheck.FLOW_LATER: "the flow cannot engage it by the matrix time",
    TimingCheck.NEVER_REACHED: "the flow never engages this level",
    TimingCheck.UNTIMED: "no timer enforces the matrix time",
    TimingCheck.REACHED_BUT_NOT_USED: "the flow reaches a level the matrix does not use",
    TimingCheck.AT_OR_AFTER_RESOLVE: "engaged at or after the resolve target",
    TimingCheck.MATRIX_MISSING: "no matrix cell to compare with",
}


@dataclass(frozen=True)
class Route:
    """One walk from a start step: the steps (ids), the timer taken into each (None for a
    start or a plain edge), and the time the last step is entered."""

    steps: tuple[str, ...]
    afters: tuple[Duration | None, ...]
    time: Duration

    @property
    def timers(self) -> tuple[tuple[str, str, Duration], ...]:
        """The timer edges on the walk, as (from step, to step, after)."""
        return tuple(
            (self.steps[n - 1], self.steps[n], after)
            for n, after in enumerate(self.afters)
            if after is not None and n
        )

    @property
    def legs(self) -> tuple[tuple[str, Duration | None], ...]:
        """The walk as (step, timer taken into it or None): what a report prints."""
        return tuple(zip(self.steps, self.afters, strict=True))

    def text(self, definition: Definition, arrow: str = " -> ", most: int | None = None) -> str:
        """`Report -> Log -> [after 15m] Escalate to Tier 2`: labels, not ids, with the
        timers where they are taken (an unknown id, possible only with errors, as itself).

        With `most`, a longer walk keeps its first and last steps and every timer (with the
        step it leaves from), the plain steps between them said as `... 40 more steps ...`:
        a one-line message about a 300-step process stays readable.
        """
        by_id = definition.steps_by_id
        parts = []
        for step, after in self.legs:
            label = by_id[step].label if step in by_id else step
            parts.append(f"[after {after.compact()}] {label}" if after is not None else label)
        if most is None or len(parts) <= most:
            return arrow.join(parts)
        keep = {0, 1, len(parts) - 2, len(parts) - 1}
        keep |= {n for n, after in enumerate(self.afters) if after is not None}
        keep |= {n - 1 for n, after in enumerate(self.afters) if after is not None and n}
        out: list[str] = []
        skipped = 0
        for n, part in enumerate(parts):
            if n in keep:
                if skipped:
                    out.append(f"... {skipped} more step{'s' * (skipped != 1)} ...")
                    skipped = 0
                out.append(part)
            else:
                skipped += 1
        return arrow.join(out)


@dataclass(frozen=True)
class LevelTiming:
    """One severity x leveled lane: the matrix's time next to the flow's.

    `fastest` is a walk that engages the lane earliest (None: never for this severity);
    `timed` the fastest walk into the lane that a timer holding for the severity drives
    (None: no timer does). `cell` is None when the matrix has no cell.
    """

    severity: Severity
    lane: Lane
    cell: MatrixCell | None
    fastest: Route | None
    timed: Route | None

    @property
    def earliest(self) -> Duration | None:
        return self.fastest.time if self.fastest is not None else None

    @property
    def matrix(self) -> Duration | None:
        """The matrix's time; None for `none` and for a missing cell (`matrix_missing`)."""
        return self.cell.engage if self.cell is not None else None

    @property
    def matrix_missing(self) -> bool:
        return self.cell is None

    @property
    def late(self) -> bool:
        """The matrix engages the level at a time the flow cannot keep."""
        return self.check in (TimingCheck.FLOW_LATER, TimingCheck.NEVER_REACHED)

    @cached_property
    def check(self) -> TimingCheck:
        sev, earliest, matrix = self.severity, self.earliest, self.matrix
        if self.cell is None:
            return TimingCheck.MATRIX_MISSING
        if matrix is None:
            return TimingCheck.NOT_USED if earliest is None else TimingCheck.REACHED_BUT_NOT_USED
        if earliest is None:
            return TimingCheck.NEVER_REACHED
        if earliest > matrix:
            return TimingCheck.FLOW_LATER
        if sev.resolve is not None and matrix >= sev.resolve:
            return TimingCheck.AT_OR_AFTER_RESOLVE
        if self.needs_timer and self.timed is None:
            return TimingCheck.UNTIMED
        return TimingCheck.OK

    @property
    def needs_timer(self) -> bool:
        """Levels above 1 are engaged by escalating; level 1 takes the ticket as it comes."""
        return self.lane.level is not None and self.lane.level > 1


def timing_analysis(definition: Definition) -> tuple[tuple[LevelTiming, ...], ...]:
    """For each severity (most severe first), one LevelTiming per leveled lane (lowest
    level first)."""
    graph = _TimedGraph(definition)
    return tuple(_for_severity(definition, graph, sev) for sev in definition.severities)


def _for_severity(d: Definition, graph: _TimedGraph, sev: Severity) -> tuple[LevelTiming, ...]:
    routes = graph.routes(sev.id)
    return tuple(
        LevelTiming(sev, lane, d.cell(sev.id, lane.id), *routes[lane.id])
        for lane in d.leveled_lanes
    )


Adjacency = list[list[tuple[int, int, bool]]]  # per step: (target, seconds, is a timer)


class _TimedGraph:
    """The steps as indices (the first of a repeated id wins) and their edges with costs;
    each severity's adjacency is built once per distinct set of limited edges."""

    def __init__(self, d: Definition) -> None:
        index: dict[str, int] = {}
        steps = []
        for step in d.steps:
            if step.id not in index:
                index[step.id] = len(steps)
                steps.append(step)
        self.ids = [s.id for s in steps]
        self.starts = [i for i, s in enumerate(steps) if s.type is StepType.START]
        self.in_lane: dict[str, list[int]] = {}
        for i, s in enumerate(steps):
            self.in_lane.setdefault(s.lane, []).append(i)
        self._common: Adjacency = [[] for _ in steps]
        self._limited: list[tuple[int, tuple[int, int, bool], frozenset[str]]] = []
        for i, s in enumerate(steps):
            for edge in s.next:
                target = index.get(edge.to)
                if target is None:
                    continue  # unknown-reference reports it; the rest of the flow still counts
                cost = (target, edge.after.seconds if edge.after else 0, edge.after is not None)
                if edge.severities is None:
                    self._common[i].append(cost)
                else:
                    self._limited.append((i, cost, frozenset(edge.severities)))
        self._cache: dict[tuple[int, ...], Adjacency] = {}
        self._routes: dict[tuple[int, ...], dict[str, tuple[Route | None, Route | None]]] = {}
        self._leveled = [lane.id for lane in d.leveled_lanes]

    def routes(self, severity: str) -> dict[str, tuple[Route | None, Route | None]]:
        """Lane -> (fastest walk into it, fastest timer-driven walk), for one severity;
        severities with the same edges share one computation."""
        key = self._key(severity)
        if key not in self._routes:
            adjacency = self.for_severity(severity)
            dist, parent, into = _fastest(adjacency, self.starts)
            out = {}
            for lane in self._leveled:
                members = self.in_lane.get(lane, ())
                fastest = _first_entry(self, members, dist, parent, into)
                out[lane] = (fastest, _timed(self, adjacency, members) if fastest else None)
            self._routes[key] = out
        return self._routes[key]

    def _key(self, severity: str) -> tuple[int, ...]:
        return tuple(n for n, (_, _, sevs) in enumerate(self._limited) if severity in sevs)

    def for_severity(self, severity: str) -> Adjacency:
        key = self._key(severity)
        if key not in self._cache:
            adjacency = self._common
            if key:
                # Rebuilt in order so a step's edges keep the order they are written in.
                adjacency = [list(edges) for edges in self._common]
                for n in key:
                    source, cost, _ = self._limited[n]
                    adjacency[source].append(cost)
            self._cache[key] = adjacency
        return self._cache[key]


def _fastest(adjacency: Adjacency, starts: Sequence[int]) -> tuple[list[int], list[int], list[int]]:
    """Dijkstra from every start: seconds to each step (-1 unreached), the step it was
    entered from (-1 at a start) and the timer seconds taken into it (-1 for a plain edge).

    Ties go to the smaller (time, step index, parent): the same walk on every run.
    """
    size = len(adjacency)
    dist, parent, into = [-1] * size, [-1] * size, [-1] * size
    heap = [(0, s, -1, -1) for s in starts]
    heapq.heapify(heap)
    while heap:
        t, node, came, after = heapq.heappop(heap)
        if dist[node] >= 0:
            continue
        dist[node], parent[node], into[node] = t, came, after
        for target, cost, timer in adjacency[node]:
            if dist[target] < 0:
                heapq.heappush(heap, (t + cost, target, node, cost if timer else -1))
    return dist, parent, into


def _route(graph: _TimedGraph, node: int, parent: list[int], into: list[int], total: int) -> Route:
    steps, afters = [], []
    while node >= 0:
        steps.append(graph.ids[node])
        afters.append(Duration(into[node]) if into[node] >= 0 else None)
        node = parent[node]
    return Route(tuple(reversed(steps)), tuple(reversed(afters)), Duration(total))


def _first_entry(
    graph: _TimedGraph,
    members: Sequence[int],
    dist: list[int],
    parent: list[int],
    into: list[int],
) -> Route | None:
    """The earliest walk into the lane, cut where it first enters the lane (with equal
    times the shortest-path tree may pass through another of its steps first)."""
    reached = [i for i in members if dist[i] >= 0]
    if not reached:
        return None
    best = min(reached, key=lambda i: (dist[i], i))
    chain = [best]
    while parent[chain[-1]] >= 0:
        chain.append(parent[chain[-1]])
    lane = set(members)
    first = next(i for i in reversed(chain) if i in lane)
    return _route(graph, first, parent, into, dist[first])


def _timed(graph: _TimedGraph, adjacency: Adjacency, members: Sequence[int]) -> Route | None:
    """The fastest walk that first enters the lane after a timer edge (of this severity's
    edges): Dijkstra over states 2 * step + (a timer was taken), the lane's steps ends."""
    size = len(adjacency)
    lane = set(members)
    dist, parent, into = [-1] * (2 * size), [-1] * (2 * size), [-1] * (2 * size)
    heap = [(0, 2 * s, -1, -1) for s in graph.starts]
    heapq.heapify(heap)
    while heap:
        t, state, came, after = heapq.heappop(heap)
        if dist[state] >= 0:
            continue
        dist[state], parent[state], into[state] = t, came, after
        node, timed = divmod(state, 2)
        if node in lane:
            if timed:  # the first timed arrival in the lane is the fastest: done
                steps, afters = [], []
                while state >= 0:
                    steps.append(graph.ids[state // 2])
                    afters.append(Duration(into[state]) if into[state] >= 0 else None)
                    state = parent[state]
                return Route(tuple(reversed(steps)), tuple(reversed(afters)), Duration(t))
            continue  # engaged by a decision: what follows no longer engages it
        for target, cost, timer in adjacency[node]:
            nxt = 2 * target + (timed or timer)
            if dist[nxt] < 0:
                heapq.heappush(heap, (t + cost, nxt, state, cost if timer else -1))
    return None
