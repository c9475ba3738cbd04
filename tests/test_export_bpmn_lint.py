"""BPMN export as BPMN tools judge it: bpmnlint's `recommended` rules find nothing, bpmn-js
imports every file without a warning, shapes have bpmn-js's sizes and cover nothing.

The graph checks (no fake joins, no gateway that joins and forks, joins recognisable for an
importer, every model edge still leading to its step) and the geometry checks run here in
Python on every export; the real bpmnlint and bpmn-js run when installed (`.ci/run` installs
them from npm and sets BPMNLINT and BPMN_JS; in CI they are required).
"""

from __future__ import annotations

import itertools
import os
import subprocess
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from escalation_charts.export.bpmn import NS, build_bpmn
from escalation_charts.ids import xml_id
from escalation_charts.layout.geometry import Box
from escalation_charts.model import Definition
from escalation_charts.reading.loader import load, load_text

from . import bpmnjs
from .conftest import DATA, EXAMPLES
from .synth import synthetic_yaml

B = f"{{{NS['bpmn']}}}"
TRICKY = DATA / "export" / "tricky.yaml"
# One task with four timers (one per severity, as the examples now write them): more than
# one edge of the task holds, so they spread over its edges without covering each other.
TIMERS = """\
process: {id: timers, name: Timers}
severities: [{id: P1, name: A}, {id: P2, name: B}, {id: P3, name: C}, {id: P4, name: D}]
lanes: [{id: a, name: A}, {id: b, name: B}]
steps:
  - {id: s, lane: a, type: start, label: S, next: t}
  - id: t
    lane: a
    label: Work on it
    next:
      - to: done
      - {after: 1h, to: x, severities: [P1]}
      - {after: 2h, to: x, severities: [P2]}
      - {after: 3h, to: x, severities: [P3]}
      - {after: 4h, to: x, severities: [P4]}
  - {id: x, lane: b, label: Take over, next: done}
  - {id: done, lane: a, type: resolution, label: Done}
"""
CASES = [(p.stem, p) for p in [*EXAMPLES, TRICKY]] + [("synthetic-80", None), ("timers", None)]
DIRECTIONS = ("LR", "TB")
ACTIVITIES = ("task", "sendTask", "receiveTask")
EVENTS = ("startEvent", "endEvent", "boundaryEvent", "intermediateCatchEvent")
BPMNLINT = os.environ.get("BPMNLINT", "")
IN_CI = bool(os.environ.get("CI"))


@cache
def definition(name: str) -> Definition:
    path = dict(CASES)[name]
    if path is not None:
        result = load(path)
    elif name == "timers":
        result = load_text(TIMERS, "timers.yaml")
    else:
        result = load_text(synthetic_yaml(80, 5), "synthetic.yaml")
    assert result.definition is not None
    return result.definition


@cache
def exported(name: str, direction: str) -> bytes:
    return build_bpmn(definition(name), direction=direction)


def root(name: str, direction: str) -> etree._Element:
    return etree.fromstring(exported(name, direction))


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


def flows(doc: etree._Element) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(incoming, outgoing) flow ids by node id, from the flows' own refs."""
    incoming, outgoing = defaultdict(list), defaultdict(list)
    for flow in doc.iter(B + "sequenceFlow"):
        outgoing[flow.get("sourceRef")].append(flow.get("id"))
        incoming[flow.get("targetRef")].append(flow.get("id"))
    return incoming, outgoing


def nodes(doc: etree._Element, *tags: str) -> list[etree._Element]:
    return [e for tag in tags for e in doc.iter(B + tag)]


def shapes(doc: etree._Element) -> dict[str, Box]:
    out = {}
    for shape in doc.iter(f"{{{NS['bpmndi']}}}BPMNShape"):
        b = shape.find(f"{{{NS['dc']}}}Bounds")
        out[shape.get("bpmnElement")] = Box(
            *(float(b.get(k)) for k in ("x", "y", "width", "height"))
        )
    return out


def labels(doc: etree._Element) -> dict[str, Box]:
    out = {}
    for shape in doc.iter(f"{{{NS['bpmndi']}}}BPMNShape", f"{{{NS['bpmndi']}}}BPMNEdge"):
        b = shape.find(f"{{{NS['bpmndi']}}}BPMNLabel/{{{NS['dc']}}}Bounds")
        if b is not None:
            box = Box(*(float(b.get(k)) for k in ("x", "y", "width", "height")))
            out[shape.get("bpmnElement")] = box
    return out


