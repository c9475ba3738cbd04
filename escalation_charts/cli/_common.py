"""What every command shares: loading definitions, printing findings, output paths."""

from __future__ import annotations

import datetime as dt
import os
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple, NoReturn, TypeVar

import click

from escalation_charts.findings import Finding, has_errors
from escalation_charts.model import Definition
from escalation_charts.reading.loader import Loaded, NotAFile, load, load_stream

F = TypeVar("F", bound=Callable[..., Any])

STDIN = "-"  # a FILE argument that means standard input
STDIN_NAME = "<stdin>"  # how findings name it
STDOUT_DIR = Path("-")  # the output directory `-o -` stands for: standard output (_pipe)

__all__ = [
    "EXIT_ERRORS",
    "EXIT_OK",
    "EXIT_USAGE",
    "STDIN",
    "STDOUT_DIR",
    "Checked",
    "check_file",
    "definition_for_output",
    "fail_usage",
    "force_option",
    "format_finding",
    "formats_option",
    "is_quiet",
    "known_severity",
    "load_for_output",
    "output_dir",
    "output_option",
    "print_findings",
    "quiet_option",
    "say",
    "say_block",
    "set_quiet",
    "shown",
    "today",
    "write_outputs",
]

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class Checked(NamedTuple):
    """A loaded and validated file: the definition (if it could be built) and all findings."""

    path: str
    definition: Definition | None
    findings: tuple[Finding, ...]

    @property
    def has_errors(self) -> bool:
        return has_errors(self.findings)


def today() -> dt.date:
    """Today's date, or ESCALATION_CHARTS_TODAY (YYYY-MM-DD) for reproducible builds."""
    fixed = os.environ.get("ESCALATION_CHARTS_TODAY")
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            fail_usage(f"ESCALATION_CHARTS_TODAY={fixed!r} is not a date (YYYY-MM-DD)")
    return dt.date.today()


_quiet = False  # set by --quiet for the command being run; reset by the group


def set_quiet(value: bool) -> None:
    """With `--quiet`, progress lines ("wrote ...", "up to date") are not printed."""
    global _quiet
    _quiet = value


def is_quiet() -> bool:
    """Whether `--quiet` was given: progress on standard error (watching, changed) is left
    out too, not only the lines on standard output."""
    return _quiet


def quiet_option(command: F) -> F:
    """`-q/--quiet`: print only errors and findings (on standard error), no progress."""
    return click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=lambda ctx, param, value: set_quiet(value),
        help="Print nothing but errors and findings: no 'wrote ...' or summary lines.",
    )(command)


def say(text: str, err: bool = False, nl: bool = True) -> None:
    """Print one message with every control, format and line-break character spelt out
    (`\\n`, `\\x1b`, `\\u202e`): file names and replayed messages come from users, and a
    name like `\\x1b[2J.yaml` must not clear the screen, nor `a\\nb.yaml: valid` print a
    line of its own. Text made of several lines of our own goes through `say_block`."""
    if _quiet and not err:
        return
    click.echo(shown(text), err=err, nl=nl)


def say_block(text: str, err: bool = False, nl: bool = True) -> None:
    """Print text whose line breaks are this tool's own (a report, output replayed from a
    worker that already went through `say`): each line is `shown`, the breaks are kept."""
    if _quiet and not err:
        return
    click.echo("\n".join(map(shown, text.split("\n"))), err=err, nl=nl)


def shown(text: str) -> str:
    """User text as it may reach a terminal: on one line, nothing invisible or active.

    The one helper every path, id or label goes through before it is printed; applying
    it twice changes nothing (a backslash is kept as it is).
    """
    if text.isprintable():  # the common case: no character to look at
        return text
    return "".join(map(_spelt, text))


def _spelt(char: str) -> str:
    # Joiners stay: they only shape emoji and scripts; tabs cannot start a line. Every
    # other invisible character, and every line break (\n, \r, \x85, \u2028), is shown.
    if char in "\t\u200c\u200d" or unicodedata.category(char) not in _UNSAFE:
        return char
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


_UNSAFE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def fail_usage(message: str) -> NoReturn:
    """Stop with exit 2 and one clear line (usage or environment problem)."""
    say(f"escalation-charts: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def check_file(
    path: str, select: frozenset[str] | None = None, ignore: frozenset[str] | None = None
) -> Checked:
    """Load and validate one file; an unreadable file stops the run with exit 2.

    The findings are those the project reports (`cli._config`: its configuration, then
    `select`/`ignore` from the command line), at the levels it gives them.
    """
    from escalation_charts.cli._config import ConfigError, selection_for
    from escalation_charts.validate import validate

    try:
        if path == STDIN:
            loaded: Loaded = load_stream(sys.stdin.buffer, STDIN_NAME)
        else:
            loaded = load(path)
    except IsADirectoryError:
        fail_usage(f"{path}: is a directory, not a definition file")
    except FileNotFoundError:
        fail_usage(f"{path}: no such file")
    except NotAFile:
        fail_usage(
            f"{path}: is not a regular file (a FIFO, device or socket); give a definition "
            "file, or - for standard input"
        )
    except OSError as exc:
        fail_usage(f"{path}: cannot read: {exc.strerror or exc}")
    findings = loaded.findings
    if loaded.definition is not None:
        try:
            rules = selection_for(path).with_options(select, ignore)
        except ConfigError as exc:
            fail_usage(str(exc))
        findings = rules.apply(validate(loaded.definition, today=today()))
    name = STDIN_NAME if path == STDIN else path
    return Checked(name, loaded.definition, tuple(sorted(findings, key=Finding.sort_key)))


