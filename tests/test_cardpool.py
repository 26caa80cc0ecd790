"""The two-core card pool: every card once, in order, whatever the helper process does."""

from __future__ import annotations

import multiprocessing

from candidate_cards import get_theme
from candidate_cards.cardpool import CHUNK, PREFETCH, CardPool, card_bytes
from candidate_cards.i18n import language
from candidate_cards.models import Candidate


def blocks(count: int) -> list[bytes]:
    return [
        Candidate(profile_id=f"p{n}", name=f"Person {n}", match_score=n % 100, skills=[f"s{n}"])
        .model_dump_json()
        .encode()
        for n in range(count)
    ]


def test_the_pool_writes_every_card_in_order_more_than_it_prefetches():
    theme, lang = get_theme("light"), language("de")
    json_blocks = blocks((PREFETCH + 5) * CHUNK + 7)
    expected = [card_bytes(block, theme, lang) for block in json_blocks]
    with CardPool(theme, lang) as pool:
        pool.start()
        assert list(pool.cards(iter(json_blocks))) == expected


def test_cards_are_all_written_in_order_when_the_helper_dies_mid_report():
    theme, lang = get_theme("dark"), language("en")
    json_blocks = blocks((PREFETCH + 5) * CHUNK)
    expected = [card_bytes(block, theme, lang) for block in json_blocks]
    with CardPool(theme, lang) as pool:
        pool.start()
        cards = pool.cards(iter(json_blocks))
        first = [next(cards) for _ in range(CHUNK)]
        helpers = multiprocessing.active_children()
        assert helpers, "the pool started no helper process"
        for helper in helpers:
            helper.kill()
            helper.join()
        rest = list(cards)
    assert first + rest == expected
