"""The masters a page's shapes are instances of: flowchart symbols, the swimlane, the
dynamic connector.

A master holds a shape's geometry once, in relative rows (`RelMoveTo`/`RelLineTo`, 0..1 of
the shape's width and height), so every instance of any size inherits it and a designer
who resizes a step in Visio keeps its outline. The names are Visio's own flowchart names
(`Process`, `Decision`, `Start/End`, ...), which Visio shows in the Shape Data and which
readers of Visio files use to tell a step's kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from escalation_charts.export.vsdx.sheet import (
    REL_NS,
    cell,
    element,
    row,
    section,
    user_row,
    xml_bytes,
)
from escalation_charts.model import StepType

__all__ = [
    "CONNECTOR",
    "MASTERS",
    "ROUNDED_STYLE",
    "SWIMLANE",
    "Master",
    "master_for",
    "master_part",
    "masters_part",
]

_K = 0.5523  # a cubic Bezier's handle for a quarter ellipse
ROUNDED_STYLE = 1  # the document's style sheet with rounded corners (see package)


@dataclass(frozen=True)
class Master:
    """One master: its id in the document, its universal name and a one-line prompt."""

    id: int
    name: str
    prompt: str
    one_d: bool = False
    line_style: int = 0  # the document style sheet its lines come from (0: No Style)

    @property
    def part(self) -> str:
        return f"master{self.id}.xml"


START_END = Master(1, "Start/End", "Where a ticket enters or leaves the process.")
PROCESS = Master(2, "Process", "A task one lane does.", line_style=ROUNDED_STYLE)
DECISION = Master(3, "Decision", "A question with one arrow per answer.")
SUBPROCESS = Master(
    4,
    "Subprocess",
    "An escalation: the ticket is handed to another lane.",
    line_style=ROUNDED_STYLE,
)
DELAY = Master(5, "Delay", "Waiting (for the customer, a supplier or a timer).")
SWIMLANE = Master(6, "Swimlane", "One party of the process and the steps it does.")
CONNECTOR = Master(7, "Dynamic connector", "A hand-over, timer or notify arrow.", one_d=True)
MASTERS = (START_END, PROCESS, DECISION, SUBPROCESS, DELAY, SWIMLANE, CONNECTOR)

_BY_TYPE = {
    StepType.START: START_END,
    StepType.RESOLUTION: START_END,
    StepType.TASK: PROCESS,
    StepType.DECISION: DECISION,
    StepType.ESCALATE: SUBPROCESS,
    StepType.WAIT: DELAY,
}


def master_for(step_type: StepType) -> Master:
    """The flowchart master a step of this type is drawn with."""
    return _BY_TYPE[step_type]


def masters_part() -> bytes:
    """`visio/masters/masters.xml`: every master's name, prompt and relationship."""
    root = element("Masters")
    for index, master in enumerate(MASTERS, start=1):
        attrs = {
            "ID": str(master.id),
            "NameU": master.name,
            "IsCustomNameU": "1",
            "Name": master.name,
            "IsCustomName": "1",
            "Prompt": master.prompt,
            "IconSize": "1",
            "AlignName": "2",
            "MatchByName": "1",
            "IconUpdate": "0",
            "UniqueID": f"{{E5C41A20-0000-0000-0000-00000000000{master.id}}}",
            "BaseID": f"{{E5C41A20-0000-0000-0001-00000000000{master.id}}}",
            "PatternFlags": "0",
            "Hidden": "0",
            "MasterType": "0",
        }
        node = etree.SubElement(root, etree.QName(root, "Master"), attrs)
        sheet = etree.SubElement(node, etree.QName(root, "PageSheet"))
        for name, value in (("PageWidth", 1.0), ("PageHeight", 1.0), ("DrawingSizeType", 4)):
            cell(sheet, name, value)
        etree.SubElement(
            node,
            etree.QName(root, "Rel"),
            {f"{{{REL_NS}}}id": f"rId{index}"},
        )
    return xml_bytes(root)


def master_part(master: Master) -> bytes:
    """`visio/masters/masterN.xml`: the master's one shape."""
    root = element("MasterContents")
    shapes = etree.SubElement(root, etree.QName(root, "Shapes"))
    line_style = str(master.line_style)
    shape = etree.SubElement(
        shapes,
        etree.QName(root, "Shape"),
        {"ID": "5", "Type": "Shape", "LineStyle": line_style, "FillStyle": "0", "TextStyle": "0"},
    )
    if master.one_d:
        _connector(shape)
    else:
        _two_d(shape, master)
    return xml_bytes(root)


