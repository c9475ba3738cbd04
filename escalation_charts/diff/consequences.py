"""What a change means, beyond what was edited: findings, engagement times, reachability.

Both versions are validated (findings that appear or disappear), run through the timing
analysis (per severity and level, the earliest time the flow can engage the level) and
walked per severity (steps a ticket can no longer reach, or now reaches).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from escalation_charts.audit.text import duration_text
from escalation_charts.diff.changes import Matchings
from escalation_charts.durations import parse_duration
from escalation_charts.findings import Finding
from escalation_charts.model import Definition
from escalation_charts.validate import FlowGraph, validate
from escalation_charts.validate.timing import timing_analysis

__all__ = ["Reachability", "TimingChange", "finding_changes", "reachability", "timing_changes"]


@dataclass(frozen=True)
class TimingChange:
    """One severity x level whose earliest engagement (or its verdict) changed."""

    severity: str
    severity_name: str
    lane: str
    lane_name: str
    level: int | None
    before: str | None  # None: the flow never engaged it (or it did not exist)
    after: str | None
    check_before: str | None
    check_after: str
    matrix: str | None

    @property
    def shift(self) -> str:
        """`later`, `sooner`, `now never`, `now reached` or `same time`."""
        if self.before == self.after:
            return "same time"
        if self.after is None:
            return "now never"
        if self.before is None:
            return "now reached"
        return "later" if _seconds(self.after) > _seconds(self.before) else "sooner"

    def to_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "lane": self.lane,
            "level": self.level,
            "before": self.before,
            "after": self.after,
            "shift": self.shift,
            "check_before": self.check_before,
            "check_after": self.check_after,
            "matrix": self.matrix,
        }


def _seconds(text: str) -> int:
    return parse_duration(text).seconds


@dataclass(frozen=True)
class Reachability:
    """A step a ticket of `severities` can no longer reach (`reachable` False), or now can."""

    step: str
    label: str
    severities: tuple[str, ...]
    reachable: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "step": self.step,
            "label": self.label,
            "severities": list(self.severities),
            "reachable": self.reachable,
        }


def _timing(definition: Definition) -> dict[tuple[str, str], tuple[str | None, str, str | None]]:
    """(severity, lane) -> (earliest, check, matrix time) as display text."""
    out = {}
    for row in timing_analysis(definition):
        for e in row:
            matrix = "missing" if e.matrix_missing else duration_text(e.matrix, "none")
            out[(e.severity.id, e.lane.id)] = (
                duration_text(e.earliest) or None,
                e.check.value,
                matrix,
            )
    return out


def timing_changes(old: Definition, new: Definition, m: Matchings) -> list[TimingChange]:
    """Per severity (most severe first) and level (lowest first), what moved."""
    before = {
        (m.severities.new_id(sev), m.lanes.new_id(lane)): value
        for (sev, lane), value in _timing(old).items()
    }
    out = []
    sevs, lanes = new.severities_by_id, new.lanes_by_id
    for (sev, lane), (earliest, check, matrix) in _timing(new).items():
        old_value = before.get((sev, lane))
        old_earliest, old_check = (old_value[0], old_value[1]) if old_value else (None, None)
        if old_value is not None and (old_earliest, old_check) == (earliest, check):
            continue
        if old_value is None and earliest is None:
            continue
        out.append(
            TimingChange(
                sev,
                sevs[sev].name,
                lane,
                lanes[lane].name,
                lanes[lane].level,
                old_earliest,
                earliest,
                old_check,
                check,
                matrix,
            )
        )
    return out


def _reached(definition: Definition) -> dict[str, set[str]] | None:
    """Severity -> the steps a ticket of it reaches; None when the flow cannot be walked."""
    graph = FlowGraph(definition)
    if not graph.starts:
        return None
    out = {}
    for sev in definition.severities_by_id:
        sound = graph.for_severity(sev)
        out[sev] = {graph.ids[i] for i in range(len(graph.ids)) if sound.reached(i)}
    return out


def reachability(old: Definition, new: Definition, m: Matchings) -> list[Reachability]:
    """Steps in both versions whose reachability changed for some severity."""
    before, after = _reached(old), _reached(new)
    if before is None or after is None:
        return []
    lost: dict[str, list[str]] = {}
    gained: dict[str, list[str]] = {}
    for sev in new.severities_by_id:
        old_sev = m.severities.back.get(sev)
        if old_sev is None:
            continue
        was = {m.steps.new_id(s) for s in before[old_sev]}
        now = after[sev]
        for step_id in new.steps_by_id:
            if step_id not in m.steps.back:
                continue
            if step_id in was and step_id not in now:
                lost.setdefault(step_id, []).append(sev)
            elif step_id not in was and step_id in now:
                gained.setdefault(step_id, []).append(sev)
    steps = new.steps_by_id
    out = []
    for step_id in steps:
        for table, reachable in ((lost, False), (gained, True)):
            if step_id in table:
                out.append(
                    Reachability(step_id, steps[step_id].label, tuple(table[step_id]), reachable)
                )
    return out


# Places inside messages ("already used at line 12") move with every edit above them.
_PLACE = re.compile(r"\bline \d+(?:, column \d+)?|\b\d+:\d+\b")


def _key(f: Finding) -> tuple[str, str, str | None]:
    return (f.rule, _PLACE.sub("line …", f.message), f.applies_to)


def finding_changes(
    old: Definition, new: Definition, today: dt.date
) -> tuple[list[Finding], list[Finding]]:
    """(findings only the new version has, findings only the old version had)."""
    before = sorted(validate(old, today=today), key=Finding.sort_key)
    after = sorted(validate(new, today=today), key=Finding.sort_key)
    old_keys = {_key(f) for f in before}
    new_keys = {_key(f) for f in after}
    return [f for f in after if _key(f) not in old_keys], [
        f for f in before if _key(f) not in new_keys
    ]
