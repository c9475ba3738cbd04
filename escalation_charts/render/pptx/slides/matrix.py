"""The matrix slides: the escalation matrix as a native table, split when it is large."""

from __future__ import annotations

from pptx.slide import Slide

from escalation_charts.layout.geometry import Box
from escalation_charts.layout.textfit import LINE_HEIGHT
from escalation_charts.render.pptx.draw.shapes import Text, add_text
from escalation_charts.render.pptx.draw.table import draw_matrix, plan_matrix
from escalation_charts.render.pptx.slides.base import Deck, Spec, content_box
from escalation_charts.render.pptx.style import MIN_PT, Colours

__all__ = ["plan_matrix_slides"]


def plan_matrix_slides(deck: Deck) -> list[Spec]:
    d = deck.definition
    area = content_box(deck, deck.layouts.title_only)
    caption_h = 2 * MIN_PT * LINE_HEIGHT + 8
    table_area = Box(area.x, area.y, area.width, area.height - caption_h)
    pages = plan_matrix(d, table_area)
    specs = []
    for n, page in enumerate(pages, start=1):

        def draw(slide: Slide, deck: Deck, page=page) -> list[object]:
            height = draw_matrix(slide, d, page, table_area)
            caption = (
                "Times count from when the ticket opens. Respond and resolve are the "
                'targets for each severity; "not used" means that level is never engaged.'
            )
            add_text(
                slide.shapes,
                "matrix-caption",
                (area.x, area.y + height + 8, area.width, caption_h - 4),
                [[Text(caption, MIN_PT + 1, italic=True, colour=Colours.MUTED)]],
            )
            return []

        specs.append(
            Spec(
                "matrix",
                "The escalation matrix",
                deck.layouts.title_only,
                "The escalation matrix" + (f" ({n} of {len(pages)})" if len(pages) > 1 else ""),
                draw,
                {
                    "severities": page.severities,
                    "levels": page.levels,
                    "page": n,
                    "pages": len(pages),
                },
            )
        )
    return specs
