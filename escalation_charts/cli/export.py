"""`escalation-charts export`: BPMN 2.0, draw.io, Visio and Mermaid files for other tools."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import click

from escalation_charts.cli._batch import BatchSpec, batch_options, run_command, warm_graphviz
from escalation_charts.cli._common import (
    definition_for_output,
    force_option,
    formats_option,
    known_severity,
    output_dir,
    output_option,
)
from escalation_charts.cli._inputs import complete_severities
from escalation_charts.cli.render import THEMES

if TYPE_CHECKING:
    from escalation_charts.model import Definition

__all__ = ["FORMATS", "build", "command", "page_severities"]

FORMATS = ("bpmn", "drawio", "vsdx", "mermaid")
SUFFIXES = {"bpmn": ".bpmn", "drawio": ".drawio", "vsdx": ".vsdx", "mermaid": ".mmd"}


@click.command(
    "export",
    epilog="Exit codes: 0 written (or up to date), 1 a definition has errors, "
    "2 a file is missing or an output cannot be written.",
)
@click.argument("files", nargs=-1, required=True, metavar="FILE|DIR...", type=click.Path())
@formats_option(FORMATS, "bpmn,drawio,vsdx,mermaid")
@output_option("<id>.bpmn, <id>.drawio, <id>.vsdx, <id>.mmd")
@click.option(
    "--direction",
    type=click.Choice(["LR", "TB"]),
    default="LR",
    show_default=True,
    help="LR: lanes are rows and the flow runs left to right; TB: lanes are columns.",
)
@click.option(
    "--mermaid",
    "mermaid_syntax",
    type=click.Choice(["flowchart", "swimlane"]),
    default="flowchart",
    show_default=True,
    help="flowchart: a subgraph per lane, understood by every Mermaid renderer (GitHub, "
    "GitLab, wikis); swimlane: Mermaid's 'swimlane-beta' diagram (Mermaid 11.16 or later), "
    "real lanes but no notify arrows.",
)
@click.option(
    "--severity",
    "severities",
    multiple=True,
    metavar="ID[,ID...]|all",
    shell_complete=complete_severities,
    help="vsdx: after the whole process, add a page drawn for each of these ticket "
    "severities (edges limited to other severities left out, unreachable steps faded); "
    "'all' adds one per declared severity. Repeatable.",
)
@click.option(
    "--theme",
    type=click.Choice(THEMES),
    default="default",
    show_default=True,
    help="vsdx and drawio: the chart theme their colours and line styles come from "
    "(default: colour; print: greyscale).",
)
@force_option
@batch_options
def command(
    files: tuple[str, ...],
    formats: list[str],
    output: str,
    direction: str,
    mermaid_syntax: str,
    severities: tuple[str, ...],
    theme: str,
    force: bool,
    jobs: int,
    force_all: bool,
    watch: bool,
) -> None:
    """Export definitions to BPMN 2.0, draw.io, Visio and Mermaid.

    \b
    bpmn     BPMN 2.0 XML with diagram layout: one pool, a lane per lane, events,
             tasks, exclusive gateways, timer events; opens in bpmn.io, Camunda
             Modeler and other BPMN tools with the lanes drawn.
    drawio   an editable draw.io / diagrams.net file: lanes are swimlane containers,
             steps and arrows placed as in the rendered chart.
    vsdx     an editable Visio drawing (Visio 2013 or later, also LibreOffice
             Draw): a cross-functional flowchart, lanes as swimlane containers,
             steps as flowchart shapes, arrows as connectors glued to both ends
             (move a step and its arrows follow); --severity adds pages.
    mermaid  Mermaid text (.mmd) to paste into Markdown docs.

    FILE can be a directory: every *.yaml and *.yml below it is exported. Outputs
    that are up to date (same input, options and tool version) are skipped. FILE - reads one
    definition from standard input.

    \b
    Examples:
      escalation-charts export process.yaml -o exports/
      escalation-charts export process.yaml -f mermaid --mermaid swimlane
      escalation-charts export process.yaml -f vsdx --severity all
      escalation-charts export processes/ -f bpmn -o exports/ -j 2
      escalation-charts export process.yaml -f drawio --watch
      escalation-charts export - -f mermaid -o - < process.yaml >> docs/flow.md
    """
    spec = BatchSpec(
        command="export",
        build=build,
        options={
            "formats": formats,
            "direction": direction,
            "mermaid": mermaid_syntax,
            "severities": severities,
            "theme": theme,
            "force": force,
        },
        out_dir=output_dir(output),
        # every format but Mermaid's text carries the chart's layout, made by Graphviz
        prepare=warm_graphviz if set(formats) - {"mermaid"} else None,
    )
    run_command(spec, files, jobs=jobs, force_all=force_all, watch=watch)


def build(path: str, options: Mapping[str, Any]) -> dict[str, bytes | str]:
    """The export files for one definition, by file name (run by the batch machinery)."""
    definition = definition_for_output(path, options["force"])
    formats, direction = options["formats"], options["direction"]
    stem = definition.process.id
    outputs: dict[str, bytes | str] = {}
    if "mermaid" in formats:
        from escalation_charts.export.mermaid import build_mermaid

        text = build_mermaid(definition, direction=direction, syntax=options["mermaid"])
        outputs[stem + SUFFIXES["mermaid"]] = text
    if "bpmn" in formats:
        # BPMN lays out its own graph (joins in front of merging steps, bpmn-js sizes).
        from escalation_charts.export.bpmn import build_bpmn

        outputs[stem + SUFFIXES["bpmn"]] = build_bpmn(definition, direction=direction)
    if {"drawio", "vsdx"} & set(formats):
        from escalation_charts.layout.bands import compute_layout

        layout = compute_layout(definition, direction=direction)
        from escalation_charts.render.themes import get_theme

        theme = get_theme(options.get("theme", "default"))
        if "drawio" in formats:
            from escalation_charts.export.drawio import build_drawio

            outputs[stem + SUFFIXES["drawio"]] = build_drawio(definition, layout, theme)
        if "vsdx" in formats:
            from escalation_charts.export.vsdx import build_vsdx

            asked = page_severities(definition, options.get("severities", ()), path)
            pages = [layout] + [
                compute_layout(definition, direction=direction, severity=s) for s in asked
            ]
            outputs[stem + SUFFIXES["vsdx"]] = build_vsdx(definition, pages, theme)
    return outputs


def page_severities(definition: Definition, asked: Sequence[str], path: str) -> list[str]:
    """`--severity` values (repeated or comma-separated, `all` for every one) checked
    against the definition, in declared order, each once."""
    wanted: set[str] = set()
    for value in asked:
        for item in filter(None, (v.strip() for v in value.split(","))):
            if item == "all" and item not in definition.severities_by_id:
                wanted.update(definition.severities_by_id)
            else:
                wanted.add(known_severity(definition, item, path) or item)
    return [s.id for s in definition.severities if s.id in wanted]
