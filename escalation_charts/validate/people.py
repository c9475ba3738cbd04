"""Checks on who is engaged: levels without gaps, reached by a hand-over, each with
someone to call; and whether the definition's review is overdue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import partial
from itertools import compress
from operator import is_not

from escalation_charts.findings import Finding
from escalation_charts.model import Definition, StepType
from escalation_charts.validate._report import Reporter
from escalation_charts.validate._tables import FlowTables

__all__ = ["check"]

_known = partial(is_not, None)  # a target index, not None for an unknown step


def check(
    d: Definition, report: Reporter, today: dt.date, tables: FlowTables | None = None
) -> Iterator[Finding]:
    """level-gap, level-unreached, no-contact, no-backup and review-overdue (`tables`: the
    definition's columns)."""
    yield from _levels(d, report, tables if tables is not None else FlowTables(d))
    for lane in d.leveled_lanes:
        where = lane.at("contacts") if "contacts" in lane.spans else lane.at("id")
        if not any(c.reachable for c in lane.contacts_with_role("primary")):
            yield report.finding(
                "no-contact",
                f"level {lane.level} '{lane.id}' has no primary contact with a phone or email; "
                "add one under 'contacts' (role: primary)",
                where,
            )
        if not lane.contacts_with_role("backup"):
            yield report.finding(
                "no-backup",
                f"level {lane.level} '{lane.id}' has no backup contact; add one (role: backup) "
                "so escalations do not stall when the primary is away",
                where,
            )
    due = d.process.review_due
    if due is not None and due < today:
        yield report.finding(
            "review-overdue",
            f"the process was last reviewed on {d.process.reviewed}; the next review was due "
            f"on {due} ({(today - due).days} days ago): review it and update 'reviewed'",
            d.process.at("reviewed"),
        )


def _levels(d: Definition, report: Reporter, tables: FlowTables) -> Iterator[Finding]:
    leveled = d.leveled_lanes
    levels = sorted({lane.level for lane in leveled})  # type: ignore[type-var]
    for expected, level in enumerate(levels, start=1):
        if level != expected:
            lane = next(lane for lane in leveled if lane.level == level)
            yield report.finding(
                "level-gap",
                f"lane '{lane.id}' is level {level}, but no lane is level {expected}; "
                f"levels run 1, 2, 3 ... without gaps (found {', '.join(map(str, levels))})",
                lane.at("level"),
            )
            break
    # The lanes escalate steps hand over to (a repeated id: its first step's, as lookups do).
    columns = tables.all
    escalate = columns.of_type(StepType.ESCALATE)
    targets = compress(columns.targets, map(escalate.__getitem__, columns.sources))
    handed_to = set(map(tables.nodes.lanes.__getitem__, filter(_known, targets)))
    for lane in leveled:
        if lane.level is not None and lane.level > 1 and lane.id not in handed_to:
            yield report.finding(
                "level-unreached",
                f"no escalate step hands over to level {lane.level} '{lane.id}'; add a step "
                f"with 'type: escalate' whose next step is in lane '{lane.id}'",
                lane.at("level"),
            )
