"""`compare`: two loaded versions of a process -> one DefinitionDiff (changes + consequences)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from escalation_charts.diff.changes import Change, Matchings, matchings, model_changes
from escalation_charts.diff.consequences import (
    Reachability,
    TimingChange,
    finding_changes,
    reachability,
    timing_changes,
)
from escalation_charts.findings import Finding
from escalation_charts.model import Definition

__all__ = ["DefinitionDiff", "compare"]


@dataclass(frozen=True)
class DefinitionDiff:
    """What changed from `old` to `new` (named as the user wrote them) and what it means."""

    old_name: str
    new_name: str
    old: Definition
    new: Definition
    matchings: Matchings
    changes: tuple[Change, ...]
    appeared: tuple[Finding, ...]
    disappeared: tuple[Finding, ...]
    timing: tuple[TimingChange, ...]
    reachability: tuple[Reachability, ...]

    @property
    def changed(self) -> bool:
        """True when anything differs (diff(1)'s exit 1)."""
        return bool(
            self.changes or self.appeared or self.disappeared or self.timing or self.reachability
        )


def compare(
    old: Definition,
    new: Definition,
    *,
    old_name: str = "old",
    new_name: str = "new",
    today: dt.date | None = None,
) -> DefinitionDiff:
    """Compare two definitions' models; `today` decides `review-overdue` on both sides."""
    m = matchings(old, new)
    appeared, disappeared = finding_changes(old, new, today or dt.date.today())
    return DefinitionDiff(
        old_name,
        new_name,
        old,
        new,
        m,
        tuple(model_changes(old, new, m)),
        tuple(appeared),
        tuple(disappeared),
        tuple(timing_changes(old, new, m)),
        tuple(reachability(old, new, m)),
    )
