"""escalation-charts: escalation processes as code.

One YAML definition gives swim-lane charts, an editable training deck, the escalation
matrix and an audit report; `validate` proves the process is sound and complete.
"""

from __future__ import annotations

from escalation_charts.durations import Duration, parse_duration
from escalation_charts.findings import RULES, Finding, Pos
from escalation_charts.load.loader import Loaded, load, load_text
from escalation_charts.model import (
    Contact,
    Definition,
    Edge,
    Lane,
    MatrixCell,
    Process,
    Severity,
    Step,
    StepType,
)

__version__ = "0.1.0"

__all__ = [
    "RULES",
    "Contact",
    "Definition",
    "Duration",
    "Edge",
    "Finding",
    "Lane",
    "Loaded",
    "MatrixCell",
    "Pos",
    "Process",
    "Severity",
    "Step",
    "StepType",
    "__version__",
    "load",
    "load_text",
    "parse_duration",
]
