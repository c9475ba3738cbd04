"""Regenerate the example charts shown in the README: `make charts` (or run this file).

Every example is drawn left to right (SVG and PNG), and the IT help desk also top to
bottom and for one severity in the print theme, and as the change chart of `diff` against
`it-help-desk-change.yaml` (an edited copy). `tests/test_render_docs.py` fails when a
committed SVG differs from what the code draws now, so run this after changing the look.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from escalation_charts.cli._write import write_all  # noqa: E402
from escalation_charts.diff import change_chart, compare  # noqa: E402
from escalation_charts.reading.loader import load  # noqa: E402
from escalation_charts.render.chart import render_charts  # noqa: E402

# (example, options, file stem)
CHARTS: list[tuple[str, dict[str, str], str]] = [
    *[(p.name, {}, p.stem) for p in sorted((ROOT / "examples").glob("*.yaml"))],
    ("it-help-desk.yaml", {"direction": "TB"}, "it-help-desk-TB"),
    (
        "four-level-matrix.yaml",
        {"severity": "sev1", "theme": "print"},
        "four-level-matrix-sev1-print",
    ),
]


def charts() -> dict[Path, bytes]:
    """Every chart file of the docs, by path."""
    out: dict[Path, bytes] = {}
    for example, options, stem in CHARTS:
        definition = load(ROOT / "examples" / example).definition
        assert definition is not None, example
        for fmt, data in render_charts(definition, ["svg", "png"], **options).items():
            out[HERE / f"{stem}.{fmt}"] = data
    old = load(ROOT / "examples" / "it-help-desk.yaml").definition
    new = load(HERE / "it-help-desk-change.yaml").definition
    assert old is not None and new is not None
    change = compare(old, new, old_name="examples/it-help-desk.yaml", new_name="change.yaml")
    for fmt in ("svg", "png"):
        out[HERE / f"it-help-desk-diff.{fmt}"] = change_chart(change, fmt)
    return out


if __name__ == "__main__":
    for path in write_all(charts()):
        print(f"wrote {path.relative_to(ROOT)}")
