"""One slide (or more) per lane: who, what they do, when engaged, where they hand over."""

from __future__ import annotations

from pptx.slide import Slide

from escalation_charts.render.pptx import content
from escalation_charts.render.pptx.package.template import placeholder_size
from escalation_charts.render.pptx.slides.base import Deck, Spec, fill_columns, text_columns
from escalation_charts.render.pptx.text.blocks import flow_columns

__all__ = ["plan_lane"]


def plan_lane(deck: Deck, lane) -> list[Spec]:  # type: ignore[no-untyped-def]
    d = deck.definition
    who, what, when, where = content.lane_sections(d, lane, deck.timing)
    slide_layout = deck.layouts.two or deck.layouts.title_only
    boxes = text_columns(slide_layout, deck, 2)
    largest = min(placeholder_size(slide_layout, "body"), 18.0)
    # Poured into two columns like a newspaper, at the largest size that fits the slide.
    paras = content.section_paras([who, when, what, where])
    width = min(b.width for b in boxes)
    height = min(b.height for b in boxes)
    size, pages = flow_columns(paras, width, height, 2, largest)
    title = content.lane_title(lane)
    # The flow's times beside the matrix's, from the validator's one analysis.
    timing = {t.severity.id: t for row in deck.timing for t in row if t.lane.id == lane.id}
    cells = (
        [
            {
                "severity": sev,
                "engage": getattr(d.cell(sev.id, lane.id), "engage", None),
                "late": sev.id in timing and timing[sev.id].late,
                "earliest": timing[sev.id].earliest if sev.id in timing else None,
            }
            for sev in d.severities
        ]
        if lane.level is not None
        else []
    )
    specs = []
    for n, columns in enumerate(pages, start=1):

        def draw(slide: Slide, deck: Deck, columns=columns, size=size) -> list[object]:
            return fill_columns(slide, deck, columns, size, ["who-when", "what-where"])

        specs.append(
            Spec(
                "lane",
                "Who does what: one slide per lane",
                slide_layout,
                title + (f" ({n} of {len(pages)})" if len(pages) > 1 else ""),
                draw,
                {
                    "lane": lane,
                    "steps": d.steps_in(lane.id),
                    "cells": cells,
                    "page": n,
                    "pages": len(pages),
                },
            )
        )
    return specs
