"""`escalation-charts audit`: the auditor's report, also for definitions with errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from escalation_charts.cli._batch import BatchSpec, ExitAfterWriting, batch_options, run_command
from escalation_charts.cli._common import (
    EXIT_ERRORS,
    check_file,
    formats_option,
    output_dir,
    output_option,
    print_findings,
    say,
    today,
)
from escalation_charts.cli._config import config_file, rule_options
from escalation_charts.model import Definition

if TYPE_CHECKING:
    from escalation_charts.audit import Audit

__all__ = ["FORMATS", "build", "chart_svg", "command"]

FORMATS = ("html", "md", "json")


def chart_svg(definition: Definition) -> tuple[bytes | None, str]:
    """The swim-lane chart as SVG for the HTML report, or None and the reason why not.

    The audit runs on definitions with errors, which the chart may not be able to draw
    (an edge to a step that does not exist); the report then says so instead of failing.
    """
    from escalation_charts.render.chart import render_chart

    try:
        return render_chart(definition, "svg"), ""
    except Exception as exc:  # any failure to draw must not cost the auditor the report
        return None, f"The swim-lane chart could not be drawn: {exc}. Fix the findings above."


@click.command(
    "audit",
    epilog="Exit codes: 0 no errors (warnings allowed unless --strict), 1 a definition "
    "has errors (its report is still written), 2 usage problem (missing file, unknown "
    "format, output not writable). For many files: the worst of them.",
)
@click.argument("files", nargs=-1, required=True, metavar="FILE|DIR...", type=click.Path())
@formats_option(FORMATS, "html,md,json")
@output_option("<id>-audit.html, .md, .json")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (e.g. an overdue review).")
@rule_options
@batch_options
def command(
    files: tuple[str, ...],
    formats: list[str],
    output: str,
    strict: bool,
    select: frozenset[str] | None,
    ignore: frozenset[str] | None,
    jobs: int,
    force_all: bool,
    watch: bool,
) -> None:
    """Write the auditor's report: is the process sound and the matrix complete?

    The report has the verdict; every finding with its rule, severity, place and example
    path; the swim-lane chart and the matrix; the matrix completeness grid (set, not used,
    missing, out of order, after SLA); contact coverage per level; soundness per severity;
    per severity and level the matrix's time, the earliest time the flow can engage it and
    whether a timer drives it (rules matrix-flow-timing and matrix-untimed); and the
    review status. The verdict counts every finding: FAIL with an error, PASS with N
    warnings, PASS.

    Unlike other commands, audit reports on definitions with errors too (that is its job):
    it writes the report, then exits 1, so it can gate CI. Files are named after the
    process id: <id>-audit.html (self-contained, prints cleanly), .md and .json.

    FILE can be a directory: every *.yaml and *.yml below it is audited. A report that
    is up to date (same input, options, tool version and day) is skipped; a file that
    failed its audit is audited again every time, so the exit code stays 1. FILE - reads one
    definition from standard input.

    \b
    Examples:
      escalation-charts audit process.yaml -o evidence
      escalation-charts audit process.yaml -f json -o build && jq .verdict build/*-audit.json
      escalation-charts audit processes/ --strict -o evidence -j 2
      git show HEAD:process.yaml | escalation-charts audit - -f md -o - | less
    """
    spec = BatchSpec(
        command="audit",
        build=build,
        # The day is part of the key: the review status (and so the report) changes with it.
        options={
            "formats": formats,
            "strict": strict,
            "today": today().isoformat(),
            "select": sorted(select) if select is not None else None,
            "ignore": sorted(ignore or ()),
        },
        out_dir=output_dir(output),
        depends=_configs(files),  # which rules report, and at what level, shapes the report
    )
    run_command(spec, files, jobs=jobs, force_all=force_all, watch=watch)


def _configs(files: tuple[str, ...]) -> tuple[Path, ...]:
    """The rule configurations that govern the inputs (cli._config), for the cache key."""
    from escalation_charts.cli._inputs import expand_inputs

    folders = {Path.cwd() if p == "-" else Path(p).resolve().parent for p in expand_inputs(files)}
    return tuple(sorted({c for folder in folders if (c := config_file(folder)) is not None}))


def build(path: str, options: Mapping[str, Any]) -> dict[str, bytes | str]:
    """The report files for one definition, by file name (run by the batch machinery);
    raises ExitAfterWriting when the audit fails, so the report is written all the same."""
    from escalation_charts.audit import build_audit

    select = options.get("select")
    checked = check_file(
        path,
        frozenset(select) if select is not None else None,
        frozenset(options.get("ignore") or ()),
    )
    print_findings(checked.findings)
    day = dt.date.fromisoformat(options["today"])
    audit = build_audit(checked.path, checked.definition, checked.findings, today=day)
    definition = checked.definition
    stem = (definition.process.id if definition else Path(path).stem) + "-audit"
    contents = _outputs(audit, options["formats"])
    outputs: dict[str, bytes | str] = {f"{stem}.{fmt}": data for fmt, data in contents.items()}
    say(f"{path}: {audit.verdict.summary}", err=True)
    strict = options["strict"]
    if audit.verdict.errors or audit.definition is None or (strict and audit.findings):
        raise ExitAfterWriting(EXIT_ERRORS, outputs)
    return outputs


def _outputs(audit: Audit, formats: list[str]) -> dict[str, str]:
    from escalation_charts.render.report import report_json, report_markdown

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
    from escalation_charts.render.matrix import matrix_view
    from escalation_charts.render.matrix_picture import draw, matrix_dot
    from escalation_charts.render.report import report_html

    definition = audit.definition
    if definition is None:
        return report_html(audit, chart_svg=None, matrix_svg=None)
    chart, note = chart_svg(definition)
    matrix = draw(matrix_dot(matrix_view(definition)), ["svg"])["svg"]
    return report_html(audit, chart_svg=chart, chart_note=note, matrix_svg=matrix)
