"""axe-core's WCAG 2.x A/AA rules, and the e-mail lint axe does not cover."""

from __future__ import annotations

import pytest

from candidate_cards.testing import email_lint
from tests.browser.checks import axe_violations
from tests.browser.documents import EMAIL_PAGES, PAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations(page, name: str) -> None:
    """No WCAG 2.0-2.2 A/AA violation (contrast, names, structure) on any page."""
    page.set_content(PAGES[name]())
    assert axe_violations(page) == []


@pytest.mark.parametrize("name", EMAIL_PAGES)
def test_email_lint_passes(page, name: str) -> None:
    """Layout tables are presentation tables, the document has lang and dir, images alt."""
    page.set_content(EMAIL_PAGES[name]())
    assert email_lint(page) == []


def test_the_checks_catch_real_problems(page) -> None:
    """A page with a data-less table, no lang/dir, an image without alt and faint text fails."""
    page.set_content(
        "<!DOCTYPE html><html><head><title>t</title></head><body>"
        '<table><tr><td><img src="data:,"></td></tr></table>'
        '<p style="color:#bbb;background:#fff">faint text</p></body></html>'
    )
    assert len(email_lint(page)) == 4
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"color-contrast", "html-has-lang", "image-alt"} <= found
