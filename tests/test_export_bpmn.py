"""BPMN export: valid against the OMG BPMN 2.0 XSDs, a lane per lane holding every step's
flow node, the right element per step type, timers with ISO 8601 durations, and DI shapes
and edges for everything, placed from the shared layout."""

from __future__ import annotations

import itertools
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from escalation_charts.export._joins import with_joins
from escalation_charts.export.bpmn import NS, build_bpmn, write_bpmn
from escalation_charts.ids import xml_id
from escalation_charts.layout.geometry import Box
from escalation_charts.model import Definition, StepType
from escalation_charts.reading.loader import load

from .conftest import DATA, EXAMPLES
from .layouts import grid_layout

TRICKY = DATA / "export" / "tricky.yaml"
DEFINITIONS = [*EXAMPLES, TRICKY]
B = f"{{{NS['bpmn']}}}"
DI = {k: f"{{{NS[k]}}}" for k in ("bpmndi", "di", "dc")}
FLOW_NODES = (
    "startEvent",
    "endEvent",
    "task",
    "sendTask",
    "receiveTask",
    "exclusiveGateway",
    "boundaryEvent",
    "intermediateCatchEvent",
)


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(DATA / "schemas" / "bpmn" / "BPMN20.xsd")))


@cache
def exported(path: Path, direction: str = "LR") -> tuple[Definition, etree._Element]:
    definition = load(path).definition
    assert definition is not None
    xml = build_bpmn(definition, direction=direction)
    return definition, etree.fromstring(xml)


def flow_nodes(root: etree._Element) -> list[etree._Element]:
    return [e for tag in FLOW_NODES for e in root.iter(B + tag)]


@pytest.mark.parametrize("direction", ["LR", "TB"])
@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_valid_against_the_omg_xsd(path: Path, direction: str) -> None:
    _, root = exported(path, direction)
    valid = schema().validate(root)
    assert valid, schema().error_log


