"""When Graphviz ends the process (out of memory, a crash), the user gets one line and
exit 2, never a silent exit 1 (issue 16 #2: under `ulimit -v` a valid definition exited 1
with no message, which CI reads as "the definition has errors")."""

from __future__ import annotations

import os
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from escalation_charts.layout import engine

from .conftest import ROOT
from .synth import synthetic_yaml

pytestmark = pytest.mark.skipif(
    not hasattr(os, "posix_spawn") or not hasattr(os, "fork"), reason="Graphviz runs in-process"
)


def _dies(message: bytes, code: int) -> None:
    os.write(2, message)
    os._exit(code)  # what Graphviz's graphviz_exit() does after "out of memory"


def _kill(signal: int) -> None:
    os.kill(os.getpid(), signal)


def test_an_exit_inside_graphviz_becomes_graphviz_stopped_with_its_words() -> None:
    with pytest.raises(
        engine.GraphvizStopped, match="out of memory when trying to allocate 240 bytes"
    ):
        engine._isolated(
            partial(
                _dies,
                b"Fontconfig warning: x\nout of memory when trying to allocate 240 bytes\n",
                1,
            )
        )


def test_a_kill_inside_graphviz_is_named() -> None:
    import signal

    with pytest.raises(engine.GraphvizStopped, match="killed by signal 9"):
        engine._isolated(partial(_kill, int(signal.SIGKILL)))


def test_results_and_warnings_come_back_from_the_child() -> None:
    laid = engine.lay_out('digraph { a -> b [id="e1"] }', "dot")
    assert set(laid.nodes) == {"a", "b"} and "e1" in laid.edges
    with pytest.raises(engine.GraphvizError, match="could not read"):
        engine.lay_out("digraph { a -> }", "dot")


def _capped(limit: int):
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


@pytest.mark.parametrize("args", [["render", "-f", "png"]])
def test_under_a_memory_limit_a_valid_definition_fails_in_one_line(
    args: list[str], tmp_path: Path
) -> None:
    source = tmp_path / "big.yaml"
    source.write_text(synthetic_yaml(200, 6), encoding="utf-8")
    failed = []
    for mb in (250, 300):
        argv = [args[0], str(source), *args[1:], "-o", f"{tmp_path}/out/"]
        argv += ["--force-all"] if args[0] == "render" else []
        done = subprocess.run(
            [sys.executable, "-m", "escalation_charts", *argv],
            capture_output=True,
            text=True,
            timeout=300,
            preexec_fn=_capped(mb * 1024 * 1024),
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=False,
        )
        assert done.returncode in (0, 2), (mb, done.returncode, done.stderr[-500:])
        if done.returncode == 2:
            # the generated process's own warnings (matrix-untimed) come first, as findings
            said = done.stderr.splitlines()
            lines = [x for x in said if ": warning " not in x and not x.startswith(" ")]
            assert len(lines) == 1, lines
            assert "memory" in lines[0] or "map segment" in lines[0], lines
            assert "internal error" not in lines[0]
            failed.append(mb)
    assert failed, "no limit made Graphviz fail; lower the limits"


def test_one_worker_draws_a_whole_chart_and_a_dead_one_is_replaced(monkeypatch) -> None:
    # issue 18: a child per Graphviz call started fontconfig, Pango and cairo four times
    # for one chart (two layout passes, SVG, PNG); a cold render spent twice as long in
    # Graphviz as the same calls in one process.
    from escalation_charts.reading.loader import load
    from escalation_charts.render.chart import render_charts

    forks = []
    real_spawn = os.posix_spawn

    def counted_spawn(*args, **kwargs) -> int:
        pid = real_spawn(*args, **kwargs)
        forks.append(pid)
        return pid

    engine._Worker.stop()
    monkeypatch.setattr(os, "posix_spawn", counted_spawn)
    definition = load(ROOT / "examples" / "it-help-desk.yaml").definition
    drawn = render_charts(definition, ["svg", "png"])
    assert drawn["png"].startswith(b"\x89PNG") and b"<svg" in drawn["svg"]
    assert len(forks) == 1, forks
    with pytest.raises(engine.GraphvizStopped, match="killed by signal 9"):
        engine._isolated(partial(_kill, 9))
    assert engine.lay_out("digraph { a -> b }", "dot").nodes.keys() == {"a", "b"}
    assert len(forks) == 2  # a fresh worker after the first one died