pytestmark = pytest.mark.parametrize("direction", DIRECTIONS)
each_case = pytest.mark.parametrize("name", [name for name, _ in CASES])


# -- the flow graph --------------------------------------------------------------------


@each_case
def test_no_task_or_event_joins_flows(name: str, direction: str) -> None:
    """bpmnlint `fake-join`: several flows into a task or event do not join."""
    doc = root(name, direction)
    incoming, _ = flows(doc)
    joining = [
        e.get("id") for e in nodes(doc, *ACTIVITIES, *EVENTS) if len(incoming[e.get("id")]) > 1
    ]
    assert joining == []


@each_case
def test_no_gateway_joins_and_forks(name: str, direction: str) -> None:
    doc = root(name, direction)
    incoming, outgoing = flows(doc)
    both = [
        g.get("id")
        for g in nodes(doc, "exclusiveGateway")
        if len(incoming[g.get("id")]) > 1 and len(outgoing[g.get("id")]) > 1
    ]
    assert both == []


@each_case
def test_joins_are_recognisable_nameless_merges_with_one_flow_to_their_step(
    name: str, direction: str
) -> None:
    """What an importer relies on to drop them again (docstring of export.bpmn)."""
    doc = root(name, direction)
    incoming, outgoing = flows(doc)
    by_id = {f.get("id"): f for f in doc.iter(B + "sequenceFlow")}
    joins = [g for g in nodes(doc, "exclusiveGateway") if g.get("id").startswith("Join_")]
    steps = {xml_id("Step", s.id): s for s in definition(name).steps}
    for join in joins:
        assert join.get("gatewayDirection") == "Converging"
        assert join.get("name") is None
        assert len(incoming[join.get("id")]) > 1
        [out] = outgoing[join.get("id")]
        target = by_id[out].get("targetRef")
        assert target in steps
        assert join.get("id") == xml_id("Join", steps[target].id)
        assert out == xml_id("JoinFlow", steps[target].id)
    # the examples have steps several edges lead to, so this sees joins at all
    assert joins or name not in {p.stem for p in EXAMPLES}


@each_case
def test_every_model_edge_still_leads_to_its_step(name: str, direction: str) -> None:
    """Through the timer event and the join, if any, and nowhere else."""
    doc = root(name, direction)
    by_id = {f.get("id"): f for f in doc.iter(B + "sequenceFlow")}
    hosts = {e.get("id"): e.get("attachedToRef") for e in nodes(doc, "boundaryEvent")}
    _, outgoing = flows(doc)
    for step in definition(name).steps:
        for index, edge in enumerate(step.next):
            flow = by_id[xml_id("Flow", step.id, index)]
            source = flow.get("sourceRef")
            assert hosts.get(source, source) == xml_id("Step", step.id)
            node = flow.get("targetRef")
            hops = 0
            while node != xml_id("Step", edge.to):
                [out] = outgoing[node]  # a timer or a join: one way on
                node = by_id[out].get("targetRef")
                hops += 1
                assert hops <= 2, (step.id, index)


# -- the diagram -----------------------------------------------------------------------


@each_case
def test_shapes_have_bpmn_js_sizes(name: str, direction: str) -> None:
    doc = root(name, direction)
    box = shapes(doc)
    expected = {**dict.fromkeys(ACTIVITIES, (100, 80)), **dict.fromkeys(EVENTS, (36, 36))}
    expected["exclusiveGateway"] = (50, 50)
    for element in nodes(doc, *expected):
        size = (box[element.get("id")].width, box[element.get("id")].height)
        assert size == expected[local(element)], element.get("id")


