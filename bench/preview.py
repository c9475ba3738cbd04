"""Save -> new chart in the page, for `preview` on the help-desk example (issue 21).

    python bench/preview.py [--repeat 15]

Runs `preview` as a user does and saves the example again and again with a step renamed.
Two figures per save, in seconds:

- `server`: from the write until the server's event stream announces the save, which it
  does once the new chart is drawn (the file watcher's debounce, reading, validating and
  drawing);
- `page`: from the write until the new SVG is in a real page's DOM (headless Chromium
  through chromedriver; a MutationObserver stamps the moment the label appears, so the
  polling interval does not count). Skipped without selenium, chromium and chromedriver.

Target: page under 0.3 s (median and 90th percentile). Saves alternate between two labels
and are spaced 0.4 s apart, as a designer's saves are.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from tests.previewing import HELP_DESK, Running, start  # noqa: E402

LABEL = "Log ticket and set severity"
TARGET = 0.3
TIMEOUT = 10.0  # a save that never shows is a failure, not a slow save
OBSERVER = """
window.__drawn = [];
new MutationObserver(() => {
  const step = document.getElementById('step-log');
  const text = step ? step.textContent.replace(/\s+/g, '') : '';  // wrapped lines joined
  window.__drawn.push([performance.timeOrigin + performance.now(), text]);
}).observe(document.getElementById('chart'), {childList: true});
"""


def labels(repeat: int) -> list[str]:
    # no comma: the label sits in a YAML flow mapping in the example
    return [f"Log ticket take {i}" for i in range(repeat)]


def server_latency(preview: Running, repeat: int) -> list[float]:
    """Write -> the event that announces the save (sent once its chart is drawn)."""
    text = HELP_DESK.read_text("utf-8")
    events = urllib.request.urlopen(preview.url + "events", timeout=TIMEOUT)
    out = []
    try:
        events.readline(), events.readline(), events.readline()  # the current version
        for label in labels(repeat):
            start_time = time.time()
            preview.source.write_text(text.replace(LABEL, label), "utf-8")
            while not events.readline().startswith(b"data:"):
                pass
            out.append(time.time() - start_time)
            chart = " ".join(preview.state()["chart"].split())
            assert label in chart, f"{label!r} announced but not drawn"
            time.sleep(0.4)
    finally:
        events.close()
    return out


def page_latency(preview: Running, repeat: int) -> list[float] | str:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return "selenium not installed"
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        return "chromium or chromedriver not installed"
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.get(preview.url)
        while not driver.execute_script("return document.querySelector('#chart svg')"):
            time.sleep(0.05)
        driver.execute_script(OBSERVER)
        text = HELP_DESK.read_text("utf-8")
        out = []
        for label in labels(repeat):
            start_time = time.time()
            preview.source.write_text(text.replace(LABEL, label + " page"), "utf-8")
            drawn = None
            while drawn is None:
                time.sleep(0.02)
                if time.time() - start_time > TIMEOUT:
                    raise SystemExit(f"the page did not show the label within {TIMEOUT} s")
                stamps = driver.execute_script("return window.__drawn")
                wanted = "".join(f"{label} page".split())
                drawn = next((t for t, shown in stamps if wanted in shown), None)
            out.append(drawn / 1000 - start_time)
            time.sleep(0.4)
        return out
    finally:
        driver.quit()


def describe(name: str, times: list[float] | str) -> str:
    if isinstance(times, str):
        return f"{name:7} skipped: {times}"
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    verdict = "ok" if p90 < TARGET else f"over the {TARGET} s target"
    return (
        f"{name:7} median {statistics.median(times):.3f} s  p90 {p90:.3f} s  "
        f"min {ordered[0]:.3f} s  max {ordered[-1]:.3f} s  ({len(times)} saves; {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "it-help-desk.yaml"
        shutil.copy(HELP_DESK, source)
        preview = start(source)
        try:
            time.sleep(1.0)  # the watcher is up
            server = server_latency(preview, repeat)
            page = page_latency(preview, repeat)
        finally:
            preview.stop()
    print(f"preview of {HELP_DESK.name}: save -> new chart")
    print(describe("server", server))
    print(describe("page", page))


if __name__ == "__main__":
    main()
