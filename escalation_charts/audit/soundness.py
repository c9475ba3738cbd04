"""Per-severity soundness: does every path a ticket of this severity can take end in a
resolution? The verdict comes from the validator's findings (the rules of SPEC.md); the
reach facts beside it come from the same flow graph the validator walks."""

from __future__ import annotations

from dataclasses import dataclass

from escalation_charts.findings import Finding
from escalation_charts.model import Definition, Severity
from escalation_charts.validate.graph import FlowGraph

__all__ = ["SOUNDNESS_RULES", "SeveritySoundness", "severity_soundness"]

# The rules that together say "every path ends in a resolution" (SPEC.md, Validation rules).
SOUNDNESS_RULES = frozenset({"no-start", "unreachable", "dead-end", "no-exit-loop"})


@dataclass(frozen=True)
class SeveritySoundness:
    """One severity: sound or not, the findings that say why, and what its tickets reach."""

    severity: Severity
    findings: tuple[Finding, ...]
    reached: int
    total: int
    resolutions: tuple[str, ...]

    @property
    def sound(self) -> bool:
        return not self.findings

    def to_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity.id,
            "sound": self.sound,
            "steps_reached": self.reached,
            "steps": self.total,
            "resolutions_reached": list(self.resolutions),
            "findings": [_ref(f) for f in self.findings],
        }


def _ref(f: Finding) -> dict[str, object]:
    out: dict[str, object] = {"rule": f.rule, "line": f.pos.line, "column": f.pos.column}
    if f.step is not None:
        out["step"] = f.step
    return out


def severity_soundness(
    definition: Definition, findings: tuple[Finding, ...]
) -> tuple[SeveritySoundness, ...]:
    """Soundness of each severity, most severe first.

    A soundness finding without `applies_to` holds for every severity (for `unreachable`,
    a step no severity reaches makes the whole flow unsound).
    """
    graph = FlowGraph(definition)
    out = []
    for sev in definition.severities:
        own = tuple(
            f for f in findings if f.rule in SOUNDNESS_RULES and f.applies_to in (None, sev.id)
        )
        walk = graph.for_severity(sev.id)
        reached = [i for i in range(len(graph.ids)) if walk.reached(i)]
        resolutions = tuple(graph.ids[i] for i in reached if graph.is_resolution[i])
        out.append(SeveritySoundness(sev, own, len(reached), len(graph.ids), resolutions))
    return tuple(out)
