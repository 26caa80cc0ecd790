"""Every card fixture in both themes, as reviewed HTML files (tests/__snapshots__/)."""

from __future__ import annotations

import pytest

from candidate_cards import render_cards
from tests.conftest import CARD_FIXTURES
from tests.test_cards import profiles_of


@pytest.mark.parametrize("fixture", sorted(CARD_FIXTURES))
@pytest.mark.parametrize("theme", ["dark", "light"])
def test_card_snapshot(fixture, theme, html_snapshot):
    assert render_cards(profiles_of(fixture)[:10], theme).html == html_snapshot
