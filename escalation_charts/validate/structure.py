"""Checks on the shape of the flow: ids, references, and what each step type may have."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import compress, repeat
from operator import attrgetter, is_, not_, or_

from escalation_charts.findings import Finding, shown
from escalation_charts.model import Definition, Lane, Severity, Step, StepType
from escalation_charts.validate._report import Reporter
from escalation_charts.validate._tables import FlowTables, StepColumns

__all__ = ["check"]

_Identified = Lane | Severity | Step
_EDGE_RULED = (StepType.RESOLUTION, StepType.DECISION)  # rules that apply with one edge too
_PLURAL = {"severity": "severities", "lane": "lanes", "step": "steps"}
_WHEN = attrgetter("when")


def check(d: Definition, report: Reporter, tables: FlowTables | None = None) -> Iterator[Finding]:
    """duplicate-id, unknown-reference, decision-branches, ambiguous-next,
    resolution-has-next, no-start and empty-lane (`tables`: the definition's columns)."""
    tables = tables if tables is not None else FlowTables(d)
    yield from _duplicates(report, "severity", d.severities)
    yield from _duplicates(report, "lane", d.lanes)
    if not tables.unique:
        yield from _duplicates(report, "step", d.steps)
    yield from _references(d, report, tables)
    if _edge_rules_may_fire(tables.all):  # else no step's edges break a rule: none walked
        for step in d.steps:
            # Most steps have one edge and no type-specific rule: skip the generator for them.
            if len(step.next) > 1 or step.type in _EDGE_RULED:
                yield from _edges_of(step, report)
    if not any(map(is_, tables.all.types, repeat(StepType.START))):
        yield report.finding(
            "no-start",
            "no step has type 'start'; mark where a ticket enters the process "
            "(e.g. 'type: start' on the customer's first step)",
            d.at("steps") if "steps" in d.spans else d.pos,
        )
    used = tables.used_lanes
    for lane in d.lanes:
        if lane.id not in used:
            yield report.finding(
                "empty-lane",
                f"lane '{lane.id}' has no steps; add a step with 'lane: {lane.id}' or remove "
                "the lane",
                lane.at("id"),
            )


def _edge_rules_may_fire(columns: StepColumns) -> bool:
    """True unless, read off the columns, every resolution has no edge, every decision two
    or more with distinct `when` labels, and every other step one plain edge at most: then
    `_edges_of` would find nothing (the walk costs a generator per branching step)."""
    resolution = columns.of_type(StepType.RESOLUTION)
    decision = columns.of_type(StepType.DECISION)
    if any(compress(columns.counts, resolution)):
        return True
    if min(compress(columns.counts, decision), default=2) < 2:
        return True
    of_decision = list(map(decision.__getitem__, columns.sources))
    whens = list(map(_WHEN, compress(columns.edges, of_decision)))
    if None in whens:
        return True
    # Each decision's answers as `_branches` compares them: trimmed, case folded.
    owners = compress(columns.sources, of_decision)
    answers = set(zip(owners, map(str.casefold, map(str.strip, whens)), strict=True))
    if len(answers) < len(whens):
        return True
    ruled = list(map(or_, resolution, decision))
    plain = list(compress(columns.sources, map(is_, columns.afters, repeat(None))))
    plain = list(compress(plain, map(not_, map(ruled.__getitem__, plain))))
    return len(set(plain)) < len(plain)  # some other step with two plain edges


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


def _references(d: Definition, report: Reporter, tables: FlowTables) -> Iterator[Finding]:
    lanes, sevs = d.lanes_by_id, d.severities_by_id
    # Sets first: when every reference resolves (the common case) no step is walked again.
    columns = tables.all
    lane_refs = tables.used_lanes.union(*filter(None, columns.notify))
    if (
        lane_refs <= lanes.keys()
        and not columns.unresolved  # then every limited edge is in `limited_sets`
        and set().union(*set(columns.limited_sets)) <= sevs.keys()
    ):
        return
    steps = d.steps_by_id
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
