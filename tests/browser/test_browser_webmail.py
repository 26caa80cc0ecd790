"""E-mail documents survive a webmail client that drops <head>, <style> and class."""

from __future__ import annotations

import pytest

from tests.browser.checks import assert_same_rendering, strip_for_webmail
from tests.browser.documents import EMAIL_PAGES
from tests.browser.screenshots import screenshot

pytestmark = pytest.mark.browser

STYLED = (
    '<!DOCTYPE html><html lang="en" dir="ltr"><head><title>t</title>'
    "<style>.x{color:#c00;font-size:30px}</style></head>"
    '<body><p class="x" style="margin:0">Hello &amp; welcome</p><br/></body></html>'
)


def test_strip_for_webmail_drops_head_style_and_class() -> None:
    """The simulation removes what sanitising clients remove and keeps everything else."""
    assert strip_for_webmail(STYLED) == (
        '<!DOCTYPE html><html lang="en" dir="ltr">'
        '<body><p style="margin:0">Hello &amp; welcome</p><br/></body></html>'
    )


@pytest.mark.parametrize("name", EMAIL_PAGES)
def test_rendering_is_unchanged_without_head_style_and_class(page, name: str) -> None:
    """Everything a client may strip is optional: the page looks the same without it."""
    document = EMAIL_PAGES[name]()
    original = screenshot(page, document, 600)
    stripped = screenshot(page, strip_for_webmail(document), 600)
    assert_same_rendering(stripped, original, f"webmail-{name}")


def test_a_page_that_needs_its_stylesheet_fails_the_simulation(page, tmp_path) -> None:
    """A page styled from <head> renders differently once stripped, so the check can fail."""
    original = screenshot(page, STYLED, 600)
    stripped = screenshot(page, strip_for_webmail(STYLED), 600)
    with pytest.raises(AssertionError, match="differ"):
        assert_same_rendering(stripped, original, "styled", tmp_path)
