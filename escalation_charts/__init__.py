"""escalation-charts: escalation processes as code.

One YAML definition gives swim-lane charts, an editable training deck, the escalation
matrix and an audit report; `validate` proves the process is sound and complete.

The public names below are imported on first use, so `escalation-charts --help` and
every command pay only for what they run (a command imports `escalation_charts` first).
"""

from __future__ import annotations

from escalation_charts._lazy import lazy_exports

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

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Duration": "durations",
        "parse_duration": "durations",
        "RULES": "findings",
        "Finding": "findings",
        "Pos": "findings",
        "Loaded": "reading.loader",
        "load": "reading.loader",
        "load_text": "reading.loader",
        **dict.fromkeys(
            (
                "Contact",
                "Definition",
                "Edge",
                "Lane",
                "MatrixCell",
                "Process",
                "Severity",
                "Step",
                "StepType",
            ),
            "model",
        ),
    },
)
