"""The e-mail document and the cards against caniemail.com data, and the allow-list.

Every HTML and CSS feature the markup uses is looked up in the caniemail data (see
caniemail_data.py); a feature marked unsupported ("n") in any of the nine clients fails
the test unless it is on ALLOWED below, and every ALLOWED entry has a Chromium test that
removes the feature (or simulates the client) and shows the document unchanged.
"""

from __future__ import annotations

import re

import pytest

from candidate_cards import load_candidates, render_cards, render_email
from tests.caniemail_data import CLIENTS, check, usage_of
from tests.conftest import CARD_FIXTURES, THEMES, load_fixture

#: Features used although caniemail marks them unsupported in one of the nine clients.
ALLOWED = {
    "css-border-radius": "decorative: Outlook on Windows shows square corners",
    "css-max-width": "Outlook on Windows ignores it; the MSO ghost table holds 600px there",
    "html-doctype": "Outlook on Windows ignores it; nothing depends on it (tested unquirked)",
    "html-meta-color-scheme": "a hint; each theme sets every colour itself",
    "html-body": "Outlook for Mac drops <body>; the canvas table repeats its bgcolor",
    "html-aria-hidden": "Yahoo drops it: screen readers also read initials and list marks",
    "css-border-spacing": "a reset against host pages; Outlook drops it, cellspacing=0 holds",
    "css-word-spacing": "a reset against host pages; Outlook drops it and has no host page",
    "css-min-width": "keeps the avatar round beside a long name at 320 px; Outlook on Windows "
    "drops it and shows a 600px column, where nothing squeezes the avatar",
}


def _candidates(name: str):
    return load_candidates(load_fixture(CARD_FIXTURES[name])).candidates[:10]


def _documents() -> dict[str, str]:
    documents = {}
    for name in CARD_FIXTURES:
        for theme in THEMES:
            candidates = _candidates(name)
            documents[f"cards {name} {theme}"] = render_cards(candidates, theme).html
            documents[f"email {name} {theme}"] = render_email(
                candidates, theme, subject="Shortlist", preheader="Three", intro="Hello"
            ).html
    return documents


@pytest.fixture(scope="module")
def documents() -> dict[str, str]:
    return _documents()


@pytest.fixture(scope="module")
def findings(documents):
    """caniemail's verdict on every feature the rendered documents use."""
    return check(usage_of(*documents.values()))


def test_only_supported_features_outside_the_allow_list(findings):
    failing = {
        f.feature.slug: f"{f.feature.slug} ({', '.join(f.uses[:3])}): {', '.join(f.unsupported)}"
        for f in findings
        if f.unsupported and f.feature.slug not in ALLOWED
    }
    assert not failing, "unsupported in named clients:\n" + "\n".join(failing.values())


def test_every_allowed_feature_is_used_and_unsupported(findings):
    """The allow-list stays short: an entry no longer needed must go."""
    unsupported = {f.feature.slug for f in findings if f.unsupported}
    assert set(ALLOWED) <= unsupported


def test_the_analyser_flags_the_known_traps():
    usage = usage_of(
        '<div style="display:flex;position:absolute;box-shadow:0 0 1px red;'
        'background-image:linear-gradient(red,blue);color:var(--x)"><svg></svg></div>'
    )
    flagged = {f.feature.slug for f in check(usage) if f.unsupported}
    assert {
        "css-display-flex",
        "css-position",
        "css-box-shadow",
        "css-linear-gradient",
        "css-variables",
        "html-svg",
    } <= flagged


def test_the_nine_clients_are_in_the_data():
    seen = {
        (family, platform)
        for f in check(usage_of("<table><tr><td>x</td></tr></table>"))
        for family, platforms in f.feature.stats.items()
        for platform in platforms
    }
    assert set(CLIENTS) <= seen


def test_no_style_sheets_scripts_or_classes(documents):
    for name, html in documents.items():
        assert not re.search(r"<(style|link|script)\b|\sclass=", html), name


# -- the allow-list, each entry shown harmless in Chromium -----------------------------

SIGNATURE = """() => {
  const texts = [...document.querySelectorAll('body *')].filter(
    e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()));
  const box = e => { const r = e.getBoundingClientRect(); return [r.x, r.width, r.height]; };
  return {
    overflow: document.documentElement.scrollWidth > document.documentElement.clientWidth,
    text: document.body.innerText,
    cards: [...document.querySelectorAll('[data-profile-id]')].map(box),
    looks: texts.map(e => { const s = getComputedStyle(e);
      return [s.color, s.fontSize, s.fontWeight, s.fontFamily]; }),
    boxes: texts.map(box),
  };
}"""

STRIP_SAMPLES = ("render-request", "long", "unicode")


