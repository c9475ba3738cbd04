"""The soundness verdict, checked against a brute-force reference on random small graphs.

The validator walks each severity's graph breadth-first, once forwards and once backwards.
The reference computes the full reachability relation (Warshall's transitive closure) and
reads the definition of SPEC.md off it directly; the two must always agree.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from escalation_charts.model import Definition, Edge, Lane, Process, Severity, Step, StepType
from escalation_charts.validate import validate

SEVERITIES = ("P1", "P2")
FLOW_RULES = {"unreachable", "dead-end", "no-exit-loop"}
TYPES = [StepType.START, StepType.TASK, StepType.DECISION, StepType.RESOLUTION]


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
                ),
                max_size=0 if kind is StepType.RESOLUTION else 3,
            )
        )
        steps.append(
            Step(
                id=f"s{i}",
                lane="l",
                label=f"s{i}",
                type=kind,
                next=tuple(Edge(to=f"s{t}", severities=sev) for t, sev in edges),
            )
        )
    return Definition(
        process=Process(id="p", name="p"),
        severities=tuple(Severity(id=s, name=s) for s in SEVERITIES),
        lanes=(Lane(id="l", name="l"),),
        steps=tuple(steps),
    )


def _closure(d: Definition, severity: str) -> list[list[bool]]:
    n = len(d.steps)
    reach = [[i == j for j in range(n)] for i in range(n)]
    for i, step in enumerate(d.steps):
        for e in step.next:
            if e.holds_for(severity):
                reach[i][int(e.to[1:])] = True
    for k in range(n):
        for i in range(n):
            if reach[i][k]:
                for j in range(n):
                    reach[i][j] = reach[i][j] or reach[k][j]
    return reach


def _reference(d: Definition) -> tuple[set[str], dict[str, bool]]:
    """Steps no start reaches under any severity, and per severity: is it sound?"""
    starts = [i for i, s in enumerate(d.steps) if s.type is StepType.START]
    ends = [i for i, s in enumerate(d.steps) if s.type is StepType.RESOLUTION]
    reached_any: set[int] = set()
    sound = {}
    for sev in SEVERITIES:
        reach = _closure(d, sev)
        reached = {j for i in starts for j in range(len(d.steps)) if reach[i][j]}
        reached_any |= reached
        sound[sev] = all(any(reach[v][r] for r in ends) for v in reached)
    unreachable = {s.id for i, s in enumerate(d.steps) if i not in reached_any}
    return unreachable, sound


@settings(max_examples=400, deadline=None)
@given(definitions())
def test_validator_agrees_with_brute_force(d: Definition) -> None:
    findings = [f for f in validate(d) if f.rule in FLOW_RULES]
    unreachable, sound = _reference(d)
    assert {f.step for f in findings if f.rule == "unreachable"} == unreachable
    for sev in SEVERITIES:
        stuck = [f for f in findings if f.rule != "unreachable" and f.applies_to in (None, sev)]
        assert (not stuck) == sound[sev], (sev, [f.message for f in stuck])
    # every reported dead end really is one: reached, not a resolution, no edge out
    for f in findings:
        if f.rule == "dead-end":
            step = d.steps_by_id[f.step]
            sevs = [f.applies_to] if f.applies_to else list(SEVERITIES)
            assert step.type is not StepType.RESOLUTION
            assert not any(e.holds_for(s) for e in step.next for s in sevs)
            assert f.path[0] == "s0" or d.steps_by_id[f.path[0]].type is StepType.START
