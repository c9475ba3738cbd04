"""bpmn-js (the modeler inside bpmn.io and Camunda Modeler) reading our BPMN in Chromium.

`import_bpmn` opens the file in bpmn-js's viewer in headless Chromium and returns what the
import reported (its warnings, or the error) and the SVG it drew; `screenshot` saves a
picture of it for a person to look at. BPMN_JS names bpmn-viewer.production.min.js
(npm `bpmn-js`, installed by `.ci/run`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

BPMN_JS = os.environ.get("BPMN_JS", "")
AVAILABLE = Path(BPMN_JS).is_file() and shutil.which("chromium") is not None
WHY_NOT = "set BPMN_JS to bpmn-js's bpmn-viewer.production.min.js and install chromium"

_PAGE = """<!doctype html><meta charset="utf-8">
<style>html, body, #canvas {{ margin: 0; width: 100%; height: 100%; }}</style>
<script src="{script}"></script><div id="canvas"></div><pre id="report"></pre><script>
const viewer = new BpmnJS({{ container: '#canvas' }});
viewer.importXML({xml}).then(async (result) => {{
  viewer.get('canvas').zoom('fit-viewport');
  const {{ svg }} = await viewer.saveSVG();
  document.getElementById('report').textContent = JSON.stringify(
    {{ warnings: result.warnings.map(w => w.message), svg: svg }});
  document.title = 'IMPORTED';
}}, (error) => {{
  document.getElementById('report').textContent = JSON.stringify(
    {{ error: error.message, warnings: (error.warnings || []).map(w => w.message) }});
  document.title = 'FAILED';
}});
</script>"""


@dataclass
class Imported:
    """What bpmn-js said about a file: `error` when the import failed."""

    warnings: list[str]
    svg: str
    error: str | None = None


def _page(xml: bytes, where: Path) -> Path:
    page = where / "bpmn-js.html"
    page.write_text(
        _PAGE.format(script=Path(BPMN_JS).as_uri(), xml=json.dumps(xml.decode("utf-8"))),
        encoding="utf-8",
    )
    return page


def _chromium(*args: str) -> str:
    command = ["chromium", "--headless", "--no-sandbox", "--allow-file-access-from-files"]
    done = subprocess.run(
        [*command, "--virtual-time-budget=20000", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    return done.stdout


def import_bpmn(xml: bytes, where: Path) -> Imported:
    """Import `xml` in bpmn-js (files go in `where`)."""
    dom = _chromium("--dump-dom", _page(xml, where).as_uri())
    found = re.search(r'<pre id="report">(.*?)</pre>', dom, re.S)
    if not found or not found.group(1):
        return Imported([], "", error="bpmn-js did not finish: " + dom[-300:])
    report = json.loads(unescape(found.group(1)))
    return Imported(report.get("warnings", []), report.get("svg", ""), report.get("error"))


def screenshot(xml: bytes, where: Path, png: Path, size: str = "1800,1000") -> None:
    """A picture of the diagram as bpmn-js draws it, fitted to a `size` window."""
    _chromium(f"--window-size={size}", f"--screenshot={png}", _page(xml, where).as_uri())
