"""`escalation-charts export`: BPMN 2.0, draw.io and Mermaid files for other tools."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from escalation_charts.cli._batch import BatchSpec, batch_options, run_command
from escalation_charts.cli._common import (
    definition_for_output,
    force_option,
    formats_option,
    output_dir,
    output_option,
)

__all__ = ["FORMATS", "build", "command"]

FORMATS = ("bpmn", "drawio", "mermaid")
SUFFIXES = {"bpmn": ".bpmn", "drawio": ".drawio", "mermaid": ".mmd"}


@click.command(
    "export",
    epilog="Exit codes: 0 written (or up to date), 1 a definition has errors, "
    "2 a file is missing or an output cannot be written.",
)
@click.argument("files", nargs=-1, required=True, metavar="FILE|DIR...", type=click.Path())
@formats_option(FORMATS, "bpmn,drawio,mermaid")
@output_option("<id>.bpmn, <id>.drawio, <id>.mmd")
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
@force_option
@batch_options
def command(
    files: tuple[str, ...],
    formats: list[str],
    output: str,
    direction: str,
    mermaid_syntax: str,
    force: bool,
    jobs: int,
    force_all: bool,
    watch: bool,
) -> None:
    """Export definitions to BPMN 2.0, draw.io and Mermaid.

    \b
    bpmn     BPMN 2.0 XML with diagram layout: one pool, a lane per lane, events,
             tasks, exclusive gateways, timer events; opens in bpmn.io, Camunda
             Modeler and other BPMN tools with the lanes drawn.
    drawio   an editable draw.io / diagrams.net file: lanes are swimlane containers,
             steps and arrows placed as in the rendered chart.
    mermaid  Mermaid text (.mmd) to paste into Markdown docs.

    FILE can be a directory: every *.yaml and *.yml below it is exported. Outputs
    that are up to date (same input, options and tool version) are skipped. FILE - reads one
    definition from standard input.

    \b
    Examples:
      escalation-charts export process.yaml -o exports/
      escalation-charts export process.yaml -f mermaid --mermaid swimlane
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
            "force": force,
        },
        out_dir=output_dir(output),
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
    if "drawio" in formats:
        from escalation_charts.export.drawio import build_drawio
        from escalation_charts.layout.bands import compute_layout

        layout = compute_layout(definition, direction=direction)
        outputs[stem + SUFFIXES["drawio"]] = build_drawio(definition, layout)
    return outputs
