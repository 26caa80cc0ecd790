"""The service with a user's template directory: checked at start-up, used per request."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from candidate_cards import LOCALES, InvalidTemplate, compiled, render_cards
from candidate_cards.cards import Renderer
from candidate_cards.service import create_app
from candidate_cards.templates import render_env
from tests.conftest import client_for, load_fixture
from tests.test_performance_guard import forbidden
from tests.test_user_templates import LAYOUT_CSS, LAYOUT_HTML, write

#: A mirrored rule for right-to-left languages with a mistyped token (``acent``): fine in
#: every language but Arabic, where the branch is taken when the template is compiled.
RTL_TYPO_CSS = (
    LAYOUT_CSS + "[% if lang.rtl %]\n.who { border-[[ start ]]: 3px solid [[ c.acent ]]; }\n"
    "[% endif %]\n"
)
RTL_TYPO_LINE = LAYOUT_CSS.count("\n") + 2


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


def refused_by_serve(directory: Path) -> list[str]:
    """What ``serve --templates directory`` says on stderr; it must exit 1, serving nothing."""
    done = subprocess.run(
        [sys.executable, "-m", "candidate_cards", "serve", "--no-auth", "--templates", directory],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    return done.stderr.splitlines()


def test_cli_serve_refuses_an_unsafe_directory_in_one_line(tmp_path):
    mine = write(tmp_path / "bad", {"card.html": "<div>{{ card.photo }}</div>\n"})
    assert refused_by_serve(mine) == [
        "error: Template card.html (dark theme, locale en): 'candidate_cards.view.CardView "
        "object' has no attribute 'photo'."
    ]


def test_a_template_broken_in_one_locale_stops_the_app_naming_the_locale_and_line(tmp_path):
    mine = write(tmp_path / "rtl", {"card.html": LAYOUT_HTML, "card.css": RTL_TYPO_CSS})
    profiles = load_fixture("render-request.json")["profiles"]
    assert render_cards(profiles, templates=mine, locale="de")  # left to right: fine
    with pytest.raises(InvalidTemplate) as caught:
        create_app(no_auth=True, templates=mine)
    [detail] = caught.value.details
    assert detail.field == f"card.css:{RTL_TYPO_LINE}"
    assert "acent" in detail.message and "locale ar" in detail.message


def test_cli_serve_refuses_a_template_broken_in_one_locale(tmp_path):
    mine = write(tmp_path / "rtl", {"card.html": LAYOUT_HTML, "card.css": RTL_TYPO_CSS})
    [line] = refused_by_serve(mine)
    assert line.startswith("error: Templates ") and f"card.css:{RTL_TYPO_LINE}: " in line
    assert "(dark theme, locale ar)" in line


def _compiling_fails(monkeypatch) -> None:
    """Every template compile goes through the render environment and the compiler:
    break both, so a request that compiles answers 500."""
    monkeypatch.setattr(render_env(), "from_string", forbidden)
    monkeypatch.setattr(compiled, "compile_template", forbidden)


@pytest.mark.anyio
@pytest.mark.parametrize("own", [False, True], ids=["ours", "a-directory"])
async def test_no_request_in_any_locale_compiles_a_template(monkeypatch, tmp_path, own):
    # Content no other test has, so nothing is compiled for it before the app starts.
    css = LAYOUT_CSS + f"/* {tmp_path.name} */\n"
    mine = write(tmp_path / "mine", {"card.html": LAYOUT_HTML, "card.css": css}) if own else None
    app = create_app(no_auth=True, renderer=Renderer(), templates=mine)
    _compiling_fails(monkeypatch)
    profiles = load_fixture("render-request.json")["profiles"]
    async with client_for(app) as client:
        for locale in LOCALES:
            for theme in ("dark", "light"):
                body = json.dumps({"profiles": profiles, "theme": theme, "locale": locale})
                response = await client.post(
                    "/sourcing/render-html",
                    content=body,
                    headers={"content-type": "application/json"},
                )
                assert response.status_code == 200, (locale, theme, response.text)
                assert response.headers["content-language"] == locale
                assert ("border:2px solid" in response.json()["html"]) is own
