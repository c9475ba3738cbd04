"""The deck opens in LibreOffice Impress: converted to PDF, one page per slide."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import EXAMPLES
from .test_slides_support import read_deck

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
HELP_DESK = next(p for p in EXAMPLES if p.stem == "it-help-desk")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        SOFFICE is None,
        reason="LibreOffice (soffice) is not installed; .ci/run installs libreoffice-impress",
    ),
]


def pdf_pages(pdf: bytes) -> int:
    """Page objects in a PDF as LibreOffice writes it (uncompressed object headers)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_impress_opens_the_deck_and_prints_one_page_per_slide(run, tmp_path: Path) -> None:
    deck = tmp_path / "deck.pptx"
    assert run("slides", str(HELP_DESK), "-o", str(deck)).exit_code == 0
    slides = len(read_deck(deck.read_bytes()).slides)
    profile = tmp_path / "profile"  # a fresh profile: no clash with a running LibreOffice
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(deck),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = (tmp_path / "deck.pdf").read_bytes()
    assert pdf_pages(pdf) == slides
