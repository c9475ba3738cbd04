"""A definition -> chart files (SVG, PNG, PDF, DOT): layout, DOT text, Graphviz, clean-up.

`render_charts` is what the `render` command calls; `render_chart` gives one format, e.g.
the SVG text the audit report embeds.
"""

from __future__ import annotations

from collections.abc import Iterable

from escalation_charts.ids import dom_id
from escalation_charts.layout import engine as _graphviz
from escalation_charts.layout.bands import Ranked, arrange, compute_layout, edge_label, rank
from escalation_charts.layout.bundles import bundle_label
from escalation_charts.layout.dot_text import with_dpi
from escalation_charts.layout.geometry import Layout
from escalation_charts.layout.paging import PAPER, paged_layouts, paper_size
from escalation_charts.model import Definition, StepType
from escalation_charts.render import furniture
from escalation_charts.render.dot import SPILL, Marks, chart_dot, page_size, shared_edges
from escalation_charts.render.furniture import legend_titles
from escalation_charts.render.png import with_density
from escalation_charts.render.svg import finish_svg
from escalation_charts.render.themes import Theme, get_theme

__all__ = [
    "DEFAULT_PAGES",
    "FORMATS",
    "PAGES",
    "PNG_DPI",
    "png_dpi",
    "render_chart",
    "render_charts",
    "render_pages",
    "titles",
]

FORMATS = ("svg", "png", "pdf", "dot")
PNG_DPI = 96  # CSS pixels: the PNG shows at its natural size in a browser or wiki
PNG_MIN_DPI = 72  # a very big chart is drawn smaller, but never below this (11 px text)
CAIRO_MAX_PIXELS = 32767  # Graphviz's cairo renderer scales a longer bitmap down to this
PAD = 18.0  # Graphviz's `pad` (0.25 in) on every side of the drawing
PAGES = (*PAPER, "none")
DEFAULT_PAGES = {"pdf": "A3"}  # a PDF is for print; the others are whole unless asked
PNG_MAX_PIXELS = 16_000_000  # beyond this a PNG is slow to write and to open

# cairo draws and writes the PNG in true colour. ("png:cairo:gd", a palette PNG, is a third
# of the size and faster, but gd's quantiser turns the pale lane fills beige.)
_PNG = "png:cairo"

_TYPE_NAMES = {
    StepType.START: "Start",
    StepType.TASK: "Task",
    StepType.DECISION: "Decision",
    StepType.ESCALATE: "Escalation",
    StepType.WAIT: "Waiting",
    StepType.RESOLUTION: "Resolution",
}


def render_chart(
    definition: Definition,
    fmt: str,
    *,
    direction: str = "LR",
    severity: str | None = None,
    theme: str = "default",
) -> bytes:
    """The chart of `definition` in one format (`svg`, `png`, `pdf` or `dot`), as bytes.

    Raises `layout.LayoutError` (a ValueError) for an unknown direction or severity and
    ValueError for an unknown theme or format.
    """
    return render_charts(definition, [fmt], direction=direction, severity=severity, theme=theme)[
        fmt
    ]


