"""The loader reads strictly and safely, and keeps the place of every value."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from escalation_charts import load, load_text
from escalation_charts.durations import Duration, parse_duration
from escalation_charts.model import StepType
from escalation_charts.reading.loader import MAX_FILE_BYTES, load_bytes
from escalation_charts.validate import validate

from .conftest import DATA

CLEAN = (DATA / "rules" / "clean.yaml").read_text(encoding="utf-8")


def _rules(loaded) -> list[str]:
    return [f.rule for f in loaded.findings]


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n", "Yes", "NO"])
def test_yaml_11_booleans_stay_the_strings_users_wrote(word: str) -> None:
    text = CLEAN.replace(
        "{id: fix, lane: t1, label: Fix, next: done}",
        f"{{id: fix, lane: t1, type: decision, label: Fixed?, next: [{{when: {word}, to: done}},"
        " {when: other, to: raise}]}",
    )
    loaded = load_text(text)
    assert loaded.findings == ()
    assert loaded.definition.steps_by_id["fix"].next[0].when == word


def test_numbers_and_dates_as_labels_stay_text() -> None:
    text = CLEAN.replace("label: Fix,", "label: 1.10,").replace("label: Done", "label: 2026-01-01")
    d = load_text(text).definition
    assert d.steps_by_id["fix"].label == "1.10"
    assert d.steps_by_id["done"].label == "2026-01-01"


def test_model_keeps_positions_and_types() -> None:
    d = load(DATA / "rules" / "clean.yaml").definition
    fix = d.steps_by_id["fix"]
    assert fix.type is StepType.TASK and fix.next[0].to == "done"
    assert fix.at("label").line == 16
    assert d.severities_by_id["P1"].resolve == Duration(4 * 3600)
    assert d.cell("P2", "t1").engage == Duration(0)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("0m", 0),
        ("15m", 900),
        ("2h30m", 9000),
        ("1d", 86400),
        ("1w", 604800),
        ("PT15M", 900),
        ("P1D", 86400),
        ("P1DT2H", 93600),
    ],
)
def test_durations_compact_and_iso(text: str, seconds: int) -> None:
    assert parse_duration(text).seconds == seconds


@pytest.mark.parametrize("text", ["", "15", "1 h", "h", "P", "PT", "-1h", "1h-", "1y"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_object_building_tags_are_refused() -> None:
    text = CLEAN.replace("name: Clean}", "name: !!python/object/apply:os.system [echo hi]}")
    loaded = load_text(text)
    assert loaded.definition is None
    assert _rules(loaded) == ["invalid-value"]
    assert "tag" in loaded.findings[0].message


def test_billion_laughs_is_refused_fast() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    started = time.perf_counter()
    loaded = load_text("\n".join(lines))
    elapsed = time.perf_counter() - started
    assert _rules(loaded) == ["syntax"]
    assert "alias" in loaded.findings[0].message
    assert elapsed < 1.0  # generous: the issue asks for "within a second"


def test_deep_nesting_is_a_finding_not_a_crash() -> None:
    loaded = load_text("process: " + "[" * 100_000)
    assert _rules(loaded) == ["syntax"]


def test_non_utf8_input_points_at_the_bad_byte() -> None:
    loaded = load_bytes(b"process:\n  name: caf\xe9\n", "latin1.yaml")
    (f,) = loaded.findings
    assert (f.rule, f.pos.line, f.pos.column) == ("syntax", 2, 12)
    assert "UTF-8" in f.message


def test_binary_input_is_a_finding() -> None:
    loaded = load_bytes(bytes(range(256)) * 4, "image.png")
    assert loaded.definition is None and _rules(loaded) == ["syntax"]


def test_oversized_file_is_refused_without_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    loaded = load(big)
    assert _rules(loaded) == ["syntax"]
    assert "MiB" in loaded.findings[0].message


def test_empty_file_says_what_to_do() -> None:
    loaded = load_text("")
    assert _rules(loaded) == ["invalid-value"]
    assert "init" in loaded.findings[0].message


def test_control_characters_are_refused() -> None:
    loaded = load_text(CLEAN.replace("label: Fix,", 'label: "Fix\\u0007",'))
    assert "invalid-value" in _rules(loaded)


@pytest.mark.parametrize("escape", ["\\uFFFE", "\\uFFFF"])
def test_noncharacters_xml_cannot_hold_are_refused(escape: str) -> None:
    # found by the fuzz suite: export crashed in lxml on a label holding U+FFFF
    loaded = load_text(CLEAN.replace("label: Fix,", f'label: "Fix{escape}",'))
    assert loaded.definition is None
    assert "noncharacter U+FFF" in loaded.findings[0].message


def test_flow_mapping_commas_split_a_label_as_yaml_says() -> None:
    # SPEC.md's example writes `label: Log, categorise and set severity` inside {…}: YAML reads
    # the commas as separators, so the user gets a clear unknown-field finding.
    text = CLEAN.replace("label: Fix,", "label: Log, categorise and set severity,")
    loaded = load_text(text)
    assert "unknown-field" in _rules(loaded)


def test_a_review_due_past_the_end_of_the_calendar_is_not_a_crash() -> None:
    # found by the fuzz suite: reviewed 9999-12-30 + 1w overflowed in validate and audit
    text = CLEAN.replace("name: Clean}", "name: Clean, reviewed: 9999-12-30, review_every: 1w}")
    definition = load_text(text).definition
    assert definition.process.review_due == dt.date.max
    assert validate(definition, today=dt.date(2026, 11, 23)) == []
