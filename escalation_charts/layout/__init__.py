"""Geometry: where every lane, step, edge and label of a chart goes, in points.

`bands` computes the shared layout (Graphviz orders the flow, lanes become fixed bands),
`routing` routes its edges, `bundles` draws timer edges between the same two steps as one
arrow, `ports` spreads edge ends along a step's side and keeps runs off
lane borders, `labels` places edge labels beside their own edge, `geometry` holds the
result every renderer reads, `engine` is the one boundary to the Graphviz engine,
`dot_text` builds DOT text safely, and `textfit` measures text and holds the one
line-breaking rule of every output.
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
