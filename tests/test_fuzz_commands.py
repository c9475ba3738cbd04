"""Structure-aware fuzzing of every command and output format (issue 7).

Definitions are drawn from the declared format and broken on purpose (tests/fuzzing.py),
then run through each row of tests/hardening.py in-process. Whatever the input: exit 0, 1
or 2, a message for 1 and 2, never a traceback or a Python warning, no raw control
character printed, nothing written when the run fails, no temporary file, and every file
written parses as its format. The regular run is bounded; `bench/fuzz.py --examples N`
runs the same checks for as long as you like.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import DATA
from .fuzzing import fuzzed_files, many_lanes
from .hardening import OUTPUT_ROWS, ROWS, Row, available, check_run, run_row

# Inputs that once broke a command, each with a comment saying what it found.
FOUND = sorted((DATA / "fuzz").glob("*.yaml"))

FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


def _run(row: Row, data: bytes, force: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "fuzz.yaml"
        source.write_bytes(data)
        check_run(run_row(row, source, Path(tmp) / "out", force=force))


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_any_definition_through_every_command(row: Row) -> None:
    if not available(row.command):
        pytest.skip(f"'{row.command}' is not in this build yet")

    @FUZZ
    @given(data=fuzzed_files(), force=st.booleans())
    def fuzz(data: bytes, force: bool) -> None:
        _run(row, data, force)

    fuzz()


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
@pytest.mark.parametrize("source", FOUND, ids=lambda p: p.stem)
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_inputs_that_once_failed(row: Row, source: Path, force: bool, tmp_path: Path) -> None:
    if not available(row.command):
        pytest.skip(f"'{row.command}' is not in this build yet")
    check_run(run_row(row, source, tmp_path / "out", force=force))


@pytest.mark.slow
@pytest.mark.parametrize("row", OUTPUT_ROWS, ids=lambda r: r.id)
def test_thousands_of_lanes(row: Row, tmp_path: Path) -> None:
    if not available(row.command):
        pytest.skip(f"'{row.command}' is not in this build yet")
    # A deck has a slide per lane, and building one slows down with every slide it
    # already has (4 s for 250 lanes, 32 s for 1,000, 144 s for 2,000): 500 lanes here.
    count = 500 if row.command == "slides" else 2000
    source = tmp_path / "many.yaml"
    source.write_text(many_lanes(count), encoding="utf-8")
    check_run(run_row(row, source, tmp_path / "out", force=True))
