"""Element ids stay unique whatever valid ids a definition uses (issue 16, break 5).

Valid model ids (`[A-Za-z0-9][A-Za-z0-9_.-]*`) are built from pieces that other ids add
in the outputs (`_di`, `-header`, `-0`, `__0`, `-`), so the schemes are tested where they
would meet: steps `a` and `a_di` (BPMN's `Step_a_di` twice), lanes `t1` and `t1-header`
(the SVG lane and its header), notify `a-b -> c` and `a -> b-c`. Each format is read with
its own parser and every id it declares must be declared once: BPMN against the OMG XSD
(which checks `xsd:ID` uniqueness), draw.io's `mxCell` ids, Mermaid's nodes and subgraphs,
the SVG's `id` attributes, the names of the shapes on each PPTX slide and the Visio
shapes' names. BPMN and draw.io must also give the same ids back on import.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pptx import Presentation

from escalation_charts.export.bpmn import build_bpmn
from escalation_charts.export.drawio import build_drawio
from escalation_charts.export.mermaid import build_mermaid
from escalation_charts.export.vsdx import build_vsdx
from escalation_charts.layout.bands import compute_layout
from escalation_charts.model import Definition
from escalation_charts.reading.diagram import import_diagram
from escalation_charts.reading.loader import load_text
from escalation_charts.render.chart import render_chart
from escalation_charts.render.pptx import build_deck

from .conftest import DATA

ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# What the outputs join onto ids, and the characters that join them.
PIECES = ["a", "b", "t1", "0", "1", "di", "_di", "-header", "-name", "-0", "__0", "_", "-", "."]


@cache
def bpmn_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(DATA / "schemas" / "bpmn" / "BPMN20.xsd")))


# Mostly ids built from those pieces (where collisions live), some drawn from the grammar.
model_ids = st.one_of(
    st.builds(
        lambda first, rest: first + "".join(rest),
        st.sampled_from(["a", "b", "t1", "0", "x"]),
        st.lists(st.sampled_from(PIECES), max_size=4),
    ),
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,12}", fullmatch=True),
).filter(lambda s: ID.fullmatch(s) is not None and len(s) <= 100)


def definition_text(lanes: list[str], steps: list[str]) -> str:
    """A valid definition: a start, a chain of tasks with a decision and notify arrows to
    every other lane, and a resolution; ids quoted so `0` and `1.5` stay strings."""
    q = json.dumps
    out = [
        "format: 1",
        "process: {id: p, name: Ids, owner: Test, version: '1'}",
        "severities:",
        "  - {id: P1, name: Critical, respond: 15m, resolve: 1d}",
        "lanes:",
        *(f"  - {{id: {q(lane)}, name: Lane {n}}}" for n, lane in enumerate(lanes)),
        "steps:",
    ]
    last = len(steps) - 1
    for n, step in enumerate(steps):
        lane = q(lanes[n % len(lanes)])
        if n == last:
            out.append(f"  - {{id: {q(step)}, lane: {lane}, type: resolution, label: Done}}")
            continue
        kind = "start" if n == 0 else "decision" if n == 1 else "task"
        if kind == "decision":
            nxt = f"[{{when: 'yes', to: {q(steps[last])}}}, {{when: 'no', to: {q(steps[2])}}}]"
        else:
            nxt = q(steps[n + 1])
        others = [q(other) for other in lanes if other != lanes[n % len(lanes)]]
        notify = f", notify: [{', '.join(others)}]" if kind == "task" and others else ""
        label = "Fixed?" if kind == "decision" else f"Step {n}"
        out.append(
            f"  - {{id: {q(step)}, lane: {lane}, type: {kind}, label: {label!r}, "
            f"next: {nxt}{notify}}}"
        )
    return "\n".join(out) + "\n"


def loaded(lanes: list[str], steps: list[str]) -> Definition:
    result = load_text(definition_text(lanes, steps), "ids.yaml")
    assert result.definition is not None, [str(f) for f in result.findings]
    return result.definition


def twice(ids: list[str]) -> list[str]:
    return sorted(i for i, n in Counter(ids).items() if n > 1)


def check_bpmn(d: Definition) -> None:
    data = build_bpmn(d)
    root = etree.fromstring(data)
    assert twice([e.get("id") for e in root.iter() if e.get("id")]) == []
    assert bpmn_schema().validate(root), bpmn_schema().error_log
    back, _ = import_diagram(data, "ids.bpmn")
    assert [s.id for s in back.definition.steps] == [s.id for s in d.steps]
    assert [lane.id for lane in back.definition.lanes] == [lane.id for lane in d.lanes]


def check_drawio(d: Definition) -> None:
    data = build_drawio(d, compute_layout(d))
    root = etree.fromstring(data)
    assert twice([c.get("id") for c in root.iter("mxCell")]) == []
    back, _ = import_diagram(data, "ids.drawio")
    assert [s.id for s in back.definition.steps] == [s.id for s in d.steps]
    assert [lane.id for lane in back.definition.lanes] == [lane.id for lane in d.lanes]


def check_mermaid(d: Definition) -> None:
    for syntax in ("flowchart", "swimlane"):
        text = build_mermaid(d, syntax=syntax)
        nodes = re.findall(r"^\s+(step_\w+)[\[({>]", text, re.M)
        groups = re.findall(r"^\s+subgraph (\w+)", text, re.M)
        assert len(nodes) == len(d.steps), text
        assert twice(nodes + groups) == []


def check_svg(d: Definition) -> None:
    svg = render_chart(d, "svg").decode()
    ids = re.findall(r'\sid="([^"]*)"', svg)
    assert twice(ids) == []
    for step in d.steps:  # SPEC: a step is the group `step-<step id>`, a lane `lane-<id>`
        assert f'id="step-{step.id}"' in svg
    for lane in d.lanes:
        assert f'id="lane-{lane.id}"' in svg


def check_pptx(d: Definition) -> None:
    data = build_deck(d, [], compute_layout(d))
    for slide in Presentation(io.BytesIO(data)).slides:
        assert twice([shape.name for shape in slide.shapes]) == []
        names = {shape.name for shape in slide.shapes}
        if any(name.startswith("step-") for name in names):
            assert {f"lane-{lane.id}" for lane in d.lanes} <= names


def check_vsdx(d: Definition) -> None:
    with zipfile.ZipFile(io.BytesIO(build_vsdx(d, [compute_layout(d)]))) as z:
        for name in z.namelist():
            if re.fullmatch(r"visio/pages/page\d+\.xml", name):
                root = etree.fromstring(z.read(name))
                shapes = [e for e in root.iter() if etree.QName(e).localname == "Shape"]
                assert twice([s.get("ID") for s in shapes]) == []
                assert twice([s.get("NameU") for s in shapes if s.get("NameU")]) == []


CHECKS = [check_bpmn, check_drawio, check_mermaid, check_svg, check_pptx, check_vsdx]


def check_all(lanes: list[str], steps: list[str]) -> None:
    d = loaded(lanes, steps)
    for check in CHECKS:
        check(d)


def test_the_reported_collisions() -> None:
    """Steps `a`/`a_di`, lanes `t1`/`t1-header`, notify `a-b -> c` and `a -> b-c`."""
    check_all(["t1", "t1-header", "c", "b-c"], ["start", "a", "a_di", "a-b", "x", "end"])


def test_edge_and_index_lookalikes() -> None:
    """Step `a` with its edges beside steps `a-0`, `a__0`, `a-0-0`; lane `x` and `x-name`."""
    check_all(["x", "x-name", "x-note"], ["a", "a-0", "a__0", "a-0-0", "a_0", "zz"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    lanes=st.lists(model_ids, min_size=2, max_size=3, unique=True),
    steps=st.lists(model_ids, min_size=4, max_size=7, unique=True),
)
def test_random_valid_ids_never_collide(lanes: list[str], steps: list[str]) -> None:
    check_all(lanes, steps)
