"""The `escalation-charts` command line: a group whose commands load only when run.

Each command lives in its own module here, so `--help` imports nothing heavy (no Graphviz,
no python-pptx) and the tool starts fast.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import sys
from typing import Any, NoReturn

from escalation_charts.cli._process import DRAWING, head_start, whole_process

head_start()  # before click loads: a drawing command's Graphviz worker starts first

import click  # noqa: E402

__all__ = ["cli", "main"]

# name -> (module, one-line help shown in `--help` without importing the module)
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("validate", "Check definitions: soundness, matrix completeness, contacts."),
    "render": ("render", "Draw swim-lane flow charts (SVG, PNG, PDF, DOT)."),
    "matrix": ("matrix", "Write the escalation matrix (Markdown, CSV, HTML, SVG, PNG)."),
    "slides": ("slides", "Build an editable training deck (PPTX)."),
    "audit": ("audit", "Write the auditor's report (HTML, Markdown, JSON)."),
    "export": ("export", "Export to BPMN 2.0, draw.io or Mermaid."),
    "preview": ("preview", "Serve a local page that redraws chart and findings on every save."),
    "diff": ("diff", "Compare two versions of a process (files or git revisions)."),
    "import": ("import_", "Write a definition from a BPMN 2.0 or draw.io diagram."),
    "init": ("init", "Write a starter definition."),
    "schema": ("schema", "Print the JSON Schema of the definition format."),
}


class LazyGroup(click.Group):
    """A click group that imports a command's module only when that command runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, (module, _) in COMMANDS.items() if _available(module)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None or not _available(entry[0]):
            return None
        if cmd_name in DRAWING and not ctx.resilient_parsing:  # not for shell completion
            from escalation_charts.layout.engine import prepare

            prepare()
        module = importlib.import_module(f"{__name__}.{entry[0]}")
        command: click.Command = module.command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _available(module: str) -> bool:
    return importlib.util.find_spec(f"{__name__}.{module}") is not None


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Start with 'escalation-charts init -o process.yaml', then "
    "'escalation-charts validate process.yaml'. Exit codes: 0 ok, 1 the definition has "
    "errors, 2 usage or environment problem.",
)
@click.version_option(
    None, "-V", "--version", package_name="escalation-charts", prog_name="escalation-charts"
)
def cli() -> None:
    """Escalation processes as code: one YAML definition, checked and drawn.

    Describe who handles a ticket at each level, when it escalates and who is called, then
    validate it and turn it into swim-lane charts, a training deck, the escalation matrix
    and an audit report.
    """
    from escalation_charts.cli._common import set_quiet

    set_quiet(False)  # each command's own --quiet decides


def main(argv: list[str] | None = None) -> Any:
    """Run the CLI (the console script's entry point).

    Bad input is reported as findings or one usage line by the commands themselves; an
    exception reaching this point is a bug in escalation-charts. It is still one line and
    exit 2, not a traceback, unless ESCALATION_CHARTS_DEBUG is set (then it is re-raised,
    to be reported). Tests call `cli` directly, so they see every such exception.
    SIGINT and SIGTERM stop it with exit 130 and 143, temporary files removed (`_signals`).
    """
    from escalation_charts.cli import _signals

    _signals.install()
    try:
        if _signals.deferred():  # interrupted while loading: stop as a run interrupted now
            raise SystemExit(1)
        return cli.main(args=argv, prog_name="escalation-charts")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if _signals.exit_code(code) != code:
            click.echo("escalation-charts: interrupted; no partial output was left", err=True)
        code = _signals.exit_code(code)
        if argv is None and whole_process():  # nothing of this process runs after us
            _exit_now(code)
        sys.exit(code)
    except MemoryError:
        # not a bug but the environment (exit 2): a memory limit (`ulimit -v`, a container)
        # below what this input needs; the input's own limits are refused before this
        click.echo(
            "escalation-charts: out of memory: this input needs more than the memory limit "
            "this command runs under; raise the limit or split the process into smaller "
            "definitions. Nothing more was written.",
            err=True,
        )
        sys.exit(2)
    except Exception as exc:
        if os.environ.get("ESCALATION_CHARTS_DEBUG"):
            raise
        message = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        click.echo(
            f"escalation-charts: internal error: {message!r}; nothing more was written. "
            "Please report it with the input (ESCALATION_CHARTS_DEBUG=1 shows the traceback).",
            err=True,
        )
        sys.exit(2)


def _exit_now(code: object) -> NoReturn:
    """End the process as SystemExit(code) would, less the teardown.

    While SystemExit propagates, its traceback still holds the command's frames, so nothing
    has been freed yet; a normal exit would now free every object the command built, one by
    one (100k steps: ~0.3 s of a validate), for a process that is about to end. Output is
    flushed first, and the Graphviz worker (the one atexit handler of ours) is ended.
    """
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # what the interpreter does with SystemExit("message")
        print(code, file=sys.stderr)
        status = 1
    engine = sys.modules.get("escalation_charts.layout.engine")
    if engine is not None:  # end the Graphviz worker and wait for it, as atexit would
        engine._Worker.stop()
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with that descriptor closed (`>&-`)
            continue
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`| head`)
            stream.flush()
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
