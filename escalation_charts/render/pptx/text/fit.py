"""How big a step's label can be drawn inside its shape.

Each flowchart preset has its own text area (a terminator's rounded ends and a delay's
curve take room; a diamond's text must stay inside the diamond). These functions answer
"does this label fit at this size in a box this big" and give the lines to write, so the
chart can pick one font size that fits every step and split a chart rather than go below
`MIN_PT`.
"""

from __future__ import annotations

from escalation_charts.layout.textfit import LINE_HEIGHT, deck_width, deck_wrap

__all__ = ["INSETS", "best_size", "fits_in_shape", "label_lines"]

# Text-area fractions (left, top, right, bottom) of the presets' own text rectangles.
_TEXT_AREA = {
    "flowChartTerminator": (0.0471, 0.1464, 0.9529, 0.8536),
    "flowChartDelay": (0.0, 0.1464, 0.8536, 0.8536),
    "flowChartAlternateProcess": (0.05, 0.05, 0.95, 0.95),
    "roundRect": (0.05, 0.05, 0.95, 0.95),
    "ellipse": (0.1464, 0.1464, 0.8536, 0.8536),  # the inscribed rectangle
}
INSETS = (3.0, 2.0)  # points left/right and top/bottom inside a shape's text area
_DIAMOND = "flowChartDecision"
_TRIES = (1, 2, 3, 4, 5, 6)  # line counts tried when breaking a diamond's label


def label_lines(label: str, preset: str, width: float, height: float, size: float) -> list[str]:
    """The lines `label` is drawn in at `size` points inside a `preset` of this size."""
    if preset == _DIAMOND:
        found = _diamond_lines(label, width, height, size)
        return found if found is not None else deck_wrap(label, size, width / 2)
    inner_w, _ = _inner(preset, width, height)
    return deck_wrap(label, size, inner_w)


def fits_in_shape(label: str, preset: str, width: float, height: float, size: float) -> bool:
    """True when `label` at `size` points fits inside a `preset` shape of this size."""
    if preset == _DIAMOND:
        return _diamond_lines(label, width, height, size) is not None
    inner_w, inner_h = _inner(preset, width, height)
    if inner_w <= 0 or inner_h <= 0:
        return False
    lines = deck_wrap(label, size, inner_w)
    return (
        max(deck_width(line, size) for line in lines) <= inner_w
        and len(lines) * size * LINE_HEIGHT <= inner_h
    )


def best_size(
    label: str, preset: str, width: float, height: float, low: float = 1.0, high: float = 40.0
) -> float:
    """The largest size (to 0.1 pt, within [low, high]) at which `label` fits; `low` if none."""
    if not fits_in_shape(label, preset, width, height, low):
        return low
    while high - low > 0.1:
        mid = (low + high) / 2
        if fits_in_shape(label, preset, width, height, mid):
            low = mid
        else:
            high = mid
    return round(low - 0.05, 1)


def _inner(preset: str, width: float, height: float) -> tuple[float, float]:
    left, top, right, bottom = _TEXT_AREA.get(preset, (0.0, 0.0, 1.0, 1.0))
    return (
        width * (right - left) - 2 * INSETS[0],
        height * (bottom - top) - 2 * INSETS[1],
    )


def _diamond_lines(label: str, width: float, height: float, size: float) -> list[str] | None:
    """Lines whose block, centred, stays inside the diamond: a corner (x, y) of the block
    is inside when |x|/(w/2) + |y|/(h/2) <= 1. Tries one to six lines; None if none fit."""
    total = deck_width(label.replace("\n", " "), size)
    # Never narrower than the longest word: a word is broken only when it alone is too wide.
    longest = max(deck_width(word, size) for word in label.split()) if label.split() else size
    for count in _TRIES:
        lines = deck_wrap(label, size, max(total / count, longest, size))
        # Drawn without insets (the diamond's own corners are the margin).
        block_w = max(deck_width(line, size) for line in lines)
        block_h = len(lines) * size * LINE_HEIGHT
        if block_w / width + block_h / height <= 1.0:
            return lines
    return None
