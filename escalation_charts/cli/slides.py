"""`escalation-charts slides`: the training deck, as an editable PPTX."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from escalation_charts.cli._batch import BatchSpec, batch_options, run_command
from escalation_charts.cli._common import (
    fail_usage,
    force_option,
    known_severity,
    load_for_output,
    output_dir,
)
from escalation_charts.cli._inputs import complete_severities

__all__ = ["build", "command"]


@click.command(
    "slides",
    epilog="Exit codes: 0 deck written, 1 the definition has errors (nothing written unless "
    "--force), 2 missing file, bad template or output not writable.",
)
@click.argument("files", nargs=-1, required=True, metavar="FILE|DIR...", type=click.Path())
@click.option(
    "-o",
    "--output",
    metavar="DECK.pptx",
    help="Where to write the deck: a .pptx file (one definition), or a directory (each deck "
    "is then named after its process id), or - for standard output (a pipe or a file, "
    "not a terminal). Default: <process id>.pptx in the current directory.",
)
@click.option(
    "--template",
    metavar="BRAND.pptx",
    type=click.Path(dir_okay=False),
    help="A .pptx or .potx whose slide masters and layouts give the deck its branding; "
    "titles and body text go into its placeholders. Its own slides are not copied.",
)
@click.option(
    "--severity",
    metavar="ID",
    shell_complete=complete_severities,
    help="Build the deck for one ticket severity: the chart shows only the arrows that "
    "hold for it and the walkthrough covers only it.",
)
@click.option(
    "--direction",
    type=click.Choice(["LR", "TB"], case_sensitive=False),
    default="LR",
    show_default=True,
    help="Flow direction of the chart: LR (lanes are rows) or TB (lanes are columns).",
)
@click.option(
    "--notes",
    "notes_dir",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="A directory of speaker-notes templates (title.txt.j2, lane.txt.j2, ...) that "
    "replace the built-in ones with the same name.",
)
@force_option
@batch_options
def command(
    files: tuple[str, ...],
    output: str | None,
    template: str | None,
    severity: str | None,
    direction: str,
    notes_dir: str | None,
    force: bool,
    jobs: int,
    force_all: bool,
    watch: bool,
) -> None:
    """Build an editable training deck (PPTX) from a definition.

    The deck has a title slide, an agenda, the swim-lane chart drawn with native shapes
    (steps and lanes are named shapes, arrows are connectors glued to them, so boxes can be
    moved and the arrows follow), one slide per lane (who, what, when, hand-overs), the
    escalation matrix as a table, one walkthrough per severity and the validation result.
    Every slide has speaker notes. A chart too big for one slide continues on the next
    ones, with text never smaller than 10 pt. The same input gives the same bytes.

    \b
    Examples:
      escalation-charts slides process.yaml -o onboarding.pptx
      escalation-charts slides process.yaml -o out/ --template brand.potx
      escalation-charts slides processes/ -o decks/ -j 2
      escalation-charts slides process.yaml -o onboarding.pptx --watch
      git show v2:process.yaml | escalation-charts slides - -o - > v2.pptx
    """
    for option, value in (("--template", template), ("--notes", notes_dir)):
        if value is not None and not Path(value).exists():
            fail_usage(f"{option} {value}: no such file or directory")
    if template is not None and not Path(template).is_file():  # a FIFO would block the read
        fail_usage(f"--template {template}: not a regular file; give a .pptx or .potx file")
    folder, deck_name = _target(output, files)
    depends = [Path(template)] if template else []
    if notes_dir:
        depends += sorted(p for p in Path(notes_dir).iterdir() if p.is_file())
    spec = BatchSpec(
        command="slides",
        build=build,
        options={
            "deck": deck_name,
            "template": template,
            "severity": severity,
            "direction": direction.upper(),
            "notes": notes_dir,
            "force": force,
        },
        out_dir=folder,
        depends=tuple(depends),
    )
    run_command(spec, files, jobs=jobs, force_all=force_all, watch=watch)


def build(path: str, options: Mapping[str, Any]) -> dict[str, bytes | str]:
    """The deck for one definition, by file name (run by the batch machinery)."""
    checked = load_for_output(path, options["force"])
    definition = checked.definition
    assert definition is not None  # load_for_output exits otherwise
    severity = known_severity(definition, options["severity"], path)

    from escalation_charts.layout.bands import compute_layout
    from escalation_charts.render.pptx import NotesError, TemplateError, build_deck

    layout = compute_layout(definition, direction=options["direction"], severity=severity)
    try:
        deck = build_deck(
            definition,
            checked.findings,
            layout,
            severity=severity,
            template=Path(options["template"]) if options["template"] else None,
            notes_dir=Path(options["notes"]) if options["notes"] else None,
        )
    except (TemplateError, NotesError) as exc:
        fail_usage(str(exc))
    return {options["deck"] or f"{definition.process.id}.pptx": deck}


def _target(output: str | None, files: tuple[str, ...]) -> tuple[Path, str | None]:
    """The folder decks go to, and the deck's file name when -o names one .pptx."""
    if output is None:
        return output_dir("."), None
    path = Path(output)
    if path.is_dir() or output.endswith(("/", "\\")) or path.suffix.lower() != ".pptx":
        if path.suffix and path.suffix.lower() != ".pptx" and not path.is_dir():
            fail_usage(f"-o {output}: a deck is written as .pptx (or give a directory)")
        return output_dir(output), None
    if len(files) > 1 or Path(files[0]).is_dir():
        fail_usage(f"-o {output}: several definitions need a directory, not one .pptx file")
    if not path.parent.exists():
        fail_usage(f"-o {output}: directory {path.parent} does not exist")
    return path.parent, path.name
