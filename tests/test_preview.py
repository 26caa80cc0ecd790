"""The live preview's page: what it shows, and the errors it shows instead of crashing."""

from __future__ import annotations

import html
import shutil
import socket
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from candidate_cards.preview import PreviewOptions, create_app, preview_page
from candidate_cards.themes import get_theme
from tests.conftest import FIXTURES, client_for
from tests.test_user_templates import LAYOUT_CSS, LAYOUT_HTML, OUR_CSS_ALLOWANCES, write


@pytest.fixture
def shortlist(tmp_path: Path) -> Path:
    return Path(shutil.copy(FIXTURES / "render-request.json", tmp_path / "shortlist.json"))


@pytest.mark.anyio
async def test_the_page_shows_both_themes_with_their_contrast_and_the_text_part(shortlist):
    async with client_for(create_app(PreviewOptions(input=shortlist))) as client:
        response = await client.get("/")
        polled = await client.get("/generation")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    page = response.text
    for name in ("dark", "light"):
        lowest = min(check.ratio for check in get_theme(name).contrast())
        assert f'data-theme="{name}"' in page
        assert f"<strong>{lowest:.2f}:1</strong>" in page
    assert page.count('class="cards"') == 4  # 320 and 600 px, in each theme
    assert "Priya Raman" in html.unescape(page)  # the cards, escaped inside srcdoc
    assert polled.json() == {"generation": 0}


class _Frames(HTMLParser):
    """The ``srcdoc`` of every ``<iframe>`` on a page, as a browser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.documents: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "iframe":
            self.documents.append(dict(attrs).get("srcdoc") or "")


def test_each_frame_holds_one_whole_document(shortlist):
    frames = _Frames()
    frames.feed(str(preview_page(PreviewOptions(input=shortlist))))
    assert len(frames.documents) == 6  # cards at 320 and 600 px, and the e-mail, per theme
    for document in frames.documents:
        assert document.startswith("<!DOCTYPE html>") and document.rstrip().endswith("</html>")
        assert "Priya Raman" in document


def test_a_given_theme_file_is_the_only_one_shown(shortlist, tmp_path):
    theme = tmp_path / "brand.toml"
    shutil.copy(Path(__file__).parents[1] / "themes" / "light.toml", theme)
    page = str(preview_page(PreviewOptions(input=shortlist, theme=str(theme))))
    assert page.count('<section class="theme"') == 1


def test_the_locale_gives_the_cards_and_the_email_its_words_and_direction(shortlist):
    page = html.unescape(str(preview_page(PreviewOptions(shortlist, theme="light", locale="ar"))))
    shown = page.split("<body", 1)[1]  # the page around them is ours, in English
    assert 'lang="ar" dir="rtl"' in shown and 'lang="en"' not in shown
    assert "Led migration of a 40M tx/day ledger" in shown  # candidate text stays as written


def test_a_refused_template_is_shown_with_each_problem_and_its_line(shortlist, tmp_path):
    broken = LAYOUT_HTML.replace("<tr>", "<tr onclick='x()'>").replace("}}", "|safe }}", 1)
    mine = write(tmp_path / "mine", {"card.html": broken, "card.css": LAYOUT_CSS})
    page = str(preview_page(PreviewOptions(input=shortlist, templates=mine)))
    assert 'id="error"' in page and 'class="theme"' not in page
    assert "<code>card.html:1</code>: |safe marks candidate data as HTML" in page
    assert "<code>card.html:3</code>: &lt;tr onclick&gt; is an event handler" in page


def test_css_a_mail_client_drops_is_listed_unless_allowed(shortlist):
    listed = html.unescape(str(preview_page(PreviewOptions(shortlist, theme="light"))))
    assert "cards: border-radius: 12px is 'border-radius', which outlook windows drop" in listed
    allowed = PreviewOptions(shortlist, theme="light", allow_css=tuple(OUR_CSS_ALLOWANCES))
    assert "Nothing a major mail client drops." in str(preview_page(allowed))


@pytest.mark.parametrize(
    ("payload", "shown"),
    [
        ("{", "not valid JSON"),
        ('{"profiles": [{"name": "No Id"}]}', "profileId"),
    ],
)
def test_a_bad_input_is_shown_in_the_page(tmp_path, payload, shown):
    source = tmp_path / "bad.json"
    source.write_text(payload, encoding="utf-8")
    page = str(preview_page(PreviewOptions(input=source)))
    assert 'id="error"' in page and shown in page


def test_a_missing_input_or_theme_file_is_shown_in_the_page(tmp_path):
    missing = str(preview_page(PreviewOptions(input=tmp_path / "gone.json")))
    assert "gone.json: No such file or directory" in missing
    gone = PreviewOptions(theme=str(tmp_path / "gone.toml"))
    assert "does not exist" in str(preview_page(gone))


def test_a_port_in_use_is_one_line_and_exit_1():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        done = subprocess.run(
            [sys.executable, "-m", "candidate_cards", "preview", "--port", port],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1 and "Address already in use" in done.stderr


def test_a_missing_template_directory_is_shown_while_the_server_runs(tmp_path):
    command = [sys.executable, "-m", "candidate_cards", "preview", "--templates", "gone/mine"]
    process = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split()[2]
        response = httpx.get(url, timeout=30)
        assert response.status_code == 200
        assert "Templates gone/mine: is not a directory." in response.text
        assert process.poll() is None
    finally:
        process.terminate()
        _out, err = process.communicate(timeout=30)
    assert "Traceback" not in err
