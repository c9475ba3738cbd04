"""How durations read in reports: `Duration.compact` (days, hours and minutes, `10d`,
`2h30m`), the one form the deck, the chart and the matrix print too."""

from __future__ import annotations

from escalation_charts.durations import Duration

__all__ = ["duration_text"]


def duration_text(duration: Duration | None, empty: str = "") -> str:
    """`0m`, `15m`, `2h30m`, `10d`; `empty` for None. Parses back with parse_duration."""
    return empty if duration is None else duration.compact()
