"""The timing analysis, checked against references that enumerate simple paths.

`validate.timing` runs Dijkstra (earliest engagement) and Dijkstra over (step, timer taken
yet) states with the lane's steps as ends (timer-driven engagement). The references here
know nothing of either: on random graphs of at most 8 steps they list every simple path
and read SPEC.md's definitions off them:

- earliest: the least sum of timer durations over simple paths from a start to a step of
  the lane (with costs >= 0 a walk is never faster than the simple path inside it);
- timer-driven: some timer edge u -> v that holds for the severity, with a simple path
  from a start to u and one from v into the lane, neither touching the lane before its
  end (a walk through the timer is exactly such two pieces). Its fastest time is the
  least sum over the two pieces and the timer.

`matrix-untimed` must then fire exactly where the reference finds no timer-driven walk
(and the matrix times the level above 1), `matrix-flow-timing` where the reference's
earliest time is later than the matrix or missing.
"""

from __future__ import annotations

from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from escalation_charts.durations import Duration
from escalation_charts.model import (
    Contact,
    Definition,
    Edge,
    Lane,
    MatrixCell,
    Process,
    Severity,
    Step,
    StepType,
)
from escalation_charts.validate import validate
from escalation_charts.validate.timing import timing_analysis

SEVERITIES = ("P1", "P2")
LANES = ("a", "b", "c")  # levels 1, 2, 3
TYPES = [StepType.START, StepType.TASK, StepType.DECISION, StepType.RESOLUTION]
TIMES = [0, 15 * 60, 30 * 60, 3600, 2 * 3600, 86400]


@st.composite
def definitions(draw: st.DrawFn) -> Definition:
    n = draw(st.integers(2, 8))
    types = draw(st.lists(st.sampled_from(TYPES), min_size=n, max_size=n))
    types[0] = StepType.START
    steps = []
    for i, kind in enumerate(types):
        edges = draw(
            st.lists(
                st.tuples(
                    st.integers(0, n - 1),
                    st.sampled_from([None, ("P1",), ("P2",), ("P1", "P2")]),
                    st.one_of(st.none(), st.sampled_from(TIMES)),
                ),
                max_size=0 if kind is StepType.RESOLUTION else 3,
            )
        )
        steps.append(
            Step(
                id=f"s{i}",
                lane=draw(st.sampled_from(LANES)),
                label=f"Step {i}",
                type=kind,
                next=tuple(
                    Edge(to=f"s{t}", severities=sev, after=None if a is None else Duration(a))
                    for t, sev, a in edges
                ),
            )
        )
    contacts = (Contact(name="x", email="x@example.com"), Contact(name="y", role="backup"))
    lanes = tuple(
        Lane(id=lane, name=lane, level=n + 1, contacts=contacts) for n, lane in enumerate(LANES)
    )
    matrix = {
        sev: {
            lane: MatrixCell(
                sev, lane, draw(st.one_of(st.none(), st.sampled_from(TIMES).map(Duration)))
            )
            for lane in LANES
        }
        for sev in SEVERITIES
    }
    return Definition(
        process=Process(id="p", name="p"),
        severities=tuple(Severity(id=s, name=s) for s in SEVERITIES),
        lanes=lanes,
        steps=tuple(steps),
        matrix=matrix,
    )


Arc = tuple[int, int, int, bool]  # source, target, seconds, is a timer


def _arcs(d: Definition, sev: str) -> list[Arc]:
    return [
        (i, int(e.to[1:]), e.after.seconds if e.after else 0, e.after is not None)
        for i, step in enumerate(d.steps)
        for e in step.next
        if e.holds_for(sev)
    ]


def _simple_paths(arcs: list[Arc], source: int, blocked: set[int]) -> Iterator[tuple[int, int]]:
    """(end step, cost) of every simple path from `source` that enters no `blocked` step
    except as its last one (`source` itself may be blocked: a path of one step)."""
    out: dict[int, list[Arc]] = {}
    for arc in arcs:
        out.setdefault(arc[0], []).append(arc)

    def walk(node: int, cost: int, seen: frozenset[int]) -> Iterator[tuple[int, int]]:
        yield node, cost
        if node in blocked:
            return
        for _, target, seconds, _ in out.get(node, []):
            if target not in seen:
                yield from walk(target, cost + seconds, seen | {target})

    yield from walk(source, 0, frozenset({source}))


def _reference(d: Definition, sev: str, lane: str) -> tuple[int | None, int | None]:
    """(earliest seconds, fastest timer-driven seconds), None for never."""
    arcs = _arcs(d, sev)
    starts = [i for i, s in enumerate(d.steps) if s.type is StepType.START]
    members = {i for i, s in enumerate(d.steps) if s.lane == lane}
    earliest = [c for s in starts for end, c in _simple_paths(arcs, s, members) if end in members]
    timed = []
    for u, v, seconds, timer in arcs:
        if not timer or u in members:
            continue
        before = [c for s in starts for end, c in _simple_paths(arcs, s, members) if end == u]
        after = [c for end, c in _simple_paths(arcs, v, members) if end in members]
        if before and after:
            timed.append(min(before) + seconds + min(after))
    return min(earliest, default=None), min(timed, default=None)


def _route_is_a_walk(d: Definition, sev: str, steps: tuple[str, ...], afters) -> int:
    """The route's own time, checking each leg is an edge of the severity."""
    total = 0
    by_id = d.steps_by_id
    for n in range(1, len(steps)):
        edges = [e for e in by_id[steps[n - 1]].next if e.to == steps[n] and e.holds_for(sev)]
        after = afters[n]
        if after is None:
            assert any(e.after is None for e in edges), (steps, n)
        else:
            assert any(e.after == after for e in edges), (steps, n)
            total += after.seconds
    return total


@settings(max_examples=400, deadline=None)
@given(definitions())
def test_times_equal_the_simple_path_reference(d: Definition) -> None:
    for row in timing_analysis(d):
        for t in row:
            earliest, timed = _reference(d, t.severity.id, t.lane.id)
            assert (t.earliest.seconds if t.earliest else None) == earliest
            assert (t.timed.time.seconds if t.timed else None) == timed
            for route in (t.fastest, t.timed):
                if route is None:
                    continue
                assert d.steps_by_id[route.steps[0]].type is StepType.START
                assert d.steps_by_id[route.steps[-1]].lane == t.lane.id
                # the level is engaged where the walk ends, not before
                assert all(d.steps_by_id[s].lane != t.lane.id for s in route.steps[:-1])
                own = _route_is_a_walk(d, t.severity.id, route.steps, route.afters)
                assert own == route.time.seconds
            if t.timed is not None:
                assert t.timed.timers, "a timer-driven walk takes a timer"


@settings(max_examples=300, deadline=None)
@given(definitions())
def test_the_rules_fire_where_the_reference_says(d: Definition) -> None:
    findings = validate(d)
    got = {(f.rule, f.applies_to, f.timing.lane) for f in findings if f.timing is not None}
    expected = set()
    if any(s.type is StepType.START for s in d.steps):  # every edge resolves here
        for sev in SEVERITIES:
            for n, lane in enumerate(LANES):
                matrix = d.matrix[sev][lane].engage
                if matrix is None:
                    continue
                earliest, timed = _reference(d, sev, lane)
                if earliest is None or earliest > matrix.seconds:
                    expected.add(("matrix-flow-timing", sev, lane))
                elif n > 0 and timed is None and matrix.seconds > 0:
                    expected.add(("matrix-untimed", sev, lane))
    assert got == expected
