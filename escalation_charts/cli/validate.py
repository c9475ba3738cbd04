"""`escalation-charts validate`: findings for one or more definitions."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from escalation_charts import __version__
from escalation_charts.cli._common import (
    EXIT_ERRORS,
    EXIT_OK,
    Checked,
    check_file,
    format_finding,
    say,
    say_block,
)
from escalation_charts.cli._config import rule_options
from escalation_charts.cli._inputs import expand_inputs
from escalation_charts.findings import Finding

__all__ = ["command"]


@click.command(
    "validate",
    epilog="Exit codes: 0 every file is valid (warnings allowed unless --strict), "
    "1 a file has errors, 2 a file is missing or unreadable.",
)
@click.argument("files", nargs=-1, required=True, metavar="FILE|DIR...", type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="text: one line per finding, like a compiler (file:line:col: error rule: message); "
    "json: SPEC.md's findings shape; sarif: SARIF 2.1.0 for code scanning.",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option(
    "--sarif-root",
    type=click.Path(file_okay=False, exists=True),
    default=None,
    help="SARIF: the folder paths are relative to (%SRCROOT%), as code scanning maps them "
    "onto the checkout.  [default: the git top level, else the current folder]",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="Text format: print findings only, no summary lines."
)
@rule_options
def command(
    files: tuple[str, ...],
    fmt: str,
    strict: bool,
    sarif_root: str | None,
    quiet: bool,
    select: frozenset[str] | None,
    ignore: frozenset[str] | None,
) -> None:
    """Check definitions: syntax, references, soundness per severity, matrix, contacts.

    Every finding names a rule (see README, "Validation rules"), its place as
    file:line:column and, for flow rules, an example path from a start step. What each
    rule means and how to fix it: docs/rules.md (one section per rule id).

    \b
    Examples:
      escalation-charts validate process.yaml
      escalation-charts validate --strict examples/
      escalation-charts validate --format sarif process.yaml > findings.sarif
      escalation-charts validate --ignore review-overdue,no-backup processes/
    """
    # Directories give every definition below them; a missing file is a usage problem,
    # reported before any output.
    results = [check_file(path, select, ignore) for path in expand_inputs(files)]
    if fmt != "text":
        import json  # only the machine-readable formats pay for it

    if fmt == "json":
        click.echo(json.dumps(_json(results, strict), indent=2, ensure_ascii=False))
    elif fmt == "sarif":
        from escalation_charts.validate.sarif import sarif_log

        root = Path(sarif_root) if sarif_root else _git_top_level()
        steps = {  # where each step is written, for the example paths' code flows
            c.path: {s.id: s.at("id") for s in reversed(c.definition.steps)}
            for c in results
            if c.definition is not None
        }
        log = sarif_log(((c.path, c.findings) for c in results), __version__, root, steps)
        click.echo(json.dumps(log, indent=2, ensure_ascii=False))
    else:
        _text(results, strict, quiet)
    sys.exit(EXIT_ERRORS if any(_fails(c, strict) for c in results) else EXIT_OK)


def _git_top_level() -> Path | None:
    """The repository the current folder is in (None outside git or without git)."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    top = done.stdout.strip()
    return Path(top) if done.returncode == 0 and top else None


def _fails(checked: Checked, strict: bool) -> bool:
    return checked.has_errors or (strict and bool(checked.findings))


def _json(results: list[Checked], strict: bool) -> dict[str, object]:
    return {
        "files": [
            {
                "path": c.path,
                "valid": not _fails(c, strict),
                "findings": [f.to_dict() for f in c.findings],
            }
            for c in results
        ]
    }


def _text(results: list[Checked], strict: bool, quiet: bool) -> None:
    for c in results:
        for f in c.findings:
            say_block(format_finding(f))
        if not quiet:
            say(f"{c.path}: {_verdict(c.findings, strict)}")
    if not quiet and len(results) > 1:
        bad = sum(_fails(c, strict) for c in results)
        click.echo(
            f"{len(results)} files checked: " + (f"{bad} with errors" if bad else "all valid")
        )


def _verdict(findings: tuple[Finding, ...], strict: bool) -> str:
    errors = sum(f.level == "error" for f in findings)
    warnings = len(findings) - errors
    if not findings:
        return "valid, no findings"
    counts = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if errors or strict:
        return f"not valid ({counts})"
    return f"valid ({counts})"