def render_charts(
    definition: Definition,
    formats: Iterable[str],
    *,
    direction: str = "LR",
    severity: str | None = None,
    theme: str = "default",
    marks: Marks | None = None,
    dpi: float = PNG_DPI,
    notes: list[str] | None = None,
) -> dict[str, bytes]:
    """The chart in several formats from one layout: {format: bytes}.

    `notes`, when given, gets one line for each output that is not what it seems: a PNG
    wider or taller than the engine's bitmap limit, which cairo scales down to fit.

    `marks` draws a change chart: SVG element id -> `added`, `changed` or `removed` (see
    `dot.Marks`); `diff --chart` passes them. `dpi` is the PNG's pixel density (96 = CSS
    pixels; 72 is a quarter fewer pixels to draw and encode, 192 is sharp on paper).
    """
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    chosen = get_theme(theme)
    layout = compute_layout(definition, direction=direction, severity=severity)
    dot = chart_dot(definition, layout, chosen, marks)
    out: dict[str, bytes] = {}
    if "dot" in wanted:
        out["dot"] = dot.encode("utf-8")
    vector = [f for f in wanted if f in ("svg", "pdf")]
    if vector:
        drawn = _graphviz.render(dot, vector)
        if "svg" in drawn:
            svg = finish_svg(
                drawn["svg"].decode("utf-8"),
                titles(definition, severity, layout),
                title=definition.process.name,
                description=_description(definition, severity),
                shared=shared_edges(layout),
            )
            out["svg"] = svg.encode("utf-8")
        if "pdf" in drawn:
            from escalation_charts.render.pdf import stable_pdf  # only a PDF needs it

            out["pdf"] = stable_pdf(drawn["pdf"])
    if "png" in wanted:
        size = page_size(definition, layout, chosen, marks)
        density = png_dpi(*size, wanted=dpi)
        pixels = (max(size) + 36) * density / 72  # the page plus Graphviz's 0.25 in pad
        if notes is not None and pixels > CAIRO_MAX_PIXELS:
            notes.append(
                f"the PNG would be {pixels:,.0f} px long, past the {CAIRO_MAX_PIXELS} px "
                f"a bitmap can have, so it is scaled to {100 * CAIRO_MAX_PIXELS / pixels:.0f} % "
                "(text smaller than written); SVG and PDF are drawn at full size"
            )
        raster = _graphviz.render(with_dpi(dot, density), [_PNG])
        out["png"] = with_density(raster[_PNG], density)
    return {f: out[f] for f in wanted}


def render_pages(
    definition: Definition,
    formats: Iterable[str],
    *,
    page: str | None = None,
    direction: str = "LR",
    severity: str | None = None,
    theme: str = "default",
    dpi: float = PNG_DPI,
    notes: list[str] | None = None,
) -> dict[str, list[bytes]]:
    """The chart in several formats, each as its pages: {format: [page bytes, ...]}.

    `page` is a sheet in `PAPER` (every page fits it at 100 %: landscape for LR, portrait
    for TB) or `none` (one whole drawing); None takes each format's default: `A3` for PDF,
    `none` for the others. A paged PDF is one file of all its pages. A whole PNG that
    would pass the bitmap limit is paged at full size instead of shrunk, and `notes`
    says so in one line.
    """
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    if page not in (None, *PAGES):
        raise ValueError(f"unknown page size {page!r}; choose from {', '.join(PAGES)}")
    chosen = get_theme(theme)
    ranked = rank(definition, direction=direction)
    groups: dict[str, list[str]] = {}
    for fmt in wanted:
        groups.setdefault(page or DEFAULT_PAGES.get(fmt, "none"), []).append(fmt)
    out: dict[str, list[bytes]] = {}
    dots: dict[int, str] = {}  # a layout's DOT, made once for SVG and PNG alike
    for sheet_name, group in groups.items():
        if sheet_name in PAPER:
            layouts, sheet = _on_paper(definition, ranked, severity, chosen, sheet_name, notes)
            out.update(_draw(definition, layouts, group, chosen, dpi, sheet))
            continue
        whole = arrange(definition, ranked, severity)
        vector = [f for f in group if f != "png"]
        out.update(_draw(definition, [whole], vector, chosen, dpi, None, dots))
        if "png" in group:
            size = page_size(definition, whole, chosen)
            density = png_dpi(*size, wanted=dpi)
            pixels = (max(size) + 2 * PAD) * density / 72
            layouts = [whole]
            if pixels > CAIRO_MAX_PIXELS:
                limit = CAIRO_MAX_PIXELS * 72 / density - 2 * (PAD + SPILL)
                layouts = _pages(definition, ranked, severity, chosen, (limit, limit))
                if notes is not None:
                    notes.append(
                        f"the PNG would be {pixels:,.0f} px long, past the {CAIRO_MAX_PIXELS} "
                        f"px a bitmap can have, so it is drawn at full size on {len(layouts)} "
                        "pages (-p1.png, -p2.png, ...) instead of scaled down"
                    )
            out.update(_draw(definition, layouts, ["png"], chosen, density, None, dots))
    if len(out.get("pdf", [])) > 1:
        from escalation_charts.render.pdf import merge_pdfs  # only a PDF needs it

        out["pdf"] = [merge_pdfs(out["pdf"])]
    return {f: out[f] for f in wanted}


