"""The auditor's facts about one definition: the verdict, the matrix completeness grid,
contact coverage, soundness per severity, when the flow can engage each level, and the
review status. Pure analysis of the model and the findings; the report renderers in
`render.report` only lay these out.
"""

from __future__ import annotations

from .build import Audit, Verdict, VerdictState, build_audit
from .coverage import Coverage, CoverageStatus, contact_coverage
from .grid import CellStatus, GridCell, GridRow, MatrixGrid, matrix_grid
from .review import ReviewState, ReviewStatus, review_status
from .soundness import SOUNDNESS_RULES, SeveritySoundness, severity_soundness
from .timing import Engagement, TimingCheck, earliest_engagement, shortest_times

__all__ = [
    "SOUNDNESS_RULES",
    "Audit",
    "CellStatus",
    "Coverage",
    "CoverageStatus",
    "Engagement",
    "GridCell",
    "GridRow",
    "MatrixGrid",
    "ReviewState",
    "ReviewStatus",
    "SeveritySoundness",
    "TimingCheck",
    "Verdict",
    "VerdictState",
    "build_audit",
    "contact_coverage",
    "earliest_engagement",
    "matrix_grid",
    "review_status",
    "severity_soundness",
    "shortest_times",
]
