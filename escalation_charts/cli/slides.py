"""`escalation-charts slides`: the training deck, as an editable PPTX."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import fail_usage, force_option, load_for_output, write_outputs

__all__ = ["command"]


@click.command(
    "slides",
    epilog="Exit codes: 0 deck written, 1 the definition has errors (nothing written unless "
    "--force), 2 missing file, bad template or output not writable.",
)
@click.argument("file", metavar="FILE", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    metavar="DECK.pptx",
    help="Where to write the deck: a .pptx file, or a directory (the deck is then named "
    "after the process id). Default: <process id>.pptx in the current directory.",
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
def command(
    file: str,
    output: str | None,
    template: str | None,
    severity: str | None,
    direction: str,
    notes_dir: str | None,
    force: bool,
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
      escalation-charts slides process.yaml --severity P1 -o p1-drill.pptx
    """
    if not Path(file).exists():
        fail_usage(f"{file}: no such file")
    for option, value in (("--template", template), ("--notes", notes_dir)):
        if value is not None and not Path(value).exists():
            fail_usage(f"{option} {value}: no such file or directory")
    checked = load_for_output(file, force)
    definition = checked.definition
    assert definition is not None  # load_for_output exits otherwise
    if severity is not None and severity not in definition.severities_by_id:
        known = ", ".join(s.id for s in definition.severities) or "none defined"
        fail_usage(f"--severity {severity}: no such severity in {file}; known: {known}")
    target = _target(output, definition.process.id)

    from ..layout import compute_layout
    from ..render.pptx import NotesError, TemplateError, build_deck

    layout = compute_layout(definition, direction=direction.upper(), severity=severity)
    try:
        deck = build_deck(
            definition,
            checked.findings,
            layout,
            severity=severity,
            template=Path(template) if template else None,
            notes_dir=Path(notes_dir) if notes_dir else None,
        )
    except (TemplateError, NotesError) as exc:
        fail_usage(str(exc))
    write_outputs({target: deck}, inputs=[file])


def _target(output: str | None, process_id: str) -> Path:
    """The deck's path: -o as given, inside -o when it is a directory, or <id>.pptx."""
    if output is None:
        return Path(f"{process_id}.pptx")
    path = Path(output)
    if path.is_dir() or output.endswith(("/", "\\")):
        path.mkdir(parents=True, exist_ok=True)
        return path / f"{process_id}.pptx"
    if path.suffix.lower() != ".pptx":
        fail_usage(f"-o {output}: a deck is written as .pptx (or give a directory)")
    if not path.parent.exists():
        fail_usage(f"-o {output}: directory {path.parent} does not exist")
    return path
