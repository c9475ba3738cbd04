"""`preview` in a real browser (headless Chromium through chromedriver): the page a
designer keeps open while editing.

One scenario, in the order a designer meets it: the chart comes with its lane and step
groups; a renamed step shows within 2 s, with the zoom and scroll position kept; a broken
save keeps the last good chart, dimmed, with the finding and its line; the fix brings it
back; clicking a finding highlights its step and example path; hovering a step tells its
id, lane and line; the severity selector redraws for one severity. Chromium's console must
stay empty throughout (a first test proves that the console log catches an error).
Needs `chromium`, `chromedriver` (Debian: chromium-driver) and selenium; skipped without
them, except in CI (CI set), where .ci/run installs them and a missing one fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from escalation_charts.reading.loader import load

from .fuzzing import CORPUS
from .previewing import HELP_DESK, Running, save, start, wait_for

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.slow


def _missing() -> str:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    if CHROMIUM is None or CHROMEDRIVER is None:
        return "chromium and chromedriver are not installed (Debian: chromium chromium-driver)"
    return ""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    why = _missing()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"{why}; .ci/run installs them")
        pytest.skip(f"{why}; .ci/run installs them")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_argument("--window-size=1400,1000")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def console(driver: Any) -> list[str]:
    """What the page logged since the last call (errors, warnings, CSP violations)."""
    return [entry["message"] for entry in driver.get_log("browser")]


def fresh(driver: Any) -> None:
    """Leave the last test's page (its server may be gone) and forget what it logged."""
    driver.get("about:blank")
    console(driver)


