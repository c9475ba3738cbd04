"""The title block above the chart and the legend below it (pure DOT text builders).

The title block names the process, its version, owner and last review (and the severity
the chart is drawn for); the legend explains every symbol the chart uses, drawn with the
same styles as the chart itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from escalation_charts.frozen import Frozen
from escalation_charts.frozen import set_field as _set
from escalation_charts.layout import bands as lay
from escalation_charts.layout import textfit
from escalation_charts.layout.dot_text import attr_list, quote, text_label
from escalation_charts.layout.geometry import Box, Layout, Point
from escalation_charts.model import Definition, Step, StepType
from escalation_charts.render.canvas import Canvas, step_style
from escalation_charts.render.themes import Theme

__all__ = [
    "GAP",
    "Legend",
    "TitleBlock",
    "legend",
    "legend_dot",
    "legend_titles",
    "title_block",
    "title_dot",
]

GAP = 18.0  # between the lanes and the legend
_TITLE_SIZE = 16.0
_META_SIZE = 10.0
_LEGEND_SIZE = 9.0
_SYMBOL = (44.0, 24.0)
# Text nodes are invisible boxes: a little extra room keeps Graphviz from warning when the
# installed font runs wider than Helvetica's metrics (the text stays centred).
_SLACK = 16.0


@dataclass(init=False, repr=False, eq=False)
class _Line(Frozen):
    """One line of the title block, placed."""

    text: str
    size: float
    bold: bool
    color: str
    y: float  # centre, from the top of the block
    width: float

    def __init__(
        self,
        text: str,
        size: float,
        bold: bool,
        color: str,
        y: float,
        width: float,
    ) -> None:
        _set(self, "text", text)
        _set(self, "size", size)
        _set(self, "bold", bold)
        _set(self, "color", color)
        _set(self, "y", y)
        _set(self, "width", width)


@dataclass(init=False, repr=False, eq=False)
class TitleBlock(Frozen):
    """The chart's title block: its lines and the room they take."""

    lines: tuple[_Line, ...]
    width: float
    height: float

    def __init__(
        self,
        lines: tuple[_Line, ...],
        width: float,
        height: float,
    ) -> None:
        _set(self, "lines", lines)
        _set(self, "width", width)
        _set(self, "height", height)


def title_block(definition: Definition, layout: Layout, theme: Theme) -> TitleBlock:
    """Process name, then version, owner and review dates, then the severity drawn for."""
    process = definition.process
    limit = max(layout.width, 480.0)
    rows: list[tuple[str, float, bool, str]] = []
    for line in textfit.wrap(process.name, limit, _TITLE_SIZE, bold=True):
        rows.append((line, _TITLE_SIZE, True, theme.text))
    meta = []
    if process.version:
        meta.append(f"Version {process.version}")
    if process.owner:
        meta.append(f"Owner: {process.owner}")
    if process.reviewed:
        meta.append(f"Last review: {process.reviewed.isoformat()}")
    if process.review_due:
        meta.append(f"Next review due: {process.review_due.isoformat()}")
    meta.append(f"Process id: {process.id}")
    if layout.page is not None:
        meta.append(f"Page {layout.page[0]} of {layout.page[1]}")
    for line in textfit.wrap("  ·  ".join(meta), limit, _META_SIZE):
        rows.append((line, _META_SIZE, False, theme.muted_text))
    if layout.severity is not None:
        severity = definition.severities_by_id[layout.severity]
        note = (
            f"Drawn for severity {severity.id} ({severity.name}): only the edges that hold "
            f"for {severity.id} are shown; faded steps are never reached at {severity.id}."
        )
        for line in textfit.wrap(note, limit, _META_SIZE, bold=True):
            rows.append((line, _META_SIZE, True, theme.text))
    lines = []
    y = 0.0
    for text, size, bold, color in rows:
        height = textfit.line_height(size) + 2
        width = textfit.text_width(text, size, bold=bold)
        lines.append(_Line(text, size, bold, color, y + height / 2, width))
        y += height
    width = max((line.width for line in lines), default=0.0)
    return TitleBlock(tuple(lines), width, y + 12.0)


def title_dot(block: TitleBlock, canvas: Canvas) -> list[str]:
    out = []
    for index, line in enumerate(block.lines):
        attrs = {
            "id": f"swimlane-title-{index}",
            "shape": "plaintext",
            "fixedsize": False,  # invisible: let a wider real font grow it quietly
            "fontsize": line.size,
            "fontname": lay.BOLD_FONT if line.bold else None,
            "fontcolor": line.color,
            "pos": canvas.pos((line.width / 2, line.y), chart=False),
            "width": (line.width + _SLACK) / 72,
            "height": line.size * 1.2 / 72,
            "label": text_label([line.text]),
        }
        out.append(f"  {quote(f'title:{index}')} {attr_list(attrs)};")
    return out


