"""Load + validate time and peak memory on generated definitions of 1k, 10k and 100k steps.

Run: `make bench` or `python bench/validate.py [STEPS ...]`. Each size runs in a fresh
process so peak memory (ru_maxrss) belongs to that size alone, and PyYAML's own floor is
measured in another one: its whole node tree would otherwise be the peak. Target (issue 3):
100k steps in under 3 s on a 2-core machine, time growing about linearly.
"""

from __future__ import annotations

import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from generate import definition  # noqa: E402


def floor(path: str) -> dict[str, float]:
    """In this process: what PyYAML itself costs on `path`, the floor under `load`."""
    from yaml.cyaml import CParser

    class Bare(CParser):  # PyYAML's composer with nothing of ours: no resolving, no bounds
        resolve = descend_resolver = ascend_resolver = "".format

    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    cpu = time.process_time
    gc.disable()  # as load does: the collector would rescan the growing tree
    parse_at = cpu()
    CParser(text).raw_parse()  # libyaml's parse alone, in C: no Python object made
    floor_at = cpu()
    Bare(text).get_single_node()  # PyYAML's own node tree: load makes every one of its nodes
    return {"compose_cpu_s": cpu() - floor_at, "parse_cpu_s": floor_at - parse_at}


def measure(path: str) -> dict[str, float]:
    """In this process: load + validate `path`; wall and CPU time, and peak RSS."""
    import datetime as dt

    from escalation_charts.reading.loader import load
    from escalation_charts.validate import validate

    cpu = time.process_time
    cpu_at = cpu()
    started = time.perf_counter()
    loaded = load(path)
    loaded_at, load_cpu = time.perf_counter(), cpu()
    findings = validate(loaded.definition, today=dt.date(2026, 1, 1))
    done, done_cpu = time.perf_counter(), cpu()
    assert not loaded.findings and not findings, (loaded.findings[:3], findings[:3])
    d = loaded.definition
    return {
        "steps": len(d.steps),
        "edges": sum(len(s.next) for s in d.steps),
        "load_s": loaded_at - started,
        "validate_s": done - loaded_at,
        "total_s": done - started,
        "cpu_s": done_cpu - cpu_at,
        "load_cpu_s": load_cpu - cpu_at,
        "peak_mb": _peak_mb(),
    }


def _peak_mb() -> float:
    """This process's peak RSS. VmHWM where there is one: Linux keeps ru_maxrss across
    exec, so it could report the parent's peak (the parent holds every generated text)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(mode: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, mode, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def main(sizes: list[int]) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = Path(tmp) / f"bench-{size}.yaml"
            path.write_text(definition(size), encoding="utf-8")
            row = _child("--one", path) | _child("--floor", path)
            row["file_mb"] = path.stat().st_size / 1e6
            rows.append(row)
    print(
        f"{'steps':>8} {'edges':>8} {'file MB':>8} {'load s':>8} {'valid. s':>8} "
        f"{'total s':>8} {'CPU s':>6} {'load CPU':>8} {'yaml CPU':>8} {'libyaml':>8} "
        f"{'peak MB':>8} {'x time':>7}"
    )
    previous = None
    for row in rows:
        growth = f"{row['total_s'] / previous:7.1f}" if previous else "       "
        print(
            f"{row['steps']:>8} {row['edges']:>8} {row['file_mb']:>8.1f} {row['load_s']:>8.2f} "
            f"{row['validate_s']:>8.2f} {row['total_s']:>8.2f} {row['cpu_s']:>6.2f} "
            f"{row['load_cpu_s']:>8.2f} {row['compose_cpu_s']:>8.2f} {row['parse_cpu_s']:>8.2f} "
            f"{row['peak_mb']:>8.0f} "
            f"{growth}"
        )
        previous = row["total_s"]
    print(
        "CPU s: load + validate in process CPU time (steadier than wall time on a shared "
        "machine); yaml CPU: PyYAML composing the node tree alone (libyaml's parse and "
        "its Python nodes, in a process of its own), the floor under 'load', which makes "
        "the same nodes (and frees each step's as it goes); libyaml: the parse alone, in C; "
        "peak MB: load + validate; x time: total against the previous size"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(sys.argv[2])))
    elif sys.argv[1:2] == ["--floor"]:
        print(json.dumps(floor(sys.argv[2])))
    else:
        main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000])
