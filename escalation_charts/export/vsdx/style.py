"""How a shape looks, in ShapeSheet cells: line, fill, text block, characters, paragraphs.

Colours are `#rrggbb` (Visio and libvisio read them as written), lengths are inches and
font sizes are inches too (Visio's unit for every length, shown to the user as points).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from escalation_charts.export.vsdx.sheet import cell, inches, row, section

__all__ = [
    "DASHED",
    "DOTTED",
    "PATTERNS",
    "SOLID",
    "Font",
    "characters",
    "fill",
    "line",
    "no_fill",
    "no_line",
    "paragraphs",
    "text_block",
]

SOLID, DASHED, DOTTED = 1, 2, 3  # Visio's LinePattern numbers
PATTERNS = {None: SOLID, "dashed": DASHED, "dotted": DOTTED}  # a theme Look's dash


@dataclass(frozen=True)
class Font:
    """One Character row: a run of text in this face, size (points), colour and weight."""

    face: str
    size: float
    colour: str
    bold: bool = False


def line(shape: etree._Element, colour: str, width_pt: float, pattern: int = SOLID) -> None:
    cell(shape, "LineColor", colour)
    cell(shape, "LineWeight", inches(width_pt), unit="PT")
    cell(shape, "LinePattern", pattern)


def no_line(shape: etree._Element) -> None:
    cell(shape, "LinePattern", 0)


def fill(shape: etree._Element, colour: str) -> None:
    cell(shape, "FillForegnd", colour)
    cell(shape, "FillPattern", 1)


def no_fill(shape: etree._Element) -> None:
    cell(shape, "FillPattern", 0)


def text_block(
    shape: etree._Element,
    *,
    margin_pt: float = 2.0,
    valign: int = 1,
    background: str | None = None,
) -> None:
    """Margins, vertical alignment (0 top, 1 middle, 2 bottom) and the text's background."""
    for name in ("LeftMargin", "RightMargin", "TopMargin", "BottomMargin"):
        cell(shape, name, inches(margin_pt), unit="PT")
    cell(shape, "VerticalAlign", valign)
    if background is not None:
        cell(shape, "TextBkgnd", background)


def characters(shape: etree._Element, fonts: Sequence[Font]) -> None:
    """The Character section: row n styles the text after `<cp IX=n/>`."""
    chars = section(shape, "Character")
    for index, font in enumerate(fonts):
        row(
            chars,
            index=index,
            cells=(
                ("Font", font.face),
                ("Color", font.colour),
                ("Style", 1 if font.bold else 0),
                ("Size", inches(font.size)),
            ),
        )


def paragraphs(shape: etree._Element, align: int = 1) -> None:
    """One Paragraph row: horizontal alignment (0 left, 1 centre, 2 right)."""
    para = section(shape, "Paragraph")
    row(para, index=0, cells=(("HorzAlign", align),))
