"""`escalation-charts render`: swim-lane flow charts as SVG, PNG, PDF and DOT files."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from escalation_charts.cli._batch import BatchSpec, batch_options, run_command
from escalation_charts.cli._common import (
    definition_for_output,
    fail_usage,
    force_option,
    formats_option,
    known_severity,
    output_dir,
    output_option,
    say,
)
from escalation_charts.cli._inputs import complete_severities

__all__ = ["FORMATS", "THEMES", "build", "command", "output_stem"]

# Kept here (not imported from render/) so that `render --help` loads no drawing code.
FORMATS = ("svg", "png", "pdf", "dot")
THEMES = ("default", "print")
PAGES = ("A4", "A3", "A2", "letter", "tabloid", "none")
DEFAULT_PAGES = {"pdf": "A3"}  # the others: none


@click.command(
    "render",
    epilog="Exit codes: 0 written (or up to date), 1 a definition has errors (use --force "
    "to draw it anyway), 2 a file is missing, an option does not fit a file (unknown "
    "--severity) or an output cannot be written.",
)
@click.argument("files", nargs=-1, required=True, metavar="FILE|DIR...", type=click.Path())
@formats_option(FORMATS, "svg")
@output_option(
    "<id>.svg; options that are not the default add to the name: <id>-P1-TB-print.svg, "
    "and the pages of a paged SVG or PNG are <id>-p1.svg, <id>-p2.svg, ..."
)
@click.option(
    "--direction",
    type=click.Choice(["LR", "TB"], case_sensitive=False),
    default="LR",
    show_default=True,
    help="LR: lanes are horizontal bands and the flow runs left to right; TB: lanes are "
    "columns and the flow runs downwards.",
)
@click.option(
    "--severity",
    metavar="ID",
    shell_complete=complete_severities,
    default=None,
    help="Draw the chart for one ticket severity: edges limited to other severities are "
    "left out, steps a ticket of this severity never reaches are drawn faded (they keep "
    "their places, so charts for different severities line up).",
)
@click.option(
    "--theme",
    type=click.Choice(THEMES),
    default="default",
    show_default=True,
    help="default: colour, for screens and wikis; print: greyscale, for paper (line "
    "styles and weights still tell escalations, timers and notify arrows apart).",
)
@click.option(
    "--dpi",
    type=click.IntRange(36, 600),
    default=96,
    show_default=True,
    metavar="N",
    help="Pixel density of the PNG (36-600). 96 shows at its natural size on screens; 72 "
    "draws and encodes about half the pixels (a quicker render for previews and CI); 192 "
    "or more is sharp in print. A chart that would pass 16 megapixels is drawn at a "
    "lower density, never under 72.",
)
@click.option(
    "--page",
    type=click.Choice(PAGES, case_sensitive=False),
    default=None,
    metavar="SIZE",
    help="Fit the chart on sheets of this size at 100 % (A4, A3, A2, letter, tabloid; "
    "landscape for LR, portrait for TB) or none (one drawing, any size). A longer chart "
    "goes on over several pages, cut between steps: an arrow to another page ends at a "
    "numbered continuation mark, and the same number on the other page leads on; every "
    "page repeats the lane headers, title and legend. A PDF's pages are one file; SVG "
    "and PNG pages are <name>-p1.svg, <name>-p2.svg, ...  [default: A3 for pdf, none for "
    "the others; a PNG past the 32767 px a bitmap can have is paged, never shrunk]",
)
@force_option
@batch_options
def command(
    files: tuple[str, ...],
    formats: list[str],
    output: str,
    direction: str,
    severity: str | None,
    theme: str,
    dpi: int,
    page: str | None,
    force: bool,
    jobs: int,
    force_all: bool,
    watch: bool,
) -> None:
    """Draw swim-lane flow charts: one band per lane, in the order the lanes are declared.

    \b
    svg   for wikis and the web: every lane is <g id="lane-ID">, every step
          <g id="step-ID">, with <title> text for screen readers and tooltips
    png   a picture, at 96 dpi (CSS pixels) unless --dpi says otherwise
    pdf   vector, for print
    dot   the Graphviz source with every position fixed (neato -n2 redraws it)

    Starts and resolutions are ovals, tasks rounded boxes, decisions diamonds with
    their branches labelled, escalations bold orange boxes with thick hand-over
    arrows, waits dashed boxes; timer edges are dashed ("after 2h"), notify arrows
    dotted. A title block names the process, version, owner and last review; a
    legend explains the symbols. The same input always gives the same bytes.

    Files are named after the process id, plus every option that is not the
    default, in this order: --severity, --direction TB, --theme print, --page
    (it-help-desk.svg, it-help-desk-P1-TB-print.pdf, it-help-desk-A4.svg), so charts
    drawn with different options sit side by side in one folder. The pages of a paged
    SVG or PNG add -p1, -p2, ... (it-help-desk-A4-p1.svg).

    Charts are never scaled down to fit: with --page each sheet shows part of the
    chart at 100 % (step text 11 pt, edge labels 9 pt), continued on the next page.

    FILE can be a directory: every *.yaml and *.yml below it is drawn. Outputs that
    are up to date (same input, options and tool version) are skipped. FILE - reads one
    definition from standard input.

    \b
    Examples:
      escalation-charts render process.yaml -o charts/
      escalation-charts render process.yaml -f svg,png,pdf --direction TB
      escalation-charts render process.yaml --severity P1 --theme print -f pdf
      escalation-charts render process.yaml -f png --dpi 192
      escalation-charts render processes/ -f svg,png -o charts/ -j 2
      git show HEAD~1:process.yaml | escalation-charts render - -f svg -o - > old.svg
    """
    spec = BatchSpec(
        command="render",
        build=build,
        options={
            "formats": formats,
            "direction": direction.upper(),
            "severity": severity,
            "theme": theme,
            "dpi": dpi,
            "page": _page_name(page),
            "force": force,
        },
        out_dir=output_dir(output),
    )
    run_command(spec, files, jobs=jobs, force_all=force_all, watch=watch)


def build(path: str, options: Mapping[str, Any]) -> dict[str, bytes | str]:
    """The chart files for one definition, by file name (run by the batch machinery)."""
    definition = definition_for_output(path, options["force"])
    severity = known_severity(definition, options["severity"], path)
    from escalation_charts.layout.engine import GraphvizError, last_messages
    from escalation_charts.render.chart import render_pages

    notes: list[str] = []
    page = options.get("page")
    try:
        charts = render_pages(
            definition,
            options["formats"],
            page=page,
            direction=options["direction"],
            severity=severity,
            theme=options["theme"],
            notes=notes,
            dpi=options["dpi"],
        )
    except GraphvizError as exc:  # a broken Graphviz install, or a bug in the DOT we built
        detail = "; ".join(last_messages()[-3:])
        fail_usage(f"{path}: {exc}{f' ({detail})' if detail else ''}")
    for note in notes:  # never shrunk silently
        say(f"{path}: note: {note}", err=True)
    stem = output_stem(definition.process.id, severity, options["direction"], options["theme"])
    out: dict[str, bytes | str] = {}
    for fmt, pages in charts.items():
        name = stem
        if page is not None and page != DEFAULT_PAGES.get(fmt, "none"):
            name += f"-{page}"
        if len(pages) == 1:
            out[f"{name}.{fmt}"] = pages[0]
        else:
            out.update({f"{name}-p{n}.{fmt}": data for n, data in enumerate(pages, start=1)})
    return out


def _page_name(page: str | None) -> str | None:
    """The sheet as `render` spells it (A3, letter, none), whatever case was typed."""
    if page is None:
        return None
    return next(p for p in PAGES if p.lower() == page.lower())


def output_stem(process_id: str, severity: str | None, direction: str, theme: str) -> str:
    """`<id>`, then every option that changes the picture and is not the default:
    `-<severity>`, `-TB`, `-print`; so charts drawn with different options never
    overwrite each other in one folder."""
    parts = [process_id, severity, "TB" if direction == "TB" else None]
    parts.append(theme if theme != "default" else None)
    return "-".join(p for p in parts if p)
