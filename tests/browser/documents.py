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

from collections.abc import Callable
from functools import partial

from candidate_cards import load_candidates, render_cards
from candidate_cards.screenshots import cards_document
from tests.conftest import CARD_FIXTURES, load_fixture

THEMES = ("dark", "light")
WIDTHS = (320, 600, 1024)

Document = Callable[[], str]


def fixture_cards(fixture: str, theme: str) -> list[str]:
    """The cards of a ``CARD_FIXTURES`` entry, rendered in ``theme``."""
    candidates = load_candidates(load_fixture(CARD_FIXTURES[fixture])).candidates
    return [card.html for card in render_cards(candidates, theme).cards]


def fixture_page(fixture: str, theme: str) -> str:
    """A fixture's cards on a minimal page in the theme's canvas colour."""
    return cards_document(fixture_cards(fixture, theme), theme)


CARD_PAGES: dict[str, Document] = {
    f"cards-{fixture}-{theme}": partial(fixture_page, fixture, theme)
    for fixture in CARD_FIXTURES
    for theme in THEMES
}
EMAIL_PAGES: dict[str, Document] = dict(CARD_PAGES)
PAGES: dict[str, Document] = dict(CARD_PAGES)
