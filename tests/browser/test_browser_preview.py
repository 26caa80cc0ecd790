"""``candidate-cards preview`` in the system's Chromium: edit a file, the page follows."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import FIXTURES
from tests.test_user_templates import LAYOUT_CSS, LAYOUT_HTML, write

pytestmark = pytest.mark.browser

#: How long the page may take to follow an edit: the watcher's debounce, a poll, a render.
FOLLOWS_WITHIN_MS = 15_000


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    """A user template directory whose card says which version of it rendered."""
    layout = LAYOUT_HTML.replace("{{ card.name }}", "{{ card.name }} (layout one)")
    return write(tmp_path / "mine", {"card.html": layout, "card.css": LAYOUT_CSS})


@pytest.fixture
def preview(tmp_path: Path, mine: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """The real CLI serving a preview of ``mine``; its process and the URL it printed."""
    payload = shutil.copy(FIXTURES / "render-request.json", tmp_path / "shortlist.json")
    process = subprocess.Popen(
        [sys.executable, "-m", "candidate_cards", "preview", "--templates", str(mine), payload],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Preview at http://127.0.0.1:"), (line, process.stderr)
        yield process, line.split()[2]
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_page_follows_an_edited_template_and_shows_a_broken_one(page, preview, mine):
    process, url = preview
    page.goto(url)
    cards = page.frame_locator("iframe.cards").first
    expect(cards.get_by_text("Priya Raman (layout one)")).to_be_visible()
    assert page.locator("section.theme").count() == 2  # dark and light
    assert page.locator("iframe.cards").count() == 4  # 320 and 600 px in each

    write(mine, {"card.html": LAYOUT_HTML.replace("{{ card.name }}", "{{ card.name }} (two)")})
    expect(cards.get_by_text("Priya Raman (two)")).to_be_visible(timeout=FOLLOWS_WITHIN_MS)

    write(mine, {"card.html": LAYOUT_HTML + "<div onclick='x()'>{% if %}</div>\n"})
    error = page.locator("#error")
    expect(error).to_contain_text("card.html:", timeout=FOLLOWS_WITHIN_MS)
    expect(error).to_contain_text("onclick")
    assert process.poll() is None  # still serving

    write(mine, {"card.html": LAYOUT_HTML})
    expect(page.locator("#error")).to_have_count(0, timeout=FOLLOWS_WITHIN_MS)
    expect(cards.get_by_text("Priya Raman", exact=True)).to_be_visible()


def test_the_cards_cannot_run_scripts(page, preview):
    _process, url = preview
    page.goto(url)
    frames = page.locator("iframe")
    expect(frames.first).to_be_attached()
    sandboxes = {frames.nth(i).get_attribute("sandbox") for i in range(frames.count())}
    assert sandboxes == {"allow-same-origin"}  # no allow-scripts
