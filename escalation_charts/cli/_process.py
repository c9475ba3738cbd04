"""The process a command runs in: whether it is this tool's own, and the head start a
drawing command gets in it before click is even imported."""

from __future__ import annotations

import os
import sys

__all__ = ["DRAWING", "head_start", "whole_process"]

# Commands that always draw with Graphviz: the worker starts before their module and the
# definition are loaded, so pygraphviz, fontconfig and cairo are warm by the first drawing
# call (`layout.engine.prepare`; killed, not waited for, when nothing is drawn: `--help`,
# a usage error, outputs up to date).
DRAWING = frozenset({"render", "slides"})


def whole_process() -> bool:
    """True when the command is the whole process: the console script, or `python -m
    escalation_charts`, and not a caller's code that runs us (runpy, an embedding) and
    goes on after we return."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None:  # python -m: runpy made our __main__ the process's main module
        return bool(spec.name == "escalation_charts.__main__")
    script = os.path.basename(getattr(main, "__file__", None) or "")
    return script.startswith("escalation-charts")  # the console script (-script.py on Windows)


def head_start() -> None:
    """Start the Graphviz worker now, when this process is the tool's own command and its
    first argument names a drawing command.

    Called before click is imported: the worker's own start-up (Python, pygraphviz,
    fontconfig: ~60 ms) was what a cold render's first layout waited for, and click's import
    (~20 ms) came before the command lookup that starts it otherwise. A guess from the raw
    arguments is enough: the lookup starts the worker anyway when an option comes first, and
    a worker started for nothing (`render --help`) is killed at exit, not waited for.
    """
    if len(sys.argv) > 1 and sys.argv[1] in DRAWING and whole_process():
        from escalation_charts.cli import _signals
        from escalation_charts.layout.engine import prepare

        _signals.defer()  # Ctrl-C from here on still ends in exit 130, not a traceback
        prepare()  # never raises: a worker it cannot start is reported by the first drawing
