"""The hostile checks themselves: they must catch what escaped markup would do."""

from __future__ import annotations

import html
from typing import Any

import pytest

from candidate_cards import InvalidRenderPayload, TooManyProfiles
from tests.hostile.hostile_checks import (
    FULL_CANDIDATE,
    RENDERERS,
    XSS_VECTORS,
    Profiles,
    Renderer,
    audit_in_chromium,
    error_from_envelope,
    parse,
    rendered,
    unsafe_markup,
    url_scheme,
)

UNSAFE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=' JaVa&#x09;script:alert(1)'>x</a>",
    "<a href='data:text/html,x'>x</a>",
    "<a href='/relative'>x</a>",
    "<iframe></iframe>",
    "<object></object>",
    "<embed>",
    "<base href='http://evil.example/'>",
    "<meta http-equiv=refresh content=0>",
    "<svg><g onload=alert(1)></g></svg>",
    "<p style='background:url(http://evil.example/x)'>x</p>",
    "<img srcset='http://evil.example/x 1x'>",
]


@pytest.mark.parametrize("snippet", UNSAFE)
def test_unsafe_markup_is_flagged(snippet: str) -> None:
    """Each kind of dangerous markup is reported."""
    assert unsafe_markup(parse(snippet))


@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda renderer: renderer.name)
def test_benign_output_is_not_flagged(renderer: Renderer) -> None:
    """A full benign render passes: the checks do not cry wolf at the templates."""
    parsed = parse(renderer.render([FULL_CANDIDATE]))
    assert parsed.errors == []
    assert unsafe_markup(parsed, renderer.allow) == []
    assert "mailto" in {url_scheme(href) for href in parsed.attribute_values("href")}


@pytest.mark.parametrize(
    ("value", "scheme"),
    [
        ("https://x.example", "https"),
        (" \x01JavaScript:alert(1)", "javascript"),
        ("java\tscr\nipt:alert(1)", "javascript"),
        ("mailto:a@example.com", "mailto"),
        ("//x.example/a", None),
        ("a/b:c", None),
    ],
)
def test_url_scheme_reads_urls_as_a_browser_does(value: str, scheme: str | None) -> None:
    """Leading controls, tabs and newlines do not hide a scheme (WHATWG URL parsing)."""
    assert url_scheme(value) == scheme


def test_error_from_envelope_gives_the_typed_error() -> None:
    """A service's error body maps back to the library's typed error."""
    error = error_from_envelope({"error": "TOO_MANY_PROFILES", "message": "m"})
    assert isinstance(error, TooManyProfiles)
    body = {"error": "INVALID_RENDER_PAYLOAD", "details": [{"field": "f", "message": "m"}]}
    invalid = error_from_envelope(body)
    assert isinstance(invalid, InvalidRenderPayload)
    assert [(d.field, d.message) for d in invalid.details] == [("f", "m")]


def _unescaped(profiles: Profiles) -> str:
    """A broken renderer that pastes names in as markup: what the checks exist to catch."""
    return "".join(
        f'<div data-profile-id="{html.escape(p["profileId"])}">{p["name"]}</div>' for p in profiles
    )


@pytest.mark.browser
def test_chromium_audit_catches_an_unescaped_renderer(browser: Any) -> None:
    """The browser audit sees the dialogs, requests and nodes that escaped markup causes."""
    vectors = [v for v in XSS_VECTORS if v.startswith(("<img src=x", "<script>", "<link"))]
    profiles = [{"profileId": f"p{n}", "name": v} for n, v in enumerate(vectors)]
    unescaped = Renderer("unescaped", _unescaped)
    audit = audit_in_chromium(browser, unescaped, rendered(unescaped, profiles))
    assert audit.dialogs
    assert audit.requests
    assert audit.dangerous
    assert audit.cards_shown == len(profiles)
