"""Reading back what `export` wrote: its ids, edge labels, lane titles and notify notes.

A diagram exported by this tool says which export made it (`exporter="escalation-charts"`
in BPMN, `host="escalation-charts"` in draw.io). Then its element ids carry the model's
ids (`Step_fix-t1`, `lane-tier1`), an edge label is `edge_label`'s text (`yes (P1)`,
`after 2h (P1, P2)`), an external lane's title ends in ` (external)` and a notify note
lists lane names: reading those back gives the same model, which is the round trip.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from escalation_charts.durations import Duration, parse_duration
from escalation_charts.ids import xml_model_id

__all__ = [
    "EXPORTER",
    "NOTIFY_WORD",
    "Label",
    "lane_title",
    "model_id",
    "notify_lanes",
    "parse_label",
]

EXPORTER = "escalation-charts"
NOTIFY_WORD = "notify"  # the label of a notify arrow (export._text.NOTIFY_LABEL)
_SEVERITIES = re.compile(
    r"(?:^| )\(([A-Za-z0-9][A-Za-z0-9_.-]*(?:, [A-Za-z0-9][A-Za-z0-9_.-]*)*)\)$"
)
_AFTER = re.compile(r"(?:^|, )after ([0-9wdhms]+|P[0-9WDTHMS]+)$")
_EXTERNAL = " (external)"
_NOTIFY = "Notify: "

Label = tuple[str | None, Duration | None, tuple[str, ...] | None]


def model_id(xml_id: str | None, prefix: str) -> str | None:
    """`Step_1st.line` -> `1st.line` (undoing `ids.xml_id`); None when the id does not
    start with `prefix`. Only elements of that kind are asked, so `Step_a__b` is step
    `a__b`: an edge index is only ever on flows."""
    return xml_model_id(xml_id, prefix.removesuffix("_"))


def parse_label(text: str | None, severities_too: bool = True) -> Label:
    """`no, after 2h (P1, P2)` -> (`no`, 2h, (P1, P2)): `export._text.edge_label` undone.

    Without `severities_too` (a diagram someone drew) a `(...)` stays part of the text.
    """
    if not text:
        return None, None, None
    severities = None
    match = _SEVERITIES.search(text) if severities_too else None
    if match:
        severities = tuple(match.group(1).split(", "))
        text = text[: match.start()]
    after = None
    timer = _AFTER.search(text)
    if timer:
        try:
            after = parse_duration(timer.group(1))
        except ValueError:
            after = None
        else:
            text = text[: timer.start()]
    return (text or None), after, severities


def lane_title(title: str) -> tuple[str, bool]:
    """`Vendor (external)` -> (`Vendor`, True)."""
    if title.endswith(_EXTERNAL) and len(title) > len(_EXTERNAL):
        return title[: -len(_EXTERNAL)], True
    return title, False


def notify_lanes(text: str, names: Sequence[tuple[str, str]]) -> list[str] | None:
    """The lane keys a `Notify: A, B` note names, given (key, name) pairs; None when the
    text is not such a note. Names may hold `, ` themselves, so every split is tried."""
    if not text.startswith(_NOTIFY):
        return None
    rest = text[len(_NOTIFY) :]

    def split(at: int) -> list[str] | None:
        if at == len(rest):
            return []
        for key, name in names:
            end = at + len(name)
            if (
                name
                and rest.startswith(name, at)
                and (end == len(rest) or rest.startswith(", ", end))
            ):
                tail = split(end if end == len(rest) else end + 2)
                if tail is not None:
                    return [key, *tail]
        return None

    return split(0)
