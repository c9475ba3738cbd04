"""`escalation-charts schema`: the JSON Schema of the format, for editor completion."""

from __future__ import annotations

import json

import click

__all__ = ["command"]


@click.command("schema")
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    expose_value=False,
    help="Accepted like on every command (for scripts); schema prints only the schema.",
)
def command() -> None:
    """Print the JSON Schema (draft 2020-12) of definition format 1.

    It is generated from the same declaration the loader checks against. Save it and
    point your editor at it for completion and inline errors:

    \b
      escalation-charts schema > escalation.schema.json
      # first line of your definition:
      # yaml-language-server: $schema=escalation.schema.json
    """
    from escalation_charts.reading.schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2, sort_keys=False))
