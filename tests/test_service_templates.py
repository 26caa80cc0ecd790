"""The service with a user's template directory: checked at start-up, used per request."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from candidate_cards import InvalidTemplate
from candidate_cards.service import create_app
from tests.conftest import client_for, load_fixture
from tests.test_user_templates import LAYOUT_CSS, LAYOUT_HTML, write


@pytest.mark.anyio
async def test_the_service_renders_with_a_template_directory(tmp_path):
    mine = write(tmp_path / "mine", {"card.html": LAYOUT_HTML, "card.css": LAYOUT_CSS})
    body = json.dumps(load_fixture("render-request.json")).encode()
    async with client_for(create_app(no_auth=True, templates=mine)) as client:
        response = await client.post(
            "/sourcing/render-html", content=body, headers={"content-type": "application/json"}
        )
    assert response.status_code == 200, response.text
    cards = response.json()["cards"]
    assert len(cards) == 3 and all("border:2px solid" in card["html"] for card in cards)


@pytest.mark.anyio
async def test_the_template_directory_renders_in_the_locale_the_request_asks_for(tmp_path):
    mine = write(tmp_path / "mine", {"card.html": LAYOUT_HTML, "card.css": LAYOUT_CSS})
    body = json.dumps({**load_fixture("render-request.json"), "locale": "sk"}).encode()
    async with client_for(create_app(no_auth=True, templates=mine)) as client:
        response = await client.post(
            "/sourcing/render-html", content=body, headers={"content-type": "application/json"}
        )
    assert response.status_code == 200, response.text
    assert response.headers["content-language"] == "sk"
    html = response.json()["html"]
    assert "border:2px solid" in html and "Výborná zhoda" in html


def test_an_unsafe_directory_stops_the_app_before_it_serves(tmp_path):
    mine = write(tmp_path / "bad", {"card.html": "<div>\n<script>x</script></div>\n"})
    with pytest.raises(InvalidTemplate) as caught:
        create_app(no_auth=True, templates=mine)
    assert [d.field for d in caught.value.details] == ["card.html:2"]


def test_cli_serve_refuses_an_unsafe_directory_in_one_line(tmp_path):
    mine = write(tmp_path / "bad", {"card.html": "<div>{{ card.photo }}</div>\n"})
    done = subprocess.run(
        [sys.executable, "-m", "candidate_cards", "serve", "--no-auth", "--templates", mine],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "error: Template card.html (dark theme, locale en): 'candidate_cards.view.CardView "
        "object' has no attribute 'photo'."
    ]
