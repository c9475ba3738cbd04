"""Estimate how much room text needs, without a font engine.

Widths are Carlito's advance widths (metric-compatible with Calibri, the default theme
font), in thousandths of an em, for printable ASCII; other characters get a safe guess
(East Asian wide characters and emoji one em). A margin covers templates whose font runs
a little wider. The estimate decides font sizes and where a chart is split, so it errs on
the wide side: text that "fits" here fits when PowerPoint or LibreOffice draws it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from escalation_charts.layout import textfit

__all__ = ["LINE_HEIGHT", "fits", "line_width", "text_height", "wrap"]

LINE_HEIGHT = 1.2  # em: single line spacing of Calibri/Carlito, as both programs draw it
_MARGIN = 1.08  # room for a template font a little wider than Calibri
_REGULAR = (
    "226 326 401 498 507 715 682 221 303 303 498 498 250 306 252 386 507 507 507 507 507 507 "
    "507 507 507 507 268 268 498 498 498 463 894 579 544 533 615 488 459 631 623 252 319 520 "
    "420 855 646 662 517 673 543 459 487 642 567 890 519 487 468 307 386 307 498 498 291 479 "
    "525 423 525 498 305 471 525 230 239 455 230 799 525 527 525 525 349 391 335 525 452 715 "
    "433 453 395 314 460 314 498"
)
_BOLD = (
    "226 326 438 498 507 729 705 233 312 312 498 498 258 306 267 430 507 507 507 507 507 507 "
    "507 507 507 507 276 276 498 498 498 463 898 606 561 529 630 488 459 637 631 267 331 547 "
    "423 874 659 676 532 686 563 473 495 653 591 906 551 520 478 325 430 325 498 498 300 494 "
    "537 418 537 503 316 474 537 246 255 480 246 813 537 538 537 537 355 399 347 537 473 745 "
    "459 474 397 344 475 344 498"
)
_WIDTHS = {
    False: [int(w) / 1000 for w in _REGULAR.split()],
    True: [int(w) / 1000 for w in _BOLD.split()],
}


@lru_cache(maxsize=4096)
def _char_width(char: str, bold: bool) -> float:
    code = ord(char)
    if 32 <= code < 127:
        return _WIDTHS[bold][code - 32]
    if unicodedata.combining(char):
        return 0.0
    if unicodedata.east_asian_width(char) in ("W", "F") or code >= 0x1F000:
        return 1.0
    return 0.62


def line_width(text: str, size: float, bold: bool = False) -> float:
    """The width in points of one line of `text` at `size` points."""
    return sum(_char_width(c, bold) for c in text) * size * _MARGIN


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Break `text` into lines no wider than `width` points, by the charts' one rule
    (`layout.textfit.break_lines`: at spaces, a word split only when it alone is too wide,
    then with a hyphen), measured in the deck's font. The label's own newlines are kept."""
    return textfit.break_lines(
        text, width, lambda line: line_width(line, size, bold), balance=False
    )


def text_height(lines: int, size: float) -> float:
    """The height in points of `lines` lines at `size` points."""
    return lines * size * LINE_HEIGHT


def fits(text: str, size: float, width: float, height: float, bold: bool = False) -> bool:
    """True when `text` wrapped at `width` fits in `height` at `size` points."""
    if width <= 0 or height <= 0:
        return False
    lines = wrap(text, size, width, bold)
    widest = max(line_width(line, size, bold) for line in lines)
    return widest <= width and text_height(len(lines), size) <= height
