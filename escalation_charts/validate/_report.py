"""A small helper the checks share to make findings that point into the definition."""

from __future__ import annotations

from escalation_charts.findings import Finding, Pos
from escalation_charts.model import Definition
from escalation_charts.reading.schema import suggest

__all__ = ["MAX_SUGGESTIONS", "Reporter"]

# difflib is linear in the number of ids; past this many unknown references (a file with
# thousands of typos is machine-made) the hints stop, the findings do not.
MAX_SUGGESTIONS = 50


class Reporter:
    """Builds findings for one definition, with "did you mean" hints for bad references."""

    def __init__(self, definition: Definition) -> None:
        self.file = definition.source
        self._hints = 0

    def finding(self, rule: str, message: str, pos: Pos, **extra: object) -> Finding:
        return Finding(rule, message, pos, self.file, **extra)  # type: ignore[arg-type]

    def hint(self, word: str, choices: list[str] | tuple[str, ...]) -> str:
        if self._hints >= MAX_SUGGESTIONS:
            return ""
        self._hints += 1
        return suggest(word, choices)
