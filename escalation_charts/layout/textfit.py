"""Text measuring and wrapping without a font engine: widths from Helvetica's metrics.

The layout must know how big a label is before Graphviz draws it (lane headers, edge labels)
and must wrap long labels the same way on every machine, so it measures with the published
Helvetica advance widths (the font every renderer maps `Helvetica` to, or a metric clone)
instead of asking whatever fonts happen to be installed. Wide East Asian characters and
emoji count as one em; combining marks as nothing.
"""

from __future__ import annotations

import functools
import unicodedata

__all__ = ["line_height", "text_width", "wrap"]

# Helvetica advance widths in 1/1000 em for ASCII 32..126 (Adobe's AFM).
_ASCII = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip
_BOLD = 1.08  # Helvetica-Bold runs about 8 % wider on ordinary words


# Punctuation outside ASCII that labels and the title block use.
_OTHER = {
    "\u00b7": 278,  # middle dot
    "\u2013": 556,  # en dash
    "\u2014": 1000,  # em dash
    "\u2018": 222,
    "\u2019": 222,
    "\u201c": 333,
    "\u201d": 333,
    "\u2026": 1000,  # ellipsis
    "\u00a0": 278,  # no-break space
}


@functools.lru_cache(maxsize=4096)
def _char_width(ch: str) -> int:
    code = ord(ch)
    if 32 <= code <= 126:
        return _ASCII[code - 32]
    if ch in _OTHER:
        return _OTHER[ch]
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F") or code >= 0x1F000:
        return 1000
    return 600


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width in points of one line of `text` at font size `size`."""
    units = sum(_char_width(ch) for ch in text)
    return units * size / 1000 * (_BOLD if bold else 1.0)


def line_height(size: float) -> float:
    """The distance between two lines of text at font size `size` (Graphviz uses 1.2 em)."""
    return size * 1.2


def wrap(text: str, max_width: float, size: float, *, bold: bool = False) -> list[str]:
    """Break `text` into lines no wider than `max_width` points, as evenly as possible.

    Explicit newlines are kept; lines break at spaces, and a word (or a run of CJK text,
    which has no spaces) longer than a line is cut between characters. Among the ways to
    use the fewest lines, the one with the narrowest widest line wins, so a label never
    ends in a lone short word ("Ask customer to confirm / fix").
    """
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lines.extend(_balanced(paragraph, max_width, size, bold))
    return lines


def _balanced(text: str, max_width: float, size: float, bold: bool) -> list[str]:
    best = _wrap_paragraph(text, max_width, size, bold)
    if len(best) < 2:
        return best
    low, high = 0.0, max_width
    for _ in range(12):  # bisect the narrowest width that needs no more lines
        middle = (low + high) / 2
        attempt = _wrap_paragraph(text, middle, size, bold)
        if len(attempt) <= len(best) and all(
            text_width(line, size, bold=bold) <= middle + 0.01 for line in attempt
        ):
            best, high = attempt, middle
        else:
            low = middle
    return best


def _wrap_paragraph(text: str, max_width: float, size: float, bold: bool) -> list[str]:
    words = text.split()
    if not words:
        return [""]
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold=bold) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for piece in _cut(word, max_width, size, bold):
            if current:
                lines.append(current)
            current = piece
    lines.append(current)
    return lines


def _cut(word: str, max_width: float, size: float, bold: bool) -> list[str]:
    """Split one word into pieces that fit, between characters."""
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and text_width(current + ch, size, bold=bold) > max_width:
            pieces.append(current)
            current = ""
        current += ch
    pieces.append(current)
    return pieces
