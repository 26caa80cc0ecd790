"""The plain-text part: every card's facts, 78 columns, no HTML; and the soft-break filter."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from candidate_cards import card_view, load_candidates, render_email, render_text
from tests.conftest import CARD_FIXTURES, load_fixture


def _fixture_candidates(name):
    return load_candidates(load_fixture(CARD_FIXTURES[name])).candidates[:10]


@pytest.mark.parametrize("name", list(CARD_FIXTURES))
def test_every_card_fact_is_in_the_text(name):
    candidates = _fixture_candidates(name)
    text = render_email(candidates).text
    flat = " ".join(text.split())
    for candidate in candidates:
        view = card_view(candidate)
        facts = [view.name, view.headline, view.meta, *view.fit_points.items, *view.red_flags.items]
        if view.score:
            facts += [view.score.text, view.score.label]
        facts += [
            link.href if link.href and not link.href.startswith("mailto:") else link.text
            for link in view.contacts
        ]
        for fact in filter(None, facts):
            assert " ".join(fact.split()) in flat, fact


@pytest.mark.parametrize("name", list(CARD_FIXTURES))
def test_wrapped_at_78_columns_without_html(name):
    text = render_email(_fixture_candidates(name), intro="Hello & welcome").text
    for line in text.splitlines():
        assert len(line) <= 78 or " " not in line.strip(), line
    assert not re.search(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);", text)
    assert "Hello & welcome" in text and "\u200b" not in text


def test_more_counts_match_the_card():
    long = _fixture_candidates("long")[0]
    view = card_view(long)
    text = " ".join(render_text([view]).split())
    assert f"+{view.fit_points.more} more strengths" in text
    assert f"+{view.skills.more} more skills" in text


_WORDS = st.text(alphabet=st.sampled_from("abcdefghij-.,/é日"), min_size=1, max_size=90)


@given(
    words=st.lists(_WORDS, min_size=1, max_size=40),
    first=st.sampled_from(["", "   ", "1. "]),
    rest=st.sampled_from(["", "   ", "     "]),
)
def test_the_text_part_packs_lines_exactly_as_textwrap_fill(words, first, rest):
    """The fast packer is an optimisation of textwrap.fill: same lines, byte for byte,
    including hyphenated words (never split) and words longer than a line (kept whole)."""
    import textwrap

    from candidate_cards.text import WIDTH, _paragraph

    text = " ".join(words)
    expected = textwrap.fill(
        text,
        width=WIDTH,
        initial_indent=first,
        subsequent_indent=rest or first,
        break_long_words=False,
        break_on_hyphens=False,
    )
    assert _paragraph(text, first, rest) == expected
