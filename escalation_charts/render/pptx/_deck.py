"""Assemble the training deck: plan every slide, number them, then draw them in order.

Slides are planned first because they refer to each other (the agenda lists slide
numbers, a split chart points to the slide an arrow continues on) and because how many
slides a lane, the matrix or the findings need depends on how much text they hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pptx.presentation import Presentation
from pptx.slide import Slide, SlideLayout

from ...findings import Finding
from ...geometry import Box, Layout
from ...model import Definition
from . import _content as content
from ._blocks import Para, fit_size, flow_columns, split_to_fit
from ._chart import ChartStep, draw_page
from ._chartplan import ChartPlan, StepText, plan_chart
from ._legend import draw_legend, legend_height
from ._measure import LINE_HEIGHT, fits, wrap
from ._notes import Notes
from ._package import deck_bytes
from ._shapes import Text, add_box, add_text, fill_text, write_paras
from ._style import MIN_PT, SHAPES, Colours, dimmed
from ._table import draw_matrix, plan_matrix
from ._template import (
    BODY_KINDS,
    Layouts,
    body_placeholders,
    content_area,
    open_deck,
    pick_layouts,
    placeholder_size,
    remove_unused_placeholders,
    title_placeholder,
)
from ._walk import walkthrough

__all__ = ["build_deck"]

_PT = 12700
_FALLBACK_DATE = dt.date(2000, 1, 1)
_PLACEHOLDER_INDENT = 20.0  # points a template's bullets may indent beyond our estimate


@dataclass
class _Spec:
    """One planned slide: its kind (for notes), section (for the agenda), layout, title,
    how to draw its body, and the facts its notes template gets."""

    kind: str
    section: str
    layout: SlideLayout
    title: str
    draw: Callable[[Slide, _Deck], list[object]]
    notes: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Deck:
    """What drawing needs to know about the whole deck."""

    prs: Presentation
    layouts: Layouts
    definition: Definition
    numbers: dict[int, int] = field(default_factory=dict)  # chart page -> slide number
    agenda: list[dict[str, str]] = field(default_factory=list)


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
    deck = _Deck(prs, pick_layouts(prs), definition)
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
    deck: _Deck, findings: Sequence[Finding], layout: Layout, severity: str | None
) -> list[_Spec]:
    d, lay = deck.definition, deck.layouts
    specs = [
        _Spec(
            "title",
            "",
            lay.title,
            d.process.name,
            _draw_title,
            {"severities": d.severities, "lanes": d.lanes, "levels": d.leveled_lanes},
        ),
        _Spec("agenda", "", lay.content, "Agenda", _draw_agenda),
    ]
    specs += _plan_overview(deck, layout, severity)
    for lane in d.lanes:
        specs += _plan_lane(deck, lane)
    specs += _plan_matrix(deck)
    for sev in d.severities:
        if severity is None or sev.id == severity:
            specs += _plan_walkthrough(deck, sev.id)
    specs += _plan_validation(deck, findings)
    return specs


def _agenda_items(specs: Sequence[_Spec]) -> list[dict[str, str]]:
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


def _area(deck: _Deck, layout: SlideLayout) -> Box:
    return content_area(deck.prs, layout)


# --- title and agenda --------------------------------------------------------------------


def _set_title(slide: Slide, text: str, layout: SlideLayout, prs: Presentation) -> object:
    """Fill the title placeholder (shrinking the text until it fits), or add a title box."""
    shape = title_placeholder(slide)
    largest = placeholder_size(layout, "title")
    if shape is None:
        box = (0.4 * 72, 0.3 * 72, prs.slide_width / _PT - 0.8 * 72, 0.8 * 72)
        add_text(
            slide.shapes, "title", box, [[Text(text, min(largest, 28), bold=True)]], anchor="ctr"
        )
        return None
    width = shape.width / _PT - 14.4
    height = shape.height / _PT - 7.2
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


def _draw_title(slide: Slide, deck: _Deck) -> list[object]:
    lines = content.subtitle_lines(deck.definition)
    bodies = body_placeholders(slide)
    if not lines:
        return []
    paras = [Para(line) for line in lines]
    if bodies:
        body = bodies[0]
        width, height = body.width / _PT - 14.4, body.height / _PT - 7.2
        largest = min(placeholder_size(slide.slide_layout, "body"), 24.0)
        size = fit_size([paras], width, height, largest) or MIN_PT
        write_paras(body.text_frame, paras, size, own_bullets=False)
        return [body]
    area = _area(deck, slide.slide_layout)
    box = (area.x, area.y + area.height / 2, area.width, area.height / 2)
    shape = add_text(slide.shapes, "subtitle", box, [])
    write_paras(shape.text_frame, paras, 20, own_bullets=True)
    return []


def _draw_agenda(slide: Slide, deck: _Deck) -> list[object]:
    """The sections in order, each with its slide numbers (known once all are planned)."""
    paras = [Para(item["slides"], lead=f"{item['title']}: ", bullet=True) for item in deck.agenda]
    box = _columns(slide.slide_layout, deck, 1)[0]
    largest = min(placeholder_size(slide.slide_layout, "body"), 28.0)
    size = fit_size([paras], box.width, box.height, largest) or MIN_PT
    return _body_at(slide, deck, paras, size)


# --- the chart ---------------------------------------------------------------------------


def _plan_overview(deck: _Deck, layout: Layout, severity: str | None) -> list[_Spec]:
    d = deck.definition
    area = _area(deck, deck.layouts.title_only)
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

        def draw(slide: Slide, deck: _Deck, page=page, plan: ChartPlan = plan) -> list[object]:
            draw_page(slide, page, plan, steps, lanes, deck.numbers)
            draw_legend(slide, area, types, kinds, external, pages > 1)
            return []

        suffix = f" ({page.number} of {pages})" if pages > 1 else ""
        specs.append(
            _Spec(
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


# --- one slide (or more) per lane ----------------------------------------------------------


def _columns(slide_layout: SlideLayout, deck: _Deck, count: int) -> list[Box]:
    """Text columns for a slide: the layout's body placeholders, or the content area cut
    into `count` columns."""
    bodies = [ph for ph in slide_layout.placeholders if ph.placeholder_format.type in BODY_KINDS]
    if len(bodies) >= count:
        boxes = sorted(
            (
                Box(
                    ph.left / _PT + 7.2,
                    ph.top / _PT + 3.6,
                    ph.width / _PT - 14.4 - _PLACEHOLDER_INDENT,
                    ph.height / _PT - 7.2,
                )
                for ph in bodies
            ),
            key=lambda b: b.x,
        )
        return boxes[:count]
    area = _area(deck, slide_layout)
    gap = 24.0
    width = (area.width - gap * (count - 1)) / count
    return [Box(area.x + n * (width + gap), area.y, width, area.height) for n in range(count)]


def _plan_columns(
    columns: Sequence[Sequence[Para]], boxes: Sequence[Box], largest: float
) -> tuple[float, list[list[list[Para]]]]:
    """The size that fits every column, or MIN_PT and the columns cut into pages."""
    size = fit_size_multi(columns, boxes, largest)
    if size is not None:
        return size, [[list(c) for c in columns]]
    chunks = [
        split_to_fit(c, b.width, b.height, MIN_PT) for c, b in zip(columns, boxes, strict=True)
    ]
    pages = max(len(c) for c in chunks)
    return MIN_PT, [[c[n] if n < len(c) else [] for c in chunks] for n in range(pages)]


def fit_size_multi(
    columns: Sequence[Sequence[Para]], boxes: Sequence[Box], largest: float
) -> float | None:
    """One size for several columns, each in its own box: the smallest of their best."""
    sizes = [fit_size([c], b.width, b.height, largest) for c, b in zip(columns, boxes, strict=True)]
    return None if None in sizes else min(s for s in sizes if s is not None)


def _fill_columns(
    slide: Slide, deck: _Deck, columns: Sequence[Sequence[Para]], size: float, names: Sequence[str]
) -> list[object]:
    bodies = body_placeholders(slide)
    used: list[object] = []
    if deck.layouts.two is not None and slide.slide_layout is deck.layouts.two and len(bodies) >= 2:
        for body, paras in zip(bodies, columns, strict=False):
            if paras:
                write_paras(body.text_frame, paras, size, own_bullets=False)
                used.append(body)
        return used
    for box, paras, name in zip(
        _columns(slide.slide_layout, deck, len(columns)), columns, names, strict=False
    ):
        if paras:
            shape = add_text(slide.shapes, name, (box.x, box.y, box.width, box.height), [])
            write_paras(shape.text_frame, paras, size, own_bullets=True)
    return used


def _plan_lane(deck: _Deck, lane) -> list[_Spec]:  # type: ignore[no-untyped-def]
    d = deck.definition
    who, what, when, where = content.lane_sections(d, lane)
    slide_layout = deck.layouts.two or deck.layouts.title_only
    boxes = _columns(slide_layout, deck, 2)
    largest = min(placeholder_size(slide_layout, "body"), 18.0)
    # Poured into two columns like a newspaper, at the largest size that fits the slide.
    paras = content.section_paras([who, when, what, where])
    width = min(b.width for b in boxes)
    height = min(b.height for b in boxes)
    size, pages = flow_columns(paras, width, height, 2, largest)
    title = content.lane_title(lane)
    cells = (
        [
            {"severity": sev, "engage": getattr(d.cell(sev.id, lane.id), "engage", None)}
            for sev in d.severities
        ]
        if lane.level is not None
        else []
    )
    specs = []
    for n, columns in enumerate(pages, start=1):

        def draw(slide: Slide, deck: _Deck, columns=columns, size=size) -> list[object]:
            return _fill_columns(slide, deck, columns, size, ["who-when", "what-where"])

        specs.append(
            _Spec(
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


# --- the matrix --------------------------------------------------------------------------


def _plan_matrix(deck: _Deck) -> list[_Spec]:
    d = deck.definition
    area = _area(deck, deck.layouts.title_only)
    caption_h = 2 * MIN_PT * LINE_HEIGHT + 8
    table_area = Box(area.x, area.y, area.width, area.height - caption_h)
    pages = plan_matrix(d, table_area)
    specs = []
    for n, page in enumerate(pages, start=1):

        def draw(slide: Slide, deck: _Deck, page=page) -> list[object]:
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
            _Spec(
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


# --- walkthroughs ------------------------------------------------------------------------


def _timeline_items(deck: _Deck, walk) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    engaged = sorted(
        (e for e in walk.engagements if e.engage is not None),
        key=lambda e: (e.engage, e.lane.level),
    )
    items = [
        (f"timeline-{e.lane.id}", f"{e.lane.name}\nfrom {e.engage.compact()}") for e in engaged
    ]
    severity = deck.definition.severities_by_id[walk.severity]
    if severity.resolve is not None:
        items.append(("timeline-resolve", f"Resolved\nwithin {severity.resolve.compact()}"))
    return items


def _timeline_height(items: Sequence[tuple[str, str]], width: float) -> tuple[float, float]:
    """The strip's height and text size: three lines of 12 pt, shrinking to MIN_PT."""
    if not items:
        return 0.0, MIN_PT
    each = width / len(items)
    for size in (12.0, 11.0, 10.0):
        lines = max(len(wrap(text, size, each - 2 * 0.3 * 48 - 8, bold=True)) for _, text in items)
        if lines <= 3:
            return lines * size * LINE_HEIGHT + 12, size
    lines = max(len(wrap(text, MIN_PT, each - 36, bold=True)) for _, text in items)
    return lines * MIN_PT * LINE_HEIGHT + 12, MIN_PT


