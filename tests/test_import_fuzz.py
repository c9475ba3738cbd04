"""Broken diagrams never crash `import`: real files with elements, attributes and references
taken away or pointed elsewhere either import (the YAML written then loads) or are refused
with a DiagramError, one line."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from escalation_charts.reading.diagram import DiagramError, import_diagram
from escalation_charts.reading.loader import load_text
from escalation_charts.reading.xml_input import inflate, parse_xml
from escalation_charts.reading.yaml_out import definition_yaml

from .conftest import DATA

SOURCES = sorted((DATA / "import").glob("*.bpmn")) + sorted((DATA / "import").glob("*.xml"))
_REFS = ("sourceRef", "targetRef", "attachedToRef", "processRef", "source", "target", "parent")


def _plain(path: Path) -> etree._Element:
    """The document with a compressed draw.io page inflated, so elements can be cut."""
    root = parse_xml(path.read_bytes())
    diagram = root.find("diagram")
    if diagram is not None and diagram.find("mxGraphModel") is None and diagram.text:
        model = parse_xml(inflate(diagram.text))
        diagram.text = None
        diagram.append(model)
    return root


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_a_broken_diagram_imports_or_is_refused_in_one_line(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(SOURCES))
    root = _plain(path)
    elements = [e for e in root.iter() if isinstance(e.tag, str) and e is not root]
    ids = [e.get("id") for e in elements if e.get("id")] + ["", "nowhere", "0"]
    for _ in range(data.draw(st.integers(1, 6))):
        if not elements:
            break
        element = data.draw(st.sampled_from(elements))
        action = data.draw(st.sampled_from(["drop", "unlink", "relink", "rename", "text"]))
        parent = element.getparent()
        if action == "drop" and parent is not None:
            parent.remove(element)
            elements = [e for e in root.iter() if isinstance(e.tag, str) and e is not root]
        elif action in ("unlink", "relink"):
            for ref in _REFS:
                if element.get(ref) is not None:
                    if action == "unlink":
                        del element.attrib[ref]
                    else:
                        element.set(ref, data.draw(st.sampled_from(ids)))
        elif action == "rename":
            element.set("id", data.draw(st.sampled_from(ids)))
        else:
            xml_text = st.characters(blacklist_categories=("Cc", "Cs"))
            element.set("name", data.draw(st.text(xml_text, max_size=20)))
            element.set("value", data.draw(st.sampled_from(["", "<b>x</b>", "after 2h", "P1D"])))
    body = etree.tostring(root)
    try:
        imported, kind = import_diagram(body, path.name)
    except DiagramError as exc:
        assert "\n" not in str(exc) and str(exc)
        return
    text, _ = definition_yaml(imported.definition, path.name, kind)
    loaded = load_text(text, "imported.yaml")
    # the file reads; a label the loader refuses (a control character) is a finding
    assert loaded.definition is not None or all(f.rule == "invalid-value" for f in loaded.findings)
