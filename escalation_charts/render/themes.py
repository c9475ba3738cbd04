"""Chart themes: the colours and line weights of a chart, by role (never by step id).

The one visual language of every picture of a process: the chart (SVG/PNG/PDF), the
deck's chart slides and legend, the Visio and draw.io exports take a step's shape, fill
and outline (`step_look`) and an arrow's colour, weight and dash (`edge_look`) from here,
and the matrix picture and the deck's tables their header, band, problem and empty-cell
colours, so a resolution, a timer or a hand-over looks the same wherever a trainer meets
it.

`default` is for screens and wikis; `print` is greyscale for paper and photocopies, where
every distinction (escalation, wait, timer, notify, external lane) still shows through line
style and weight, not colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from escalation_charts.frozen import Frozen
from escalation_charts.frozen import set_field as _set
from escalation_charts.model import StepType

__all__ = ["THEMES", "Look", "Theme", "edge_look", "get_theme", "step_look"]


@dataclass(init=False, repr=False, eq=False)
class Theme(Frozen):
    """Colours are `#rrggbb`; widths are points."""

    name: str
    text: str
    muted_text: str
    background: str
    band_fills: tuple[str, str]  # alternating lane bands
    external_fill: str
    band_line: str
    header_fill: str
    header_text: str
    task_fill: str
    start_fill: str
    end_fill: str
    decision_fill: str
    escalate_fill: str
    wait_fill: str
    step_line: str
    escalate_line: str
    dimmed_fill: str
    dimmed_line: str
    flow_edge: str
    handover_edge: str
    timer_edge: str
    notify_edge: str
    label_text: str
    line_width: float = 1.2
    handover_width: float = 2.6
    # Tables (the matrix picture, the deck's matrix and checks): a problem's ink and cell,
    # and a cell where nothing happens (a level a severity never engages).
    problem_text: str = "#b91c1c"
    problem_fill: str = "#fbe3e0"
    none_fill: str = "#f3f4f6"
    # A change chart (`diff --chart`): what was added, changed and removed (ghosted).
    # Lines in the mark's colour, and the halo drawn behind a marked step.
    added: str = "#2b8a3e"
    changed: str = "#e8a100"
    removed: str = "#e03131"
    added_halo: str = "#b2f2bb"
    changed_halo: str = "#ffe066"
    removed_halo: str = "#ffc9c9"

    def __init__(
        self,
        name: str,
        text: str,
        muted_text: str,
        background: str,
        band_fills: tuple[str, str],
        external_fill: str,
        band_line: str,
        header_fill: str,
        header_text: str,
        task_fill: str,
        start_fill: str,
        end_fill: str,
        decision_fill: str,
        escalate_fill: str,
        wait_fill: str,
        step_line: str,
        escalate_line: str,
        dimmed_fill: str,
        dimmed_line: str,
        flow_edge: str,
        handover_edge: str,
        timer_edge: str,
        notify_edge: str,
        label_text: str,
        line_width: float = 1.2,
        handover_width: float = 2.6,
        problem_text: str = "#b91c1c",
        problem_fill: str = "#fbe3e0",
        none_fill: str = "#f3f4f6",
        added: str = "#2b8a3e",
        changed: str = "#e8a100",
        removed: str = "#e03131",
        added_halo: str = "#b2f2bb",
        changed_halo: str = "#ffe066",
        removed_halo: str = "#ffc9c9",
    ) -> None:
        _set(self, "name", name)
        _set(self, "text", text)
        _set(self, "muted_text", muted_text)
        _set(self, "background", background)
        _set(self, "band_fills", band_fills)
        _set(self, "external_fill", external_fill)
        _set(self, "band_line", band_line)
        _set(self, "header_fill", header_fill)
        _set(self, "header_text", header_text)
        _set(self, "task_fill", task_fill)
        _set(self, "start_fill", start_fill)
        _set(self, "end_fill", end_fill)
        _set(self, "decision_fill", decision_fill)
        _set(self, "escalate_fill", escalate_fill)
        _set(self, "wait_fill", wait_fill)
        _set(self, "step_line", step_line)
        _set(self, "escalate_line", escalate_line)
        _set(self, "dimmed_fill", dimmed_fill)
        _set(self, "dimmed_line", dimmed_line)
        _set(self, "flow_edge", flow_edge)
        _set(self, "handover_edge", handover_edge)
        _set(self, "timer_edge", timer_edge)
        _set(self, "notify_edge", notify_edge)
        _set(self, "label_text", label_text)
        _set(self, "line_width", line_width)
        _set(self, "handover_width", handover_width)
        _set(self, "problem_text", problem_text)
        _set(self, "problem_fill", problem_fill)
        _set(self, "none_fill", none_fill)
        _set(self, "added", added)
        _set(self, "changed", changed)
        _set(self, "removed", removed)
        _set(self, "added_halo", added_halo)
        _set(self, "changed_halo", changed_halo)
        _set(self, "removed_halo", removed_halo)


DEFAULT = Theme(
    name="default",
    text="#1f2933",
    muted_text="#52606d",
    background="#ffffff",
    band_fills=("#f5f8fc", "#ffffff"),
    external_fill="#fbf6ee",
    band_line="#9aa5b1",
    header_fill="#dde6f0",
    header_text="#102a43",
    task_fill="#ffffff",
    start_fill="#e3f4e8",
    end_fill="#e6ecf5",
    decision_fill="#fff6d8",
    escalate_fill="#fde8d7",
    wait_fill="#efeaf7",
    step_line="#3e4c59",
    escalate_line="#c2571a",
    dimmed_fill="#f2f2f2",
    dimmed_line="#c4c9cf",
    flow_edge="#3e4c59",
    handover_edge="#c2571a",
    timer_edge="#6b4fbb",
    notify_edge="#2f80a8",
    label_text="#323f4b",
)

PRINT = Theme(
    name="print",
    text="#000000",
    muted_text="#404040",
    background="#ffffff",
    band_fills=("#f2f2f2", "#ffffff"),
    external_fill="#e6e6e6",
    band_line="#808080",
    header_fill="#d9d9d9",
    header_text="#000000",
    task_fill="#ffffff",
    start_fill="#ffffff",
    end_fill="#ffffff",
    decision_fill="#ffffff",
    escalate_fill="#e0e0e0",
    wait_fill="#ffffff",
    step_line="#000000",
    escalate_line="#000000",
    dimmed_fill="#ffffff",
    dimmed_line="#bfbfbf",
    flow_edge="#000000",
    handover_edge="#000000",
    timer_edge="#000000",
    notify_edge="#595959",
    label_text="#000000",
    line_width=1.0,
    handover_width=2.8,
    problem_text="#000000",
    problem_fill="#d9d9d9",
    none_fill="#f2f2f2",
)

THEMES: dict[str, Theme] = {theme.name: theme for theme in (DEFAULT, PRINT)}


@dataclass(init=False, repr=False, eq=False)
class Look(Frozen):
    """How one step or arrow is drawn, whatever draws it.

    `shape` is `terminator` (SPEC: start and resolution; Graphviz draws its nearest, an
    ellipse), `diamond` or `rounded` (a box with rounded corners); `dash` is
    None, `dashed` or `dotted`; `width` is the outline's or line's weight in points.
    """

    shape: str
    fill: str | None
    line: str
    width: float
    dash: str | None = None
    text: str = ""
    bold: bool = False

    def __init__(
        self,
        shape: str,
        fill: str | None,
        line: str,
        width: float,
        dash: str | None = None,
        text: str = "",
        bold: bool = False,
    ) -> None:
        _set(self, "shape", shape)
        _set(self, "fill", fill)
        _set(self, "line", line)
        _set(self, "width", width)
        _set(self, "dash", dash)
        _set(self, "text", text)
        _set(self, "bold", bold)


def step_look(theme: Theme, kind: StepType, dimmed: bool = False) -> Look:
    """A step's look: flowchart shapes (terminators start and end the flow, diamonds decide),
    an escalation's heavy orange outline, a wait's dashed one."""
    fill, line, width, dash = theme.task_fill, theme.step_line, theme.line_width, None
    shape = "rounded"
    if kind is StepType.START:
        fill, shape = theme.start_fill, "terminator"
    elif kind is StepType.RESOLUTION:
        fill, width, shape = theme.end_fill, theme.line_width * 2.2, "terminator"
    elif kind is StepType.DECISION:
        fill, shape = theme.decision_fill, "diamond"
    elif kind is StepType.ESCALATE:
        fill, line, width = theme.escalate_fill, theme.escalate_line, theme.handover_width * 0.85
    elif kind is StepType.WAIT:
        fill, dash = theme.wait_fill, "dashed"
    text = theme.text
    if dimmed:
        fill, line, width, text = theme.dimmed_fill, theme.dimmed_line, 1.0, theme.dimmed_line
    return Look(shape, fill, line, width, dash, text, kind is StepType.ESCALATE)


def edge_look(theme: Theme, kind: str, handover: bool = False) -> Look:
    """An arrow's look by kind (`flow`, `timer`, `notify`); `handover` for the arrows out
    of an escalation, drawn as heavy as the escalation's outline."""
    if kind == "notify":
        return Look("", None, theme.notify_edge, theme.line_width * 1.3, "dotted")
    if kind == "timer":
        return Look("", None, theme.timer_edge, theme.line_width * 1.2, "dashed")
    if handover:
        return Look("", None, theme.handover_edge, theme.handover_width)
    return Look("", None, theme.flow_edge, theme.line_width)


def get_theme(name: str) -> Theme:
    """The theme called `name`; ValueError naming the known themes otherwise."""
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"unknown theme {name!r}; choose from {', '.join(THEMES)}") from None
