"""render_cards under the render-html contract: limits, errors, order, safety, determinism."""

from __future__ import annotations

import re

import html5lib
import pytest

from candidate_cards import (
    CandidateCardsError,
    InvalidRenderPayload,
    InvalidTheme,
    TooManyProfiles,
    render_cards,
)
from tests.conftest import CARD_FIXTURES, load_fixture


def profiles_of(name: str) -> list[dict]:
    data = load_fixture(CARD_FIXTURES[name])
    if isinstance(data, list):
        return data
    if "profiles" in data:
        return data["profiles"]
    return [entry["candidate"] for entry in data["data"] if entry.get("success")]


def parse(html: str):
    return html5lib.parseFragment(html, namespaceHTMLElements=False)


def text_of(html: str, separator: str = "") -> str:
    """The card's text as a reader sees it (soft hyphens and zero-width breaks removed)."""
    text = separator.join(parse(html).itertext())
    return text.replace("\u200b", "").replace("\xad", "").replace("\xa0", " ")


def test_cards_keep_the_request_order_and_ids(sourcing_candidates):
    result = render_cards(sourcing_candidates[:10])
    assert [c.profile_id for c in result.cards] == [
        p["profileId"] for p in sourcing_candidates[:10]
    ]
    assert result.html == "\n".join(card.html for card in result.cards)
    assert result.theme == "dark"


def test_same_input_gives_byte_identical_output(sourcing_candidates):
    first = render_cards(sourcing_candidates[:10], "light").html
    second = render_cards([dict(p) for p in sourcing_candidates[:10]], "light").html
    assert first == second


def test_themes_change_colours_not_content():
    profiles = profiles_of("render-request")
    dark, light = render_cards(profiles, "dark"), render_cards(profiles, "light")
    assert dark.html != light.html
    assert re.sub(r'(style|bgcolor)="[^"]*"', "", dark.html) == re.sub(
        r'(style|bgcolor)="[^"]*"', "", light.html
    )


@pytest.mark.parametrize("fixture", sorted(CARD_FIXTURES))
@pytest.mark.parametrize("theme", ["dark", "light"])
def test_cards_are_self_contained(fixture, theme):
    html = render_cards(profiles_of(fixture), theme).html
    tree = parse(html)
    tags = {element.tag for element in tree.iter() if isinstance(element.tag, str)}
    assert not tags & {"style", "link", "script", "img", "iframe", "object", "embed", "svg"}
    assert "class=" not in html
    assert "url(" not in html and "@import" not in html
    for element in tree.iter("table"):
        assert element.get("role") == "presentation"
    for element in tree.iter():
        for name in getattr(element, "attrib", {}):
            assert not name.lower().startswith("on")
    for anchor in tree.iter("a"):
        assert re.match(r"(https?://|mailto:)", anchor.get("href", ""))


def test_eleven_profiles_are_too_many():
    with pytest.raises(TooManyProfiles) as caught:
        render_cards(load_fixture("render-request-11.json")["profiles"])
    assert caught.value.code == "TOO_MANY_PROFILES"
    assert caught.value.message == "Validation failed: at most 10 profiles per request, got 11."


def test_no_profiles_is_an_invalid_payload():
    with pytest.raises(InvalidRenderPayload, match="1 to 10"):
        render_cards(load_fixture("render-request-empty.json")["profiles"])


@pytest.mark.parametrize("not_a_list", [{"profileId": "p", "name": "A"}, "profiles", 3])
def test_profiles_must_be_a_list(not_a_list):
    with pytest.raises(InvalidRenderPayload, match="list of candidate objects"):
        render_cards(not_a_list)


def test_invalid_profiles_name_each_field():
    with pytest.raises(InvalidRenderPayload) as caught:
        render_cards(load_fixture("render-request-invalid.json")["profiles"])
    assert [d.field for d in caught.value.details] == [
        "profiles[0].matchScore",
        "profiles[1].skills",
        "profiles[2].profileId",
    ]
    assert caught.value.to_dict()["details"][0] == {
        "field": "profiles[0].matchScore",
        "message": "expected a number from 0 to 100, got a string",
    }


def test_duplicate_profile_ids_are_refused():
    profiles = [{"profileId": "p1", "name": "A"}, {"profileId": "p1", "name": "B"}]
    with pytest.raises(InvalidRenderPayload) as caught:
        render_cards(profiles)
    assert caught.value.details[0].field == "profiles[1].profileId"
    assert "duplicate of profiles[0]" in caught.value.details[0].message


def test_unknown_theme_lists_the_known_ones():
    with pytest.raises(InvalidTheme) as caught:
        render_cards(profiles_of("render-request"), theme="sepia")
    assert caught.value.code == "INVALID_THEME"
    assert caught.value.message == "Unknown theme 'sepia'; known themes: dark, light."