PATH_STEPS = 12  # an example path printed longer than this is shortened in its middle


def format_finding(f: Finding) -> str:
    """`file:line:col: level rule: message`, then indented context lines, like a compiler."""
    lines = [f"{shown(f.file)}:{f.pos.line}:{f.pos.column}: {f.level} {f.rule}: {shown(f.message)}"]
    if f.applies_to:
        lines.append(f"    applies to severity {shown(f.applies_to)}")
    if f.path:
        steps = [shown(step) for step in f.path]
        if len(steps) > PATH_STEPS:  # the JSON and SARIF keep every step
            left = len(steps) - PATH_STEPS + 1
            steps[PATH_STEPS // 2 : -(PATH_STEPS // 2 - 1) or None] = [f"... {left} more ..."]
        lines.append("    example path: " + " -> ".join(steps))
    return "\n".join(lines)  # print it with say_block: these breaks are ours


def print_findings(findings: Iterable[Finding], err: bool = True) -> None:
    for f in findings:
        say_block(format_finding(f), err=err)


def load_for_output(path: str, force: bool) -> Checked:
    """Load a file for a command that writes outputs: refuse errors unless --force (exit 1)."""
    checked = check_file(path)
    if checked.definition is None or (checked.has_errors and not force):
        print_findings(checked.findings)
        hint = "" if checked.definition is None else " (use --force to write outputs anyway)"
        say(f"{checked.path}: the definition has errors; nothing written{hint}", err=True)
        sys.exit(EXIT_ERRORS)
    print_findings(f for f in checked.findings)
    return checked


def definition_for_output(path: str, force: bool) -> Definition:
    """The definition behind `load_for_output`, for commands that need no findings."""
    definition = load_for_output(path, force).definition
    assert definition is not None  # load_for_output exits when there is none
    return definition


def known_severity(definition: Definition, severity: str | None, path: str) -> str | None:
    """`--severity` checked against the definition: exit 2 naming the known ones."""
    if severity is not None and severity not in definition.severities_by_id:
        known = ", ".join(s.id for s in definition.severities) or "none defined"
        fail_usage(f"{path}: unknown severity {severity!r} for --severity; known: {known}")
    return severity


def output_dir(path: str | None) -> Path:
    """The output directory, created if missing; exit 2 if it cannot be. `-` stands for
    standard output (see `_pipe`) and is returned as it is."""
    if path == STDIN:
        return STDOUT_DIR
    target = Path(path or ".")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail_usage(f"cannot create output directory {target}: {exc.strerror or exc}")
    if not target.is_dir():
        fail_usage(f"{target} is not a directory")
    if not os.access(target, os.W_OK):
        fail_usage(f"output directory {target} is not writable")
    return target


def write_outputs(
    outputs: dict[Path, bytes | str],
    inputs: Sequence[str] = (),
    *,
    err: bool = False,
    stats: dict[Path, os.stat_result] | None = None,
) -> None:
    """Write all outputs atomically, refusing to overwrite an input; print what was written
    (on stderr with `err`, when stdout carries a report). `stats` gets each file's stat as
    written (see `_write.write_all`)."""
    # imported here: tempfile and shutil cost every read-only command (validate) ~3 ms
    from escalation_charts.cli._write import OutputError, write_all

    sources = {Path(p).resolve() for p in inputs}
    for target in outputs:
        if target.resolve() in sources:
            fail_usage(f"refusing to overwrite the input file {target}")
    try:
        written = write_all(outputs, stats)
    except OutputError as exc:
        fail_usage(str(exc))
    for target in written:
        say(f"wrote {target}", err=err)


def parse_formats(value: str, allowed: Sequence[str]) -> list[str]:
    """Split `svg,png` into a list, refusing unknown formats with the allowed ones named."""
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in allowed]
    if unknown or not formats:
        raise click.BadParameter(
            f"unknown format {', '.join(unknown) or value!r}; choose from {', '.join(allowed)}"
        )
    return list(dict.fromkeys(formats))


def formats_option(allowed: Sequence[str], default: str) -> click.decorators.FC:  # type: ignore[name-defined]
    """`-f/--format a,b`: a comma-separated list of output formats."""
    return click.option(
        "-f",
        "--format",
        "formats",
        default=default,
        show_default=True,
        metavar="LIST",
        help=f"Comma-separated output formats: {', '.join(allowed)}.",
        callback=lambda ctx, param, value: parse_formats(value, allowed),
        shell_complete=lambda ctx, param, incomplete: complete_formats(incomplete, allowed),
    )


def complete_formats(incomplete: str, allowed: Sequence[str]) -> list[str]:
    """Shell completion for a comma-separated list: `svg,p<TAB>` offers `svg,png`, `svg,pdf`."""
    done, _, last = incomplete.rpartition(",")
    chosen = {f for f in done.split(",") if f}
    prefix = f"{done}," if done else ""
    return [prefix + f for f in allowed if f.startswith(last.lower()) and f not in chosen]


def output_option(naming: str) -> click.decorators.FC:  # type: ignore[name-defined]
    """`-o/--output DIR` for the commands that write one set of files per definition."""
    return click.option(
        "-o",
        "--output",
        "output",
        metavar="DIR",
        default=".",
        show_default=True,
        help=f"Directory for the files, named after each process id: {naming}; created if "
        "missing. '-' writes the one file (one definition, one format) to standard output.",
    )


force_option = click.option(
    "--force",
    is_flag=True,
    help="Write outputs even when the definition has errors (the findings are still printed).",
)