def wait(driver: Any, script: str, seconds: float = 10.0) -> Any:
    """Wait until the JavaScript expression `script` is truthy; its value."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, poll_frequency=0.05).until(
        lambda d: d.execute_script(f"return {script}")
    )


def js(driver: Any, script: str) -> Any:
    return driver.execute_script(f"return {script}")


def label_shown(text: str, step: str = "log") -> str:
    """A JavaScript expression: does step `step` show `text` (wrapped lines joined)?"""
    squashed = "".join(text.split())
    return (
        f"(document.getElementById('step-{step}')?.textContent || '')"
        f".replace(/\\s+/g, '').includes('{squashed}')"
    )


def ids(selector: str, field: str = "id") -> str:
    """A JavaScript expression: `field` of every element matching `selector`."""
    return f'[...document.querySelectorAll("{selector}")].map(e => e.{field})'


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Running]:
    source = tmp_path / "process.yaml"
    shutil.copy(HELP_DESK, source)
    running = start(source)
    yield running
    code, _, err = running.stop()
    assert code == 0 and "Traceback" not in err, err


def test_a_console_error_would_be_caught(browser: Any, tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><p>x</p><script>console.error("boom")</script>')
    browser.get(page.as_uri())
    assert any('"boom"' in line for line in console(browser))


def test_a_designer_edits_with_the_page_open(browser: Any, preview: Running) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    definition = load(HELP_DESK).definition
    assert definition is not None
    fresh(browser)
    browser.get(preview.url)
    wait(browser, "document.querySelector('#chart svg')")

    # the chart, with a group per lane and per step
    lanes = js(
        browser, "[...document.querySelectorAll('#chart g[id^=\"lane-\"].cluster')].map(g => g.id)"
    )
    steps = js(browser, "[...document.querySelectorAll('#chart g[id^=\"step-\"]')].map(g => g.id)")
    assert sorted(lanes) == sorted(f"lane-{lane.id}" for lane in definition.lanes)
    assert sorted(steps) == sorted(f"step-{step.id}" for step in definition.steps)
    assert js(browser, "document.querySelector('#chart svg').getBoundingClientRect().width") > 400

    # zoom to 100 % and scroll: a redraw keeps both
    browser.find_element(By.ID, "zoom-100").click()
    browser.execute_script("const c = document.getElementById('chart'); c.scrollLeft = 600;")
    left = js(browser, "document.getElementById('chart').scrollLeft")
    assert left > 0

    # rename a step: the new label shows within 2 s
    good = preview.source.read_text("utf-8")
    renamed = good.replace("Log ticket and set severity", "Log ticket then triage")
    save(preview.source, renamed)
    wait(browser, label_shown("then triage"), 2.0)
    assert js(browser, "document.getElementById('zoom-level').textContent") == "100%"
    assert js(browser, "document.getElementById('chart').scrollLeft") == left

    # break it: the finding with its line, over the last good chart, dimmed
    broken = renamed.replace("label: Log ticket then triage", "label: [unclosed", 1)
    save(preview.source, broken)
    wait(browser, "document.getElementById('chart-pane').classList.contains('stale')", 2.0)
    findings = browser.find_element(By.ID, "findings").text
    assert "syntax" in findings and "line 59" in findings
    assert js(browser, label_shown("then triage")), "the last good chart is gone"
    opacity = js(browser, "getComputedStyle(document.getElementById('step-log')).opacity")
    assert float(opacity) < 0.5, "the old chart is not dimmed"
    assert browser.find_element(By.ID, "banner").is_displayed()
    assert "last good chart" in browser.find_element(By.ID, "banner").text

    # fix it: the chart comes back, not dimmed
    save(preview.source, renamed.replace("then triage", "then sort"))
    wait(browser, label_shown("then sort"), 2.0)
    assert not js(browser, "document.getElementById('chart-pane').classList.contains('stale')")
    assert float(js(browser, "getComputedStyle(document.getElementById('step-log')).opacity")) == 1
    assert not browser.find_element(By.ID, "banner").is_displayed()

    # a dead end: click its finding, see the step and its example path highlighted
    dead_end = renamed.replace("label: Log ticket then triage, next: diagnose}", "label: Log}")
    assert dead_end != renamed
    save(preview.source, dead_end)
    wait(
        browser,
        f"{ids('#findings code.rule', 'textContent')}.includes('dead-end')",
        2.0,
    )
    item = next(
        li
        for li in browser.find_elements(By.CSS_SELECTOR, "#findings li.finding")
        if li.find_element(By.CSS_SELECTOR, "code.rule").text == "dead-end"
    )
    item.click()
    marked = js(browser, ids("#chart .hl"))
    assert {"step-log", "step-report", "edge-report-0"} <= set(marked), marked
    outline = "document.querySelector('#step-log > :is(path, polygon, ellipse)')"
    width = js(browser, f"getComputedStyle({outline}).strokeWidth")
    assert width == "4px", width
    faded = js(browser, "getComputedStyle(document.getElementById('step-diagnose')).opacity")
    assert float(faded) < 0.5, "the rest of the chart does not step back"
    lit = js(browser, "getComputedStyle(document.getElementById('step-log')).opacity")
    assert float(lit) == 1, "the highlight is dimmed with the old chart"

    # or draw this save anyway: its chart, not dimmed, the finding still pointing into it
    browser.find_element(By.ID, "draw-all").click()
    wait(browser, "document.getElementById('chart-pane').classList.contains('forced')", 5.0)
    assert not js(browser, label_shown("then triage")), "still the old chart"
    assert "render --force" in browser.find_element(By.ID, "banner").text
    assert (
        float(js(browser, "getComputedStyle(document.getElementById('step-diagnose')).opacity"))
        > 0.2
    )
    assert "step-log" in js(browser, ids("#chart .hl")), "the selection did not survive"
    browser.find_element(By.ID, "draw-all").click()
    wait(browser, "document.getElementById('chart-pane').classList.contains('stale')", 5.0)

    # clicking the step marks its findings in the list (the other way round)
    save(preview.source, renamed)
    wait(browser, "!document.getElementById('chart-pane').classList.contains('stale')", 2.0)
    ActionChains(browser).move_to_element(browser.find_element(By.ID, "step-log")).perform()
    tip = browser.find_element(By.ID, "tip")
    assert tip.is_displayed()
    for fact in ("log", "Help Desk Reps (Tier 1)", "process.yaml:59:5", "diagnose"):
        assert fact in tip.text, tip.text

    # one severity: the chart is redrawn for it
    Select(browser.find_element(By.ID, "severity")).select_by_value("P4")
    wait(browser, "document.getElementById('chart').dataset.key.endsWith(':P4')", 5.0)
    assert "drawn for severity P4" in js(
        browser, "document.querySelector('#chart svg desc').textContent"
    )

    assert console(browser) == []
    browser.get("about:blank")  # before the server stops: its page would log the lost stream


def corpus_chunks(limit: int = 90) -> list[str]:
    """The injection corpus joined into texts short enough for every field (a phone
    number may have 100 characters)."""
    chunks = [""]
    for text in CORPUS.values():
        if chunks[-1] and len(chunks[-1]) + 1 + len(text) > limit:
            chunks.append("")
        chunks[-1] = f"{chunks[-1]} {text}".strip()
    return chunks


def squashed(driver: Any, element_id: str) -> str:
    return "".join(js(driver, f"document.getElementById('{element_id}').textContent").split())


def test_hostile_labels_stay_text_in_the_page(browser: Any, tmp_path: Path) -> None:
    """The injection corpus in every text field, saved one part after another into one
    preview: no script runs (an alert would stop selenium), the CSP refuses nothing, and
    every payload shows as written in the chart, the matrix and the facts."""
    from .test_injection_corpus import definition

    source = tmp_path / "hostile.yaml"
    source.write_text(definition("plain text"), "utf-8")
    running = start(source)
    try:
        fresh(browser)
        browser.get(running.url)
        wait(browser, "document.querySelector('#chart svg')")
        for chunk in corpus_chunks():
            save(source, definition(chunk))
            text = "".join(chunk.split())
            assert wait_for(lambda t=text: t in squashed(browser, "facts"), 5.0), chunk
            # what a screen reader says for the step (the drawn lines may hyphenate a word)
            name = js(browser, "document.getElementById('step-check').getAttribute('aria-label')")
            assert text in "".join(name.split()), chunk
            assert text in squashed(browser, "matrix"), chunk
            assert js(browser, "document.querySelectorAll('script').length") == 1
        assert console(browser) == []
    finally:
        browser.get("about:blank")
        code, _, err = running.stop()
    assert code == 0, err
