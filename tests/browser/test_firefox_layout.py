"""The layout checks in a second engine: Debian's Firefox ESR (Gecko), over WebDriver BiDi.

Every page of ``documents.PAGES`` (each card fixture, including the long-word corpus, the
e-mails and the reports, in both themes) at 320 px: no sideways scrolling, no clipped
text, and round avatars. Chromium runs the same checks in test_browser_layout.py.
"""

from __future__ import annotations

import pytest

from candidate_cards.testing import horizontal_overflow
from tests.browser.checks import clipped_text
from tests.browser.documents import CARD_PAGES, PAGES

pytestmark = pytest.mark.browser


@pytest.fixture
def narrow(firefox):
    """Firefox laid out as the narrowest phone."""
    firefox.set_viewport_size({"width": 320, "height": 640})
    return firefox


def test_the_engine_is_gecko(narrow) -> None:
    assert "Gecko/" in narrow.evaluate("() => navigator.userAgent")


def test_overflow_is_detected_in_firefox(narrow) -> None:
    """The check can fail: a box wider than the phone scrolls sideways."""
    narrow.set_content('<!DOCTYPE html><html><body><div style="width:500px">x</div></body></html>')
    assert horizontal_overflow(narrow) > 0


@pytest.mark.parametrize("name", PAGES)
def test_no_overflow_or_clipped_text_at_320px(narrow, name: str) -> None:
    """Sideways only: Gecko reports the glyph boxes of some fallback fonts (Noto CJK) taller
    than their line, which is no clipping; overflow and sideways spills are."""
    narrow.set_content(PAGES[name]())
    assert horizontal_overflow(narrow) == 0
    assert clipped_text(narrow, vertical=False) == []


@pytest.mark.parametrize("name", CARD_PAGES)
def test_the_avatar_stays_a_circle_at_320px(narrow, name: str) -> None:
    narrow.set_content(CARD_PAGES[name]())
    sizes = narrow.evaluate(
        """() => [...document.querySelectorAll('td[aria-hidden="true"][width="48"]')]
          .map((avatar) => [avatar.offsetWidth, avatar.offsetHeight])"""
    )
    assert sizes and all(size == [48, 48] for size in sizes), sizes
