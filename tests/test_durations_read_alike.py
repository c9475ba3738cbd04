"""One duration, one spelling: the deck, the matrix, the chart and the audit all print a
10-day target as `10d` (the definition's own way of writing it), never `1w3d`."""

from __future__ import annotations

import re
from pathlib import Path

from escalation_charts.durations import Duration, parse_duration

from .conftest import EXAMPLES
from .test_slides_support import read_deck

HELP_DESK = next(p for p in EXAMPLES if p.stem == "it-help-desk")  # P4 resolves in 10d
WEEKS = re.compile(r"\b\d+w(\d|\b)")


def test_durations_print_in_days_hours_and_minutes_and_parse_back() -> None:
    for text, seconds in (("10d", 864000), ("14d", 1209600), ("1d4h", 100800), ("2h30m", 9000)):
        assert Duration(seconds).compact() == text
        assert parse_duration(text).seconds == seconds
    assert parse_duration("1w3d").compact() == "10d"  # weeks are read, never written


def _deck_text(path: Path) -> str:
    prs = read_deck(path.read_bytes())
    parts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def test_deck_matrix_chart_and_audit_write_10d(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    deck = tmp_path / "deck.pptx"
    assert run("slides", str(HELP_DESK), "-o", str(deck)).exit_code == 0
    assert run("matrix", str(HELP_DESK), "-f", "md", "-o", str(tmp_path)).exit_code == 0
    assert run("render", str(HELP_DESK), "-f", "svg", "-o", str(tmp_path)).exit_code == 0
    assert run("audit", str(HELP_DESK), "-f", "md", "-o", str(tmp_path)).exit_code == 0
    texts = {"deck": _deck_text(deck)}
    for output in tmp_path.iterdir():
        if output.suffix in (".md", ".svg"):
            texts[output.name] = output.read_text(encoding="utf-8")
    assert len(texts) >= 4, sorted(texts)
    for name, text in texts.items():
        assert not WEEKS.search(text), (name, WEEKS.search(text))
    assert "10d" in texts["deck"]
