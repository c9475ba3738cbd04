"""A cold command imports only what it runs (like click's own tests/test_imports.py).

Every pre-commit run, `--watch` save and CI job pays a command's start-up; `--help` and
`validate` must not load the drawing stack (Graphviz, python-pptx, Jinja2, lxml) nor,
for `--help`, the loader. Each case runs in a fresh interpreter and lists `sys.modules`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "examples" / "it-help-desk.yaml")

_PROBE = """
import json, sys
from escalation_charts.cli import cli
try:
    cli.main({argv!r}, prog_name="escalation-charts")
except SystemExit:
    pass
json.dump(sorted(sys.modules), sys.stderr)
"""

HEAVY = ("pygraphviz", "pptx", "jinja2", "lxml", "watchfiles", "multiprocessing")

# The package's own modules each command may load; anything else is a regression.
OWN = {
    "--help": {
        "escalation_charts",
        "escalation_charts._lazy",
        "escalation_charts.cli",
        "escalation_charts.cli._process",
    },
    "validate": {
        "escalation_charts",
        "escalation_charts._lazy",
        "escalation_charts.cli",
        "escalation_charts.cli._common",
        "escalation_charts.cli._config",
        "escalation_charts.cli._inputs",
        "escalation_charts.cli._process",
        "escalation_charts.cli.validate",
        "escalation_charts.durations",
        "escalation_charts.findings",
        "escalation_charts.frozen",
        "escalation_charts.reading",
        "escalation_charts.reading.compose",
        "escalation_charts.reading.fast",
        "escalation_charts.reading.loader",
        "escalation_charts.reading.schema",
        "escalation_charts.model",
        "escalation_charts.validate",
        "escalation_charts.validate._report",
        "escalation_charts.validate._tables",
        "escalation_charts.validate.flow",
        "escalation_charts.validate.graph",
        "escalation_charts.validate.matrix",
        "escalation_charts.validate.people",
        "escalation_charts.validate.structure",
        "escalation_charts.validate.timing",
    },
}


def _loaded(argv: list[str]) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(argv=argv)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    ("name", "argv"),
    [("--help", ["--help"]), ("validate", ["validate", EXAMPLE])],
    ids=["help", "validate"],
)
def test_command_imports_only_its_allow_list(name: str, argv: list[str]) -> None:
    loaded = _loaded(argv)
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY)
    assert not heavy, f"{name} imports {heavy}"
    own = sorted(m for m in loaded if m.split(".")[0] == "escalation_charts")
    extra = sorted(set(own) - OWN[name])
    assert not extra, f"{name} imports modules it does not need: {extra}"


def test_render_loads_graphviz_but_not_the_rest_of_the_drawing_stack(tmp_path: Path) -> None:
    # issue 18: a cold `render -f svg,png` is measured against bare pygraphviz; the deck,
    # the reports' templates, the interchange formats and pickle (the Graphviz worker
    # speaks marshal) are other commands' costs, and so is the large-file counter.
    # pygraphviz itself is loaded by the Graphviz worker while this process reads the
    # definition (layout.engine.prepare), never by the command's own process.
    loaded = _loaded(["render", EXAMPLE, "-f", "svg,png", "-o", str(tmp_path), "-q"])
    assert not sorted(m for m in loaded if m.split(".")[0] == "pygraphviz")
    unwanted = {"pptx", "jinja2", "lxml", "watchfiles", "multiprocessing", "pickle"}
    assert not sorted(m for m in loaded if m.split(".")[0] in unwanted)
    own = {m for m in loaded if m.startswith("escalation_charts.")}
    for module in ("reading.counting", "render.pdf", "export", "render.pptx", "audit", "diff"):
        assert f"escalation_charts.{module}" not in own, module
    assert (tmp_path / "it-help-desk-3-tier.png").exists()


def test_help_does_not_load_yaml_or_the_loader() -> None:
    loaded = _loaded(["--help"])
    assert "yaml" not in loaded
    assert "escalation_charts.reading.loader" not in loaded


def test_public_api_still_reachable_lazily() -> None:
    """`import escalation_charts` is cheap, and every name of `__all__` still resolves."""
    code = (
        "import sys, escalation_charts as e\n"
        "assert 'escalation_charts.reading.loader' not in sys.modules\n"
        "missing = [n for n in e.__all__ if getattr(e, n, None) is None]\n"
        "assert not missing, missing\n"
        "print(e.load.__module__)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "escalation_charts.reading.loader"
