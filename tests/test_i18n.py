"""Choosing a language and writing numbers, dates and durations in it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from candidate_cards import InvalidLocale, render_cards, render_email
from candidate_cards.i18n import (
    LOCALES,
    check_locale,
    duration,
    language,
    moment,
    negotiate,
    number,
    request_locale,
    score_text,
)


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("sk-SK,sk;q=0.9,en-US;q=0.8,en;q=0.7", "sk"),
        ("en;q=0.5, de;q=0.9", "de"),  # by q-value, not by order
        ("de;q=0.8, fr;q=0.8", "de"),  # ties keep the header's order
        ("pt-BR", "pt"),
        ("zh-CN, ja;q=0.2", "ja"),  # an unavailable language is passed over
        ("ja;q=0, *", "en"),  # q=0 refuses; * accepts the default
        ("de;q=abc, cs", "cs"),  # a malformed q counts as refusal
        ("x-klingon, 12, -", "en"),
        (None, "en"),
    ],
)
def test_accept_language_negotiation(header, chosen):
    assert negotiate(header) == chosen


@pytest.mark.parametrize("asked", ["sk", "SK", "sk-SK", "sk_SK", "sk-Latn-SK"])
def test_a_locale_may_be_named_with_its_region_or_script(asked):
    assert check_locale(asked) == "sk"


@pytest.mark.parametrize("asked", ["xx", "", "slovak", "sk--SK", "sk SK", "en-"])
def test_anything_else_is_invalid_locale_listing_the_available_ones(asked):
    with pytest.raises(InvalidLocale) as raised:
        check_locale(asked, "--locale")
    assert raised.value.code == "INVALID_LOCALE" and raised.value.status_code == 400
    assert ", ".join(LOCALES) in raised.value.message
    assert raised.value.details[0].field == "--locale"


def test_an_explicit_locale_wins_over_the_header_and_is_never_a_silent_fallback():
    assert request_locale("fr", "de") == "fr"
    assert request_locale(None, "de") == "de"
    for wrong in ("xx", 3, ["sk"]):
        with pytest.raises(InvalidLocale):
            request_locale(wrong, "de")


def test_numbers_dates_and_durations_are_written_as_each_language_writes_them():
    sk, de, en, ja = (language(code) for code in ("sk", "de", "en", "ja"))
    assert (score_text("87.5", sk), score_text("87.5", de), score_text("87.5", en)) == (
        "87,5",
        "87,5",
        "87.5",
    )
    assert score_text("92", sk) == "92"
    assert number(12345, sk) == "12\xa0345" and number(12345, en) == "12,345"
    when = datetime(2025, 11, 18, 9, 42, 17, tzinfo=UTC)
    assert moment(when, sk) == "18. novembra 2025, 9:42:17 UTC"
    assert moment(when, ja) == "2025年11月18日 9:42:17 UTC"
    assert duration(timedelta(minutes=4, seconds=35), sk) == "4 min 35 s"
    assert duration(timedelta(hours=1, minutes=5, seconds=9), de) == "1 Std. 5 Min."
    assert duration(timedelta(0), en) == "0 sec"


def test_direction_comes_from_cldr():
    assert [code for code in LOCALES if language(code).rtl] == ["ar"]


def test_every_locale_renders_cards_an_email_and_stays_deterministic(sourcing_candidates):
    for code in LOCALES:
        first = render_cards(sourcing_candidates[:3], "light", locale=code).html
        assert first == render_cards(sourcing_candidates[:3], "light", locale=code).html
        assert f'lang="{code}"' in first
        document = render_email(sourcing_candidates[:3], "dark", locale=code)
        assert f'<html lang="{code}" dir="{language(code).direction}">' in document.html


def test_candidate_text_is_never_translated():
    profile = {
        "profileId": "p1",
        "name": "Ada",
        "aiFitPoints": ["Strengths"],
        "aiRedFlags": ["Concerns"],
        "skills": ["Experience"],
    }
    html = render_cards([profile], locale="de").html
    assert ">Strengths</td>" in html and ">Concerns</td>" in html and ">Experience</span>" in html
    assert "Stärken" in html and "Bedenken" in html  # the labels around them are translated
