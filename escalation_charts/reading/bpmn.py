"""BPMN 2.0 XML (bpmn.io, Camunda Modeler, Signavio, our own export) -> the model.

The mapping, also in `import --help` and the README:

- a participant (pool) names the process; the lanes of its `laneSet` are the lanes
  (nested lanes flattened to their innermost lane, with a note); a pool without lanes is
  one lane; a pool with no process of its own (a black box) that message flows reach is
  an external lane;
- start events are `start`, end events `resolution`; tasks of every kind `task`, except
  send tasks (`escalate`) and receive tasks (`wait`); exclusive and inclusive gateways are
  `decision` (a gateway that only joins flows is left out, its flows joined through);
  intermediate catch events `wait`, intermediate throw events `task` (`escalate` for an
  escalation event);
- sequence flows are `next` edges, their names (or condition expressions) the `when`
  labels; a timer boundary event or timer intermediate catch event makes an `after` edge
  with its ISO 8601 duration; a message flow from a step to another pool is `notify`;
- a text annotation joined to a step becomes its description.

Anything else (parallel and event-based gateways, sub-processes, data objects, other
boundary events) is imported as the nearest thing or left out, with a warning naming it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from escalation_charts.durations import Duration, parse_duration
from escalation_charts.model import StepType
from escalation_charts.reading import ours
from escalation_charts.reading.draft import (
    Draft,
    DraftEdge,
    DraftLane,
    DraftStep,
    Imported,
    spoken_duration,
    tidy,
)
from escalation_charts.reading.xml_input import DiagramError

__all__ = ["MODEL", "read_bpmn"]

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
DI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"

_TASKS = {
    "task": StepType.TASK,
    "userTask": StepType.TASK,
    "manualTask": StepType.TASK,
    "serviceTask": StepType.TASK,
    "scriptTask": StepType.TASK,
    "businessRuleTask": StepType.TASK,
    "sendTask": StepType.ESCALATE,
    "receiveTask": StepType.WAIT,
}
_CONTAINERS = {"subProcess", "transaction", "adHocSubProcess", "callActivity"}
_GATEWAYS = {"exclusiveGateway", "inclusiveGateway"}
_ODD_GATEWAYS = {"parallelGateway", "eventBasedGateway", "complexGateway"}
# Ids a modeler makes up (`Process_1`, `Process_0x8k2m`, Signavio's `sid-...`): no name.
_GENERATED_ID = re.compile(r"(?i)(process_|sid-|_|id_|definitions_)|.*_[0-9a-z]{7}$")
_FALLBACK_LABELS = {
    "startEvent": "Start",
    "endEvent": "End",
    "intermediateCatchEvent": "Wait",
    "intermediateThrowEvent": "Event",
}
# Elements that draw nothing a definition could hold, read for their meaning elsewhere
# or declarations only: passed over without a word.
_QUIET = {
    "documentation",
    "extensionElements",
    "laneSet",
    "sequenceFlow",
    "association",
    "textAnnotation",
    "ioSpecification",
    "property",
    "boundaryEvent",
}
_ARTIFACTS = {"dataObject", "dataObjectReference", "dataStoreReference", "group"}


def _q(tag: str) -> str:
    return f"{{{MODEL}}}{tag}"


def _local(element: etree._Element) -> str:
    tag = element.tag  # comments and processing instructions have a function here
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element: etree._Element | None) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _docs(element: etree._Element, exact: bool = False) -> str | None:
    """The element's documentation: as written in our own export, trimmed otherwise."""
    texts = [_text(d) for d in element.findall(_q("documentation"))]
    texts = texts if exact else [t.strip() for t in texts]
    return "\n".join(t for t in texts if t) or None


@dataclass
class _Timer:
    """A timer intermediate catch event: not a step, a delay on the edges through it."""

    key: str
    after: Duration
    name: str


@dataclass
class _Flow:
    id: str
    source: str
    target: str
    name: str | None
    index: int


@dataclass
class _Process:
    element: etree._Element
    pool: str | None  # the participant's id
    name: str
    lane_keys: list[str] = field(default_factory=list)


