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


@click.command(
    "render",
    epilog="Exit codes: 0 written (or up to date), 1 a definition has errors (use --force "
    "to draw it anyway), 2 a file is missing, an option does not fit a file (unknown "
    "--severity) or an output cannot be written.",
)
@click.argument("files", nargs=-1, required=True, metavar="FILE|DIR...", type=click.Path())
@formats_option(FORMATS, "svg")
@output_option("<id>.svg; options that are not the default add to the name: <id>-P1-TB-print.svg")
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
    default, in this order: --severity, --direction TB, --theme print (it-help-desk.svg,
    it-help-desk-P1-TB-print.pdf), so charts drawn with different options sit side
    by side in one folder.

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
    from escalation_charts.render.chart import render_charts

    notes: list[str] = []
    try:
        charts = render_charts(
            definition,
            options["formats"],
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
    return {f"{stem}.{fmt}": data for fmt, data in charts.items()}


def output_stem(process_id: str, severity: str | None, direction: str, theme: str) -> str:
    """`<id>`, then every option that changes the picture and is not the default:
    `-<severity>`, `-TB`, `-print`; so charts drawn with different options never
    overwrite each other in one folder."""
    parts = [process_id, severity, "TB" if direction == "TB" else None]
    parts.append(theme if theme != "default" else None)
    return "-".join(p for p in parts if p)
