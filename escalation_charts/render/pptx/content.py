"""What the slides say, as plain text: pure functions of the model and the findings.

Kept apart from drawing so the wording can be tested without building a deck, and so the
speaker notes (Jinja2 templates) and the slides tell the same story from the same facts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from escalation_charts.durations import Duration
from escalation_charts.findings import Finding
from escalation_charts.model import Contact, Definition, Edge, Lane, Severity, Step, StepType
from escalation_charts.render.pptx.style import Colours
from escalation_charts.render.pptx.text.blocks import Para
from escalation_charts.render.pptx.walk import Engagement, Walkthrough, engagements
from escalation_charts.validate.timing import LevelTiming

__all__ = [
    "CHECKS",
    "Section",
    "check_paras",
    "contact_line",
    "edge_condition",
    "finding_paras",
    "lane_sections",
    "lane_title",
    "names_level",
    "section_paras",
    "severity_label",
    "step_phrase",
    "subtitle_lines",
    "walk_path_paras",
    "walk_side_sections",
]

_VERB = {
    StepType.START: "Starts: ",
    StepType.DECISION: "Decides: ",
    StepType.ESCALATE: "Hands over: ",
    StepType.WAIT: "Waits: ",
    StepType.RESOLUTION: "Ends: ",
}


@dataclass(frozen=True)
class Section:
    """A heading and its paragraphs (Who, What they do, ...)."""

    heading: str
    paras: tuple[Para, ...]


def section_paras(sections: Sequence[Section]) -> list[Para]:
    """Sections as one list of paragraphs, each heading kept with what follows it."""
    out: list[Para] = []
    for n, section in enumerate(sections):
        out.append(
            Para(
                section.heading,
                scale=1.1,
                bold=True,
                colour=Colours.HEADER,
                space=0.0 if n == 0 else 0.6,
                keep_with_next=True,
            )
        )
        out.extend(section.paras)
    return out


def severity_label(severity: Severity) -> str:
    """`P1 Critical`, or the name alone when it already says the id (`Sev 1 - Critical`)."""

    def squeeze(text: str) -> str:
        return "".join(c for c in text.lower() if c.isalnum())

    if squeeze(severity.name).startswith(squeeze(severity.id)):
        return severity.name
    return f"{severity.id} {severity.name}"


def subtitle_lines(definition: Definition) -> list[str]:
    """The title slide's facts: version, owner, last review and when the next is due."""
    process = definition.process
    facts = []
    if process.version:
        facts.append(f"Version {process.version}")
    if process.owner:
        facts.append(f"Owner: {process.owner}")
    lines = [" · ".join(facts)] if facts else []
    if process.reviewed:
        review = f"Last review: {process.reviewed.isoformat()}"
        if process.review_due:
            review += f" · next due {process.review_due.isoformat()}"
        lines.append(review)
    return lines


def lane_title(lane: Lane) -> str:
    """`Level 2: Technical Experts`, or the name alone when it already says its level."""
    if lane.level is None or names_level(lane):
        return lane.name
    return f"Level {lane.level}: {lane.name}"


def names_level(lane: Lane) -> bool:
    """True when a lane's name already says its level (`Level 1 - Basic ...`)."""
    return re.search(rf"\blevel\s*{lane.level}\b", lane.name, re.IGNORECASE) is not None


def contact_line(contact: Contact) -> Para:
    reach = [v for v in (contact.phone, contact.email, contact.hours) if v]
    text = contact.name + (" - " + ", ".join(reach) if reach else " - no phone or email")
    return Para(text, lead=f"{contact.role.capitalize()}: ", bullet=True)


def step_phrase(step: Step) -> str:
    """A step as a trainer says it: `Decides: Resolved at Tier 1?`."""
    return _VERB.get(step.type, "") + step.label


def edge_condition(
    edge: Edge, severities: Sequence[str] = (), *, with_severities: bool = True
) -> str:
    """Why an edge is taken: `when no`, `after 2h`, `P1 and P2 only` (joined by commas)."""
    parts = []
    if edge.when is not None:
        parts.append(f"when {edge.when}")
    if edge.after is not None:
        parts.append(f"after {edge.after.compact()}")
    if (
        with_severities
        and edge.severities is not None
        and tuple(edge.severities) != tuple(severities)
    ):
        parts.append(_and(list(edge.severities)) + " only")
    return ", ".join(parts)


def lane_sections(
    definition: Definition,
    lane: Lane,
    analysis: tuple[tuple[LevelTiming, ...], ...] | None = None,
) -> list[Section]:
    """Who, what they do, when they are engaged, where they hand over (`analysis`: the
    validator's timing analysis, computed when not given)."""
    return [
        Section("Who", tuple(_who(lane))),
        Section("What they do", tuple(_what(definition, lane))),
        Section("When they are engaged", tuple(_when(definition, lane, analysis))),
        Section("Where they hand over", tuple(_where(definition, lane))),
    ]


