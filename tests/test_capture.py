"""PDF reports and PNG card previews, through the real CLI and the system's Chromium."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from candidate_cards.browser.capture import png_name
from tests.conftest import FIXTURES


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real entry point in its own process: Playwright's sync API wants its own thread."""
    return subprocess.run(
        [sys.executable, "-m", "candidate_cards", *args], capture_output=True, text=True
    )


@pytest.mark.browser
@pytest.mark.usefixtures("chromium_installed")
def test_report_pdf_starts_with_pdf_and_has_pages(tmp_path):
    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    result = run_cli(
        "report", str(FIXTURES / "sourcing-completed.json"), "-o", str(html), "--pdf", str(pdf)
    )
    assert result.returncode == 0, result.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 1
    assert html.read_text().count('<article class="entry"') == 14


@pytest.mark.browser
@pytest.mark.usefixtures("chromium_installed")
def test_pdf_alone_leaves_no_html_behind(tmp_path):
    pdf = tmp_path / "report.pdf"
    result = run_cli("report", str(FIXTURES / "sourcing-failed.json"), "--pdf", str(pdf))
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]
    assert result.stdout == ""


@pytest.mark.browser
@pytest.mark.usefixtures("chromium_installed")
def test_render_png_writes_one_screenshot_per_card(tmp_path):
    folder = tmp_path / "previews"
    result = run_cli("render", str(FIXTURES / "edge" / "hostile.json"), "--png", str(folder))
    assert result.returncode == 0, result.stderr
    pngs = sorted(folder.iterdir())
    assert len(pngs) == 3
    assert all(p.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") for p in pngs)
    assert [p.name[:3] for p in pngs] == ["01-", "02-", "03-"]
    assert result.stdout == ""  # with --png and no -o, only the screenshots


def test_png_names_cannot_escape_the_folder():
    assert png_name("../../etc/passwd") == "etc_passwd"
    assert png_name('"><img src=x>') == "img_src_x"
    assert png_name("///") == "card"
