"""Text that HTML cannot carry, and links that could point elsewhere than they say."""

from __future__ import annotations

import pytest

from candidate_cards.view import email_link
from tests.hostile.hostile_checks import RENDERERS, Renderer, parse

FORBIDDEN_IN_HTML = ["\x00", "\x01", "\x0b", "\x1f", "\x7f", "\x85", "\ufdd0", "\uffff"]


@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda renderer: renderer.name)
@pytest.mark.parametrize("char", FORBIDDEN_IN_HTML)
def test_characters_html_forbids_are_shown_as_replacement(renderer: Renderer, char: str) -> None:
    """NUL, controls and noncharacters become U+FFFD: valid HTML, e-mail-safe, still visible."""
    html = renderer.render([{"profileId": f"id{char}", "name": f"Ann{char}Lee"}])
    parsed = parse(html)
    assert char not in html
    assert parsed.errors == []
    assert "Ann\ufffdLee" in parsed.text()
    assert "id\ufffd" in parsed.attribute_values("data-profile-id")


def test_whitespace_controls_html_allows_are_kept() -> None:
    """Tab, line feed, form feed and carriage return are text HTML allows: left alone."""
    html = RENDERERS[0].render([{"profileId": "p", "name": "A\tB\x0cC", "rationale": "x\r\ny"}])
    text = parse(html).text()
    assert "A\tB\x0cC" in text
    assert "x\ny" in text


@pytest.mark.parametrize(
    ("address", "href"),
    [
        ("jane@example.com", "mailto:jane@example.com"),
        ("jane+cards@example.com", "mailto:jane+cards@example.com"),
        ("a%40evil.example@example.com", "mailto:a%2540evil.example@example.com"),
    ],
)
def test_mailto_links_go_to_the_address_they_show(address: str, href: str) -> None:
    """The href percent-encodes ``%``, so no mail client decodes it into another address."""
    link = email_link(address)
    assert (link.text, link.href) == (address, href)