def _who(lane: Lane) -> list[Para]:
    paras = []
    if lane.external:
        paras.append(Para("An external party: agree hand-overs in the contract.", italic=True))
    if lane.description:
        paras.append(Para(lane.description, italic=True))
    paras.extend(contact_line(c) for c in lane.contacts if c.role == "primary")
    paras.extend(contact_line(c) for c in lane.contacts if c.role != "primary")
    if not lane.contacts:
        if lane.level is None:
            paras.append(Para("No contacts listed.", bullet=True))
        else:
            paras.append(
                Para("No contact named: fix before go-live.", bullet=True, colour=Colours.ERROR)
            )
    return paras


def _what(definition: Definition, lane: Lane) -> list[Para]:
    steps = definition.steps_in(lane.id)
    if not steps:
        return [Para("No steps in this lane.", bullet=True)]
    return [Para(step_phrase(s), bullet=True) for s in steps]


def _when(
    definition: Definition, lane: Lane, analysis: tuple[tuple[LevelTiming, ...], ...] | None
) -> list[Para]:
    if lane.level is None:
        return [
            Para("Not an escalation level: takes part whenever the flow reaches it.", bullet=True)
        ]
    paras = []
    for severity in definition.severities:
        name = severity_label(severity) + ": "
        engaged = {e.lane.id: e for e in engagements(definition, severity.id, analysis)}
        e = engaged.get(lane.id)
        if e is None or e.missing:
            paras.append(Para("no matrix cell", lead=name, bullet=True, colour=Colours.ERROR))
        elif e.engage is None:
            paras.append(Para("not engaged", lead=name, bullet=True))
        elif e.late:
            paras.append(Para(e.when, lead=name, bullet=True, colour=Colours.ERROR))
        else:
            paras.append(Para(f"{e.when} after the ticket opens", lead=name, bullet=True))
    return paras


def _where(definition: Definition, lane: Lane) -> list[Para]:
    steps_by_id, lanes = definition.steps_by_id, definition.lanes_by_id
    sev_ids = [s.id for s in definition.severities]
    out, into = [], []
    informs: dict[str, list[str]] = {}
    for step in definition.steps:
        for edge in step.next:
            target = steps_by_id.get(edge.to)
            if target is None or (step.lane == lane.id) == (target.lane == lane.id):
                continue
            condition = edge_condition(edge, sev_ids)
            tail = f" ({condition})" if condition else ""
            if step.lane == lane.id:
                other = lanes.get(target.lane)
                who = other.name if other else target.lane
                out.append(
                    Para(f"{step.label} > {target.label}{tail}", lead=f"To {who}: ", bullet=True)
                )
            else:
                other = lanes.get(step.lane)
                who = other.name if other else step.lane
                into.append(
                    Para(f"{step.label} > {target.label}{tail}", lead=f"From {who}: ", bullet=True)
                )
        if step.lane == lane.id:
            for notified in step.notify:
                other = lanes.get(notified)
                informs.setdefault(other.name if other else notified, []).append(step.label)
    told = [
        Para("at " + _and(labels), lead=f"Informs {who}: ", bullet=True)
        for who, labels in informs.items()
    ]
    paras = into + out + told
    return paras or [Para("No hand-overs: the whole flow stays in this lane.", bullet=True)]


def walk_path_paras(definition: Definition, walk: Walkthrough) -> list[Para]:
    """The path, one paragraph per stretch in one lane: `Tier 1 (from 0m): Log > ...`."""
    if not walk.path:
        return [Para("No start step: the flow cannot be walked.", colour=Colours.ERROR)]
    lanes, steps = definition.lanes_by_id, definition.steps_by_id
    engaged = {e.lane.id: e for e in walk.engagements}
    sev_ids = [s.id for s in definition.severities]
    paras: list[Para] = []
    current: str | None = None
    parts: list[str] = []
    clock = 0  # seconds along this path: the timers it takes add up
    entered: dict[str, int] = {}  # lane -> when this path first enters it

    def flush() -> None:
        if current is None:
            return
        lane = lanes.get(current)
        name = lane.name if lane else current
        e = engaged.get(current)
        if e is not None and e.engage is not None:
            name += f" ({_path_when(e, entered[current])})"
        paras.append(Para(" > ".join(parts), lead=f"{name}: ", bullet=True))

    for walk_step in walk.path:
        step = steps[walk_step.step]
        text = step.label
        if walk_step.via is not None and walk_step.via.after is not None:
            clock += walk_step.via.after.seconds
        entered.setdefault(walk_step.lane, clock)
        if walk_step.via is not None:
            # The walk is for one severity: which others share the edge is beside the point.
            condition = edge_condition(walk_step.via, sev_ids, with_severities=False)
            if condition:
                text = f"[{condition}] {text}"
        if walk_step.lane != current:
            flush()
            current, parts = walk_step.lane, []
        parts.append(text)
    flush()
    if not walk.resolved:
        paras.append(
            Para(
                "No resolution can be reached from here: see the validation slide.",
                colour=Colours.ERROR,
            )
        )
    return paras


