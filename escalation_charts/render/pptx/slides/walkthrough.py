"""One walkthrough per severity: when each level joins, the path, targets and timers."""

from __future__ import annotations

from collections.abc import Sequence

from pptx.slide import Slide

from escalation_charts.layout.geometry import Box
from escalation_charts.render.pptx import content
from escalation_charts.render.pptx.draw.shapes import (
    Text,
    add_box,
    add_text,
    fill_text,
    write_paras,
)
from escalation_charts.render.pptx.slides.base import Deck, Spec, content_box, plan_columns
from escalation_charts.render.pptx.style import MIN_PT, Colours
from escalation_charts.render.pptx.text.measure import LINE_HEIGHT, wrap
from escalation_charts.render.pptx.walk import walkthrough

__all__ = ["plan_walkthrough"]


def _timeline_items(deck: Deck, walk) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
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


def plan_walkthrough(deck: Deck, severity_id: str) -> list[Spec]:
    d = deck.definition
    walk = walkthrough(d, severity_id)
    severity = d.severities_by_id[severity_id]
    area = content_box(deck, deck.layouts.title_only)
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
    size, pages = plan_columns([left, right], boxes, 18.0)
    path_steps = [d.steps_by_id[w.step] for w in walk.path]
    timers = [
        {"source": d.steps_by_id[src], "edge": edge, "target": d.steps_by_id[edge.to]}
        for src, edge in walk.timers
    ]
    specs = []
    for n, columns in enumerate(pages, start=1):

        def draw(slide: Slide, deck: Deck, columns=columns, size=size) -> list[object]:
            _draw_timeline(slide, items, Box(area.x, area.y, area.width, strip), strip_pt)
            for box, paras, name in zip(boxes, columns, ("path", "targets-timers"), strict=True):
                if paras:
                    shape = add_text(slide.shapes, name, (box.x, box.y, box.width, box.height), [])
                    write_paras(shape.text_frame, paras, size, own_bullets=True)
            return []

        specs.append(
            Spec(
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
