"""Generate large, valid definitions for benchmarks: N steps over 6 lanes and 4 severities.

The flow is a chain of blocks (task -> decision -> escalate -> ...), with back edges, timer
edges limited to some severities, and notify lists: about 1.5 edges per step, like real
processes. The output validates clean, so the benchmark measures the full check.
"""

from __future__ import annotations

import sys

__all__ = ["definition"]

LANES = ("customer", "t1", "t2", "t3", "mgmt", "vendor")


def definition(steps: int) -> str:
    """YAML text of a sound definition with about `steps` steps."""
    out = [
        "format: 1",
        f"process: {{id: bench-{steps}, name: Benchmark {steps} steps, owner: Bench}}",
        "severities:",
        "  - {id: P1, name: Critical, respond: 15m, resolve: 4h}",
        "  - {id: P2, name: High, respond: 1h, resolve: 8h}",
        "  - {id: P3, name: Medium, respond: 4h, resolve: 3d}",
        "  - {id: P4, name: Low, respond: 1d, resolve: 2w}",
        "lanes:",
        "  - {id: customer, name: Customer}",
    ]
    for level, lane in enumerate(LANES[1:], start=1):
        out += [
            f"  - id: {lane}",
            f"    name: Level {level}",
            f"    level: {level}",
            "    contacts:",
            f"      - {{name: {lane} on call, role: primary, email: {lane}@example.com}}",
            f"      - {{name: {lane} lead, role: backup, phone: '+1 555 01{level:02d}'}}",
        ]
    out += ["steps:", "  - {id: s0, lane: customer, type: start, label: Raise, next: s1}"]
    i = 1
    while i < steps - 2:
        lane = LANES[1 + (i // 4) % (len(LANES) - 1)]
        kind = i % 4
        nxt = f"s{i + 1}"
        if kind == 0:
            out.append(f"  - {{id: s{i}, lane: {lane}, label: Work on step {i}, next: {nxt}}}")
        elif kind == 1:
            out.append(
                f"  - {{id: s{i}, lane: {lane}, type: decision, label: Solved at {i}?, next: "
                f"[{{when: yes, to: done}}, {{when: no, to: {nxt}}}, "
                f"{{when: retry, to: s{max(1, i - 3)}}}]}}"
            )
        elif kind == 2:
            out.append(
                f"  - {{id: s{i}, lane: {lane}, label: Investigate {i}, notify: [customer], "
                f"next: [{{to: {nxt}}}, {{after: 2h, to: s{i + 1}, severities: [P1, P2]}}, "
                # the lower severities wait longer; every level is still timer-driven
                f"{{after: 4h, to: s{i + 1}, severities: [P3, P4]}}]}}"
            )
        else:
            out.append(
                f"  - {{id: s{i}, lane: {lane}, type: escalate, label: Hand over {i}, next: {nxt}}}"
            )
        i += 1
    out.append(f"  - {{id: s{i}, lane: t1, label: Final check, next: done}}")
    out.append("  - {id: done, lane: customer, type: resolution, label: Closed}")
    out.append("matrix:")
    for sev, base in (("P1", 0), ("P2", 1), ("P3", 2), ("P4", 3)):
        cells = ", ".join(f"{lane}: {base * 15 + n * 30}m" for n, lane in enumerate(LANES[1:]))
        out.append(f"  {sev}: {{{cells}}}")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(definition(int(sys.argv[1]) if len(sys.argv) > 1 else 100))