def _on_paper(
    definition: Definition,
    ranked: Ranked,
    severity: str | None,
    theme: Theme,
    paper: str,
    notes: list[str] | None,
) -> tuple[list[Layout], tuple[float, float]]:
    """The pages on sheets of `paper`, and the drawing size of each sheet: the flow along
    the long side; turned when the lanes side by side are too wide for the short one."""
    best: tuple[list[Layout], tuple[float, float]] | None = None
    for turned in (False, True):
        width, height = paper_size(paper, ranked.direction)
        if turned:
            width, height = height, width
        sheet = (width - 2 * (PAD + SPILL), height - 2 * (PAD + SPILL))
        layouts = _pages(definition, ranked, severity, theme, sheet)
        fits = all(_fits(definition, layout, theme, sheet) for layout in layouts)
        if fits:
            return layouts, sheet
        best = best or (layouts, sheet)
    assert best is not None
    if notes is not None:
        notes.append(
            f"the lanes are too many for one {paper} sheet across the flow, so some pages are "
            "larger than the sheet (text stays at full size)"
        )
    return best


def _fits(definition: Definition, layout: Layout, theme: Theme, sheet: tuple[float, float]) -> bool:
    width, height = page_size(definition, layout, theme, None, sheet)
    return width <= sheet[0] + 0.01 and height <= sheet[1] + 0.01


def _pages(
    definition: Definition,
    ranked: Ranked,
    severity: str | None,
    theme: Theme,
    sheet: tuple[float, float],
) -> list[Layout]:
    """The layouts of the pages that fit `sheet` (points, Graphviz's pad left out) with
    the title block above the lanes and the legend below."""
    # the title wraps at the page's width, at least 480 pt: its tallest is at the narrowest
    probe = Layout(0.0, 0.0, ranked.direction, (), (), (), severity, (), (999, 999))
    title = furniture.title_block(definition, probe, theme)
    legend = furniture.legend(theme, sheet[0], pages=True)
    room = (sheet[0], sheet[1] - title.height - furniture.GAP - legend.height)
    return paged_layouts(
        definition, direction=ranked.direction, severity=severity, room=room, ranked=ranked
    )


def _draw(
    definition: Definition,
    layouts: list[Layout],
    formats: list[str],
    theme: Theme,
    dpi: float,
    sheet: tuple[float, float] | None,
    dots: dict[int, str] | None = None,
) -> dict[str, list[bytes]]:
    """Each layout (a page, or the whole chart) drawn in each format; `dots` keeps each
    layout's DOT (by the id of a layout the caller holds) for the next call."""
    out: dict[str, list[bytes]] = {f: [] for f in formats}
    for layout in layouts:
        dot = dots.get(id(layout)) if dots is not None else None
        if dot is None:
            dot = chart_dot(definition, layout, theme, None, sheet)
            if dots is not None:
                dots[id(layout)] = dot
        if "dot" in formats:
            out["dot"].append(dot.encode("utf-8"))
        vector = [f for f in formats if f in ("svg", "pdf")]
        if vector:
            drawn = _graphviz.render(dot, vector)
            if "svg" in drawn:
                svg = finish_svg(
                    drawn["svg"].decode("utf-8"),
                    titles(definition, layout.severity, layout),
                    title=definition.process.name,
                    description=_description(definition, layout.severity, layout.page),
                    shared=shared_edges(layout),
                )
                out["svg"].append(svg.encode("utf-8"))
            if "pdf" in drawn:
                from escalation_charts.render.pdf import stable_pdf  # only a PDF needs it

                out["pdf"].append(stable_pdf(drawn["pdf"]))
        if "png" in formats:
            density = png_dpi(*page_size(definition, layout, theme, None, sheet), wanted=dpi)
            raster = _graphviz.render(with_dpi(dot, density), [_PNG])
            out["png"].append(with_density(raster[_PNG], density))
    return out


