"""What every kind of slide shares: the planned-slide record and text in columns.

A slide is planned as a `Spec` (its kind, layout, title, a function that draws its body
and the facts its notes get) before anything is drawn, so slides can refer to each other
by number. Text goes into the layout's body placeholders when it has them, otherwise into
text boxes laid out in the content area.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from pptx.presentation import Presentation
from pptx.slide import Slide, SlideLayout

from escalation_charts.layout.geometry import Box
from escalation_charts.layout.textfit import deck_fits
from escalation_charts.model import Definition
from escalation_charts.render.pptx.draw.shapes import Text, add_text, write_paras
from escalation_charts.render.pptx.package.template import (
    BODY_KINDS,
    Layouts,
    body_placeholders,
    content_area,
    placeholder_size,
    title_face,
    title_placeholder,
)
from escalation_charts.render.pptx.style import MIN_PT, Colours
from escalation_charts.render.pptx.text.blocks import Para, fit_size, split_to_fit
from escalation_charts.validate.timing import LevelTiming, timing_analysis

__all__ = [
    "PT",
    "Deck",
    "Spec",
    "body_at",
    "content_box",
    "fill_columns",
    "plan_columns",
    "text_columns",
]


PT = 12700
_PLACEHOLDER_INDENT = 20.0  # points a template's bullets may indent beyond our estimate


@dataclass
class Spec:
    """One planned slide: its kind (for notes), section (for the agenda), layout, title,
    how to draw its body, and the facts its notes template gets."""

    kind: str
    section: str
    layout: SlideLayout
    title: str
    draw: Callable[[Slide, Deck], list[object]]
    notes: dict[str, Any] = field(default_factory=dict)


@dataclass
class Deck:
    """What drawing needs to know about the whole deck."""

    prs: Presentation
    layouts: Layouts
    definition: Definition
    numbers: dict[int, int] = field(default_factory=dict)  # chart page -> slide number
    agenda: list[dict[str, str]] = field(default_factory=list)

    @cached_property
    def timing(self) -> tuple[tuple[LevelTiming, ...], ...]:
        """The validator's timing analysis, once per deck: what the walkthroughs and the
        lane slides say about when a level joins (no second computation of it)."""
        return timing_analysis(self.definition)


def content_box(deck: Deck, layout: SlideLayout) -> Box:
    return content_area(deck.prs, layout)


def text_columns(slide_layout: SlideLayout, deck: Deck, count: int) -> list[Box]:
    """Text columns for a slide: the layout's body placeholders, or the content area cut
    into `count` columns."""
    bodies = [ph for ph in slide_layout.placeholders if ph.placeholder_format.type in BODY_KINDS]
    if len(bodies) >= count:
        boxes = sorted(
            (
                Box(
                    ph.left / PT + 7.2,
                    ph.top / PT + 3.6,
                    ph.width / PT - 14.4 - _PLACEHOLDER_INDENT,
                    ph.height / PT - 7.2,
                )
                for ph in bodies
            ),
            key=lambda b: b.x,
        )
        return boxes[:count]
    area = content_box(deck, slide_layout)
    gap = 24.0
    width = (area.width - gap * (count - 1)) / count
    return [Box(area.x + n * (width + gap), area.y, width, area.height) for n in range(count)]


def plan_columns(
    columns: Sequence[Sequence[Para]], boxes: Sequence[Box], largest: float
) -> tuple[float, list[list[list[Para]]]]:
    """The size that fits every column, or MIN_PT and the columns cut into pages."""
    size = _fit_size_multi(columns, boxes, largest)
    if size is not None:
        return size, [[list(c) for c in columns]]
    chunks = [
        split_to_fit(c, b.width, b.height, MIN_PT) for c, b in zip(columns, boxes, strict=True)
    ]
    pages = max(len(c) for c in chunks)
    return MIN_PT, [[c[n] if n < len(c) else [] for c in chunks] for n in range(pages)]


def _fit_size_multi(
    columns: Sequence[Sequence[Para]], boxes: Sequence[Box], largest: float
) -> float | None:
    """One size for several columns, each in its own box: the smallest of their best."""
    sizes = [fit_size([c], b.width, b.height, largest) for c, b in zip(columns, boxes, strict=True)]
    return None if None in sizes else min(s for s in sizes if s is not None)


def fill_columns(
    slide: Slide, deck: Deck, columns: Sequence[Sequence[Para]], size: float, names: Sequence[str]
) -> list[object]:
    bodies = body_placeholders(slide)
    used: list[object] = []
    if deck.layouts.two is not None and slide.slide_layout is deck.layouts.two and len(bodies) >= 2:
        for body, paras in zip(bodies, columns, strict=False):
            if paras:
                write_paras(body.text_frame, _in_placeholder(paras), size, own_bullets=False)
                used.append(body)
        return used
    for box, paras, name in zip(
        text_columns(slide.slide_layout, deck, len(columns)), columns, names, strict=False
    ):
        if paras:
            shape = add_text(slide.shapes, name, (box.x, box.y, box.width, box.height), [])
            write_paras(shape.text_frame, paras, size, own_bullets=True)
    return used


def body_at(slide: Slide, deck: Deck, paras: Sequence[Para], size: float) -> list[object]:
    bodies = body_placeholders(slide)
    if bodies:
        write_paras(bodies[0].text_frame, _in_placeholder(paras), size, own_bullets=False)
        return [bodies[0]]
    box = text_columns(slide.slide_layout, deck, 1)[0]
    shape = add_text(slide.shapes, "body", (box.x, box.y, box.width, box.height), [])
    write_paras(shape.text_frame, paras, size, own_bullets=True)
    return []


def _in_placeholder(paras: Sequence[Para]) -> list[Para]:
    """Paragraphs as a template's placeholder takes them: headings in the template's own
    text colour (it styles its placeholders; our heading ink is for our own boxes). A
    colour that carries meaning (an error's red, a pass's green) stays, and is checked
    against what is behind it once the slide is drawn (`draw/contrast`)."""
    return [replace(p, colour=None) if p.colour == Colours.HEADER else p for p in paras]


def set_title(slide: Slide, text: str, layout: SlideLayout, prs: Presentation) -> object:
    """Fill the title placeholder (shrinking the text until it fits), or add a title box."""
    shape = title_placeholder(slide)
    largest = placeholder_size(layout, "title")
    if shape is None:
        box = (0.4 * 72, 0.3 * 72, prs.slide_width / PT - 0.8 * 72, 0.8 * 72)
        add_text(
            slide.shapes, "title", box, [[Text(text, min(largest, 28), bold=True)]], anchor="ctr"
        )
        return None
    width = shape.width / PT - 14.4
    height = shape.height / PT - 7.2
    size = largest
    face = title_face(layout)  # a template's own title face may run wider than Calibri
    while size > 14 and not deck_fits(text, size, width, height, face=face):
        size -= 1
    frame = shape.text_frame
    frame.text = ""
    paragraph = frame.paragraphs[0]
    for n, part in enumerate(text.split("\n")):
        if n:
            paragraph.add_line_break()
        run = paragraph.add_run()
        run.text = part
        if size < largest or face is not None:
            # A template's title is written at the size it was measured at: its own
            # size may sit where we do not read it (a master's sample text).
            from pptx.util import Pt

            run.font.size = Pt(size)
    return shape
