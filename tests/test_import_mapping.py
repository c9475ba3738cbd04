"""The mapping `import --help` and the README promise, on small diagrams drawn for it.

BPMN: pools and lanes (nested ones flattened with a note), events, tasks and gateways to
step types, flow names and conditions to `when`, timer boundary and intermediate events
to `after` edges (ISO 8601), a join gateway left out, a message to a black-box pool as
notify to an external lane, a text annotation as a description. draw.io: a pool of
swimlanes, shapes to step types (start or end by the arrows), edge labels (on the edge
or as a label cell), `after 2h` labels, an arrow to a lane as notify, lanes as drawn.
"""

from __future__ import annotations

from escalation_charts.durations import parse_duration
from escalation_charts.model import Definition, Edge, StepType
from escalation_charts.reading.diagram import import_diagram
from escalation_charts.reading.draft import Imported

NS = (
    'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)

BPMN = f"""<?xml version="1.0" encoding="UTF-8"?>
<definitions {NS} id="defs" exporter="Camunda Modeler">
  <collaboration id="collab">
    <participant id="pool" name="Help desk" processRef="proc"/>
    <participant id="vendor" name="Vendor"/>
    <messageFlow id="msg" sourceRef="open_case" targetRef="vendor"/>
  </collaboration>
  <process id="proc" isExecutable="false">
    <laneSet id="ls">
      <lane id="l_desk" name="Service desk">
        <childLaneSet id="cls">
          <lane id="l_t1" name="Tier 1">
            <flowNodeRef>start</flowNodeRef><flowNodeRef>triage</flowNodeRef>
            <flowNodeRef>fixed</flowNodeRef><flowNodeRef>merge</flowNodeRef>
            <flowNodeRef>done</flowNodeRef><flowNodeRef>wait_timer</flowNodeRef>
          </lane>
          <lane id="l_t2" name="Tier 2">
            <flowNodeRef>expert</flowNodeRef><flowNodeRef>open_case</flowNodeRef>
            <flowNodeRef>boundary</flowNodeRef>
          </lane>
        </childLaneSet>
      </lane>
    </laneSet>
    <startEvent id="start" name="Ticket raised"/>
    <userTask id="triage" name="Triage&#10;the ticket"/>
    <exclusiveGateway id="fixed" name="Fixed?"/>
    <intermediateCatchEvent id="wait_timer" name="1 day">
      <timerEventDefinition id="td1">
        <timeDuration xsi:type="tFormalExpression">P1D</timeDuration>
      </timerEventDefinition>
    </intermediateCatchEvent>
    <serviceTask id="expert" name="Expert analysis"/>
    <boundaryEvent id="boundary" name="SLA" attachedToRef="expert" cancelActivity="true">
      <timerEventDefinition id="td2">
        <timeDuration xsi:type="tFormalExpression">PT2H</timeDuration>
      </timerEventDefinition>
    </boundaryEvent>
    <sendTask id="open_case" name="Open vendor case"/>
    <exclusiveGateway id="merge"/>
    <endEvent id="done" name="Closed"/>
    <textAnnotation id="note"><text>Check the CMDB first</text></textAnnotation>
    <association id="assoc" sourceRef="triage" targetRef="note"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="triage"/>
    <sequenceFlow id="f2" sourceRef="triage" targetRef="fixed"/>
    <sequenceFlow id="f3" name="yes" sourceRef="fixed" targetRef="merge"/>
    <sequenceFlow id="f4" sourceRef="fixed" targetRef="wait_timer">
      <conditionExpression xsi:type="tFormalExpression">${{not fixed}}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="f5" sourceRef="wait_timer" targetRef="expert"/>
    <sequenceFlow id="f6" sourceRef="expert" targetRef="merge"/>
    <sequenceFlow id="f7" sourceRef="boundary" targetRef="open_case"/>
    <sequenceFlow id="f8" sourceRef="open_case" targetRef="merge"/>
    <sequenceFlow id="f9" sourceRef="merge" targetRef="done"/>
  </process>
</definitions>
"""


def _read(text: str) -> Imported:
    return import_diagram(text.encode("utf-8"), "drawn.bpmn")[0]


def _edges(d: Definition, step: str) -> tuple[Edge, ...]:
    return d.steps_by_id[step].next


def test_bpmn_maps_as_documented() -> None:
    imported = _read(BPMN)
    d = imported.definition
    assert (d.process.id, d.process.name) == ("help-desk", "Help desk")
    assert [(lane.id, lane.name, lane.external) for lane in d.lanes] == [
        ("service-desk-tier-1", "Service desk / Tier 1", False),
        ("service-desk-tier-2", "Service desk / Tier 2", False),
        ("vendor", "Vendor", True),
    ]
    types = {s.id: s.type for s in d.steps}
    assert types == {
        "ticket-raised": StepType.START,
        "triage-ticket": StepType.TASK,
        "fixed": StepType.DECISION,
        "closed": StepType.RESOLUTION,
        "expert-analysis": StepType.TASK,
        "open-vendor-case": StepType.ESCALATE,
    }
    assert d.steps_by_id["triage-ticket"].label == "Triage the ticket"
    assert d.steps_by_id["triage-ticket"].description == "Check the CMDB first"
    # the join gateway is left out: its flows go straight on to the end
    assert _edges(d, "fixed") == (
        Edge(to="closed", when="yes"),
        Edge(to="expert-analysis", when="${not fixed}", after=parse_duration("1d")),
    )
    assert _edges(d, "expert-analysis") == (
        Edge(to="closed"),
        Edge(to="open-vendor-case", when="SLA", after=parse_duration("2h")),
    )
    assert d.steps_by_id["open-vendor-case"].notify == ("vendor",)
    said = {(n.element, n.level) for n in imported.notices}
    assert ("l_desk", "note") in said and ("merge", "note") in said
    assert not [n for n in imported.notices if n.level == "warning"]


def _cell(cid: str, parent: str, value: str, style: str, x: int, y: int, w: int, h: int) -> str:
    return (
        f'<mxCell id="{cid}" value="{value}" style="{style}" vertex="1" parent="{parent}">'
        f'<mxGeometry x="{x}" y="{y}" width="{w}" height="{h}" as="geometry"/></mxCell>'
    )


def _edge(cid: str, source: str, target: str, value: str = "") -> str:
    return (
        f'<mxCell id="{cid}" value="{value}" style="edgeStyle=orthogonalEdgeStyle;html=1;" '
        f'edge="1" parent="1" source="{source}" target="{target}">'
        '<mxGeometry relative="1" as="geometry"/></mxCell>'
    )


DRAWIO = (
    '<mxfile host="app.diagrams.net"><diagram name="Escalation" id="d1"><mxGraphModel><root>'
    '<mxCell id="0"/><mxCell id="1" parent="0"/>'
    + _cell("pool", "1", "IT Support", "swimlane;html=1;startSize=20;horizontal=0;", 0, 0, 800, 400)
    # the second lane is drawn first in the file but sits below the first one
    + _cell("l2", "pool", "Tier 2", "swimlane;html=1;horizontal=0;", 20, 200, 780, 200)
    + _cell("l1", "pool", "Tier&lt;br&gt;1", "swimlane;html=1;horizontal=0;", 20, 0, 780, 200)
    + _cell("s", "l1", "New ticket", "ellipse;whiteSpace=wrap;html=1;", 40, 60, 80, 40)
    + _cell("t", "l1", "Troubleshoot", "rounded=1;whiteSpace=wrap;html=1;", 160, 50, 120, 60)
    + _cell("q", "l1", "Fixed?", "rhombus;whiteSpace=wrap;html=1;", 320, 40, 80, 80)
    + _cell("e", "l1", "Closed", "ellipse;whiteSpace=wrap;html=1;", 460, 60, 80, 40)
    + _cell("x", "l2", "Expert fix", "whiteSpace=wrap;html=1;", 320, 60, 120, 60)
    + _cell("w", "l2", "Wait for user", "shape=delay;whiteSpace=wrap;html=1;", 480, 60, 120, 60)
    + '<UserObject label="Escalate&amp;nbsp;to vendor" id="u">'
    '<mxCell style="shape=process;whiteSpace=wrap;html=1;" vertex="1" parent="l2">'
    '<mxGeometry x="160" y="60" width="120" height="60" as="geometry"/></mxCell></UserObject>'
    + _edge("e1", "s", "t")
    + _edge("e2", "t", "q")
    + _edge("e3", "q", "e", "yes")
    + _edge("e4", "q", "u")
    + '<mxCell id="e4l" value="no" style="edgeLabel;html=1;" vertex="1" connectable="0" '
    'parent="e4"><mxGeometry x="-0.2" relative="1" as="geometry"/></mxCell>'
    + _edge("e5", "u", "x")
    + _edge("e6", "x", "w")
    + _edge("e7", "w", "e")
    + _edge("e8", "x", "e", "after 4h")
    + _edge("e9", "x", "l1")
    + "</root></mxGraphModel></diagram></mxfile>"
)


def test_drawio_maps_as_documented() -> None:
    imported, kind = import_diagram(DRAWIO.encode("utf-8"), "drawn.drawio")
    d = imported.definition
    assert kind == "draw.io" and d.process.name == "IT Support"
    assert [(lane.id, lane.name) for lane in d.lanes] == [
        ("tier-1", "Tier 1"),
        ("tier-2", "Tier 2"),
    ]
    # steps lane by lane, left to right, as a person reads the drawing
    assert [(s.id, s.lane, s.type) for s in d.steps] == [
        ("new-ticket", "tier-1", StepType.START),
        ("troubleshoot", "tier-1", StepType.TASK),
        ("fixed", "tier-1", StepType.DECISION),
        ("closed", "tier-1", StepType.RESOLUTION),
        ("escalate-vendor", "tier-2", StepType.ESCALATE),
        ("expert-fix", "tier-2", StepType.TASK),
        ("wait-user", "tier-2", StepType.WAIT),
    ]
    assert d.steps_by_id["escalate-vendor"].label == "Escalate to vendor"
    assert _edges(d, "fixed") == (
        Edge(to="closed", when="yes"),
        Edge(to="escalate-vendor", when="no"),
    )
    assert _edges(d, "expert-fix") == (
        Edge(to="wait-user"),
        Edge(to="closed", after=parse_duration("4h")),
    )
    assert d.steps_by_id["expert-fix"].notify == ("tier-1",)
    assert not imported.notices
