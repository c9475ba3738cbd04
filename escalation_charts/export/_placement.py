"""Where BPMN puts what the shared layout does not place: outside labels and notes.

BPMN draws events and gateways small, with their names outside, and has no notify arrow, so
those labels and the notify notes get boxes here: sized from the text, and notes moved to
the first nearby spot that covers no shape, label or other note.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from escalation_charts.layout.geometry import Box

__all__ = ["CHAR", "LINE", "first_free", "label_spots", "nudged", "place_note", "text_size"]

LINE = 14.0  # one line of an 11-point label
CHAR = 7.0  # a rough average character width at that size: enough to size a box


def text_size(text: str, max_width: float, min_width: float = 0.0) -> tuple[float, float]:
    """(width, height) of a box holding `text` wrapped at `max_width`."""
    lines = text.splitlines() or [""]
    width = max(min_width, min(max_width, max(len(line) for line in lines) * CHAR + 14))
    rows = sum(max(1, math.ceil(len(line) * CHAR / max(width - 14, 1))) for line in lines)
    return width, rows * LINE


def label_spots(text: str, shape: Box) -> list[Box]:
    """Boxes for a name written beside a small shape (event, gateway): below it, as
    modelers place it, then above, right and left."""
    width, height = text_size(text, 150.0, 60.0)
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


def first_free(candidates: Sequence[Box], obstacles: Sequence[Box]) -> Box:
    """The first candidate that overlaps no obstacle, or the first one."""
    return next((c for c in candidates if not any(c.overlaps(o) for o in obstacles)), candidates[0])


def place_note(
    size: tuple[float, float], near: Box, obstacles: Sequence[Box], within: Box | None
) -> Box:
    """A box of `size` beside `near` (above, below, then diagonally) that overlaps none of
    `obstacles`, preferring spots inside `within`; the first candidate if none is free."""
    width, height = size
    gap = 10.0
    candidates = [
        Box(near.x, near.y - height - gap, width, height),
        Box(near.x, near.bottom + gap, width, height),
        Box(near.right + gap, near.y - height - gap / 2, width, height),
        Box(near.right + gap, near.bottom + gap / 2, width, height),
        Box(near.x - width - gap, near.y - height - gap / 2, width, height),
        Box(near.x - width - gap, near.bottom + gap / 2, width, height),
    ]
    free = [c for c in candidates if not any(c.overlaps(o) for o in obstacles)]
    inside = [c for c in free if within is None or within.contains(c)]
    return (inside or free or candidates)[0]
