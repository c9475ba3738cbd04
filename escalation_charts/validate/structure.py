"""Checks on the shape of the flow: ids, references, and what each step type may have."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from escalation_charts.findings import Finding, shown
from escalation_charts.model import Definition, Lane, Severity, Step, StepType
from escalation_charts.validate._report import Reporter

__all__ = ["check"]

_Identified = Lane | Severity | Step
_EDGE_RULED = (StepType.RESOLUTION, StepType.DECISION)  # rules that apply with one edge too
_PLURAL = {"severity": "severities", "lane": "lanes", "step": "steps"}


def check(d: Definition, report: Reporter) -> Iterator[Finding]:
    """duplicate-id, unknown-reference, decision-branches, ambiguous-next,
    resolution-has-next, no-start and empty-lane."""
    yield from _duplicates(report, "severity", d.severities)
    yield from _duplicates(report, "lane", d.lanes)
    yield from _duplicates(report, "step", d.steps)
    yield from _references(d, report)
    for step in d.steps:
        # Most steps have one edge and no type-specific rule: skip the generator for them.
        if len(step.next) > 1 or step.type in _EDGE_RULED:
            yield from _edges_of(step, report)
    if not any(step.type is StepType.START for step in d.steps):
        yield report.finding(
            "no-start",
            "no step has type 'start'; mark where a ticket enters the process "
            "(e.g. 'type: start' on the customer's first step)",
            d.at("steps") if "steps" in d.spans else d.pos,
        )
    used = {step.lane for step in d.steps}
    for lane in d.lanes:
        if lane.id not in used:
            yield report.finding(
                "empty-lane",
                f"lane '{lane.id}' has no steps; add a step with 'lane: {lane.id}' or remove "
                "the lane",
                lane.at("id"),
            )


def _duplicates(report: Reporter, kind: str, items: Sequence[_Identified]) -> Iterator[Finding]:
    if len({item.id for item in items}) == len(items):
        return  # the common case, told by one set
    first: dict[str, _Identified] = {}
    for item in items:
        if item.id in first:
            where = first[item.id].at("id")
            yield report.finding(
                "duplicate-id",
                f"{kind} id '{item.id}' is already used at line {where.line}; ids must be "
                f"unique among {_PLURAL[kind]}",
                item.at("id"),
            )
        else:
            first[item.id] = item


def _references(d: Definition, report: Reporter) -> Iterator[Finding]:
    lanes, steps, sevs = d.lanes_by_id, d.steps_by_id, d.severities_by_id
    # Sets first: when every reference resolves (the common case) no step is walked again.
    lane_refs = {s.lane for s in d.steps}.union(*(s.notify for s in d.steps if s.notify))
    edges = [e for s in d.steps for e in s.next]
    if (
        lane_refs <= lanes.keys()
        and {e.to for e in edges} <= steps.keys()
        and set().union(*(e.severities for e in edges if e.severities)) <= sevs.keys()
    ):
        return
    for step in d.steps:
        if step.lane not in lanes:
            yield report.finding(
                "unknown-reference",
                f"step '{step.id}' is in lane '{step.lane}', which is not defined"
                + report.hint(step.lane, tuple(lanes)),
                step.at("lane"),
                step=step.id,
            )
        for n, lane in enumerate(step.notify):
            if lane not in lanes:
                yield report.finding(
                    "unknown-reference",
                    f"step '{step.id}' notifies lane '{lane}', which is not defined"
                    + report.hint(lane, tuple(lanes)),
                    step.at(f"notify[{n}]"),
                    step=step.id,
                )
        for edge in step.next:
            if edge.to not in steps:
                yield report.finding(
                    "unknown-reference",
                    f"step '{step.id}' leads to step '{edge.to}', which is not defined"
                    + report.hint(edge.to, tuple(steps)),
                    edge.at("to"),
                    step=step.id,
                )
            for n, sev in enumerate(edge.severities or ()):
                if sev not in sevs:
                    yield report.finding(
                        "unknown-reference",
                        f"edge from '{step.id}' to '{edge.to}' is limited to severity '{sev}', "
                        "which is not defined" + report.hint(sev, tuple(sevs)),
                        edge.at(f"severities[{n}]"),
                        step=step.id,
                    )


def _edges_of(step: Step, report: Reporter) -> Iterator[Finding]:
    if step.type is StepType.RESOLUTION:
        if step.next:
            yield report.finding(
                "resolution-has-next",
                f"resolution '{step.id}' has outgoing edges; a resolution ends the process "
                "(remove 'next' or change the type)",
                step.at("next"),
                step=step.id,
            )
        return
    if step.type is StepType.DECISION:
        yield from _branches(step, report)
        return
    plain = step.plain_edges
    if len(plain) > 1:
        yield report.finding(
            "ambiguous-next",
            f"step '{step.id}' has {len(plain)} plain edges ({', '.join(e.to for e in plain)}); "
            "only a decision may branch: make it 'type: decision' with 'when' labels, or give "
            "the extra edges an 'after' timer",
            plain[1].pos,
            step=step.id,
        )


def _branches(step: Step, report: Reporter) -> Iterator[Finding]:
    if len(step.next) < 2:
        yield report.finding(
            "decision-branches",
            f"decision '{step.id}' has {len(step.next)} edge{'s' * (len(step.next) != 1)}; "
            "a decision needs two or more, each with a 'when' label",
            step.at("next"),
            step=step.id,
        )
    seen: dict[str, int] = {}
    for edge in step.next:
        if edge.when is None:
            yield report.finding(
                "decision-branches",
                f"the edge from decision '{step.id}' to '{edge.to}' has no 'when' label; "
                "say which answer takes it (e.g. 'when: yes')",
                edge.pos,
                step=step.id,
            )
        elif edge.when.strip().casefold() in seen:
            yield report.finding(
                "decision-branches",
                f"decision '{step.id}' has the answer {shown(edge.when)} twice (first at line "
                f"{seen[edge.when.strip().casefold()]}); each branch needs its own 'when'",
                edge.at("when"),
                step=step.id,
            )
        else:
            seen[edge.when.strip().casefold()] = edge.at("when").line
