"""What the preview page is given after each save (`cli.preview.Preview`), in-process:
the last good chart kept through broken saves, findings pointing into the chart, and a
preview that survives anything the file or the renderer throws at it."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from escalation_charts.cli.preview import Preview
from escalation_charts.render.preview_page import page_html

from .previewing import HELP_DESK


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "process.yaml"
    shutil.copy(HELP_DESK, path)
    return path


def test_a_good_save_draws_its_chart(source: Path) -> None:
    preview = Preview(str(source))
    preview.update()
    state = preview.state({})
    assert state["stale"] is False and state["banner"] == ""
    assert 'id="step-log"' in state["chart"] and state["chart"].startswith("<svg")
    assert state["steps"]["log"]["lane"] == "Help Desk Reps (Tier 1)"
    assert state["steps"]["log"]["in"] == ["report"]


def test_errors_keep_the_last_good_chart_until_the_next_good_save(source: Path) -> None:
    preview = Preview(str(source))
    preview.update()
    good = source.read_text("utf-8")
    source.write_text(good.replace("next: diagnose}", "next: diagnosis}"), "utf-8")
    preview.update()
    state = preview.state({})
    assert state["stale"] is True and state["chart_key"] == "1:"
    assert "unknown-reference" in state["findings"] and state["status"]["kind"] == "error"
    source.write_text(good.replace("Log ticket", "Log a ticket"), "utf-8")
    preview.update()
    state = preview.state({})
    assert state["stale"] is False and state["chart_key"] == "3:"
    assert "Log a ticket" in state["chart"]


def test_no_good_save_yet_says_so(source: Path) -> None:
    source.write_text("process: [", "utf-8")
    preview = Preview(str(source))
    preview.update()
    state = preview.state({})
    assert state["chart"] == "" and "No chart yet" in state["banner"]
    assert "syntax" in state["findings"] and state["status"]["kind"] == "error"


def test_a_finding_points_at_its_step_and_the_edges_of_its_path(source: Path) -> None:
    preview = Preview(str(source))
    preview.update()
    good = source.read_text("utf-8")
    source.write_text(good.replace("Log ticket and set severity, next: diagnose}", "Log}"), "utf-8")
    preview.update()
    findings = preview.state({})["findings"]
    dead_end = next(li for li in findings.split("<li ")[1:] if "dead-end" in li)
    # the example path report -> log, on the last good chart (where both steps still are)
    assert 'data-steps="step-report step-log"' in dead_end
    assert 'data-edges="edge-report-0"' in dead_end


def test_a_renderer_failure_is_said_on_the_page(
    source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("Graphviz is gone")

    monkeypatch.setattr("escalation_charts.render.chart.render_chart", broken)
    preview = Preview(str(source))
    preview.update()
    state = preview.state({})
    assert state["chart"] == "" and "could not be drawn" in state["banner"]
    assert "Graphviz is gone" in state["banner"]


def test_an_internal_error_while_reading_is_said_and_survived(
    source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview = Preview(str(source))
    preview.update()

    def crash(*args: object, **kwargs: object) -> list[object]:
        raise KeyError("bug")

    monkeypatch.setattr("escalation_charts.validate.validate", crash)
    preview.update()
    state = preview.state({})
    assert state["status"]["kind"] == "error" and "internal error" in state["findings"]
    assert state["stale"] is True and 'id="step-log"' in state["chart"]


def test_a_vanished_file_is_said_and_its_return_redrawn(source: Path) -> None:
    preview = Preview(str(source))
    preview.update()
    text = source.read_text("utf-8")
    source.unlink()
    preview.update()
    assert "gone" in preview.state({})["findings"]
    source.write_text(text, "utf-8")
    preview.update()
    assert preview.state({})["stale"] is False


def test_severity_from_the_command_then_from_the_page(source: Path) -> None:
    preview = Preview(str(source), severity="P2")
    preview.update()
    assert preview.state({})["severity"] == "P2"
    assert preview.state({"severity": [""]})["severity"] is None
    assert preview.state({"severity": ["P4"]})["severity"] == "P4"
    assert preview.state({"severity": ["<P9>"]})["severity"] is None


def test_the_shell_carries_no_data_and_one_script_of_its_own() -> None:
    page = page_html().decode("utf-8")
    assert page.count("<script") == 1 and '<script src="/preview.js" defer></script>' in page
    assert "style=" not in page and "<style" not in page


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        ("next: ask-confirm}", "next: ask-confrim}", "unknown-reference"),
        ("label: Log ticket and set severity, next: diagnose}", "label: Log}", "dead-end"),
        ("{id: t2-fix,", "{id: log,", "duplicate-id"),
    ],
    ids=["unknown-reference", "dead-end", "duplicate-id"],
)
def test_draw_all_draws_a_save_with_errors_with_its_findings_pointing_into_it(
    source: Path, old: str, new: str, rule: str
) -> None:
    preview = Preview(str(source))
    preview.update()
    good = source.read_text("utf-8")
    assert old in good
    source.write_text(
        good.replace(old, new, 1).replace("Log ticket and set severity", "Log it"), "utf-8"
    )
    preview.update()
    kept = preview.state({})
    drawn = preview.state({"draw": ["all"]})
    assert kept["stale"] is True and "Log ticket and" in kept["chart"]
    assert drawn["stale"] is False and drawn["forced"] is True
    assert "Log it" in drawn["chart"] or "Log<" in drawn["chart"]
    assert "as render --force would" in drawn["banner"]
    assert rule in drawn["findings"] and drawn["chart_key"] == "2:"


def test_draw_all_changes_nothing_for_a_good_save_or_an_unreadable_one(source: Path) -> None:
    preview = Preview(str(source))
    preview.update()
    assert preview.state({"draw": ["all"]})["forced"] is False
    source.write_text("process: [", "utf-8")
    preview.update()
    state = preview.state({"draw": ["all"]})
    assert state["forced"] is False and state["stale"] is True  # nothing to draw but the old


def test_a_bug_while_answering_is_a_500_and_the_server_goes_on(
    source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import urllib.error
    import urllib.request

    from escalation_charts.cli._serve import PageServer
    from escalation_charts.cli.preview import routes

    preview = Preview(str(source))
    preview.update()
    server = PageServer(0, routes(preview), preview.events, {})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setattr(preview, "state", lambda query: 1 / 0)
        with pytest.raises(urllib.error.HTTPError) as failed:
            urllib.request.urlopen(server.url + "state.json", timeout=10)
        assert failed.value.code == 500
        failed.value.close()
        with urllib.request.urlopen(server.url, timeout=10) as page:
            assert page.status == 200
    finally:
        server.shutdown()
        server.server_close()


def test_the_project_rule_choices_apply_and_an_edit_of_them_is_seen(source: Path) -> None:
    # The same selection as validate (cli._config), re-read when the file changes.
    good = source.read_text("utf-8")
    source.write_text(good.replace("- {after: 1h, to: esc-t2, severities: [P2]}", ""), "utf-8")
    preview = Preview(str(source))
    preview.update()
    assert "matrix-untimed" in preview.state({})["findings"]
    config = source.parent / "escalation-charts.toml"
    config.write_text('ignore = ["matrix-untimed"]\n', "utf-8")
    preview.update()
    assert "matrix-untimed" not in preview.state({})["findings"]
    config.write_text('ignore = ["matrix-untimd"]\n', "utf-8")
    preview.update()
    state = preview.state({})
    assert "unknown rule &#39;matrix-untimd&#39;" in state["findings"]
    assert state["status"]["kind"] == "error"
