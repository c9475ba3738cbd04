"""One walkthrough per severity: when each level joins, the path, targets and timers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pptx.slide import Slide

from escalation_charts.ids import dom_id
from escalation_charts.layout.geometry import Box
from escalation_charts.layout.textfit import LINE_HEIGHT, deck_width, deck_wrap
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
from escalation_charts.render.pptx.walk import walkthrough

__all__ = ["plan_walkthrough"]


def _timeline_items(deck: Deck, walk) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    engaged = sorted(
        (e for e in walk.engagements if e.engage is not None),
        key=lambda e: (e.engage, e.lane.level),
    )
    # A time the flow cannot keep says so where the trainer reads it ("matrix 30m, but
    # the flow needs 1h"), as the validation slide's matrix-flow-timing finding does.
    items = [(dom_id("timeline", e.lane.id), f"{e.lane.name}\n{e.when}") for e in engaged]
    severity = deck.definition.severities_by_id[walk.severity]
    if severity.resolve is not None:
        items.append(("timeline-resolve", f"Resolved\nwithin {severity.resolve.compact()}"))
    return items


_STRIP_PT = 12.0  # the strip's text at its largest
_POINTS = (0.5, 0.35, 0.25)  # how far the chevrons' points reach in, as a share of the height
_PAD = (3.0, 2.0)  # text insets inside a chevron's own text area, points


@dataclass(frozen=True)
class _Strip:
    height: float
    size: float
    point: float  # the chevrons' adjustment (a fraction of the strip's height)


def _timeline_plan(items: Sequence[tuple[str, str]], width: float) -> _Strip:
    """The strip's height, text size and chevron points: the largest text (12 pt down to
    MIN_PT) at which every item wraps at spaces into at most three lines inside its
    chevron's own text area (between its points); flatter points before smaller text."""
    if not items:
        return _Strip(0.0, MIN_PT, _POINTS[0])
    each = width / len(items) + 4  # drawn a little wider so the chevrons overlap
    sizes = [_STRIP_PT - 0.5 * n for n in range(int((_STRIP_PT - MIN_PT) / 0.5) + 1)]
    for size in sizes:
        for point in _POINTS:
            for lines in (1, 2, 3):
                height = lines * size * LINE_HEIGHT + 2 * _PAD[1] + 8
                room = _chevron_room(each, height, point) - 2 * _PAD[0]
                if all(_fits_lines(text, size, room, lines) for _, text in items):
                    return _Strip(height, size, point)
    # Nothing fits three lines: the smallest text and as many lines as it takes.
    point = _POINTS[-1]
    height = 3 * MIN_PT * LINE_HEIGHT + 2 * _PAD[1] + 8
    room = _chevron_room(each, height, point) - 2 * _PAD[0]
    lines = max(len(deck_wrap(text, MIN_PT, room, bold=True)) for _, text in items)
    return _Strip(lines * MIN_PT * LINE_HEIGHT + 2 * _PAD[1] + 8, MIN_PT, point)


def _chevron_room(width: float, height: float, point: float) -> float:
    """The width of a chevron's own text area (ECMA-376: between its two points)."""
    return width - 2 * min(width, height) * point


def _fits_lines(text: str, size: float, room: float, lines: int) -> bool:
    if room <= 0:
        return False
    words = text.replace("\n", " ").split()
    if any(deck_width(word, size, bold=True) > room for word in words):
        return False  # a word would be broken
    return len(deck_wrap(text, size, room, bold=True)) <= lines


def _draw_timeline(slide: Slide, items, box: Box, strip: _Strip) -> None:  # type: ignore[no-untyped-def]
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
        shape.adjustments[0] = strip.point
        fill_text(
            shape,
            [[Text(text, strip.size, bold=True, colour=Colours.WHITE if last else Colours.INK)]],
            insets=(_PAD[0], _PAD[1], _PAD[0], _PAD[1]),
        )


def plan_walkthrough(deck: Deck, severity_id: str) -> list[Spec]:
    d = deck.definition
    walk = walkthrough(d, severity_id, deck.timing)
    severity = d.severities_by_id[severity_id]
    area = content_box(deck, deck.layouts.title_only)
    items = _timeline_items(deck, walk)
    plan = _timeline_plan(items, area.width)
    strip = plan.height
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
            _draw_timeline(slide, items, Box(area.x, area.y, area.width, strip), plan)
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
