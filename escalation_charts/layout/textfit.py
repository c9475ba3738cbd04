"""Text measuring and wrapping without a font engine: the one measurer of every output.

Every output must know how big a label is before anything draws it, and must wrap long
labels the same way on every machine, so text is measured from published advance widths
instead of whatever fonts happen to be installed, in two faces:

- the charts and exports (`text_width`, `wrap`): Helvetica's widths, the font every
  renderer maps `Helvetica` to (or a metric clone);
- the deck (`deck_width`, `deck_wrap`, `deck_fits`): Carlito's widths (metric-compatible
  with Calibri, the default theme font), with a margin for a template font a little wider.
  The estimate decides font sizes and where a chart is split, so it errs on the wide side:
  text that fits here fits when PowerPoint or LibreOffice draws it.

Both break lines by the one rule, `break_lines`. Wide East Asian characters and emoji
count as one em; combining marks as nothing.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable

__all__ = [
    "LINE_HEIGHT",
    "break_lines",
    "deck_fits",
    "deck_width",
    "deck_wrap",
    "line_height",
    "text_width",
    "wrap",
]

LINE_HEIGHT = 1.2  # em: single line spacing (Graphviz's, and Calibri/Carlito's as drawn)

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


@functools.lru_cache(maxsize=65536)
def _units(text: str) -> int:
    # Cached: line breaking measures the same words and prefixes again and again.
    return sum(_char_width(ch) for ch in text)


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width in points of one line of `text` at font size `size`."""
    return _units(text) * size / 1000 * (_BOLD if bold else 1.0)


def line_height(size: float) -> float:
    """The distance between two lines of text at font size `size` (Graphviz uses 1.2 em)."""
    return size * LINE_HEIGHT


# --- the deck's face: Carlito ---------------------------------------------------------------

# Carlito advance widths in 1/1000 em for ASCII 32..126, regular and bold.
_CARLITO = (
    226, 326, 401, 498, 507, 715, 682, 221, 303, 303, 498, 498, 250, 306, 252, 386,
    507, 507, 507, 507, 507, 507, 507, 507, 507, 507, 268, 268, 498, 498, 498, 463,
    894, 579, 544, 533, 615, 488, 459, 631, 623, 252, 319, 520, 420, 855, 646, 662,
    517, 673, 543, 459, 487, 642, 567, 890, 519, 487, 468, 307, 386, 307, 498, 498,
    291, 479, 525, 423, 525, 498, 305, 471, 525, 230, 239, 455, 230, 799, 525, 527,
    525, 525, 349, 391, 335, 525, 452, 715, 433, 453, 395, 314, 460, 314, 498,
)  # fmt: skip
_CARLITO_BOLD = (
    226, 326, 438, 498, 507, 729, 705, 233, 312, 312, 498, 498, 258, 306, 267, 430,
    507, 507, 507, 507, 507, 507, 507, 507, 507, 507, 276, 276, 498, 498, 498, 463,
    898, 606, 561, 529, 630, 488, 459, 637, 631, 267, 331, 547, 423, 874, 659, 676,
    532, 686, 563, 473, 495, 653, 591, 906, 551, 520, 478, 325, 430, 325, 498, 498,
    300, 494, 537, 418, 537, 503, 316, 474, 537, 246, 255, 480, 246, 813, 537, 538,
    537, 537, 355, 399, 347, 537, 473, 745, 459, 474, 397, 344, 475, 344, 498,
)  # fmt: skip
_DECK_MARGIN = 1.08  # room for a template font a little wider than Calibri


@functools.lru_cache(maxsize=4096)
def _deck_char(ch: str, bold: bool) -> int:
    code = ord(ch)
    if 32 <= code < 127:
        return (_CARLITO_BOLD if bold else _CARLITO)[code - 32]
    if unicodedata.combining(ch):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F") or code >= 0x1F000:
        return 1000
    return 620


@functools.lru_cache(maxsize=65536)
def _deck_units(text: str, bold: bool) -> int:
    return sum(_deck_char(ch, bold) for ch in text)


_CALIBRI_FACES = {"calibri", "carlito", "calibri light"}
# A template's other face (Arial, Liberation Sans, a font the machine lacks and replaces
# with DejaVu Sans) is measured with Helvetica's widths, and a margin for the widest
# stand-in: a title must fit whichever of them draws it.
_OTHER_FACE_MARGIN = 1.12