def test_a_forked_process_does_not_share_its_parents_worker() -> None:
    engine.lay_out("digraph { a }", "dot")  # this process now has a worker
    parent_worker = engine._Worker._current.pid
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # like a `-j N` batch process: it must start its own worker
        try:
            engine.lay_out("digraph { b }", "dot")
            os.write(writer, str(engine._Worker._current.pid).encode())
        finally:
            os._exit(0)
    os.close(writer)
    child_worker = int(os.read(reader, 100) or 0)
    os.waitpid(pid, 0)
    assert child_worker and child_worker != parent_worker
    assert engine.lay_out("digraph { c }", "dot").nodes.keys() == {"c"}  # still ours


def _session_members(sid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid:  # field 6 of stat: the session id
                members.append(int(entry.name))
    return members


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_console_script_leaves_no_graphviz_worker_behind(tmp_path: Path) -> None:
    # The worker lives as long as the command; a CI runner or a container that waits for
    # every process of a job must not find it still there when the command has exited.
    script = Path(sys.executable).with_name("escalation-charts")
    if not script.exists():
        pytest.skip("console script not installed")
    source = str(ROOT / "examples" / "it-help-desk.yaml")
    done = subprocess.Popen(
        [str(script), "render", source, "-f", "svg,png", "-o", str(tmp_path), "-q"],
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.wait(timeout=120) == 0
    assert _session_members(done.pid) == []
    assert (tmp_path / "it-help-desk-3-tier.png").exists()


# -- the worker's head start (issue 18) ---------------------------------------------------


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_prepared_worker_draws_the_same_chart_and_owes_no_reply() -> None:
    from escalation_charts.reading.loader import load
    from escalation_charts.render.chart import render_charts

    definition = load(ROOT / "examples" / "it-help-desk.yaml").definition
    engine._Worker.stop()
    cold = render_charts(definition, ["svg", "png"])
    engine._Worker.stop()
    engine.prepare()
    worker = engine._Worker._current
    assert worker is not None and worker.pending == 1
    warm = render_charts(definition, ["svg", "png"])
    assert warm == cold
    assert engine._Worker._current is worker and worker.pending == 0  # the warm-up was read
    engine.prepare()  # a worker that has drawn is warm already: nothing more is posted
    assert worker.pending == 0


def test_a_worker_still_warming_is_killed_not_waited_for() -> None:
    engine._Worker.stop()
    engine.prepare()
    pid = engine._Worker._current.pid
    engine._Worker.stop()  # the command ended without drawing (up to date, invalid input)
    assert not _alive(pid)


def test_a_failing_warm_up_leaves_the_real_call_to_report(monkeypatch) -> None:
    engine._Worker.stop()
    monkeypatch.setattr(engine, "_WARM_DOT", "digraph { a -> }")  # Graphviz refuses it
    engine.prepare()
    assert engine.lay_out("digraph { a -> b }", "dot").nodes.keys() == {"a", "b"}
    with pytest.raises(engine.GraphvizError, match="could not read"):
        engine.lay_out("digraph { a -> }", "dot")


def test_the_warm_up_uses_the_charts_fonts() -> None:
    from escalation_charts.layout import bands

    assert f'"{bands.FONT}"' in engine._WARM_DOT and f'"{bands.BOLD_FONT}"' in engine._WARM_DOT


def test_a_render_with_nothing_to_draw_leaves_no_worker_behind(tmp_path: Path) -> None:
    # `render` starts its worker as the command is looked up; when every output is up to
    # date nothing is drawn, and the warming worker is ended with the command
    script = Path(sys.executable).with_name("escalation-charts")
    if not script.exists() or not Path("/proc/self/stat").exists():
        pytest.skip("console script not installed, or no /proc")
    source = str(ROOT / "examples" / "it-help-desk.yaml")
    argv = [str(script), "render", source, "-f", "svg", "-o", str(tmp_path), "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    assert subprocess.run(argv, env=env, check=False).returncode == 0
    again = subprocess.Popen(argv, start_new_session=True, env=env, stdout=subprocess.PIPE)
    again.communicate(timeout=120)
    assert again.returncode == 0
    assert _session_members(again.pid) == []


def test_graphvizs_words_are_kept_where_memory_files_do_not_exist(monkeypatch) -> None:
    # the worker's stderr is a memfd on Linux, a temporary file elsewhere: both keep it
    engine._Worker.stop()
    monkeypatch.delattr(os, "memfd_create", raising=False)
    with pytest.raises(engine.GraphvizStopped, match="out of memory when trying"):
        engine._isolated(partial(_dies, b"out of memory when trying to allocate 8 bytes\n", 1))
    engine._Worker.stop()


@pytest.mark.parametrize("closed", [(0,), (0, 1)], ids=["stdin", "stdin-stdout"])
def test_a_command_run_with_standard_streams_closed_still_draws(
    closed: tuple[int, ...], tmp_path: Path
) -> None:
    # the worker's pipes and its errors file then take the lowest free numbers, 0 or 1;
    # none may end up as the worker's own standard streams
    source = str(ROOT / "examples" / "it-help-desk.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "escalation_charts", "render", source, "-f", "png", "-o",
         str(tmp_path), "-q"],
        preexec_fn=lambda: [os.close(fd) for fd in closed],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "it-help-desk-3-tier.png").read_bytes().startswith(b"\x89PNG")


def test_threads_take_turns_with_the_one_worker() -> None:
    # preview draws from its watch thread while HTTP threads serve; one pipe carries one
    # conversation at a time, so each thread gets its own graph back
    from concurrent.futures import ThreadPoolExecutor

    def laid(n: int) -> set[str]:
        return set(engine.lay_out(f"digraph {{ a{n} -> b{n} }}", "dot").nodes)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(laid, range(24)))
    assert results == [{f"a{n}", f"b{n}"} for n in range(24)]


_SPAWNS = """
import os, sys
started = []  # for each worker spawned: was click loaded by then?
real = os.posix_spawn
def spawn(*args, **kwargs):
    started.append("click" in sys.modules)
    return real(*args, **kwargs)
os.posix_spawn = spawn
import escalation_charts.cli
print(started)
"""


@pytest.mark.parametrize(
    ("script", "argv", "started"),
    [
        ("escalation-charts", ["render", "x.yaml"], "[False]"),  # before click loads
        ("escalation-charts", ["slides", "x.yaml"], "[False]"),
        ("escalation-charts", ["validate", "x.yaml"], "[]"),  # draws nothing
        ("escalation-charts", ["--quiet", "render"], "[]"),  # left to the command lookup
        ("embedding.py", ["render", "x.yaml"], "[]"),  # not our process: no side effect
    ],
)
def test_a_drawing_command_starts_graphviz_before_click_loads(
    tmp_path: Path, script: str, argv: list[str], started: str
) -> None:
    """The worker's start-up (~60 ms) was what a cold render's first layout waited for;
    started before click's import (~20 ms), it is ready about when the layout is."""
    probe = tmp_path / script
    probe.write_text(_SPAWNS, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(probe), *argv], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == started


_LOADING = """
import os, signal, sys
import escalation_charts.cli as cli  # render: the worker is started here, signals deferred
os.kill(os.getpid(), signal.{name})  # lands while the command is still loading
cli.main()
"""


@pytest.mark.parametrize(("name", "code"), [("SIGINT", 130), ("SIGTERM", 143)])
def test_a_signal_while_a_drawing_command_loads_exits_as_interrupted(
    tmp_path: Path, name: str, code: int
) -> None:
    probe = tmp_path / "escalation-charts"
    probe.write_text(_LOADING.format(name=name), encoding="utf-8")
    source = str(ROOT / "examples" / "it-help-desk.yaml")
    proc = subprocess.Popen(
        [sys.executable, str(probe), "render", source, "-f", "svg", "-o", str(tmp_path / "o")],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert "interrupted" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()  # stopped before anything was drawn
    assert _session_members(proc.pid) == []  # the warming worker did not outlive it


_NO_SPAWN = """
import errno, os
def spawn(*args, **kwargs):
    raise OSError(errno.EAGAIN, "Resource temporarily unavailable")
os.posix_spawn = spawn  # as under a process limit (ulimit -u) or out of descriptors
import escalation_charts.cli as cli
cli.main()
"""


def test_a_worker_that_cannot_start_is_one_line_and_exit_2(tmp_path: Path) -> None:
    probe = tmp_path / "escalation-charts"
    probe.write_text(_NO_SPAWN, encoding="utf-8")
    source = str(ROOT / "examples" / "it-help-desk.yaml")
    done = subprocess.run(
        [sys.executable, str(probe), "render", source, "-f", "svg", "-o", str(tmp_path / "o")],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "cannot start Graphviz's process: Resource temporarily unavailable" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())
