"""The auditor's facts about one definition: the verdict, the matrix completeness grid,
contact coverage, soundness per severity, when the flow can engage each level (read from
the validator's one timing analysis, `validate.timing`), and the review status. Pure
analysis of the model and the findings; the report renderers in `render.report` only lay
these out.
"""

from __future__ import annotations

from escalation_charts.audit.build import Audit, Verdict, VerdictState, build_audit
from escalation_charts.audit.coverage import Coverage, CoverageStatus, contact_coverage
from escalation_charts.audit.grid import CellStatus, GridCell, GridRow, MatrixGrid, matrix_grid
from escalation_charts.audit.review import ReviewState, ReviewStatus, review_status
from escalation_charts.audit.soundness import SOUNDNESS_RULES, SeveritySoundness, severity_soundness
from escalation_charts.validate.timing import LevelTiming, Route, TimingCheck, timing_analysis

__all__ = [
    "SOUNDNESS_RULES",
    "Audit",
    "CellStatus",
    "Coverage",
    "CoverageStatus",
    "GridCell",
    "GridRow",
    "LevelTiming",
    "MatrixGrid",
    "ReviewState",
    "ReviewStatus",
    "Route",
    "SeveritySoundness",
    "TimingCheck",
    "Verdict",
    "VerdictState",
    "build_audit",
    "contact_coverage",
    "matrix_grid",
    "review_status",
    "severity_soundness",
    "timing_analysis",
]
