"""``candidate_cards.testing`` passes our own cards and fails a card that breaks each rule."""

from __future__ import annotations

import pytest

from candidate_cards import load_candidates, render_cards
from candidate_cards.testing import assert_accessible, assert_email_safe, assert_no_overflow
from tests.browser.checks import AXE_SCRIPT
from tests.conftest import THEMES, load_fixture
from tests.test_user_templates import OUR_CSS_ALLOWANCES

pytestmark = pytest.mark.browser

#: A card a user might write: a fixed 700 px layout table, faint grey text, a flex row.
BROKEN_CARD = (
    '<table width="700" style="width:700px;background-color:#ffffff"><tr><td>'
    '<div style="display:flex;color:#cccccc">Jane Doe</div></td></tr></table>'
)


def our_cards(theme: str) -> str:
    """The three cards of the render request, rendered by our own templates."""
    candidates = load_candidates(load_fixture("render-request.json")).candidates
    return render_cards(candidates, theme).html


@pytest.mark.parametrize("theme", THEMES)
def test_our_cards_pass_every_helper(page, theme):
    html = our_cards(theme)
    assert_no_overflow(html, theme=theme, page=page)
    assert_accessible(html, theme=theme, axe_script=AXE_SCRIPT, page=page)
    assert_email_safe(html, allow_css=OUR_CSS_ALLOWANCES, theme=theme, page=page)


def test_a_broken_card_fails_every_helper(page):
    with pytest.raises(AssertionError, match="wider than a 320px screen"):
        assert_no_overflow(BROKEN_CARD, page=page)
    with pytest.raises(AssertionError, match="color-contrast"):
        assert_accessible(BROKEN_CARD, axe_script=AXE_SCRIPT, page=page)
    with pytest.raises(AssertionError) as caught:
        assert_email_safe(BROKEN_CARD, page=page)
    assert "css-display-flex" in str(caught.value)
    assert 'table without role="presentation"' in str(caught.value)


def test_a_helper_starts_its_own_chromium_without_a_page(chromium_installed):
    assert_no_overflow(our_cards("light"), theme="light")
    with pytest.raises(AssertionError, match="wider than a 320px screen"):
        assert_no_overflow(BROKEN_CARD)