def deck_width(text: str, size: float, bold: bool = False, face: str | None = None) -> float:
    """The width in points of one line of `text` at `size` points in the deck's font, or
    in a template's typeface `face` when it is not Calibri's."""
    if face is not None and face.lower() not in _CALIBRI_FACES:
        return text_width(text, size, bold=bold) * _OTHER_FACE_MARGIN
    return _deck_units(text, bold) * size / 1000 * _DECK_MARGIN


def deck_wrap(
    text: str, size: float, width: float, bold: bool = False, face: str | None = None
) -> list[str]:
    """`text` broken by `break_lines` into lines no wider than `width` points in the deck's
    font (greedy: a slide's text runs as PowerPoint fills lines). Newlines are kept."""
    return break_lines(text, width, lambda line: deck_width(line, size, bold, face), balance=False)


def deck_fits(
    text: str,
    size: float,
    width: float,
    height: float,
    bold: bool = False,
    face: str | None = None,
) -> bool:
    """True when `text` wrapped at `width` fits in `height` at `size` points (deck font,
    or the template's `face`)."""
    if width <= 0 or height <= 0:
        return False
    lines = deck_wrap(text, size, width, bold, face)
    widest = max(deck_width(line, size, bold, face) for line in lines)
    return widest <= width and len(lines) * size * LINE_HEIGHT <= height


def wrap(text: str, max_width: float, size: float, *, bold: bool = False) -> list[str]:
    """Break `text` into lines no wider than `max_width` points (Helvetica's metrics), as
    evenly as possible: `break_lines` with this module's widths, balanced."""
    return break_lines(text, max_width, lambda line: text_width(line, size, bold=bold))


def break_lines(
    text: str, max_width: float, measure: Callable[[str], float], *, balance: bool = True
) -> list[str]:
    """The one line-breaking rule of every output (charts, decks, exports), for any font:
    `measure` gives a line's width in the same unit as `max_width`.

    Explicit newlines are kept; lines break at spaces. A word is split only when it alone
    is wider than a line, and then with a hyphen at the end of each piece (a run of CJK
    text, which has no spaces and no hyphens, is cut between characters). With `balance`,
    among the ways to use the fewest lines the one with the narrowest widest line wins, so
    a label never ends in a lone short word ("Ask customer to confirm / fix"); balancing
    never splits a word that fits.
    """
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        best = _greedy(paragraph, max_width, measure)
        if balance and len(best) > 1:
            best = _balanced(paragraph, best, max_width, measure)
        lines.extend(best)
    return lines


def _balanced(
    text: str, best: list[str], max_width: float, measure: Callable[[str], float]
) -> list[str]:
    # Never narrower than the widest word: a narrower width would split a word that fits.
    low = max((measure(word) for word in text.split()), default=0.0)
    high = max_width
    if low >= high:
        return best
    for _ in range(12):  # bisect the narrowest width that needs no more lines
        middle = (low + high) / 2
        attempt = _greedy(text, middle, measure)
        if len(attempt) <= len(best) and all(measure(line) <= middle + 0.01 for line in attempt):
            best, high = attempt, middle
        else:
            low = middle
    return best


def _greedy(text: str, max_width: float, measure: Callable[[str], float]) -> list[str]:
    words = text.split()
    if not words:
        return [""]
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if measure(candidate) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        pieces = [word] if measure(word) <= max_width else _cut(word, max_width, measure)
        for piece in pieces:
            if current:
                lines.append(current)
            current = piece
    lines.append(current)
    return lines


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") or ord(ch) >= 0x1F000


def _cut(word: str, max_width: float, measure: Callable[[str], float]) -> list[str]:
    """Split one word too wide for a line into pieces that fit: each but the last ends in
    a hyphen, unless it breaks between CJK characters (where no hyphen is written)."""
    pieces: list[str] = []
    current = ""
    for index, ch in enumerate(word):
        if current:
            wide = _is_wide(ch) or _is_wide(current[-1])
            mark = "" if wide or current.endswith("-") else "-"
            # room for this character, and for the hyphen if one more follows
            rest = "-" if index + 1 < len(word) and not wide else ""
            if measure(current + ch + rest) > max_width:
                pieces.append(current + mark)
                current = ""
        current += ch
    pieces.append(current)
    return pieces
