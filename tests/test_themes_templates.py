"""``candidate-cards themes --templates DIR``: a user's templates checked in each theme."""

from __future__ import annotations

from candidate_cards.resources import resource_dir
from tests.test_user_templates import LAYOUT_CSS, LAYOUT_HTML, invoke, write

LIGHT = resource_dir("themes") / "light.toml"


def test_a_good_directory_is_valid_in_every_theme(tmp_path):
    mine = write(tmp_path / "mine", {"card.html": LAYOUT_HTML, "card.css": LAYOUT_CSS})
    result = invoke("themes", "--templates", mine)
    assert result.exit_code == 0, result.stderr
    assert (
        f"valid   {mine}: renders cards, e-mail and report in dark, light, in every language"
        in result.stdout
    )


def test_a_name_no_card_has_is_one_line_and_exit_1(tmp_path):
    mine = write(tmp_path / "mine", {"card.html": "<div>{{ card.photo }}</div>\n"})
    result = invoke("themes", "--templates", mine)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: Template card.html (dark theme, locale en): 'candidate_cards.view.CardView "
        "object' has no attribute 'photo'."
    ]


def test_a_theme_file_and_an_unsafe_directory_report_the_line(tmp_path):
    mine = write(tmp_path / "bad", {"card.html": "<div>\n<div onclick='x()'></div></div>\n"})
    for args in (("themes", LIGHT, "--templates", mine), ("themes", "--templates", mine, LIGHT)):
        result = invoke(*args)
        assert result.exit_code == 1
        assert "valid   " in result.stdout  # the theme itself is fine
        [line] = result.stderr.splitlines()
        assert "card.html:2: <div onclick> is an event handler" in line
