"""The whole audit of one file: the verdict and every fact the report shows.

Built from the model and the validator's findings only; a file that could not be read
(no definition) still gets an audit: the verdict and its findings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from escalation_charts.audit.coverage import Coverage, contact_coverage
from escalation_charts.audit.grid import MatrixGrid, matrix_grid
from escalation_charts.audit.review import ReviewStatus, review_status
from escalation_charts.audit.soundness import SeveritySoundness, severity_soundness
from escalation_charts.audit.text import duration_text
from escalation_charts.findings import Finding
from escalation_charts.model import Definition
from escalation_charts.validate.timing import LevelTiming, Route, TimingCheck, timing_analysis

__all__ = ["Audit", "Verdict", "VerdictState", "build_audit"]


class VerdictState(StrEnum):
    """`fail` when any finding is an error, `pass-with-warnings`, or `pass`."""

    PASS = "pass"
    WARNINGS = "pass-with-warnings"
    FAIL = "fail"


@dataclass(frozen=True)
class Verdict:
    """The audit's answer, with the counts behind it."""

    state: VerdictState
    errors: int
    warnings: int
    readable: bool

    @property
    def summary(self) -> str:
        counts = f"{_plural(self.errors, 'error')}, {_plural(self.warnings, 'warning')}"
        if not self.readable:
            return f"FAIL: the file could not be read as a definition ({counts})"
        return {
            VerdictState.PASS: "PASS: the process is sound and the matrix complete",
            VerdictState.WARNINGS: f"PASS with {_plural(self.warnings, 'warning')}",
            VerdictState.FAIL: f"FAIL ({counts})",
        }[self.state]

    def to_dict(self) -> dict[str, object]:
        return {
            "result": self.state.value,
            "errors": self.errors,
            "warnings": self.warnings,
            "readable": self.readable,
            "summary": self.summary,
        }


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


@dataclass(frozen=True)
class Audit:
    """Everything the report says about `file` as of `today`.

    The sections are None (or empty) when the file could not be read as a definition.
    """

    file: str
    today: dt.date
    definition: Definition | None
    findings: tuple[Finding, ...]
    verdict: Verdict
    grid: MatrixGrid | None
    coverage: tuple[Coverage, ...]
    soundness: tuple[SeveritySoundness, ...]
    engagement: tuple[tuple[LevelTiming, ...], ...]
    review: ReviewStatus | None

    @property
    def name(self) -> str:
        """The process name, or the file name when the file could not be read."""
        return self.definition.process.name if self.definition else self.file

    def to_dict(self) -> dict[str, object]:
        """The JSON report: stable keys, every value a string, number, bool or null."""
        d = self.definition
        p = d.process if d else None
        return {
            "file": self.file,
            "audited": self.today.isoformat(),
            "process": None
            if p is None
            else {
                "id": p.id,
                "name": p.name,
                "owner": p.owner,
                "version": p.version,
                "description": p.description,
            },
            "verdict": self.verdict.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
            "matrix": self.grid.to_dict() if self.grid else None,
            "contacts": [c.to_dict() for c in self.coverage],
            "soundness": [s.to_dict() for s in self.soundness],
            "engagement": [
                {"severity": row[0].severity.id, "levels": [_timing_dict(e, d) for e in row]}
                for row in self.engagement
                if row
            ],
            "review": self.review.to_dict() if self.review else None,
        }


def _route_dict(route: Route, d: Definition | None) -> dict[str, object]:
    return {
        "time": route.time.compact(),
        "path": list(route.steps),
        "route": route.text(d) if d is not None else " -> ".join(route.steps),
        "timers": [{"from": a, "to": b, "after": t.compact()} for a, b, t in route.timers],
    }


def _timing_dict(e: LevelTiming, d: Definition | None) -> dict[str, object]:
    """One severity x level of the timing table: the matrix, the flow's earliest time and
    its walk (ids and labels), and the fastest walk a timer drives (null: none does)."""
    fastest = _route_dict(e.fastest, d) if e.fastest is not None else None
    return {
        "lane": e.lane.id,
        "level": e.lane.level,
        "earliest": duration_text(e.earliest) or None,
        "path": fastest["path"] if fastest else [],
        "route": fastest["route"] if fastest else None,
        "timers": fastest["timers"] if fastest else [],
        "timer_driven": _route_dict(e.timed, d) if e.timed is not None else None,
        "matrix": "missing" if e.matrix_missing else duration_text(e.matrix, "none"),
        "resolve": duration_text(e.severity.resolve) or None,
        "check": e.check.value,
        "rule": e.check.rule,
        # untimed: the flow can keep the time (a decision), nothing enforces it
        "meets_matrix": e.check.ok or e.check is TimingCheck.UNTIMED,
    }


def build_audit(
    file: str, definition: Definition | None, findings: tuple[Finding, ...], *, today: dt.date
) -> Audit:
    """Audit one file from its (possibly missing) definition and all its findings."""
    errors = sum(f.level == "error" for f in findings)
    warnings = len(findings) - errors
    if errors or definition is None:
        state = VerdictState.FAIL
    else:
        state = VerdictState.WARNINGS if warnings else VerdictState.PASS
    verdict = Verdict(state, errors, warnings, definition is not None)
    if definition is None:
        return Audit(file, today, None, findings, verdict, None, (), (), (), None)
    return Audit(
        file,
        today,
        definition,
        findings,
        verdict,
        matrix_grid(definition),
        contact_coverage(definition),
        severity_soundness(definition, findings),
        timing_analysis(definition),
        review_status(definition.process, today),
    )