def test_valid_with_a_hand_built_layout_too() -> None:
    flow = with_joins(load(TRICKY).definition)
    for direction in ("LR", "TB"):
        root = etree.fromstring(write_bpmn(flow, grid_layout(flow, direction)))
        assert schema().validate(root), schema().error_log


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_one_pool_and_a_lane_per_lane_holding_its_steps(path: Path) -> None:
    definition, root = exported(path)
    participants = root.findall(f"{B}collaboration/{B}participant")
    assert len(participants) == 1
    process = root.find(f"{B}process")
    assert participants[0].get("processRef") == process.get("id")
    lanes = process.findall(f"{B}laneSet/{B}lane")
    assert [lane.get("id") for lane in lanes] == [xml_id("Lane", ln.id) for ln in definition.lanes]
    members = {lane.get("id"): [r.text for r in lane.findall(f"{B}flowNodeRef")] for lane in lanes}
    for step in definition.steps:
        holders = [lane for lane, refs in members.items() if xml_id("Step", step.id) in refs]
        assert holders == [xml_id("Lane", step.lane)], step.id
    # Timer events belong to a lane too: every flow node is in exactly one lane.
    every = [r for refs in members.values() for r in refs]
    assert sorted(every) == sorted(e.get("id") for e in flow_nodes(root))


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_each_step_type_has_its_bpmn_element(path: Path) -> None:
    definition, root = exported(path)
    by_id = {e.get("id"): etree.QName(e).localname for e in flow_nodes(root)}
    expected = {
        StepType.START: "startEvent",
        StepType.RESOLUTION: "endEvent",
        StepType.DECISION: "exclusiveGateway",
        StepType.TASK: "task",
        StepType.ESCALATE: "sendTask",
        StepType.WAIT: "receiveTask",
    }
    for step in definition.steps:
        assert by_id[xml_id("Step", step.id)] == expected[step.type]
        node = root.find(f".//*[@id='{xml_id('Step', step.id)}']")
        assert node.get("name") == step.label


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_decision_branches_are_named_flows(path: Path) -> None:
    definition, root = exported(path)
    flows = {f.get("id"): f for f in root.iter(B + "sequenceFlow")}
    for step in definition.steps:
        if step.type is StepType.DECISION:
            for index, edge in enumerate(step.next):
                flow = flows[xml_id("Flow", step.id, index)]
                assert flow.get("sourceRef") == xml_id("Step", step.id)
                # straight to the step, or to the join in front of it
                assert flow.get("targetRef") in (xml_id("Step", edge.to), xml_id("Join", edge.to))
                assert flow.get("name").startswith(edge.when)


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_timer_edges_are_timer_events_with_iso_durations(path: Path) -> None:
    definition, root = exported(path)
    timers = {e.get("id"): e for e in root.iter(B + "boundaryEvent", B + "intermediateCatchEvent")}
    count = 0
    for step in definition.steps:
        for index, edge in enumerate(step.next):
            if not edge.is_timer:
                continue
            count += 1
            timer = timers[xml_id("Timer", step.id, index)]
            duration = timer.find(f"{B}timerEventDefinition/{B}timeDuration")
            assert duration.text == edge.after.iso()
            if timer.tag == B + "boundaryEvent":
                assert timer.get("attachedToRef") == xml_id("Step", step.id)
                assert timer.get("cancelActivity") == "true"
    assert len(timers) == count
    if path == TRICKY:
        assert count == 2  # makes sure this test sees timers at all


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_di_has_a_shape_for_every_element_and_an_edge_for_every_flow(path: Path) -> None:
    definition, root = exported(path)
    plane = root.find(".//" + DI["bpmndi"] + "BPMNPlane")
    shapes = {s.get("bpmnElement"): s for s in plane.iter(DI["bpmndi"] + "BPMNShape")}
    edges = {e.get("bpmnElement"): e for e in plane.iter(DI["bpmndi"] + "BPMNEdge")}
    wanted = [e.get("id") for e in flow_nodes(root)]
    wanted += [e.get("id") for e in root.iter(B + "lane", B + "participant", B + "textAnnotation")]
    assert sorted(shapes) == sorted(wanted)
    assert sorted(edges) == sorted(
        e.get("id") for e in root.iter(B + "sequenceFlow", B + "association")
    )
    for edge in edges.values():
        assert len(edge.findall(DI["di"] + "waypoint")) >= 2

    def bounds(element_id: str) -> Box:
        b = shapes[element_id].find(DI["dc"] + "Bounds")
        return Box(*(float(b.get(k)) for k in ("x", "y", "width", "height")))

    pool = bounds(root.find(f".//{B}participant").get("id"))
    for step in definition.steps:
        lane, shape = bounds(xml_id("Lane", step.lane)), bounds(xml_id("Step", step.id))
        assert lane.contains(shape), step.id
        assert pool.contains(lane)
    lanes = [bounds(xml_id("Lane", lane.id)) for lane in definition.lanes]
    for a, b in itertools.pairwise(lanes):
        assert a.bottom <= b.y + 0.01  # in declared order, not overlapping


def test_ids_are_valid_xml_ids_even_for_dotted_and_numeric_step_ids() -> None:
    _, root = exported(TRICKY)
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert "Step_0start" in ids and "Step_1.log" in ids  # the XSD check proves they are IDs


def test_labels_are_text_not_markup() -> None:
    definition, root = exported(TRICKY)
    start = root.find(f".//{B}startEvent")
    assert start.get("name") == "Ticket <script>alert('x')</script>"
    assert not list(root.iter("script"))
    lanes = [lane.get("name") for lane in root.iter(B + "lane")]
    assert lanes[0] == 'Front <desk> & "care"'
    assert lanes[2] == "Vendor\\Partner (external)"
    assert root.find(f"{B}collaboration/{B}participant").get("name") == definition.process.name
    note = root.find(f".//{B}textAnnotation/{B}text")
    assert note.text == 'Notify: Front <desk> & "care"'


def test_same_input_gives_the_same_bytes() -> None:
    definition = load(EXAMPLES[0]).definition
    first = build_bpmn(definition)
    again = load(EXAMPLES[0]).definition
    assert build_bpmn(again) == first
