"""Model + layout -> an editable Visio drawing (`.vsdx`): a cross-functional flowchart.

One page per chart (the whole process, then one per severity asked for): each lane a
`Swimlane` container with its header, in declared order; each step an instance of its
flowchart master (`Start/End`, `Process`, `Decision`, `Subprocess`, `Delay`) inside its
lane; every hand-over, timer and notify arrow a `Dynamic connector` glued to both of its
shapes, so a designer can move steps in Visio and keep the arrows. Title block and legend
on each page, colours and line styles from the charts' theme, document properties from
the process. Geometry comes from the shared layout, never recomputed.

`sheet` (ShapeSheet XML), `style` (looks), `shapes` (placing), `masters`, `page`,
`furniture` (title block, legend) and `package` (the OPC zip) each do one part.
"""

from __future__ import annotations

from collections.abc import Sequence

from escalation_charts.export.vsdx.package import Page, Properties, package
from escalation_charts.export.vsdx.page import draw_page
from escalation_charts.export.vsdx.sheet import xml_bytes
from escalation_charts.layout.geometry import Layout
from escalation_charts.model import Definition
from escalation_charts.render.themes import DEFAULT, Theme

__all__ = ["build_vsdx"]


def build_vsdx(definition: Definition, layouts: Sequence[Layout], theme: Theme = DEFAULT) -> bytes:
    """The `.vsdx` bytes: one page per layout (the whole chart first, then a severity's)."""
    pages = []
    for layout in layouts:
        drawing = draw_page(definition, layout, theme)
        name = "Process" if layout.severity is None else f"Severity {layout.severity}"
        pages.append(Page(name, drawing.width, drawing.height, xml_bytes(drawing.xml)))
    process = definition.process
    props = Properties(
        title=process.name,
        author=process.owner or "",
        version=process.version or "",
        subject=f"Escalation process {process.id}",
        when=process.reviewed,
    )
    return package(pages, props)