def read_bpmn(root: etree._Element, source: str) -> Imported:
    """The model of a BPMN 2.0 `definitions` document; DiagramError when it is not one."""
    if root.tag != _q("definitions"):
        raise DiagramError(
            f"not BPMN 2.0: the root element is <{_local(root) or root.tag}>, "
            f"not <definitions> in the namespace {MODEL}"
        )
    return _Reader(root, source).read()


class _Reader:
    def __init__(self, root: etree._Element, source: str) -> None:
        self.root = root
        self.source = source
        self.ours = root.get("exporter") == ours.EXPORTER
        self.draft = Draft(by_place=not self.ours)
        self.bounds = _di_bounds(root)
        self.horizontal = True  # lanes as rows; set from the lanes' diagram
        self.timers: dict[str, _Timer] = {}
        self.joins: dict[str, str] = {}  # gateway key -> its kind, for gateways left out
        self.flows: list[_Flow] = []
        self.flows_from: dict[str, list[_Flow]] = {}  # by source, in document order
        self.flows_into: dict[str, int] = {}
        self.boundaries: dict[str, list[etree._Element]] = {}  # host -> boundary events
        self.known: set[str] = set()  # every element id seen in a process
        self.pool_lanes: dict[str, str] = {}  # participant id -> lane key
        self.black_boxes: dict[str, str] = {}  # pools without a process: id -> name
        self.node_lane: dict[str, str] = {}  # flow node id -> innermost lane listing it

    def read(self) -> Imported:
        processes = self._processes()
        drawn = [p for p in processes if self._flow_nodes(p.element)]
        if not drawn:
            raise DiagramError("the BPMN file has no process with flow elements to import")
        self._name_process(drawn[0])
        for process in drawn:
            self._lanes(process)
        for process in processes:
            self._collect_flows(process.element)
        for process in drawn:
            self._nodes(process)
        self._collapse_joins()
        for step in self.draft.steps.values():
            step.edges = [edge for _, edge in sorted(self._edges(step.key), key=lambda x: x[0])]
        for process in processes:
            self._annotations(process.element)
        self._collaborations()
        self._unused()
        return self.draft.imported(self.source)

    # -- processes and pools -------------------------------------------------------------

    def _processes(self) -> list[_Process]:
        by_id = {p.get("id"): p for p in self.root.findall(_q("process"))}
        out: list[_Process] = []
        used: set[str] = set()
        for participant in self.root.iter(_q("participant")):
            ref = participant.get("processRef")
            name = participant.get("name") or ""
            name = name if self.ours else tidy(name)
            pid = participant.get("id") or ""
            if ref in by_id and ref not in used:
                used.add(ref)
                self.draft.used.update((pid, ref))
                out.append(_Process(by_id[ref], pid, name or by_id[ref].get("name") or ""))
            else:  # a black box: an external lane, made only if a message reaches it
                self.black_boxes[pid] = name or pid
        for ref, element in by_id.items():
            if ref not in used:
                out.append(_Process(element, None, tidy(element.get("name") or "")))
        return out

    def _flow_nodes(self, process: etree._Element) -> bool:
        """True when the process holds something to import (not only lanes or data)."""
        return any(_local(c) and _local(c) not in _QUIET | _ARTIFACTS for c in process)

    def _name_process(self, main: _Process) -> None:
        element = main.element
        name = main.name or tidy(element.get("name") or "")
        key = element.get("id") or ""
        if self.ours:
            self.draft.process_id = ours.model_id(key, "Process_")
        elif not name and not _GENERATED_ID.match(key):
            # no name, but a key someone chose (the engine's process key): id and name
            self.draft.process_id = key
            name = re.sub(r"[-_.]+", " ", key).strip().capitalize()
        self.draft.process_name = name or "Imported process"
        self.draft.description = _docs(element, self.ours)

    # -- lanes -----------------------------------------------------------------------------

    def _lanes(self, process: _Process) -> None:
        """Innermost lanes in drawing order; nodes in no lane go to the pool's own lane."""
        leaves: list[tuple[etree._Element, str]] = []
        for lane_set in process.element.findall(_q("laneSet")):
            self.draft.used.add(lane_set.get("id") or "")
            self._leaf_lanes(lane_set, [], leaves)
        horizontal = True
        for lane, _ in leaves:
            box = self.bounds.get(lane.get("id") or "")
            if box is not None:
                horizontal = box[4]
                break
        self.horizontal = horizontal
        if all(lane.get("id") in self.bounds for lane, _ in leaves):
            axis = 1 if horizontal else 0
            leaves.sort(key=lambda item: self.bounds[item[0].get("id") or ""][axis])
        for lane, title in leaves:
            key = lane.get("id") or f"lane-{len(self.draft.lanes)}"
            name, external = ours.lane_title(title) if self.ours else (title, False)
            self.draft.lanes[key] = DraftLane(
                key,
                name or "Lane",
                known_id=ours.model_id(key, "Lane_") if self.ours else None,
                external=external,
                description=_docs(lane, self.ours),
            )
            process.lane_keys.append(key)
            for ref in lane.iter(_q("flowNodeRef")):
                # the innermost lane listing a node wins (parents list their children's)
                self.node_lane[(ref.text or "").strip()] = key
        if process.pool:
            self.pool_lanes[process.pool] = process.lane_keys[0] if process.lane_keys else ""

    def _leaf_lanes(
        self, lane_set: etree._Element, path: list[str], out: list[tuple[etree._Element, str]]
    ) -> None:
        for lane in lane_set.findall(_q("lane")):
            name = lane.get("name") or ""
            name = name if self.ours else tidy(name)
            children = lane.findall(_q("childLaneSet"))
            if any(c.findall(_q("lane")) for c in children):
                self.draft.note(
                    lane.get("id") or "lane",
                    f"a lane with lanes inside: flattened, its inner lanes named "
                    f"'{name or 'Lane'} / ...'",
                )
                for child in children:
                    self._leaf_lanes(child, [*path, name or "Lane"], out)
            else:
                out.append((lane, " / ".join([*path, name]) if path else name))

    def _lane_for(self, process: _Process, key: str) -> str:
        lane = self.node_lane.get(key)
        if lane:
            return lane
        centre = self.bounds.get(key)
        if centre is not None:
            cx, cy = centre[0] + centre[2] / 2, centre[1] + centre[3] / 2
            for lane_key in process.lane_keys:
                box = self.bounds.get(lane_key)
                if box and box[0] <= cx <= box[0] + box[2] and box[1] <= cy <= box[1] + box[3]:
                    return lane_key
        own = f"pool:{process.pool or process.element.get('id')}"
        if own not in self.draft.lanes:
            name = process.name or "Process"
            self.draft.lanes[own] = DraftLane(own, name)
            if process.lane_keys:
                self.draft.warn(key, f"in no lane: put in a lane named after the pool, {name!r}")
            process.lane_keys.append(own)
            if process.pool and not self.pool_lanes.get(process.pool):
                self.pool_lanes[process.pool] = own
        return own

    # -- flow nodes ------------------------------------------------------------------------

    def _nodes(self, process: _Process) -> None:
        for element in process.element:
            kind = _local(element)
            key = element.get("id") or ""
            if not kind or kind in ("documentation", "extensionElements", "laneSet"):
                continue
            self.known.add(key)
            if kind == "boundaryEvent":
                self.boundaries.setdefault(element.get("attachedToRef") or "", []).append(element)
                continue
            if kind in _QUIET:
                continue
            if kind in _ARTIFACTS:
                self.draft.warn(key, f"a {kind}: left out (a definition holds no data or groups)")
                continue
            self._node(process, element, kind, key)

    def _node(self, process: _Process, element: etree._Element, kind: str, key: str) -> None:
        name = (element.get("name") or "") if self.ours else tidy(element.get("name") or "")
        definitions = {_local(c) for c in element if _local(c).endswith("EventDefinition")}
        step_type: StepType | None = None
        if kind == "startEvent":
            step_type = StepType.START
        elif kind == "endEvent":
            step_type = StepType.RESOLUTION
        elif kind in _TASKS:
            step_type = _TASKS[kind]
        elif kind in _GATEWAYS:
            step_type = StepType.DECISION
        elif kind in _ODD_GATEWAYS:
            step_type = StepType.DECISION
            self.draft.warn(
                key,
                f"a {kind}: a definition has no parallel or event-driven split; imported as a "
                "decision (one branch per outgoing flow), or left out when it only joins flows",
            )
        elif kind in _CONTAINERS:
            step_type = StepType.TASK
            inner = sum(1 for c in element.iter() if _local(c) not in ("", "documentation"))
            self.draft.warn(
                key, f"a {kind}: imported as one task; the {inner - 1} elements inside are not"
            )
        elif kind == "intermediateCatchEvent" and "timerEventDefinition" in definitions:
            self.timers[key] = _Timer(key, self._duration(element), name)
            return
        elif kind == "intermediateCatchEvent":
            step_type = StepType.WAIT
            if "linkEventDefinition" in definitions:
                self.draft.warn(
                    key, "a link event: imported as a wait step, not joined to its link"
                )
        elif kind == "intermediateThrowEvent":
            escalates = "escalationEventDefinition" in definitions
            step_type = StepType.ESCALATE if escalates else StepType.TASK
            if "linkEventDefinition" in definitions:
                self.draft.warn(key, "a link event: imported as a task, not joined to its link")
        if step_type is None:
            self.draft.warn(key, f"a <{kind}> is not something a definition can hold: left out")
            return
        if step_type is StepType.DECISION and self._is_join(process.element, element):
            self.joins[key] = kind
            return
        label = name or _FALLBACK_LABELS.get(kind) or _spaced(kind)
        box = self.bounds.get(key)
        place = None
        if box is not None:
            place = (box[0], box[1]) if self.horizontal else (box[1], box[0])
        self.draft.steps[key] = DraftStep(
            key,
            self._lane_for(process, key),
            label,
            step_type,
            known_id=ours.model_id(key, "Step_") if self.ours else None,
            description=_docs(element, self.ours),
            place=place,
        )

    def _is_join(self, process: etree._Element, gateway: etree._Element) -> bool:
        """A gateway with one way out and at least one way in only joins: it adds nothing
        to a definition. In our own export only the merges it puts in front of a step that
        several flows lead to are joins (`Join_<step>`, `gatewayDirection="Converging"`,
        see `export.bpmn`); any other gateway there is a decision and kept."""
        if self.ours:
            return gateway.get("gatewayDirection") == "Converging" and (
                gateway.get("id") or ""
            ).startswith("Join_")
        key = gateway.get("id") or ""
        return len(self.flows_from.get(key, ())) == 1 and self.flows_into.get(key, 0) >= 1

    def _duration(self, event: etree._Element) -> Duration:
        """The timer's ISO 8601 duration; 0m with a warning when it has none we can read."""
        key = event.get("id") or ""
        definition = event.find(_q("timerEventDefinition"))
        text = ""
        if definition is not None:
            for tag in ("timeDuration", "timeCycle", "timeDate"):
                found = definition.find(_q(tag))
                if found is not None:
                    text = _text(found).strip()
                    if tag == "timeCycle" and "/" in text:
                        self.draft.warn(key, f"a repeating timer {text!r}: imported as one wait")
                        text = text.rsplit("/", 1)[-1]
                    elif tag == "timeDate" and text:
                        self.draft.warn(key, f"a timer at a date ({text!r}): needs a duration")
                        text = ""
                    break
        try:
            return parse_duration(text)
        except ValueError:
            spoken = spoken_duration(tidy(event.get("name") or ""))
            if spoken is not None:
                self.draft.note(key, f"no ISO 8601 duration: the wait its name says, {spoken}")
                return spoken
            shown = f" {text!r}" if text else ""
            self.draft.warn(key, f"a timer without a duration we can read{shown}: after 0m")
            return Duration(0)

    # -- flows -----------------------------------------------------------------------------

    def _collect_flows(self, process: etree._Element) -> None:
        for flow in process.findall(_q("sequenceFlow")):
            name = flow.get("name")
            name = name if self.ours else tidy(name or "") or None
            condition = flow.find(_q("conditionExpression"))
            if not name and condition is not None and _text(condition).strip():
                name = " ".join(_text(condition).split())
            read = _Flow(
                flow.get("id") or "",
                flow.get("sourceRef") or "",
                flow.get("targetRef") or "",
                name or None,
                len(self.flows),
            )
            self.flows.append(read)
            self.flows_from.setdefault(read.source, []).append(read)
            self.flows_into[read.target] = self.flows_into.get(read.target, 0) + 1

    def _out(self, key: str) -> list[_Flow]:
        return self.flows_from.get(key, [])

    def _collapse_joins(self) -> None:
        for key, kind in self.joins.items():
            out = self._out(key)
            target = out[0].target if out else "?"
            if kind in _GATEWAYS and not self.ours:  # our own joins go without a word
                self.draft.note(
                    key, f"a gateway that only joins flows: left out, they go on to {target}"
                )

    def _edges(self, key: str) -> Iterator[tuple[int, DraftEdge]]:
        """The step's edges with the index of the flow they start with (document order)."""
        for flow in self._out(key):
            for edge in self._follow(flow, flow.name, None, None, set()):
                yield flow.index, edge
        for event in self.boundaries.get(key, []):
            yield from self._boundary(key, event)

    def _boundary(self, host: str, event: etree._Element) -> Iterator[tuple[int, DraftEdge]]:
        bid = event.get("id") or ""
        self.draft.used.add(bid)
        definitions = [_local(c) for c in event if _local(c).endswith("EventDefinition")]
        is_timer = "timerEventDefinition" in definitions
        name = (event.get("name") or "") if self.ours else tidy(event.get("name") or "")
        if is_timer:
            after: Duration | None = self._duration(event)
            when, severities = self._timer_label(name, after)
            if event.get("cancelActivity") == "false":
                self.draft.warn(
                    bid, "a non-interrupting timer: imported as an escalation timer edge"
                )
        else:
            after, severities = None, None
            kind = (definitions[0] if definitions else "event").removesuffix("EventDefinition")
            when = name or f"on {kind}"
            self.draft.warn(
                bid, f"a {kind} boundary event: imported as a branch {when!r} of its step"
            )
        outs = self._out(bid)
        if not outs:
            self.draft.warn(bid, "a boundary event with no outgoing flow: left out")
        for flow in outs:
            branch = when if when is not None else flow.name
            for edge in self._follow(flow, branch, after, severities, set()):
                yield flow.index, edge

    def _timer_label(
        self, name: str, after: Duration | None
    ) -> tuple[str | None, tuple[str, ...] | None]:
        """The `when` and severities a timer event's name adds to its edge."""
        if self.ours:
            when, _, severities = ours.parse_label(name)
            return when, severities
        when, said, _ = ours.parse_label(name)
        if said is not None and when is None:
            return None, None  # the name only says the duration again ("after 2h")
        try:
            parse_duration(name.removeprefix("after ").strip())
            return None, None
        except ValueError:
            return (name or None), None

    def _follow(
        self,
        flow: _Flow,
        when: str | None,
        after: Duration | None,
        severities: tuple[str, ...] | None,
        seen: set[str],
    ) -> Iterator[DraftEdge]:
        """Edges for `flow`, through timer events (adding their wait) and joins."""
        target = flow.target
        self.draft.used.add(flow.id)
        if self.ours and after is None and when is not None:
            # parsed once: on through a join, "no" must keep the severities "no (P1)" gave
            when, _, parsed = ours.parse_label(when)
            severities = severities or parsed
        if target in self.draft.steps:
            yield DraftEdge(target, when, after, severities)
            return
        if target in seen:
            self.draft.warn(target, "a loop through timer events or joins only: cut here")
            return
        seen = seen | {target}
        self.draft.used.add(target)
        if target in self.timers:
            timer = self.timers[target]
            more = timer.after if after is None else after + timer.after
            name_when, name_sev = self._timer_label(timer.name, timer.after)
            when = when or name_when
            severities = severities or name_sev
            outs = self._out(target)
            if not outs:
                self.draft.warn(target, "a timer event with no outgoing flow: left out")
            for out in outs:
                yield from self._follow(out, when or out.name, more, severities, seen)
            return
        if target in self.joins:
            for out in self._out(target):
                yield from self._follow(out, when or out.name, after, severities, seen)
            return
        if target not in self.known:
            self.draft.warn(flow.id, f"a flow to {target!r}, which is not in the process: left out")
        else:
            self.draft.warn(flow.id, f"a flow to {target!r}, which was not imported: left out")

    # -- annotations and message flows -----------------------------------------------------

    def _annotations(self, container: etree._Element) -> None:
        texts = {
            a.get("id"): _text(a.find(_q("text"))) for a in container.findall(_q("textAnnotation"))
        }
        joined: set[str] = set()
        names = [(key, lane.name) for key, lane in self.draft.lanes.items()]
        for association in container.findall(_q("association")):
            ends = (association.get("sourceRef"), association.get("targetRef"))
            note = next((e for e in ends if e in texts), None)
            other = next((e for e in ends if e != note), None)
            if note is None or other not in self.draft.steps:
                continue
            joined.add(note)
            self.draft.used.update((note, association.get("id") or ""))
            step = self.draft.steps[other]
            text = texts[note] or ""
            lanes = ours.notify_lanes(text, names) if self.ours else None
            if lanes is not None:
                step.notify.extend(lanes)
            elif text.strip():
                extra = text if self.ours else text.strip()
                step.description = f"{step.description}\n{extra}" if step.description else extra
        for key, text in texts.items():
            if key not in joined:
                self.draft.warn(
                    key or "textAnnotation",
                    f"a note joined to no step: left out ({text.strip()[:40]!r})",
                )

    def _collaborations(self) -> None:
        for collaboration in self.root.findall(_q("collaboration")):
            self._annotations(collaboration)
            for kind in ("group", "conversation"):
                for element in collaboration.findall(_q(kind)):
                    self.draft.warn(element.get("id") or kind, f"a {kind}: left out")
            for flow in collaboration.findall(_q("messageFlow")):
                self._message(flow)

    def _message(self, flow: etree._Element) -> None:
        fid = flow.get("id") or "messageFlow"
        source, target = flow.get("sourceRef") or "", flow.get("targetRef") or ""
        lane = self._lane_of_end(target)
        if source in self.draft.steps and lane:
            self.draft.used.add(fid)
            step = self.draft.steps[source]
            hands_over = target in self.draft.steps and not self._out(source)
            if hands_over and not self.ours:
                step.edges.append(DraftEdge(target, tidy(flow.get("name") or "") or None))
                self.draft.note(
                    fid,
                    "a message from a step with no other way on: the hand-over, imported as next",
                )
            else:
                step.notify.append(lane)
            return
        self.draft.note(
            fid,
            "a message into the process: a definition has no incoming messages, left out "
            "(the step it reaches is kept)",
        )

    def _lane_of_end(self, end: str) -> str | None:
        """The lane a message flow ends in: a step's lane, a pool's lane, or a new external
        lane for a pool that is a black box."""
        if end in self.draft.steps:
            return self.draft.steps[end].lane
        if self.pool_lanes.get(end):
            return self.pool_lanes[end]
        if end in self.black_boxes:
            key = f"pool:{end}"
            if key not in self.draft.lanes:
                self.draft.lanes[key] = DraftLane(key, self.black_boxes[end], external=True)
                self.draft.used.add(end)
            self.pool_lanes[end] = key
            return key
        return None

    def _unused(self) -> None:
        """Timers, joins and pools that nothing reached: said, not dropped silently."""
        for key in [*self.timers, *self.joins]:
            if key not in self.draft.used:
                self.draft.warn(key, "not reached by any flow: left out")
        for pid, name in self.black_boxes.items():
            if pid not in self.draft.used:
                self.draft.note(
                    pid, f"a pool without a process ({name!r}) that no message reaches: left out"
                )


def _spaced(kind: str) -> str:
    """`eventBasedGateway` -> `Event based gateway`: a label for an unnamed element."""
    return re.sub(r"(?<!^)([A-Z])", lambda m: " " + m.group(1).lower(), kind).capitalize()


def _di_bounds(root: etree._Element) -> dict[str, tuple[float, float, float, float, bool]]:
    """Element id -> (x, y, width, height, horizontal) from the diagram interchange."""
    out: dict[str, tuple[float, float, float, float, bool]] = {}
    for shape in root.iter(f"{{{DI}}}BPMNShape"):
        bounds = shape.find(f"{{{DC}}}Bounds")
        element = shape.get("bpmnElement")
        if bounds is None or not element:
            continue
        try:
            values = tuple(float(bounds.get(k) or 0) for k in ("x", "y", "width", "height"))
        except ValueError:
            continue
        out[element] = (*values, shape.get("isHorizontal") != "false")  # type: ignore[assignment]
    return out
