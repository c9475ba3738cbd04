"""Durations as written in definitions: compact (`2h30m`, `1d`, `1w`) or ISO 8601 (`PT15M`)."""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Duration", "parse_duration"]

_UNITS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}
# Written without weeks: targets are compared at a glance ("10d" against "14d", never
# "1w3d" against "2w"), and the deck, the chart, the matrix and the audit print the same.
_PRINTED = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_COMPACT = re.compile(r"(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
_ISO = re.compile(r"P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", re.IGNORECASE)
# Far beyond any escalation timer, but small enough that sums never lose precision.
_MAX_SECONDS = 10 * 365 * 86400


class Duration(NamedTuple):
    """A span of time in whole seconds; ordered, hashable, printed compactly.

    A NamedTuple, not a dataclass: every command that reads a definition builds this class
    at start-up, and a tuple's order, equality and hash are its one field's, made in C.
    """

    seconds: int

    def __str__(self) -> str:
        return self.compact()

    def compact(self) -> str:
        """The one printed form, everywhere (`0m`, `15m`, `2h30m`, `1d4h`, `10d`): days,
        hours, minutes, seconds; parses back with `parse_duration`."""
        if self.seconds == 0:
            return "0m"
        rest, parts = self.seconds, []
        for unit, size in _PRINTED.items():
            count, rest = divmod(rest, size)
            if count:
                parts.append(f"{count}{unit}")
        return "".join(parts)

    def iso(self) -> str:
        """The ISO 8601 form (`PT15M`, `P1DT4H`), as BPMN timers want it."""
        days, rest = divmod(self.seconds, 86400)
        hours, rest = divmod(rest, 3600)
        minutes, secs = divmod(rest, 60)
        time = "".join(f"{v}{u}" for v, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if v)
        out = f"P{days}D" if days else "P"
        if time:
            out += "T" + time
        return out if out != "P" else "PT0M"

    def __add__(self, other: Duration) -> Duration:
        return Duration(self.seconds + other.seconds)


def parse_duration(text: str) -> Duration:
    """Parse `15m`, `2h30m`, `1d`, `1w` or ISO 8601 `PT15M`/`P1D`; raise ValueError if not."""
    s = text.strip()
    groups = None
    if s[:1] in ("P", "p"):
        m = _ISO.fullmatch(s)
        if m and s.upper() not in ("P", "PT") and not s.upper().endswith("T"):
            groups = m.groups()
    elif s:
        m = _COMPACT.fullmatch(s)
        if m and any(m.groups()):
            groups = m.groups()
    if groups is None:
        raise ValueError(
            f"{text!r} is not a duration; write e.g. 0m, 15m, 1h, 2h30m, 1d, 1w or PT15M"
        )
    seconds = sum(int(g) * size for g, size in zip(groups, _UNITS.values(), strict=True) if g)
    if seconds > _MAX_SECONDS:
        raise ValueError(f"{text!r} is longer than ten years")
    return Duration(seconds)
