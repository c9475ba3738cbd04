"""The chart slides: the process at a glance, continued over slides when it is large."""

from __future__ import annotations

from pptx.slide import Slide

from escalation_charts.layout.geometry import Box, Layout
from escalation_charts.render.pptx.draw.chart import ChartStep, draw_page
from escalation_charts.render.pptx.draw.legend import draw_legend, legend_height
from escalation_charts.render.pptx.plan.chart import ChartPlan, StepText, plan_chart
from escalation_charts.render.pptx.slides.base import Deck, Spec, content_box
from escalation_charts.render.pptx.style import SHAPES, dimmed

__all__ = ["plan_overview"]


def plan_overview(deck: Deck, layout: Layout, severity: str | None) -> list[Spec]:
    d = deck.definition
    area = content_box(deck, deck.layouts.title_only)
    types = {d.steps_by_id[s.step].type for s in layout.steps if s.step in d.steps_by_id}
    kinds = {e.kind for e in layout.edges}
    external = any(lane.external for lane in d.lanes)
    legend = legend_height(area.width, types, kinds, external)
    chart_area = Box(area.x, area.y, area.width, area.height - legend - 6)
    faded = set(layout.dimmed)
    steps = {}
    for placed in layout.steps:
        step = d.steps_by_id[placed.step]
        style = SHAPES[step.type]
        steps[step.id] = ChartStep(
            StepText(style.preset, step.label, step.lane),
            dimmed(style) if step.id in faded else style,
        )
    lanes = {
        lane.id: (lane.name + ("\n(external)" if lane.external else ""), lane.external)
        for lane in d.lanes
    }
    plan = plan_chart(
        layout,
        {k: v.text for k, v in steps.items()},
        {k: v[0] for k, v in lanes.items()},
        chart_area,
    )
    title = "The process at a glance"
    if severity is not None:
        title += f" ({severity} tickets)"
    specs = []
    pages = len(plan.pages)
    for page in plan.pages:

        def draw(slide: Slide, deck: Deck, page=page, plan: ChartPlan = plan) -> list[object]:
            draw_page(slide, page, plan, steps, lanes, deck.numbers)
            draw_legend(slide, area, types, kinds, external, pages > 1)
            return []

        suffix = f" ({page.number} of {pages})" if pages > 1 else ""
        specs.append(
            Spec(
                "overview",
                "The process at a glance",
                deck.layouts.title_only,
                title + suffix,
                draw,
                {
                    "page": page.number,
                    "pages": pages,
                    "lanes": [d.lanes_by_id[b.lane] for b in page.lanes],
                    "steps": [d.steps_by_id[s.step] for s in page.steps],
                },
            )
        )
    return specs
