"""A change chart: the new version drawn with what was added, changed and removed marked.

Removed steps, lanes and edges are put back into a copy of the new model (in their old
lane, to the targets they had) so the layout gives them a place, and drawn ghosted in
red; the chart renderer does the rest from the marks (`render.dot.Marks`).
"""

from __future__ import annotations

from dataclasses import replace

from escalation_charts.diff.comparison import DefinitionDiff
from escalation_charts.ids import dom_id
from escalation_charts.model import Definition, Edge, Lane, Step
from escalation_charts.render.chart import render_charts

__all__ = ["change_chart", "change_marks"]


def change_marks(diff: DefinitionDiff) -> tuple[Definition, dict[str, str]]:
    """The model to draw (new + ghosts of what was removed) and its marks by SVG id."""
    m = diff.matchings
    old, new = diff.old, diff.new
    marks: dict[str, str] = {}
    ghost_lanes: list[Lane] = []
    ghost_steps: list[Step] = []
    extra_edges: dict[str, list[Edge]] = {}
    for change in diff.changes:
        if change.mark is None:
            continue
        kind, ident = change.mark[0], change.mark[1]
        mark = "changed" if change.kind in ("renamed", "reordered") else change.kind
        if kind == "lane":
            if change.kind == "removed":
                ghost_lanes.append(replace(old.lanes_by_id[ident], contacts=()))
            marks[dom_id("lane", ident)] = mark
        elif kind == "step":
            if change.kind == "removed":
                step = old.steps_by_id[ident]
                edges = tuple(replace(e, to=m.steps.new_id(e.to)) for e in step.next)
                ghost_steps.append(
                    replace(step, lane=m.lanes.new_id(step.lane), next=edges, notify=())
                )
                for n in range(len(edges)):
                    marks[dom_id("edge", ident, index=n)] = "removed"
            elif change.kind == "added":
                for n in range(len(new.steps_by_id[ident].next)):
                    marks[dom_id("edge", ident, index=n)] = "added"
            marks[dom_id("step", ident)] = mark
        elif kind == "edge" and len(change.mark) == 3:
            index = change.mark[2]
            if change.kind == "removed":
                old_step = old.steps_by_id[m.steps.back[ident]]
                edge = old_step.next[index]
                added = extra_edges.setdefault(ident, [])
                n = len(new.steps_by_id[ident].next) + len(added)
                added.append(replace(edge, to=m.steps.new_id(edge.to)))
                marks[dom_id("edge", ident, index=n)] = "removed"
            else:
                marks[dom_id("edge", ident, index=index)] = mark
    steps = tuple(
        replace(s, next=s.next + tuple(extra_edges[s.id])) if s.id in extra_edges else s
        for s in new.steps
    )
    drawn = replace(new, lanes=new.lanes + tuple(ghost_lanes), steps=steps + tuple(ghost_steps))
    return drawn, marks


def change_chart(diff: DefinitionDiff, fmt: str, *, direction: str = "LR") -> bytes:
    """The change chart in `svg` or `png` (or `pdf`, `dot`)."""
    drawn, marks = change_marks(diff)
    return render_charts(drawn, [fmt], direction=direction, marks=marks)[fmt]
