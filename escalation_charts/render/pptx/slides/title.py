"""The title slide: the process name, and its version, owner and review below."""

from __future__ import annotations

from pptx.slide import Slide

from escalation_charts.render.pptx import content
from escalation_charts.render.pptx.draw.shapes import add_text, write_paras
from escalation_charts.render.pptx.package.template import body_placeholders, placeholder_size
from escalation_charts.render.pptx.slides.base import PT, Deck, Spec, content_box
from escalation_charts.render.pptx.style import MIN_PT
from escalation_charts.render.pptx.text.blocks import Para, fit_size

__all__ = ["plan_title"]


def plan_title(deck: Deck) -> list[Spec]:
    """The deck's first slide, on the template's title layout."""
    d = deck.definition
    notes = {"severities": d.severities, "lanes": d.lanes, "levels": d.leveled_lanes}
    return [Spec("title", "", deck.layouts.title, d.process.name, _draw_title, notes)]


def _draw_title(slide: Slide, deck: Deck) -> list[object]:
    lines = content.subtitle_lines(deck.definition)
    bodies = body_placeholders(slide)
    if not lines:
        return []
    paras = [Para(line) for line in lines]
    if bodies:
        body = bodies[0]
        width, height = body.width / PT - 14.4, body.height / PT - 7.2
        largest = min(placeholder_size(slide.slide_layout, "body"), 24.0)
        size = fit_size([paras], width, height, largest) or MIN_PT
        write_paras(body.text_frame, paras, size, own_bullets=False)
        return [body]
    area = content_box(deck, slide.slide_layout)
    box = (area.x, area.y + area.height / 2, area.width, area.height / 2)
    shape = add_text(slide.shapes, "subtitle", box, [])
    write_paras(shape.text_frame, paras, 20, own_bullets=True)
    return []
