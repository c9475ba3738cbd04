"""Geometry: where every lane, step, edge and label of a chart goes, in points.

`bands` computes the shared layout (Graphviz orders the flow, lanes become fixed bands),
`routing` routes its edges and places labels, `geometry` holds the result every renderer
reads, `engine` is the one boundary to the Graphviz engine, `dot_text` builds DOT text
safely, and `textfit` measures and wraps text the way the charts draw it.
"""

from __future__ import annotations

from escalation_charts._lazy import lazy_exports

__all__ = [
    "Box",
    "EdgeRoute",
    "LaneBand",
    "Layout",
    "LayoutError",
    "Point",
    "StepBox",
    "compute_layout",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Box": "geometry",
        "EdgeRoute": "geometry",
        "LaneBand": "geometry",
        "Layout": "geometry",
        "Point": "geometry",
        "StepBox": "geometry",
        "LayoutError": "bands",
        "compute_layout": "bands",
    },
)
