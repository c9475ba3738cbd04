"""`escalation-charts import`: a definition from an existing BPMN 2.0 or draw.io diagram."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from escalation_charts.cli._common import (
    EXIT_ERRORS,
    check_file,
    fail_usage,
    print_findings,
    quiet_option,
    say,
    write_outputs,
)

__all__ = ["command"]


@click.command(
    "import",
    epilog="Exit codes: 0 written (the findings and TODOs left are listed), 1 --strict and "
    "something in the diagram was not understood, 2 the file is missing, not a diagram, "
    "unsafe XML or the output cannot be written; nothing is written unless the exit is 0.",
)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="DEF.yaml",
    type=click.Path(dir_okay=False),
    help="The definition file to write.",
)
@click.option(
    "--page",
    metavar="NAME",
    default=None,
    help="draw.io: the page to read, by name or number (from 1); the first page by default.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Refuse the diagram (exit 1, nothing written) when anything in it was not understood.",
)
@click.option("--overwrite", is_flag=True, help="Replace DEF.yaml if it already exists.")
@quiet_option
def command(file: str, output: str, page: str | None, strict: bool, overwrite: bool) -> None:
    """Write a definition from an existing BPMN 2.0 (.bpmn) or draw.io (.drawio, .xml,
    .drawio.svg) diagram, then validate it and list what is still to fill in.

    \b
    BPMN 2.0 (bpmn.io, Camunda Modeler; with or without layout):
      pool                          the process (id and name); a pool with no
                                    process that messages reach: an external lane
      lane                          a lane (nested lanes flattened, with a note)
      start event / end event       start / resolution
      task, user, manual, service,  task
      script, business rule task
      send task / receive task      escalate / wait
      exclusive, inclusive gateway  decision (one that only joins flows is left out)
      intermediate catch event      wait; a timer one makes an `after` edge
      intermediate throw event      task (escalate for an escalation event)
      timer boundary event          an `after` edge (ISO 8601 duration, e.g. PT2H)
      sequence flow                 next; its name or condition is the `when` label
      message flow to another pool  notify
      text annotation on a step     the step's description

    \b
    draw.io (plain or compressed, several pages: --page):
      swimlane                      a lane (one holding swimlanes is the pool)
      ellipse, terminator, circle   start if arrows leave it, else resolution
      rhombus                       decision
      rectangle, rounded rectangle  task
      process (double sides)        escalate
      delay                         wait
      arrow                         next; its label is the `when` label;
                                    labelled `after 2h`: a timer edge
      arrow to a lane               notify

    Anything else (a parallel gateway, a sub-process, an unknown shape) is never dropped
    silently: a warning names the element and says what was done with it; --strict makes
    it an error. Ids are made from the labels. What a diagram cannot say (severities,
    levels, contacts, the matrix) is written as TODO comments; the findings printed at
    the end point at the lines to fill in.

    \b
    Examples:
      escalation-charts import escalation.bpmn -o process.yaml
      escalation-charts import chart.drawio --page "Level 2" -o level2.yaml
    """
    from escalation_charts.reading.diagram import DiagramError, import_diagram
    from escalation_charts.reading.xml_input import MAX_DIAGRAM_BYTES
    from escalation_charts.reading.yaml_out import definition_yaml

    target = Path(output)
    if target.exists() and not overwrite:
        fail_usage(f"{target} already exists; use --overwrite to replace it")
    data = _read(file, MAX_DIAGRAM_BYTES)
    try:
        imported, kind = import_diagram(data, Path(file).name, page)
    except DiagramError as exc:
        fail_usage(f"{file}: {exc}; nothing written")
    warnings = [n for n in imported.notices if n.level == "warning"]
    for notice in imported.notices:
        level = "error" if strict and notice.level == "warning" else notice.level
        say(f"{file}: {level}: {notice.element}: {notice.message}", err=True)
    if strict and warnings:
        say(
            f"{file}: {len(warnings)} element(s) not understood (--strict); nothing written",
            err=True,
        )
        sys.exit(EXIT_ERRORS)
    text, todos = definition_yaml(imported.definition, Path(file).name, kind)
    write_outputs({target: text}, [file])
    checked = check_file(str(target))
    print_findings(checked.findings)
    for todo in todos:
        say(f"{target}:{todo.line}:{todo.column}: todo: {todo.what}", err=True)
    say(
        f"{target}: {len(checked.findings)} finding(s) and {len(todos)} TODO(s) left; "
        f"fill them in, then run: escalation-charts validate {target}"
    )


def _read(path: str, limit: int) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except IsADirectoryError:
        fail_usage(f"{path}: is a directory, not a diagram")
    except FileNotFoundError:
        fail_usage(f"{path}: no such file")
    except OSError as exc:
        fail_usage(f"{path}: cannot read: {exc.strerror or exc}")
    if len(data) > limit:
        fail_usage(f"{path}: larger than {limit // (1024 * 1024)} MiB; nothing written")
    return data
