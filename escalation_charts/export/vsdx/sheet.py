"""ShapeSheet XML: cells, sections, rows and text as the [MS-VSDX] schema spells them.

Every part of a Visio package is XML in one namespace; a shape is a list of `Cell`
elements (name `N`, value `V`, optional formula `F` and unit `U`), `Section`s of `Row`s and
a `Text` element. Values are written with fixed precision so the bytes depend only on the
input. `Frame` turns the layout's points (origin top-left, y down) into page inches
(origin bottom-left, y up), which is what every Visio coordinate is.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from escalation_charts.layout.geometry import Point

__all__ = [
    "NS",
    "REL_NS",
    "Frame",
    "cell",
    "element",
    "inches",
    "num",
    "row",
    "section",
    "text",
    "user_row",
    "xml_bytes",
]

NS = "http://schemas.microsoft.com/office/visio/2012/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NSMAP = {None: NS, "r": REL_NS}


def element(tag: str, attrs: dict[str, str] | None = None) -> etree._Element:
    """A root element in the Visio namespace (with the relationships prefix declared)."""
    return etree.Element(f"{{{NS}}}{tag}", attrs or {}, nsmap=_NSMAP)


def _sub(parent: etree._Element, tag: str, attrs: dict[str, str]) -> etree._Element:
    return etree.SubElement(parent, f"{{{NS}}}{tag}", attrs)


def num(value: float) -> str:
    """A number as Visio stores it: up to six decimals, no trailing zeros, never `-0`."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def inches(points: float) -> float:
    """Points to inches, the unit of every Visio length."""
    return points / 72.0


def cell(
    parent: etree._Element,
    name: str,
    value: float | str,
    formula: str | None = None,
    unit: str | None = None,
) -> etree._Element:
    """`<Cell N= V= [F=] [U=]/>`; numbers are formatted with `num`."""
    attrs = {"N": name, "V": value if isinstance(value, str) else num(value)}
    if formula is not None:
        attrs["F"] = formula
    if unit is not None:
        attrs["U"] = unit
    return _sub(parent, "Cell", attrs)


def section(parent: etree._Element, name: str, index: int | None = None) -> etree._Element:
    """`<Section N=[IX=]>`: Geometry sections are numbered, the others are not."""
    attrs = {"N": name}
    if index is not None:
        attrs["IX"] = str(index)
    return _sub(parent, "Section", attrs)


def row(
    parent: etree._Element,
    kind: str | None = None,
    index: int | None = None,
    cells: Iterable[tuple[str, float | str]] = (),
    name: str | None = None,
) -> etree._Element:
    """`<Row [T=] [IX=] [N=]>` with its cells (geometry rows have a type `T`)."""
    attrs: dict[str, str] = {}
    if kind is not None:
        attrs["T"] = kind
    if index is not None:
        attrs["IX"] = str(index)
    if name is not None:
        attrs["N"] = name
    element_ = _sub(parent, "Row", attrs)
    for key, value in cells:
        cell(element_, key, value)
    return element_


def user_row(user: etree._Element, name: str, value: str, unit: str = "STR") -> None:
    """A row of the User section: Visio's containers read their settings from these."""
    r = row(user, name=name)
    cell(r, "Value", value, unit=unit)
    cell(r, "Prompt", "", formula="No Formula")


def text(parent: etree._Element, runs: Iterable[tuple[int, str]]) -> etree._Element:
    """`<Text>`: each run of characters after a `<cp IX=n/>` uses Character row n.

    Line breaks become `\\n` (Visio's paragraph end); the serializer escapes `&`, `<` and
    `>`, so a label is always character data, never markup.
    """
    body = _sub(parent, "Text", {})
    last: etree._Element | None = None
    for index, chars in runs:
        last = _sub(body, "cp", {"IX": str(index)})
        last.tail = chars.replace("\r\n", "\n").replace("\r", "\n")
    if last is None:
        body.text = ""
    return body


def xml_bytes(root: etree._Element) -> bytes:
    """A part as Visio writes it: UTF-8 with a declaration, standalone."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


class Frame:
    """Where the layout sits on the page: layout points to page inches.

    `origin` is where the layout's (0, 0) falls on the drawing (points from its top-left);
    `height` is the page height in points, so y can be flipped.
    """

    def __init__(self, height: float, origin: Point) -> None:
        self.height = height
        self.origin = origin

    def x(self, x: float) -> float:
        return inches(x + self.origin[0])

    def y(self, y: float) -> float:
        return inches(self.height - (y + self.origin[1]))

    def point(self, p: Point) -> Point:
        return (self.x(p[0]), self.y(p[1]))
