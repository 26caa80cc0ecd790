"""A card in an ordinary host page looks as on a blank page, and leaves the host alone."""

from __future__ import annotations

import pytest

from candidate_cards import get_theme
from tests.browser.checks import assert_same_rendering, embed_in_host, host_styles
from tests.browser.documents import THEMES, fixture_cards

pytestmark = pytest.mark.browser

EMBED_WIDTH = 560
ISOLATION_FIXTURES = ("render-request", "long", "unicode", "scores", "enriched")


def embedded_card(page, cards: list[str], theme: str, *, hostile: bool) -> bytes:
    """A screenshot of just the embedded cards, on a host page or a blank one."""
    canvas = get_theme(theme).colors["canvas"]
    page.set_content(embed_in_host("".join(cards), EMBED_WIDTH, canvas, hostile=hostile))
    return page.locator("#embedded").screenshot(animations="disabled", caret="hide")


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("fixture", ISOLATION_FIXTURES)
def test_host_styles_do_not_change_the_card(page, fixture: str, theme: str) -> None:
    """Host resets and element rules (fonts, td padding, link colour, …) leave the card as is."""
    cards = fixture_cards(fixture, theme)
    blank = embedded_card(page, cards, theme, hostile=False)
    hosted = embedded_card(page, cards, theme, hostile=True)
    assert_same_rendering(hosted, blank, f"host-{fixture}-{theme}")


def test_the_host_stylesheet_is_aggressive_enough_to_matter(page, tmp_path) -> None:
    """The same host stylesheet visibly changes unstyled markup, so the check above can fail."""
    plain = "<table><tr><td><h2>Jane Doe</h2><p>Engineer <a href='#'>link</a></p></td></tr></table>"
    blank = embedded_card(page, [plain], "light", hostile=False)
    hosted = embedded_card(page, [plain], "light", hostile=True)
    with pytest.raises(AssertionError, match="differ"):
        assert_same_rendering(hosted, blank, "plain", tmp_path)


def test_the_card_does_not_change_the_host(page) -> None:
    """Host elements compute the same styles with and without cards on the page."""
    canvas = get_theme("dark").colors["canvas"]
    page.set_content(embed_in_host("", EMBED_WIDTH, canvas, hostile=True))
    without = host_styles(page)
    for fixture in ("render-request", "long", "unicode", "hostile"):
        cards = "".join(fixture_cards(fixture, "dark") + fixture_cards(fixture, "light"))
        page.set_content(embed_in_host(cards, EMBED_WIDTH, canvas, hostile=True))
        assert host_styles(page) == without, fixture


def test_a_leaking_style_is_detected(page) -> None:
    """A fragment carrying its own stylesheet restyles the host, and the check sees it."""
    canvas = get_theme("dark").colors["canvas"]
    page.set_content(embed_in_host("", EMBED_WIDTH, canvas, hostile=True))
    without = host_styles(page)
    leaking = "<style>p { color: #0a0 }</style>" + fixture_cards("minimal", "dark")[0]
    page.set_content(embed_in_host(leaking, EMBED_WIDTH, canvas, hostile=True))
    assert host_styles(page) != without
