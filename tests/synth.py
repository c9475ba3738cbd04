"""Generated definitions of any size, shaped like real escalation processes.

Used by the layout/render tests and by `bench/render.py`: a customer lane, leveled lanes
climbed in order through `escalate` steps, decisions that close early or loop back, timer
edges limited to P1, notify arrows, and a complete matrix, so the result validates clean.
"""

from __future__ import annotations

__all__ = ["incident_yaml", "synthetic_yaml"]


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
    # Every level engaged at once: the generated flow escalates by decisions only, and a
    # matrix time above 0m would want a timer that enforces it (`matrix-untimed`).
    for sev in ("P1", "P2"):
        cells = ", ".join(f"l{level}: 0m" for level in range(1, levels + 1))
        out.append(f"  {sev}: {{{cells}}}")
    return "\n".join(out) + "\n"


_INCIDENT_LANES = (
    ("customer", "Customer", None),
    ("desk", "Service desk", 1),
    ("oncall", "On-call engineer", 2),
    ("commander", "Incident commander", 3),
    ("engmgr", "Engineering manager", 4),
    ("vendor", "Cloud provider support", 5),
)


def incident_yaml(steps: int = 80, *, process_id: str | None = None) -> str:
    """A major-incident process over six lanes, shaped unlike `synthetic_yaml`: rounds of
    diagnose / mitigated? / escalate that climb the levels and hand back down, decisions
    whose branches both leave for other lanes, two timers between the same two steps
    (one per severity), long labels with long words ("engineering manager"), steps that
    notify two lanes, and loops back to earlier lanes. For the legibility suite: the layout
    was never tuned on it."""
    steps = max(steps, 12)
    out = [
        "format: 1",
        "process:",
        f"  id: {process_id or f'incident-{steps}'}",
        f"  name: Major incident ({steps} steps)",
        "  owner: Site reliability",
        '  version: "4"',
        "severities:",
        "  - {id: SEV1, name: Outage, respond: 5m, resolve: 30d}",
        "  - {id: SEV2, name: Degraded, respond: 15m, resolve: 60d}",
        "  - {id: SEV3, name: Minor, respond: 1h, resolve: 90d}",
        "lanes:",
    ]
    for lane_id, name, level in _INCIDENT_LANES:
        extra = ""
        if level is not None:
            extra = (
                f", level: {level}, contacts: [{{name: {name} on call, role: primary, "
                f"email: {lane_id}@example.com}}, {{name: {name} deputy, role: backup, "
                f"email: {lane_id}-2@example.com}}]"
            )
        if lane_id == "vendor":
            extra += ", external: true"
        out.append(f"  - {{id: {lane_id}, name: {name}{extra}}}")
    out.append("steps:")
    body: list[str] = []
    count = 0
    rounds = 0
    levels = [1, 2, 3, 4, 5, 4, 3, 2]
    first = "r0-diagnose"
    body.append(
        f"  - {{id: report, lane: customer, type: start, label: Report an outage, next: {first}}}"
    )
    count = 3  # report, resolved, comms-closed
    while True:
        lane = _INCIDENT_LANES[levels[rounds % len(levels)]][0]
        nxt_lane = _INCIDENT_LANES[levels[(rounds + 1) % len(levels)]][0]
        nxt_name = _INCIDENT_LANES[levels[(rounds + 1) % len(levels)]][1].lower()
        r = f"r{rounds}"
        last = count + 9 > steps  # the next round (5 steps) and a last one (4) would not fit
        after = f"r{rounds + 1}-diagnose"
        if last:
            after = "pad-0" if count + 4 < steps else "resolved"
        notify = "[customer, desk]" if lane not in ("desk", "customer") else "[customer]"
        body.append(
            f"  - {{id: {r}-diagnose, lane: {lane}, label: Diagnose the impact and collect "
            f"the logs, notify: {notify}, next: [{{to: {r}-mitigated}}, "
            f"{{after: 30m, to: {r}-escalate, severities: [SEV1]}}, "
            f"{{after: 2h, to: {r}-escalate, severities: [SEV2]}}]}}"
        )
        back = f"r{rounds - 1}-diagnose" if rounds else "report"
        body.append(
            f"  - {{id: {r}-mitigated, lane: {lane}, type: decision, label: Mitigated?, "
            f"next: [{{when: 'yes', to: {r}-confirm}}, {{when: 'no', to: {r}-escalate}}, "
            f"{{when: needs more information from the reporter, to: {back}}}]}}"
        )
        body.append(
            f"  - {{id: {r}-confirm, lane: customer, label: Confirm the service works "
            f"again, next: resolved}}"
        )
        body.append(
            f"  - {{id: {r}-escalate, lane: {lane}, type: escalate, label: Escalate to "
            f"{nxt_name}, next: {after if last else f'r{rounds + 1}-wait'}}}"
        )
        count += 4
        if last:
            break
        body.append(
            f"  - {{id: r{rounds + 1}-wait, lane: {nxt_lane}, type: wait, label: Wait for the "
            f"handover call, next: [{{to: {after}}}, {{after: 1h, to: {after}, "
            f"severities: [SEV3]}}]}}"
        )
        count += 1
        rounds += 1
    pads = steps - count
    for i in range(pads):
        nxt = f"pad-{i + 1}" if i + 1 < pads else "resolved"
        body.append(f"  - {{id: pad-{i}, lane: desk, label: Update the status page, next: {nxt}}}")
    body.append(
        "  - {id: resolved, lane: desk, label: Write the post-incident review, next: comms-closed}"
    )
    body.append("  - {id: comms-closed, lane: customer, type: resolution, label: Incident closed}")
    out += body
    out.append("matrix:")
    for sev, first_h in (("SEV1", 0), ("SEV2", 1), ("SEV3", 2)):
        cells = ", ".join(
            f"{lane_id}: {first_h + level - 1}h"
            for lane_id, _, level in _INCIDENT_LANES
            if level is not None
        )
        out.append(f"  {sev}: {{{cells}}}")
    return "\n".join(out) + "\n"