def _draw_timeline(slide: Slide, items, box: Box, size: float) -> None:  # type: ignore[no-untyped-def]
    if not items:
        return
    each = box.width / len(items)
    for n, (name, text) in enumerate(items):
        preset = "homePlate" if n == 0 else "chevron"
        last = name == "timeline-resolve"
        shape = add_box(
            slide.shapes,
            name,
            preset,
            (box.x + n * each, box.y, each + 4, box.height),
            fill=Colours.INK if last else Colours.LANE[1],
            line=Colours.LANE_LINE,
        )
        inset = box.height * 0.3
        fill_text(
            shape,
            [[Text(text, size, bold=True, colour=Colours.WHITE if last else Colours.INK)]],
            insets=(inset + (0 if n == 0 else inset * 0.5), 2, inset, 2),
        )


def _plan_walkthrough(deck: _Deck, severity_id: str) -> list[_Spec]:
    d = deck.definition
    walk = walkthrough(d, severity_id)
    severity = d.severities_by_id[severity_id]
    area = _area(deck, deck.layouts.title_only)
    items = _timeline_items(deck, walk)
    strip, strip_pt = _timeline_height(items, area.width)
    below = Box(
        area.x,
        area.y + strip + (14 if strip else 0),
        area.width,
        area.height - strip - (14 if strip else 0),
    )
    gap = 24.0
    left_w = (below.width - gap) * 0.6
    boxes = [
        Box(below.x, below.y, left_w, below.height),
        Box(below.x + left_w + gap, below.y, below.width - left_w - gap, below.height),
    ]
    left = content.section_paras(
        [content.Section("The path", tuple(content.walk_path_paras(d, walk)))]
    )
    right = content.section_paras(content.walk_side_sections(d, walk))
    size, pages = _plan_columns([left, right], boxes, 18.0)
    path_steps = [d.steps_by_id[w.step] for w in walk.path]
    timers = [
        {"source": d.steps_by_id[src], "edge": edge, "target": d.steps_by_id[edge.to]}
        for src, edge in walk.timers
    ]
    specs = []
    for n, columns in enumerate(pages, start=1):

        def draw(slide: Slide, deck: _Deck, columns=columns, size=size) -> list[object]:
            _draw_timeline(slide, items, Box(area.x, area.y, area.width, strip), strip_pt)
            for box, paras, name in zip(boxes, columns, ("path", "targets-timers"), strict=True):
                if paras:
                    shape = add_text(slide.shapes, name, (box.x, box.y, box.width, box.height), [])
                    write_paras(shape.text_frame, paras, size, own_bullets=True)
            return []

        specs.append(
            _Spec(
                "walkthrough",
                "Walkthrough by severity",
                deck.layouts.title_only,
                f"Walkthrough: {content.severity_label(severity)}"
                + (f" ({n} of {len(pages)})" if len(pages) > 1 else ""),
                draw,
                {
                    "severity": severity,
                    "path": path_steps,
                    "engagements": walk.engagements,
                    "timers": timers,
                    "resolved": walk.resolved,
                    "page": n,
                    "pages": len(pages),
                },
            )
        )
    return specs


