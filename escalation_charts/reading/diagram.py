"""Another tool's diagram into the model: BPMN 2.0 or draw.io, told apart by their content.

`import_diagram` reads the bytes with the hardened XML reader, looks at the root element
(BPMN `definitions`, draw.io `mxfile`, a bare `mxGraphModel`, or an SVG that draw.io
saved with its diagram inside, `.drawio.svg`) and hands it to its reader; the file's
extension is not trusted, since draw.io saves `.xml` too.
"""

from __future__ import annotations

from escalation_charts.reading.bpmn import MODEL, read_bpmn
from escalation_charts.reading.draft import Imported
from escalation_charts.reading.drawio import read_drawio
from escalation_charts.reading.xml_input import DiagramError, parse_xml

__all__ = ["DiagramError", "import_diagram"]

_SVG = "http://www.w3.org/2000/svg"


def import_diagram(data: bytes, source: str, page: str | None = None) -> tuple[Imported, str]:
    """The model of the diagram in `data` and its kind; DiagramError (one line) when the
    bytes are not a diagram we read, or not safe to read."""
    root = parse_xml(data, "XML")
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag == f"{{{MODEL}}}definitions":
        if page is not None:
            raise DiagramError("--page is for draw.io files; a BPMN file has one diagram")
        return read_bpmn(root, source), "BPMN 2.0"
    if tag in ("mxfile", "mxGraphModel"):
        return read_drawio(root, source, page), "draw.io"
    if tag == f"{{{_SVG}}}svg" and root.get("content"):
        # a .drawio.svg: the picture carries its diagram in `content`, to edit it again
        embedded = parse_xml(root.get("content", "").encode("utf-8"), "draw.io content")
        if embedded.tag == "mxfile":
            return read_drawio(embedded, source, page), "draw.io"
    if tag.endswith("}definitions"):
        namespace = tag[1:].split("}")[0]
        raise DiagramError(f"not BPMN 2.0: <definitions> in the namespace {namespace}, not {MODEL}")
    shown = tag.split("}")[-1] or "?"
    raise DiagramError(
        f"neither BPMN 2.0 nor draw.io: the root element is <{shown}> "
        "(expected <bpmn:definitions>, <mxfile> or <mxGraphModel>)"
    )
