"""Interchange formats: pure builders from the model (and the shared layout) to text.

`build_bpmn`, `build_drawio` and `build_vsdx` (a package: Visio's OPC parts, masters,
pages) place shapes from `layout.compute_layout`; `build_mermaid` needs only the model,
since Mermaid lays out the diagram itself.
"""

from __future__ import annotations

from escalation_charts.export.bpmn import build_bpmn
from escalation_charts.export.drawio import build_drawio
from escalation_charts.export.mermaid import build_mermaid
from escalation_charts.export.vsdx import build_vsdx

__all__ = ["build_bpmn", "build_drawio", "build_mermaid", "build_vsdx"]