# --- validation summary ------------------------------------------------------------------


def _plan_validation(deck: _Deck, findings: Sequence[Finding]) -> list[_Spec]:
    errors = sum(f.level == "error" for f in findings)
    warnings = len(findings) - errors
    if errors:
        verdict = Para(
            f"Do not teach this version: {errors} error{'s' if errors != 1 else ''}"
            + (f" and {warnings} warning{'s' if warnings != 1 else ''}" if warnings else "")
            + " found.",
            bold=True,
            colour=Colours.ERROR,
        )
    elif warnings:
        verdict = Para(
            f"Sound, with {warnings} warning{'s' if warnings != 1 else ''}: every path ends in "
            "a resolution and the matrix is complete.",
            bold=True,
            colour=Colours.WARNING,
        )
    else:
        verdict = Para(
            "Sound: every path ends in a resolution, the matrix is complete and every level "
            "has a named contact. No findings.",
            bold=True,
            colour=Colours.OK,
        )
    paras = [verdict, *[_spaced(p) for p in content.check_paras(findings)]]
    if findings:
        paras.append(
            Para(
                "Findings",
                scale=1.1,
                bold=True,
                colour=Colours.HEADER,
                space=0.8,
                keep_with_next=True,
            )
        )
        paras += [_spaced(p) for p in content.finding_paras(findings)]
    slide_layout = deck.layouts.content
    box = _columns(slide_layout, deck, 1)[0]
    largest = min(placeholder_size(slide_layout, "body"), 20.0)
    size, pages = _plan_columns([paras], [box], largest)
    specs = []
    for n, columns in enumerate(pages, start=1):

        def draw(slide: Slide, deck: _Deck, paras=columns[0], size=size) -> list[object]:
            return _body_at(slide, deck, paras, size)

        specs.append(
            _Spec(
                "validation",
                "Is the process sound? The validation result",
                slide_layout,
                "Is the process sound?" + (f" ({n} of {len(pages)})" if len(pages) > 1 else ""),
                draw,
                {
                    "errors": errors,
                    "warnings": warnings,
                    "findings": list(findings),
                    "page": n,
                    "pages": len(pages),
                },
            )
        )
    return specs


def _spaced(para: Para) -> Para:
    return replace(para, space=0.3)


def _body_at(slide: Slide, deck: _Deck, paras: Sequence[Para], size: float) -> list[object]:
    bodies = body_placeholders(slide)
    if bodies:
        write_paras(bodies[0].text_frame, paras, size, own_bullets=False)
        return [bodies[0]]
    box = _columns(slide.slide_layout, deck, 1)[0]
    shape = add_text(slide.shapes, "body", (box.x, box.y, box.width, box.height), [])
    write_paras(shape.text_frame, paras, size, own_bullets=True)
    return []
