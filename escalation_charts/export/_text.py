"""The words every export writes on edges and lanes, so BPMN, draw.io and Mermaid agree."""

from __future__ import annotations

from escalation_charts.model import Definition, Edge, Lane, Step

__all__ = ["NOTIFY_LABEL", "edge_label", "lane_title", "notify_text"]

NOTIFY_LABEL = "notify"


def edge_label(edge: Edge) -> str | None:
    """`yes`, `after 2h`, `after 2h (P1, P2)`: the branch, the timer and who it holds for."""
    parts = []
    if edge.when is not None:
        parts.append(edge.when)
    if edge.after is not None:
        parts.append(f"after {edge.after.compact()}")
    text = ", ".join(parts)  # as the charts write it (layout.edge_label)
    if edge.severities is not None:
        only = f"({', '.join(edge.severities)})"
        text = f"{text} {only}" if text else only
    return text or None


def lane_title(lane: Lane) -> str:
    """The lane's name, marked when the party is outside the organisation."""
    return f"{lane.name} (external)" if lane.external else lane.name


def notify_text(definition: Definition, step: Step) -> str:
    """`Notify: Help Desk, Customer` for a step that keeps other lanes informed."""
    names = [
        definition.lanes_by_id[lane].name if lane in definition.lanes_by_id else lane
        for lane in step.notify
    ]
    return "Notify: " + ", ".join(names)
