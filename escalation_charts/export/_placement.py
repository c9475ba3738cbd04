"""Where BPMN puts what the shared layout does not place: outside labels and notes.

BPMN draws events and gateways small, with their names outside, and has no notify arrow, so
those labels and the notify notes get boxes here: sized from the text, and notes moved to
the first nearby spot that covers no shape, label or other note.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from escalation_charts.layout.geometry import Box, Point
from escalation_charts.layout.labels import clipped_length

__all__ = [
    "CHAR",
    "LINE",
    "crosses",
    "first_free",
    "label_spots",
    "nudged",
    "place_note",
    "text_size",
]

LINE = 14.0  # one line of an 11-point label
CHAR = 7.0  # a rough average character width at that size: enough to size a box


def text_size(text: str, max_width: float, min_width: float = 0.0) -> tuple[float, float]:
    """(width, height) of a box holding `text` wrapped at `max_width`."""
    lines = text.splitlines() or [""]
    width = max(min_width, min(max_width, max(len(line) for line in lines) * CHAR + 14))
    rows = sum(max(1, math.ceil(len(line) * CHAR / max(width - 14, 1))) for line in lines)
    return width, rows * LINE


def label_spots(text: str, shape: Box, max_width: float = 150.0) -> list[Box]:
    """Boxes for a name written beside a small shape (event, gateway): below it, as
    modelers place it, then above, right and left."""
    width, height = text_size(text, max_width, min(60.0, max_width))
    cx, cy = shape.center
    return [
        Box(cx - width / 2, shape.bottom + 4, width, height),
        Box(cx - width / 2, shape.y - 4 - height, width, height),
        Box(shape.right + 4, cy - height / 2, width, height),
        Box(shape.x - 4 - width, cy - height / 2, width, height),
    ]


def nudged(box: Box, steps: int = 3) -> list[Box]:
    """`box`, then `box` moved a little further each time up, down, right and left: the
    spots to try when the first choice covers something."""
    out = [box]
    for i in range(1, steps + 1):
        dy, dx = i * (box.height / 2 + 2), i * (box.width / 4 + 2)
        out += [
            Box(box.x, box.y - dy, box.width, box.height),
            Box(box.x, box.y + dy, box.width, box.height),
            Box(box.x + dx, box.y, box.width, box.height),
            Box(box.x - dx, box.y, box.width, box.height),
        ]
    return out


Segment = tuple[Point, Point]


def first_free(
    candidates: Sequence[Box],
    obstacles: Sequence[Box],
    lines: Sequence[Segment] = (),
    within: Box | None = None,
) -> Box:
    """The first candidate that overlaps no obstacle, crosses none of `lines` and lies
    inside `within`; where none is that free, the first that does best in that order (a
    shape under a label hides it, a line through it reads as that line's name, a label
    outside its lane looks like the neighbour's). The candidates' order says which are
    nearest: a label is never sent further than the last of them."""
    # a point of air around each obstacle: a label flush against a shape still reads as
    # covering it once the file's coordinates are rounded
    grown = [Box(o.x - 1, o.y - 1, o.width + 2, o.height + 2) for o in obstacles]

    def cost(box: Box) -> tuple[bool, bool, bool]:
        return (
            any(box.overlaps(o) for o in grown),
            crosses(box, lines),
            within is not None and not within.contains(box),
        )

    best, best_cost = candidates[0], cost(candidates[0])
    for candidate in candidates[1:]:
        if best_cost == (False, False, False):
            break
        here = cost(candidate)
        if here < best_cost:
            best, best_cost = candidate, here
    return best


def crosses(box: Box, lines: Sequence[Segment]) -> bool:
    """Whether any of `lines` runs through `box` (touching its border does not count)."""
    inner = Box(box.x + 1, box.y + 1, box.width - 2, box.height - 2)
    return any(clipped_length(a, b, inner) > 0 for a, b in lines)


def place_note(
    size: tuple[float, float], near: Box, obstacles: Sequence[Box], within: Box | None
) -> Box:
    """A box of `size` beside `near` (above, below, then diagonally) that overlaps none of
    `obstacles`, preferring spots inside `within`. When every spot beside it is taken (a
    busy step: its own names and its arrows' labels around it), the same spots a little
    further out; failing all, the spot covering least: a note over an event's name hides
    that name, so the least covered one, not simply the first."""
    width, height = size
    candidates = []
    for gap in (10.0, 30.0, 50.0):
        candidates += [
            Box(near.x, near.y - height - gap, width, height),
            Box(near.x, near.bottom + gap, width, height),
            Box(near.right + gap, near.y - height - gap / 2, width, height),
            Box(near.right + gap, near.bottom + gap / 2, width, height),
            Box(near.x - width - gap, near.y - height - gap / 2, width, height),
            Box(near.x - width - gap, near.bottom + gap / 2, width, height),
        ]
    free = [c for c in candidates if not any(c.overlaps(o) for o in obstacles)]
    inside = [c for c in free if within is None or within.contains(c)]
    if inside or free:
        return (inside or free)[0]
    return min(candidates, key=lambda c: sum(_overlap_area(c, o) for o in obstacles))


def _overlap_area(a: Box, b: Box) -> float:
    """The area two boxes share (0 when they only touch or lie apart)."""
    dx = min(a.right, b.right) - max(a.x, b.x)
    dy = min(a.bottom, b.bottom) - max(a.y, b.y)
    return dx * dy if dx > 0 and dy > 0 else 0.0
