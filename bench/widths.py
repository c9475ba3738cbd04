"""LR chart widths (PNG pixels, as written at the default 96 dpi) of every example and of
the generated 60- and 80-step definitions: where the compact layout stands against its
width target (issue 13: the examples together at most 3/4 of 11748 px).

    python bench/widths.py
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from escalation_charts.reading.loader import load_text  # noqa: E402
from escalation_charts.render.chart import render_chart  # noqa: E402
from tests.synth import incident_yaml, synthetic_yaml  # noqa: E402

BEFORE_COMPACT = 11748  # the examples' LR charts together before the compact layout


def width(text: str) -> tuple[int, int]:
    """(width, height) in pixels of the LR PNG of a definition."""
    loaded = load_text(text)
    assert loaded.definition is not None, loaded.findings
    with Image.open(io.BytesIO(render_chart(loaded.definition, "png"))) as image:
        return image.size


def main() -> None:
    total = 0
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        w, h = width(path.read_text(encoding="utf-8"))
        total += w
        print(f"{path.stem:22} {w:6} x {h}")
    print(f"{'examples together':22} {total:6}  ({total / BEFORE_COMPACT:.1%} of {BEFORE_COMPACT})")
    for name, text in (("synthetic-60", synthetic_yaml(60, 6)), ("incident-80", incident_yaml(80))):
        w, h = width(text)
        print(f"{name:22} {w:6} x {h}")


if __name__ == "__main__":
    main()
