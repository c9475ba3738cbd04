"""Generated definitions of any size, shaped like real escalation processes.

Used by the layout/render tests and by `bench/render.py`: a customer lane, leveled lanes
climbed in order through `escalate` steps, decisions that close early or loop back, timer
edges limited to P1, notify arrows, and a complete matrix, so the result validates clean.
"""

from __future__ import annotations

__all__ = ["synthetic_yaml"]


def synthetic_yaml(steps: int = 60, lanes: int = 6, *, process_id: str | None = None) -> str:
    """A valid definition with `steps` steps (at least 6) spread over `lanes` lanes (>= 2)."""
    steps = max(steps, 6)
    levels = max(lanes - 1, 1)
    out = [
        "format: 1",
        "process:",
        f"  id: {process_id or f'synthetic-{steps}'}",
        f"  name: Synthetic process ({steps} steps, {lanes} lanes)",
        "  owner: Bench",
        '  version: "1"',
        "severities:",
        "  - {id: P1, name: Critical, respond: 15m, resolve: 30d}",
        "  - {id: P2, name: High, respond: 1h, resolve: 60d}",
        "lanes:",
        "  - {id: customer, name: Customer}",
    ]
    for level in range(1, levels + 1):
        external = ", external: true" if level == levels and levels > 1 else ""
        out.append(
            f"  - {{id: l{level}, name: Level {level} team, level: {level}{external}, contacts: "
            f"[{{name: Team {level} on call, role: primary, email: l{level}@example.com}}, "
            f"{{name: Team {level} lead, role: backup, email: l{level}-lead@example.com}}]}}"
        )
    middle = steps - 3  # start, confirmation-free chain, closed and closed-early
    lane_of = [1 + (i * levels) // middle for i in range(middle)]
    names = ["raise", *[f"s{i}" for i in range(middle)], "closed", "closed-early"]
    out.append("steps:")
    out.append("  - {id: raise, lane: customer, type: start, label: Raise a ticket, next: s0}")
    for i in range(middle):
        lane = f"l{lane_of[i]}"
        nxt = names[i + 2] if i + 1 < middle else "closed"
        label = f"Step {i} handles the ticket"
        if i + 1 < middle and lane_of[i + 1] != lane_of[i]:
            out.append(
                f"  - {{id: s{i}, lane: {lane}, type: escalate, label: Escalate to level "
                f"{lane_of[i + 1]}, next: {nxt}}}"
            )
        elif i % 9 == 8 and i >= 5:
            out.append(
                f"  - {{id: s{i}, lane: {lane}, type: decision, label: Needs another try?, "
                f"next: [{{when: retry, to: s{i - 5}}}, {{when: go on, to: {nxt}}}]}}"
            )
        elif i % 4 == 3:
            out.append(
                f"  - {{id: s{i}, lane: {lane}, type: decision, label: Fixed at step {i}?, "
                f"next: [{{when: 'yes', to: closed-early}}, {{when: 'no', to: {nxt}}}]}}"
            )
        elif i % 7 == 5 and i + 3 < middle:
            out.append(
                f"  - {{id: s{i}, lane: {lane}, label: {label}, notify: [customer], "
                f"next: [{{to: {nxt}}}, {{after: 1h, to: s{i + 3}, severities: [P1]}}]}}"
            )
        else:
            kind = "wait" if i % 11 == 10 else "task"
            out.append(f"  - {{id: s{i}, lane: {lane}, type: {kind}, label: {label}, next: {nxt}}}")
    out.append("  - {id: closed, lane: customer, type: resolution, label: Ticket closed}")
    out.append("  - {id: closed-early, lane: customer, type: resolution, label: Closed early}")
    out.append("matrix:")
    for sev in ("P1", "P2"):
        cells = ", ".join(f"l{level}: {level - 1}h" for level in range(1, levels + 1))
        out.append(f"  {sev}: {{{cells}}}")
    return "\n".join(out) + "\n"
