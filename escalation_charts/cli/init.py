"""`escalation-charts init`: write a starter definition from `templates/init/`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click

from escalation_charts.cli._common import fail_usage, quiet_option, say, today, write_outputs

__all__ = ["command", "template_names"]

# Quoted, so YAML 1.1 readers (js-yaml in ajv-cli, PyYAML) keep the date as text, as the
# schema describes it.
_REVIEWED = 'reviewed: "2026-11-01"'


def template_names() -> list[str]:
    """The starter definitions shipped in templates/init (file names without .yaml)."""
    folder = resources.files("escalation_charts") / "templates" / "init"
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


@click.command("init")
@click.option(
    "-t",
    "--template",
    "name",
    default="basic",
    show_default=True,
    metavar="NAME",
    shell_complete=lambda ctx, param, incomplete: [
        n for n in template_names() if n.startswith(incomplete)
    ],
    help="Starter to copy: basic (customer + two tiers), three-tier (the classic IT help "
    "desk with a vendor), minimal (the fewest lines that validate).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="File to write; prints to standard output when omitted.",
)
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT if it already exists.")
@click.option("--list", "list_only", is_flag=True, help="List the starter templates and exit.")
@quiet_option
def command(name: str, output: str | None, overwrite: bool, list_only: bool) -> None:
    """Write a starter definition to edit, with every field explained in comments.

    The review date is set to today, so a fresh file does not warn about an overdue review.

    \b
    Examples:
      escalation-charts init -o process.yaml
      escalation-charts init --template three-tier -o help-desk.yaml
    """
    names = template_names()
    if list_only:
        click.echo("\n".join(names))
        return
    if name not in names:
        fail_usage(f"unknown template {name!r}; choose from {', '.join(names)}")
    text = (resources.files("escalation_charts") / "templates" / "init" / f"{name}.yaml").read_text(
        encoding="utf-8"
    )
    text = text.replace(_REVIEWED, f'reviewed: "{today().isoformat()}"')
    if output is None:
        click.echo(text, nl=False)
        return
    target = Path(output)
    if target.exists() and not overwrite:
        fail_usage(f"{target} already exists; use --overwrite to replace it")
    write_outputs({target: text})
    say(f"next: escalation-charts validate {target}")
