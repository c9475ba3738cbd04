"""Assemble the training deck: plan every slide, number them, then draw them in order.

Slides are planned first because they refer to each other (the agenda lists slide
numbers, a split chart points to the slide an arrow continues on) and because how many
slides a lane, the matrix or the findings need depends on how much text they hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from escalation_charts.findings import Finding
from escalation_charts.layout.geometry import Layout
from escalation_charts.model import Definition
from escalation_charts.render.pptx.draw.contrast import make_readable
from escalation_charts.render.pptx.notes import Notes
from escalation_charts.render.pptx.package.backdrop import Backdrops
from escalation_charts.render.pptx.package.save import deck_bytes
from escalation_charts.render.pptx.package.template import (
    open_deck,
    pick_layouts,
    remove_unused_placeholders,
)
from escalation_charts.render.pptx.slides.agenda import agenda_items, plan_agenda
from escalation_charts.render.pptx.slides.base import (
    Deck,
    Spec,
    set_title,
)
from escalation_charts.render.pptx.slides.lanes import plan_lane
from escalation_charts.render.pptx.slides.matrix import plan_matrix_slides
from escalation_charts.render.pptx.slides.overview import plan_overview
from escalation_charts.render.pptx.slides.title import plan_title
from escalation_charts.render.pptx.slides.validation import plan_validation
from escalation_charts.render.pptx.slides.walkthrough import plan_walkthrough

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
    deck.agenda = agenda_items(specs)
    for spec in specs:
        if spec.kind == "agenda":
            spec.notes["items"] = deck.agenda
    base = {"definition": definition, "process": definition.process}
    backdrops = Backdrops()
    for spec in specs:
        slide = prs.slides.add_slide(spec.layout)
        used = [set_title(slide, spec.title, spec.layout, prs)]
        used += spec.draw(slide, deck)
        remove_unused_placeholders(slide, [u for u in used if u is not None])
        if template is not None:  # a template's bands and pictures under our text (the
            make_readable(slide, backdrops)  # default look is checked by the tests)
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
    d = deck.definition
    specs = plan_title(deck) + plan_agenda(deck)
    specs += plan_overview(deck, layout, severity)
    for lane in d.lanes:
        specs += plan_lane(deck, lane)
    specs += plan_matrix_slides(deck)
    for sev in d.severities:
        if severity is None or sev.id == severity:
            specs += plan_walkthrough(deck, sev.id)
    specs += plan_validation(deck, findings)
    return specs
