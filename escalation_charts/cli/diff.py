"""`escalation-charts diff OLD NEW`: what changed between two versions of a process.

Each side is a file or `REV:PATH`, read with `git show` in the file's directory. The
command reads both, hands them to `diff.compare`, prints the report and decides the exit
code like diff(1): 0 no change, 1 changes, 2 trouble.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from escalation_charts.cli._common import (
    EXIT_USAGE,
    fail_usage,
    format_finding,
    say,
    say_block,
    today,
    write_outputs,
)
from escalation_charts.model import Definition

if TYPE_CHECKING:
    from escalation_charts.diff.comparison import DefinitionDiff

__all__ = ["command", "read_side"]

CHART_FORMATS = ("svg", "png", "pdf")
GIT_TIMEOUT = 60  # seconds: a `git show` of one file is instant; a hung git is trouble


@click.command(
    "diff",
    epilog="Exit codes (like diff(1)): 0 no change, 1 changes, 2 trouble (a side cannot be "
    "read or loaded, a bad git revision, an output cannot be written).",
)
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "json"]),
    default="text",
    show_default=True,
    help="text: a changelog grouped by section; md: Markdown for a pull-request comment; "
    "json: for tools.",
)
@click.option(
    "--chart",
    metavar="FILE",
    default=None,
    help="Also draw NEW as a change chart (FILE.svg, .png or .pdf): added in green, changed "
    "in amber, removed in red and ghosted where they were, with a legend saying so.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print no report; only the exit code says.")
def command(old: str, new: str, fmt: str, chart: str | None, quiet: bool) -> None:
    """Compare two versions of a process: the models, never the text.

    Lists steps, edges, lanes and levels, contacts, severities and their targets, matrix
    cells and process facts that were added, removed or changed (a renamed id with the
    same label is a rename), then what that means: findings that appear or disappear,
    per severity and level the earliest time the flow engages the level, before and
    after, and steps a severity can no longer reach (or now reaches). Comments, key
    order, flow or block style and the order of steps, edges, notify lists and contacts
    make no change.

    OLD and NEW are files or REV:PATH, read from git in that file's directory (a path
    relative to the current directory).

    \b
    Examples:
      escalation-charts diff HEAD~1:process.yaml process.yaml
      escalation-charts diff v2.3:process.yaml v2.4:process.yaml --format md
      escalation-charts diff old.yaml new.yaml --chart changes.png
      escalation-charts diff --quiet main:process.yaml process.yaml || echo changed
    """
    chart_fmt = _chart_format(chart) if chart else None
    before = read_side(old)
    after = read_side(new)
    from escalation_charts.diff import compare
    from escalation_charts.diff.report import diff_json, diff_markdown, diff_text

    result = compare(before, after, old_name=old, new_name=new, today=today())
    if not quiet:
        report = {"text": diff_text, "md": diff_markdown, "json": diff_json}[fmt](result)
        if fmt == "text":
            say_block(report, nl=False)
        else:
            click.echo(report, nl=False)
    if chart and chart_fmt:
        _write_chart(result, chart, chart_fmt, [old, new])
    sys.exit(1 if result.changed else 0)


def _chart_format(path: str) -> str:
    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in CHART_FORMATS:
        fail_usage(f"--chart {path}: name a .svg, .png or .pdf file")
    return fmt


def _write_chart(result: DefinitionDiff, path: str, fmt: str, inputs: list[str]) -> None:
    from escalation_charts.diff.chart import change_chart
    from escalation_charts.layout.engine import GraphvizError

    try:
        data = change_chart(result, fmt)
    except GraphvizError as exc:
        fail_usage(f"--chart {path}: {exc}")
    target = Path(path)
    if not target.parent.is_dir():
        fail_usage(f"--chart {path}: no such directory {target.parent}")
    write_outputs({target: data}, [p for p in inputs if ":" not in p or Path(p).exists()], err=True)


def read_side(spec: str) -> Definition:
    """One side of the comparison as a model; anything wrong stops with exit 2.

    A side that names an existing file is that file; otherwise `REV:PATH` is read with
    `git show` in PATH's directory. A file that does not load gives its findings as
    file:line:col lines.
    """
    from escalation_charts.reading.loader import MAX_FILE_BYTES, load_bytes

    path = Path(spec)
    if path.is_file():
        try:
            data = path.read_bytes()
        except OSError as exc:
            fail_usage(f"{spec}: cannot read: {exc.strerror or exc}")
    elif path.is_dir():
        fail_usage(f"{spec}: is a directory, not a definition file")
    elif ":" in spec and not spec.startswith(":"):
        data = _git_show(spec)
    else:
        fail_usage(f"{spec}: no such file (a git revision is written REV:PATH)")
    if len(data) > MAX_FILE_BYTES:
        fail_usage(f"{spec}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    loaded = load_bytes(data, spec)
    if loaded.definition is None:
        for finding in loaded.findings:
            say_block(format_finding(finding), err=True)
        say(f"{spec}: cannot be compared: it does not load", err=True)
        sys.exit(EXIT_USAGE)
    return loaded.definition


def _git_show(spec: str) -> bytes:
    """`git show REV:./NAME` run in PATH's directory (so PATH is relative to here)."""
    rev, _, name = spec.partition(":")
    if not name:
        fail_usage(f"{spec}: name a file after the revision (REV:PATH)")
    target = Path(name)
    directory = target.parent if target.parent.is_dir() else Path(".")
    inside = target.name if target.parent.is_dir() else name
    try:
        done = subprocess.run(
            ["git", "-C", str(directory), "show", f"{rev}:./{inside}"],
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        fail_usage(f"{spec}: git is not installed (needed to read REV:PATH)")
    except subprocess.TimeoutExpired:
        fail_usage(f"{spec}: git show took longer than {GIT_TIMEOUT}s")
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = message[0].removeprefix("fatal: ") if message else "git show failed"
        fail_usage(f"{spec}: cannot read from git: {reason}")
    return done.stdout
