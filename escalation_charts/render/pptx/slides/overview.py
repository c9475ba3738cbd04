"""The chart slides: the process at a glance, then in detail when it is too big for one.

A trainer opens with the whole process on one slide. When the whole chart fits one slide
with its step text at `CHART_MIN_PT` or more, that slide is the chart. Otherwise the
first slide is a lane-level overview (the lanes, their step counts, the hand-overs between
them, and on which detail slide each lane's steps are) and the chart follows on detail
slides, each a run of the flow filling the slide, with continuation marks that carry the
number of the slide an arrow goes on to.
"""

from __future__ import annotations

from pptx.slide import Slide

from escalation_charts.layout.geometry import Box, Layout
from escalation_charts.model import StepType
from escalation_charts.render.pptx.draw.chart import ChartStep, draw_page
from escalation_charts.render.pptx.draw.glance import draw_glance
from escalation_charts.render.pptx.draw.legend import LegendStamp, legend_height
from escalation_charts.render.pptx.package.template import legend_strip
from escalation_charts.render.pptx.plan.chart import ChartPlan, StepText, plan_chart
from escalation_charts.render.pptx.plan.glance import plan_glance
from escalation_charts.render.pptx.slides.base import Deck, Spec, content_box
from escalation_charts.render.pptx.style import DEFAULT_WIDTH, SHAPES, dimmed

__all__ = ["plan_overview"]

GLANCE = "The process at a glance"
DETAIL = "The process in detail"


def plan_overview(deck: Deck, layout: Layout, severity: str | None) -> list[Spec]:
    d = deck.definition
    area = content_box(deck, deck.layouts.title_only)
    types = {d.steps_by_id[s.step].type for s in layout.steps if s.step in d.steps_by_id}
    kinds = {e.kind for e in layout.edges}
    external = any(lane.external for lane in d.lanes)
    # The legend may run on below the chart, beside a footer's corner mark (see
    # `legend_strip`); the chart ends above the legend and above the mark.
    strip = legend_strip(deck.prs, deck.layouts.title_only)
    legend = legend_height(strip.width, types, kinds, external)
    chart_area = Box(area.x, area.y, area.width, min(area.height, strip.height - legend - 6))
    faded = set(layout.dimmed)
    steps = {}
    for placed in layout.steps:
        step = d.steps_by_id[placed.step]
        style = SHAPES[step.type]
        steps[step.id] = ChartStep(
            StepText(style.preset, step.label, step.lane),
            dimmed(style) if step.id in faded else style,
            step.type is StepType.ESCALATE,
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
        deck.prs.slide_width / 12700 / DEFAULT_WIDTH,
    )
    for_whom = f" ({severity} tickets)" if severity is not None else ""
    pages = len(plan.pages)
    specs = [] if pages == 1 else [_glance(deck, layout, plan, lanes, area, for_whom)]
    legend = LegendStamp()
    for page in plan.pages:

        def draw(slide: Slide, deck: Deck, page=page, plan: ChartPlan = plan) -> list[object]:
            draw_page(slide, page, plan, steps, lanes, deck.numbers)
            legend.draw(slide, strip, types, kinds, external, pages > 1)
            return []

        if pages == 1:
            title = GLANCE + for_whom
        else:  # one pair of brackets: "in detail for P1 tickets (2 of 3)"
            which = f" for {severity} tickets" if severity is not None else ""
            title = f"{DETAIL}{which} ({page.number} of {pages})"
        specs.append(
            Spec(
                "overview",
                GLANCE if pages == 1 else DETAIL,
                deck.layouts.title_only,
                title,
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


def _glance(
    deck: Deck,
    layout: Layout,
    plan: ChartPlan,
    lanes: dict[str, tuple[str, bool]],
    area: Box,
    for_whom: str,
) -> Spec:
    """The lane-level overview slide that leads into the detail slides."""
    d = deck.definition
    lane_of = {s.id: s.lane for s in d.steps}
    order = [lane.id for lane in d.lanes]
    glance = plan_glance(layout, lane_of, order, {k: v[0] for k, v in lanes.items()}, area)
    on_pages = {
        lane: [p.number - 1 for p in plan.pages if any(lane_of[s.step] == lane for s in p.steps)]
        for lane in order
    }

    def draw(slide: Slide, deck: Deck) -> list[object]:
        where = {
            lane: _slides_text([deck.numbers[p] for p in pages]) for lane, pages in on_pages.items()
        }
        draw_glance(slide, glance, lanes, where)
        return []

    return Spec(
        "glance",
        GLANCE,
        deck.layouts.title_only,
        GLANCE + for_whom,
        draw,
        {
            "lanes": [d.lanes_by_id[lane] for lane in order],
            "handovers": [
                {
                    "source": d.lanes_by_id[h.source],
                    "target": d.lanes_by_id[h.target],
                    "count": h.count,
                }
                for h in glance.handovers
            ],
            "pages": len(plan.pages),
        },
    )


def _slides_text(numbers: list[int]) -> str:
    """'On slide 4', 'On slides 4-5', 'On slides 4 and 6': where a lane's steps are drawn."""
    if not numbers:
        return "Informed only"
    if len(numbers) == 1:
        return f"Steps on slide {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"Steps on slides {numbers[0]}\u2013{numbers[-1]}"
    return "Steps on slides " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"
