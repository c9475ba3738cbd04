"""The up-to-date cache says "up to date" only when the file on disk is the one this input
and these options built (issue 16, break 9).

An entry is keyed by the input's resolved path, its content and the options, and holds
the identity of each file it wrote: another input writing the same name, another batch
with other options, or a hand edit makes it stale. Saving merges into the cache file under
a `flock` on the output directory, so two concurrent batches keep each other's entries.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from escalation_charts.cli._batch import _Cache

from .conftest import ROOT
from .synth import synthetic_yaml

Run = Callable[..., Result]
N = 30  # files per folder in the concurrent test


def mermaid(run: Run, *args: str) -> Result:
    result = run("export", "-f", "mermaid", *args)
    assert result.exit_code == 0, result.output
    return result


def test_same_name_from_another_input_is_not_up_to_date(run: Run, tmp_path: Path) -> None:
    """a/p.yaml, then b/p.yaml (same process id) into one folder, then a/p.yaml again."""
    for folder, steps in (("a", 8), ("b", 12)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "p.yaml").write_text(synthetic_yaml(steps, 3, process_id="same"))
    out = tmp_path / "out"
    mermaid(run, str(tmp_path / "a" / "p.yaml"), "-o", str(out))
    from_a = (out / "same.mmd").read_bytes()
    mermaid(run, str(tmp_path / "b" / "p.yaml"), "-o", str(out))
    assert (out / "same.mmd").read_bytes() != from_a
    again = mermaid(run, str(tmp_path / "a" / "p.yaml"), "-o", str(out))
    assert "up to date" not in again.stdout
    assert (out / "same.mmd").read_bytes() == from_a
    still = mermaid(run, str(tmp_path / "a" / "p.yaml"), "-o", str(out))
    assert "up to date" in still.stdout  # and now it is


def test_other_options_in_between_are_not_up_to_date(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "p.yaml"
    source.write_text(synthetic_yaml(8, 3, process_id="p"))
    out = tmp_path / "out"
    mermaid(run, str(source), "-o", str(out), "--direction", "TB")
    tb = (out / "p.mmd").read_bytes()
    mermaid(run, str(source), "-o", str(out))
    again = mermaid(run, str(source), "-o", str(out), "--direction", "TB")
    assert "up to date" not in again.stdout and (out / "p.mmd").read_bytes() == tb


def test_an_output_replaced_by_hand_is_rebuilt(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "p.yaml"
    source.write_text(synthetic_yaml(8, 3, process_id="p"))
    out = tmp_path / "out"
    mermaid(run, str(source), "-o", str(out))
    built = (out / "p.mmd").read_bytes()
    (out / "p.mmd").write_bytes(b"flowchart LR\n  edited\n")
    again = mermaid(run, str(source), "-o", str(out))
    assert "up to date" not in again.stdout and (out / "p.mmd").read_bytes() == built


def test_saving_merges_with_what_another_batch_saved(tmp_path: Path) -> None:
    """Two batches loaded the same (empty) cache; each saves its own entry: both stay."""
    for name in ("x.mmd", "y.mmd"):
        (tmp_path / name).write_text(name)
    first, second = _Cache.load(tmp_path), _Cache.load(tmp_path)
    first.record("export", "x.yaml", "kx", {"x.mmd": (tmp_path / "x.mmd").stat()})
    second.record("export", "y.yaml", "ky", {"y.mmd": (tmp_path / "y.mmd").stat()})
    first.save()
    second.save()
    merged = _Cache.load(tmp_path)
    assert merged.is_fresh("export", "x.yaml", "kx") and merged.is_fresh("export", "y.yaml", "ky")
    second.forget("export", "y.yaml")
    second.save()
    left = _Cache.load(tmp_path)
    assert left.is_fresh("export", "x.yaml", "kx") and not left.is_fresh("export", "y.yaml", "ky")


def test_saving_waits_for_the_directory_lock(tmp_path: Path) -> None:
    (tmp_path / "x.mmd").write_text("x")
    cache = _Cache.load(tmp_path)
    cache.record("export", "x.yaml", "kx", {"x.mmd": (tmp_path / "x.mmd").stat()})
    fd = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another batch is saving
    saver = threading.Thread(target=cache.save)
    saver.start()
    time.sleep(0.3)
    assert saver.is_alive() and not _Cache.load(tmp_path).entries
    os.close(fd)
    saver.join(timeout=10)
    assert not saver.is_alive()
    assert _Cache.load(tmp_path).is_fresh("export", "x.yaml", "kx")


def _export(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "escalation_charts", "export", "-f", "mermaid", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_concurrent_batches_into_one_folder(tmp_path: Path) -> None:
    """A TB batch and an LR batch of the same files (and each of its own) at once: after
    both, a run of either rebuilds what the other overwrote and skips nothing wrongly, and
    neither batch's own entries are lost."""
    shared, only_tb, only_lr = (tmp_path / d for d in ("shared", "tb", "lr"))
    for folder in (shared, only_tb, only_lr):
        folder.mkdir()
        for i in range(N):
            pid = f"{folder.name}-{i}"
            (folder / f"p{i}.yaml").write_text(synthetic_yaml(8, 3, process_id=pid))
    # Enough files that each batch runs for seconds: both read the cache before either saves.
    runs = [
        _export("shared", "tb", "--direction", "TB", "-o", "out", cwd=tmp_path),
        _export("shared", "lr", "--direction", "LR", "-o", "out", cwd=tmp_path),
    ]
    for proc in runs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    tb = _export("shared", "tb", "--direction", "TB", "-o", "out", cwd=tmp_path)
    tb_out, _ = tb.communicate(timeout=120)
    assert tb.returncode == 0
    for i in range(N):  # whatever the LR batch left, the TB run now holds TB files
        assert "flowchart TB" in (tmp_path / "out" / f"shared-{i}.mmd").read_text()
        assert f"out/tb-{i}.mmd" not in tb_out  # its own files were up to date
    lr = _export("lr", "--direction", "LR", "-o", "out", cwd=tmp_path)
    lr_out, _ = lr.communicate(timeout=120)
    assert f"0 built, {N} up to date" in lr_out  # the LR batch's entries survived the TB saves
