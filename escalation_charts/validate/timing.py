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
from enum import StrEnum
from itertools import compress, repeat
from operator import and_, contains, eq, is_not, le, not_
from typing import NamedTuple

from escalation_charts.durations import Duration
from escalation_charts.model import Definition, Lane, MatrixCell, Severity
from escalation_charts.validate._tables import FlowTables, chunks

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


class Route(NamedTuple):
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


class LevelTiming(NamedTuple):
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

    @property
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


def timing_analysis(
    definition: Definition, *, tables: FlowTables | None = None
) -> tuple[tuple[LevelTiming, ...], ...]:
    """For each severity (most severe first), one LevelTiming per leveled lane (lowest
    level first). `tables`: the columns `validate` has already read from `definition`."""
    graph = _TimedGraph(definition, tables if tables is not None else FlowTables(definition))
    return tuple(_for_severity(definition, graph, sev) for sev in definition.severities)


def _for_severity(d: Definition, graph: _TimedGraph, sev: Severity) -> tuple[LevelTiming, ...]:
    routes = graph.routes(sev.id)
    return tuple(
        LevelTiming(sev, lane, d.cell(sev.id, lane.id), *routes[lane.id])
        for lane in d.leveled_lanes
    )


Cost = tuple[int, int, bool]  # an edge out of a step: (target, seconds, is a timer)


class Adjacency(NamedTuple):
    """One severity's edges. Most edges are plain and hold for every severity: `plain`
    holds their targets per step (taken at no cost). The others ("extras": timers and
    limited edges) are `extras[n]` as (target, seconds, timer), step i's are numbers
    `extras_at[i]` to `extras_at[i + 1] - 1`, and `holds[n]` is 1 when extra n holds."""

    plain: list[list[int]]
    extras_at: list[int]
    extras: list[Cost]
    holds: bytes


class _TimedGraph:
    """The steps as indices (the first of a repeated id wins) and their edges with costs;
    each severity's adjacency is built once per distinct set of edges that hold."""

    def __init__(self, d: Definition, tables: FlowTables) -> None:
        nodes = tables.nodes
        self.nodes = nodes
        self.ids = tables.ids
        self.starts = tables.starts
        self._leveled = [lane.id for lane in d.leveled_lanes]
        # Each step's lane as a small int first: one pass comparing lane names, not one per level.
        code = {lane: n for n, lane in enumerate(self._leveled)}
        codes = list(map(code.get, nodes.lanes))
        everyone = range(len(self.ids))
        self.in_lane: dict[str, list[int]] = {
            lane: list(compress(everyone, map(eq, codes, repeat(code[lane]))))
            for lane in self._leveled
        }
        # An edge to no step is left out (unknown-reference reports it; the rest of the
        # flow still counts).
        timers = compress(range(len(nodes.edges)), map(is_not, nodes.afters, repeat(None)))
        common_timers = [k for k in timers if nodes.common[k]]
        self._plain = nodes.common_targets
        marks = nodes.limited_marks
        self._always: bytes | None = None  # 1 for the extras that hold for all (timers)
        if common_timers:
            plain = list(nodes.common)
            for k in common_timers:
                plain[k] = False
            self._plain = chunks(compress(nodes.targets, plain), nodes.counted(plain))
            marks = list(map(and_, map(not_, plain), map(is_not, nodes.targets, repeat(None))))
            self._always = bytes(compress(nodes.common, marks))
        at = list(compress(range(len(marks)), marks))
        afters = list(map(nodes.afters.__getitem__, at))
        targets: list[int] = list(map(nodes.targets.__getitem__, at))  # type: ignore[arg-type]
        seconds = list(map(getattr, afters, repeat("seconds"), repeat(0)))
        self._extras: list[Cost] = list(
            zip(targets, seconds, map(is_not, afters, repeat(None)), strict=True)
        )
        self._extras_at = nodes.offsets(marks)
        # For the fastest walk an extra is left out where a plain edge between the same
        # steps ties or beats it (its heap entry would always come second): severities
        # whose timers are all such slower alternatives share one Dijkstra.
        sources = map(nodes.sources.__getitem__, at)
        beside_plain = map(contains, map(self._plain.__getitem__, sources), targets)
        self._may_win = bytes(map(not_, map(and_, beside_plain, map(le, repeat(0), seconds))))
        self._firsts: dict[bytes, dict[str, Route | None]] = {}
        self._routes: dict[bytes, dict[str, tuple[Route | None, Route | None]]] = {}

    def routes(self, severity: str) -> dict[str, tuple[Route | None, Route | None]]:
        """Lane -> (fastest walk into it, fastest timer-driven walk), for one severity;
        severities with the same edges share one computation."""
        adjacency = self.for_severity(severity)
        if adjacency.holds not in self._routes:
            firsts = self._first_entries(adjacency)
            self._routes[adjacency.holds] = {
                lane: (
                    firsts[lane],
                    _timed(self, adjacency, self.in_lane[lane]) if firsts[lane] else None,
                )
                for lane in self._leveled
            }
        return self._routes[adjacency.holds]

    def _first_entries(self, adjacency: Adjacency) -> dict[str, Route | None]:
        """Lane -> the fastest walk into it (shared by severities whose fastest walks are)."""
        fast = adjacency._replace(holds=bytes(map(and_, adjacency.holds, self._may_win)))
        if fast.holds not in self._firsts:
            dist, parent, into = _fastest(fast, self.starts)
            self._firsts[fast.holds] = {
                lane: _first_entry(self, self.in_lane[lane], dist, parent, into)
                for lane in self._leveled
            }
        return self._firsts[fast.holds]

    def for_severity(self, severity: str) -> Adjacency:
        holds = self.nodes.holding(severity)
        if self._always is not None:  # the extras are the timers of all and the limited edges
            spread = iter(holds)
            holds = bytes(a or next(spread) for a in self._always)
        return Adjacency(self._plain, self._extras_at, self._extras, holds)