def test_every_error_shares_one_base_class():
    for error in (TooManyProfiles, InvalidRenderPayload, InvalidTheme):
        assert issubclass(error, CandidateCardsError)
    envelope = TooManyProfiles("too many").to_dict()
    assert envelope == {
        "statusCode": 400,
        "error": "TOO_MANY_PROFILES",
        "message": "too many",
        "details": [],
    }


def test_hostile_strings_stay_text():
    html = render_cards(profiles_of("hostile")).html
    tree = parse(html)
    assert not list(tree.iter("script")) and not list(tree.iter("img")) and not list(tree.iter("b"))
    text = text_of(html)
    assert "<script>alert(1)</script>" in text
    assert 'Eve "><img src=x onerror=alert(1)>' in text
    assert "{{7*7}} ${7*7} <%= 7*7 %>" in text
    assert "49" not in text.replace("prof_", "")


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://www.linkedin.com/in/jane", True),
        ("HTTP://www.linkedin.com/in/jane", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//evil.example.com/x", False),
        ('https://www.linkedin.com/in/eve" onmouseover="alert(1)', False),
        ("https://exa mple.com", False),
        ("ftp://example.com/file", False),
    ],
)
def test_only_http_urls_become_links_and_the_rest_is_shown_as_text(url, linked):
    html = render_cards([{"profileId": "p", "name": "A", "linkedinUrl": url}]).html
    anchors = list(parse(html).iter("a"))
    if linked:
        assert [a.get("href") for a in anchors] == [url]
        assert anchors[0].text == "LinkedIn profile"
    else:
        assert anchors == []
        assert url in text_of(html)


@pytest.mark.parametrize(
    ("address", "linked"),
    [
        ("jane.doe@example.com", True),
        ("j+tag@mail.example.co.uk", True),
        ("a@example.com?subject=<script>alert(1)</script>", False),
        ('"><script>alert(1)</script>@example.com', False),
        ("no-at-sign.example.com", False),
        ("a@localhost", False),
        ("a..b@example.com", False),
    ],
)
def test_only_well_formed_addresses_become_mailto_links(address, linked):
    html = render_cards([{"profileId": "p", "name": "A", "emails": [address]}]).html
    hrefs = [a.get("href") for a in parse(html).iter("a")]
    assert hrefs == ([f"mailto:{address}"] if linked else [])
    assert address in text_of(html)


def test_minimal_candidate_leaves_no_empty_sections():
    html = render_cards(profiles_of("minimal")).html
    text = text_of(html, " ")
    assert "Sam Lee" in text and "SL" in text
    for heading in ("Strengths", "Concerns", "Experience", "Why this profile", "match"):
        assert heading not in text
    assert not list(parse(html).iter("h3"))


def test_missing_score_shows_no_badge_and_zero_shows_a_weak_badge():
    html = render_cards(profiles_of("scores")).html
    cards = [text_of(card) for card in html.split("\n")]
    assert "0 · Weak match" in cards[0]
    assert "100 · Excellent match" in cards[1]
    assert "49.5 · Weak match" in cards[2]
    assert "87.3 · Excellent match" in cards[3]
    text = cards[4]
    assert not any(f"{band} match" in text for band in ("Excellent", "Strong", "Moderate", "Weak"))


def test_every_present_field_is_shown_or_counted():
    long = profiles_of("long")[0]
    text = text_of(render_cards([long]).html, " ")
    assert long["name"] in text
    assert f"+{len(long['skills']) - 8} more skills" in text
    assert f"+{len(long['detailedExperience']) - 3} earlier roles" in text
    assert "+3 more highlights" in text
    assert "…" in text


def test_rtl_and_unicode_text_is_marked_dir_auto():
    html = render_cards(profiles_of("unicode")).html
    tree = parse(html)
    names = [h.text for h in tree.iter("h2")]
    assert "ليلى الحداد" in names and "נועה ברקוביץ" in names
    assert all(h.get("dir") == "auto" for h in tree.iter("h2"))
    zoe = next(p for p in profiles_of("unicode") if p["name"].startswith("Zo"))
    assert zoe["name"] in names


def test_a_custom_theme_file_is_used(tmp_path):
    from candidate_cards.resources import resource_dir

    source = (resource_dir("themes") / "light.toml").read_text()
    brand = tmp_path / "brand.toml"
    brand.write_text(
        source.replace('name = "light"', 'name = "brand"').replace("#1a5bc4", "#5b21b6")
    )
    profiles = [{"profileId": "p", "name": "A", "emails": ["a@example.com"]}]
    result = render_cards(profiles, theme=brand)
    assert result.theme == "brand"
    assert "color:#5b21b6" in result.html