def _two_d(shape: etree._Element, master: Master) -> None:
    for name, value, formula in (
        ("PinX", 0.5, None),
        ("PinY", 0.375, None),
        ("Width", 1.0, None),
        ("Height", 0.75, None),
        ("LocPinX", 0.5, "Width*0.5"),
        ("LocPinY", 0.375, "Height*0.5"),
        ("ObjType", 1, None),
    ):
        cell(shape, name, value, formula)
    if master is SWIMLANE:  # a container: Visio moves its members with it
        user = section(shape, "User")
        user_row(user, "msvStructureType", "Container")
        user_row(user, "msvShapeCategories", "Swimlane")
        user_row(user, "msvSDContainerMargin", "0.1", unit="IN")
        user_row(user, "msvSDContainerResize", "0", unit="NUM")
    geometry = section(shape, "Geometry", 0)
    for name in ("NoFill", "NoLine", "NoShow", "NoSnap", "NoQuickDrag"):
        cell(geometry, name, 0)
    if master is DECISION:
        points = [(0.5, 0.0), (1.0, 0.5), (0.5, 1.0), (0.0, 0.5), (0.5, 0.0)]
        _polygon(geometry, points)
    elif master is START_END:  # an ellipse, as the charts draw it, in four quarters
        row(geometry, "RelMoveTo", 1, (("X", 0.5), ("Y", 0.0)))
        quarters = (
            (0.5, 0.0, 1.0, 0.5),
            (1.0, 0.5, 0.5, 1.0),
            (0.5, 1.0, 0.0, 0.5),
            (0.0, 0.5, 0.5, 0.0),
        )
        for index, (x0, y0, x1, y1) in enumerate(quarters, start=2):
            row(geometry, "RelCubBezTo", index, _quarter(x0, y0, x1, y1))
    elif master is DELAY:  # flat on the left, a half ellipse on the right
        _polygon(geometry, [(0.0, 0.0), (0.7, 0.0)])
        for index, cells in ((3, _quarter(0.7, 0.0, 1.0, 0.5)), (4, _quarter(1.0, 0.5, 0.7, 1.0))):
            row(geometry, "RelCubBezTo", index, cells)
        row(geometry, "RelLineTo", 5, (("X", 0.0), ("Y", 1.0)))
        row(geometry, "RelLineTo", 6, (("X", 0.0), ("Y", 0.0)))
    else:
        _polygon(geometry, [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)])
    if master is SUBPROCESS:  # the predefined-process bars
        bars = section(shape, "Geometry", 1)
        cell(bars, "NoFill", 1)
        for index, (x, y, kind) in enumerate(
            (
                (0.07, 0.0, "RelMoveTo"),
                (0.07, 1.0, "RelLineTo"),
                (0.93, 0.0, "RelMoveTo"),
                (0.93, 1.0, "RelLineTo"),
            ),
            start=1,
        ):
            row(bars, kind, index, (("X", x), ("Y", y)))


def _polygon(geometry: etree._Element, points: list[tuple[float, float]]) -> None:
    for index, (x, y) in enumerate(points, start=1):
        row(geometry, "RelMoveTo" if index == 1 else "RelLineTo", index, (("X", x), ("Y", y)))


def _quarter(x0: float, y0: float, x1: float, y1: float) -> list[tuple[str, float]]:
    """A quarter ellipse from (x0, y0) to (x1, y1) as one relative cubic Bezier (X, Y the
    end; A B and C D the two handles). It leaves a point on the horizontal axis (y 0.5)
    vertically and a point on the vertical axis horizontally."""
    if y0 == 0.5:  # leaving the left or right middle: first handle vertical
        handles = (x0, y0 + (y1 - y0) * _K, x1 + (x0 - x1) * _K, y1)
    else:  # leaving the top or bottom middle: first handle horizontal
        handles = (x0 + (x1 - x0) * _K, y0, x1, y1 + (y0 - y1) * _K)
    return [("X", x1), ("Y", y1), *zip(("A", "B", "C", "D"), handles, strict=True)]


def _connector(shape: etree._Element) -> None:
    """The dynamic connector: a 1-D shape whose ends glue to shapes and walk around them."""
    for name, value, formula in (
        ("PinX", 0.5, "GUARD((BeginX+EndX)/2)"),
        ("PinY", 0.5, "GUARD((BeginY+EndY)/2)"),
        ("Width", 1.0, "GUARD(EndX-BeginX)"),
        ("Height", 0.0, "GUARD(EndY-BeginY)"),
        ("LocPinX", 0.5, "GUARD(Width*0.5)"),
        ("LocPinY", 0.0, "GUARD(Height*0.5)"),
        ("BeginX", 0.0, None),
        ("BeginY", 0.5, None),
        ("EndX", 1.0, None),
        ("EndY", 0.5, None),
        ("ObjType", 2, None),
        ("GlueType", 2, None),
        ("NoAlignBox", 1, None),
        ("DynFeedback", 2, None),
        ("ShapeSplittable", 1, None),
        ("EndArrow", 4, None),
        ("EndArrowSize", 1, None),
    ):
        cell(shape, name, value, formula)
    geometry = section(shape, "Geometry", 0)
    cell(geometry, "NoFill", 1)
    row(geometry, "MoveTo", 1, (("X", 0.0), ("Y", 0.0)))
    row(geometry, "LineTo", 2, (("X", 1.0), ("Y", 0.0)))
