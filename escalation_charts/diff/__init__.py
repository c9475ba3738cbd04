"""Comparing two versions of a process: what changed in the model, and what it means.

`compare` matches two loaded definitions (by id, then renamed ids by label similarity)
and lists the changes per section (process, severities, lanes, contacts, steps, edges,
matrix) and their consequences (findings that appear or disappear, earliest engagement
times, reachability per severity). `report` writes that as text, Markdown or JSON, and
`chart` turns it into the marks of a change chart drawn by `render.chart`. Never text: a
reformatted file with the same model has no changes.
"""

from __future__ import annotations

from escalation_charts._lazy import lazy_exports

__all__ = [
    "Change",
    "DefinitionDiff",
    "change_chart",
    "compare",
    "diff_json",
    "diff_markdown",
    "diff_text",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Change": "changes",
        "DefinitionDiff": "comparison",
        "compare": "comparison",
        "change_chart": "chart",
        "diff_json": "report",
        "diff_markdown": "report",
        "diff_text": "report",
    },
)
