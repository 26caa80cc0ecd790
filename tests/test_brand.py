"""Brand themes: any colour gives a theme that loads, passes every check and keeps the hue."""

from __future__ import annotations

import pytest
from coloraide import Color
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from candidate_cards import InvalidTheme, load_theme, render_cards
from candidate_cards.brand import (
    ACHROMATIC,
    BASES,
    MIN_BAND_DISTANCE,
    band_distance,
    brand_theme,
    hue_of,
)
from candidate_cards.cli import app
from candidate_cards.themes import theme_to_toml
from candidate_cards.view import BANDS

#: A dozen colours from every corner of sRGB: saturated, pale, dark, grey, warm and cool.
DOZEN = {
    "pure yellow": "#ffff00",
    "navy": "#000080",
    "lime": "#00ff00",
    "grey": "#808080",
    "near-white": "#fafafa",
    "near-black": "#050505",
    "pure red": "#ff0000",
    "magenta": "#ff00ff",
    "cyan": "#00ffff",
    "brown": "#8b4513",
    "linkedin blue": "#0a66c2",
    "orange": "#ffa500",
}


def assert_passes_every_check(brand: str, base: str, tmp_path) -> None:
    """Written as a file and read back by the theme loader, which refuses any pair under AA;
    and the score bands apart with normal vision and simulated deuteranopia/protanopia."""
    path = tmp_path / "brand.toml"
    path.write_text(theme_to_toml(brand_theme(brand, base)), encoding="utf-8")
    theme = load_theme(path)
    assert theme.color_scheme == base
    assert all(check.passes for check in theme.contrast())
    assert band_distance(theme.colors) >= MIN_BAND_DISTANCE
    assert len({theme.colors[f"{band}_background"] for band in BANDS}) == len(BANDS)


def hue_gap(first: float, second: float) -> float:
    return abs((first - second + 180) % 360 - 180)


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("brand", DOZEN.values(), ids=DOZEN.keys())
def test_a_dozen_very_different_colours_pass_every_check(brand, base, tmp_path):
    assert_passes_every_check(brand, base, tmp_path)


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("brand", DOZEN.values(), ids=DOZEN.keys())
def test_the_brand_stays_recognisable(brand, base):
    colors = brand_theme(brand, base).colors
    assert colors["avatar_background"] == brand
    if Color(brand).convert("oklch")["chroma"] >= ACHROMATIC:
        assert hue_gap(hue_of(colors["link"]), hue_of(brand)) < 5
    else:  # a grey brand gets grey links, not an invented hue
        assert Color(colors["link"]).convert("oklch")["chroma"] < ACHROMATIC


@settings(max_examples=150, deadline=None)
@given(rgb=st.integers(0, 0xFFFFFF), base=st.sampled_from(BASES))
def test_any_colour_gives_a_theme_that_loads_and_passes_every_check(rgb, base, tmp_path_factory):
    assert_passes_every_check(f"#{rgb:06x}", base, tmp_path_factory.mktemp("brand"))


@pytest.mark.parametrize("brand", ["rebeccapurple", "rgb(10 102 194)", "oklch(0.6 0.4 30)"])
def test_any_css_colour_syntax_is_accepted_even_outside_srgb(brand):
    theme = brand_theme(brand, "light")
    assert theme.colors["avatar_background"].startswith("#")
    assert all(check.passes for check in theme.contrast())


def test_font_and_name_are_used_and_the_file_round_trips(tmp_path):
    theme = brand_theme("#0a66c2", "dark", font="Inter, Arial, sans-serif", name="acme")
    path = tmp_path / "acme.toml"
    path.write_text(theme_to_toml(theme, "made for a test"), encoding="utf-8")
    loaded = load_theme(path)
    assert loaded.font["family"] == "Inter, Arial, sans-serif"
    assert loaded.name == "acme"
    assert loaded.fingerprint == theme.fingerprint


def test_cards_render_in_the_brand_colour():
    theme = brand_theme("#0a66c2", "light")
    html = render_cards([{"profileId": "p1", "name": "Jane Doe", "matchScore": 96}], theme).html
    assert 'bgcolor="#0a66c2"' in html  # the avatar behind the initials


@pytest.mark.parametrize("brand", ["nope", "#12345", "", "rgb(0 0 0 / 50%)", "transparent"])
def test_a_malformed_or_see_through_colour_is_refused_naming_the_field(brand):
    with pytest.raises(InvalidTheme) as caught:
        brand_theme(brand)
    assert [detail.field for detail in caught.value.details] == ["brand"]
    assert "opaque CSS colour" in caught.value.message


def test_a_bad_font_is_refused_naming_the_token():
    with pytest.raises(InvalidTheme, match=r"font\.family"):
        brand_theme("#0a66c2", font="Arial; } body { display: none")


def invoke(*args: str):
    return CliRunner().invoke(app, [str(arg) for arg in args])


def test_themes_new_writes_a_theme_file_the_other_commands_accept(tmp_path):
    path = tmp_path / "brand.toml"
    result = invoke("themes", "new", "--brand", "#0a66c2", "--base", "light", "-o", path)
    assert result.exit_code == 0, result.stderr
    assert f"to {path}" in result.stderr
    assert load_theme(path).colors["avatar_background"] == "#0a66c2"
    assert invoke("themes", path).exit_code == 0
    assert path.read_text().startswith("# Made by: candidate-cards themes new --brand '#0a66c2'")


def test_themes_new_prints_the_theme_without_o():
    result = invoke("themes", "new", "--brand", "navy", "--font", "Georgia, serif")
    assert result.exit_code == 0, result.stderr
    assert 'color_scheme = "dark"' in result.stdout
    assert 'family = "Georgia, serif"' in result.stdout


def test_themes_new_refuses_a_bad_colour_in_one_line_and_keeps_the_file(tmp_path):
    path = tmp_path / "brand.toml"
    path.write_text("kept", encoding="utf-8")
    result = invoke("themes", "new", "--brand", "#zzz", "-o", path)
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == "error: --brand: '#zzz' must be an opaque CSS colour such as #0a66c2."
    )
    assert path.read_text() == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["brand.toml"]
