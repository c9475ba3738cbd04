"""`escalation-charts matrix`: the escalation matrix as a table or a picture."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from escalation_charts.cli._batch import BatchSpec, batch_options, run_command, warm_graphviz
from escalation_charts.cli._common import (
    definition_for_output,
    force_option,
    formats_option,
    output_dir,
    output_option,
)
from escalation_charts.model import Definition

__all__ = ["FORMATS", "build", "command", "matrix_outputs"]

FORMATS = ("md", "csv", "html", "svg", "png")


def matrix_outputs(definition: Definition, formats: list[str]) -> dict[str, bytes | str]:
    """Each requested format's content, keyed by format (pictures drawn in one pass)."""
    from escalation_charts.render.matrix import (
        matrix_csv,
        matrix_html,
        matrix_markdown,
        matrix_view,
    )

    view = matrix_view(definition)
    builders = {"md": matrix_markdown, "csv": matrix_csv, "html": matrix_html}
    out: dict[str, bytes | str] = {f: builders[f](view) for f in formats if f in builders}
    pictures = [f for f in formats if f not in builders]
    if pictures:
        from escalation_charts.render.matrix_picture import draw, matrix_dot

        out.update(draw(matrix_dot(view), pictures))
    return {f: out[f] for f in formats}


@click.command(
    "matrix",
    epilog="Exit codes: 0 written (or up to date), 1 a definition has errors (its files "
    "are not written unless --force), 2 usage problem (missing file, unknown format, "
    "output not writable).",
)
@click.argument("files", nargs=-1, required=True, metavar="FILE|DIR...", type=click.Path())
@formats_option(FORMATS, "md,csv,html,svg,png")
@output_option("<id>-matrix.md, .csv (and <id>-contacts.csv), .html, .svg, .png")
@force_option
@batch_options
def command(
    files: tuple[str, ...],
    formats: list[str],
    output: str,
    force: bool,
    jobs: int,
    force_all: bool,
    watch: bool,
) -> None:
    """Write the escalation matrix: severities x levels, each cell the time the level is
    engaged (from when the ticket is opened) or "not used", with each severity's
    respond/resolve targets and each level's primary and backup contacts.

    Files are named after the process id: <id>-matrix.md, .csv, .html, .svg, .png; csv
    also writes <id>-contacts.csv (who is called at each level, one row per contact).
    md is a GitHub table; csv opens safely in a spreadsheet (cells that would run as
    formulas start with '); html is one printable page; svg/png are a picture to pin up.

    FILE can be a directory: every *.yaml and *.yml below it gets its matrix. Outputs
    that are up to date (same input, options and tool version) are skipped. FILE - reads one
    definition from standard input.

    \b
    Examples:
      escalation-charts matrix process.yaml -o out
      escalation-charts matrix process.yaml -f png -o wall
      escalation-charts matrix processes/ -f md,csv -o matrices/ -j 2
      escalation-charts matrix process.yaml -f md -o - >> README.md
    """
    spec = BatchSpec(
        command="matrix",
        build=build,
        options={"formats": formats, "force": force},
        out_dir=output_dir(output),
        # Graphviz draws the picture (SVG, PNG); the tables and CSV are text
        prepare=warm_graphviz if {"svg", "png"} & set(formats) else None,
    )
    run_command(spec, files, jobs=jobs, force_all=force_all, watch=watch)


def build(path: str, options: Mapping[str, Any]) -> dict[str, bytes | str]:
    """The matrix files for one definition, by file name (run by the batch machinery)."""
    definition = definition_for_output(path, options["force"])
    stem = f"{definition.process.id}-matrix"
    contents = matrix_outputs(definition, options["formats"])
    files = {f"{stem}.{fmt}": data for fmt, data in contents.items()}
    if "csv" in contents:  # the contacts are a table of their own, beside the matrix
        from escalation_charts.render.matrix import contacts_csv, matrix_view

        files[f"{definition.process.id}-contacts.csv"] = contacts_csv(matrix_view(definition))
    return files
