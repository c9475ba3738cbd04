"""Swim-lane flow charts: model + shared layout -> DOT text -> SVG, PNG, PDF (Graphviz).

`render_chart(definition, "svg", ...)` returns one chart as bytes; `render_charts` several
formats from one layout. Modules: `dot` and `furniture` build DOT text (pure), `themes`
holds the colours, `svg` and `pdf` clean Graphviz's output; every engine call is in
`escalation_charts._graphviz`.
"""

from __future__ import annotations

from .chart import FORMATS, render_chart, render_charts
from .themes import THEMES

__all__ = ["FORMATS", "THEMES", "render_chart", "render_charts"]