def _path_when(e: Engagement, arrives: int) -> str:
    """What the path's lane heading says about time: the matrix's, and where the flow (or
    this path) cannot keep it, what it needs instead."""
    assert e.engage is not None
    if e.late or arrives <= e.engage.seconds:
        return e.when
    # The flow can keep the time, but the way shown is a slower one (through a timer).
    return f"matrix {e.engage.compact()}; this way takes {Duration(arrives).compact()}"


def walk_side_sections(definition: Definition, walk: Walkthrough) -> list[Section]:
    """Targets and the timers that apply to this severity."""
    severity = definition.severities_by_id[walk.severity]
    targets = []
    if severity.respond is not None:
        targets.append(Para(f"respond within {severity.respond.compact()}", bullet=True))
    if severity.resolve is not None:
        targets.append(Para(f"resolve within {severity.resolve.compact()}", bullet=True))
    if severity.description:
        targets.insert(0, Para(severity.description, italic=True))
    steps = definition.steps_by_id
    timers = [
        Para(
            f"{steps[source].label} > {steps[edge.to].label}",
            lead=f"After {edge.after.compact()}: ",
            bullet=True,
        )  # type: ignore[union-attr]
        for source, edge in walk.timers
    ]
    sections = [Section("Targets", tuple(targets or [Para("No targets set.", bullet=True)]))]
    sections.append(
        Section("Timers", tuple(timers or [Para("No timer escalates this severity.", bullet=True)]))
    )
    return sections


def finding_paras(findings: Sequence[Finding]) -> list[Para]:
    """One paragraph per finding: level and rule, then the message, where and for whom."""
    paras = []
    for f in findings:
        colour = Colours.ERROR if f.level == "error" else Colours.WARNING
        where = f"line {f.pos.line}"
        if f.applies_to:
            where += f", severity {f.applies_to}"
        paras.append(
            Para(f"{f.message} ({where})", lead=f"{f.level} {f.rule}: ", bullet=True, colour=colour)
        )
    return paras


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# What a trainer needs to know was checked, and the rules behind each line.
CHECKS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "The definition is well formed",
        frozenset(
            {
                "syntax",
                "duplicate-key",
                "unknown-field",
                "invalid-value",
                "duplicate-id",
                "unknown-reference",
                "empty-lane",
            }
        ),
    ),
    (
        "Every ticket can reach a resolution, for every severity",
        frozenset(
            {
                "no-start",
                "unreachable",
                "dead-end",
                "no-exit-loop",
                "decision-branches",
                "ambiguous-next",
                "resolution-has-next",
            }
        ),
    ),
    (
        "The escalation matrix is complete and in order",
        frozenset(
            {
                "matrix-missing",
                "matrix-order",
                "matrix-severity-order",
                "matrix-after-sla",
                "matrix-flow-mismatch",
            }
        ),
    ),
    (
        "The flow keeps the matrix's times, and timers enforce them",
        frozenset({"matrix-flow-timing", "matrix-untimed"}),
    ),
    ("Every escalation level is handed over to", frozenset({"level-gap", "level-unreached"})),
    ("Every level has a primary and a backup contact", frozenset({"no-contact", "no-backup"})),
    ("The process review is up to date", frozenset({"review-overdue"})),
)


def check_paras(findings: Sequence[Finding]) -> list[Para]:
    """One line per kind of check: passed, or how many errors and warnings it found."""
    paras = []
    known = frozenset().union(*(rules for _, rules in CHECKS))
    for n, (title, rules) in enumerate(CHECKS):
        hits = [f for f in findings if f.rule in rules or (n == 0 and f.rule not in known)]
        errors = sum(f.level == "error" for f in hits)
        warnings = len(hits) - errors
        if errors:
            lead, colour = "Fails: ", Colours.ERROR
            counts = [_count(errors, "error")] + ([_count(warnings, "warning")] if warnings else [])
            note = f" ({', '.join(counts)})"
        elif warnings:
            lead, colour = "Check: ", Colours.WARNING
            note = f" ({_count(warnings, 'warning')})"
        else:
            lead, colour, note = "Passed: ", Colours.OK, ""
        paras.append(Para(title + note, lead=lead, bullet=True, colour=colour))
    return paras


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"
