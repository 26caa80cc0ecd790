"""A user's template directory changes the e-mail document too, under the same checks."""

from __future__ import annotations

import shutil

import pytest

from candidate_cards import InvalidTemplate, render_email
from candidate_cards.resources import resource_dir
from tests.conftest import load_fixture
from tests.test_user_templates import LAYOUT_CSS, LAYOUT_HTML, OUR_CSS_ALLOWANCES, write

PEOPLE = load_fixture("render-request.json")["profiles"]
EMAIL_FILES = ("email.html", "email.css", "card.html", "card.css")


def test_our_email_templates_as_a_user_directory_render_byte_for_byte_the_same(tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in EMAIL_FILES:
        shutil.copy(resource_dir("templates") / name, copy)
    for theme in ("dark", "light"):
        mine = render_email(PEOPLE, theme, templates=copy, allow_css=OUR_CSS_ALLOWANCES)
        ours = render_email(PEOPLE, theme)
        assert (mine.html, mine.text) == (ours.html, ours.text)


@pytest.mark.parametrize("locale", ["sk", "ar"])
def test_a_user_email_directory_is_compiled_in_the_locale_asked_for(tmp_path, locale):
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in EMAIL_FILES:
        shutil.copy(resource_dir("templates") / name, copy)
    mine = render_email(PEOPLE, templates=copy, allow_css=OUR_CSS_ALLOWANCES, locale=locale)
    ours = render_email(PEOPLE, locale=locale)
    assert (mine.html, mine.text) == (ours.html, ours.text)
    assert mine.html != render_email(PEOPLE, templates=copy, allow_css=OUR_CSS_ALLOWANCES).html


def test_a_user_email_layout_holds_the_users_cards(tmp_path):
    ours = (resource_dir("templates") / "email.html").read_text(encoding="utf-8")
    footer = '<tr><td class="footer">Sent by the Acme talent team</td></tr>\n{% endfor %}'
    email = ours.replace("{% endfor %}", footer, 1)
    css = (resource_dir("templates") / "email.css").read_text(encoding="utf-8")
    css += ".footer { font-weight: 700; }\n"
    files = {"email.html": email, "email.css": css, "card.html": LAYOUT_HTML}
    mine = write(tmp_path / "mine", {**files, "card.css": LAYOUT_CSS})
    html = render_email(PEOPLE, "light", templates=mine, allow_css=OUR_CSS_ALLOWANCES).html
    assert html.count("Sent by the Acme talent team") == len(PEOPLE)
    assert 'style="font-weight:700"' in html
    assert html.count("border:2px solid #1a5bc4") == len(PEOPLE)  # the user's card
    assert "class=" not in html


def test_an_unsafe_email_template_is_refused_with_its_line(tmp_path):
    mine = write(tmp_path / "bad", {"email.html": "<html>\n<body>\n<script>x</script>\n"})
    with pytest.raises(InvalidTemplate) as caught:
        render_email(PEOPLE, templates=mine)
    assert [d.field for d in caught.value.details] == ["email.html:3"]