# -- legend -------------------------------------------------------------------------------


def legend_titles() -> dict[str, str]:
    """SVG group id -> words, for the legend's symbols."""
    items = _ITEMS + _PAGE_ITEMS + _CHANGE_ITEMS
    return {f"swimlane-legend-{kind}": f"Legend: {text}" for kind, text in items}


_ITEMS: tuple[tuple[str, str], ...] = (
    ("start", "Start"),
    ("resolution", "Resolution (end)"),
    ("task", "Task"),
    ("decision", "Decision"),
    ("escalate", "Escalation (hand-over)"),
    ("wait", "Waiting"),
    ("flow", "Next step"),
    ("handover", "Hand-over to the next level"),
    ("timer", "Timer: taken after the time shown"),
    ("notify", "Notify: keeps a lane informed"),
    ("external", "External party"),
)
# A paged chart's legend says how its pages join.
_PAGE_ITEMS: tuple[tuple[str, str], ...] = (
    ("continued", "Continued: the same number on the page named"),
)
# A change chart's legend (`diff --chart`) says what its colours mean.
_CHANGE_ITEMS: tuple[tuple[str, str], ...] = (
    ("added", "Added in this change"),
    ("changed", "Changed in this change"),
    ("removed", "Removed (ghosted where it was)"),
)


@dataclass(init=False, repr=False, eq=False)
class _Item(Frozen):
    """One entry of the legend: a symbol and its text, placed."""

    kind: str
    text: str
    symbol: Box  # relative to the legend's top-left
    text_center: Point
    text_width: float

    def __init__(
        self,
        kind: str,
        text: str,
        symbol: Box,
        text_center: Point,
        text_width: float,
    ) -> None:
        _set(self, "kind", kind)
        _set(self, "text", text)
        _set(self, "symbol", symbol)
        _set(self, "text_center", text_center)
        _set(self, "text_width", text_width)


@dataclass(init=False, repr=False, eq=False)
class Legend(Frozen):
    """The chart's legend: its entries and the room they take."""

    items: tuple[_Item, ...]
    width: float
    height: float

    def __init__(
        self,
        items: tuple[_Item, ...],
        width: float,
        height: float,
    ) -> None:
        _set(self, "items", items)
        _set(self, "width", width)
        _set(self, "height", height)


def legend(theme: Theme, max_width: float, *, changes: bool = False, pages: bool = False) -> Legend:
    """The legend's items laid out in rows no wider than `max_width` (at least 420 pt);
    `changes` adds the change chart's colours, `pages` the continuation mark."""
    limit = max(max_width, 420.0)
    pad, gap, row_h = 10.0, 18.0, 30.0
    x, y = pad + textfit.text_width("Legend", 10, bold=True) + gap, pad
    items = []
    widest = x
    for kind, text in _ITEMS + (_PAGE_ITEMS if pages else ()) + (_CHANGE_ITEMS if changes else ()):
        text_w = textfit.text_width(text, _LEGEND_SIZE)
        need = _SYMBOL[0] + 6 + text_w
        if x + need + pad > limit and items:
            x, y = pad + 40.0, y + row_h
        symbol = Box(x, y + (row_h - _SYMBOL[1]) / 2, *_SYMBOL)
        center = (x + _SYMBOL[0] + 6 + text_w / 2, y + row_h / 2)
        items.append(_Item(kind, text, symbol, center, text_w))
        x += need + gap
        widest = max(widest, x - gap + pad)
    return Legend(tuple(items), widest, y + row_h + pad)


