"""`import` time on generated processes of 200, 1000 and 3000 steps, BPMN and draw.io.

Run: `python bench/import_.py [STEPS ...]`. Each size is exported first (that is setup,
not measured: Graphviz lays it out), then imported and written back as YAML; the figures
are wall time of reading the diagram into the model and of writing the YAML. Target
(issue 19): a 1000-step diagram imports in well under a second on a 2-core machine,
time growing about linearly with the diagram.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

from escalation_charts.export.bpmn import build_bpmn  # noqa: E402
from escalation_charts.export.drawio import build_drawio  # noqa: E402
from escalation_charts.layout.bands import compute_layout  # noqa: E402
from escalation_charts.reading.diagram import import_diagram  # noqa: E402
from escalation_charts.reading.loader import load_text  # noqa: E402
from escalation_charts.reading.yaml_out import definition_yaml  # noqa: E402
from tests.synth import synthetic_yaml  # noqa: E402


def measure(steps: int) -> list[dict[str, float | int | str]]:
    """Export a generated process of `steps` steps, then time importing each format."""
    definition = load_text(synthetic_yaml(steps, 6)).definition
    assert definition is not None
    layout = compute_layout(definition)
    rows = []
    for fmt, data in (
        ("bpmn", build_bpmn(definition, layout)),
        ("drawio", build_drawio(definition, layout)),
    ):
        started = time.perf_counter()
        imported, kind = import_diagram(data, f"bench.{fmt}")
        read_at = time.perf_counter()
        definition_yaml(imported.definition, f"bench.{fmt}", kind)
        done = time.perf_counter()
        assert imported.definition.steps == definition.steps
        rows.append(
            {
                "format": fmt,
                "steps": steps,
                "bytes": len(data),
                "read_s": round(read_at - started, 3),
                "yaml_s": round(done - read_at, 3),
            }
        )
    return rows


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [200, 1000, 3000]
    for size in sizes:
        for row in measure(size):
            print(json.dumps(row))


if __name__ == "__main__":
    main(sys.argv[1:])
