"""`matrix` and `audit` on many files: a directory gives one output set per definition,
-j 2 writes the same bytes as -j 1, a second run skips what is up to date, and the exit
code is the worst of the files' — an audit that fails is never skipped as up to date."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import DATA
from .synth import synthetic_yaml

Run = Callable[..., Result]
BROKEN = DATA / "audit" / "broken.yaml"  # process id broken-desk; 9 errors, 4 warnings


@pytest.fixture
def defs(tmp_path: Path) -> Path:
    """A folder with three small clean definitions."""
    folder = tmp_path / "defs"
    folder.mkdir()
    for i in range(3):
        (folder / f"p{i}.yaml").write_text(synthetic_yaml(8, 3, process_id=f"proc-{i}"))
    return folder


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """The output directory (outside the folder of definitions)."""
    return tmp_path / "out"


def files(folder: Path) -> dict[str, bytes]:
    """The outputs in a folder, without the batch's cache file."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name[0] != "."}


def test_matrix_of_a_directory_writes_each_definitions_matrix(
    run: Run, defs: Path, out: Path
) -> None:
    result = run("matrix", str(defs), "-f", "md,csv", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(files(out)) == [
        f"proc-{i}-{name}" for i in range(3) for name in ("contacts.csv", "matrix.csv", "matrix.md")
    ]
    assert "matrix: 3 files: 3 built, 0 up to date, 0 failed" in result.stdout
    assert "| `P1` Critical |" in files(out)["proc-1-matrix.md"].decode()


def test_matrix_in_two_processes_writes_the_same_bytes(
    run: Run, defs: Path, tmp_path: Path
) -> None:
    shutil.copy(BROKEN, defs / "broken.yaml")  # forced: its outputs are written too
    one = run("matrix", str(defs), "-f", "md,csv,svg", "--force", "-o", str(tmp_path / "j1"))
    two = run(
        "matrix", str(defs), "-f", "md,csv,svg", "--force", "-j", "2", "-o", str(tmp_path / "j2")
    )
    assert one.exit_code == two.exit_code == 0, two.stderr
    assert len(files(tmp_path / "j1")) == 16  # 4 definitions x md, csv, contacts csv, svg
    assert files(tmp_path / "j1") == files(tmp_path / "j2")
    assert one.stderr == two.stderr  # findings in input order either way


def test_matrix_second_run_is_up_to_date(run: Run, defs: Path, out: Path) -> None:
    run("matrix", str(defs), "-f", "md", "-o", str(out))
    before = {p: p.stat().st_mtime_ns for p in out.glob("*.md")}
    again = run("matrix", str(defs), "-f", "md", "-o", str(out))
    assert again.exit_code == 0
    assert "wrote " not in again.stdout
    assert "matrix: 3 files: 0 built, 3 up to date, 0 failed" in again.stdout
    assert {p: p.stat().st_mtime_ns for p in out.glob("*.md")} == before
    forced = run("matrix", str(defs), "-f", "md", "-o", str(out), "--force-all")
    assert forced.stdout.count("wrote ") == 3


def test_matrix_refuses_a_broken_file_and_writes_the_others(
    run: Run, defs: Path, out: Path
) -> None:
    shutil.copy(BROKEN, defs / "broken.yaml")
    for attempt in range(2):  # a refused file is not remembered as up to date
        result = run("matrix", str(defs), "-f", "md", "-o", str(out))
        assert result.exit_code == 1
        assert "error matrix-order" in result.stderr
        assert "broken.yaml: the definition has errors; nothing written" in result.stderr
        built = 3 if attempt == 0 else 0
        assert f"matrix: 4 files: {built} built, {3 - built} up to date, 1 failed" in result.stdout
    assert sorted(files(out)) == [f"proc-{i}-matrix.md" for i in range(3)]


def test_audit_of_a_directory_reports_on_every_file_and_fails_on_the_broken_one(
    run: Run, defs: Path, out: Path
) -> None:
    shutil.copy(BROKEN, defs / "broken.yaml")
    result = run("audit", str(defs), "-f", "json,md", "-o", str(out))
    assert result.exit_code == 1
    assert sorted(files(out)) == [
        f"{stem}-audit.{ext}"
        for stem in ("broken-desk", "proc-0", "proc-1", "proc-2")
        for ext in ("json", "md")
    ]
    assert f"{defs / 'broken.yaml'}: FAIL (9 errors, 4 warnings)" in result.stderr
    assert f"{defs / 'p0.yaml'}: PASS" in result.stderr
    # Every report was written; the broken one also failed.
    assert "audit: 4 files: 4 built, 0 up to date, 1 failed" in result.stdout


def test_a_failed_audit_is_never_skipped_as_up_to_date(run: Run, defs: Path, out: Path) -> None:
    shutil.copy(BROKEN, defs / "broken.yaml")
    run("audit", str(defs), "-f", "json", "-o", str(out))
    again = run("audit", str(defs), "-f", "json", "-o", str(out))
    assert again.exit_code == 1
    assert "FAIL (9 errors, 4 warnings)" in again.stderr
    assert "audit: 4 files: 1 built, 3 up to date, 1 failed" in again.stdout
    alone = [run("audit", str(BROKEN), "-f", "json", "-o", str(out)) for _ in range(2)]
    assert [r.exit_code for r in alone] == [1, 1]
    assert "up to date" not in alone[1].stdout


def test_audit_clean_batch_exits_0_and_strict_fails_on_warnings(
    run: Run, defs: Path, out: Path
) -> None:
    assert run("audit", str(defs), "-f", "json", "-o", str(out)).exit_code == 0
    again = run("audit", str(defs), "-f", "json", "-o", str(out))
    assert again.exit_code == 0
    assert "0 built, 3 up to date, 0 failed" in again.stdout
    # A warning passes the cached plain run but fails --strict, every time it is run.
    warned = defs / "p1.yaml"
    warned.write_text(
        warned.read_text().replace("role: backup, email: l1", "role: primary, email: l1")
    )
    plain = run("audit", str(defs), "-f", "json", "-o", str(out))
    assert plain.exit_code == 0 and "warning no-backup" in plain.stderr
    for _ in range(2):
        strict = run("audit", str(defs), "--strict", "-f", "json", "-o", str(out))
        assert strict.exit_code == 1
        assert "1 failed" in strict.stdout


def test_audit_is_redone_on_a_new_day(
    run: Run, defs: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("audit", str(defs), "-f", "json", "-o", str(out))
    monkeypatch.setenv("ESCALATION_CHARTS_TODAY", "2026-11-24")
    result = run("audit", str(defs), "-f", "json", "-o", str(out))
    assert "3 built, 0 up to date" in result.stdout
    assert '"audited": "2026-11-24"' in files(out)["proc-0-audit.json"].decode()


def test_audit_in_two_processes_writes_the_same_bytes(run: Run, defs: Path, tmp_path: Path) -> None:
    shutil.copy(BROKEN, defs / "broken.yaml")
    one = run("audit", str(defs), "-o", str(tmp_path / "j1"))
    two = run("audit", str(defs), "-j", "2", "-o", str(tmp_path / "j2"))
    assert one.exit_code == two.exit_code == 1
    assert len(files(tmp_path / "j1")) == 12
    assert files(tmp_path / "j1") == files(tmp_path / "j2")
    assert one.stderr == two.stderr