def legend_dot(
    legend: Legend, canvas: Canvas, origin: Point, theme: Theme | None = None
) -> list[str]:
    """DOT for the legend frame, caption, symbols and texts, at `origin` (page points)."""
    assert theme is not None
    ox, oy = origin

    def pos(x: float, y: float) -> str:
        return canvas.pos((ox + x, oy + y), chart=False)

    frame = {
        "id": "swimlane-legend",
        "shape": "box",
        "style": "rounded",
        "color": theme.band_line,
        "penwidth": 0.8,
        "pos": pos(legend.width / 2, legend.height / 2),
        "width": legend.width / 72,
        "height": legend.height / 72,
        "label": "",
    }
    out = [f"  legend {attr_list(frame)};"]
    caption_w = textfit.text_width("Legend", 10, bold=True)
    caption = {
        "id": "swimlane-legend-caption",
        "shape": "plaintext",
        "fixedsize": False,  # invisible: let a wider real font grow it quietly
        "fontsize": 10,
        "fontname": lay.BOLD_FONT,
        "pos": pos(10 + caption_w / 2, 25.0),
        "width": (caption_w + _SLACK) / 72,
        "height": 12 / 72,
        "label": text_label(["Legend"]),
    }
    out.append(f"  {quote('legend:caption')} {attr_list(caption)};")
    for index, item in enumerate(legend.items):
        name = f"legend:{index}"
        box = item.symbol
        cx, cy = box.center
        if item.kind in {t.value for t in StepType}:
            sample = Step(id=name, lane="", label="", type=StepType(item.kind))
            attrs = {**step_style(sample, theme, dimmed=False), "label": ""}
            if sample.type is StepType.DECISION:
                attrs["width"] = box.width / 72
            out.append(
                f"  {quote(name)} "
                + attr_list(
                    {
                        "id": f"swimlane-legend-{item.kind}",
                        **attrs,
                        "pos": pos(cx, cy),
                        "width": box.width / 72,
                        "height": box.height / 72,
                    }
                )
                + ";"
            )
        elif item.kind in ("added", "changed", "removed"):
            attrs = {
                "id": f"swimlane-legend-{item.kind}",
                "shape": "box",
                "style": "rounded,filled",
                "fillcolor": getattr(theme, f"{item.kind}_halo"),
                "color": getattr(theme, item.kind),
                "penwidth": theme.line_width,
                "pos": pos(cx, cy),
                "width": box.width / 72,
                "height": box.height / 72,
                "label": "",
            }
            out.append(f"  {quote(name)} {attr_list(attrs)};")
        elif item.kind == "continued":
            attrs = {
                "id": "swimlane-legend-continued",
                "shape": "cds",
                "style": "filled",
                "fillcolor": theme.background,
                "color": theme.muted_text,
                "penwidth": theme.line_width * 1.5,
                "fontsize": _LEGEND_SIZE,
                "fontname": lay.BOLD_FONT,
                "pos": pos(cx, cy),
                "width": box.width / 72,
                "height": box.height / 72,
                "label": "3",
            }
            out.append(f"  {quote(name)} {attr_list(attrs)};")
        elif item.kind == "external":
            attrs = {
                "id": "swimlane-legend-external",
                "shape": "box",
                "style": "filled,dashed",
                "fillcolor": theme.external_fill,
                "color": theme.band_line,
                "pos": pos(cx, cy),
                "width": box.width / 72,
                "height": box.height / 72,
                "label": "",
            }
            out.append(f"  {quote(name)} {attr_list(attrs)};")
        else:
            out += _legend_edge(name, item.kind, box, pos, theme)
        text = {
            "id": f"swimlane-legend-{item.kind}-text",
            "shape": "plaintext",
            "fixedsize": False,  # invisible: let a wider real font grow it quietly
            "fontsize": _LEGEND_SIZE,
            "fontcolor": theme.text,
            "pos": pos(*item.text_center),
            "width": (item.text_width + _SLACK) / 72,
            "height": _LEGEND_SIZE * 1.2 / 72,
            "label": text_label([item.text]),
        }
        out.append(f"  {quote(name + ':text')} {attr_list(text)};")
    return out


def _legend_edge(name: str, kind: str, box: Box, pos, theme: Theme) -> list[str]:  # type: ignore[no-untyped-def]
    """A short sample arrow drawn with the chart's edge style for `kind`."""
    y = box.center[1]
    x0, x1 = box.x, box.right
    ends = {"shape": "point", "style": "invis", "width": 0.01, "height": 0.01}
    out = [
        f"  {quote(name + ':a')} {attr_list({**ends, 'pos': pos(x0, y)})};",
        f"  {quote(name + ':b')} {attr_list({**ends, 'pos': pos(x1, y)})};",
    ]
    base = x1 - 8
    spline = f"e,{pos(x1, y)} {pos(x0, y)} {pos(x0 + (base - x0) / 3, y)} "
    spline += f"{pos(x0 + 2 * (base - x0) / 3, y)} {pos(base, y)}"
    attrs: dict[str, str | float | None] = {"id": f"swimlane-legend-{kind}", "pos": spline}
    if kind == "flow":
        attrs.update(color=theme.flow_edge, penwidth=theme.line_width)
    elif kind == "handover":
        attrs.update(color=theme.handover_edge, penwidth=theme.handover_width)
    elif kind == "timer":
        attrs.update(color=theme.timer_edge, style="dashed", penwidth=theme.line_width * 1.2)
    else:
        attrs.update(
            color=theme.notify_edge,
            style="dotted",
            penwidth=theme.line_width * 1.3,
            arrowhead="vee",
        )
    out.append(f"  {quote(name + ':a')} -> {quote(name + ':b')} {attr_list(attrs)};")
    return out
