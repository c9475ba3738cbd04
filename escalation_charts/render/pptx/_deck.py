"""Assemble the training deck: plan every slide, number them, then draw them in order.

Slides are planned first because they refer to each other (the agenda lists slide
numbers, a split chart points to the slide an arrow continues on) and because how many
slides a lane, the matrix or the findings need depends on how much text they hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from pptx.presentation import Presentation
from pptx.slide import Slide, SlideLayout

from ...findings import Finding
from ...geometry import Layout
from ...model import Definition
from . import _content as content
from ._blocks import Para, fit_size
from ._chart_slides import plan_matrix_slides, plan_overview
from ._check_slides import plan_validation
from ._lane_slides import plan_lane
from ._measure import fits
from ._notes import Notes
from ._package import deck_bytes
from ._shapes import Text, add_text, write_paras
from ._slide import PT, Deck, Spec, body_at, content_box, text_columns
from ._style import MIN_PT
from ._template import (
    body_placeholders,
    open_deck,
    pick_layouts,
    placeholder_size,
    remove_unused_placeholders,
    title_placeholder,
)
from ._walk_slides import plan_walkthrough

__all__ = ["build_deck"]

_FALLBACK_DATE = dt.date(2000, 1, 1)


def build_deck(
    definition: Definition,
    findings: Sequence[Finding],
    layout: Layout,
    *,
    severity: str | None = None,
    template: Path | None = None,
    notes_dir: Path | None = None,
) -> bytes:
    """The whole training deck as PPTX bytes (byte-identical for the same input).

    `layout` is the shared chart layout (`layout.compute_layout`); `severity` limits the
    walkthroughs to one severity (the layout should then be computed for it too).
    """
    prs = open_deck(template)
    deck = Deck(prs, pick_layouts(prs), definition)
    notes = Notes(notes_dir)
    specs = _plan(deck, findings, layout, severity)
    for n, spec in enumerate(specs, start=1):
        if spec.kind == "overview":
            deck.numbers[spec.notes["page"] - 1] = n
    deck.agenda = _agenda_items(specs)
    for spec in specs:
        if spec.kind == "agenda":
            spec.notes["items"] = deck.agenda
    base = {"definition": definition, "process": definition.process}
    for spec in specs:
        slide = prs.slides.add_slide(spec.layout)
        used = [_set_title(slide, spec.title, spec.layout, prs)]
        used += spec.draw(slide, deck)
        remove_unused_placeholders(slide, [u for u in used if u is not None])
        slide.notes_slide.notes_text_frame.text = notes.render(spec.kind, **base, **spec.notes)
    process = definition.process
    when = dt.datetime.combine(process.reviewed or _FALLBACK_DATE, dt.time(0))
    return deck_bytes(
        prs,
        title=process.name,
        author=process.owner or "",
        subject=f"Training deck for {process.name}",
        when=when,
    )


# --- planning --------------------------------------------------------------------------


def _plan(
    deck: Deck, findings: Sequence[Finding], layout: Layout, severity: str | None
) -> list[Spec]:
    d, lay = deck.definition, deck.layouts
    specs = [
        Spec(
            "title",
            "",
            lay.title,
            d.process.name,
            _draw_title,
            {"severities": d.severities, "lanes": d.lanes, "levels": d.leveled_lanes},
        ),
        Spec("agenda", "", lay.content, "Agenda", _draw_agenda),
    ]
    specs += plan_overview(deck, layout, severity)
    for lane in d.lanes:
        specs += plan_lane(deck, lane)
    specs += plan_matrix_slides(deck)
    for sev in d.severities:
        if severity is None or sev.id == severity:
            specs += plan_walkthrough(deck, sev.id)
    specs += plan_validation(deck, findings)
    return specs


def _agenda_items(specs: Sequence[Spec]) -> list[dict[str, str]]:
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


# --- title and agenda --------------------------------------------------------------------


def _set_title(slide: Slide, text: str, layout: SlideLayout, prs: Presentation) -> object:
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
    while size > 14 and not fits(text, size, width, height):
        size -= 1
    frame = shape.text_frame
    frame.text = ""
    paragraph = frame.paragraphs[0]
    for n, part in enumerate(text.split("\n")):
        if n:
            paragraph.add_line_break()
        run = paragraph.add_run()
        run.text = part
        if size < largest:
            from pptx.util import Pt

            run.font.size = Pt(size)
    return shape


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


def _draw_agenda(slide: Slide, deck: Deck) -> list[object]:
    """The sections in order, each with its slide numbers (known once all are planned)."""
    paras = [Para(item["slides"], lead=f"{item['title']}: ", bullet=True) for item in deck.agenda]
    box = text_columns(slide.slide_layout, deck, 1)[0]
    largest = min(placeholder_size(slide.slide_layout, "body"), 28.0)
    size = fit_size([paras], box.width, box.height, largest) or MIN_PT
    return body_at(slide, deck, paras, size)
