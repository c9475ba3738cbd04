"""`render --severity`: edges a ticket of that severity never takes are faded with the
steps they lead from or to, hand-over emphasis included (issue 13)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from escalation_charts.reading.loader import load
from escalation_charts.render.chart import render_chart
from escalation_charts.render.themes import get_theme

SVG = "{http://www.w3.org/2000/svg}"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "spec-example.yaml"


def _stroke(svg: bytes, group: str) -> tuple[str, float]:
    root = etree.fromstring(svg)
    (g,) = root.iterfind(f".//{SVG}g[@id='{group}']")
    path = g.find(f"{SVG}path")
    assert path is not None
    return path.get("stroke", ""), float(path.get("stroke-width", "1"))


def test_a_hand_over_from_a_faded_step_is_faded_too() -> None:
    definition = load(EXAMPLE).definition
    assert definition is not None
    theme = get_theme("default")
    # P3 never opens a vendor case (the timer to it holds for P1 and P2 only)
    svg = render_chart(definition, "svg", severity="P3")
    assert _stroke(svg, "edge-to-vendor-0") == (theme.dimmed_line, theme.line_width)
    assert _stroke(svg, "edge-vendor-fix-0")[0] == theme.dimmed_line
    # what P3 does take keeps its look: the hand-over to Tier 2 stays orange and thick
    assert _stroke(svg, "edge-to-t2-0") == (theme.handover_edge, theme.handover_width)
    # drawn for P1 the vendor hand-over is a real one
    svg = render_chart(definition, "svg", severity="P1")
    assert _stroke(svg, "edge-to-vendor-0") == (theme.handover_edge, theme.handover_width)
