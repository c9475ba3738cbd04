"""The agenda: the deck's sections in order, each with its slide numbers."""

from __future__ import annotations

from collections.abc import Sequence

from pptx.slide import Slide

from escalation_charts.render.pptx.package.template import placeholder_size
from escalation_charts.render.pptx.slides.base import Deck, Spec, body_at, text_columns
from escalation_charts.render.pptx.style import MIN_PT
from escalation_charts.render.pptx.text.blocks import Para, fit_size

__all__ = ["agenda_items", "plan_agenda"]


def plan_agenda(deck: Deck) -> list[Spec]:
    """The agenda slide; its items are filled in once every slide is planned."""
    return [Spec("agenda", "", deck.layouts.content, "Agenda", _draw_agenda)]


def agenda_items(specs: Sequence[Spec]) -> list[dict[str, str]]:
    """Each section's title and the slides it covers, in deck order."""
    sections: dict[str, list[int]] = {}
    for n, spec in enumerate(specs, start=1):
        if spec.section:
            sections.setdefault(spec.section, []).append(n)
    items = []
    for title, numbers in sections.items():
        slides = (
            f"slide {numbers[0]}" if len(numbers) == 1 else (f"slides {numbers[0]}-{numbers[-1]}")
        )
        items.append({"title": title, "slides": slides})
    return items


def _draw_agenda(slide: Slide, deck: Deck) -> list[object]:
    """The sections in order, each with its slide numbers (known once all are planned)."""
    paras = [Para(item["slides"], lead=f"{item['title']}: ", bullet=True) for item in deck.agenda]
    box = text_columns(slide.slide_layout, deck, 1)[0]
    largest = min(placeholder_size(slide.slide_layout, "body"), 28.0)
    size = fit_size([paras], box.width, box.height, largest) or MIN_PT
    return body_at(slide, deck, paras, size)
