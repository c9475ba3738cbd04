"""Placing shapes on a page: a 2-D shape over a layout box, its own rectangle, its Shape
Data and its container relationships.
"""

from __future__ import annotations

from lxml import etree

from escalation_charts.export.vsdx.sheet import Frame, cell, inches, row, section
from escalation_charts.layout.geometry import Box

__all__ = ["data", "place", "rectangle", "relate"]


def place(
    shapes: etree._Element, shape_id: int, box: Box, frame: Frame, master: int | None = None
) -> etree._Element:
    """A 2-D shape over `box` (layout points): its pin at the box's centre, y up.

    A shape without a master uses the document's base style (`No Style`).
    """
    attrs = {"ID": str(shape_id), "Type": "Shape"}
    if master is not None:
        attrs["Master"] = str(master)
    else:
        attrs.update(LineStyle="0", FillStyle="0", TextStyle="0")
    shape = etree.SubElement(shapes, etree.QName(shapes, "Shape"), attrs)
    cx, cy = frame.point(box.center)
    w, h = inches(box.width), inches(box.height)
    for name, value, formula in (
        ("PinX", cx, None),
        ("PinY", cy, None),
        ("Width", w, None),
        ("Height", h, None),
        ("LocPinX", w / 2, "Width*0.5"),
        ("LocPinY", h / 2, "Height*0.5"),
    ):
        cell(shape, name, value, formula)
    return shape


def rectangle(shape: etree._Element) -> None:
    """A shape's own rectangle outline (shapes without a master inherit none)."""
    geometry = section(shape, "Geometry", 0)
    points = ((0, 0), (1, 0), (1, 1), (0, 1), (0, 0))
    for index, (x, y) in enumerate(points, start=1):
        row(geometry, "RelMoveTo" if index == 1 else "RelLineTo", index, (("X", x), ("Y", y)))


def data(shape: etree._Element, rows: list[tuple[str, str, str]]) -> None:
    """Shape Data (the Property section): what Visio lists when a shape is selected,
    as (row name, label, value)."""
    props = section(shape, "Property")
    for name, label, value in rows:
        r = row(props, name=name)
        cell(r, "Value", value, unit="STR")
        cell(r, "Label", label)
        cell(r, "Type", 0)


def relate(
    shape: etree._Element, *, contains: list[int] | None = None, member_of: int | None = None
) -> None:
    """The container relationships Visio keeps in the Relationships cell: DEPENDSON(1, ...)
    lists a container's members, DEPENDSON(4, ...) the container a shape is in."""
    kind, ids = (1, contains) if contains is not None else (4, [member_of])
    refs = ",".join(f"Sheet.{i}!SheetRef()" for i in ids)
    made = cell(shape, "Relationships", 0, f"SUM(DEPENDSON({kind},{refs}))")
    # The schema puts a shape's cells before its sections and text.
    first = next((c for c in shape if etree.QName(c).localname != "Cell"), None)
    if first is not None:
        first.addprevious(made)