def png_dpi(width: float, height: float, wanted: float = PNG_DPI) -> float:
    """`wanted` dpi, less for a chart that would pass PNG_MAX_PIXELS (never under 72 dpi,
    nor over what was wanted): a page of `width` x `height` points."""
    pixels = width * height * (wanted / 72) ** 2
    if pixels <= PNG_MAX_PIXELS:
        return wanted
    floor = min(wanted, PNG_MIN_DPI)
    return max(floor, round(wanted * (PNG_MAX_PIXELS / pixels) ** 0.5, 1))


def titles(
    definition: Definition, severity: str | None = None, layout: Layout | None = None
) -> dict[str, str]:
    """Words for every SVG group: what a screen reader or a tooltip says about it (and,
    on a page of a paged chart, about its continuation marks)."""
    out: dict[str, str] = legend_titles()
    steps_by_id = definition.steps_by_id
    for mark in layout.continuations if layout is not None else ():
        step = steps_by_id[mark.step].label
        pages = mark.lines[1].split(" ", 1)[1]
        if mark.outgoing:
            text = f"Continues on {pages} at mark {mark.number}: {step}"
        else:
            text = f"Continued from {pages} (mark {mark.number}): {step}"
        out[mark.key] = text
        out[f"edge-{mark.key}"] = text
    for lane in definition.lanes:
        notes = []
        if lane.level is not None:
            notes.append(f"level {lane.level}")
        if lane.external:
            notes.append("external")
        extra = f" ({', '.join(notes)})" if notes else ""
        out[dom_id("lane", lane.id)] = f"Lane: {lane.name}{extra}"
        out[dom_id("lanehead", lane.id)] = lane.name
    steps = definition.steps_by_id
    lanes = definition.lanes_by_id
    order = [s.id for s in definition.severities]
    # the arrow drawn for a bundle of timers says every timer it stands for
    bundles = {
        (r.source, r.index): r.bundle
        for r in (layout.edges if layout is not None else ())
        if r.bundle and r.drawn
    }
    for step in definition.steps:
        text = f"{_TYPE_NAMES[step.type]}: {step.label}"
        if step.description:
            text += f" — {step.description}"
        out[dom_id("step", step.id)] = text
        for index, edge in enumerate(step.next):
            target = steps.get(edge.to)
            bundle = bundles.get((step.id, index))
            label = (
                bundle_label(step, bundle, severity, order)
                if bundle
                else edge_label(step, index, severity, order)
            )
            text = f"{step.label} → {target.label if target else edge.to}"
            if label:
                text += f" ({label.replace(chr(10), '; ')})"
            out[dom_id("edge", step.id, index=index)] = text
        for lane_id in step.notify:
            lane = lanes.get(lane_id)
            name = lane.name if lane else lane_id
            out[dom_id("notify", step.id, lane_id)] = f"{step.label}: notify {name}"
    return out


def _description(
    definition: Definition, severity: str | None, page: tuple[int, int] | None = None
) -> str:
    process = definition.process
    text = f"Swim-lane flow chart of {process.name}"
    if page is not None:
        text += f", page {page[0]} of {page[1]}"
    if severity is not None:
        text += f", drawn for severity {severity}"
    text += f": {len(definition.lanes)} lanes, {len(definition.steps)} steps."
    if process.description:
        text += " " + process.description
    return text
