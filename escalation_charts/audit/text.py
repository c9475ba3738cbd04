"""How durations read in reports: days, hours and minutes (`10d`, `2h30m`), as people
write targets; the compact form's weeks (`1w3d`) are harder to compare at a glance."""

from __future__ import annotations

from escalation_charts.durations import Duration

__all__ = ["duration_text"]

_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))


def duration_text(duration: Duration | None, empty: str = "") -> str:
    """`0m`, `15m`, `2h30m`, `10d`; `empty` for None. Parses back with parse_duration."""
    if duration is None:
        return empty
    if duration.seconds == 0:
        return "0m"
    rest, parts = duration.seconds, []
    for unit, size in _UNITS:
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)