@each_case
def test_no_shape_covers_another_and_all_are_in_the_pool(name: str, direction: str) -> None:
    """bpmnlint `no-overlapping-elements`, which counts touching as overlapping; a boundary
    event may overlap only its host."""
    doc = root(name, direction)
    box = shapes(doc)
    elements = nodes(doc, *ACTIVITIES, *EVENTS, "exclusiveGateway")
    host = {e.get("id"): e.get("attachedToRef") for e in elements}
    pool = box[doc.find(f".//{B}participant").get("id")]

    def touch(a: Box, b: Box) -> bool:
        return a.x <= b.right and b.x <= a.right and a.y <= b.bottom and b.y <= a.bottom

    ids = [e.get("id") for e in elements]
    clashes = [
        (a, b)
        for i, a in enumerate(ids)
        for b in ids[i + 1 :]
        if host[a] != b and host[b] != a and touch(box[a], box[b])
    ]
    assert clashes == []
    assert [i for i in ids if not pool.contains(box[i], tolerance=0)] == []


@each_case
def test_outside_labels_cover_no_shape_and_no_other_label(name: str, direction: str) -> None:
    doc = root(name, direction)
    box, label = shapes(doc), labels(doc)
    solid = {
        e.get("id"): box[e.get("id")]
        for e in nodes(doc, *ACTIVITIES, *EVENTS, "exclusiveGateway", "textAnnotation")
    }
    covering = [
        (owner, other)
        for owner, text in label.items()
        for other, shape in solid.items()
        if other != owner and text.overlaps(shape)
    ]
    assert covering == []
    owners = list(label)
    crossing = [
        (a, b) for i, a in enumerate(owners) for b in owners[i + 1 :] if label[a].overlaps(label[b])
    ]
    assert crossing == []


def waypoints(doc: etree._Element) -> dict[str, list[tuple[float, float]]]:
    """Each sequence flow's drawn line, as the DI's waypoints."""
    return {
        edge.get("bpmnElement"): [
            (float(w.get("x")), float(w.get("y"))) for w in edge.iter(f"{{{NS['di']}}}waypoint")
        ]
        for edge in doc.iter(f"{{{NS['bpmndi']}}}BPMNEdge")
        if edge.get("bpmnElement", "").startswith("Flow_")
    }


def runs_through(box: Box, a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether segment a-b passes through the inside of `box` (a line along its border, or
    touching it, leaves the text readable), by Liang-Barsky clipping."""
    x0, y0, x1, y1 = box.x + 1, box.y + 1, box.right - 1, box.bottom - 1
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, a[0] - x0), (dx, x1 - a[0]), (-dy, a[1] - y0), (dy, y1 - a[1])):
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            t0 = max(t0, q / p)
        else:
            t1 = min(t1, q / p)
    return t0 < t1


@each_case
def test_labels_cover_no_line_but_their_own(name: str, direction: str) -> None:
    """A name beside an event or gateway, and an arrow's name, with another flow's line
    drawn through it reads as that flow's name (or can't be read): the label of a flow may
    touch its own line, an event's or gateway's name no line at all."""
    doc = root(name, direction)
    lines = waypoints(doc)
    covered = [
        (owner, flow)
        for owner, text in labels(doc).items()
        for flow, points in lines.items()
        if flow != owner and any(runs_through(text, a, b) for a, b in itertools.pairwise(points))
    ]
    assert covered == []


# -- the real tools --------------------------------------------------------------------


def _tool_or_skip(available: bool, why: str) -> None:
    if not available:
        if IN_CI:
            pytest.fail(f"CI must run this check: {why}")
        pytest.skip(why)


@pytest.mark.slow
def test_bpmnlint_recommended_finds_no_problem(tmp_path: Path, direction: str) -> None:
    _tool_or_skip(Path(BPMNLINT).is_file(), "set BPMNLINT to bpmnlint's bin (npm bpmnlint)")
    (tmp_path / ".bpmnlintrc").write_text('{"extends": "bpmnlint:recommended"}', "utf-8")
    files = []
    for name, _ in CASES:
        files.append(tmp_path / f"{name}.bpmn")
        files[-1].write_bytes(exported(name, direction))
    done = subprocess.run(
        [BPMNLINT, *(f.name for f in files)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "problem" not in done.stdout, done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("name", [EXAMPLES[0].stem, TRICKY.stem, "synthetic-80"])
def test_bpmn_js_imports_without_a_warning(tmp_path: Path, name: str, direction: str) -> None:
    _tool_or_skip(bpmnjs.AVAILABLE, bpmnjs.WHY_NOT)
    result = bpmnjs.import_bpmn(exported(name, direction), tmp_path)
    assert result.error is None
    assert result.warnings == []
    assert "<svg" in result.svg
