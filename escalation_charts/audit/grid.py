"""The matrix completeness grid: one status per severity x level cell.

Used by the `matrix` outputs (the times) and by the audit (the statuses). A cell's problems
follow SPEC.md's matrix rules: `missing` (no cell), `after-sla` (engaged at or after the
severity's resolve target) and `out-of-order` (a higher level engaged before a lower one).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from escalation_charts.audit.text import duration_text
from escalation_charts.durations import Duration
from escalation_charts.model import Definition, Lane, Severity

__all__ = ["CellStatus", "GridCell", "GridRow", "MatrixGrid", "matrix_grid"]


class CellStatus(StrEnum):
    """What an auditor learns from one cell; the value is the JSON spelling."""

    SET = "set"
    NOT_USED = "not-used"
    MISSING = "missing"
    OUT_OF_ORDER = "out-of-order"
    AFTER_SLA = "after-sla"

    @property
    def title(self) -> str:
        """How the status reads in a report."""
        return _TITLES[self]

    @property
    def ok(self) -> bool:
        return self in (CellStatus.SET, CellStatus.NOT_USED)


_TITLES = {
    CellStatus.SET: "set",
    CellStatus.NOT_USED: "not used",
    CellStatus.MISSING: "missing",
    CellStatus.OUT_OF_ORDER: "out of order",
    CellStatus.AFTER_SLA: "after SLA",
}


@dataclass(frozen=True)
class GridCell:
    """One cell: when `lane` is engaged for `severity`, and every problem with it.

    `status` is the first of `issues` (the most serious), or `set`/`not-used`/`missing`.
    """

    severity: str
    lane: Lane
    engage: Duration | None
    status: CellStatus
    issues: tuple[CellStatus, ...] = ()

    @property
    def text(self) -> str:
        """The cell as a table shows it: the time, `not used` or `missing`."""
        if self.engage is not None:
            return duration_text(self.engage)
        return self.status.title

    def to_dict(self) -> dict[str, object]:
        return {
            "lane": self.lane.id,
            "level": self.lane.level,
            "engage": duration_text(self.engage) or None,
            "status": self.status.value,
            "issues": [i.value for i in self.issues],
        }


@dataclass(frozen=True)
class GridRow:
    """One severity's targets and its cells, lowest level first."""

    severity: Severity
    cells: tuple[GridCell, ...]

    def to_dict(self) -> dict[str, object]:
        s = self.severity
        return {
            "severity": s.id,
            "name": s.name,
            "respond": duration_text(s.respond) or None,
            "resolve": duration_text(s.resolve) or None,
            "cells": [c.to_dict() for c in self.cells],
        }


@dataclass(frozen=True)
class MatrixGrid:
    """Severities (most severe first) x leveled lanes (lowest level first)."""

    levels: tuple[Lane, ...]
    rows: tuple[GridRow, ...]

    @property
    def complete(self) -> bool:
        """True when every cell is set in order within the SLA, or deliberately not used."""
        return all(c.status.ok for row in self.rows for c in row.cells)

    def counts(self) -> dict[str, int]:
        """How many cells have each status (every status listed, zeros included)."""
        counts = {s.value: 0 for s in CellStatus}
        for row in self.rows:
            for cell in row.cells:
                counts[cell.status.value] += 1
        return counts

    def to_dict(self) -> dict[str, object]:
        return {
            "complete": self.complete,
            "counts": self.counts(),
            "levels": [
                {"lane": lane.id, "name": lane.name, "level": lane.level, "external": lane.external}
                for lane in self.levels
            ],
            "rows": [r.to_dict() for r in self.rows],
        }


def matrix_grid(definition: Definition) -> MatrixGrid:
    """The grid of `definition`'s matrix; cells for unknown severities or lanes are left
    to the findings (`unknown-reference`), since they have no place in the grid."""
    levels = definition.leveled_lanes
    rows = tuple(
        GridRow(sev, tuple(_cell(definition, sev, lane) for lane in levels))
        for sev in definition.severities
    )
    return MatrixGrid(levels, rows)


def _cell(d: Definition, sev: Severity, lane: Lane) -> GridCell:
    cell = d.cell(sev.id, lane.id)
    if cell is None:
        return GridCell(sev.id, lane, None, CellStatus.MISSING, (CellStatus.MISSING,))
    engage = cell.engage
    if engage is None:
        return GridCell(sev.id, lane, None, CellStatus.NOT_USED)
    issues = []
    if sev.resolve is not None and engage >= sev.resolve:
        issues.append(CellStatus.AFTER_SLA)
    if _engaged_before_lower(d, sev.id, lane, engage):
        issues.append(CellStatus.OUT_OF_ORDER)
    status = issues[0] if issues else CellStatus.SET
    return GridCell(sev.id, lane, engage, status, tuple(issues))


def _engaged_before_lower(d: Definition, sev: str, lane: Lane, engage: Duration) -> bool:
    """True when some lower level of the row is engaged later than `lane` is."""
    assert lane.level is not None
    for other in d.leveled_lanes:
        if other.level is None or other.level >= lane.level:
            continue
        cell = d.cell(sev, other.id)
        if cell is not None and cell.engage is not None and cell.engage > engage:
            return True
    return False
