"""Timer edges between the same two steps, drawn as one arrow with one label.

SPEC.md's own example gives one step three timers to the same step, one per severity
(P1 after 15m, P2 after 1h, P3 after 1d). Drawn apart they are parallel dashed lines a few
points apart whose labels cannot each be nearest their own line; drawn as one arrow whose
label lists every timer, the reader sees one way out and when each severity takes it.
Each model edge keeps its identity: the bundle is a property of the drawing only.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from escalation_charts.model import Edge, Step

__all__ = ["bundle_forms", "bundle_label", "groups", "severity_list"]


def groups(ends: Sequence[tuple[Hashable, Edge | None]]) -> list[tuple[int, ...]]:
    """Positions in `ends` (each drawn edge's (source, target) key and its model edge, or
    None for an arrow no model edge owns) grouped into the arrows drawn: timer edges without
    a branch label between the same two ends together, first one first; every other edge
    alone. Groups come in the order of their first member."""
    out: list[list[int]] = []
    shared: dict[Hashable, list[int]] = {}
    for position, (key, edge) in enumerate(ends):
        if edge is None or edge.after is None or edge.when is not None:
            out.append([position])
        elif key in shared:
            shared[key].append(position)
        else:
            shared[key] = [position]
            out.append(shared[key])
    return [tuple(group) for group in out]


def bundle_label(
    step: Step, indices: Sequence[int], severity: str | None, order: Sequence[str]
) -> str:
    """The one label of timer edges `indices` of `step` drawn as one arrow: a line per
    timer, `after 15m (P1)`, in declared order; without the severities on a chart drawn
    for one severity (where every line holds for it)."""
    return bundle_forms(step, indices, severity, order)[0]


def bundle_forms(
    step: Step, indices: Sequence[int], severity: str | None, order: Sequence[str]
) -> list[str]:
    """Ways to write a bundle's label, most readable first: a line per timer; two timers a
    line (`after 30m (P1) · 1h (P2)`); all on one line; narrowest, `after` on a line of its
    own above the timers. Lines break only between timers, so a time never parts from its
    severities; the label placer takes the first that fits (and wraps one further only
    where none has a free place)."""
    parts = []
    for index in indices:
        edge = step.next[index]
        part = edge.after.compact() if edge.after is not None else "0m"
        if edge.severities is not None and severity is None:
            part += f" ({severity_list(edge.severities, order)})"
        parts.append(part)
    forms = ["\n".join(f"after {part}" for part in parts)]
    for per_line in (2, len(parts)):
        rows = [" \u00b7 ".join(parts[i : i + per_line]) for i in range(0, len(parts), per_line)]
        forms.append("\n".join(["after " + rows[0], *rows[1:]]))
    forms.append("\n".join(["after", *parts]))
    return list(dict.fromkeys(forms))


def severity_list(ids: Sequence[str], order: Sequence[str]) -> str:
    """`P1, P2`, or `P1` en dash `P3` for three or more severities in a row."""
    positions = [order.index(i) for i in ids if i in order]
    if len(ids) >= 3 and len(positions) == len(ids):
        ordered = sorted(positions)
        if ordered == list(range(ordered[0], ordered[-1] + 1)):
            return f"{order[ordered[0]]}\u2013{order[ordered[-1]]}"
    return ", ".join(ids)