def _fastest(adjacency: Adjacency, starts: Sequence[int]) -> tuple[list[int], list[int], list[int]]:
    """Dijkstra from every start: seconds to each step (-1 unreached), the step it was
    entered from (-1 at a start) and the timer seconds taken into it (-1 for a plain edge).

    Ties go to the smaller (time, step index, parent, timer seconds): the same walk on every
    run. The heap holds one int per entry, `time * size + step` (ordered as the pair), and
    an unsettled step keeps the best (time, parent, timer) offered so far: what the first
    entry for it off a heap of whole tuples would carry.
    """
    plain, extras_at, extras, holds = adjacency
    size = len(plain)
    dist, parent, into, offered = [-1] * size, [-1] * size, [-1] * size, [-1] * size
    for s in starts:
        offered[s] = 0
    heap = list(starts)
    heapq.heapify(heap)
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        t, node = divmod(pop(heap), size)
        if dist[node] >= 0:
            continue
        dist[node] = t
        for target in plain[node]:
            if dist[target] < 0:
                best = offered[target]
                if best < 0 or t < best:
                    offered[target], parent[target], into[target] = t, node, -1
                    push(heap, t * size + target)
                elif t == best and (node, -1) < (parent[target], into[target]):
                    parent[target], into[target] = node, -1
        for n in range(extras_at[node], extras_at[node + 1]):
            target, cost, timer = extras[n]
            if holds[n] and dist[target] < 0:
                at, after, best = t + cost, cost if timer else -1, offered[target]
                if best < 0 or at < best:
                    offered[target], parent[target], into[target] = at, node, after
                    push(heap, at * size + target)
                elif at == best and (node, after) < (parent[target], into[target]):
                    parent[target], into[target] = node, after
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
    times = list(map(dist.__getitem__, members))
    reached = list(compress(zip(times, members, strict=True), map(le, repeat(0), times)))
    if not reached:
        return None
    _, best = min(reached)  # the earliest, then the first written
    chain = [best]
    while parent[chain[-1]] >= 0:
        chain.append(parent[chain[-1]])
    lane = set(members)
    first = next(i for i in reversed(chain) if i in lane)
    return _route(graph, first, parent, into, dist[first])


def _timed(graph: _TimedGraph, adjacency: Adjacency, members: Sequence[int]) -> Route | None:
    """The fastest walk that first enters the lane after a timer edge (of this severity's
    edges): Dijkstra over states 2 * step + (a timer was taken), the lane's steps ends
    (its heap as `_fastest`'s)."""
    plain, extras_at, extras, holds = adjacency
    size = 2 * len(plain)
    lane = set(members)
    dist, parent, into, offered = [-1] * size, [-1] * size, [-1] * size, [-1] * size
    heap = [2 * s for s in graph.starts]
    for state in heap:
        offered[state] = 0
    heapq.heapify(heap)
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        t, state = divmod(pop(heap), size)
        if dist[state] >= 0:
            continue
        dist[state] = t
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
        for target in plain[node]:
            nxt = 2 * target + timed
            if dist[nxt] < 0:
                best = offered[nxt]
                if best < 0 or t < best:
                    offered[nxt], parent[nxt], into[nxt] = t, state, -1
                    push(heap, t * size + nxt)
                elif t == best and (state, -1) < (parent[nxt], into[nxt]):
                    parent[nxt], into[nxt] = state, -1
        for n in range(extras_at[node], extras_at[node + 1]):
            target, cost, timer = extras[n]
            nxt = 2 * target + (timed or timer)
            if holds[n] and dist[nxt] < 0:
                at, after, best = t + cost, cost if timer else -1, offered[nxt]
                if best < 0 or at < best:
                    offered[nxt], parent[nxt], into[nxt] = at, state, after
                    push(heap, at * size + nxt)
                elif at == best and (state, after) < (parent[nxt], into[nxt]):
                    parent[nxt], into[nxt] = state, after
    return None
