"""The HTML pages the browser checks run on, by name; add a page here and every check covers it.

- ``PAGES``: every page a user sees. Screenshot baselines at each of ``WIDTHS``, layout
  (no horizontal overflow, no clipped text) and axe-core.
- ``EMAIL_PAGES``: documents meant for a mail client. The e-mail lint (presentation tables,
  ``lang``/``dir``, ``alt``) and the webmail simulation (no ``<head>``, ``<style>``,
  ``class``) run on these as well.
- ``CARD_PAGES``: one fixture's cards alone; the host-page isolation check embeds them.

Each value is a function returning a whole HTML document, called when a test needs it.
A new page is one entry, for example (after the dicts below)::

    EMAIL_PAGES.update({f"email-{t}": partial(email_page, t) for t in THEMES})
    PAGES.update(EMAIL_PAGES)

then ``python -m pytest tests/browser --update-screenshots`` writes its baselines
(``baselines/<name>-<width>.png``), to be looked at and committed.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import chdir
from datetime import UTC, datetime
from functools import partial

from candidate_cards import load_candidates, render_cards, render_email, write_report
from tests.browser.screenshots import cards_document
from tests.conftest import CARD_FIXTURES, FIXTURES, THEMES, load_fixture

WIDTHS = (320, 600, 1024)

Document = Callable[[], str]


def fixture_cards(fixture: str, theme: str, locale: str = "en") -> list[str]:
    """The cards of a ``CARD_FIXTURES`` entry, rendered in ``theme`` and ``locale``."""
    candidates = load_candidates(load_fixture(CARD_FIXTURES[fixture])).candidates
    return [card.html for card in render_cards(candidates, theme, locale=locale).cards]


def fixture_page(fixture: str, theme: str, locale: str = "en") -> str:
    """A fixture's cards on a minimal page in the theme's canvas colour."""
    return cards_document(fixture_cards(fixture, theme, locale), theme)


def email_page(theme: str, locale: str = "en") -> str:
    """The e-mail document of the three-profile render request, with every option set."""
    candidates = load_candidates(load_fixture("render-request.json")).candidates
    return render_email(
        candidates,
        theme,
        subject="Shortlist",
        preheader="Three payments engineers",
        intro="Hi",
        locale=locale,
    ).html


def report_page(theme: str, locale: str = "en") -> str:
    """A report of the sourcing run and a partial enrichment, the three best candidates."""
    out = io.StringIO()
    sources = ["tests/fixtures/sourcing-completed.json", "tests/fixtures/enrich-partial.json"]
    with chdir(FIXTURES.parents[1]):  # the report names its inputs: keep them checkout-relative
        write_report(
            sources,
            out,
            theme=theme,
            top=3,
            generated_at=datetime(2026, 1, 1, tzinfo=UTC),
            locale=locale,
        )
    return out.getvalue()


CARD_PAGES: dict[str, Document] = {
    **{
        f"cards-{fixture}-{theme}": partial(fixture_page, fixture, theme)
        for fixture in CARD_FIXTURES
        for theme in THEMES
    },
    # Arabic: mirrored chrome around English and Arabic candidate text (unicode fixture).
    **{
        f"cards-{fixture}-ar-{theme}": partial(fixture_page, fixture, theme, "ar")
        for fixture in ("render-request", "unicode")
        for theme in THEMES
    },
}
EMAIL_PAGES: dict[str, Document] = {
    **CARD_PAGES,
    **{f"email-{theme}": partial(email_page, theme) for theme in THEMES},
    **{f"email-ar-{theme}": partial(email_page, theme, "ar") for theme in THEMES},
}
PAGES: dict[str, Document] = {
    **EMAIL_PAGES,
    **{f"report-{theme}": partial(report_page, theme) for theme in THEMES},
    **{f"report-ar-{theme}": partial(report_page, theme, "ar") for theme in THEMES},
}
