"""`escalation-charts audit`: the auditor's report, also for definitions with errors."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..model import Definition
from ._common import (
    EXIT_ERRORS,
    EXIT_OK,
    check_file,
    formats_option,
    output_dir,
    print_findings,
    today,
    write_outputs,
)

if TYPE_CHECKING:
    from ..audit import Audit

__all__ = ["FORMATS", "chart_svg", "command"]

FORMATS = ("html", "md", "json")


def chart_svg(definition: Definition) -> tuple[bytes | None, str]:
    """The swim-lane chart as SVG for the HTML report, or None and the reason why not.

    The audit runs on definitions with errors, which the chart may not be able to draw
    (an edge to a step that does not exist); the report then says so instead of failing.
    """
    from ..render.chart import render_chart

    try:
        return render_chart(definition, "svg"), ""
    except Exception as exc:  # any failure to draw must not cost the auditor the report
        return None, f"The swim-lane chart could not be drawn: {exc}. Fix the findings above."


@click.command(
    "audit",
    epilog="Exit codes: 0 no errors (warnings allowed unless --strict), 1 the definition "
    "has errors (the report is still written), 2 usage problem (missing file, unknown "
    "format, output not writable).",
)
@click.argument("file", metavar="FILE")
@formats_option(FORMATS, "html,md,json")
@click.option(
    "-o",
    "--output",
    "out",
    metavar="DIR",
    default=None,
    help="Directory to write into (created if missing); default: the current directory.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (e.g. an overdue review).")
def command(file: str, formats: list[str], out: str | None, strict: bool) -> None:
    """Write the auditor's report: is the process sound and the matrix complete?

    The report has the verdict; every finding with its rule, severity, place and example
    path; the swim-lane chart and the matrix; the matrix completeness grid (set, not used,
    missing, out of order, after SLA); contact coverage per level; soundness per severity;
    the earliest time the flow can engage each level next to the matrix and the resolve
    target; and the review status.

    Unlike other commands, audit reports on definitions with errors too (that is its job):
    it writes the report, then exits 1, so it can gate CI. Files are named after the
    process id: <id>-audit.html (self-contained, prints cleanly), .md and .json.

    \b
    Examples:
      escalation-charts audit process.yaml -o evidence
      escalation-charts audit process.yaml -f json -o build && jq .verdict build/*-audit.json
    """
    from ..audit import build_audit

    checked = check_file(file)
    print_findings(checked.findings)
    audit = build_audit(checked.path, checked.definition, checked.findings, today=today())
    target = output_dir(out)
    definition = checked.definition
    stem = (definition.process.id if definition else Path(file).stem) + "-audit"
    contents = _outputs(audit, formats)
    write_outputs({target / f"{stem}.{fmt}": data for fmt, data in contents.items()}, [file])
    click.echo(f"{file}: {audit.verdict.summary}", err=True)
    failed = audit.verdict.errors or audit.definition is None or (strict and audit.findings)
    sys.exit(EXIT_ERRORS if failed else EXIT_OK)


def _outputs(audit: Audit, formats: list[str]) -> dict[str, str]:
    from ..render.report import report_json, report_markdown

    out: dict[str, str] = {}
    for fmt in formats:
        if fmt == "json":
            out[fmt] = report_json(audit)
        elif fmt == "md":
            out[fmt] = report_markdown(audit)
        else:
            out[fmt] = _html(audit)
    return out


def _html(audit: Audit) -> str:
    from ..render.matrix import matrix_view
    from ..render.matrix_picture import draw, matrix_dot
    from ..render.report import report_html

    definition = audit.definition
    if definition is None:
        return report_html(audit, chart_svg=None, matrix_svg=None)
    chart, note = chart_svg(definition)
    matrix = draw(matrix_dot(matrix_view(definition)), ["svg"])["svg"]
    return report_html(audit, chart_svg=chart, chart_note=note, matrix_svg=matrix)
