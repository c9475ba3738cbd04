"""The fast step builder gives exactly what the declared schema gives: values, types,
positions of every value, and the same findings when something is wrong."""

from __future__ import annotations

import dataclasses
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

from escalation_charts import load_text
from escalation_charts.reading.fast import Steps

from .conftest import DATA, EXAMPLES

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import definition

RULES = sorted((DATA / "rules").glob("*.yaml"))
CLEAN = (DATA / "rules" / "clean.yaml").read_text(encoding="utf-8")

# Variants the fast path must either build identically or hand to the schema.
VARIANTS = {
    "notify-scalar": ("next: done}", "next: done, notify: customer}"),
    "notify-list": ("next: done}", "next: done, notify: [customer, t1]}"),
    "notify-empty": ("next: done}", "next: done, notify: []}"),
    # a valid id is remembered; a plain null after the quoted id 'null' is still empty
    "notify-null-after-quoted": ("next: done}", "next: done, notify: ['null', null]}"),
    "edge-null-after-quoted": ("next: done}", "next: [{to: 'null'}, {to: null}]}"),
    "quoted": ("label: Fix,", "label: 'Fix it',"),
    "backslash": ("label: Fix,", 'label: "Fix \\u00e9",'),
    "control": ("label: Fix,", 'label: "Fix \\u0001",'),
    "null-label": ("label: Fix,", "label: null,"),
    "null-description": ("label: Fix,", "label: Fix, description: ~,"),
    "tagged": ("label: Fix,", "label: !!str Fix,"),
    "duplicate": ("label: Fix,", "label: Fix, label: Again,"),
    "unknown": ("label: Fix,", "label: Fix, lable: Again,"),
    "bad-type": ("label: Fix,", "label: Fix, type: tsk,"),
    "bad-id": ("{id: fix,", "{id: 'fi x',"),
    "empty-next": ("next: done}", "next: []}"),
    "edge-list": ("next: done}", "next: [{to: done, after: 2h, severities: [P1]}]}"),
    "edge-bad-after": ("next: done}", "next: [{to: done, after: soon}]}"),
    "edge-no-to": ("next: done}", "next: [{when: yes}]}"),
    "edge-empty-severities": ("next: done}", "next: [{to: done, severities: []}]}"),
}


def _deep(value: object) -> object:
    """Everything a model object holds, positions included (dataclass == ignores them)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = sorted(f.name for f in dataclasses.fields(value))
        return (type(value).__name__, {k: _deep(getattr(value, k)) for k in names})
    if isinstance(value, tuple | list):
        return [_deep(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _deep(v) for k, v in value.items()}
    return value


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    fast = load_text(text, "x.yaml")
    monkeypatch.setattr(Steps, "fast", False)
    slow = load_text(text, "x.yaml")
    monkeypatch.undo()
    return fast, slow


def _same(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both(text, monkeypatch)
    assert fast.findings == slow.findings  # type: ignore[attr-defined]
    assert _deep(fast.definition) == _deep(slow.definition)  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", EXAMPLES + RULES, ids=lambda p: p.name)
def test_examples_and_rule_files_build_the_same(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _same(path.read_text(encoding="utf-8"), monkeypatch)


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variants_build_or_fail_the_same(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = VARIANTS[name]
    assert old in CLEAN
    _same(CLEAN.replace(old, new, 1), monkeypatch)


def test_generated_definition_builds_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both(definition(300), monkeypatch)
    assert fast.definition is not None  # type: ignore[attr-defined]
    assert _deep(fast.definition) == _deep(slow.definition)  # type: ignore[attr-defined]


def test_fast_steps_are_still_frozen() -> None:
    step = load_text(definition(10)).definition.steps[1]  # type: ignore[union-attr]
    with pytest.raises(dataclasses.FrozenInstanceError):
        step.label = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        step.next[0].to = "s0"  # type: ignore[misc]


# -- steps built while composing (issue 18): each step's nodes are freed as it is built ----

_LATER_LANES = CLEAN.replace("lanes:\n", "old_lanes:\n")
# Documents where the hand-over must not happen, or must pick the right list: both paths
# read them alike, findings and positions included.
DOCUMENTS = {
    # the steps list reached again through an alias, after it was read
    "steps-aliased-as-lanes": _LATER_LANES.replace("steps:\n", "steps: &all\n") + "lanes: *all\n",
    "steps-written-twice": CLEAN + "steps:\n  - {id: a, lane: t1, label: A}\n  - {id: b}\n",
    "steps-key-tagged": CLEAN.replace("steps:\n", "!!str steps:\n"),
    "steps-list-tagged": CLEAN.replace("steps:\n", "steps: !!seq\n"),
    "steps-inside-a-lane": CLEAN.replace(
        "  - {id: customer, name: Customer}\n",
        "  - id: customer\n    name: Customer\n    steps:\n      - {id: a, lane: t1}\n"
        "      - {id: b, lane: t1}\n      - {id: c}\n",
    ),
    "steps-a-mapping": CLEAN.replace("steps:\n", "steps:\n  x: [{id: a}, {id: b}]\nold_steps:\n"),
    "root-a-list": "- steps:\n"
    + textwrap.indent(CLEAN.split("steps:\n")[1].split("matrix")[0], "  "),
    # text the shallowness proof cannot vouch for: the careful composer reads it
    "careful-composer": CLEAN + "# " + "[" * 100 + "\n",
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_documents_around_the_hand_over_read_the_same(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _same(DOCUMENTS[name], monkeypatch)


def _handed(text: str) -> tuple[list[str], list[object]]:
    """What `compose` hands to `take` (the ids) and what the steps list then holds."""
    from escalation_charts.reading.compose import compose

    handed: list[str] = []

    def take(node: object) -> str:
        handed.append(dict((k.value, v.value) for k, v in node.value)["id"])  # type: ignore[attr-defined]
        return handed[-1]

    root = compose(text, "steps", take)
    steps = dict((k.value, v) for k, v in root.value)["steps"]  # type: ignore[union-attr]
    return handed, [item if isinstance(item, str) else "node" for item in steps.value]


def test_each_step_but_the_last_is_handed_over_and_replaced() -> None:
    assert _handed(CLEAN) == (["raise", "fix"], ["raise", "fix", "node"])


@pytest.mark.parametrize("name", ["steps-aliased-as-lanes", "careful-composer"])
def test_no_hand_over_with_anchors_or_on_the_careful_composer(name: str) -> None:
    assert _handed(DOCUMENTS[name]) == ([], ["node", "node", "node"])


def test_the_ascii_shortcut_finds_every_control_character_the_pattern_does() -> None:
    from escalation_charts.reading.fast import clean_text
    from escalation_charts.reading.schema import _BAD_CHARS

    for code in [*range(128), 0x85, 0x9B, 0xE9, 0xFFFE]:
        text = f"a: b{chr(code)}c\n"
        assert clean_text(text) == ("\\" not in text and not _BAD_CHARS.search(text)), code