def _strip_declaration(html: str, prop: str) -> str:
    return re.sub(rf"(?<=[\"';\s]){prop}:[^;\"']*;?", "", html)


def _as_outlook_windows(html: str) -> str:
    """No max-width, and the body's conditional markup shown as Outlook shows it."""
    head, body = html.split("<body", 1)
    unwrapped = re.sub(r"<!--\[if mso\]>(.*?)<!\[endif\]-->", r"\1", body, flags=re.DOTALL)
    return _strip_declaration(f"{head}<body{unwrapped}", "max-width")


def _signature(page, html: str, width: int = 700):
    page.set_viewport_size({"width": width, "height": 900})
    page.set_content(html)
    return page.evaluate(SIGNATURE)


@pytest.fixture(scope="module")
def page(browser):
    page = browser.new_page()
    yield page
    page.close()


#: The e-mails each strip test loads with and without one feature, rendered once.
EMAILS = [
    pytest.param(render_email(_candidates(name), theme, intro="Hello").html, id=f"{name}-{theme}")
    for name in STRIP_SAMPLES
    for theme in THEMES
]


@pytest.mark.browser
@pytest.mark.parametrize("prop", ["border-radius", "min-width"])
@pytest.mark.parametrize("html", EMAILS)
def test_without_outlooks_dropped_styles_nothing_moves(page, html, prop):
    """Outlook on Windows drops both: square corners, and in its 600px column (below)
    nothing squeezes the avatar that min-width keeps round."""
    stripped = _strip_declaration(html, prop)
    assert stripped != html
    assert _signature(page, stripped) == _signature(page, html)


@pytest.mark.browser
@pytest.mark.parametrize("prop", ["border-spacing", "word-spacing"])
@pytest.mark.parametrize("html", EMAILS)
def test_without_host_page_resets_nothing_moves(page, html, prop):
    """In a mail client there is no host stylesheet for these resets to undo."""
    stripped = _strip_declaration(html, prop)
    assert stripped != html
    assert _signature(page, stripped) == _signature(page, html)


@pytest.mark.browser
@pytest.mark.parametrize("html", EMAILS)
def test_outlook_windows_gets_the_same_600px_column(page, html):
    wide = _signature(page, html, width=1000)
    outlook = _signature(page, _as_outlook_windows(html), width=1000)
    assert outlook == wide
    assert {card[1] for card in wide["cards"]} == {600}


@pytest.mark.browser
@pytest.mark.parametrize("html", EMAILS)
def test_without_the_doctype_the_look_is_the_same(page, html):
    """Quirks mode: tables stop inheriting colour and size, which the card restates."""
    quirks = html.removeprefix("<!DOCTYPE html>")
    assert quirks != html
    standard, unquirked = _signature(page, html), _signature(page, quirks)
    for key in ("overflow", "text", "looks"):
        assert unquirked[key] == standard[key], key
    for card, quirks_card in zip(standard["cards"], unquirked["cards"], strict=True):
        assert quirks_card[:2] == card[:2]  # quirks line boxes may differ by a pixel
        assert quirks_card[2] == pytest.approx(card[2], rel=0.01)


@pytest.mark.browser
@pytest.mark.parametrize("html", EMAILS)
def test_without_color_scheme_meta_pixels_are_identical(page, html):
    stripped = re.sub(r'<meta name="(supported-)?color-scheme"[^>]*>', "", html)
    assert stripped != html
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.set_content(html)
        before = page.screenshot(full_page=True)
        page.set_content(stripped)
        assert page.screenshot(full_page=True) == before, scheme
    page.emulate_media(color_scheme="no-preference")


@pytest.mark.browser
@pytest.mark.parametrize("html", EMAILS)
def test_without_body_attributes_the_canvas_stays(page, html):
    """Outlook for Mac drops <body> and its bgcolor: the canvas table still paints it."""
    stripped = re.sub(r"<body[^>]*>", "<body>", html)
    assert stripped != html
    standard = _signature(page, html)
    canvas = page.evaluate("getComputedStyle(document.body).backgroundColor")
    bodiless = _signature(page, stripped)
    behind = "getComputedStyle(document.querySelector('body > table')).backgroundColor"
    assert page.evaluate(behind) == canvas
    for key in ("overflow", "text", "looks"):
        assert bodiless[key] == standard[key], key
    assert [card[1:] for card in bodiless["cards"]] == [card[1:] for card in standard["cards"]]


@pytest.mark.browser
@pytest.mark.parametrize("html", EMAILS)
def test_without_aria_hidden_pixels_are_identical(page, html):
    stripped = html.replace(' aria-hidden="true"', "")
    assert stripped != html
    page.set_viewport_size({"width": 700, "height": 900})
    page.set_content(html)
    before = page.screenshot(full_page=True)
    page.set_content(stripped)
    assert page.screenshot(full_page=True) == before
