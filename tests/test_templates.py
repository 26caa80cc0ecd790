"""Inlining at load time gives the same cards as inlining every rendered card."""

from __future__ import annotations

import css_inline
import html5lib
import pytest

from candidate_cards import card_view, get_theme, load_candidates
from candidate_cards.templates import (
    TemplateSourceError,
    compile_inlined,
    inline_template,
    render_env,
    themed_source,
)
from tests.conftest import load_fixture


def dom(html: str) -> list[tuple]:
    """Elements as (tag, attributes, text) in document order, classes ignored."""
    tree = html5lib.parseFragment(html, namespaceHTMLElements=False)
    return [
        (
            element.tag,
            sorted((k, v) for k, v in element.attrib.items() if k != "class"),
            (element.text or "").strip(),
            (element.tail or "").strip(),
        )
        for element in tree.iter()
        if isinstance(element.tag, str)
    ]


def candidates():
    payloads = [
        "sourcing-completed.json",
        "edge/long.json",
        "edge/unicode.json",
        "edge/scores.json",
        "edge/hostile.json",
        "edge/minimal.json",
    ]
    return [c for name in payloads for c in load_candidates(load_fixture(name)).candidates]


@pytest.mark.parametrize("theme_name", ["dark", "light"])
def test_preinlined_template_matches_per_call_inlining(theme_name):
    theme = get_theme(theme_name)
    fast = compile_inlined("card.html", "card.css", theme)
    slow = render_env().from_string(themed_source("card.html", theme))
    css = themed_source("card.css", theme)
    inliner = css_inline.CSSInliner(minify_css=True)
    for candidate in candidates():
        view = card_view(candidate)
        expected = inliner.inline_fragment(slow.render(card=view), css)
        assert dom(fast.render(card=view)) == dom(expected), candidate.profile_id


def test_a_statement_inside_a_tag_is_refused_at_load_time():
    with pytest.raises(TemplateSourceError, match="line 2"):
        inline_template('<p>\n<td {% if x %}dir="rtl"{% endif %}>', "td{padding:0}")


def test_masked_tags_survive_table_parsing():
    markup = "<table>{% for row in rows %}<tr><td class='c'>{{ row }}</td></tr>{% endfor %}</table>"
    source = inline_template(markup, ".c{padding:0}")
    assert source.index("{% for row in rows %}") < source.index("<tr>")
    assert '<td style="padding:0">{{ row }}</td>' in source


def test_only_rendered_output_is_embedded_unescaped():
    from candidate_cards import render_cards
    from candidate_cards.htmltext import RenderedHTML
    from candidate_cards.templates import render_env

    card = render_cards([{"profileId": "p", "name": "Ann"}]).cards[0].html
    assert isinstance(card, RenderedHTML)
    page = render_env().from_string("{{ value }}")
    assert page.render(value=card) == card
    assert page.render(value="<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    assert page.render(value=card + "<b>x</b>").startswith("&lt;")  # a built string is plain
    assert "rendered" not in render_env().filters
