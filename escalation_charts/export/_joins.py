"""The BPMN flow graph: the model with a merging gateway wherever several flows join.

In BPMN a task or event with several incoming flows does not join them (each token starts
it again: bpmnlint's `fake-join`), and a gateway that both joins and forks is ambiguous
(`no-gateway-join-fork`). Our model lets several edges point at one step, so the export
puts a merging exclusive gateway (a *join*) in front of every such step: the incoming
edges end at the join, and the join has one flow to the step.

The result is an ordinary `Definition` (each join is a decision step in its target's lane,
written just before it, with one unlabelled edge) so the shared layout places and routes
joins like any other step. A join's id is its target's id plus `JOIN_SUFFIX`, which no
model id can contain, so it never collides with a step.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from escalation_charts.model import Definition, Edge, Step, StepType

__all__ = ["JOIN_SUFFIX", "join_target", "with_joins"]

JOIN_SUFFIX = "~join"  # `~` is outside the id pattern, so no step id ends like this


def join_target(step_id: str) -> str | None:
    """The step a join stands in front of, or None when `step_id` is not a join."""
    return step_id.removesuffix(JOIN_SUFFIX) if step_id.endswith(JOIN_SUFFIX) else None


def _needs_join(step: Step, incoming: int) -> bool:
    """Several flows arrive and the step cannot merge them itself: every activity and
    event, and a decision that also forks (a decision with one way out is a join)."""
    if incoming < 2:
        return False
    return step.type is not StepType.DECISION or len(step.next) > 1


def with_joins(definition: Definition) -> Definition:
    """`definition` with a join in front of each step that several edges lead to."""
    by_id = definition.steps_by_id
    incoming = Counter(e.to for s in definition.steps for e in s.next if e.to in by_id)
    joined = {sid for sid, count in incoming.items() if _needs_join(by_id[sid], count)}
    if not joined:
        return definition
    steps: list[Step] = []
    for step in definition.steps:
        if step.id in joined and by_id[step.id] is step:
            steps.append(
                Step(
                    id=step.id + JOIN_SUFFIX,
                    lane=step.lane,
                    label="",
                    type=StepType.DECISION,
                    next=(Edge(to=step.id),),
                )
            )
        edges = tuple(replace(e, to=e.to + JOIN_SUFFIX) if e.to in joined else e for e in step.next)
        steps.append(replace(step, next=edges) if edges != step.next else step)
    return replace(definition, steps=tuple(steps))
